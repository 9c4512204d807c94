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
  builderCosignEnv, cosignSignIndexArgs, cosignVerifyArgs, parseBuildSpec, signScriptArgs, SIGN_ARGS_MARKER, type BuildSpecInput,
} from '../src';

const spec = (signing: Record<string, unknown>, extra: Partial<BuildSpecInput> = {}) => parseBuildSpec({
  name: 'a', context: { git: { url: 'https://github.com/o/a.git' } }, destinations: ['registry.io/a:v1'], attestation: 'max',
  signing: { key: { secretName: 'k', key: 'cosign.key' }, ...signing }, ...extra,
} as BuildSpecInput);

describe('cosign argv per transparencyLog', () => {
  it('none (default): offline legacy signing, verify ignores the tlog', () => {
    const s = spec({});
    expect(signScriptArgs(s)).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', SIGN_ARGS_MARKER, 'registry.io/a:v1']);
    expect(cosignVerifyArgs(s, '/k/cosign.pub', 'registry.io/a@sha256:x')).toEqual(['verify', '--key', '/k/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', 'registry.io/a@sha256:x']);
    expect(cosignSignIndexArgs(s, '/k/cosign.key', ['registry.io/a@sha256:x'])).toEqual(['sign', '--recursive', '--key', '/k/cosign.key', '--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', 'registry.io/a@sha256:x']);
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
  it('refuses a transparencyLog that is not none, public or an http(s) URL', () => {
    expect(() => spec({ transparencyLog: 'private' })).toThrow();
    expect(() => spec({ transparencyLog: { url: 'ftp://x' } })).toThrow();
  });
});

describe('builder mode: the COSIGN_* env kimia passes on to cosign (inferred, not run)', () => {
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
