import * as path from 'node:path';
import { containerSecurityContext, kimiaArgs, loadConfig, parseBuildSpec, resolveParams, SpecError } from '../src';
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
  const { job, pod, container } = synthJob(example('nginx-basic'));

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

describe('doc example: attested and signed build', () => {
  const { pod, container } = synthJob(example('myapp-signed'));

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
  it('passes the password only by secretKeyRef', () => {
    expect(container.env).toEqual([COSIGN_PASSWORD_ENV]);
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

describe('doc example: production CI Job (reproducible, build args, OCI labels)', () => {
  const spec = example('myapp-production');
  const sha = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
  const { job, container } = synthJob(spec, { COMMIT: sha, SOURCE_DATE_EPOCH: '1700000000' });

  it('renders the corrected argv (--build-arg=K=V and --label=k=v, never split)', () => {
    expect(container.args).toEqual([
      '--context=https://github.com/myorg/myapp.git',
      `--git-revision=${sha}`,
      `--destination=registry.io/myapp:${sha}`,
      '--reproducible',
      '--attestation=max',
      '--sign',
      '--cosign-key=/secrets/cosign.key',
      '--cosign-password-env=COSIGN_PASSWORD',
      `--build-arg=VERSION=${sha}`,
      `--label=org.opencontainers.image.revision=${sha}`,
      '--label=org.opencontainers.image.source=https://github.com/myorg/myapp',
    ]);
  });
  it('sets SOURCE_DATE_EPOCH and the cosign password', () => {
    expect(container.env).toEqual([COSIGN_PASSWORD_ENV, { name: 'SOURCE_DATE_EPOCH', value: '1700000000' }]);
  });
  it('names and labels the Job after the commit, with the bundle version on the Job', () => {
    expect(job.metadata.name).toBe(`myapp-build-${sha}`);
    expect(job.metadata.labels).toMatchObject({ app: 'myapp-production', commit: sha, 'app.kubernetes.io/version': spec.version ?? '0.1' });
    expect(job.spec.template.metadata.labels['app.kubernetes.io/version']).toBeUndefined(); // not in the pod: labels may change in place
    expect(job.spec.template.metadata.labels).toMatchObject({ app: 'myapp-production', commit: sha });
  });
  it('mounts the cosign key read-only where --cosign-key points, and runs as kimia needs', () => {
    expect(container.volumeMounts).toContainEqual({ name: 'cosign-key', mountPath: '/secrets', readOnly: true });
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'cosign-key', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.key', path: 'cosign.key' }], defaultMode: 0o400 } });
    expect(container.securityContext).toMatchObject({
      runAsUser: 1000, runAsGroup: 1000, privileged: false, allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] }, seccompProfile: { type: 'Unconfined' },
    });
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    // The password is an env var from its Secret key, never a file.
    expect(JSON.stringify(job.spec.template.spec.volumes)).not.toContain('cosign.password');
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
