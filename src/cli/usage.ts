/** The CLI help text, in a module of its own so that `--help` loads nothing else. */
export const USAGE = `Usage: kimia-bundles <command> [options]

Commands:
  synth     --config FILE --out DIR     Render every build and replace DIR with the bundle (atomically);
                                        released versions (lock file) must not change and are kept
  validate  [PATH...] [--config FILE] [--lock FILE]
                                        Run every check on YAML files/directories on disk and/or on
                                        what the config renders, released versions against the
                                        lock; exit 1 on findings
  release   --config FILE [--notes TEXT]  Record the current versions in the lock file
  withdraw  --config FILE --notes REASON KIND/NAME@VERSION...
                                        Withdraw released versions: they leave the output at the
                                        next synth and stay in the lock and changelog
  render    --config FILE --build NAME  Print one build's Job YAML (e.g. | kubectl apply -f -)
  job       --config FILE --build NAME --ref REF --commit SHA [--profile pr|main|tag|manual]
            (--stdout | --out FILE)     The Job for one CI run: tags, push, attestation and signing
                                        from the trigger profile (default: from the ref)
  verify-job --config FILE --build NAME --image REPO@DIGEST (--stdout | --out FILE)
                                        A Job that runs cosign verify on the pushed digest
  schema                                Print the config file's JSON Schema (draft-07)
  bundle    --dir DIR --out LAYOUT      Write a Tekton bundle (OCI layout) for a Task/Pipeline version
  push      (--layout L | --dir D) REF  Push a Tekton bundle, or a bundle directory as an OCI artifact
                                        [--subject IMAGE@DIGEST] [--insecure] [--docker-config FILE]
  pull      REF --out DIR               Pull a bundle artifact (byte-identical) or an image as a layout
  list      REPO                        List tags
  describe  REF [--format json]         Manifest, annotations, layers, referrers

Options:
  --build NAME        Only this build (repeatable; synth, validate, release)
  --set NAME=VALUE    Value for a runtime param, used by every selected build that declares it (repeatable)
  --lock FILE         Version lock (default: <config>.lock.json beside the config)
  --format FORMAT     validate output: human (default) or json
  --source-date-epoch N  job: SOURCE_DATE_EPOCH (default: the commit time, read with git when run in the repository)
  -h, --help          Show this help
  --version           Print the version`;
