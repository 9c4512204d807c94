/**
 * CosignVerifyJob: a Job that verifies a pushed image by digest with cosign and the build's
 * public key, for CI runs that build with a Job (kimia-bundles verify-job).
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  cosignCommand, cosignVerifyArgs, DEFAULT_COSIGN_IMAGE, helperSecurityContext, parseBuildSpec,
  PUBLIC_KEY_FILE, SpecError, verifierMaterial, type BuildSpec, type BuildSpecInput,
} from '../spec';
import { kimiaVolume } from './job';

export interface CosignVerifyJobProps {
  readonly spec: BuildSpec | BuildSpecInput;
  /** The image to verify, by digest: `repository@sha256:…`. */
  readonly image: string;
  /**
   * Image to run cosign from (it must have cosign; the table's kimia and cosign images get their command set).
   * @default the pinned kimia image (cosign v3.0.2 at /usr/local/bin/cosign; src/spec/images.ts)
   */
  readonly cosignImage?: string;
}

const BY_DIGEST = /^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?@sha256:[a-f0-9]{64}$/;

/**
 * A one-shot Job running `cosign verify --key … <image@digest>` with the verify material every
 * engine binds (sigstore.ts verifierMaterial): the public key, a private Rekor's trusted root,
 * registry credentials, and cosign's TUF cache on an emptyDir (the root file system stays read-only).
 */
export class CosignVerifyJob extends Construct {
  readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: CosignVerifyJobProps) {
    super(scope, id);
    const spec = parseBuildSpec(props.spec);
    const material = verifierMaterial(spec);
    if (!material) throw new SpecError([{ path: ['signing'], message: 'the build does not sign: there is nothing to verify' }]);
    if (!BY_DIGEST.test(props.image)) throw new SpecError([{ path: ['image'], message: `"${props.image}" must name the image by digest (repository@sha256:<64 hex>)` }]);
    const sc = helperSecurityContext();
    this.job = new kplus.Job(this, 'Job', {
      metadata: { name: `${spec.name}-verify`, labels: { app: spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' } },
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
    for (const e of material.env) container.env.addVariable(e.name, kplus.EnvValue.fromValue(e.value));
    for (const v of material.volumes) container.mount(v.mountPath, kimiaVolume(this, v), { readOnly: v.readOnly });
  }
}
