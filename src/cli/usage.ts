/** The CLI help text, in a module of its own so that `--help` loads nothing else. */
export const USAGE = `Usage: kimia-bundles <command> [options]

Commands:
  synth     --config FILE --out DIR     Render every build and replace DIR with the bundle (atomically);
                                        released versions (lock file) must not change and are kept
  validate  [PATH...] [--config FILE] [--lock FILE] [--format human|json]
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
  help [COMMAND]                        This overview, or one command's usage

Options go after the command; each command accepts only its own (see kimia-bundles <command> --help),
and each once unless marked repeatable:
  --build NAME        Only this build (repeatable; synth, validate, release)
  --set NAME=VALUE    Value for a runtime param, used by every selected build that declares it (repeatable)
  --lock FILE         Version lock (default: <config>.lock.json beside the config)
  --format FORMAT     validate output: human (default) or json
  --source-date-epoch N  job: SOURCE_DATE_EPOCH (default: the commit time, read with git when run in the repository)
  -h, --help          Show this help (after a command: that command's usage)
  --version           Print the version`;

const SET = '  --set NAME=VALUE       value for a runtime param, used by every selected build that declares it (repeatable)';
const LOCK = '  --lock FILE            version lock (default: <config>.lock.json beside the config)';
const OUT = '  --stdout | --out FILE  print the YAML, or write it to FILE';

/** Usage text of each command of src/cli/main.ts (`kimia-bundles <command> --help`). */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  synth: `Usage: kimia-bundles synth --config FILE --out DIR [options]
Render every build and replace DIR with the bundle (atomically); released versions (lock file) must
not change and are kept.
  --config FILE          the config file
  --out DIR              the output directory
  --build NAME           only this build (repeatable)
${SET}
${LOCK}`,
  validate: `Usage: kimia-bundles validate [PATH...] [--config FILE] [options]
Run every check on YAML files/directories on disk (PATH, directories recursively) and/or on what the
config renders, and released versions against the lock.
  --config FILE          render this config and check its output and its version lock
  --lock FILE            version lock, for released versions found on disk too (default: the config's,
                         <config>.lock.json beside it)
  --build NAME           with --config: only this build (repeatable)
  --set NAME=VALUE       with --config: value for a runtime param (repeatable)
  --format human|json    human (default): one line per finding on stdout, a summary on stderr;
                         json: one object {files, documents, findings} on stdout
Exit codes: 0 no findings; 1 findings; 2 a usage error, or a config (or lock) that does not load or
render. With --format json the config's problems are JSON findings too (file, line, col, field,
message; output findings have file, document, path, message) and exit 2; usage errors stay on stderr.`,
  release: `Usage: kimia-bundles release --config FILE [options]
Record the versions the config renders now in the lock file.
  --config FILE          the config file
  --notes TEXT           changelog notes for the new versions
  --build NAME           only this build (repeatable)
${SET}
${LOCK}`,
  withdraw: `Usage: kimia-bundles withdraw --config FILE --notes REASON KIND/NAME@VERSION... [options]
Withdraw released versions (e.g. argo/workflowtemplate/kimia-build@0.1): they leave the output at the
next synth and stay in the lock and changelog. The version a build renders now cannot be withdrawn.
  --config FILE          the config file
  --notes REASON         why (recorded in the lock and changelog)
${SET}
${LOCK}`,
  render: `Usage: kimia-bundles render --config FILE --build NAME [--set NAME=VALUE]...
Print one build's Job YAML on stdout (e.g. | kubectl apply -f -).
  --config FILE          the config file
  --build NAME           the build (exactly one)
${SET}`,
  job: `Usage: kimia-bundles job --config FILE --build NAME --ref REF --commit SHA (--stdout | --out FILE) [options]
The Job for one CI run: tags, push, attestation and signing from the trigger profile.
  --config FILE          the config file
  --build NAME           the build (exactly one)
  --ref REF              the git ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/42/head
  --commit SHA           the commit (hex)
  --profile pr|main|tag|manual   the trigger (default: from the ref)
  --source-date-epoch N  SOURCE_DATE_EPOCH (default: the commit time, read with git when run in the repository)
${SET}
${OUT}`,
  'verify-job': `Usage: kimia-bundles verify-job --config FILE --build NAME --image REPO@DIGEST (--stdout | --out FILE)
A Job that runs cosign verify on the pushed digest with the build's public key.
  --config FILE          the config file
  --build NAME           the build (exactly one)
  --image REPO@DIGEST    the pushed image, by digest
${OUT}`,
  schema: `Usage: kimia-bundles schema
Print the config file's JSON Schema (draft-07) on stdout.`,
};
