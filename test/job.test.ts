import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { containerSecurityContext, CosignVerifyJob, KimiaBuildJob, kimiaArgs, loadConfig, parseBuildSpec, resolveParams, SpecError, type BuildSpecInput } from '../src/internal';
import { BASE, synthJob } from './helpers';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const example = (name: string) => examples.builds.find((b) => b.name === name)!;

const KIMIA_SECURITY = {
  allowPrivilegeEscalation: true,
  appArmorProfile: { type: 'Unconfined' },
  capabilities: { add: ['SETUID', 'SETGID'], drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: false,
  runAsGroup: 1000,
  runAsNonRoot: true,
  runAsUser: 1000,
  seccompProfile: { type: 'Unconfined' },
};
const COSIGN_VOLUME = {
  name: 'cosign-key',
  secret: { secretName: 'cosign-keys', defaultMode: 0o400, items: [{ key: 'cosign.key', path: 'cosign.key' }] },
};
const DOCKER_CONFIG_VOLUME = {
  name: 'docker-config',
  secret: { secretName: 'registry-credentials', defaultMode: 0o400, items: [{ key: '.dockerconfigjson', path: 'config.json' }] },
};
const COSIGN_PASSWORD_ENV = { name: 'COSIGN_PASSWORD', valueFrom: { secretKeyRef: { name: 'cosign-keys', key: 'password' } } };

describe('doc example: basic build (kimia README quick start)', () => {
  // Rendered in each test (beforeEach), so mutation testing sees which tests cover the Job's code.
  let { job, pod, container } = {} as ReturnType<typeof synthJob>;
  beforeEach(() => ({ job, pod, container } = synthJob(example('nginx-basic'))));

  it('renders the documented argv, one --flag=value element each', () => {
    expect(container.args).toEqual([
      '--context=https://github.com/nginx/docker-nginx.git',
      '--dockerfile=mainline/alpine/Dockerfile',
      '--destination=myregistry.io/nginx:latest',
      '--no-push',
    ]);
  });
  it('pins the builder image instead of the docs\' untagged one', () => {
    expect(container.image).toBe('ghcr.io/rapidfort/kimia:1.0.25');
  });
  it('has no env, volumes or mounts', () => {
    expect(container.env).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
    expect(container.volumeMounts).toBeUndefined();
  });
  it('has the security context kimia needs, AppArmor included', () => {
    expect(container.securityContext).toEqual(KIMIA_SECURITY);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(job.spec.template.metadata.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/kimia': 'unconfined' });
  });
  it('is a one-shot Job without a service-account token', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.metadata.name).toBe('nginx-basic');
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(job.metadata.labels).toMatchObject({ app: 'nginx-basic' });
  });
  it('sets the default resources verbatim', () => {
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '8Gi' } });
  });
});

/** A spec with kimia's own --sign (signing.in: builder). */
function builderSigned(spec: ReturnType<typeof example>) {
  return { ...spec, signing: { ...spec.signing!, in: 'builder' as const } };
}

describe('doc example: attested and signed build, signing.in: builder (kimia --sign)', () => {
  let { pod, container } = {} as ReturnType<typeof synthJob>;
  beforeEach(() => ({ pod, container } = synthJob(builderSigned(example('myapp-signed')))));

  it('renders --attestation=max --sign --cosign-key=/secrets/cosign.key --cosign-password-env=COSIGN_PASSWORD', () => {
    expect(container.args).toEqual([
      '--context=https://github.com/myorg/myapp.git',
      '--destination=registry.io/myapp:v1',
      '--attestation=max',
      '--sign',
      '--cosign-key=/secrets/cosign.key',
      '--cosign-password-env=COSIGN_PASSWORD',
    ]);
  });
  it('passes the password only by secretKeyRef, and the COSIGN_* env for offline legacy signing', () => {
    expect(container.env).toEqual([
      COSIGN_PASSWORD_ENV,
      { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' },
      { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' },
      { name: 'COSIGN_TLOG_UPLOAD', value: 'false' },
    ]);
  });
  it('mounts only the cosign key, read-only with mode 0400, and the registry config.json', () => {
    expect(pod.volumes).toEqual([DOCKER_CONFIG_VOLUME, COSIGN_VOLUME]);
    expect(container.volumeMounts).toEqual([
      { name: 'docker-config', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json', readOnly: true },
      { name: 'cosign-key', mountPath: '/secrets', readOnly: true },
    ]);
  });
  it('keeps kimia\'s security context', () => {
    expect(container.securityContext).toEqual(KIMIA_SECURITY);
  });
});

describe('doc example: attested and signed build, signing.in: isolated (the default)', () => {
  let { pod, container } = {} as ReturnType<typeof synthJob>;
  let signer: ReturnType<typeof synthJob>['container'];
  beforeEach(() => {
    ({ pod, container } = synthJob(example('myapp-signed')));
    signer = pod.containers.find((c: { name: string }) => c.name === 'sign');
  });

  it('builds in an init container that gets neither key nor password, and writes the digest to a shared emptyDir', () => {
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['kimia']);
    expect(container.args).toEqual([
      '--context=https://github.com/myorg/myapp.git',
      '--destination=registry.io/myapp:v1',
      '--attestation=max',
      '--digest-file=/kimia-bundles/digest/digest',
    ]);
    expect(container.env ?? []).toEqual([]);
    expect(container.volumeMounts).toEqual([
      { name: 'docker-config', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json', readOnly: true },
      { name: 'digest', mountPath: '/kimia-bundles/digest' },
    ]);
  });
  it('signs in the main container: the kimia image\'s cosign, uid 1000, key and password as files, offline legacy flags', () => {
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['sign']);
    expect(signer.image).toBe(container.image);
    expect(signer.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    expect(signer.args).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', '--kimia-bundles-destinations', 'registry.io/myapp:v1']);
    expect(signer.env).toEqual([
      { name: 'KIMIA_DIGEST_FILE', value: '/kimia-bundles/digest/digest' },
      { name: 'COSIGN_KEY_FILE', value: '/secrets/cosign.key' },
      { name: 'COSIGN_PASSWORD_FILE', value: '/etc/kimia/cosign-password/password' },
      { name: 'HOME', value: '/home/kimia' },
      { name: 'TUF_ROOT', value: '/home/kimia/.sigstore/root' },
      { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' },
    ]);
    expect(JSON.stringify(signer)).not.toContain('secretKeyRef');
    expect(signer.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(pod.volumes).toContainEqual({ name: 'cosign-password', secret: { secretName: 'cosign-keys', items: [{ key: 'password', path: 'password' }], defaultMode: 0o440 } });
  });
});

describe('doc example: production CI Job (reproducible, build args, OCI labels)', () => {
  const spec = example('myapp-production');
  const sha = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
  let { job, container } = {} as ReturnType<typeof synthJob>;
  beforeEach(() => ({ job, container } = synthJob(spec, { COMMIT: sha, SOURCE_DATE_EPOCH: '1700000000' })));

  it('renders the corrected argv (--build-arg=K=V and --label=k=v, never split)', () => {
    expect(container.args).toEqual([
      '--context=https://github.com/myorg/myapp.git',
      `--git-revision=${sha}`,
      `--destination=registry.io/myapp:${sha}`,
      '--reproducible',
      '--attestation=max',
      `--build-arg=VERSION=${sha}`,
      `--label=org.opencontainers.image.revision=${sha}`,
      '--label=org.opencontainers.image.source=https://github.com/myorg/myapp',
      '--digest-file=/kimia-bundles/digest/digest',
    ]);
  });
  it('sets SOURCE_DATE_EPOCH and no cosign password (signing.in: isolated)', () => {
    expect(container.env).toEqual([{ name: 'SOURCE_DATE_EPOCH', value: '1700000000' }]);
  });
  it('names and labels the Job after the commit, with the bundle version on the Job', () => {
    expect(job.metadata.name).toBe(`myapp-build-${sha}`);
    expect(job.metadata.labels).toMatchObject({ app: 'myapp-production', commit: sha, 'app.kubernetes.io/version': spec.version ?? '0.1' });
    expect(job.spec.template.metadata.labels['app.kubernetes.io/version']).toBeUndefined(); // not in the pod: labels may change in place
    expect(job.spec.template.metadata.labels).toMatchObject({ app: 'myapp-production', commit: sha });
  });
  it('mounts the cosign key read-only in the sign container only, and runs the builder as kimia needs', () => {
    expect(container.volumeMounts).not.toContainEqual(expect.objectContaining({ name: 'cosign-key' }));
    const signer = job.spec.template.spec.containers.find((c: { name: string }) => c.name === 'sign');
    expect(signer.volumeMounts).toContainEqual({ name: 'cosign-key', mountPath: '/secrets', readOnly: true });
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'cosign-key', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.key', path: 'cosign.key' }], defaultMode: 0o440 } });
    expect(container.securityContext).toMatchObject({
      runAsUser: 1000, runAsGroup: 1000, privileged: false, allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] }, seccompProfile: { type: 'Unconfined' },
    });
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    // The password reaches the sign container as a file, never as an env var of any container.
    expect(JSON.stringify(job.spec.template.spec.containers)).not.toContain('secretKeyRef');
  });
  it('uses param defaults when no value is given', () => {
    const { container: c } = synthJob(spec);
    expect(c.args).toContain('--destination=registry.io/myapp:0123456789abcdef0123456789abcdef01234567');
    expect(c.env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1609459200' });
  });
  it('checks param values against the same rules', () => {
    expect(() => synthJob(spec, { COMMIT: 'Bad;tag' })).toThrow(SpecError);
    expect(() => synthJob(spec, { COMMIT: 'Bad;tag' })).toThrow(/destinations\[0\]: with \$\{COMMIT\}="Bad;tag": tag "Bad;tag" must match/);
  });
});

describe('KimiaBuildJob pieces', () => {
  it('places exactly the spec layer\'s security context', () => {
    const spec = parseBuildSpec({ ...BASE, variant: 'kimia-bud', storageDriver: 'overlay' });
    const { container } = synthJob(spec);
    expect(container.securityContext).toEqual(containerSecurityContext(spec));
    expect(container.securityContext.capabilities.add).toEqual(['SETUID', 'SETGID', 'DAC_OVERRIDE', 'MKNOD']);
  });
  it('gives Buildah its storage on an emptyDir and uses the kimia-bud image', () => {
    const { pod, container } = synthJob({ ...BASE, variant: 'kimia-bud' });
    expect(container.image).toBe('ghcr.io/rapidfort/kimia-bud:1.0.25');
    expect(pod.volumes).toEqual([{ name: 'buildah-storage', emptyDir: {} }]);
    expect(container.volumeMounts).toEqual([{ name: 'buildah-storage', mountPath: '/home/kimia/.local/share/containers', readOnly: false }]);
  });
  it('refuses a git token (both variants leak it) and mounts a source claim', () => {
    expect(() => synthJob({
      ...BASE,
      variant: 'kimia-bud',
      context: { git: { url: 'https://github.com/myorg/private.git', tokenSecret: { secretName: 'git', key: 'token' } } },
    })).toThrow('context.git.tokenSecret: kimia-bud (Buildah) clones into the build context with the token in the URL');
    const local = synthJob({ ...BASE, context: { local: { claimName: 'src' } } });
    expect(local.container.args[0]).toBe('--context=/home/kimia/workspace');
    expect(local.pod.volumes).toEqual([{ name: 'source', persistentVolumeClaim: { claimName: 'src', readOnly: false } }]);
    expect(local.container.volumeMounts).toEqual([{ name: 'source', mountPath: '/home/kimia/workspace', readOnly: false }]);
  });
  it('sets resources, service account, node selector and tolerations', () => {
    const { pod, container } = synthJob({
      ...BASE,
      resources: { requests: { cpu: '500m', memory: '4Gi' }, limits: { memory: '16Gi' } },
      serviceAccountName: 'builder',
      automountServiceAccountToken: true,
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      tolerations: [{ key: 'builders', operator: 'Exists', effect: 'NoSchedule' }, { key: 'arch', operator: 'Equal', value: 'arm64', effect: 'NoExecute', tolerationSeconds: 60 }],
    });
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '4Gi' }, limits: { memory: '16Gi' } });
    expect(pod.serviceAccountName).toBe('builder');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(pod.tolerations).toEqual([
      { key: 'builders', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'arch', operator: 'Equal', value: 'arm64', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
  });
  it('refuses SOURCE_DATE_EPOCH from git for a Job', () => {
    expect(() => synthJob({ ...BASE, context: { local: { claimName: 'src' } }, reproducible: { sourceDateEpoch: { fromGit: true } } })).toThrow(
      'reproducible.sourceDateEpoch: fromGit needs a step that reads the clone',
    );
  });
  it('refuses a param that has no value', () => {
    const spec = parseBuildSpec({ ...BASE, params: { TAG: { description: 'tag' } }, destinations: ['registry.io/myapp:${TAG}'] });
    expect(() => resolveParams(spec)).toThrow('params.TAG: needs a value: give a default or set TAG=<value>');
    expect(() => resolveParams(spec, { TAG: 'v1', OTHER: 'x' })).toThrow('params.OTHER: no param "OTHER" is declared (declared: TAG)');
    expect(kimiaArgs(resolveParams(spec, { TAG: 'v2' }))).toContain('--destination=registry.io/myapp:v2');
  });
  it('matches the snapshot (a net, not the assertion)', () => {
    expect(synthJob(example('myapp-signed')).docs).toMatchSnapshot();
  });
});

describe('what the Job refuses and sets, beyond the doc examples (survivors of mutation testing, reports/MUTATION.md)', () => {
  const issuesOf = (f: () => unknown) => {
    try { f(); } catch (e) { if (e instanceof SpecError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`); throw e; }
    return [];
  };
  it('refuses a local context without a claim even when the build does not list job in outputs (a KimiaBuildJob made directly)', () => {
    const spec: BuildSpecInput = { ...BASE, outputs: ['tekton'], context: { local: { path: '/home/kimia/workspace' } } };
    expect(issuesOf(() => synthJob(spec))).toEqual([expect.stringMatching(/^context\.local\.claimName: a Job mounts nothing at \/home\/kimia\/workspace without a claim/)]);
  });
  it.each([
    ['uppercase, with the sample value', 'App-${TAG}', { TAG: 'v1' }, 'with a sample value for ${TAG}, "App-x" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job'],
    ['64 characters once the param is bound', 'app-${TAG}', { TAG: 'x'.repeat(60) }, `with \${TAG}="${'x'.repeat(60)}": "app-${'x'.repeat(36)}…" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job`],
  ])('refuses a job.name that is not a DNS-1123 label (%s) naming job.name', (_why, name, values, message) => {
    const spec = { ...BASE, params: { TAG: { description: 't', default: 'v1' } }, destinations: ['registry.io/a:${TAG}'], job: { name } };
    expect(issuesOf(() => synthJob(spec, values))).toEqual([`job.name: ${message}`]);
  });
  it('accepts a job.name of exactly 63 characters', () => {
    expect(synthJob({ ...BASE, job: { name: 'a'.repeat(63) } }).job.metadata.name).toBe('a'.repeat(63));
  });
  it('labels the commit when the revision is a label value of at most 63 characters (a SHA-256 object name, 64, is not one)', () => {
    const at = (revision: string) => synthJob({ ...BASE, context: { git: { url: 'https://github.com/o/a.git', revision } } }).job.metadata.labels.commit;
    expect(at('a'.repeat(40))).toBe('a'.repeat(40));
    expect(at('b'.repeat(63))).toBe('b'.repeat(63));
    expect(at('c'.repeat(64))).toBeUndefined();
  });
  it('refuses digestFile with signing.in: isolated (the Job passes kimia its own --digest-file), naming digestFile', () => {
    const spec = { ...BASE, attestation: 'max' as const, signing: { key: { secretName: 'k', key: 'cosign.key' } }, digestFile: '/tmp/d' };
    expect(issuesOf(() => synthJob(spec))).toEqual([expect.stringMatching(/^digestFile: with signing\.in: isolated the Job passes kimia its own --digest-file/)]);
  });
  it('sets metadata.namespace from the namespace prop and spec.activeDeadlineSeconds from job.activeDeadlineSeconds', () => {
    const chart = Testing.chart();
    new KimiaBuildJob(chart, 'j', { spec: { ...BASE, job: { activeDeadlineSeconds: 900 } }, namespace: 'builds' });
    const [job] = Testing.synth(chart);
    expect(job.metadata.namespace).toBe('builds');
    expect(job.spec.activeDeadlineSeconds).toBe(900);
    expect(synthJob(BASE).job.spec.activeDeadlineSeconds).toBeUndefined();
  });
});

describe('CosignVerifyJob (kimia-bundles verify-job), against literals', () => {
  const IMAGE = `registry.io/myapp@sha256:${'a'.repeat(64)}`;
  const verify = () => {
    const chart = Testing.chart();
    new CosignVerifyJob(chart, 'v', {
      spec: {
        ...BASE, name: 'myapp', attestation: 'max', registry: { credentialsSecret: 'regcred' },
        signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, transparencyLog: { url: 'https://rekor.example.com', trustedRoot: { configMapName: 'sigstore-root', key: 'trusted_root.json' } } },
      },
      image: IMAGE,
    });
    return Testing.synth(chart)[0];
  };
  it('is one Job named <build>-verify, never retried, without a service account token, as a non-root user', () => {
    const job = verify();
    expect(job.metadata).toEqual({ name: 'myapp-verify', labels: { app: 'myapp', 'app.kubernetes.io/managed-by': 'kimia-bundles' } });
    expect(job.spec.backoffLimit).toBe(0);
    const pod = job.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.restartPolicy).toBe('Never');
  });
  it('runs cosign v3.0.2 verify with the public key, the legacy format, the private Rekor and its trusted root (cosign cmd/cosign/cli/verify.go flags)', () => {
    const [c] = verify().spec.template.spec.containers;
    expect(c.name).toBe('cosign');
    expect(c.command).toEqual(['/usr/local/bin/cosign']);
    expect(c.args).toEqual(['verify', '--key', '/etc/kimia/cosign-pub/cosign.pub', '--new-bundle-format=false', '--rekor-url=https://rekor.example.com',
      '--trusted-root=/etc/kimia/sigstore-trust/trusted_root.json', IMAGE]);
    // TUF_ROOT: cosign's TUF cache on an emptyDir; DOCKER_CONFIG: go-containerregistry's authn reads $DOCKER_CONFIG/config.json.
    expect(c.env).toEqual([{ name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' }, { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' }]);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 });
  });
  it('mounts the key, the trusted root and the registry credentials read-only, and only the TUF cache writable', () => {
    const pod = verify().spec.template.spec;
    expect(pod.containers[0].volumeMounts).toEqual([
      { mountPath: '/etc/kimia/cosign-pub', name: 'cosign-pub', readOnly: true },
      { mountPath: '/etc/kimia/sigstore-trust', name: 'sigstore-trusted-root', readOnly: true },
      { mountPath: '/etc/kimia/docker', name: 'docker-config', readOnly: true },
      { mountPath: '/var/run/kimia-bundles/sigstore', name: 'tuf-cache', readOnly: false },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'cosign-pub', secret: { defaultMode: 0o444, items: [{ key: 'cosign.pub', path: 'cosign.pub' }], secretName: 'cosign-keys' } },
      { name: 'sigstore-trusted-root', configMap: { defaultMode: 0o444, items: [{ key: 'trusted_root.json', path: 'trusted_root.json' }], name: 'sigstore-root' } },
      { name: 'docker-config', secret: { defaultMode: 0o444, items: [{ key: '.dockerconfigjson', path: 'config.json' }], secretName: 'regcred' } },
      { name: 'tuf-cache', emptyDir: {} },
    ]);
  });
});
