/**
 * CosignVerifyJob: a Job that verifies a pushed image by digest with cosign and the build's
 * public key, for CI runs that build with a Job (kimia-bundles verify-job).
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  cosignCommand,
  COSIGN_PUBLIC_DIR, cosignVerifyArgs, DEFAULT_COSIGN_IMAGE, HELPER_DOCKER_CONFIG_DIR, helperDockerConfig, HELPER_FILE_MODE, helperSecurityContext, parseBuildSpec, publicKeyRef,
  PUBLIC_KEY_FILE, SpecError, type BuildSpec, type BuildSpecInput,
} from '../spec';

export interface CosignVerifyJobProps {
  readonly spec: BuildSpec | BuildSpecInput;
  /** The image to verify, by digest: `repository@sha256:…`. */
  readonly image: string;
  /** @default the pinned cosign v3 image */
  readonly cosignImage?: string;
}

const BY_DIGEST = /^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?@sha256:[a-f0-9]{64}$/;

/** A one-shot Job running `cosign verify --key … <image@digest>`. */
/** Where verify's cosign keeps its TUF cache (an emptyDir). */
const VERIFY_TUF_ROOT = '/var/run/kimia-bundles/sigstore';

export class CosignVerifyJob extends Construct {
  readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: CosignVerifyJobProps) {
    super(scope, id);
    const spec = parseBuildSpec(props.spec);
    const key = publicKeyRef(spec);
    if (!key) throw new SpecError([{ path: ['signing'], message: 'the build does not sign: there is nothing to verify' }]);
    if (!BY_DIGEST.test(props.image)) throw new SpecError([{ path: ['image'], message: `"${props.image}" must name the image by digest (repository@sha256:<64 hex>)` }]);
    const sc = helperSecurityContext();
    this.job = new kplus.Job(this, 'Job', {
      metadata: { name: `${spec.name.slice(0, 52)}-verify`, labels: { app: spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' } },
      backoffLimit: 0,
      ttlAfterFinished: Duration.seconds(spec.job.ttlSecondsAfterFinished),
      restartPolicy: kplus.RestartPolicy.NEVER,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: sc.runAsUser },
    });
    const container = this.job.addContainer({
      name: 'cosign',
      image: props.cosignImage ?? DEFAULT_COSIGN_IMAGE,
      ...(cosignCommand(props.cosignImage ?? DEFAULT_COSIGN_IMAGE) ? { command: cosignCommand(props.cosignImage ?? DEFAULT_COSIGN_IMAGE) } : {}),
      args: cosignVerifyArgs(spec, PUBLIC_KEY_FILE, props.image),
      securityContext: {
        ensureNonRoot: sc.runAsNonRoot, user: sc.runAsUser, allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
        readOnlyRootFilesystem: true, capabilities: { drop: sc.capabilities.drop as kplus.Capability[] },
      },
      resources: {},
    });
    // The root file system stays read-only: cosign v3's TUF cache goes to an emptyDir (TUF_ROOT).
    container.env.addVariable('TUF_ROOT', kplus.EnvValue.fromValue(VERIFY_TUF_ROOT));
    container.mount(VERIFY_TUF_ROOT, kplus.Volume.fromEmptyDir(this, 'TufCache', 'tuf-cache'));
    const secret = kplus.Secret.fromSecretName(this, 'PublicKey', key.secretName);
    container.mount(COSIGN_PUBLIC_DIR, kplus.Volume.fromSecret(this, 'PublicKeyVolume', secret, { name: 'cosign-pub', items: { [key.key]: { path: 'cosign.pub' } }, defaultMode: HELPER_FILE_MODE }), { readOnly: true });
    const creds = helperDockerConfig(spec);
    if (creds && 'secret' in creds.source) {
      const { secretName, items, defaultMode } = creds.source.secret;
      const s = kplus.Secret.fromSecretName(this, 'DockerConfig', secretName);
      const volume = kplus.Volume.fromSecret(this, 'DockerConfigVolume', s, { name: creds.name, items: Object.fromEntries(items.map((i) => [i.key, { path: i.path }])), defaultMode });
      container.mount(creds.mountPath, volume, { readOnly: creds.readOnly });
      container.env.addVariable('DOCKER_CONFIG', kplus.EnvValue.fromValue(HELPER_DOCKER_CONFIG_DIR));
    }
  }
}
