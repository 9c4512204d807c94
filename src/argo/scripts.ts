/**
 * Static script sources of the Argo templates. No `{{...}}` tag is ever part of a script:
 * values arrive through env, which Argo fills without involving a shell.
 */

/** SOURCE_DATE_EPOCH and the commit from the checked-out source (a git input artifact). */
export const EPOCH_SOURCE = `set -eu
# kimia-bundles: SOURCE_DATE_EPOCH and the commit from the last commit of the checked-out source.
# No pipes (sh has no pipefail everywhere): a failing git fails the step, and nothing is written
# unless git answered with a commit time and a commit id.
epoch="$(git -c safe.directory='*' -C "$SOURCE_DIR" log -1 --format=%ct)"
commit="$(git -c safe.directory='*' -C "$SOURCE_DIR" rev-parse HEAD)"
case "$epoch" in ''|*[!0-9]*) echo "kimia-bundles: no commit time from git in $SOURCE_DIR: '$epoch'" >&2; exit 1 ;; esac
case "$commit" in ''|*[!0-9a-f]*) echo "kimia-bundles: no commit id from git in $SOURCE_DIR: '$commit'" >&2; exit 1 ;; esac
printf '%s' "$epoch" > "$EPOCH_FILE"
printf '%s' "$commit" > "$COMMIT_FILE"
echo "SOURCE_DATE_EPOCH=$epoch commit=$commit"
`;
