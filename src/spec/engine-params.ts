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
  /** True when the engines declare it for this build. */
  readonly declaredFor: (spec: BuildSpec) => boolean;
}

/** `declaredFor` of the params every Tekton or Argo rendering declares (the JSON Schema refuses these names outright). */
export const alwaysDeclared = (): boolean => true;
const always = alwaysDeclared;
const fanOut = (spec: BuildSpec) => (spec.platforms ?? []).length > 0;
const local = (spec: BuildSpec) => 'local' in spec.context;

/** Param name -> what the engine declaring it uses it for. */
export const ENGINE_PARAMS: Readonly<Record<string, EngineParam>> = {
  // Declared unless builderImage is made of the build's own params: declaring BUILDER_IMAGE yourself and
  // setting builderImage: ${BUILDER_IMAGE} is the same param (tekton/task.ts, argo/template.ts).
  BUILDER_IMAGE: { use: 'the builder image of the Tekton Task and the Argo template (declare it yourself only to use it in builderImage)', declaredFor: (s) => !s.builderImage?.includes('${BUILDER_IMAGE}') },
  BUILD_ARGS: { use: 'the Tekton Task\'s array of extra --build-arg items', declaredFor: always },
  EXTRA_ARGS: { use: 'the Tekton Task\'s array of extra kimia flags', declaredFor: always },
  VERIFY: { use: 'whether the Tekton Pipeline verifies the signature after the build', declaredFor: always },
  REGISTRY_SECRET: { use: 'the name of the registry credentials Secret the Argo template mounts', declaredFor: always },
  IMAGES: { use: 'the per-platform images the Argo index step joins', declaredFor: always },
  IMAGE_REF: { use: 'the image the Argo sign and verify steps sign and check', declaredFor: always },
  IMAGE_DIGEST: { use: 'the digest the Argo steps pass on after the build', declaredFor: always },
  GIT_URL: { use: 'the repository the Tekton Pipeline and the Argo template clone a local context from', declaredFor: local },
  GIT_REVISION: { use: 'the revision the Tekton Pipeline and the Argo template clone a local context at', declaredFor: local },
  GIT_SECRET: { use: 'the credentials Secret the Argo template clones a local context with', declaredFor: local },
  SOURCE_DATE_EPOCH: { use: 'the commit time the Tekton and Argo steps read from the source (reproducible.sourceDateEpoch: {fromGit: true})', declaredFor: (s) => typeof s.reproducible?.sourceDateEpoch === 'object' },
  GIT_IMAGE: { use: 'the image the Tekton Task reads the commit time with (tekton.gitImage)', declaredFor: (s) => s.tekton.gitImage !== undefined },
  [PLATFORM_PARAMS.platform]: { use: 'the platform of each per-platform build of the multi-arch fan-out', declaredFor: fanOut },
  [PLATFORM_PARAMS.slug]: { use: 'the tag suffix of each per-platform image of the multi-arch fan-out', declaredFor: fanOut },
  [PLATFORM_PARAMS.arch]: { use: 'the node architecture of each per-platform build of the multi-arch fan-out', declaredFor: fanOut },
  [GIT_COMMIT_PARAM]: { use: 'the commit resolved once before the multi-arch fan-out, which every platform builds', declaredFor: fanOut },
};

/** The engine params a build declares a param of its own for, with what each is for. */
export function engineParamClashes(spec: BuildSpec): Array<{ name: string; use: string }> {
  return Object.keys(spec.params).filter((n) => Object.hasOwn(ENGINE_PARAMS, n) && ENGINE_PARAMS[n].declaredFor(spec)).map((name) => ({ name, use: ENGINE_PARAMS[name].use }));
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
