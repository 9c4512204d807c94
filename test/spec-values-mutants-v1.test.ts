/**
 * src/spec/values.ts, survivors of its mutation run (first part): the field path each finding is
 * reported at, the length limits at their edges, the Secret key rules and the int32 wording.
 * Upstream facts (k8s.io/apimachinery pkg/util/validation): IsQualifiedName (name part at most 63
 * characters, optional prefix a DNS-1123 subdomain of at most 253), IsValidLabelValue (at most 63),
 * IsConfigMapKey (at most 253 characters; not "." or "..", not starting with "..").
 */
import { BASE, errorsOf } from './helpers';

const errors = (over: Record<string, unknown>) => errorsOf({ ...BASE, ...over });
const SUBDOMAIN = (at: string) => `${at}: "a..b" is not a DNS-1123 subdomain: every "."-separated part must start and end with a letter or digit`;
const DOTS = (at: string) => `${at}: a Secret key must not be "." or ".." or start with ".."`;
const SAID = (at: string) => `${at}: looks like a URL with a password: literal secrets are refused (the config, the rendered bundles, their docs and the build logs would all carry it); reference a Secret instead`;
const BAD_REF = { secretName: 'a..b', key: '..x' };
const signingKey = (key: string) => ({ attestation: 'max', signing: { key: { secretName: 's', key } } });
const PREFIX = 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".") of at most 253 characters';

describe('a git URL with a password: rules.ts speaks only when the URL starts with the credentials', () => {
  it('credentials further in the URL get the literal-secret message', () => {
    expect(errors({ context: { git: { url: 'https://github.com/o/a.git?x=https://u:p@h' } } })).toEqual([
      SAID('context.git.url'),
    ]);
  });
});

describe('node selector keys (IsQualifiedName) and values (IsValidLabelValue) at their limits', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['a 253-character prefix passes', { [`${'a'.repeat(253)}/n`]: 'x' }, []],
    ['a 63-character name passes', { ['a'.repeat(63)]: 'x' }, []],
    ['a 64-character name is refused', { ['a'.repeat(64)]: 'x' },
      [`nodeSelector.${'a'.repeat(64)}: the key is not a Kubernetes label key: it name part must be at most 63 characters (it has 64)`]],
    ['a 63-character value passes', { k: 'a'.repeat(63) }, []],
    ['a 64-character value is refused', { k: 'a'.repeat(64) }, ['nodeSelector.k: is not a Kubernetes label value: it must be at most 63 characters (it has 64)']],
    ['an empty name after the prefix is refused as empty', { 'p/': 'x' }, ['nodeSelector["p/"]: the key is not a Kubernetes label key: it has an empty name']],
    ['a 40-character prefix is quoted whole', { [`${'A'.repeat(40)}/n`]: 'x' },
      [`nodeSelector["${'A'.repeat(40)}/n"]: the key is not a Kubernetes label key: it prefix "${'A'.repeat(40)}" ${PREFIX}`]],
  ])('%s', (_, nodeSelector, expected) => {
    expect(errors({ nodeSelector })).toEqual(expected);
  });

  it('a 254-character prefix is refused, quoted to its first 40 characters', () => {
    const prefix = 'a'.repeat(254);
    expect(errors({ nodeSelector: { [`${prefix}/n`]: 'x' } })).toEqual([
      `nodeSelector["${prefix}/n"]: the key is not a Kubernetes label key: it prefix "${'a'.repeat(40)}…" ${PREFIX}`,
    ]);
  });
});

describe('Secret keys (IsConfigMapKey)', () => {
  it.each<[string, string, string[]]>([
    ['"." is refused', '.', [DOTS('signing.key.key')]],
    ['".." is refused', '..', [DOTS('signing.key.key')]],
    ['a key of 253 characters passes', 'a'.repeat(253), []],
    ['a key of 254 characters is refused', 'a'.repeat(254), ['signing.key.key: a Secret key must be at most 253 characters']],
    ['".a" passes', '.a', []],
    ['"a.." passes', 'a..', []],
  ])('%s', (_, key, expected) => {
    expect(errors(signingKey(key))).toEqual(expected);
  });
});

describe('32-bit counts: the message names who reads the field', () => {
  it('an Argo count names Argo', () => {
    expect(errors({ outputs: ['argo'], argo: { retryLimit: 2 ** 31 } })).toEqual([
      'argo.retryLimit: must be at most 2147483647: Argo reads it as a 32-bit integer',
    ]);
  });
});

describe('names the API server validates are reported at their own field', () => {
  it('nothing is reported for the minimal build (defaults included)', () => {
    expect(errors({})).toEqual([]);
  });

  it('the git token Secret', () => {
    expect(errors({ context: { git: { url: 'https://github.com/o/a.git', tokenSecret: BAD_REF } } })).toEqual([
      'context.git.tokenSecret: kimia (BuildKit) would put the token into the git URL it logs and records in provenance: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context',
      SUBDOMAIN('context.git.tokenSecret.secretName'),
      DOTS('context.git.tokenSecret.key'),
    ]);
  });

  it('the local context claim', () => {
    expect(errors({ context: { local: { claimName: 'a..b' } } })).toEqual([SUBDOMAIN('context.local.claimName')]);
  });

  it('the signing password and public key Secrets', () => {
    expect(errors({ attestation: 'max', signing: { key: { secretName: 's', key: 'k' }, password: BAD_REF, publicKey: BAD_REF } })).toEqual([
      SUBDOMAIN('signing.password.secretName'),
      DOTS('signing.password.key'),
      SUBDOMAIN('signing.publicKey.secretName'),
      DOTS('signing.publicKey.key'),
    ]);
  });

  it('the registry Secrets', () => {
    expect(errors({ variant: 'kimia-bud', registry: { credentialsSecret: 'a..b', certificatesSecret: 'a..b' } })).toEqual([
      SUBDOMAIN('registry.credentialsSecret'),
      SUBDOMAIN('registry.certificatesSecret'),
    ]);
  });

  it('the Argo executor ServiceAccount', () => {
    expect(errors({ outputs: ['argo'], argo: { executorServiceAccountName: 'a..b' } })).toEqual([SUBDOMAIN('argo.executorServiceAccountName')]);
  });
});

describe('the Job name', () => {
  it('a literal name is checked even when the build renders no Job', () => {
    expect(errors({ outputs: ['tekton'], job: { name: 'App' } })).toEqual([
      'job.name: "App" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job',
    ]);
  });
});

describe('a URL with a password is left to rules.ts only at context.git.url (values.ts everyString)', () => {
  it('a build arg value', () => {
    expect(errors({ buildArgs: { X: 'https://u:pass@host/x' } })).toEqual([SAID('buildArgs.X')]);
  });
  it('a build arg named git (a path whose second step is "git")', () => {
    expect(errors({ buildArgs: { git: 'https://u:pass@host/x' } })).toContain(SAID('buildArgs.git'));
  });
  it('another field named url (the Rekor URL)', () => {
    expect(errors({ attestation: 'max', signing: { key: { secretName: 's', key: 'k' }, transparencyLog: { url: 'https://u:pass@rekor.io' } } }))
      .toContain(SAID('signing.transparencyLog.url'));
  });
  it('another field of context.git', () => {
    expect(errors({ context: { git: { url: 'https://github.com/o/a.git', revision: 'https://u:pass@host/x' } } })).toContain(SAID('context.git.revision'));
  });
});
