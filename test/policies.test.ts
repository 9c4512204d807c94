import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, parseBuildSpec, renderBundle } from '../src';

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
  const files = renderBundle({ builds: [spec] });

  it('emits a Kyverno ClusterPolicy for the repositories, the key Secret and the Sigstore bundle format', () => {
    const k = doc(files, 'policies/shop/kyverno-clusterpolicy.yaml');
    expect(k).toMatchObject({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'verify-shop' } });
    expect(k.spec.rules[0].verifyImages).toEqual([{
      type: 'SigstoreBundle',
      imageReferences: ['mirror.io:5000/shop:*', 'mirror.io:5000/shop@*', 'registry.io/team/shop:*', 'registry.io/team/shop@*'],
      mutateDigest: true, verifyDigest: true, required: true,
      attestors: [{ entries: [{ keys: { secret: { name: 'shop-cosign-pub', namespace: 'kyverno' } } }] }],
    }]);
  });
  it('emits a policy-controller ClusterImagePolicy with the same repositories and key', () => {
    const c = doc(files, 'policies/shop/policy-controller-clusterimagepolicy.yaml');
    expect(c).toMatchObject({ apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', metadata: { name: 'verify-shop' } });
    expect(c.spec).toEqual({
      images: [{ glob: 'mirror.io:5000/shop*' }, { glob: 'registry.io/team/shop*' }],
      authorities: [{ name: 'cosign-key', key: { secretRef: { name: 'shop-cosign-pub' } }, signatureFormat: 'bundle' }],
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
