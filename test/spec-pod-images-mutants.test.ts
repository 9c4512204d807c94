/**
 * src/spec images.ts, platforms.ts, pod.ts, secrets.ts and sigstore.ts with literal expectations,
 * for the mutants the mutation run left alive. Upstream facts:
 * - kimia.md §6: the BuildKit kimia image has cosign at /usr/local/bin/cosign; the cosign image
 *   (ko-built, sigstore/cosign release.mk) runs /ko-app/cosign;
 * - kimia.md §3: BuildKit gets `URL#branch` for an unpinned git context, so each platform of a
 *   fan-out would fetch the branch head again;
 * - kimia docs/examples (kimia.md §6): kimia-bud's overlay storage needs DAC_OVERRIDE and MKNOD and
 *   lives under ~/.local, vfs under ~/.local/share/containers;
 * - cosign binds every flag to a COSIGN_ env var (cmd/cosign/cli/options: viper SetEnvPrefix("COSIGN")
 *   and AutomaticEnv), so COSIGN_ALLOW_HTTP_REGISTRY=true is --allow-http-registry for kimia's
 *   own `cosign sign`, which passes only --allow-insecure-registry (kimia.md "Signing").
 */
import { parseBuildSpec, type BuildSpecInput } from '../src/spec';
import { cosignCommand, IMAGES, imageRef, type ToolImage } from '../src/spec/images';
import { perPlatformSpec, repositoryOf, resolvesRevision } from '../src/spec/platforms';
import { builderCapabilities, kimiaVolumes, podVolumes, resourceQuantities } from '../src/spec/pod';
import { redactSecrets, SECRET_PATTERNS } from '../src/spec/secrets';
import { builderCosignEnv } from '../src/spec/sigstore';

const spec = (over: Record<string, unknown>) => parseBuildSpec({ name: 'app', context: { git: { url: 'https://github.com/o/a.git' } }, destinations: ['registry.io/a:v1'], ...over } as BuildSpecInput);
const SIGNING = { in: 'builder', key: { secretName: 'k', key: 'cosign.key' }, password: { secretName: 'k', key: 'p' } };

describe('images.ts', () => {
  it('imageRef writes repository:tag, and @digest after it when the digest is known', () => {
    const row = { repository: 'r.io/x', tag: '1', evidence: 'e', user: 0, home: { path: '/', writableBy1000: false } } as ToolImage;
    expect(imageRef(row)).toBe('r.io/x:1');
    expect(imageRef({ ...row, digest: 'sha256:0123' })).toBe('r.io/x:1@sha256:0123');
  });
  it('cosignCommand: the kimia image runs /usr/local/bin/cosign, the cosign image /ko-app/cosign, another image its own entrypoint', () => {
    expect(imageRef(IMAGES.kimia)).toBe('ghcr.io/rapidfort/kimia:1.0.25');
    expect(cosignCommand('ghcr.io/rapidfort/kimia:1.0.25')).toEqual(['/usr/local/bin/cosign']);
    expect(cosignCommand('ghcr.io/sigstore/cosign/cosign:v3.0.2')).toEqual(['/ko-app/cosign']);
    expect(cosignCommand('mirror.io/cosign:v3.0.2')).toBeUndefined();
  });
});

describe('platforms.ts', () => {
  const multi = (git: Record<string, string>) => spec({ context: { git: { url: 'https://github.com/o/a.git', ...git } }, platforms: ['linux/amd64', 'linux/arm64'], outputs: ['tekton'] });
  it('a fan-out resolves its commit first only when the git context names no revision', () => {
    expect(resolvesRevision(multi({}))).toBe(true);
    expect(resolvesRevision(multi({ revision: 'c0ffee' }))).toBe(false);
    expect(resolvesRevision(spec({}))).toBe(false);
  });
  it('perPlatformSpec pins the revision to ${GIT_COMMIT} only when asked and needed', () => {
    const ctx = (s: ReturnType<typeof perPlatformSpec>) => (s.context as { git: { revision?: string } }).git.revision;
    expect(ctx(perPlatformSpec(multi({}), { pinRevision: true }))).toBe('${GIT_COMMIT}');
    expect(ctx(perPlatformSpec(multi({})))).toBeUndefined();
    expect(ctx(perPlatformSpec(multi({ revision: 'c0ffee' }), { pinRevision: true }))).toBe('c0ffee');
  });
  it('repositoryOf drops a tag, not a registry port, and keeps a name without either', () => {
    expect(repositoryOf('registry.io:5000/team/app:v1')).toBe('registry.io:5000/team/app');
    expect(repositoryOf('registry.io:5000/team/app')).toBe('registry.io:5000/team/app');
    expect(repositoryOf('myapp')).toBe('myapp');
    expect(repositoryOf('registry.io/app:${TAG}')).toBe('registry.io/app');
    expect(repositoryOf('registry.io/${REPO}:v1')).toBeUndefined();
  });
});

describe('pod.ts', () => {
  it('capabilities: SETUID and SETGID; kimia-bud with overlay storage also DAC_OVERRIDE and MKNOD', () => {
    expect(builderCapabilities(spec({}))).toEqual(['SETUID', 'SETGID']);
    expect(builderCapabilities(spec({ variant: 'kimia-bud' }))).toEqual(['SETUID', 'SETGID']);
    expect(builderCapabilities(spec({ variant: 'kimia-bud', storageDriver: 'vfs' }))).toEqual(['SETUID', 'SETGID']);
    expect(builderCapabilities(spec({ variant: 'kimia-bud', storageDriver: 'overlay' }))).toEqual(['SETUID', 'SETGID', 'DAC_OVERRIDE', 'MKNOD']);
  });
  it('Buildah storage: an emptyDir at ~/.local for overlay, at ~/.local/share/containers otherwise', () => {
    const storage = (over: Record<string, unknown>) => kimiaVolumes(spec({ variant: 'kimia-bud', ...over })).find((v) => v.name === 'buildah-storage');
    expect(storage({ storageDriver: 'overlay' })).toEqual({ name: 'buildah-storage', source: { emptyDir: {} }, mountPath: '/home/kimia/.local', readOnly: false });
    expect(storage({ storageDriver: 'vfs' })?.mountPath).toBe('/home/kimia/.local/share/containers');
    expect(storage({})?.mountPath).toBe('/home/kimia/.local/share/containers');
  });
  it('registry certificates: the whole Secret, read-only at /etc/kimia/certs (--registry-certificate), and its pod volume without items', () => {
    const vols = kimiaVolumes(spec({ variant: 'kimia-bud', registry: { certificatesSecret: 'certs' } }));
    const certs = vols.find((v) => v.name === 'registry-certs');
    expect(certs).toEqual({ name: 'registry-certs', source: { secret: { secretName: 'certs', items: [], defaultMode: 0o444 } }, mountPath: '/etc/kimia/certs', readOnly: true });
    expect(podVolumes([certs!])).toEqual([{ name: 'registry-certs', secret: { secretName: 'certs', defaultMode: 292 } }]);
  });
  it('resourceQuantities leaves out the quantities not set', () => {
    expect(resourceQuantities({ cpu: '1', memory: undefined, 'ephemeral-storage': '2Gi' }, (v) => `q:${v}`)).toEqual({ cpu: 'q:1', 'ephemeral-storage': 'q:2Gi' });
  });
});

describe('secrets.ts', () => {
  it('every kind is named with its article, which the redaction drops', () => {
    expect(SECRET_PATTERNS.every((p) => /^an? /.test(p.kind))).toBe(true);
    expect(redactSecrets(`key AKIAABCDEFGHIJKLMNOP and ${'ghp_'}${'a'.repeat(36)} here`)).toBe('key <redacted AWS access key id> and <redacted GitHub token> here');
    expect(redactSecrets('nothing secret')).toBe('nothing secret');
  });
});

describe('sigstore.ts', () => {
  it('signing in the builder with an insecure registry: COSIGN_ALLOW_HTTP_REGISTRY=true for kimia\'s cosign', () => {
    const env = (over: Record<string, unknown>) => builderCosignEnv(spec({ attestation: 'max', signing: SIGNING, ...over }));
    expect(env({ registry: { insecure: true } })).toContainEqual({ name: 'COSIGN_ALLOW_HTTP_REGISTRY', value: 'true' });
    expect(env({ registry: { insecureRegistries: ['r.local:5000'] } })).toContainEqual({ name: 'COSIGN_ALLOW_HTTP_REGISTRY', value: 'true' });
    expect(env({}).map((e) => e.name)).not.toContain('COSIGN_ALLOW_HTTP_REGISTRY');
  });
});
