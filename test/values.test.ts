/**
 * Values checked at parse time (src/spec/values.ts), secret patterns (src/spec/secrets.ts), and
 * error lines: one `file:line:col: field: reason` line per issue, invisible controls escaped,
 * secrets never echoed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatIssue, oneLine, parseBuildSpec, SpecError } from '../src/internal';
import { redactSecrets, secretKind } from '../src/spec/secrets';
import { isMastermindsConstraint, labelValueProblem, parseImage, qualifiedNameProblem } from '../src/spec/values';
import { BASE, cli, errorsOf } from './helpers';

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };
const GHP = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;

describe('secret-looking literals', () => {
  const secrets: Array<[string, string]> = [
    ['a GitHub token', GHP],
    ['a GitHub token', `gho_${'x'.repeat(36)}`],
    ['a GitHub token', `github_pat_11ABCDEFG0${'x'.repeat(12)}_${'y'.repeat(59)}`],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['an AWS access key id', 'key=ASIAY34FZKBOKMUTVV7A'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['a private key', '-----BEGIN PRIVATE KEY-----'],
    ['a private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ['a URL with a password', 'https://deploy:hunter2@registry.io/x'],
    ['a URL with a password', 'clone redis://:secret@cache:6379/0 first'],
    ['a Slack token', 'xoxb-123456789012-abcdefghijkl'],
    ['a Slack webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['a GitLab token', 'glpat-A1b2C3d4E5A1b2C3d4E5'],
    ['an npm token', `npm_${'a1B2c3D4e5F6'.repeat(3)}`],
    ['a Google API key', 'AIzaSy0123456789abcdefghijklmnopqrstuvw'],
    ['a JSON Web Token', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['a Stripe secret key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['a Docker Hub token', 'dckr_pat_2b3e36beeb386dfdaacb9b46004'],
  ];
  it.each(secrets)('%s: %s', (kind, text) => expect(secretKind(text)).toBe(kind));

  it('no false positives on ordinary values', () => {
    for (const text of [
      'registry.io/team/app:v1', 'ghcr.io/rapidfort/kimia:1.0.25', `registry.io/app@sha256:${'a'.repeat(64)}`, `sha256:${'0f'.repeat(32)}`,
      '0123456789abcdef0123456789abcdef01234567', 'https://github.com/myorg/myapp.git', 'git@github.com:org/repo.git', 'https://user@github.com/o/a',
      'http://proxy:3128', 'http://host:8080/path@x', 'ssh://git@host:22/o/a.git', 'type=registry,ref=registry.io/cache:buildcache',
      'ghp_short', 'my ghp_token label', 'AKIAshort', 'XAKIAIOSFODNN7EXAMPLEX', 'eyJhbGciOiJIUzI1NiJ9', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
      '-----BEGIN PUBLIC KEY-----', '-----BEGIN CERTIFICATE-----', 'Build, attest and sign myapp with cosign.', 'org.opencontainers.image.source',
      '550e8400-e29b-41d4-a716-446655440000', 'npm_config_cache', 'glpat-short',
    ]) {
      expect({ text, kind: secretKind(text) }).toEqual({ text, kind: undefined });
    }
  });

  it('refused in every user string and key, naming the field and the kind, never echoing it', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ labels: { note: GHP } }, 'labels.note: looks like a GitHub token'],
      [{ labels: { [GHP]: 'x' } }, 'labels.<redacted GitHub token>: the key looks like a GitHub token'],
      [{ description: 'uses AKIAIOSFODNN7EXAMPLE for S3' }, 'description: looks like an AWS access key id'],
      [{ buildArgs: { KEY: '-----BEGIN OPENSSH PRIVATE KEY-----' } }, 'buildArgs.KEY: looks like a private key'],
      [{ nodeSelector: { pool: 'https://a:b@c' } }, 'nodeSelector.pool: looks like a URL with a password'],
      [{ params: { TAG: { description: 'tag', default: GHP } }, destinations: ['registry.io/a:${TAG}'] }, 'params.TAG.default: looks like a GitHub token'],
      [{ params: { TAG: { description: 'tag', example: 'v1', enum: ['v1', 'xoxb-123456789012-abcdefghijkl'] } }, destinations: ['registry.io/a:${TAG}'] },
        'params.TAG.enum[1]: looks like a Slack token'],
      [{ outputs: ['argo'], argo: { maintainer: `@${GHP}` } }, 'argo.maintainer: looks like a GitHub token'],
      [{ cache: { export: ['type=registry,ref=registry.io/c,token=glpat-A1b2C3d4E5A1b2C3d4E5'] } }, 'cache.export[0]: looks like a GitLab token'],
    ];
    for (const [patch, start] of cases) {
      const lines = errorsOf({ ...BASE, ...patch });
      expect(lines.some((l) => l.startsWith(`${start}: literal secrets are refused`))).toBe(true);
      expect(lines.join('\n')).not.toMatch(/ghp_a1B2|AKIAIOSF|xoxb-1234|glpat-A1b2|hunter2/);
    }
  });

  it('any error line shows a secret by its kind only, whatever rule raised it', () => {
    expect(redactSecrets(`tag "${GHP}" must match`)).toBe('tag "<redacted GitHub token>" must match');
    expect(formatIssue({ path: ['destinations', 0], message: `"registry.io/a:${GHP}x" is wrong` }, 'c.yaml')).not.toContain(GHP);
  });
});

describe('values the API server rejects, at parse time', () => {
  it('label keys and values (node selectors land in the pod spec)', () => {
    expect(qualifiedNameProblem('kubernetes.io/arch')).toBeUndefined();
    expect(qualifiedNameProblem('pool')).toBeUndefined();
    expect(qualifiedNameProblem('a/b/c')).toMatch(/one "\/"/);
    expect(qualifiedNameProblem('/pool')).toMatch(/empty prefix/);
    expect(qualifiedNameProblem('Example.com/pool')).toMatch(/prefix/);
    expect(qualifiedNameProblem(`x/${'a'.repeat(64)}`)).toMatch(/at most 63/);
    expect(qualifiedNameProblem('pool-')).toMatch(/starting and ending/);
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('amd64')).toBeUndefined();
    expect(labelValueProblem('a/b')).toMatch(/no "\/"/);
    expect(labelValueProblem('x'.repeat(64))).toMatch(/at most 63/);

    expect(errorsOf({ ...BASE, nodeSelector: { 'kubernetes.io/arch': 'amd64', pool: '' } })).toEqual([]);
    expect(errorsOf({ ...BASE, nodeSelector: { pool: 'a/b' } })).toEqual([
      'nodeSelector.pool: is not a Kubernetes label value: it must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (no "/", spaces or other characters)',
    ]);
    expect(errorsOf({ ...BASE, nodeSelector: { pool: 'a\u0000b' } })).toEqual([
      'nodeSelector.pool: contains NUL (U+0000): no Kubernetes field, file name or process argument can carry it',
      'nodeSelector.pool: is not a Kubernetes label value: it must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (no "/", spaces or other characters)',
    ]);
    expect(errorsOf({ ...BASE, nodeSelector: { 'a/b/c': 'x' } })).toEqual(['nodeSelector["a/b/c"]: the key is not a Kubernetes label key: it may hold one "/" at most ([prefix/]name)']);
  });

  it('image labels are no Kubernetes labels: slashes and long values stay allowed', () => {
    expect(errorsOf({ ...BASE, labels: { 'org.opencontainers.image.source': 'https://github.com/o/a', note: 'x'.repeat(300) } })).toEqual([]);
  });

  it('tolerations as the API server validates them', () => {
    expect(errorsOf({ ...BASE, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'build', effect: 'NoSchedule' }, { operator: 'Exists' }] })).toEqual([]);
    expect(errorsOf({ ...BASE, tolerations: [{ key: 'a b', value: 'a/b' }, { value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }] })).toEqual([
      'tolerations[0].key: is not a Kubernetes label key: it name part must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      'tolerations[0].value: is not a Kubernetes label value: it must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (no "/", spaces or other characters)',
      'tolerations[1].operator: must be Exists when key is not set (a toleration of every taint); the API server refuses the toleration otherwise',
      'tolerations[2].value: must be empty when operator is Exists (the API server refuses it)',
      'tolerations[3].tolerationSeconds: needs effect NoExecute (the API server refuses tolerationSeconds with other effects)',
    ]);
  });

  it('names: DNS-1123 subdomains, Secret keys, the Job name', () => {
    expect(errorsOf({ ...BASE, serviceAccountName: 'a..b' })).toEqual(['serviceAccountName: "a..b" is not a DNS-1123 subdomain: every "."-separated part must start and end with a letter or digit']);
    expect(errorsOf({ ...BASE, attestation: 'max', signing: { key: { secretName: 'k.-s', key: '..data' } } })).toEqual([
      'signing.key.secretName: "k.-s" is not a DNS-1123 subdomain: every "."-separated part must start and end with a letter or digit',
      'signing.key.key: a Secret key must not be "." or ".." or start with ".."',
    ]);
    expect(errorsOf({ ...BASE, job: { name: 'App' } })).toEqual(['job.name: "App" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job']);
    const param = { params: { C: { description: 'c', default: 'Bad' } }, destinations: ['registry.io/a:${C}'] };
    expect(errorsOf({ ...BASE, ...param, job: { name: 'app-${C}' } })).toEqual([
      'job.name: with the default of ${C}, "app-Bad" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job',
    ]);
    // A Tekton/Argo-only build has no Job: its defaults do not name one.
    expect(errorsOf({ ...BASE, ...param, outputs: ['tekton'], job: { name: 'app-${C}' } })).toEqual([]);
  });

  it('image references: valid, and the Tekton and Argo tool images pinned', () => {
    expect(parseImage('alpine')).toEqual({ name: 'alpine' });
    expect(parseImage('localhost:5000/a/b:1')).toEqual({ name: 'localhost:5000/a/b', tag: '1' });
    expect(parseImage(`r.io/a@sha256:${'a'.repeat(64)}`)).toEqual({ name: 'r.io/a', digest: `sha256:${'a'.repeat(64)}` });
    expect(parseImage('a b')).toBe('contains whitespace');
    expect(parseImage('r.io/A:1')).toMatch(/repository path/);
    expect(parseImage('r.io/a@sha256:00')).toMatch(/digest/);
    expect(parseImage('r.io/a:-1')).toMatch(/tag/);

    const tools = { outputs: ['tekton', 'argo'], context: { local: {} }, tekton: { gitImage: 'alpine/git:2.45.2' }, argo: { cosignImage: `c.io/cosign@sha256:${'b'.repeat(64)}` } };
    expect(errorsOf({ ...BASE, ...tools })).toEqual([]);
    expect(errorsOf({ ...BASE, ...tools, tekton: { gitImage: 'alpine/git' }, argo: { craneImage: 'crane:latest', gitImage: 'a b:1' } })).toEqual([
      'tekton.gitImage: "alpine/git" must be pinned to a version tag or a digest (the Tekton catalog refuses :latest and untagged images)',
      'argo.gitImage: "a b:1" is not an image reference: it contains whitespace',
      'argo.craneImage: "crane:latest" must be pinned to a version tag or a digest (the Argo catalog refuses :latest and untagged images)',
    ]);
    const image = { params: { IMG: { description: 'i', default: 'alpine' } }, builderImage: '${IMG}' };
    expect(errorsOf({ ...BASE, ...image })).toEqual(['builderImage: with the default of ${IMG}, "alpine" must be pinned to a version tag or a digest (not untagged or :latest)']);
    expect(errorsOf({ ...BASE, ...image, params: { IMG: { description: 'i', default: 'ghcr.io/rapidfort/kimia:1.0.25' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, ci: { repository: 'registry.io/app:v1' } })).toEqual(['ci.repository: "registry.io/app:v1" must be a repository without tag or digest: the CI profiles add the tags']);
    // The Argo catalog reads a param named …IMAGE as an image.
    expect(errorsOf({ ...BASE, outputs: ['argo'], params: { IMAGE: { description: 'i', default: 'registry.io/app' } }, destinations: ['${IMAGE}'] })).toEqual([
      'params.IMAGE.default: "registry.io/app" must be pinned to a version tag or a digest: the Argo catalog reads a param named …IMAGE as an image and refuses :latest and untagged ones',
    ]);
  });

  it('argo.minArgoVersion: a semver constraint the way the Argo catalog reads it', () => {
    // Masterminds/semver v1.5.0 NewConstraint.
    for (const c of ['>= 3.6.0', '>=3.6', '3.6', 'v3.6.0', '~3.6', '^3', '>= 3.6.0, < 4', '>= 1 || < 0.5', '1.2 - 1.4', '3.x', '~> 1.2', '=> 1', '!= 1.2.3-rc.1']) {
      expect({ c, ok: isMastermindsConstraint(c) }).toEqual({ c, ok: true });
    }
    for (const c of ['', 'latest', '>= 1|2', '1x', '>= 99999999999999999999', '>= 3.6.0,', '>= 3.6.0 ||', '>> 1', '3.6.0.1']) {
      expect({ c, ok: isMastermindsConstraint(c) }).toEqual({ c, ok: false });
    }
    const argo = (minArgoVersion: string) => errorsOf({ ...BASE, outputs: ['argo'], argo: { minArgoVersion } });
    expect(argo('>= 3.6.0, < 4')).toEqual([]);
    // What Masterminds reads but our own output gate does not (||, x ranges) is refused too.
    for (const c of ['latest', '>= 3.6 || >= 4', '3.x', '>= 99999999999999999999']) {
      expect(argo(c)).toEqual([`argo.minArgoVersion: "${c}" is not a semver constraint (workflows.argoproj.io/version, read with Masterminds/semver): write e.g. ">= 3.6.0" or ">= 3.6.0, < 4"`]);
    }
  });

  it('resource requests within their limits, 32-bit counts in range', () => {
    expect(errorsOf({ ...BASE, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1024Mi' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, resources: { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '1500m', memory: '1G' } } })).toEqual([
      'resources.requests.cpu: 2 is more than the limit 1500m: the API server refuses a request above its limit',
      'resources.requests.memory: 2Gi is more than the limit 1G: the API server refuses a request above its limit',
    ]);
    expect(errorsOf({ ...BASE, job: { ttlSecondsAfterFinished: 2 ** 31 }, argo: { retryLimit: 2 ** 31 - 1 } })).toEqual([
      'job.ttlSecondsAfterFinished: must be at most 2147483647: the Job API reads it as a 32-bit integer',
    ]);
  });

  it('control characters are refused in every string and key', () => {
    expect(errorsOf({ ...BASE, description: 'a\u001b[31mred' })).toEqual(['description: contains the control character U+001B: write text without terminal or control codes']);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', buildArgs: { 'A\u0000': 'x' } })).toEqual(['buildArgs["A\\u0000"]: the key contains NUL (U+0000): no Kubernetes field, file name or process argument can carry it']);
    expect(errorsOf({ ...BASE, description: 'tab\tand\nnewline' })).toEqual([]);
  });
});

describe('error lines', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-values-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('escape bidi and zero-width controls like other controls', () => {
    expect(oneLine('a\u202eb\u200bc\u200fd\u2066e\u2069f\ufeffg\u061ch\u0085i')).toBe('a\\u202eb\\u200bc\\u200fd\\u2066e\\u2069f\\ufeffg\\u061ch\\u0085i');
    const file = path.join(tmp, 'c.yaml');
    fs.writeFileSync(file, 'builds:\n  - name: app\n    context: {git: {url: https://github.com/o/a.git}}\n    destinations: ["registry.io/a:v1"]\n    platform: "linux/\u202eamd64\u200b"\n');
    const r = cli('validate', '--config', file);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
    expect(r.err).toContain('\\u202e');
    expect(r.err).toMatch(/^.*c\.yaml:5:15: builds\[0\]\.platform: /);
  });

  it('issues found after parsing point into the file, with the param values before the reason', () => {
    const file = path.join(tmp, 'c.yaml');
    fs.copyFileSync(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'), file);
    const r = cli('render', '--build', 'myapp-production', '--set', 'COMMIT=Bad/Tag', '--config', file);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/c\.yaml:\d+:\d+: builds\[2\]\.\S+: with \$\{COMMIT\}="Bad\/Tag": /);
      expect(line).not.toMatch(/\(with params/);
    }
    // The destination's own line and column in the file.
    const at = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('- registry.io/myapp:${COMMIT}')) + 1;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`c\\.yaml:${at}:9: builds\\[2\\]\\.destinations\\[0\\]: with \\$\\{COMMIT\\}="Bad/Tag": `)));
    // A --set for no build names the config's root.
    const s = cli('render', '--build', 'myapp-production', '--set', 'NOPE=1', '--config', file);
    expect(s.err).toMatch(/^.*c\.yaml:\d+:\d+: --set NOPE: no selected build declares a param "NOPE"\n$/);
  });

  it('a SpecError with a file takes each issue\'s position from it', () => {
    const file = path.join(tmp, 'lock.json');
    fs.writeFileSync(file, '{\n  "lockVersion": 1,\n  "bundles": {\n    "x": 3\n  }\n}\n');
    const e = new SpecError([{ path: ['bundles', 'x'], message: 'expected an object' }, { path: [], message: 'whole file' }], { file });
    expect(e.message.split('\n')).toEqual([`${file}:4:10: bundles.x: expected an object`, `${file}:1:1: whole file`]);
    expect(new SpecError([{ path: [], message: 'cannot read config: no such file' }], { file: path.join(tmp, 'none.yaml') }).message)
      .toBe(`${path.join(tmp, 'none.yaml')}: cannot read config: no such file`);
  });

  it('a map key that breaks its pattern says why', () => {
    expect(() => parseBuildSpec({ ...BASE, params: { lower: { description: 'x' } } })).toThrow('params.lower: the key param names must match ^[A-Z][A-Z0-9_]*$');
  });

  it('the examples still parse', () => {
    expect(errorsOf({ ...BASE, attestation: 'max', signing: SIGNING })).toEqual([]);
  });
});
