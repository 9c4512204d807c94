/**
 * The committed JSON Schema (schema/kimia-bundles.schema.json, what editors use) accepts exactly
 * what the parser accepts (issue 13 item 6), on every config the repo has: the examples, the
 * YAML configs under test/, every config written out in a test file, and hand-written variants of
 * each short form and each rule the schema states.
 *
 * - the parser accepts ⇒ the schema accepts (an editor must never flag a config the tool takes);
 * - the schema accepts and the parser refuses ⇒ every error is one of the documented checks only
 *   the parser makes (PARSER_ONLY in src/spec/json-schema.ts, each with its reason).
 *
 * That the committed file is what `configJsonSchema()` writes now is pinned by cli.test.ts
 * ("schema prints the committed JSON Schema").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as fc from 'fast-check';
import { parse as parseYaml, stringify } from 'yaml';
import { formatPath, parseConfigText, SpecError, type SpecIssue } from '../src/spec';
import { PARSER_ONLY, SCHEMA_ID } from '../src/spec/json-schema';
import { BASE } from './helpers';

const ROOT = path.join(__dirname, '..');
const SCHEMA_FILE = path.join(ROOT, 'schema', 'kimia-bundles.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
// Draft-07 Ajv; strictRequired/strictTypes only object to `required` beside `properties` in a
// oneOf branch, which is valid draft-07. `uri` as yaml-language-server reads it: a URL.
const ajv = new Ajv({
  strict: true, strictRequired: false, strictTypes: false, allErrors: true,
  formats: { uri: (s: string) => { try { new URL(s); return true; } catch { return false; } } },
});
const validate = ajv.compile(schema);

function files(dir: string, test: (f: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '__snapshots__' ? [] : files(f, test);
    return test(f) ? [f] : [];
  });
}

interface Case { readonly name: string; readonly text: string }

/** examples/**.yaml and every YAML file under test/ that is a config (has `builds:`). */
const yamlCases: Case[] = [
  ...files(path.join(ROOT, 'examples'), (f) => /\.ya?ml$/.test(f)),
  ...files(path.join(ROOT, 'test'), (f) => /\.ya?ml$/.test(f) && /^builds:/m.test(fs.readFileSync(f, 'utf8'))),
].map((f) => ({ name: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));

/**
 * Configs written out in test files: template literals that start a YAML config with `builds:`
 * and interpolate nothing (those that do are built at run time; their parts are covered here by
 * the variants below).
 */
const literalCases: Case[] = files(path.join(ROOT, 'test'), (f) => /\.ts$/.test(f) && !f.endsWith('json-schema.test.ts')).flatMap((f) => {
  const src = fs.readFileSync(f, 'utf8');
  return [...src.matchAll(/`(\s*builds:[^`]*)`/g)]
    .map((m, i) => ({ name: `${path.relative(ROOT, f)} #${i + 1}`, text: m[1] }))
    .filter((c) => !c.text.includes('${') && !c.text.includes('\\'));
});

const build = (extra: Record<string, unknown>, base: Record<string, unknown> = BASE as unknown as Record<string, unknown>) => ({ ...base, ...extra });
const LOCAL = { context: { local: { path: '/home/kimia/workspace', claimName: 'src' } } };
const SIGNING = { signing: { key: { secretName: 'cosign', key: 'cosign.key' } } };

/** Each short form, each rule the schema states (accepted and refused), and some cross-field cases. */
const VARIANTS: Record<string, Record<string, unknown>> = {
  'BASE': {},
  'attestation: off': { attestation: 'off' },
  'attestation: min': { attestation: 'min' },
  'attestation: max': { attestation: 'max' },
  'attestation: bogus': { attestation: 'bogus' },
  'attestation: 1': { attestation: 1 },
  'attestation: {mode: max}': { attestation: { mode: 'max' } },
  'attestation: {}': { attestation: {} },
  'attestation: mode and attest': { attestation: { mode: 'max', attest: [{ type: 'sbom' }] } },
  'attestation: attest entries': { attestation: { attest: [{ type: 'sbom', scanStage: true }, { type: 'provenance', mode: 'max' }] } },
  'attestation: a comma in an attest value': { attestation: { attest: [{ type: 'provenance', builderId: 'a,b' }] } },
  'attestation: extra keys': { attestation: { attest: [{ type: 'sbom', extra: { 'x-y': 'z' } }] } },
  'attestation: an extra key with its own field': { attestation: { attest: [{ type: 'sbom', extra: { generator: 'z' } }] } },
  'attestation: an uppercase extra key': { attestation: { attest: [{ type: 'sbom', extra: { Foo: 'z' } }] } },
  'attestation: a comma in an extra value': { attestation: { attest: [{ type: 'provenance', extra: { foo: 'a,b' } }] } },
  'attestation: a secret-looking extra key': { attestation: { attest: [{ type: 'provenance', extra: { privatekey: 'x' } }] } },
  'reproducible: true': { reproducible: true },
  'reproducible: false': { reproducible: false },
  'reproducible: yes (a string)': { reproducible: 'yes' },
  'reproducible: {}': { reproducible: {} },
  'reproducible: a timestamp': { reproducible: { timestamp: '1609459200' } },
  'reproducible: a timestamp that is not seconds': { reproducible: { timestamp: '2021-01-01' } },
  'reproducible: sourceDateEpoch not seconds': { reproducible: { sourceDateEpoch: 'soon' } },
  'reproducible: disabled with a timestamp': { reproducible: { enabled: false, timestamp: '1' } },
  'reproducible: a templated epoch': { params: { EPOCH: { description: 'e', default: '1' } }, reproducible: { sourceDateEpoch: '${EPOCH}' } },
  'reproducible: with a cache (cross-field)': { reproducible: true, cache: { enabled: true } },
  'reproducible: fromGit with a git context (cross-field)': { reproducible: { sourceDateEpoch: { fromGit: true } } },
  'reproducible: fromGit with a local context': { ...LOCAL, reproducible: { sourceDateEpoch: { fromGit: true } } },
  'signing: a password as a literal': { ...SIGNING, signing: { ...SIGNING.signing, password: 'hunter2' } },
  'signing: a password reference': { signing: { ...SIGNING.signing, password: { secretName: 'cosign', key: 'password' } } },
  'signing: passwordEnv HOME': { attestation: 'max', signing: { ...SIGNING.signing, in: 'builder', passwordEnv: 'HOME' } },
  'signing: public Rekor': { signing: { ...SIGNING.signing, transparencyLog: 'public' } },
  'signing: own Rekor': { signing: { ...SIGNING.signing, transparencyLog: { url: 'https://rekor.example.com' } } },
  'signing: an ftp Rekor': { signing: { ...SIGNING.signing, transparencyLog: { url: 'ftp://rekor.example.com' } } },
  'signing: builder without attestation (cross-field)': { signing: { ...SIGNING.signing, in: 'builder' } },
  'signing: no push (cross-field)': { ...SIGNING, push: false },
  'buildArgs: an empty value': { buildArgs: { FOO: '' } },
  'buildArgs: a secret-looking key': { buildArgs: { DB_PASSWORD: 'x' } },
  'buildArgs: a lowercase key (kimia: cross-field)': { buildArgs: { http_proxy: 'x' } },
  'buildArgs: a lowercase key (kimia-bud)': { variant: 'kimia-bud', buildArgs: { http_proxy: 'x' } },
  'buildArgs: a long key': { variant: 'kimia-bud', buildArgs: { ['K'.repeat(129)]: 'x' } },
  'labels: an empty value': { labels: { a: '' } },
  'labels: a secret-looking key': { labels: { 'my.token': 'x' } },
  'context: git URL with a password': { context: { git: { url: 'https://user:pw@github.com/o/r.git' } } },
  'context: git https URL with a user': { context: { git: { url: 'https://user@github.com/o/r.git' } } },
  'context: git ssh URL': { context: { git: { url: 'git@github.com:o/r.git' } } },
  'context: not git': { context: { git: { url: '/some/dir' } } },
  'context: a templated URL': { params: { URL: { description: 'u', default: 'https://github.com/o/r.git' } }, context: { git: { url: '${URL}' } } },
  'context: tokenSecret': { context: { git: { url: 'https://github.com/o/r.git', tokenSecret: { secretName: 't', key: 'token' } } } },
  'context: a revision with ..': { context: { git: { url: 'https://github.com/o/r.git', revision: 'a..b' } } },
  'context: a branch with a leading -': { context: { git: { url: 'https://github.com/o/r.git', branch: '-x' } } },
  'context: a revision with a space': { context: { git: { url: 'https://github.com/o/r.git', revision: 'a b' } } },
  'context: local': LOCAL,
  'context: a relative local path': { context: { local: { path: 'workspace', claimName: 'src' } } },
  'context: a local path that looks like git': { context: { local: { path: '/home/kimia/repo.git', claimName: 'src' } } },
  'context: a local path that hides kimia (cross-field)': { context: { local: { path: '/home/kimia/.docker', claimName: 'src' } } },
  'platform: linux/arm64': { platform: 'linux/arm64' },
  'platform: two': { platform: 'linux/amd64,linux/arm64' },
  'platform: windows': { platform: 'windows/amd64' },
  'platforms: multi-arch': { platforms: ['linux/amd64', 'linux/arm64'], outputs: ['tekton', 'argo'] },
  'platforms: duplicates': { platforms: ['linux/amd64', 'linux/amd64'], outputs: ['tekton', 'argo'] },
  'platforms: with a Job (cross-field)': { platforms: ['linux/amd64', 'linux/arm64'] },
  'destinations: duplicates': { destinations: ['registry.io/a:v1', 'registry.io/a:v1'] },
  'destinations: uppercase (cross-field: parsed reference)': { destinations: ['registry.io/MyApp:v1'] },
  'buildkitOpts: attest: alone': { buildkitOpts: ['attest:sbom'] },
  'buildkitOpts: attest: beside an attestation': { attestation: 'max', buildkitOpts: ['attest:sbom'] },
  'buildkitOpts: platform=': { buildkitOpts: ['platform=linux/arm64'] },
  'buildkitOpts: platform= two': { buildkitOpts: ['platform=linux/arm64,linux/amd64'] },
  'buildkitOpts: a secret-looking key': { buildkitOpts: ['secret_token=x'] },
  'buildkitOpts: a plain option': { buildkitOpts: ['image-manifest=true'] },
  'buildahOpts: a flag': { variant: 'kimia-bud', buildahOpts: ['--jobs=2'] },
  'buildahOpts: a flag kimia sets': { variant: 'kimia-bud', buildahOpts: ['--tag x'] },
  'buildahOpts: --userns': { variant: 'kimia-bud', buildahOpts: ['--userns-uid-map=0:1:1'] },
  'buildahOpts: --creds': { variant: 'kimia-bud', buildahOpts: ['--creds=u:p'] },
  'buildahOpts: no flag': { variant: 'kimia-bud', buildahOpts: ['jobs=2'] },
  'buildahOpts: a secret-looking flag': { variant: 'kimia-bud', buildahOpts: ['--secret-file x'] },
  'buildahOpts: a metacharacter in the flag': { variant: 'kimia-bud', buildahOpts: ['--a;b'] },
  'buildahOpts: with kimia (cross-field)': { buildahOpts: ['--jobs=2'] },
  'cache: a registry cache': { cache: { export: ['type=registry,ref=registry.io/c'], import: ['type=registry,ref=registry.io/c'] } },
  'cache: a bad spec': { cache: { export: ['registry.io/c'] } },
  'cache: braces': { cache: { import: ['type=local,src={x}'] } },
  'cache: a secret-looking key (parser only)': { cache: { import: ['type=s3,access_key_id=x'] } },
  'registry: insecure registries': { registry: { insecureRegistries: ['registry.local:5000'] } },
  'registry: an insecure registry with a scheme': { registry: { insecureRegistries: ['http://registry.local'] } },
  'job: a huge ttl': { job: { ttlSecondsAfterFinished: 2147483648 } },
  'argo: a huge retryLimit': { argo: { retryLimit: 2147483648 } },
  'variant: kimia-bud': { variant: 'kimia-bud' },
  'an unknown field': { colour: 'blue' },
  'params: declared, unused (cross-field)': { params: { X: { description: 'x' } } },
  'params: a reference outside templatable fields': { params: { X: { description: 'x', default: 'a' } }, description: 'built at ${X}' },
  'tarPath: without a claim (cross-field)': { tarPath: '/home/kimia/output/image.tar', push: false },
  'tarPath: with a claim': { tarPath: '/home/kimia/output/image.tar', tarClaimName: 'out', push: false },
  'resources: request above limit': { resources: { requests: { memory: '9Gi' }, limits: { memory: '8Gi' } } },
  'nodeSelector: a bad value': { nodeSelector: { zone: 'a b' } },
  'a NUL in a string': { description: 'a\u0000b' },
  'a control character in a map key': { nodeSelector: { 'a\u0007b': 'x' } },
  'a control character in a label value': { labels: { a: 'x\u001bb' } },
  'a tab in a description': { description: 'a\tb' },
};

const variantCases: Case[] = [
  ...Object.entries(VARIANTS).map(([name, extra]) => ({ name: `variant: ${name}`, text: stringify({ builds: [build(extra)] }) })),
  { name: 'variant: two builds with one name', text: stringify({ builds: [BASE, BASE] }) },
  { name: 'variant: no builds', text: stringify({ builds: [] }) },
  { name: 'variant: not a mapping', text: stringify(['x']) },
];

const CASES: Case[] = [...yamlCases, ...literalCases, ...variantCases];

interface Outcome { readonly parser: string[]; readonly unexplained: string[]; readonly schema: boolean }

function outcome(text: string): Outcome | undefined {
  let value: unknown;
  try {
    value = parseYaml(text, { uniqueKeys: true });
  } catch {
    return undefined; // malformed YAML: neither reads it
  }
  let issues: readonly SpecIssue[] = [];
  try {
    parseConfigText(text);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    issues = e.issues;
  }
  const lines = issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  const unexplained = issues
    .filter((i) => !PARSER_ONLY.some((c) => c.message.test(i.message) && (!c.field || c.field.test(formatPath(i.path)))))
    .map((i) => `${formatPath(i.path)}: ${i.message}`);
  return { parser: lines, unexplained, schema: validate(value) as boolean };
}

describe('the JSON Schema accepts what the parser accepts', () => {
  it('has a draft-07 $schema and its $id', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(SCHEMA_ID);
  });

  it('covers the examples, the test configs and the variants', () => {
    expect(yamlCases.map((c) => c.name)).toEqual(expect.arrayContaining(['examples/kimia-bundles.yaml', 'test/conformance/matrix.yaml']));
    expect(literalCases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = outcome(c.text);
    if (!o) return;
    const schemaErrors = () => ajv.errorsText(validate.errors, { separator: '\n' });
    // The parser accepts ⇒ the schema accepts.
    if (o.parser.length === 0) expect({ schema: o.schema, errors: o.schema ? '' : schemaErrors() }).toEqual({ schema: true, errors: '' });
    // The schema accepts ⇒ the parser accepts, or refuses only for checks the schema cannot make.
    if (o.schema) expect(o.unexplained).toEqual([]);
  });

  it('refuses, in the schema, what the parser refuses for a rule the schema states', () => {
    // Spot checks that the variants reach both sides (the table above checks ⇔ for each).
    const refused = (name: string) => outcome(variantCases.find((c) => c.name === `variant: ${name}`)!.text)!;
    for (const name of ['attestation: bogus', 'attestation: mode and attest', 'reproducible: yes (a string)', 'platform: windows', 'buildahOpts: --creds', 'signing: passwordEnv HOME']) {
      expect({ name, ...refused(name) }).toMatchObject({ name, schema: false });
    }
    for (const name of ['attestation: max', 'reproducible: true', 'reproducible: false', 'signing: own Rekor']) {
      expect({ name, ...refused(name) }).toMatchObject({ name, schema: true, parser: [] });
    }
  });

  it('agrees on generated values of the fields with patterns (property)', () => {
    // Strings made of the characters and words the patterns turn on, in the fields they constrain.
    const word = fc.constantFrom('a', 'Z', '0', '-', '_', '.', '/', ':', '@', '=', ',', ' ', '$', '{', '}', '(', ';', 'P', 'S', 'git', '.git', 'git@',
      'https://', 'http://u:p@', 'type=', 'registry', 'linux/', 'amd64', 'arm/v7', '--', '--tag', 'pass', 'TOKEN', 'Api_Key', '..', '${X}', '1', '/home/kimia/', '\u0000', '\u0007', '\t', '\n');
    const str = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(''));
    const field = fc.oneof(
      str.map((v) => ({ context: { git: { url: v } } })),
      str.map((v) => ({ context: { git: { url: 'https://github.com/o/r.git', revision: v, branch: v } } })),
      str.map((v) => ({ context: { local: { path: v, claimName: 'src' } } })),
      str.map((v) => ({ reproducible: { timestamp: v, sourceDateEpoch: v } })),
      str.map((v) => ({ variant: 'kimia-bud', buildahOpts: [v] })),
      fc.tuple(str, fc.boolean()).map(([v, a]) => ({ buildkitOpts: [v], ...(a ? { attestation: 'max' } : {}) })),
      str.map((v) => ({ cache: { export: [v], enabled: false } })),
      str.map((v) => ({ platform: v })),
      str.map((v) => ({ registry: { insecureRegistries: [v] } })),
      fc.tuple(str, fc.constantFrom('kimia', 'kimia-bud')).map(([v, variant]) => ({ variant, buildArgs: { [v]: v }, labels: { [v]: v } })),
      fc.tuple(str, str).map(([k, v]) => ({ attestation: { attest: [{ type: 'provenance', builderId: v, extra: { [k]: v } }] } })),
      str.map((v) => ({ signing: { key: { secretName: 'c', key: 'k' }, passwordEnv: v, transparencyLog: { url: v } } })),
    );
    fc.assert(fc.property(field, (extra) => {
      const o = outcome(stringify({ builds: [build(extra)] }))!;
      if (o.parser.length === 0) expect({ extra, schema: o.schema }).toEqual({ extra, schema: true });
      if (o.schema) expect({ extra, unexplained: o.unexplained }).toEqual({ extra, unexplained: [] });
    }), { seed: 13, numRuns: 3000 });
  });

  it('documents a reason for every check only the parser makes', () => {
    for (const c of PARSER_ONLY) expect(c.why.length).toBeGreaterThan(10);
  });
});
