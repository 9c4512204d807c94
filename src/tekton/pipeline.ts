/**
 * KimiaBuildPipeline: clone (catalog git-clone by hub resolver), kimia build, optional cosign verify.
 */
import { Construct } from 'constructs';
import {
  Pipeline, type PipelineSpecParams, type PipelineSpecTasks, type PipelineSpecWorkspaces,
} from '../../imports/tekton-pipeline-tekton.dev';
import {
  compareVersions, builderImageSource, cosignCommand, gitCloneBundle,
  containerText, cosignVerifyArgs, helperDockerConfig, helperRegistryMaterial, helperSecurityContext, INDEX_SCRIPT, indexInsecureEnv,
  GIT_COMMIT_PARAM, KIMIA_GID, KIMIA_UID, podVolumes, resolvesRevision, REVISION_SCRIPT, revisionRef, PUBLIC_KEY_FILE, SIGN_SCRIPT, signEnv, signerMaterial, signScriptArgs, verifierMaterial, volumeMounts,
  PLATFORM_PARAMS, platformTargets, type BuildSpec,
} from '../spec';
import { KimiaBuildTask, RESULTS, tektonParam } from './task';
import { catalogMetadata, tektonOptions } from './catalog';

export interface KimiaBuildPipelineProps {
  /** The Task the Pipeline runs: by the bundles resolver at the Task's version when `tekton.bundleRepository` is set, else by name (install it first). */
  readonly task: KimiaBuildTask;
  /**
   * The Pipeline's own version (its `app.kubernetes.io/version` label), where it is not the Task's.
   * @default the Task's spec version
   */
  readonly version?: string;
}

/** Names of the Pipeline's own params and workspace. */
export const PIPELINE = { gitUrl: 'GIT_URL', gitRevision: 'GIT_REVISION', verify: 'VERIFY', shared: 'shared' } as const;

/**
 * A `tekton.dev/v1` Pipeline around a {@link KimiaBuildTask}:
 * - `clone`: git-clone from tektoncd-catalog/git-clone (bundles resolver, release from the spec)
 *   into the shared workspace, when the build uses a local context;
 * - `build`: the kimia Task, with CHAINS-GIT_URL/COMMIT from the clone for provenance;
 * - `verify`: `cosign verify` of the pushed digest, when the build signs.
 * The build's IMAGE_URL and IMAGE_DIGEST are surfaced as Pipeline results.
 */
export class KimiaBuildPipeline extends Construct {
  readonly pipeline: Pipeline;
  /** The build spec at the Pipeline's version. */
  readonly spec: BuildSpec;

  constructor(scope: Construct, id: string, props: KimiaBuildPipelineProps) {
    super(scope, id);
    const { interface: iface } = props.task;
    const taskSpec = props.task.spec;
    const spec = props.version === undefined || props.version === taskSpec.version ? taskSpec : { ...taskSpec, version: props.version };
    this.spec = spec;
    const o = tektonOptions(spec);
    const clones = iface.workspaces.some((w) => w.name === 'source');
    // Multi-arch: a matrix over the platforms feeds an index task (and a recursive sign).
    const targets = platformTargets(spec);
    const fanOut = targets.length > 0;
    // Stryker disable next-line ArrayDeclaration: equivalent, param names match ^[A-Z][A-Z0-9_]*$ (schema), so no param is named like a placeholder entry
    const perPlatform = new Set<string>(fanOut ? Object.values(PLATFORM_PARAMS) : []);

    // Cloning: the commit time is the clone's committer-date result, not a Pipeline param (every
    // git-clone release with a bundle has it: tektoncd-catalog/git-clone v1.0.1+ task/git-clone/git-clone.yaml).
    const cloneDate = clones;
    const fromClone = (name: string) => clones && (name.startsWith('CHAINS-') || (cloneDate && name === RESULTS.epoch));
    // Stryker disable next-line ArrayDeclaration: equivalent, param names match ^[A-Z][A-Z0-9_]*$ (schema), so no param is named like a placeholder entry
    const resolved = new Set<string>(resolvesRevision(spec) ? [GIT_COMMIT_PARAM, 'CHAINS-GIT_URL', 'CHAINS-GIT_COMMIT'] : []);
    const params: PipelineSpecParams[] = iface.params
      .filter((p) => !fromClone(p.name) && !perPlatform.has(p.name) && !resolved.has(p.name))
      .map((p) => ({ name: p.name, type: p.type, description: p.description, default: p.default }));
    if (clones) {
      params.unshift(
        { name: PIPELINE.gitUrl, type: 'string', description: 'Git URL to clone.' },
        { name: PIPELINE.gitRevision, type: 'string', description: 'Branch, tag or commit to clone.', default: 'main' },
      );
    }
    const workspaces: PipelineSpecWorkspaces[] = [];
    if (clones) workspaces.push({ name: PIPELINE.shared, description: 'Holds the cloned source for the build (a PVC or volumeClaimTemplate).' });
    for (const w of iface.workspaces) {
      if (w.name !== 'source') workspaces.push({ name: w.name, description: w.description, ...(w.optional ? { optional: true } : {}) });
    }
    // The helpers' registry credentials when the spec names no Secret (helperAccess).
    const dockerconfig = workspaces.map((w) => w.name).includes('dockerconfig');
    // signing.in: chains: Tekton Chains signs after the TaskRun; no key in any pod, nothing to verify yet.
    const keySigns = !!spec.signing && spec.signing.in !== 'chains';

    const tasks: PipelineSpecTasks[] = [];
    if (clones) {
      tasks.push({
        name: 'clone',
        // git-clone from its maintained home by the bundles resolver, pinned to a release
        // (images.ts GIT_CLONE_BUNDLE_REPOSITORY; the hub's tekton-catalog-tasks git-clone 0.9 is v1beta1, deprecated).
        taskRef: {
          resolver: 'bundles',
          params: [
            { name: 'bundle', value: gitCloneBundle(o.gitCloneVersion) },
            { name: 'name', value: 'git-clone' },
            { name: 'kind', value: 'task' },
          ],
        },
        params: [
          { name: 'url', value: `$(params.${PIPELINE.gitUrl})` },
          { name: 'revision', value: `$(params.${PIPELINE.gitRevision})` },
        ],
        workspaces: [{ name: 'output', workspace: PIPELINE.shared }],
      });
    }
    // A git context kimia clones itself: the commit is resolved once, so every platform builds it
    // and Chains records it (platforms.ts resolvesRevision).
    const resolve = resolvesRevision(spec) && 'git' in spec.context ? spec.context.git : undefined;
    const passThrough = iface.params.filter((p) => !perPlatform.has(p.name)).map((p) => {
      if (resolve && p.name === GIT_COMMIT_PARAM) return { name: p.name, value: `$(tasks.${REVISION_TASK}.results.${GIT_COMMIT_PARAM})` };
      if (resolve && p.name === 'CHAINS-GIT_COMMIT') return { name: p.name, value: `$(tasks.${REVISION_TASK}.results.${GIT_COMMIT_PARAM})` };
      if (resolve && p.name === 'CHAINS-GIT_URL') return { name: p.name, value: tektonParam(containerText(resolve.url)) };
      if (clones && p.name === 'CHAINS-GIT_URL') return { name: p.name, value: '$(tasks.clone.results.url)' };
      if (clones && p.name === 'CHAINS-GIT_COMMIT') return { name: p.name, value: '$(tasks.clone.results.commit)' };
      // The Task's epoch step then only checks and records it: no second git run.
      if (cloneDate && p.name === RESULTS.epoch) return { name: p.name, value: '$(tasks.clone.results.committer-date)' };
      return { name: p.name, value: p.type === 'array' ? [`$(params.${p.name}[*])`] : `$(params.${p.name})` };
    });
    if (resolve) tasks.push(revisionTask(spec, params, resolve.url));
    tasks.push({
      name: 'build',
      ...(clones ? { runAfter: ['clone'] } : resolve ? { runAfter: [REVISION_TASK] } : {}),
      // Its own Task at the same version: from the bundle repository when the spec names one
      // (bundles resolver), else by name from the namespace (install the Task of the same version first).
      taskRef: taskBundleRef(taskSpec) ?? { name: spec.name, kind: 'Task' },
      params: passThrough,
      ...(fanOut
        ? {
            matrix: {
              include: targets.map((t) => ({
                name: t.slug,
                params: [
                  { name: PLATFORM_PARAMS.platform, value: t.platform },
                  { name: PLATFORM_PARAMS.slug, value: t.slug },
                  { name: PLATFORM_PARAMS.arch, value: t.arch },
                ],
              })),
            },
          }
        : {}),
      workspaces: iface.workspaces.map((w) => ({ name: w.name, workspace: w.name === 'source' ? PIPELINE.shared : w.name })),
    });
    const hasResults = iface.results.some((r) => r.name === RESULTS.digest);
    // What later tasks read the pushed image from: the build, or in a fan-out the index.
    let imageTask = 'build';
    let imageRef = `$(tasks.build.results.${RESULTS.url})@$(tasks.build.results.${RESULTS.digest})`;
    let lastTask = 'build';
    if (fanOut) {
      tasks.push(indexTask(spec, params, dockerconfig, o.craneImage));
      imageTask = 'index';
      // The index as tagged plus its digest (IMAGE_URL carries no digest: Chains joins the two).
      imageRef = `$(tasks.index.results.${RESULTS.url})@$(tasks.index.results.${RESULTS.digest})`;
      // Stryker disable next-line StringLiteral: equivalent, lastTask is read only by verify, which needs keySigns, and then the sign task below replaces it
      lastTask = 'index';
      if (keySigns) {
        tasks.push(signTask(spec, params, dockerconfig));
        lastTask = 'sign';
      }
    }
    // Stryker disable next-line ConditionalExpression: equivalent, key signing needs a pushed BuildKit image without tarPath (rules.ts), so the Task has results then
    if (keySigns && o.verify && (hasResults || fanOut)) {
      params.push({ name: PIPELINE.verify, type: 'string', description: 'Verify the signature of the pushed image with the public key of signing.publicKey ("true" or "false").', default: 'true' });
      const m = verifierMaterial(spec)!;
      const access = helperAccess(spec, dockerconfig);
      tasks.push({
        name: 'verify',
        runAfter: [lastTask],
        when: [{ input: `$(params.${PIPELINE.verify})`, operator: 'in', values: ['true'] }],
        params: [{ name: 'IMAGE_REF', value: imageRef }],
        ...access.binding,
        taskSpec: {
          params: [{ name: 'IMAGE_REF', type: 'string', description: 'The pushed image, by digest.' }],
          ...access.declaration,
          steps: [{
            name: 'cosign-verify',
            image: o.cosignImage,
            // cosign from the pinned kimia image (HOME writable for uid 1000), else the image's entrypoint.
            ...(cosignCommand(o.cosignImage) ? { command: cosignCommand(o.cosignImage) } : {}),
            args: cosignVerifyArgs(spec, PUBLIC_KEY_FILE, '$(params.IMAGE_REF)'),
            env: [...m.env, ...access.env],
            volumeMounts: volumeMounts(m.volumes),
            securityContext: helperSecurityContext(),
          }],
          volumes: podVolumes(m.volumes),
        },
      });
    }

    const meta = catalogMetadata(spec, 'pipeline');
    // Matrix results as arrays (TEP-0140) and $(params.ARCH) in taskRunSpecs pod templates (pipeline#8599).
    if (fanOut && compareVersions(meta.metadata.annotations['tekton.dev/pipelines.minVersion'], MATRIX_MIN_VERSION) < 0) {
      meta.metadata.annotations['tekton.dev/pipelines.minVersion'] = MATRIX_MIN_VERSION;
    }
    this.pipeline = new Pipeline(this, 'Pipeline', {
      metadata: meta.metadata,
      spec: {
        description: meta.description,
        params,
        workspaces,
        tasks,
        ...(hasResults || fanOut
          ? {
              results: [
                { name: RESULTS.url, type: 'string', description: fanOut ? 'The image index as tagged (repository:tag); Tekton Chains signs IMAGE_URL@IMAGE_DIGEST.' : 'The pushed image (repository:tag).', value: `$(tasks.${imageTask}.results.${RESULTS.url})` },
                { name: RESULTS.digest, type: 'string', description: fanOut ? 'Digest of the image index.' : 'Digest of the pushed image.', value: `$(tasks.${imageTask}.results.${RESULTS.digest})` },
                ...(fanOut ? [{ name: RESULTS.images, type: 'string', description: 'The index and every platform image, by digest.', value: `$(tasks.index.results.${RESULTS.images})` }] : []),
              ],
            }
          : {}),
      },
    });
  }
}

/** The bundles-resolver reference of the build's Task (`<bundleRepository>/tasks/<name>:<version>`), when the spec names a bundle repository. */
export function taskBundleRef(spec: BuildSpec) {
  const repo = spec.tekton.bundleRepository;
  if (!repo) return undefined;
  return {
    resolver: 'bundles',
    params: [
      { name: 'bundle', value: `${repo}/tasks/${spec.name}:${spec.version}` },
      { name: 'name', value: spec.name },
      { name: 'kind', value: 'task' },
    ],
  };
}

/** Where the Task and Pipeline bundles of a build are pushed (README, push instructions): the Pipeline at the spec's version, the Task at `taskVersion`. */
export function bundleRefs(spec: BuildSpec, taskVersion = spec.version): { task: string; pipeline: string } | undefined {
  const repo = spec.tekton.bundleRepository;
  return repo ? { task: `${repo}/tasks/${spec.name}:${taskVersion}`, pipeline: `${repo}/pipelines/${spec.name}:${spec.version}` } : undefined;
}

/**
 * The first Tekton release a multi-arch Pipeline works on: matrixed results consumed as arrays
 * (TEP-0140) and per-combination params in `taskRunSpecs` pod templates (tektoncd/pipeline#8599, v1.3).
 */
export const MATRIX_MIN_VERSION = '1.3.0';

/** Name of the task that resolves the commit of a multi-arch git build. */
export const REVISION_TASK = 'revision';

/** Revision task: `git ls-remote` in the builder image, once, before the fan-out (REVISION_SCRIPT). */
function revisionTask(spec: BuildSpec, pipelineParams: readonly PipelineSpecParams[], url: string): PipelineSpecTasks {
  const git = 'git' in spec.context ? spec.context.git : undefined;
  // Stryker disable next-line StringLiteral: equivalent, the fallback is only searched for ${NAME} references and a placeholder holds none
  const { image, used } = builderImageFor(spec, pipelineParams, [url, git?.branch ?? '']);
  const passed = passedParams(used);
  return {
    name: REVISION_TASK,
    params: passed.params,
    taskSpec: {
      params: passed.declared,
      results: [{ name: GIT_COMMIT_PARAM, type: 'string', description: 'The commit every platform builds.' }],
      steps: [{
        name: 'resolve',
        image,
        script: REVISION_SCRIPT,
        env: [
          { name: 'GIT_URL', value: tektonParam(containerText(url)) },
          { name: 'GIT_REF', value: tektonParam(containerText(revisionRef(spec))) },
          { name: 'COMMIT_FILE', value: `$(results.${GIT_COMMIT_PARAM}.path)` },
        ],
        securityContext: { ...helperSecurityContext(), runAsGroup: KIMIA_GID, runAsUser: KIMIA_UID },
      }],
    },
  };
}

/** Index task: crane assembles the per-platform images (by digest) into an index on the destinations. */
function indexTask(spec: BuildSpec, pipelineParams: readonly PipelineSpecParams[], dockerconfig: boolean, image: string): PipelineSpecTasks {
  const passed = passedParams(pipelineParams.filter((p) => spec.destinations.some((d) => d.includes(`\${${p.name}}`))));
  const m = helperRegistryMaterial(spec);
  const access = helperAccess(spec, dockerconfig);
  return {
    name: 'index',
    runAfter: ['build'],
    params: [...passed.params, { name: 'IMAGES', value: [`$(tasks.build.results.${RESULTS.images}[*])`] }],
    ...access.binding,
    taskSpec: {
      params: [...passed.declared, { name: 'IMAGES', type: 'array', description: 'The per-platform images by digest.' }],
      ...access.declaration,
      results: [
        { name: RESULTS.url, type: 'string', description: 'The image index as tagged (repository:tag), without its digest.' },
        { name: RESULTS.digest, type: 'string', description: 'Digest of the image index.' },
        { name: RESULTS.images, type: 'string', description: 'The index and every platform image manifest in it (no attestation manifests), by digest, one per line.' },
      ],
      steps: [{
        name: 'index',
        image,
        script: INDEX_SCRIPT,
        args: ['$(params.IMAGES[*])'],
        env: [
          { name: 'TARGET', value: tektonParam(containerText(spec.destinations[0])) },
          { name: 'EXTRA_DESTINATIONS', value: spec.destinations.slice(1).map((d) => tektonParam(containerText(d))).join('\n') },
          { name: 'URL_FILE', value: `$(results.${RESULTS.url}.path)` },
          { name: 'DIGEST_FILE', value: `$(results.${RESULTS.digest}.path)` },
          { name: 'IMAGES_FILE', value: `$(results.${RESULTS.images}.path)` },
          ...indexInsecureEnv(spec),
          ...m.env,
          ...access.env,
        ],
        ...(m.volumes.length ? { volumeMounts: volumeMounts(m.volumes) } : {}),
        securityContext: helperSecurityContext(),
      }],
      ...(m.volumes.length ? { volumes: podVolumes(m.volumes) } : {}),
    },
  };
}

/**
 * Sign task: the builder image's cosign signs the index and every platform manifest, by the
 * index digest (SIGN_SCRIPT with --recursive), once per destination repository, with the key and
 * password of the sign material (signerMaterial), as the Task's own sign step does.
 */
function signTask(spec: BuildSpec, pipelineParams: readonly PipelineSpecParams[], dockerconfig: boolean): PipelineSpecTasks {
  const { image, used } = builderImageFor(spec, pipelineParams, spec.destinations);
  const passed = passedParams(used);
  const m = signerMaterial(spec);
  const access = helperAccess(spec, dockerconfig);
  return {
    name: 'sign',
    runAfter: ['index'],
    params: [...passed.params, { name: 'IMAGE_DIGEST', value: `$(tasks.index.results.${RESULTS.digest})` }],
    ...access.binding,
    taskSpec: {
      params: [...passed.declared, { name: 'IMAGE_DIGEST', type: 'string', description: 'The index digest.' }],
      ...access.declaration,
      steps: [{
        name: 'cosign-sign',
        image,
        script: SIGN_SCRIPT,
        args: signScriptArgs(spec, spec.destinations.map((d) => tektonParam(containerText(d))), { recursive: true }),
        env: [...signEnv(spec, { value: '$(params.IMAGE_DIGEST)' }), ...access.env],
        volumeMounts: volumeMounts(m.volumes),
        securityContext: { ...helperSecurityContext(), runAsGroup: KIMIA_GID, runAsUser: KIMIA_UID },
      }],
      volumes: podVolumes(m.volumes),
    },
  };
}

/**
 * The image of a helper task that runs the builder image (sign, revision): the Task's BUILDER_IMAGE
 * param, or the spec's templated image; and the Pipeline params that image and `values` use.
 */
function builderImageFor(spec: BuildSpec, pipelineParams: readonly PipelineSpecParams[], values: readonly string[]) {
  const source = builderImageSource(spec);
  const used = pipelineParams.filter((p) => source.params.includes(p.name) || values.some((v) => v.includes(`\${${p.name}}`)));
  return { image: tektonParam(source.template), used };
}

/** Pipeline params a helper task uses: passed on by name, and declared in its taskSpec with their description and default. */
function passedParams(used: readonly PipelineSpecParams[]) {
  return {
    params: used.map((p) => ({ name: p.name, value: `$(params.${p.name})` })),
    declared: used.map((p) => ({ name: p.name, type: 'string', description: p.description, default: p.default })),
  };
}

/**
 * The one registry-credentials policy of the Pipeline's helper tasks (index, sign, verify): the
 * spec's dockerconfigjson Secret comes in their material (helperRegistryMaterial, signerMaterial,
 * verifierMaterial); without it, the optional dockerconfig workspace, bound and pointed at by
 * DOCKER_CONFIG.
 */
function helperAccess(spec: BuildSpec, dockerconfig: boolean) {
  // Stryker disable next-line LogicalOperator: equivalent, dockerconfig (the Task's dockerconfig workspace, task.ts) is true exactly when helperDockerConfig(spec) is undefined
  const viaWorkspace = !helperDockerConfig(spec) && dockerconfig;
  return {
    binding: viaWorkspace ? { workspaces: [{ name: 'dockerconfig', workspace: 'dockerconfig' }] } : {},
    declaration: viaWorkspace ? { workspaces: [{ name: 'dockerconfig', optional: true, readOnly: true, description: 'Registry credentials (config.json).' }] } : {},
    env: viaWorkspace ? [{ name: 'DOCKER_CONFIG', value: '$(workspaces.dockerconfig.path)' }] : [],
  };
}
