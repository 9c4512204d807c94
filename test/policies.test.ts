import * as path from 'node:path';
import { parse } from 'yaml';
import { cosignSignFlags, cosignVerifyFlags, loadConfig, parseBuildSpec, renderBundle, type BuildSpecInput } from '../src/internal';
import { clusterImagePolicy, kyvernoPolicy } from '../src/policies/admission';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const doc = (files: Map<string, string>, f: string) => parse(files.get(f)!.replace(/^#.*\n/, ''));

describe('admission policies next to signed builds', () => {
  const spec = parseBuildSpec({
    name: 'shop',
    context: { git: { url: 'https://github.com/myorg/shop.git' } },
    destinations: ['registry.io/team/shop:v1', 'mirror.io:5000/shop:v1', 'registry.io/team/shop:latest'],
    attestation: 'max',
    signing: { key: { secretName: 'shop-cosign', key: 'cosign.key' }, publicKey: { secretName: 'shop-cosign-pub', key: 'cosign.pub' } },
    outputs: ['job'],
  });
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle({ builds: [spec] }); });

  it('emits a Kyverno ClusterPolicy for the repositories, the key Secret and the legacy tlog-less format', () => {
    const k = doc(files, 'policies/shop/kyverno-clusterpolicy.yaml');
    expect(k).toMatchObject({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'verify-shop' } });
    expect(k.spec.rules[0].verifyImages).toEqual([{
      type: 'Cosign',
      imageReferences: ['mirror.io:5000/shop:*', 'mirror.io:5000/shop@*', 'registry.io/team/shop:*', 'registry.io/team/shop@*'],
      mutateDigest: true, verifyDigest: true, required: true,
      attestors: [{ entries: [{ keys: { secret: { name: 'shop-cosign-pub', namespace: 'kyverno' }, rekor: { ignoreTlog: true }, ctlog: { ignoreSCT: true } } }] }],
    }]);
  });
  it('emits a policy-controller ClusterImagePolicy with the same repositories and key', () => {
    const c = doc(files, 'policies/shop/policy-controller-clusterimagepolicy.yaml');
    expect(c).toMatchObject({ apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', metadata: { name: 'verify-shop' } });
    expect(c.spec).toEqual({
      images: [{ glob: 'mirror.io:5000/shop*' }, { glob: 'registry.io/team/shop*' }],
      // No signatureFormat (legacy, the default) and no ctlog: policy-controller then ignores the tlog.
      authorities: [{ name: 'cosign-key', key: { secretRef: { name: 'shop-cosign-pub' } } }],
    });
  });
  it('skips builds that do not sign or whose repository is a runtime param', () => {
    const all = renderBundle(examples);
    expect([...all.keys()].filter((f) => f.startsWith('policies/'))).toEqual([
      'policies/myapp-multiarch/kyverno-clusterpolicy.yaml', 'policies/myapp-multiarch/policy-controller-clusterimagepolicy.yaml',
      'policies/myapp-production/kyverno-clusterpolicy.yaml', 'policies/myapp-production/policy-controller-clusterimagepolicy.yaml',
      'policies/myapp-signed/kyverno-clusterpolicy.yaml', 'policies/myapp-signed/policy-controller-clusterimagepolicy.yaml',
    ]);
    // Never the signing Secret (it holds the private key): its public-key-only sibling.
    expect(doc(all, 'policies/myapp-production/kyverno-clusterpolicy.yaml').spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.secret).toEqual({ name: 'cosign-keys-pub', namespace: 'kyverno' });
    expect(doc(all, 'policies/myapp-production/policy-controller-clusterimagepolicy.yaml').spec.authorities[0].key).toEqual({ secretRef: { name: 'cosign-keys-pub' } });
    expect(doc(all, 'policies/myapp-production/kyverno-clusterpolicy.yaml').spec.validationFailureAction).toBe('Audit');
  });
});

/**
 * The sign step, cosign verify and both policies agree on what is written, per transparencyLog.
 * Facts (.scratch/issue12-facts.md §3, §5), cosign v3.0.2:
 * - options/sign.go: --new-bundle-format and --use-signing-config default true, --tlog-upload true;
 *   sign.go "must provide --new-bundle-format with --signing-config or --use-signing-config";
 * - verify/verify.go: `if !c.IgnoreTlog && !co.NewBundleFormat { … cosign.GetRekorPubs`;
 * - options/rekor.go:22 DefaultRekorURL https://rekor.sigstore.dev;
 * policy-controller validator.go: key authorities only read legacy; no ctlog -> IgnoreTlog;
 * Kyverno imageverifier.go: no `rekor` -> public Rekor required; no `ctlog` -> SCT keys fetched.
 */
describe('sign flags, verify flags and both policies agree', () => {
  const base: BuildSpecInput = {
    name: 'shop', context: { git: { url: 'https://github.com/myorg/shop.git' } }, destinations: ['registry.io/team/shop:v1'],
    attestation: 'max', outputs: ['job'], signing: { key: { secretName: 'k', key: 'cosign.key' } },
  };
  const modes = [
    ['none', 'none', undefined],
    ['public', 'public', 'https://rekor.sigstore.dev'],
    ['private', { url: 'https://rekor.internal.example' }, 'https://rekor.internal.example'],
  ] as const;
  it.each(modes)('%s', (_name, transparencyLog, url) => {
    const spec = parseBuildSpec({ ...base, signing: { ...base.signing!, transparencyLog } });
    const sign = cosignSignFlags(spec);
    const verify = cosignVerifyFlags(spec);
    const kyverno = kyvernoPolicy(spec, ['registry.io/team/shop']).spec.rules[0].verifyImages[0];
    const keys = kyverno.attestors[0].entries[0].keys;
    const authority = clusterImagePolicy(spec, ['registry.io/team/shop']).spec.authorities[0];
    // Legacy format everywhere: the only one a policy-controller key authority reads.
    expect(sign).toEqual(expect.arrayContaining(['--yes', '--new-bundle-format=false', '--use-signing-config=false']));
    expect(verify).toContain('--new-bundle-format=false');
    expect(kyverno.type).toBe('Cosign');
    expect(authority).not.toHaveProperty('signatureFormat');
    expect(keys.ctlog).toEqual({ ignoreSCT: true });
    if (url === undefined) {
      expect(sign).toContain('--tlog-upload=false');
      expect(sign.some((f) => f.startsWith('--rekor-url'))).toBe(false);
      expect(verify).toEqual(['--insecure-ignore-tlog=true', '--new-bundle-format=false']);
      expect(keys.rekor).toEqual({ ignoreTlog: true });
      expect(authority).not.toHaveProperty('ctlog');
    } else {
      expect(sign).toContain('--tlog-upload=true');
      expect(verify).not.toContain('--insecure-ignore-tlog=true');
      if (url !== 'https://rekor.sigstore.dev') {
        expect(sign).toContain(`--rekor-url=${url}`);
        expect(verify).toContain(`--rekor-url=${url}`);
      }
      expect(keys.rekor).toEqual({ url });
      expect(authority.ctlog).toEqual({ url });
    }
  });
});
