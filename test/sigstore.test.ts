/**
 * sign/verify argv literals per signing.transparencyLog (src/spec/sigstore.ts). cosign v3.0.2
 * (.scratch/issue12-facts.md §3): options/sign.go `BoolVar(&o.TlogUpload, "tlog-upload", true, …)`,
 * `BoolVar(&o.NewBundleFormat, "new-bundle-format", true, …)`, `BoolVar(&o.UseSigningConfig,
 * "use-signing-config", true, …)`; sign.go "must provide --new-bundle-format with --signing-config or
 * --use-signing-config"; options/rekor.go:22 DefaultRekorURL; verify/verify.go
 * `if !c.IgnoreTlog && !co.NewBundleFormat { … cosign.GetRekorPubs`; sigstore/cosign#4778 (offline
 * legacy key signing works with the three flags).
 */
import {
  builderCosignEnv, cosignVerifyArgs, parseBuildSpec, signEnv, signerMaterial, signScriptArgs, SIGN_ARGS_MARKER, verifierMaterial, type BuildSpecInput,
} from '../src/internal';

const spec = (signing: Record<string, unknown>, extra: Partial<BuildSpecInput> = {}) => parseBuildSpec({
  name: 'a', context: { git: { url: 'https://github.com/o/a.git' } }, destinations: ['registry.io/a:v1'], attestation: 'max',
  signing: { key: { secretName: 'k', key: 'cosign.key' }, ...signing }, ...extra,
} as BuildSpecInput);

describe('cosign argv per transparencyLog', () => {
  it('none (default): offline legacy signing, verify ignores the tlog', () => {
    const s = spec({});
    expect(signScriptArgs(s)).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
    expect(cosignVerifyArgs(s, '/k/cosign.pub', 'registry.io/a@sha256:x')).toEqual(['verify', '--key', '/k/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', 'registry.io/a@sha256:x']);
    // The multi-arch index: the same script, recursively (cosign sign -r: the index and every manifest).
    expect(signScriptArgs(s, ['registry.io/a:v1'], { recursive: true })).toEqual(['--recursive', '--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
  });
  it('public: legacy signing uploaded to rekor.sigstore.dev, verified against it', () => {
    const s = spec({ transparencyLog: 'public' });
    expect(signScriptArgs(s)).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=true', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
    expect(cosignVerifyArgs(s, '/k/cosign.pub', 'r@sha256:x')).toEqual(['verify', '--key', '/k/cosign.pub', '--new-bundle-format=false', 'r@sha256:x']);
  });
  it('{url}: a private Rekor for sign and verify; insecure registries add their flags', () => {
    const s = spec({ transparencyLog: { url: 'https://rekor.example.com' } }, { registry: { insecure: true } } as Partial<BuildSpecInput>);
    expect(signScriptArgs(s)).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=true', '--rekor-url=https://rekor.example.com', '--allow-insecure-registry', '--allow-http-registry', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
    expect(cosignVerifyArgs(s, '/k/cosign.pub', 'r@sha256:x')).toEqual(['verify', '--key', '/k/cosign.pub', '--new-bundle-format=false', '--rekor-url=https://rekor.example.com', '--allow-insecure-registry', '--allow-http-registry', 'r@sha256:x']);
  });
  it('{url, trustedRoot}: verify reads the private Rekor key from the trusted root (cosign v3.0.2 verify.go: --trusted-root sets co.TrustedMaterial, which the legacy VerifyBundle checks the SET against)', () => {
    const s = spec({ transparencyLog: { url: 'https://rekor.example.com', trustedRoot: { configMapName: 'sigstore-trust', key: 'trusted_root.json' } } });
    expect(cosignVerifyArgs(s, '/k/cosign.pub', 'r@sha256:x')).toEqual(['verify', '--key', '/k/cosign.pub', '--new-bundle-format=false', '--rekor-url=https://rekor.example.com', '--trusted-root=/etc/kimia/sigstore-trust/trusted_root.json', 'r@sha256:x']);
    // Signing needs no trusted root on the legacy path.
    expect(signScriptArgs(s)).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=true', '--rekor-url=https://rekor.example.com', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
    expect(verifierMaterial(s)!.volumes.find((v) => v.name === 'sigstore-trusted-root')).toEqual({
      name: 'sigstore-trusted-root', mountPath: '/etc/kimia/sigstore-trust', readOnly: true,
      source: { configMap: { name: 'sigstore-trust', items: [{ key: 'trusted_root.json', path: 'trusted_root.json' }], defaultMode: 0o444 } },
    });
    expect(() => spec({ transparencyLog: { url: 'https://rekor.example.com', trustedRoot: { configMapName: 'Bad_Name', key: 'k' } } })).toThrow(/ConfigMap name/);
  });
  it('refuses a transparencyLog that is not none, public or an http(s) URL', () => {
    expect(() => spec({ transparencyLog: 'private' })).toThrow();
    expect(() => spec({ transparencyLog: { url: 'ftp://x' } })).toThrow();
  });
});

describe('builder mode: the COSIGN_* env kimia passes on to cosign (cosign options/root.go BindViper; the conformance suite checks what kimia hands cosign)', () => {
  it('only for signing.in: builder', () => {
    expect(builderCosignEnv(spec({}))).toEqual([]);
    expect(builderCosignEnv(spec({ in: 'builder' }))).toEqual([
      { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' }, { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' }, { name: 'COSIGN_TLOG_UPLOAD', value: 'false' },
    ]);
    expect(builderCosignEnv(spec({ in: 'builder', transparencyLog: { url: 'https://rekor.example.com' } }))).toEqual([
      { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' }, { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' }, { name: 'COSIGN_TLOG_UPLOAD', value: 'true' },
      { name: 'COSIGN_YES', value: 'true' }, { name: 'COSIGN_REKOR_URL', value: 'https://rekor.example.com' },
    ]);
  });
});

describe('one route for the signing Secrets: the material every engine binds', () => {
  const s = spec({ password: { secretName: 'pw', key: 'pass.txt' }, publicKey: { secretName: 'pub', key: 'k.pub' } }, { registry: { credentialsSecret: 'regcred' } } as Partial<BuildSpecInput>);
  it('the signer: key and password files from the Secrets the spec names, its own registry config', () => {
    const m = signerMaterial(s);
    expect(m.volumes).toEqual([
      { name: 'cosign-key', mountPath: '/secrets', readOnly: true, source: { secret: { secretName: 'k', items: [{ key: 'cosign.key', path: 'cosign.key' }], defaultMode: 0o440 } } },
      { name: 'cosign-password', mountPath: '/etc/kimia/cosign-password', readOnly: true, source: { secret: { secretName: 'pw', items: [{ key: 'pass.txt', path: 'password' }], defaultMode: 0o440 } } },
      { name: 'signer-docker-config', mountPath: '/etc/kimia/docker', readOnly: true, source: { secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o444 } } },
    ]);
    expect(signEnv(s, { value: 'sha256:d' })).toEqual([
      { name: 'KIMIA_DIGEST', value: 'sha256:d' },
      { name: 'COSIGN_KEY_FILE', value: '/secrets/cosign.key' },
      { name: 'COSIGN_PASSWORD_FILE', value: '/etc/kimia/cosign-password/password' },
      { name: 'HOME', value: '/home/kimia' },
      { name: 'TUF_ROOT', value: '/home/kimia/.sigstore/root' },
      { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' },
    ]);
  });
  it('the verifier: signing.publicKey, the registry config, a TUF cache on an emptyDir; no private key', () => {
    const m = verifierMaterial(s)!;
    expect(m.volumes.map((v) => [v.name, 'secret' in v.source ? v.source.secret.secretName : Object.keys(v.source)[0]])).toEqual([
      ['cosign-pub', 'pub'], ['docker-config', 'regcred'], ['tuf-cache', 'emptyDir'],
    ]);
    expect(m.env).toEqual([{ name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' }, { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' }]);
    expect(verifierMaterial(parseBuildSpec({ name: 'a', context: { git: { url: 'https://github.com/o/a.git' } }, destinations: ['r.io/a:v1'] }))).toBeUndefined();
  });
});
