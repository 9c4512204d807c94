/**
 * The param names the engines declare themselves, beside a build's own `params`.
 *
 * A Tekton Task or Pipeline and an Argo template have one namespace of params, shared by the
 * build's own and the ones the engine adds. A build param with an engine's name was merged with
 * it or shadowed it without a word: a tag param named REGISTRY_SECRET became the name of the
 * Secret Argo mounts, a string BUILD_ARGS broke the Task's `$(params.BUILD_ARGS[*])`, a VERIFY
 * param made the Pipeline declare VERIFY twice. So the spec refuses such a name, at
 * `params.<NAME>`, in the cases the engine declares it (rules.ts `engineParamNames`).
 *
 * Tested against the rendered documents (test/engine-params.test.ts): every param an engine
 * declares that the build did not is listed here.
 */
import type { BuildSpec } from './types';
import { GIT_COMMIT_PARAM, PLATFORM_PARAMS } from './platforms';
import { hasParams, paramsIn } from './template';

export interface EngineParam {
  /** What the engines use it for, and which ones. */
  readonly use: string;
  /**
   * The builds that may not declare a param of this name: the ones the engines declare it for (for
   * BUILDER_IMAGE, every build that does not use it in builderImage: the name means the builder
   * image, see below).
   * @default every build: every Tekton Task, Pipeline or Argo template declares it, so the JSON Schema refuses the name outright
   */
  readonly refusedFor?: (spec: BuildSpec) => boolean;
}

const fanOut = (spec: BuildSpec) => (spec.platforms ?? []).length > 0;
const local = (spec: BuildSpec) => 'local' in spec.context;

/** Param name -> what the engine declaring it uses it for. */
export const ENGINE_PARAMS: Readonly<Record<string, EngineParam>> = {
  // The engines declare it unless builderImage is made of the build's own params (builderImageSource):
  // declaring BUILDER_IMAGE yourself and setting builderImage: ${BUILDER_IMAGE} is the same param. The
  // name is refused for any other use, also beside builderImage: mirror/kimia:${TAG} (where no engine
  // declares it): a BUILDER_IMAGE that is not the builder image would mislead whoever sets it on a run.
  BUILDER_IMAGE: { use: 'the builder image of the Tekton Task and the Argo template (declare it yourself only to use it in builderImage)', refusedFor: (s) => !s.builderImage?.includes('${BUILDER_IMAGE}') },
  BUILD_ARGS: { use: 'the Tekton Task\'s array of extra --build-arg items' },
  EXTRA_ARGS: { use: 'the Tekton Task\'s array of extra kimia flags' },
  VERIFY: { use: 'whether the Tekton Pipeline verifies the signature after the build' },
  REGISTRY_SECRET: { use: 'the name of the registry credentials Secret the Argo template mounts' },
  IMAGES: { use: 'the per-platform images the Argo index step joins' },
  IMAGE_REF: { use: 'the image the Argo sign and verify steps sign and check' },
  IMAGE_DIGEST: { use: 'the digest the Argo steps pass on after the build' },
  GIT_URL: { use: 'the repository the Tekton Pipeline and the Argo template clone a local context from', refusedFor: local },
  GIT_REVISION: { use: 'the revision the Tekton Pipeline and the Argo template clone a local context at', refusedFor: local },
  GIT_SECRET: { use: 'the credentials Secret the Argo template clones a local context with', refusedFor: local },
  SOURCE_DATE_EPOCH: { use: 'the commit time the Tekton and Argo steps read from the source (reproducible.sourceDateEpoch: {fromGit: true})', refusedFor: (s) => typeof s.reproducible?.sourceDateEpoch === 'object' },
  GIT_IMAGE: { use: 'the image the Tekton Task reads the commit time with (tekton.gitImage)', refusedFor: (s) => s.tekton.gitImage !== undefined },
  [PLATFORM_PARAMS.platform]: { use: 'the platform of each per-platform build of the multi-arch fan-out', refusedFor: fanOut },
  [PLATFORM_PARAMS.slug]: { use: 'the tag suffix of each per-platform image of the multi-arch fan-out', refusedFor: fanOut },
  [PLATFORM_PARAMS.arch]: { use: 'the node architecture of each per-platform build of the multi-arch fan-out', refusedFor: fanOut },
  [GIT_COMMIT_PARAM]: { use: 'the commit resolved once before the multi-arch fan-out, which every platform builds', refusedFor: fanOut },
};

/** True when `spec` may not declare a param named `name` (an engine param refused for this build). */
export function isEngineParamFor(name: string, spec: BuildSpec): boolean {
  return Object.hasOwn(ENGINE_PARAMS, name) && (ENGINE_PARAMS[name].refusedFor?.(spec) ?? true);
}

/** The engine params a build declares a param of its own for, with what each is for. */
export function engineParamClashes(spec: BuildSpec): Array<{ name: string; use: string }> {
  return Object.keys(spec.params).filter((n) => isEngineParamFor(n, spec)).map((name) => ({ name, use: ENGINE_PARAMS[name].use }));
}

/** Where the engines take the builder image from at run time. */
export interface BuilderImageSource {
  /** The image as a template: `builderImage` when it references the build's params, else `${BUILDER_IMAGE}`. */
  readonly template: string;
  /** The params the image is made of, in order of use (BUILDER_IMAGE when the engine declares it). */
  readonly params: readonly string[];
  /** True when the engine declares BUILDER_IMAGE itself, defaulting to the pinned builder image (pod.ts builderImage). */
  readonly declaresBuilderImage: boolean;
}

/**
 * The one answer to "which params is the builder image made of" for every engine and helper step
 * (the build, the commit-time and revision steps, sign): the build's own params when builderImage
 * references any, else the BUILDER_IMAGE param the engine declares.
 */
export function builderImageSource(spec: BuildSpec): BuilderImageSource {
  const own = spec.builderImage !== undefined && hasParams(spec.builderImage);
  const template = own ? spec.builderImage! : '${BUILDER_IMAGE}';
  return { template, params: paramsIn(template), declaresBuilderImage: !own };
}
