/**
 * Static script sources of the Argo templates. No `{{...}}` tag is ever part of a script:
 * values arrive through env, which Argo fills without involving a shell.
 */

/** SOURCE_DATE_EPOCH and the commit from the checked-out source (a git input artifact). */
export const EPOCH_SOURCE = `set -eu
# kimia-bundles: SOURCE_DATE_EPOCH from the last commit of the checked-out source.
git -c safe.directory='*' -C "$SOURCE_DIR" log -1 --format=%ct | tr -d '\\n' > "$EPOCH_FILE"
git -c safe.directory='*' -C "$SOURCE_DIR" rev-parse HEAD | tr -d '\\n' > "$COMMIT_FILE"
echo "SOURCE_DATE_EPOCH=$(cat "$EPOCH_FILE") commit=$(cat "$COMMIT_FILE")"
`;
