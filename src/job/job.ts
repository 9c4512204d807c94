/**
 * KimiaBuildJob: a kimia build as a Kubernetes batch/v1 Job (cdk8s-plus-28).
 * A thin renderer over the spec's pieces: argv, env, volumes, security context.
 */
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  builderImage, containerSecurityContext, jobContextProblem, kimiaArgs, kimiaEnv, kimiaResources, kimiaVolumes, parseBuildSpec,
  podSecurityContext, resolveParams, sourceDateEpoch, SpecError,
  digestFiles, helperSecurityContext, isolatedSigns, signCommand, signEnv, signerMaterial,
  signScriptArgs, SIGN_CONTAINER, SIGN_DIGEST_DIR, SIGN_DIGEST_FILE,
  KIMIA_GID, type BuildSpec, type BuildSpecInput, type KimiaVolume, type ParamValues,
} from '../spec';

/** Name of the builder container (as in kimia's docs). */
export const BUILDER_CONTAINER = 'kimia';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export interface KimiaBuildJobProps {
  /** The build spec (parsed or as written; it is parsed and checked here). */
  readonly spec: BuildSpec | BuildSpecInput;
  /**
   * Values for the spec's runtime params; params without a value use their default.
   * @default {}
   */
  readonly params?: ParamValues;
  /** Namespace of the Job. @default the chart's namespace */
  readonly namespace?: string;
  /**
   * Extra labels for the Job and its pod (e.g. the CI ref); `app` and `app.kubernetes.io/managed-by` are always set.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Kubernetes Job that runs one kimia build.
 *
 * - `backoffLimit: 0` (a failed build is not retried with the same inputs), `restartPolicy: Never`,
 *   `ttlSecondsAfterFinished` from the spec (default 3600);
 * - labels `app` (the build name) and `commit` (the git revision, when it is a valid label value),
 *   and `app.kubernetes.io/version` (the build's version) on the Job;
 * - no service-account token unless the spec asks for one.
 *
 * @throws SpecError when the spec or a param value breaks a kimia rule.
 */
export class KimiaBuildJob extends Construct {
  /** The concrete spec the Job was rendered from (params substituted). */
  readonly spec: BuildSpec;
  /** The cdk8s-plus Job. */
  readonly job: kplus.Job;
  /** The builder container (an init container when signing.in is isolated). */
  readonly container: kplus.Container;
  /** The sign container (signing.in: isolated), else undefined. */
  readonly signer?: kplus.Container;

  constructor(scope: Construct, id: string, props: KimiaBuildJobProps) {
    super(scope, id);
    const spec = resolveParams(parseBuildSpec(props.spec), props.params);
    this.spec = spec;
    if (sourceDateEpoch(spec).kind === 'git') {
      throw new SpecError([{
        path: ['reproducible', 'sourceDateEpoch'],
        message: 'fromGit needs a step that reads the clone, which a Job does not have: give Unix seconds or a param (e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) at synth time)',
      }]);
    }
    const contextProblem = jobContextProblem(spec);
    if (contextProblem) throw new SpecError([{ path: ['context', 'local', 'claimName'], message: contextProblem }]);
    // A DNS-1123 label of at most 63 characters: parse and resolveParams check it, sample and bound (values.ts).
    const name = spec.job?.name ?? spec.name;

    const labels: Record<string, string> = { ...props.labels, app: spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' };
    const revision = 'git' in spec.context ? spec.context.git.revision : undefined;
    if (revision && LABEL_VALUE.test(revision) && revision.length <= 63) labels.commit = revision;

    this.job = new kplus.Job(this, 'Job', {
      // The bundle version on the Job only (not the pod): labels may change without a new version.
      metadata: { name, labels: { ...labels, 'app.kubernetes.io/version': spec.version }, ...(props.namespace ? { namespace: props.namespace } : {}) },
      podMetadata: {
        labels,
        // AppArmor for clusters before 1.30; the appArmorProfile field is added below for 1.30+.
        annotations: { [`container.apparmor.security.beta.kubernetes.io/${BUILDER_CONTAINER}`]: 'unconfined' },
      },
      backoffLimit: 0,
      ttlAfterFinished: Duration.seconds(spec.job.ttlSecondsAfterFinished),
      ...(spec.job?.activeDeadlineSeconds ? { activeDeadline: Duration.seconds(spec.job.activeDeadlineSeconds) } : {}),
      restartPolicy: kplus.RestartPolicy.NEVER,
      automountServiceAccountToken: spec.automountServiceAccountToken,
      ...(spec.serviceAccountName
        ? { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', spec.serviceAccountName) }
        : {}),
      securityContext: podSecurity(),
    });

    // signing.in: isolated: the build is an init container that never sees the key; the main
    // container signs by the digest kimia wrote to a shared emptyDir.
    const isolated = isolatedSigns(spec);
    if (isolated && spec.digestFile) {
      throw new SpecError([{ path: ['digestFile'], message: 'with signing.in: isolated the Job passes kimia its own --digest-file on a volume the sign container reads (kimia keeps one): remove digestFile, or use signing.in: builder' }]);
    }
    const digest = isolated ? digestFiles(spec, { digest: SIGN_DIGEST_FILE }) : undefined;
    const builderProps: kplus.ContainerProps = {
      name: BUILDER_CONTAINER,
      image: builderImage(spec),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: [...kimiaArgs(spec), ...(digest?.flags ?? [])],
      securityContext: containerSecurity(spec),
      // Quantities are set verbatim below: plus would rewrite 2Gi as 2048Mi and add its own defaults.
      resources: {},
    };
    this.container = isolated ? this.job.addInitContainer(builderProps) : this.job.addContainer(builderProps);
    for (const e of kimiaEnv(spec)) {
      const value = e.valueFrom
        ? kplus.EnvValue.fromSecretValue({
            secret: kplus.Secret.fromSecretName(this, `Env${e.name}`, e.valueFrom.secretKeyRef.name),
            key: e.valueFrom.secretKeyRef.key,
          })
        : kplus.EnvValue.fromValue(e.value!);
      this.container.env.addVariable(e.name, value);
    }
    for (const v of kimiaVolumes(spec)) {
      this.container.mount(v.mountPath, this.volume(v), { readOnly: v.readOnly, ...(v.subPath ? { subPath: v.subPath } : {}) });
    }

    if (isolated) {
      const digestVolume = kplus.Volume.fromEmptyDir(this, 'Volume-digest', 'digest');
      this.container.mount(SIGN_DIGEST_DIR, digestVolume);
      const h = helperSecurityContext();
      this.signer = this.job.addContainer({
        name: SIGN_CONTAINER,
        image: builderImage(spec),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: signCommand(),
        args: signScriptArgs(spec),
        envVariables: Object.fromEntries(signEnv(spec, { file: SIGN_DIGEST_FILE }).map((e) => [e.name, kplus.EnvValue.fromValue(e.value)])),
        securityContext: {
          user: h.runAsUser, group: KIMIA_GID, ensureNonRoot: h.runAsNonRoot, allowPrivilegeEscalation: h.allowPrivilegeEscalation,
          readOnlyRootFilesystem: false, capabilities: { drop: h.capabilities.drop as kplus.Capability[] },
        },
        resources: {},
      });
      this.signer.mount(SIGN_DIGEST_DIR, digestVolume, { readOnly: true });
      for (const v of signerMaterial(spec).volumes) this.signer.mount(v.mountPath, this.volume(v), { readOnly: v.readOnly });
    }

    const kubeJob = ApiObject.of(this.job);
    if (Object.keys(spec.nodeSelector).length) {
      kubeJob.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { ...spec.nodeSelector }));
    }
    // Verbatim: plus's taint queries cannot express every toleration (e.g. Exists with an effect).
    if (spec.tolerations.length) kubeJob.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', spec.tolerations));
    // cdk8s-plus-28 (k8s 1.28 schema) silently drops appArmorProfile, even from JSON patches,
    // and cannot express resources verbatim: complete the builder container after it renders.
    const resources = kimiaResources(spec);
    const appArmorProfile = containerSecurityContext(spec).appArmorProfile;
    const render = kubeJob.toJson.bind(kubeJob);
    kubeJob.toJson = () => {
      const json = render();
      const pod = json.spec.template.spec;
      // Stryker disable next-line ArrayDeclaration,ConditionalExpression: equivalent, the builder is always the pod's first container (the init container when signing is isolated)
      const ctr = [...(pod.initContainers ?? []), ...pod.containers].find((c: { name: string }) => c.name === BUILDER_CONTAINER);
      ctr.securityContext = { ...ctr.securityContext, appArmorProfile };
      ctr.resources = resources;
      return json;
    };
  }

  private volume(v: KimiaVolume): kplus.Volume {
    return kimiaVolume(this, v);
  }
}

/**
 * A cdk8s-plus Volume for a spec volume (Secret or ConfigMap items, a claim, an emptyDir), with
 * the name the spec gives it. Shared by the build Job and the verify Job.
 */
export function kimiaVolume(scope: Construct, v: KimiaVolume): kplus.Volume {
  const id = `Volume-${v.name}`;
  const src = v.source;
  if ('secret' in src) {
    const secret = kplus.Secret.fromSecretName(scope, `${id}-secret`, src.secret.secretName);
    const items = Object.fromEntries(src.secret.items.map((i) => [i.key, { path: i.path }]));
    return kplus.Volume.fromSecret(scope, id, secret, { name: v.name, defaultMode: src.secret.defaultMode, ...(src.secret.items.length ? { items } : {}) });
  }
  if ('configMap' in src) {
    const map = kplus.ConfigMap.fromConfigMapName(scope, `${id}-configmap`, src.configMap.name);
    const items = Object.fromEntries(src.configMap.items.map((i) => [i.key, { path: i.path }]));
    return kplus.Volume.fromConfigMap(scope, id, map, { name: v.name, defaultMode: src.configMap.defaultMode, items });
  }
  if ('persistentVolumeClaim' in src) {
    const claim = kplus.PersistentVolumeClaim.fromClaimName(scope, `${id}-claim`, src.persistentVolumeClaim.claimName);
    return kplus.Volume.fromPersistentVolumeClaim(scope, id, claim, { name: v.name });
  }
  return kplus.Volume.fromEmptyDir(scope, id, v.name);
}

/** Pod security context from the spec layer, in cdk8s-plus terms. */
function podSecurity(): kplus.PodSecurityContextProps {
  const p = podSecurityContext();
  return { user: p.runAsUser, group: p.runAsGroup, fsGroup: p.fsGroup, ensureNonRoot: p.runAsNonRoot };
}

/**
 * Container security context from the spec layer, in cdk8s-plus terms. Two plus secure
 * defaults break kimia and are overridden on purpose:
 * - readOnlyRootFilesystem (plus: true): kimia writes $HOME, /tmp and /run/user/1000;
 * - allowPrivilegeEscalation (plus: false): rootless builds exec setuid newuidmap/newgidmap.
 */
function containerSecurity(spec: BuildSpec): kplus.ContainerSecurityContextProps {
  const c = containerSecurityContext(spec);
  return {
    user: c.runAsUser,
    group: c.runAsGroup,
    ensureNonRoot: c.runAsNonRoot,
    privileged: c.privileged,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem,
    allowPrivilegeEscalation: c.allowPrivilegeEscalation,
    capabilities: {
      drop: c.capabilities.drop as kplus.Capability[],
      add: c.capabilities.add as kplus.Capability[],
    },
    seccompProfile: { type: c.seccompProfile.type as kplus.SeccompProfileType },
  };
}

