/**
 * The one table of images the project emits. Every image reference in a rendered bundle is a row
 * of this table (its {@link imageRef}) or a value the spec itself sets (builderImage,
 * tekton.gitImage/cosignImage/craneImage, argo.gitImage/cosignImage/craneImage): the test
 * test/images.test.ts walks every rendered document and fails on anything else.
 *
 * Rules: a tag is listed only with upstream evidence that it exists (a file in the image's own
 * repository that pushes or names it); a digest only when an upstream file states it verbatim
 * (never computed or guessed here); no image from a closed or unconfirmed registry path
 * (Tekton's gcr.io/tekton-releases is closed; crane/debug:v0.22.1 is confirmed nowhere).
 * Facts: shared/reference/kimia.md §6 and .scratch/issue12-facts.md §4.
 */
import { KIMIA_VERSION, type Variant } from './defaults';

/** One image: where it lives, why we believe the tag exists, and how a step must run it. */
export interface ToolImage {
  readonly repository: string;
  readonly tag: string;
  /** `sha256:…`, only when an upstream file states it for this tag verbatim. */
  readonly digest?: string;
  /** Upstream evidence that the tag exists: repository, path, quote. */
  readonly evidence: string;
  /** The image's default user (uid). Steps run helpers as 1000 anyway (helperSecurityContext). */
  readonly user: number;
  /** HOME as the image sets it, and whether uid 1000 can write it. */
  readonly home: { readonly path: string; readonly writableBy1000: boolean };
  /** The shell a script must name (shebang / Argo `command`); undefined: no shell. */
  readonly shell?: string;
  /** The image's entrypoint (Argo containers set `command` to it: no registry lookup). */
  readonly entrypoint: readonly string[];
  /** Tools the project uses from it, with versions where known. */
  readonly has: readonly string[];
}

export const IMAGES = {
  /** The BuildKit builder; also runs the SOURCE_DATE_EPOCH step (git 2.52). */
  kimia: {
    repository: 'ghcr.io/rapidfort/kimia',
    tag: KIMIA_VERSION,
    evidence: 'rapidfort/kimia .github/workflows/release.yml: git tag vX.Y.Z pushes ghcr.io/rapidfort/kimia:X.Y.Z; tag v1.0.25 in the repository (2026-03-20), Dockerfile.buildkit at v1.0.25 (kimia.md §6, §9). No digest for 1.0.25 is stated upstream.',
    user: 1000,
    home: { path: '/home/kimia', writableBy1000: true },
    shell: '/bin/sh',
    entrypoint: ['/usr/local/bin/kimia'],
    has: ['kimia', 'bash', 'busybox /bin/sh', 'git 2.52 (honours -c safe.directory)', 'cosign v3.0.2 (/usr/local/bin/cosign)'],
  },
  /** The Buildah builder; also runs the SOURCE_DATE_EPOCH step of a kimia-bud build (git 2.52). */
  'kimia-bud': {
    repository: 'ghcr.io/rapidfort/kimia-bud',
    tag: KIMIA_VERSION,
    evidence: 'rapidfort/kimia .github/workflows/release.yml: git tag vX.Y.Z pushes ghcr.io/rapidfort/kimia-bud:X.Y.Z; Dockerfile.buildah at v1.0.25 installs bash and git (kimia.md §6, §9). No digest for 1.0.25 is stated upstream.',
    user: 1000,
    home: { path: '/home/kimia', writableBy1000: true },
    shell: '/bin/sh',
    entrypoint: ['/usr/local/bin/kimia'],
    has: ['kimia', 'buildah 1.42.1', 'bash', 'busybox /bin/sh', 'git 2.52 (honours -c safe.directory)'],
  },
  /** crane with busybox, for the multi-arch index step. */
  crane: {
    repository: 'gcr.io/go-containerregistry/crane/debug',
    tag: 'v0.21.9',
    evidence: 'google/go-containerregistry cloudbuild.yaml: `KO_DOCKER_REPO=gcr.io/$PROJECT_ID/crane/debug ko build … -t "$TAG_NAME"` (KO_CONFIG_PATH=.ko/debug/, base gcr.io/distroless/base:debug); newest git tag v0.21.9 (2026-08-05); google/go-containerregistry#2424: "The same on v0.21.9 is working as expected" (v0.22.0 shipped without crane and was re-pushed). Caveat: version tags have gone missing before (#2036/#2039).',
    user: 0,
    home: { path: '/root', writableBy1000: false },
    shell: '/busybox/sh',
    entrypoint: ['/ko-app/crane'],
    has: ['crane', 'busybox /busybox/sh (no /bin/sh)'],
  },
  /** cosign alone (distroless static nonroot): no shell, HOME not writable for 1000. */
  cosign: {
    repository: 'ghcr.io/sigstore/cosign/cosign',
    tag: 'v3.0.2',
    evidence: 'sigstore/cosign v3.0.2:release/release.mk:29 `cosign copy $(KO_PREFIX)/cosign:$(GIT_VERSION) $(GHCR_PREFIX)/cosign:$(GIT_VERSION)`; ko build v3.0.2:Makefile:165-174. No digest stated upstream.',
    user: 65532,
    home: { path: '/home/nonroot', writableBy1000: false },
    entrypoint: ['/ko-app/cosign'],
    has: ['cosign v3.0.2'],
  },
} as const satisfies Record<string, ToolImage>;

export type ImageName = keyof typeof IMAGES;

/** The emitted reference: `repository:tag@sha256:…` when the digest is known, else `repository:tag`. */
export function imageRef(image: ToolImage): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

/** Every reference of the table, as emitted. */
export const TABLE_REFS: readonly string[] = Object.values(IMAGES).map((i) => imageRef(i));

/** Default builder image per variant, pinned to {@link KIMIA_VERSION}. */
export const DEFAULT_BUILDER_IMAGES: Readonly<Record<Variant, string>> = {
  kimia: imageRef(IMAGES.kimia),
  'kimia-bud': imageRef(IMAGES['kimia-bud']),
};

/** The image a variant's builder runs: also the default of the SOURCE_DATE_EPOCH step (it has git 2.52). */
export const BUILDER_IMAGE_ROWS: Readonly<Record<Variant, ToolImage>> = { kimia: IMAGES.kimia, 'kimia-bud': IMAGES['kimia-bud'] };

/** Pinned crane debug image (has /busybox/sh, no /bin/sh) for assembling the index. */
export const DEFAULT_CRANE_IMAGE = imageRef(IMAGES.crane);

/**
 * The image the verify and multi-arch sign steps run cosign from: the BuildKit kimia image, already
 * pulled for the build, with cosign v3.0.2 at /usr/local/bin/cosign and HOME /home/kimia writable
 * for uid 1000 (cosign v3 keeps its TUF cache there; the distroless cosign image's HOME is 0700
 * for uid 65532, so a step running as 1000 fails with "trusted root is required"; kimia.md §6).
 */
export const DEFAULT_COSIGN_IMAGE = imageRef(IMAGES.kimia);

/** The command that runs cosign in `image`, when the table knows it (Argo: no registry lookup); else the image's entrypoint. */
export function cosignCommand(image: string): string[] | undefined {
  if (image === imageRef(IMAGES.kimia)) return ['/usr/local/bin/cosign'];
  if (image === imageRef(IMAGES.cosign)) return [...IMAGES.cosign.entrypoint];
  return undefined;
}

/**
 * What an image given as tekton.gitImage / argo.gitImage must have: it runs the SOURCE_DATE_EPOCH
 * script as uid 1000 on a clone another uid owns.
 */
export const GIT_IMAGE_REQUIREMENTS = 'a POSIX shell at /bin/sh and git >= 2.38 on PATH (older git ignores -c safe.directory and refuses a clone owned by another uid), runnable as uid 1000';

/**
 * git-clone's Tekton bundle, from its maintained home (the catalog's git-clone 0.9 is v1beta1 and
 * deprecated; tektoncd/catalog README: maintained tasks "are increasingly published from their own
 * repositories", e.g. git-clone). Evidence: tektoncd-catalog/git-clone .github/workflows/release.yaml
 * "Publish Tekton Bundle": `tkn bundle push "${REGISTRY}/bundle:${GIT_TAG}"` with
 * REGISTRY=ghcr.io/${{ github.repository }}, from release v1.5.0 on (v1.0.0–v1.4.0 push none);
 * README.md: `value: ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0`. Its Task (v1.0.1 and later)
 * reports `committer-date`, runs as uid 65532. No digest is stated upstream.
 */
export const GIT_CLONE_BUNDLE_REPOSITORY = 'ghcr.io/tektoncd-catalog/git-clone/bundle';
/** The first git-clone release published as a bundle. */
export const GIT_CLONE_FIRST_BUNDLE = '1.5.0';
/** The bundle reference of a git-clone release. */
export const gitCloneBundle = (version: string) => `${GIT_CLONE_BUNDLE_REPOSITORY}:v${version}`;
