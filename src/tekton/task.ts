/**
 * KimiaBuildTask: a kimia build as a catalog-grade, Chains-ready `tekton.dev/v1` Task.
 * A thin renderer over the spec's pieces; runtime params become Task params.
 */
import * as path from 'node:path';
import { Construct } from 'constructs';
import {
  Task, TaskSpecStepsComputeResourcesLimits, TaskSpecStepsComputeResourcesRequests,
  type TaskSpecParams, type TaskSpecResults, type TaskSpecSteps, type TaskSpecWorkspaces,
} from '../../imports/tekton-task-tekton.dev';
import {
  builderImageSource, builderImage, containerSecurityContext, containerText, DOCKER_CONFIG_PATH, KIMIA_GID, KIMIA_UID,
  kimiaArgs, kimiaEnv, kimiaResources, kimiaVolumes, parseBuildSpec, podVolumes, renderTemplate,
  perPlatformSpec, platformTargets, publishesDigest, digestFiles, resourceQuantities, sourceDateEpoch, volumeMounts, POD_SECURITY_LEVEL, type BuildSpec, type BuildSpecInput,
  isolatedSigns, signEnv, signerMaterial, signScriptArgs, SIGN_CONTAINER, SIGN_SCRIPT,
} from '../spec';
import { BUILD_ARGS_MARKER, BUILD_SCRIPT, EPOCH_SCRIPT, EXTRA_ARGS_MARKER } from './scripts';
import { catalogMetadata, tektonOptions } from './catalog';

/** `${NAME}` -> `$(params.NAME)`. */
export const tektonParam = (value: string) => renderTemplate(value, (n) => `$(params.${n})`);

/** Result and workspace names, shared with the Pipeline and the docs. */
export const RESULTS = {
  digest: 'IMAGE_DIGEST',
  url: 'IMAGE_URL',
  images: 'IMAGES',
  epoch: 'SOURCE_DATE_EPOCH',
} as const;

export interface KimiaBuildTaskProps {
  /** The build spec (parsed or as written). */
  readonly spec: BuildSpec | BuildSpecInput;
}

/** What the Task declares, for the Pipeline, docs and tests. */
export interface TaskInterface {
  readonly params: readonly TaskSpecParams[];
  readonly workspaces: readonly TaskSpecWorkspaces[];
  readonly results: readonly TaskSpecResults[];
}

/**
 * A `tekton.dev/v1` Task that runs one kimia build.
 *
 * - Runtime params of the spec become Task params, plus the catalog's `BUILDER_IMAGE`,
 *   `BUILD_ARGS` and `EXTRA_ARGS` (arrays) and `CHAINS-GIT_URL`/`CHAINS-GIT_COMMIT`.
 * - Workspaces: `source` for a local context (mounted where kimia accepts it), optional
 *   `dockerconfig` (config.json at /home/kimia/.docker) when the spec names no credentials Secret.
 * - The spec's Secrets (registry credentials, cosign key and password) are volumes of the Task,
 *   each mounted only in the step that uses it: the key and password in the sign step
 *   (signing.in: isolated) or the build step (signing.in: builder), as in every engine.
 * - Results `IMAGE_DIGEST` and `IMAGE_URL` (and `IMAGES` for several destinations) so that
 *   Tekton Chains signs and attests the pushed image.
 * - Param values reach steps only through `args` and `env`, never through `script` text.
 */
export class KimiaBuildTask extends Construct {
  readonly spec: BuildSpec;
  readonly task: Task;
  readonly interface: TaskInterface;

  constructor(scope: Construct, id: string, props: KimiaBuildTaskProps) {
    super(scope, id);
    const original = parseBuildSpec(props.spec);
    this.spec = original;
    // Multi-arch: the Task is one per-platform build (the Pipeline fans it out with a matrix).
    const fanOut = platformTargets(original).length > 0;
    const spec = fanOut ? perPlatformSpec(original, { pinRevision: true }) : original;
    const epoch = sourceDateEpoch(spec);
    const local = 'local' in spec.context ? spec.context.local : undefined;
    // Chains results only for a pushed kimia (BuildKit) image (pod.ts unpublishedDigestReason).
    const chains = publishesDigest(spec);
    const digestResult = `$(results.${RESULTS.digest}.path)`;
    // The spec's digest file when it names one (the step copies it into the result), else the result itself.
    const files = chains ? digestFiles(spec, { digest: digestResult }) : undefined;

    // No `enum`: it needs Tekton's alpha flag (tekton.md §0.1); the allowed values go in the description.
    const params: TaskSpecParams[] = Object.entries(spec.params).map(([name, p]) => ({
      name, type: 'string',
      description: p.enum ? `${p.description} One of: ${p.enum.join(', ')}.` : p.description,
      default: p.default, // undefined is dropped when the chart is serialized
    }));
    // The spec refuses a build param with any name pushed below (spec/engine-params.ts), so none is declared twice.
    const source = builderImageSource(spec);
    const image = tektonParam(source.template);
    if (source.declaresBuilderImage) {
      params.push({ name: 'BUILDER_IMAGE', type: 'string', description: `The kimia builder image (${spec.variant === 'kimia' ? 'BuildKit' : 'Buildah'}), pinned.`, default: builderImage(spec) });
    }
    params.push({ name: 'BUILD_ARGS', type: 'array', description: 'Extra build arguments as KEY=VALUE items, each passed as --build-arg.', default: [] });
    params.push({ name: 'EXTRA_ARGS', type: 'array', description: 'Extra kimia flags, one --flag=value per item.', default: [] });
    params.push({ name: 'CHAINS-GIT_URL', type: 'string', description: 'Git URL of the source, recorded by Tekton Chains in the provenance.', default: '' });
    params.push({ name: 'CHAINS-GIT_COMMIT', type: 'string', description: 'Git commit of the source, recorded by Tekton Chains in the provenance.', default: '' });

    const workspaces: TaskSpecWorkspaces[] = [];
    if (local) {
      workspaces.push({ name: 'source', description: 'The build context (a checked-out repository). Mounted where kimia accepts a local context.', mountPath: local.path });
    }
    const all = kimiaVolumes(spec);
    // The source and archive are workspaces here; everything else is a volume of the build step.
    const vols = all.filter((v) => v.role !== 'source' && v.role !== 'archive');
    const archive = all.find((v) => v.role === 'archive');
    if (archive) {
      workspaces.push({ name: 'image-archive', mountPath: archive.mountPath, description: 'Where kimia writes the docker archive (tarPath); bind a PersistentVolumeClaim to keep it after the TaskRun.' });
    }
    if (!vols.some((v) => v.role === 'registry-credentials')) {
      workspaces.push({
        name: 'dockerconfig', optional: true, readOnly: true, mountPath: path.posix.dirname(DOCKER_CONFIG_PATH),
        description: 'Registry credentials: a config.json (e.g. a kubernetes.io/dockerconfigjson Secret with item .dockerconfigjson -> config.json).',
      });
    }
    // signing.in: isolated: the sign step alone mounts the key and password (signerMaterial);
    // the source is then a step-level workspace (beta, on by default since Tekton v0.50.0) of the
    // steps that read it, so the signer never mounts it beside the key.
    const isolated = isolatedSigns(spec);
    const signer = isolated ? signerMaterial(spec) : undefined;

    const results: TaskSpecResults[] = [];
    if (chains) {
      results.push(
        { name: RESULTS.digest, type: 'string', description: 'Digest of the pushed image (sha256:...), from kimia --digest-file.' },
        { name: RESULTS.url, type: 'string', description: 'The first destination as pushed (repository:tag); Tekton Chains signs IMAGE_URL@IMAGE_DIGEST.' },
      );
      if (spec.destinations.length > 1 || fanOut) {
        results.push({ name: RESULTS.images, type: 'string', description: 'Every pushed image as repository@digest, one per line.' });
      }
    }
    if (epoch.kind === 'git') results.push({ name: RESULTS.epoch, type: 'string', description: 'SOURCE_DATE_EPOCH used for the build: the SOURCE_DATE_EPOCH param, else the last commit time of the source.' });

    const args = kimiaArgs(spec).map(tektonParam);
    if (files) args.push(...files.flags);
    args.push(BUILD_ARGS_MARKER, '$(params.BUILD_ARGS[*])', EXTRA_ARGS_MARKER, '$(params.EXTRA_ARGS[*])');

    // signing.in: builder: the password by secretKeyRef, as kimiaEnv hands it to every engine.
    const env: Array<{ name: string; value?: string; valueFrom?: unknown }> = kimiaEnv(spec)
      .map((e) => (e.value !== undefined ? { name: e.name, value: tektonParam(e.value) } : { ...e }));
    if (epoch.kind === 'git') env.push({ name: 'KIMIA_EPOCH_FILE', value: `$(results.${RESULTS.epoch}.path)` });
    if (files) {
      env.push(
        { name: 'KIMIA_DIGEST_FILE', value: files.digest.text },
        ...(files.digest.fromSpec ? [{ name: 'KIMIA_DIGEST_RESULT', value: digestResult }] : []),
        { name: 'KIMIA_IMAGE_URL', value: tektonParam(containerText(spec.destinations[0])) },
        { name: 'KIMIA_IMAGE_URL_FILE', value: `$(results.${RESULTS.url}.path)` },
      );
      if (spec.destinations.length > 1 || fanOut) {
        env.push(
          { name: 'KIMIA_DESTINATIONS', value: spec.destinations.map((d) => tektonParam(containerText(d))).join('\n') },
          { name: 'KIMIA_IMAGES_FILE', value: `$(results.${RESULTS.images}.path)` },
        );
      }
    }

    const resources = kimiaResources(spec);
    const steps: TaskSpecSteps[] = [];
    if (epoch.kind === 'git') {
      // The builder's own image (already pulled; git 2.52, uid 1000, HOME writable: images.ts), unless tekton.gitImage names another.
      const gitImage = tektonOptions(spec).gitImage;
      steps.push({
        name: 'source-date-epoch',
        // With a sign step the source is a step-level workspace too: the signer never mounts it beside the key.
        ...(isolated && local ? { workspaces: [{ name: 'source', mountPath: local.path }] } : {}),
        image: gitImage ? '$(params.GIT_IMAGE)' : image,
        script: EPOCH_SCRIPT,
        env: [
          { name: 'SOURCE_DIR', value: '$(workspaces.source.path)' },
          { name: 'EPOCH_FILE', value: `$(results.${RESULTS.epoch}.path)` },
          { name: 'EPOCH_OVERRIDE', value: `$(params.${RESULTS.epoch})` },
        ],
      });
      params.push({ name: RESULTS.epoch, type: 'string', description: 'Unix seconds to build with; empty (the default) takes the last commit time of the source.', default: '' });
      if (gitImage) params.push({ name: 'GIT_IMAGE', type: 'string', description: 'Image with git (>= 2.38) and /bin/sh, used to read the last commit time.', default: gitImage });
    }
    steps.push({
      name: 'build',
      ...(isolated && local ? { workspaces: [{ name: 'source', mountPath: local.path }] } : {}),
      image,
      script: BUILD_SCRIPT,
      args,
      ...(env.length ? { env: env as TaskSpecSteps['env'] } : {}),
      ...(vols.length ? { volumeMounts: volumeMounts(vols) } : {}),
      securityContext: stepSecurityContext(spec),
      computeResources: {
        ...(resources.requests ? { requests: resourceQuantities(resources.requests, TaskSpecStepsComputeResourcesRequests.fromString) } : {}),
        ...(resources.limits ? { limits: resourceQuantities(resources.limits, TaskSpecStepsComputeResourcesLimits.fromString) } : {}),
      },
    });

    if (signer) {
      steps.push({
        name: SIGN_CONTAINER,
        image,
        script: SIGN_SCRIPT,
        args: signScriptArgs(spec, spec.destinations.map((d) => tektonParam(containerText(d)))),
        env: signEnv(spec, { file: digestResult }),
        volumeMounts: volumeMounts(signer.volumes),
        securityContext: { runAsNonRoot: true, runAsUser: KIMIA_UID, runAsGroup: KIMIA_GID, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      });
    }
    const taskVolumes = [...vols, ...(signer?.volumes ?? [])];

    const meta = catalogMetadata(original, 'task');
    this.interface = { params, workspaces, results };
    this.task = new Task(this, 'Task', {
      metadata: { ...meta.metadata, annotations: { ...meta.metadata.annotations, ...APPARMOR_ANNOTATION } },
      spec: {
        description: meta.description,
        params,
        workspaces,
        ...(results.length ? { results } : {}),
        // One UID for every step (Tekton's /tekton/home credential init breaks otherwise).
        stepTemplate: { securityContext: { runAsNonRoot: true, runAsUser: KIMIA_UID, runAsGroup: KIMIA_GID } },
        steps,
        ...(taskVolumes.length ? { volumes: podVolumes(taskVolumes) } : {}),
      },
    });
  }
}

/**
 * kimia's container security context, without `appArmorProfile`: Tekton webhooks built before
 * Kubernetes 1.30 API types reject unknown fields. AppArmor is set by the Task annotation instead,
 * which Tekton copies to the TaskRun and its Pod (Kubernetes 1.30+ mirrors it into the field).
 */
export function stepSecurityContext(spec: BuildSpec): TaskSpecSteps['securityContext'] {
  const { appArmorProfile: _omitted, ...rest } = containerSecurityContext(spec);
  return rest as TaskSpecSteps['securityContext'];
}

/** The pod annotation that makes the build step's AppArmor profile Unconfined. */
export const APPARMOR_ANNOTATION = { 'container.apparmor.security.beta.kubernetes.io/step-build': 'unconfined' };

/** The Pod Security level the Task's pods need (see README). */
export const TASK_POD_SECURITY_LEVEL = POD_SECURITY_LEVEL;
