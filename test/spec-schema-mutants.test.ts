/**
 * src/spec/schema.ts, survivors of its first mutation run (with static mutants): every refusal the
 * schema itself makes is read back as the line a user sees, naming the field and the reason; the
 * URL protocol patterns are tried at both ends (a scheme before and after http(s)).
 */
import { BASE, errorsOf } from './helpers';

const errors = (over: Record<string, unknown>) => errorsOf({ ...BASE, ...over });
const signing = (s: Record<string, unknown>) => errors({ attestation: 'max', signing: { key: { secretName: 's', key: 'k' }, ...s } });
const K8S_NAME = (kind: string) => `must be a Kubernetes ${kind} name (lowercase letters, digits, "-" and ".")`;

describe('a value of the wrong type gets our wording, not zod\'s', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a Kubernetes name', { registry: { credentialsSecret: 5 } }, 'registry.credentialsSecret: expected a string'],
    ['the build name', { name: 5 }, 'name: expected a string'],
    ['the context', { context: 5 }, 'context: expected either {git: {...}} or {local: {...}}'],
    ['SOURCE_DATE_EPOCH', { reproducible: { sourceDateEpoch: 5 } }, 'reproducible.sourceDateEpoch: expected Unix seconds as a string, "${PARAM}", or {fromGit: true}'],
  ])('%s', (_, over, line) => {
    expect(errors(over)).toEqual([line]);
  });
});

describe('Kubernetes names say which kind of object they name', () => {
  it.each<[Record<string, unknown>, string, string]>([
    [{ registry: { credentialsSecret: 'A_B' } }, 'registry.credentialsSecret', 'Secret'],
    [{ signing: { key: { secretName: 'A_B', key: 'k' } }, attestation: 'max' }, 'signing.key.secretName', 'Secret'],
    [{ context: { local: { claimName: 'A_B' } } }, 'context.local.claimName', 'PersistentVolumeClaim'],
    [{ tarPath: '/home/kimia/out/i.tar', push: false, tarClaimName: 'A_B' }, 'tarClaimName', 'PersistentVolumeClaim'],
    [{ serviceAccountName: 'A_B' }, 'serviceAccountName', 'ServiceAccount'],
    [{ argo: { executorServiceAccountName: 'A_B' } }, 'argo.executorServiceAccountName', 'ServiceAccount'],
  ])('%j', (over, at, kind) => {
    expect(errors(over)).toEqual([`${at}: ${K8S_NAME(kind)}`]);
  });
  it('a certificates Secret and a git credentials Secret too (with the rule that applies to them besides)', () => {
    expect(errors({ registry: { certificatesSecret: 'A_B' } })[0]).toBe(`registry.certificatesSecret: ${K8S_NAME('Secret')}`);
    expect(errors({ argo: { gitCredentialsSecret: 'A_B' } })[0]).toBe(`argo.gitCredentialsSecret: ${K8S_NAME('Secret')}`);
  });
});

describe('each pattern the schema checks names what it expects', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ resources: { limits: { cpu: 'lots' } } }, 'resources.limits.cpu: must be a Kubernetes quantity such as 500m, 2, 512Mi or 8Gi'],
    [{ tekton: { minPipelinesVersion: '1' } }, 'tekton.minPipelinesVersion: must be a version like 0.50.0'],
    [{ tekton: { gitCloneVersion: 'x' } }, 'tekton.gitCloneVersion: must be a tektoncd-catalog/git-clone release like 1.7.0'],
    [{ tekton: { owners: ['-x'] } }, 'tekton.owners[0]: must be a GitHub login'],
    [{ tekton: { maintainers: [{ name: 'n', email: 'x' }] } }, 'tekton.maintainers[0].email: must be an email address'],
    [{ tekton: { license: 'a b' } }, 'tekton.license: must be an SPDX license identifier'],
    [{ tekton: { artifactHubRepository: 'A' } }, 'tekton.artifactHubRepository: must be an Artifact Hub repository name'],
    [{ tekton: { bundleRepository: 'ghcr.io/o/c:v1' } }, 'tekton.bundleRepository: must be an OCI repository without tag or digest (e.g. ghcr.io/org/catalog)'],
    [{ argo: { maintainer: 'x' } }, 'argo.maintainer: must start with "@" (a GitHub handle)'],
    [{ name: 'A' }, 'name: must be a DNS-1123 label: lowercase letters, digits and "-"'],
    [{ name: 'a'.repeat(53) }, 'name: must be at most 52 characters (it prefixes generated object names)'],
    [{ version: 'v1' }, 'version: must be a version like 0.1 or 1.2.3'],
  ])('%j', (over, line) => {
    expect(errors(over)).toEqual([line]);
  });
  it('the signing password env and the trusted-root ConfigMap key', () => {
    expect(signing({ in: 'builder', passwordEnv: 'lower' })).toEqual(['signing.passwordEnv: must be an environment variable name']);
    expect(signing({ transparencyLog: { url: 'https://r.io', trustedRoot: { configMapName: 'c', key: 'a b' } } })).toEqual([
      'signing.transparencyLog.trustedRoot.key: must be a ConfigMap key (letters, digits, "-", "_", ".")',
    ]);
  });
  it.each(['commitParam', 'sourceDateEpochParam'])('ci.%s must be a param name', (field) => {
    expect(errors({ ci: { repository: 'r.io/a', [field]: 'x' } })[0]).toBe(`ci.${field}: must be a param name (^[A-Z][A-Z0-9_]*$)`);
  });
});

describe('URL schemes: exactly http or https for a Rekor, exactly https for a catalog', () => {
  const REKOR = 'signing.transparencyLog.url: expected an http(s) URL of a Rekor instance';
  it.each<[string, string[]]>([
    ['http://r.io', []], ['https://r.io', []], ['ftp://r.io', [REKOR]], ['xhttp://r.io', [REKOR]], ['httpsx://r.io', [REKOR]],
  ])('Rekor %s', (url, expected) => {
    expect(signing({ transparencyLog: { url } })).toEqual(expected);
  });
  it.each(['tekton', 'argo'])('%s.catalogUrl', (engine) => {
    const at = (catalogUrl: string) => errors({ [engine]: { catalogUrl } });
    expect(at('https://x.io/dist')).toEqual([]);
    for (const url of ['http://x.io', 'xhttps://x.io', 'httpsx://x.io']) expect(at(url)).toEqual([`${engine}.catalogUrl: expected an https URL`]);
  });
});
