// The kimia-bundles validation oracle: kimia's own input validation (internal/validation, kimia
// v1.0.25), compiled from ../shared/kimia into a copy of kimia's module and driven by the property
// tests (test/properties-expected.test.ts). One JSON request per stdin line, {"fn", "value"}; one
// JSON answer per line, {"error": ""} when kimia accepts the value, else kimia's error message.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/rapidfort/kimia/internal/validation"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req struct {
			Fn    string `json:"fn"`
			Value string `json:"value"`
		}
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		var err error
		switch req.Fn {
		case "image-name": // builder.go validateCommonBuildInputs: every --destination
			err = validation.ValidateImageName(req.Value)
		case "image-tag":
			err = validation.ValidateImageTag(req.Value)
		case "git-ref":
			err = validation.ValidateGitRef(req.Value)
		case "buildctl-arg": // builder.go: every buildctl argument of a BuildKit build
			err = validation.ValidateBuildctlArg(req.Value)
		default:
			fmt.Fprintln(os.Stderr, "unknown fn", req.Fn)
			os.Exit(2)
		}
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if err := out.Encode(map[string]string{"error": msg}); err != nil {
			os.Exit(1)
		}
	}
}
