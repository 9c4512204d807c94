/**
 * Multi-arch builds: kimia builds one platform per run (kimia.md §8), so a spec with several
 * `platforms` fans out into native per-platform builds (same spec, different platform and node
 * architecture), then an index step assembles them and signs the index recursively.
 */
import type { BuildSpec } from './types';

/** One platform of a fan-out. */
export interface PlatformTarget {
  /** `linux/arm/v7` */
  readonly platform: string;
  /** The node label value `kubernetes.io/arch`: `arm`. */
  readonly arch: string;
  /** A tag suffix: `linux-arm-v7`. */
  readonly slug: string;
}

/** Names of the per-platform params the fan-out binds. */
export const PLATFORM_PARAMS = { platform: 'PLATFORM', slug: 'PLATFORM_TAG', arch: 'ARCH' } as const;

/** The fan-out targets; empty for a single-platform build. */
export function platformTargets(spec: BuildSpec): PlatformTarget[] {
  return (spec.platforms ?? []).map((platform) => ({ platform, arch: platform.split('/')[1], slug: platform.replace(/\//g, '-') }));
}

/** The param every per-platform build of an unpinned git context builds: one commit for all. */
export const GIT_COMMIT_PARAM = 'GIT_COMMIT';

/**
 * True when a fan-out needs its commit resolved first: a git context kimia clones itself, with no
 * revision, would fetch the branch head once per platform (kimia.md §3: BuildKit gets URL#branch),
 * so two platforms could build two commits, and Chains would record none.
 */
export function resolvesRevision(spec: BuildSpec): boolean {
  return platformTargets(spec).length > 0 && 'git' in spec.context && spec.context.git.revision === undefined;
}

/**
 * The spec of one per-platform build, as a template over the PLATFORM/PLATFORM_TAG/ARCH params:
 * `--custom-platform=${PLATFORM}`, pushed to the first destination suffixed `-${PLATFORM_TAG}`,
 * unsigned (the index is signed recursively). Derived from a checked spec; not parsed again.
 */
export function perPlatformSpec(spec: BuildSpec, opts: { readonly pinRevision?: boolean } = {}): BuildSpec {
  const { platform, slug, arch } = PLATFORM_PARAMS;
  // pinRevision: the engine resolves the commit first ({@link resolvesRevision}) and binds GIT_COMMIT.
  const git = opts.pinRevision && resolvesRevision(spec) && 'git' in spec.context ? spec.context.git : undefined;
  const pin = git !== undefined;
  return {
    ...spec,
    ...(git ? { context: { git: { ...git, revision: `\${${GIT_COMMIT_PARAM}}` } } } : {}),
    platforms: undefined,
    platform: `\${${platform}}`,
    destinations: [`${spec.destinations[0]}-\${${slug}}`],
    signing: undefined,
    params: {
      ...spec.params,
      [platform]: { description: 'The platform of this build (os/arch[/variant]).' },
      [slug]: { description: 'Tag suffix of the per-platform image (os-arch[-variant]).' },
      [arch]: { description: 'Node architecture (kubernetes.io/arch) the build runs on, natively.' },
      ...(pin ? { [GIT_COMMIT_PARAM]: { description: 'The commit every platform builds (resolved once, before the fan-out).' } } : {}),
    },
  };
}

/**
 * Revision step: the commit of the git context's branch (or HEAD), resolved once before the
 * fan-out (`git ls-remote`; the builder image has git 2.52), so every platform builds it. Static:
 * GIT_URL, GIT_REF (`refs/heads/<branch>` or `HEAD`) and COMMIT_FILE arrive in env.
 */
export const REVISION_SCRIPT = `#!/bin/sh
# kimia-bundles: the commit every platform builds, resolved once. Values arrive in env only.
set -eu
out="$(git ls-remote -- "$GIT_URL" "$GIT_REF")" || { echo "kimia-bundles: git ls-remote of $GIT_REF failed" >&2; exit 1; }
commit="$(printf '%s\\n' "$out" | head -n 1 | cut -f1)"
case "$commit" in
  ''|*[!0-9a-f]*) echo "kimia-bundles: $GIT_REF not found in the repository" >&2; exit 1 ;;
esac
[ "\${#commit}" -eq 40 ] || [ "\${#commit}" -eq 64 ] || { echo "kimia-bundles: not a commit: $commit" >&2; exit 1; }
printf '%s' "$commit" > "$COMMIT_FILE"
echo "commit: $commit"
`;

/** The ref the revision step resolves: the context's branch, else the remote's HEAD. */
export function revisionRef(spec: BuildSpec): string {
  return 'git' in spec.context && spec.context.git.branch ? `refs/heads/${spec.context.git.branch}` : 'HEAD';
}

/**
 * Index step: `crane index append` of the per-platform images (by digest) onto the first
 * destination, then `crane copy` to the others. Static text; values arrive in env or args:
 * IMAGES (repo@digest list: JSON or newlines; else the arguments), TARGET, EXTRA_DESTINATIONS (newline separated),
 * URL_FILE, DIGEST_FILE and IMAGES_FILE (where the index reference, its digest and the list of the
 * index and platform images are written), INSECURE=true when the spec allows insecure registries.
 */
export const INDEX_SCRIPT = `#!/busybox/sh
set -euf
# Lists are split on newlines only (and JSON punctuation for IMAGES); no globbing (set -f).
NL='
'
IFS="$NL"
# IMAGES in env (Argo: a JSON list) or as arguments (Tekton: an array param), joined by newlines.
list="\${IMAGES:-$*}"
set --
for ref in $(printf '%s' "$list" | tr '[],"' '\\n\\n\\n\\n' | tr -d ' '); do
  [ -n "$ref" ] || continue
  case "$ref" in *@sha256:*) set -- "$@" -m "$ref" ;; *) echo "kimia-bundles: not an image by digest: $ref" >&2; exit 1 ;; esac
done
[ "$#" -ge 4 ] || { echo "kimia-bundles: an index needs at least two platform images" >&2; exit 1; }
# The spec allows insecure registries: crane may use plain HTTP or unverified TLS.
insecure=
[ "\${INSECURE:-}" = true ] && insecure=--insecure
ref="$(crane index append $insecure "$@" -t "$TARGET")"
for dest in \${EXTRA_DESTINATIONS:-}; do [ -n "$dest" ] && crane copy $insecure "$ref" "$dest"; done
# IMAGE_URL: the index as tagged, without its digest: Tekton Chains records IMAGE_URL@IMAGE_DIGEST.
printf '%s' "$TARGET" > "$URL_FILE"
printf '%s' "\${ref#*@}" > "$DIGEST_FILE"
# IMAGES: the index, then every image manifest it holds, by digest. crane index append flattens
# the per-platform indexes BuildKit pushes; their attestation manifests (platform unknown/unknown)
# are not images. One manifest entry per line: each starts with {"mediaType".
repo="\${ref%@*}"
# Read first (no pipefail in every sh): a failing crane manifest fails the step.
manifest="$(crane manifest $insecure "$ref")"
{ echo "$ref"; printf '%s\\n' "$manifest" | sed 's/{"mediaType"/\\n&/g' | grep '"digest":"sha256:' | grep -v '"architecture":"unknown"' | grep -o '"digest":"sha256:[a-f0-9]*"' | cut -d'"' -f4 | sed "s|^|$repo@|"; } > "$IMAGES_FILE"
echo "index: $ref"
`;

/** The repository of a destination when it is known at generation time (no param in it). */
export function repositoryOf(destination: string): string | undefined {
  const slash = destination.lastIndexOf('/');
  const colon = destination.lastIndexOf(':');
  const repo = colon > slash ? destination.slice(0, colon) : destination;
  return repo.includes('${') ? undefined : repo;
}
