/**
 * The static step scripts of the Tekton Task. They never contain a param or user value:
 * values arrive as arguments ("$@") and environment variables, so nothing a user types
 * is ever parsed as shell (tekton.md §7).
 */

/** Separators between the kimia flags and the BUILD_ARGS / EXTRA_ARGS array params in the build step's args. */
export const BUILD_ARGS_MARKER = '--kimia-bundles-build-args';
export const EXTRA_ARGS_MARKER = '--kimia-bundles-extra-args';

/** kimia flags an EXTRA_ARGS item may not set: they decide what is pushed and reported to Chains. */
export const RESERVED_EXTRA_FLAGS = [
  '--context', '--destination', '--no-push', '--tar-path', '--digest-file', '--image-name-with-digest-file',
  '--sign', '--cosign-key', '--cosign-password-env',
];

/**
 * Build step: runs kimia with its flags, then one `--build-arg=` per BUILD_ARGS item, then EXTRA_ARGS.
 * - A flag whose value came out empty (an empty param) is dropped: kimia would otherwise take
 *   the next argument as its value.
 * - EXTRA_ARGS items must be `--flag[=value]` and may not override what the Task reports.
 * Afterwards it checks that kimia wrote a digest (kimia exits 0 without one), copies it into the
 * IMAGE_DIGEST result when kimia wrote the spec's own digest file, and writes the IMAGE_URL and
 * IMAGES results from the environment.
 */
export const BUILD_SCRIPT = `#!/bin/bash
# kimia-bundles build step. Arguments: kimia flags, then ${BUILD_ARGS_MARKER} KEY=VALUE...,
# then ${EXTRA_ARGS_MARKER} and extra kimia flags. Values only ever arrive as arguments or env.
set -euo pipefail
fail() { echo "kimia-bundles: $*" >&2; exit 2; }
reserved=" ${RESERVED_EXTRA_FLAGS.join(' ')} "
flags=()
section=kimia
for arg in "$@"; do
  case "$arg" in
    ${BUILD_ARGS_MARKER}) section=build-args; continue ;;
    ${EXTRA_ARGS_MARKER}) section=extra-args; continue ;;
  esac
  case "$section" in
    kimia)
      if [[ "$arg" == --*= ]]; then echo "kimia-bundles: skipping \${arg%=} (empty value)" >&2; continue; fi
      flags+=("$arg") ;;
    build-args)
      [ -n "$arg" ] || continue
      [[ "$arg" == ?*=?* ]] || fail "BUILD_ARGS item must be KEY=VALUE with a value"
      flags+=("--build-arg=$arg") ;;
    extra-args)
      [ -n "$arg" ] || continue
      [[ "$arg" == --?* ]] || fail "EXTRA_ARGS items must be --flag or --flag=value, one per item"
      [[ "$arg" != --*= ]] || fail "EXTRA_ARGS item \${arg%=} has an empty value"
      name="\${arg%%=*}"
      [[ "$reserved" != *" $name "* ]] || fail "EXTRA_ARGS may not set $name: the Task sets it"
      flags+=("$arg") ;;
  esac
done
if [ -n "\${KIMIA_EPOCH_FILE:-}" ]; then
  SOURCE_DATE_EPOCH="$(cat "$KIMIA_EPOCH_FILE")"
  export SOURCE_DATE_EPOCH
fi
"\${KIMIA_BIN:-/usr/local/bin/kimia}" "\${flags[@]}"
if [ -z "\${KIMIA_DIGEST_FILE:-}" ]; then exit 0; fi
if [ ! -s "$KIMIA_DIGEST_FILE" ]; then
  echo "kimia-bundles: kimia finished without reporting an image digest; failing the step" >&2
  exit 1
fi
# The spec named its own digest file: kimia wrote that one; it is also the IMAGE_DIGEST result.
if [ -n "\${KIMIA_DIGEST_RESULT:-}" ]; then cp "$KIMIA_DIGEST_FILE" "$KIMIA_DIGEST_RESULT"; fi
printf '%s' "$KIMIA_IMAGE_URL" > "$KIMIA_IMAGE_URL_FILE"
if [ -n "\${KIMIA_IMAGES_FILE:-}" ]; then
  digest="$(cat "$KIMIA_DIGEST_FILE")"
  while IFS= read -r dest; do
    [ -n "$dest" ] || continue
    last="\${dest##*/}"
    if [[ "$last" == *:* ]]; then repo="\${dest%:*}"; else repo="$dest"; fi
    printf '%s@%s\n' "$repo" "$digest"
  done <<< "$KIMIA_DESTINATIONS" > "$KIMIA_IMAGES_FILE"
fi
`;

/** Epoch step: the SOURCE_DATE_EPOCH param when given, else the last commit time of the source workspace (Unix seconds). */
export const EPOCH_SCRIPT = `#!/bin/sh
# kimia-bundles: SOURCE_DATE_EPOCH from the SOURCE_DATE_EPOCH param (EPOCH_OVERRIDE) when given,
# else from the last commit of the source workspace.
set -eu
if [ -n "\${EPOCH_OVERRIDE:-}" ]; then
  case "$EPOCH_OVERRIDE" in
    *[!0-9]*) echo "kimia-bundles: SOURCE_DATE_EPOCH must be Unix seconds (digits only)" >&2; exit 2 ;;
  esac
  epoch="$EPOCH_OVERRIDE"
else
  epoch="$(git -c safe.directory='*' -C "$SOURCE_DIR" log -1 --format=%ct)"
  case "$epoch" in ''|*[!0-9]*) echo "kimia-bundles: no commit time from git in $SOURCE_DIR: '$epoch'" >&2; exit 1 ;; esac
fi
printf '%s' "$epoch" > "$EPOCH_FILE"
echo "SOURCE_DATE_EPOCH=$epoch"
`;