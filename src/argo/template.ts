/**
 * KimiaWorkflowTemplate: a kimia build as an Argo WorkflowTemplate (or ClusterWorkflowTemplate).
 * A thin renderer over the spec's pieces; runtime params become template inputs.
 */
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  WorkflowTemplate, WorkflowTemplateSpecPodGcStrategy, WorkflowTemplateSpecTemplatesActiveDeadlineSeconds, WorkflowTemplateSpecTemplatesRetryStrategyRetryPolicy, WorkflowTemplateSpecTemplatesContainerResourcesLimits,
  WorkflowTemplateSpecTemplatesContainerResourcesRequests, WorkflowTemplateSpecTemplatesRetryStrategyLimit, WorkflowTemplateSpecTemplatesRetryStrategyBackoffFactor,
  type WorkflowTemplateSpecTemplatesRetryStrategy,
  type WorkflowTemplateSpec, type WorkflowTemplateSpecTemplates,
} from '../../imports/argo-workflowtemplate-argoproj.io';
import { ClusterWorkflowTemplate, type ClusterWorkflowTemplateSpec } from '../../imports/argo-clusterworkflowtemplate-argoproj.io';
import {
  builderImageSource, cosignCommand,
  builderImage, containerSecurityContext, containerText, HELPER_DOCKER_CONFIG_DIR, helperDockerConfig, INDEX_SCRIPT, indexInsecureEnv, perPlatformSpec, PLATFORM_PARAMS, platformTargets, cosignVerifyArgs, helperSecurityContext, PUBLIC_KEY_FILE, verifiable, KIMIA_GID, kimiaArgs, kimiaEnv, kimiaResources,
  digestFiles, kimiaVolumes, parseBuildSpec, podVolumes, publishesDigest, pushesImage, renderTemplate, resourceQuantities, sourceDateEpoch, volumeMounts,
  GIT_COMMIT_PARAM, resolvesRevision, REVISION_SCRIPT, revisionRef,
  isolatedSigns, signCommand, signEnv, signerMaterial, signScriptArgs, verifierMaterial,
  type BuildSpec, type BuildSpecInput,
} from '../spec';
import { Registry } from '../spec/schema';
import { EPOCH_SOURCE } from './scripts';
import { argoMetadata, argoOptions } from './catalog';

/** `${NAME}` -> `{{inputs.parameters.NAME}}` (inside a leaf template). */
export const argoInput = (value: string) => renderTemplate(value, (n) => `{{inputs.parameters.${n}}}`);

/** Template, parameter and output names. */
export const ARGO = {
  entrypoint: 'main',
  build: 'build',
  epoch: 'source-date-epoch',
  revision: 'revision',
  verify: 'verify',
  index: 'index',
  sign: 'sign',
  container: 'main',
  digest: 'IMAGE_DIGEST',
  url: 'IMAGE_URL',
  epochParam: 'SOURCE_DATE_EPOCH',
  commit: 'GIT_COMMIT',
  gitUrl: 'GIT_URL',
  gitRevision: 'GIT_REVISION',
  builderImage: 'BUILDER_IMAGE',
  registrySecret: 'REGISTRY_SECRET',
  gitSecret: 'GIT_SECRET',
  /** REGISTRY_SECRET's default when the spec names no registry.credentialsSecret: the name every example uses. */
  registrySecretDefault: 'registry-credentials',
  /** activeDeadlineSeconds of every helper (source-date-epoch, index, sign, verify): a pod stuck Pending fails the step. */
  helperDeadlineSeconds: 900,
  // Directly in /tmp: kimia writes these files but does not create directories.
  digestPath: '/tmp/kimia-digest',
  urlPath: '/tmp/kimia-image',
} as const;

export interface KimiaWorkflowTemplateProps {
  /** The build spec (parsed or as written). */
  readonly spec: BuildSpec | BuildSpecInput;
}

interface Param { readonly name: string; readonly description: string; readonly default?: string; readonly enum?: readonly string[] }

/**
 * An Argo WorkflowTemplate (ClusterWorkflowTemplate with `argo.clusterScope`) for one kimia build.
 *
 * - `build`: a leaf template that works when called by `templateRef`: only
 *   `{{inputs.parameters.*}}`, its own volumes, `command` set to kimia, kimia's security
 *   context on the container, outputs IMAGE_DIGEST/IMAGE_URL from kimia's digest files (the
 *   spec's when it names them) when the build pushes a BuildKit image.
 * - `source-date-epoch` (when SOURCE_DATE_EPOCH comes from git): reads the last commit time
 *   of the checked-out source in a step before the build.
 * - `main`: a DAG that maps `{{workflow.parameters.*}}` onto the leaves, for `argo submit --from`.
 */
export class KimiaWorkflowTemplate extends Construct {
  readonly spec: BuildSpec;
  /**
   * The WorkflowTemplate (ClusterWorkflowTemplate with `argo.clusterScope`), typed as its cdk8s
   * `ApiObject` so the public declarations do not pull in the 4.6 MB Argo imports: patch it with
   * `template.addJsonPatch(...)` or `ApiObject.of(template)`, read it with `toJson()`.
   */
  readonly template: ApiObject;
  /** The workflow-level parameters (name, description, default). */
  readonly parameters: readonly Param[];

  constructor(scope: Construct, id: string, props: KimiaWorkflowTemplateProps) {
    super(scope, id);
    const spec = parseBuildSpec(props.spec);
    this.spec = spec;
    const o = argoOptions(spec);
    const epoch = sourceDateEpoch(spec);
    const local = 'local' in spec.context ? spec.context.local : undefined;
    // Digest outputs only for a pushed kimia (BuildKit) image (pod.ts unpublishedDigestReason).
    const publishes = publishesDigest(spec);

    // Parameters of the build leaf, in order: the spec's, the builder image, the source.
    const params: Param[] = Object.entries(spec.params).map(([name, p]) => ({
      // A `default` or `enum` of undefined is dropped when the chart is serialized, as in every list below.
      name, description: p.description, default: p.default, enum: p.enum,
    }));
    // The spec refuses a build param with any name pushed below (spec/engine-params.ts), so none is declared twice.
    // A builder image made of the build's own parameters is passed as they are; else BUILDER_IMAGE is declared.
    const source = builderImageSource(spec);
    const image = argoInput(source.template);
    if (source.declaresBuilderImage) params.push({ name: ARGO.builderImage, description: 'The kimia builder image, pinned.', default: builderImage(spec) });
    if (local) {
      params.push({ name: ARGO.gitUrl, description: 'Git URL of the source to build.' });
      params.push({ name: ARGO.gitRevision, description: 'Branch, tag or commit to build.', default: 'main' });
      if (o.gitCredentialsSecret) {
        params.push({ name: ARGO.gitSecret, description: 'kubernetes.io/basic-auth Secret (keys username and password) the source is cloned with. It must exist.', default: o.gitCredentialsSecret });
      }
    }
    // Registry credentials by name: a template input, so a caller picks the Secret at submit time.
    // Argo substitutes inputs into the whole template JSON, volumes included
    // (argo-workflows v4.1.2 workflow/common/util.go:273-280 SubstituteParams marshals the template).
    const registry = pushesImage(spec) || !!spec.registry?.credentialsSecret;
    if (registry) {
      params.push({
        name: ARGO.registrySecret,
        description: 'kubernetes.io/dockerconfigjson Secret with the registry credentials, mounted read-only in the build, index, sign and verify steps. It must exist.',
        default: spec.registry?.credentialsSecret ?? ARGO.registrySecretDefault,
      });
    }
    /** The parameters the builder image is made of: BUILDER_IMAGE, or the build's own in spec.builderImage (params is complete here). */
    const imageParams = params.filter((p) => source.params.includes(p.name));
    /** The spec with its credentials Secret named by the REGISTRY_SECRET input: the spec's own volumes, bound to that name. */
    const bind = (s: BuildSpec): BuildSpec => (registry ? { ...s, registry: { ...(s.registry ?? Registry.parse({})), credentialsSecret: `{{inputs.parameters.${ARGO.registrySecret}}}` } } : s);
    const buildInputs: Param[] = [...params];
    if (epoch.kind === 'git') buildInputs.push({ name: ARGO.epochParam, description: 'SOURCE_DATE_EPOCH: the last commit time of the source.' });
    // Multi-arch: the build leaf is the per-platform template over PLATFORM/PLATFORM_TAG/ARCH.
    const targets = platformTargets(spec);
    const fanOut = targets.length > 0;
    // A multi-arch git build kimia clones itself: the commit is resolved once before the fan-out, so every
    // platform builds it (platforms.ts resolvesRevision), and each build gets it as GIT_COMMIT.
    const pinned = resolvesRevision(spec) && 'git' in spec.context ? spec.context.git : undefined; // resolvesRevision implies a fan-out and a git context; `in` narrows the type
    const b = bind(fanOut ? perPlatformSpec(spec, { pinRevision: true }) : spec);
    if (fanOut) {
      for (const name of [...Object.values(PLATFORM_PARAMS), ...(pinned ? [GIT_COMMIT_PARAM] : [])]) buildInputs.push({ name, description: b.params[name].description });
    }

    const inputParams = (list: readonly Param[]) => list.map((p) => ({ name: p.name, description: p.description, default: p.default }));
    const gitArtifact = (path: string) => ({
      name: 'source',
      path,
      // depth applies to the clone only; the revision is then fetched from refs/heads/* without a depth and resolved,
      // so a commit below a branch tip still checks out (v4.1.2 workflow/artifacts/git/git.go:117-122, 172-188).
      git: {
        repo: `{{inputs.parameters.${ARGO.gitUrl}}}`, revision: `{{inputs.parameters.${ARGO.gitRevision}}}`, depth: 1,
        // Credentials by the GIT_SECRET input, as argo-hub's kaniko names its token Secret (codefresh-io/argo-hub
        // workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:27-34). The controller mounts the Secret for the init
        // container (workflowpod.go:2180-2183) and the executor reads both keys (workflow/artifacts/artifacts.go:173-186).
        ...(o.gitCredentialsSecret ? {
          usernameSecret: { name: `{{inputs.parameters.${ARGO.gitSecret}}}`, key: 'username' },
          passwordSecret: { name: `{{inputs.parameters.${ARGO.gitSecret}}}`, key: 'password' },
        } : {}),
      },
    });

    const env = kimiaEnv(b).map((e) => (e.value !== undefined ? { name: e.name, value: argoInput(e.value) } : { name: e.name, valueFrom: e.valueFrom }));
    if (epoch.kind === 'git') env.push({ name: 'SOURCE_DATE_EPOCH', value: `{{inputs.parameters.${ARGO.epochParam}}}` });
    const vols = kimiaVolumes(b).filter((v) => v.role !== 'source');
    // An archive on the container's emptyDir leaves the pod as an output artifact (a claim keeps it as it is).
    const archived = vols.find((v) => v.role === 'archive' && 'emptyDir' in v.source) && b.tarPath;
    const args = kimiaArgs(b).map(argoInput);
    // The spec's digest files when it names them, else the template's own; none when nothing reads them.
    const files = publishes ? digestFiles(b, { digest: ARGO.digestPath, imageName: ARGO.urlPath }) : undefined;
    if (files) args.push(...files.flags);
    const resources = kimiaResources(spec);
    const output = (name: string, path: string) => ({
      name,
      // Per-platform builds share names: only the index's outputs are global.
      ...(fanOut ? {} : { globalName: name }),
      // A push must produce the file: a missing one fails the step.
      valueFrom: { path },
    });

    const build: WorkflowTemplateSpecTemplates = {
      name: ARGO.build,
      inputs: { parameters: inputParams(buildInputs), ...(local ? { artifacts: [gitArtifact(local.path)] } : {}) },
      ...(files || archived ? {
        outputs: {
          ...(files ? { parameters: [output(ARGO.digest, files.digest.path), output(ARGO.url, files.imageName!.path)] } : {}),
          // Already a tar: stored as it is (no tar.gz around it); needs the cluster's artifact repository.
          ...(archived ? { artifacts: [{ name: 'image-archive', path: archived, archive: { none: {} } }] } : {}),
        },
      } : {}),
      metadata: {
        labels: { app: spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' },
        // AppArmor for clusters before 1.30; the container's appArmorProfile covers 1.30+.
        annotations: { [`container.apparmor.security.beta.kubernetes.io/${ARGO.container}`]: 'unconfined' },
      },
      // Pod-level, so it also reaches Argo's own containers: only fsGroup (Secret files readable by GID 1000).
      securityContext: { fsGroup: KIMIA_GID },
      ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
      ...(fanOut
        ? { nodeSelector: { ...spec.nodeSelector, 'kubernetes.io/arch': `{{inputs.parameters.${PLATFORM_PARAMS.arch}}}` } }
        : Object.keys(spec.nodeSelector).length ? { nodeSelector: spec.nodeSelector } : {}),
      ...(spec.tolerations.length ? { tolerations: spec.tolerations } : {}),
      ...limits(o, o.activeDeadlineSeconds, true),
      ...(vols.length ? { volumes: podVolumes(vols) as WorkflowTemplateSpecTemplates['volumes'] } : {}),
      container: {
        name: ARGO.container,
        image,
        command: ['/usr/local/bin/kimia'],
        args,
        ...(env.length ? { env: env as never } : {}),
        ...(vols.length ? { volumeMounts: volumeMounts(vols) } : {}),
        securityContext: containerSecurityContext(spec) as never,
        resources: {
          ...(resources.requests ? { requests: resourceQuantities(resources.requests, WorkflowTemplateSpecTemplatesContainerResourcesRequests.fromString) } : {}),
          ...(resources.limits ? { limits: resourceQuantities(resources.limits, WorkflowTemplateSpecTemplatesContainerResourcesLimits.fromString) } : {}),
        },
      },
    };

    const templates: WorkflowTemplateSpecTemplates[] = [];
    // main declares every parameter as an input, so a templateRef caller's arguments reach it; `argo submit --from`
    // and workflowTemplateRef pass spec.arguments to the entrypoint (v4.1.2 workflow/controller/operator.go:422).
    const fromWorkflow = (list: readonly Param[]) => list.map((p) => ({ name: p.name, value: `{{inputs.parameters.${p.name}}}` }));
    const tasks: NonNullable<NonNullable<WorkflowTemplateSpecTemplates['dag']>['tasks']> = [];
    if (epoch.kind === 'git') {
      // The builder's own image (git 2.52, uid 1000, HOME writable: images.ts), by the same parameters as the
      // build (a BUILDER_IMAGE override or mirror covers both), unless argo.gitImage names another.
      const imageInputs = o.gitImage ? [] : imageParams;
      const epochInputs = params.filter((p) => p.name === ARGO.gitUrl || p.name === ARGO.gitRevision || p.name === ARGO.gitSecret || imageInputs.includes(p));
      templates.push({
        name: ARGO.epoch,
        inputs: { parameters: inputParams(epochInputs), artifacts: [gitArtifact('/src')] },
        outputs: {
          parameters: [
            { name: ARGO.epochParam, valueFrom: { path: '/tmp/source-date-epoch' } },
            { name: ARGO.commit, valueFrom: { path: '/tmp/git-commit' } },
          ],
        },
        securityContext: { fsGroup: KIMIA_GID },
        ...limits(o, ARGO.helperDeadlineSeconds),
        script: {
          image: o.gitImage ?? image,
          // Set explicitly (argo.md): no registry lookup of the entrypoint. kimia's /bin/sh is busybox ash.
          command: ['/bin/sh'],
          source: EPOCH_SOURCE,
          env: [
            { name: 'SOURCE_DIR', value: '/src' },
            { name: 'EPOCH_FILE', value: '/tmp/source-date-epoch' },
            { name: 'COMMIT_FILE', value: '/tmp/git-commit' },
          ],
          securityContext: helperSecurityContext(),
        },
      });
      tasks.push({ name: ARGO.epoch, template: ARGO.epoch, arguments: { parameters: fromWorkflow(epochInputs) } });
    }
    // The build task, kept by reference: a fan-out adds its items and per-platform arguments below.
    const buildTask: (typeof tasks)[number] & { arguments: { parameters: Array<{ name: string; value: string }> } } = epoch.kind === 'git'
      ? {
        name: ARGO.build,
        template: ARGO.build,
        depends: ARGO.epoch,
        arguments: {
          parameters: [
            ...fromWorkflow(params.filter((p) => p.name !== ARGO.gitRevision)),
            // Build exactly the commit whose time was read.
            { name: ARGO.gitRevision, value: `{{tasks.${ARGO.epoch}.outputs.parameters.${ARGO.commit}}}` },
            { name: ARGO.epochParam, value: `{{tasks.${ARGO.epoch}.outputs.parameters.${ARGO.epochParam}}}` },
          ],
        },
      }
      : { name: ARGO.build, template: ARGO.build, arguments: { parameters: fromWorkflow(params) } };
    tasks.push(buildTask);
    const after: WorkflowTemplateSpecTemplates[] = [];
    // The image to verify: the build's, or in a fan-out the signed index.
    let last: string = ARGO.build;
    if (fanOut) {
      if (pinned) {
        const revisionInputs = params.filter((p) => imageParams.includes(p) || [pinned.url, pinned.branch].some((v) => v?.includes(`\${${p.name}}`)));
        templates.push(revisionTemplate(spec, image, inputParams(revisionInputs), pinned.url, limits(o, ARGO.helperDeadlineSeconds)));
        tasks.unshift({ name: ARGO.revision, template: ARGO.revision, arguments: { parameters: fromWorkflow(revisionInputs) } });
      }
      Object.assign(buildTask, {
        ...(pinned ? { depends: ARGO.revision } : {}),
        withItems: targets.map((t) => ({ [PLATFORM_PARAMS.platform]: t.platform, [PLATFORM_PARAMS.slug]: t.slug, [PLATFORM_PARAMS.arch]: t.arch })),
        arguments: {
          parameters: [
            ...buildTask.arguments.parameters,
            ...Object.values(PLATFORM_PARAMS).map((n) => ({ name: n, value: `{{item.${n}}}` })),
            ...(pinned ? [{ name: GIT_COMMIT_PARAM, value: `{{tasks.${ARGO.revision}.outputs.parameters.${GIT_COMMIT_PARAM}}}` }] : []),
          ],
        },
      });
      after.push(indexTemplate(bind(spec), params, o.craneImage, limits(o, ARGO.helperDeadlineSeconds)));
      tasks.push({
        name: ARGO.index,
        template: ARGO.index,
        depends: ARGO.build,
        arguments: {
          parameters: [
            ...fromWorkflow(params.filter((p) => p.name === ARGO.registrySecret || spec.destinations.some((d) => d.includes(`\${${p.name}}`)))),
            // A JSON list of repo@digest, one per platform.
            { name: 'IMAGES', value: `{{tasks.${ARGO.build}.outputs.parameters.${ARGO.url}}}` },
          ],
        },
      });
      last = ARGO.index;
    }
    // The sign leaf: its own pod after the build (signing.in: isolated), or after the index of a
    // multi-arch build (recursively: the index and every platform manifest), fed that step's
    // digest output. The build never sees the key.
    const signsAfter = fanOut ? !!spec.signing : isolatedSigns(spec) && !!files;
    if (signsAfter) {
      const from = fanOut ? ARGO.index : ARGO.build;
      const signInputs = params.filter((p) => imageParams.includes(p) || p.name === ARGO.registrySecret || spec.destinations.some((d) => d.includes(`\${${p.name}}`)));
      after.push(signTemplate(bind(spec), image, inputParams(signInputs), fanOut, limits(o, ARGO.helperDeadlineSeconds)));
      tasks.push({
        name: ARGO.sign, template: ARGO.sign, depends: from,
        arguments: { parameters: [...fromWorkflow(signInputs), { name: ARGO.digest, value: `{{tasks.${from}.outputs.parameters.${ARGO.digest}}}` }] },
      });
      last = ARGO.sign;
    }
    if (o.verify && verifiable(spec)) {
      const verifyInputs = params.filter((p) => p.name === ARGO.registrySecret);
      after.push(verifyTemplate(bind(spec), o.cosignImage, inputParams(verifyInputs), limits(o, ARGO.helperDeadlineSeconds)));
      const source = fanOut ? ARGO.index : ARGO.build;
      tasks.push({
        name: ARGO.verify,
        template: ARGO.verify,
        depends: last,
        arguments: {
          parameters: [
            ...fromWorkflow(verifyInputs),
            // The build's IMAGE_URL is kimia's repo@sha256:…; the index's is the index as tagged (INDEX_SCRIPT), so by
            // its digest: repo:tag@sha256:… (go-containerregistry pkg/name/digest.go NewDigest takes the repository of a tagged base).
            { name: 'IMAGE_REF', value: fanOut ? `{{tasks.${source}.outputs.parameters.${ARGO.url}}}@{{tasks.${source}.outputs.parameters.${ARGO.digest}}}` : `{{tasks.${source}.outputs.parameters.${ARGO.url}}}` },
          ],
        },
      });
    }
    // Order: entrypoint, steps before the build, the build, steps after it.
    templates.push(build, ...after);
    templates.forEach((t, i) => { templates[i] = { ...t, ...tokenAccess(spec) }; });
    templates.unshift({ name: ARGO.entrypoint, inputs: { parameters: inputParams(params) }, dag: { tasks } });
    this.parameters = params;

    const meta = argoMetadata(spec);
    const wfSpec: WorkflowTemplateSpec = {
      entrypoint: ARGO.entrypoint,
      // enum only on spec.arguments: Argo checks it there (and the UI shows a drop-down), not on inputs.
      arguments: { parameters: params.map((p) => ({ name: p.name, description: p.description, value: p.default, enum: p.enum && [...p.enum] })) },
      workflowMetadata: { labels: { app: spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' } },
      podGc: { strategy: o.podGC as WorkflowTemplateSpecPodGcStrategy },
      ttlStrategy: { secondsAfterCompletion: o.ttlSecondsAfterCompletion },
      templates,
    };
    this.template = o.clusterScope
      ? new ClusterWorkflowTemplate(this, 'Template', { metadata: meta, spec: wfSpec as unknown as ClusterWorkflowTemplateSpec })
      : new WorkflowTemplate(this, 'Template', { metadata: meta, spec: wfSpec });
  }
}

/**
 * Service-account token of a leaf template. Argo's executor needs a token to report results, so
 * Argo refuses automountServiceAccountToken: false unless executor.serviceAccountName names the
 * account whose token the executor uses instead (argo.md). With that account set, no step's
 * containers get a token; without it the pod's token stays mounted (Argo's default).
 */
function tokenAccess(spec: BuildSpec): Pick<WorkflowTemplateSpecTemplates, 'automountServiceAccountToken' | 'executor'> {
  const executor = argoOptions(spec).executorServiceAccountName;
  return executor ? { automountServiceAccountToken: spec.automountServiceAccountToken, executor: { serviceAccountName: executor } } : {};
}

/** A leaf template that verifies the pushed image by digest with the verify material (public key, trusted root, credentials). */
function verifyTemplate(spec: BuildSpec, image: string, inputs: Inputs, lim: Limits): WorkflowTemplateSpecTemplates {
  const m = verifierMaterial(spec)!;
  return {
    name: ARGO.verify,
    inputs: { parameters: [...inputs, { name: 'IMAGE_REF', description: 'The pushed image by digest (repository@sha256:...).' }] },
    volumes: podVolumes(m.volumes) as WorkflowTemplateSpecTemplates['volumes'],
    securityContext: { fsGroup: KIMIA_GID },
    ...lim,
    container: {
      name: ARGO.container,
      image,
      // argo.md: always set command (no registry lookup of the entrypoint).
      ...(cosignCommand(image) ? { command: cosignCommand(image) } : {}),
      args: cosignVerifyArgs(spec, PUBLIC_KEY_FILE, '{{inputs.parameters.IMAGE_REF}}'),
      env: [...m.env],
      volumeMounts: volumeMounts(m.volumes),
      securityContext: helperSecurityContext(),
    },
  };
}

/** The index leaf: `crane index append` of the per-platform images onto the destinations. */
function indexTemplate(spec: BuildSpec, params: readonly Param[], image: string, lim: Limits): WorkflowTemplateSpecTemplates {
  const used = params.filter((p) => p.name === ARGO.registrySecret || spec.destinations.some((d) => d.includes(`\${${p.name}}`)));
  const creds = helperDockerConfig(spec);
  return {
    name: ARGO.index,
    inputs: {
      parameters: [
        ...used.map((p) => ({ name: p.name, description: p.description, default: p.default })),
        { name: 'IMAGES', description: 'The per-platform images by digest (a JSON list).' },
      ],
    },
    outputs: {
      parameters: [
        { name: ARGO.digest, globalName: ARGO.digest, valueFrom: { path: '/tmp/index-digest' } },
        { name: ARGO.url, globalName: ARGO.url, valueFrom: { path: '/tmp/index-url' } },
        { name: 'IMAGES', globalName: 'IMAGES', valueFrom: { path: '/tmp/index-images' } },
      ],
    },
    ...(creds ? { volumes: podVolumes([creds]) as WorkflowTemplateSpecTemplates['volumes'] } : {}),
    ...lim,
    script: {
      image,
      command: ['/busybox/sh'],
      source: INDEX_SCRIPT,
      env: [
        { name: 'IMAGES', value: '{{inputs.parameters.IMAGES}}' },
        { name: 'TARGET', value: argoInput(containerText(spec.destinations[0])) },
        { name: 'EXTRA_DESTINATIONS', value: spec.destinations.slice(1).map((d) => argoInput(containerText(d))).join('\n') },
        { name: 'URL_FILE', value: '/tmp/index-url' },
        { name: 'DIGEST_FILE', value: '/tmp/index-digest' },
        { name: 'IMAGES_FILE', value: '/tmp/index-images' },
        ...indexInsecureEnv(spec),
        ...(creds ? [{ name: 'DOCKER_CONFIG', value: HELPER_DOCKER_CONFIG_DIR }] : []),
      ],
      ...(creds ? { volumeMounts: volumeMounts([creds]) } : {}),
      securityContext: helperSecurityContext(),
    },
  };
}

/**
 * The sign leaf (signing.in: isolated, and every multi-arch index): the builder image's cosign
 * signs every destination repository once by the digest input (SIGN_SCRIPT), recursively for an
 * index; key and password are files of its own pod (signerMaterial).
 */
function signTemplate(spec: BuildSpec, image: string, inputs: Inputs, recursive: boolean, lim: Limits): WorkflowTemplateSpecTemplates {
  const m = signerMaterial(spec);
  return {
    name: ARGO.sign,
    inputs: { parameters: [...inputs, { name: ARGO.digest, description: recursive ? 'The digest of the image index (sha256:...).' : 'The digest of the pushed image (sha256:...).' }] },
    volumes: podVolumes(m.volumes) as WorkflowTemplateSpecTemplates['volumes'],
    securityContext: { fsGroup: KIMIA_GID },
    ...lim,
    container: {
      name: ARGO.container,
      image,
      command: signCommand(),
      args: signScriptArgs(spec, spec.destinations.map((d) => argoInput(containerText(d))), { recursive }),
      env: signEnv(spec, { value: `{{inputs.parameters.${ARGO.digest}}}` }),
      volumeMounts: volumeMounts(m.volumes),
      securityContext: helperSecurityContext(),
    },
  };
}

type Inputs = NonNullable<NonNullable<WorkflowTemplateSpecTemplates['inputs']>['parameters']>;
type Limits = Pick<WorkflowTemplateSpecTemplates, 'activeDeadlineSeconds' | 'retryStrategy'>;

/** Backoff between retries: 10s, 20s, 40s, … at most 5m (Argo waits duration × factor^n, capped: argo-workflows v4.1.2 workflow/controller/operator.go:1101-1128). */
export const ARGO_BACKOFF = { duration: '10s', factor: 2, cap: '5m' } as const;

/**
 * The deadline and retries of a leaf. Every leaf has a deadline (a pod stuck Pending, e.g. on a
 * missing Secret, fails instead of hanging the Workflow) and, with argo.retryLimit > 0, retries
 * on errors (retryPolicy OnError: pod deleted, evicted, …) with backoff.
 *
 * The build (`build: true`) also has `expression: lastRetry.exitCode != '0'`: when kimia exited 0
 * it has pushed, and an Error then (e.g. no digest file, so the output parameter fails:
 * workflow/executor/executor.go:753-760) must fail the step, not build and push again. Argo stops retrying when the
 * expression is false (operator.go:1186-1194); a node with no exit code reports "0"
 * (operator.go:2525-2530), so an error before kimia ran is not retried either.
 */
function limits(o: { retryLimit: number }, deadline: number, build = false): Limits {
  const retryStrategy: WorkflowTemplateSpecTemplatesRetryStrategy | undefined = o.retryLimit > 0 ? {
    limit: WorkflowTemplateSpecTemplatesRetryStrategyLimit.fromNumber(o.retryLimit),
    retryPolicy: WorkflowTemplateSpecTemplatesRetryStrategyRetryPolicy.ON_ERROR,
    backoff: { duration: ARGO_BACKOFF.duration, factor: WorkflowTemplateSpecTemplatesRetryStrategyBackoffFactor.fromNumber(ARGO_BACKOFF.factor), cap: ARGO_BACKOFF.cap },
    ...(build ? { expression: "lastRetry.exitCode != '0'" } : {}),
  } : undefined;
  return { activeDeadlineSeconds: WorkflowTemplateSpecTemplatesActiveDeadlineSeconds.fromNumber(deadline), ...(retryStrategy ? { retryStrategy } : {}) };
}

/**
 * The revision leaf of a multi-arch git build: `git ls-remote` of the branch (or HEAD) once, in the
 * builder image (git 2.52, uid 1000), by the same BUILDER_IMAGE as the build (REVISION_SCRIPT:
 * values in env only). Its GIT_COMMIT output is the commit every platform builds.
 */
function revisionTemplate(spec: BuildSpec, image: string, inputs: Inputs, url: string, lim: Limits): WorkflowTemplateSpecTemplates {
  return {
    name: ARGO.revision,
    inputs: { parameters: [...inputs] },
    outputs: { parameters: [{ name: GIT_COMMIT_PARAM, valueFrom: { path: '/tmp/git-commit' } }] },
    securityContext: { fsGroup: KIMIA_GID },
    ...lim,
    script: {
      image,
      // Set explicitly (argo.md): no registry lookup of the entrypoint. kimia's /bin/sh is busybox ash.
      command: ['/bin/sh'],
      source: REVISION_SCRIPT,
      env: [
        { name: 'GIT_URL', value: argoInput(containerText(url)) },
        { name: 'GIT_REF', value: argoInput(containerText(revisionRef(spec))) },
        { name: 'COMMIT_FILE', value: '/tmp/git-commit' },
      ],
      securityContext: helperSecurityContext(),
    },
  };
}
