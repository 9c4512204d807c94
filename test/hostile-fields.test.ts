/**
 * Hostile values in every string field and map key of the config's JSON Schema, one field at a
 * time, through the CLI: `synth --config … --out …` (every 6th run `validate --config` too, which
 * must agree), and `validate` of what synth wrote.
 *
 * The fields come from walking `configJsonSchema()`, so a new schema field is covered without
 * touching this file. Each field is put into valid base builds (examples/kimia-bundles.yaml, and
 * their kimia-bud variants) with a benign value first; then every hostile value replaces it:
 * - the CLI exits 0 or 2, never with a stack trace;
 * - on exit 2 every stderr line is `file:line:col: field: reason` and names the field changed
 *   (a param's consequences name the param: `with ${NAME}=…`);
 * - on exit 0 the written bundle passes `validate`, keeps the benign config's files, scripts byte
 *   for byte, the benign output's structure (a value stays one scalar where it was) and its count
 *   of Argo tags and Tekton variables (no engine variable introduced);
 * - secret-looking literals and values the API server rejects exit 2 naming the field, and the
 *   secret itself is never printed.
 * A deterministic enumeration: every field × every hostile value and three secrets (in rotation),
 * in two bases (in rotation); KIMIA_HOSTILE_FULL=1 tries every secret in every base that renders.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { configJsonSchema, formatPath, oneLine, parseBuildSpec, parseConfigText, SpecError } from '../src/internal';
import { redactSecrets } from '../src/spec/secrets';
import { putValue, stringFields, type SchemaField } from './helpers/schema-fields';
import { cli } from './helpers';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = Array<string | number>;

const EXAMPLES = parse(fs.readFileSync(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'), 'utf8')).builds as Array<Record<string, unknown>>;
const parses = (build: unknown) => {
  try { parseConfigText(stringify({ builds: [build] })); return true; } catch (e) { if (e instanceof SpecError) return false; throw e; }
};
/**
 * The examples, and each as kimia-bud where that is valid (Buildah-only fields need it). Builds
 * with other outputs first (Tekton + Argo, a Job, multi-arch), so that the bases a field is tried
 * in render it differently.
 */
const byOutputs = (b: Record<string, unknown>) => (b.platforms ? 2 : (b.outputs as string[]).includes('job') ? 1 : 0);
const BASES: Array<Record<string, unknown>> = [...EXAMPLES, ...EXAMPLES.map((b) => ({ ...b, variant: 'kimia-bud' })).filter(parses)]
  .map((b, i) => [b, i] as const).sort(([a, i], [b, j]) => byOutputs(a) - byOutputs(b) || i - j).map(([b]) => b)
  // Last, for tarPath: a Job keeps an archive only on a claim (tarClaimName), which needs tarPath to parse.
  .concat([{ ...EXAMPLES.find((b) => b.name === 'nginx-basic')!, tarClaimName: 'image-archive' }]);
const FIRST_OF_EACH = [0, BASES.findIndex((b) => byOutputs(b) === 1), BASES.findIndex((b) => byOutputs(b) === 2)];
const BASE_ORDER = [...FIRST_OF_EACH, ...BASES.map((_, i) => i).filter((i) => !FIRST_OF_EACH.includes(i))];

/** Benign strings, tried in order until one fits the field (its pattern, then the build's rules). */
const BENIGN = ['x', 'X', 'example', 'main', '1', '0.1', '1.2.3', '0.50.0', 'example.com/pool', '@team', '>= 3.6.0', '500m',
  'registry.io/tools/tool:1.0', 'https://github.com/o/a.git', '/home/kimia/workspace', '/home/kimia/out/image.tar', 'type=registry,ref=registry.io/cache',
  '--quiet', 'linux/amd64', 'X_1', 'team@example.com', 'https://example.com/catalog', 'ghcr.io/example/catalog', 'example-catalog'];
const fits = (s: Schema, c: string) => (!s.pattern || new RegExp(s.pattern).test(c)) && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? Infinity);
const benignsFor = (s: Schema) => BENIGN.filter((c) => fits(s, c));
const benignFor = (s: Schema) => benignsFor(s)[0] ?? 'x';
const newKey = (map: Schema) => benignFor(map.propertyNames ?? {});

const SECRETS: Array<[string, string]> = [
  ['a GitHub token', `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`],
  ['a GitHub token', `github_pat_11ABCDEFG0${'x'.repeat(12)}_${'y'.repeat(59)}`],
  ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
  ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
  ['a URL with a password', 'https://deploy:hunter2@registry.io/x'],
  ['a Slack token', 'xoxb-123456789012-abcdefghijkl'],
  ['a GitLab token', `glpat-${'A1b2C3d4E5'.repeat(2)}`],
  ['an npm token', `npm_${'a1B2c3D4e5F6'.repeat(3)}`],
  ['a Google API key', `AIza${'Sy0123456789abcdefghijklmnopqrstu'}vw`],
  ['a JSON Web Token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['a Stripe secret key', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`],
];

/** Values for every field: shells, engine and kubelet variables, controls, length. */
const HOSTILE: Array<{ value: string; secret?: string }> = [
  { value: '"; rm -rf / #' }, { value: '`reboot` | tee &x' }, { value: '$(COSIGN_PASSWORD)' }, { value: '$(params.IMAGE)' },
  { value: '{{workflow.name}}' }, { value: '{{=sprig.env("HOME")}}' }, { value: 'a\u0000b' }, { value: '\u202eabc' },
  { value: 'a\u200bb' }, { value: 'a\nb: c' }, { value: 'x'.repeat(300) }, { value: '${HOME}' }, { value: "-d 'x' --push" },
];
/** Secret-looking literals, alone or in text: SECRETS_PER_FIELD of them per field, in rotation (every one in many fields). */
const SECRET_VALUES = SECRETS.flatMap(([, s]) => [{ value: s, secret: s }, { value: `note ${s} end`, secret: s }]);
const FULL = process.env.KIMIA_HOSTILE_FULL === '1'; // every secret in every field, every base that renders
const SECRETS_PER_FIELD = FULL ? SECRET_VALUES.length : 3;
const hostileFor = (fi: number) => [...HOSTILE, ...Array.from({ length: SECRETS_PER_FIELD }, (_, k) => SECRET_VALUES[(fi * SECRETS_PER_FIELD + k) % SECRET_VALUES.length])];

/**
 * Values the API server (or the kubelet, or our engines' catalogs) rejects, by field: each must be
 * refused at parse time naming the field.
 */
const API_INVALID: Record<string, string[]> = {
  'builds[].nodeSelector.*': ['a/b', 'x'.repeat(64), '-a', 'a b'],
  'builds[].nodeSelector.<key>': ['a/b/c', '/a', `${'x'.repeat(64)}`, 'Example.com/pool', 'a..b/c', 'pool-'],
  'builds[].tolerations[].key': ['a/b/c', 'x'.repeat(64), 'bad key'],
  'builds[].tolerations[].value': ['a/b', 'x'.repeat(64)],
  'builds[].serviceAccountName': ['a..b', 'a.-b'],
  'builds[].argo.executorServiceAccountName': ['a..b'],
  'builds[].registry.credentialsSecret': ['a..b'],
  'builds[].signing.key.secretName': ['a.-b'],
  'builds[].signing.key.key': ['..data', '.'],
  'builds[].job.name': ['a/b', 'x'.repeat(64), 'App', 'a.b'],
  'builds[].builderImage': ['foo bar:1', 'registry.io/App:1', 'r.io/x@sha256:zz'],
  'builds[].tekton.gitImage': ['alpine', 'alpine:latest', 'a b:1', 'r.io/x@md5:00'],
  'builds[].tekton.cosignImage': ['cosign'],
  'builds[].tekton.craneImage': ['crane:latest'],
  'builds[].argo.gitImage': ['git', 'x/UPPER:1'],
  'builds[].argo.cosignImage': ['a b'],
  'builds[].argo.craneImage': ['x:latest'],
  'builds[].argo.minArgoVersion': ['latest', '3.6.0.1', '>= 3.6.0 ||', '>= 3.6.0,', '> 3.x.1', '>= 99999999999999999999'],
  'builds[].ci.repository': ['registry.io/App', 'registry.io/app:v1'],
  'builds[].attestation.attest[].generator': ['not an image'],
};

interface Embedding {
  readonly base: number;
  /** Rebuild the container at this step as a skeleton (see putValue). */
  readonly fresh: number;
  /** An optional sibling the field needs (e.g. a toleration's key for its value). */
  readonly sibling?: readonly [string, unknown, number];
  /** The benign value the field holds in the base. */
  readonly benign: string;
  /** The benign value parses: hostile values may be accepted. Else the field is refused whatever it holds. */
  readonly valid: boolean;
}

const fieldName = (f: SchemaField) => f.name;

/** Puts `value` into base `e.base` at the field; returns the build and the path of the field in it. */
function place(f: SchemaField, e: Pick<Embedding, 'base' | 'fresh' | 'sibling'>, value: string): { build: Record<string, unknown>; at: Path } {
  const { root, path: at } = putValue({ builds: [BASES[e.base]] }, f, value, benignFor, newKey, e.fresh);
  const build = (root as { builds: Array<Record<string, unknown>> }).builds[0];
  if (e.sibling) {
    // The object holding the field's nearest property gets the sibling.
    let parent: Record<string | number, unknown> = { builds: [build] };
    for (const k of at.slice(0, e.sibling[2])) parent = parent[k] as Record<string | number, unknown>;
    parent[e.sibling[0]] = e.sibling[1];
  }
  return { build, at: at.slice(2) };
}

/** The errors a build gets (their paths inside the build), or [] when it parses. */
function errorPaths(build: unknown): Path[] {
  try { parseBuildSpec(build); return []; } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.map((i) => [...i.path] as Path);
  }
}

/** Optional siblings in the field's nearest object, each with the values worth trying. */
function siblings(f: SchemaField): Array<readonly [string, unknown, number]> {
  const i = f.steps.map((s) => s.kind).lastIndexOf('prop');
  const step = f.steps[i];
  if (step?.kind !== 'prop') return [];
  const out: Array<readonly [string, unknown, number]> = [];
  for (const [k, s] of Object.entries<Schema>(step.object.properties ?? {})) {
    if (k === step.name) continue;
    for (const v of s.enum ?? (s.type === 'string' ? [benignFor(s)] : [])) out.push([k, v, i]);
  }
  return out;
}

/**
 * Where a field can be tried: for each base, the first embedding whose benign value parses (the
 * test keeps the first MAX_BASES that also render); else one where the field is refused whatever it holds.
 */
const MAX_BASES = FULL ? Infinity : 2;
const MAX_TRIES = 60;
function embeddings(f: SchemaField): Embedding[] {
  const out: Embedding[] = [];
  let refused: Embedding | undefined;
  for (const base of BASE_ORDER) {
    if (out.length === MAX_BASES + 1) break; // one spare, in case one does not render
    let tries = 0;
    search: for (const fresh of [-1, ...f.steps.map((__, i) => i).reverse()]) {
      for (const sibling of [undefined, ...siblings(f)]) {
        for (const benign of benignsFor(f.schema)) {
          if (tries++ === MAX_TRIES) break search;
          const e = { base, fresh, sibling, benign };
          const { build, at } = place(f, e, benign);
          const errors = errorPaths(build).map((p) => formatPath(p));
          if (errors.length === 0) { out.push({ ...e, valid: true }); break search; }
          // The field, or an object that holds it (refused whatever it holds, e.g. context.git.tokenSecret).
          const field = formatPath(at);
          const atField = (p: string) => p === field || field.startsWith(`${p}.`);
          // Only other fields fail: another value will not help, another shape of the container may.
          if (!errors.some(atField)) break;
          // Refused for the value itself: kept in case no value fits (e.g. a param nothing uses).
          if (errors.every(atField)) refused ??= { ...e, valid: false };
        }
      }
    }
  }
  return out.length ? out : refused ? [refused] : [];
}

/** The skeleton of a document: every string leaf blanked (a value must stay a string where it was). */
const shape = (v: unknown): unknown => (typeof v === 'string' ? '' : Array.isArray(v) ? v.map(shape) : v && typeof v === 'object'
  ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : v);

/** The files synth wrote, by path relative to `dir`. */
function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Structures of the benign outputs' files, by text. */
const STRUCTURES = new Map<string, ReturnType<typeof structureOf>>();

/** A YAML file's documents as shapes, and the scripts in them (Tekton `script`, Argo `source`). */
function structureOf(text: string): { shapes: unknown[]; scripts: string[] } {
  const scripts: string[] = [];
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  JSON.stringify(docs, (k, v) => { if ((k === 'script' || k === 'source') && typeof v === 'string') scripts.push(v); return v; });
  return { shapes: docs.map(shape), scripts };
}

/**
 * Compares what a hostile value wrote with what the benign value wrote: the same files, shell
 * scripts byte for byte, and in each YAML file that differs the same scripts and (for a value, not
 * a key) the same document shapes.
 */
function compareOutputs(before: Map<string, string>, after: Map<string, string>, what: string, sameShapes: boolean) {
  expect({ what, files: [...after.keys()].sort() }).toEqual({ what, files: [...before.keys()].sort() });
  for (const [file, text] of after) {
    const old = before.get(file)!;
    if (text === old) continue;
    if (file.endsWith('.sh')) expect({ what, file, script: text }).toEqual({ what, file, script: old });
    if (!/\.ya?ml$/.test(file)) continue;
    // No engine variable introduced: as many Argo tags and Tekton variables as with the benign value.
    const variables = (t: string) => (file.startsWith('argo/') ? t.match(/\{\{/g) : file.startsWith('tekton/') ? t.match(/\$\([A-Za-z_][A-Za-z0-9_-]*[.[]/g) : null)?.length ?? 0;
    expect({ what, file, variables: variables(text) }).toEqual({ what, file, variables: variables(old) });
    const a = structureOf(text);
    const b = STRUCTURES.get(old) ?? structureOf(old);
    STRUCTURES.set(old, b);
    expect({ what, file, scripts: a.scripts }).toEqual({ what, file, scripts: b.scripts });
    if (sameShapes) expect({ what, file, shapes: a.shapes }).toEqual({ what, file, shapes: b.shapes });
  }
}

const FIELDS = stringFields(configJsonSchema()).filter((f) => f.steps.length > 1);
const EMBEDDINGS = new Map<SchemaField, Embedding[]>();
const embeddingsOf = (f: SchemaField) => {
  if (!EMBEDDINGS.has(f)) EMBEDDINGS.set(f, embeddings(f));
  return EMBEDDINGS.get(f)!;
};

describe('hostile values in every string field of the config schema', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-hostile-'));
  const config = path.join(dir, 'c.yaml');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * Writes the build as the config (JSON, which is YAML) and runs `synth` into a new directory (every 6th
   * time `validate --config` too: the same verdict); with `check`, runs `validate` on what it wrote.
   */
  let runs = 0;
  function run(build: unknown, check: boolean, into = path.join(dir, `run-${runs}`)) {
    fs.writeFileSync(config, `${JSON.stringify({ builds: [build] }, null, 2)}\n`);
    const r = cli('synth', '--config', config, '--out', into);
    if (runs++ % 6 === 0) {
      const v = cli('validate', '--config', config);
      expect({ code: v.code, err: r.code === 0 ? '' : v.err }).toEqual({ code: r.code, err: r.code === 0 ? '' : r.err });
    }
    if (r.code === 0 && check) {
      const again = cli('validate', into);
      expect({ code: again.code, out: again.out }).toEqual({ code: 0, out: '' });
    }
    return { ...r, into };
  }

  /** Checks a refusal: one `file:line:col: field: reason` line each, naming the field (or, for a param, its use). */
  function expectRefusal(r: { code: number; err: string }, at: Path, what: string) {
    expect({ what, code: r.code, err: r.err }).toEqual({ what, code: 2, err: r.err });
    const field = oneLine(redactSecrets(formatPath(['builds', 0, ...at])));
    const ancestors = at.slice(1, -1).map((_, i) => oneLine(redactSecrets(formatPath(['builds', 0, ...at.slice(0, i + 2)]))));
    // A param's value or enum also shows where the param is used (`with ${NAME}=…`) or at the param itself.
    const param = at[0] === 'params' ? `\${${at[1]}}` : undefined;
    const paramField = at[0] === 'params' ? oneLine(formatPath(['builds', 0, 'params', at[1]])) : undefined;
    const prefix = `${config}:`;
    for (const line of r.err.trimEnd().split('\n')) {
      const m = line.startsWith(prefix) ? /^(\d+):(\d+): (builds\[0\].*?): (.+)$/.exec(line.slice(prefix.length)) : null;
      expect({ what, line, formatted: m !== null }).toEqual({ what, line, formatted: true });
      const rest = line.slice(prefix.length).replace(/^\d+:\d+: /, '');
      const under = (f: string) => [': ', '.', '['].some((next) => rest.startsWith(f + next));
      // The field, or an entry that holds it (a flag made of several fields, e.g. one --attest entry), never the build.
      const holder = ancestors.some((a) => rest.startsWith(`${a}: `));
      const names = under(field) || holder || (param !== undefined && (rest.includes(param) || under(paramField!)));
      expect({ what, line, namesField: names }).toEqual({ what, line, namesField: true });
    }
  }

  it('covers every string field of the schema', () => {
    const names = FIELDS.map(fieldName);
    // A sample of what the walk must find (the walk itself decides the full list).
    for (const n of ['builds[].description', 'builds[].params.*.default', 'builds[].params.*.enum[]', 'builds[].labels.<key>', 'builds[].labels.*',
      'builds[].nodeSelector.<key>', 'builds[].tolerations[].value', 'builds[].argo.minArgoVersion', 'builds[].attestation.attest[].extra.<key>',
      'builds[].context.git.url', 'builds[].context.local.path', 'builds[].reproducible.sourceDateEpoch', 'builds[].ci.repository']) {
      expect(names).toContain(n);
    }
    for (const n of Object.keys(API_INVALID)) expect(names).toContain(n);
    const missing = FIELDS.filter((f) => embeddingsOf(f).length === 0).map(fieldName);
    expect(missing).toEqual([]);
  });

  it('each field: hostile values are refused naming the field, or render a valid, inert bundle', () => {
    let cases = 0;
    FIELDS.forEach((f, fi) => {
      // The bases where the benign value renders (its output kept for comparison), at most MAX_BASES.
      const es: Embedding[] = [];
      const baseline: Array<Map<string, string> | undefined> = [];
      for (const e of embeddingsOf(f)) {
        if (es.length === MAX_BASES) break;
        if (!e.valid) { es.push(e); continue; }
        if (run(place(f, e, e.benign).build, false, path.join(dir, `benign-${fi}-${es.length}`)).code === 0) es.push(e);
      }
      expect({ field: f.name, renders: es.length > 0 }).toEqual({ field: f.name, renders: true });
      const baselineOf = (ei: number) => (baseline[ei] ??= filesOf(path.join(dir, `benign-${fi}-${ei}`)));
      const validated = new Set<number>();
      hostileFor(fi).forEach((h, hi) => {
        const ei = (fi + hi) % es.length;
        const e = es[ei];
        const { build, at } = place(f, e, h.value);
        const what = `${f.name} = ${JSON.stringify(h.value).slice(0, 60)} (base ${BASES[e.base].name as string})`;
        // The written bundle passes `validate`: checked for the first accepted value of each field and base.
        const r = run(build, !validated.has(ei));
        if (r.code === 0) validated.add(ei);
        cases++;
        expect({ what, stack: /\n\s+at |internal error/.test(r.err) }).toEqual({ what, stack: false });
        expect({ what, code: [0, 2].includes(r.code) }).toEqual({ what, code: true });
        if (h.secret) {
          expectRefusal(r, at, what);
          // Free-text fields say what it looks like (a field with a pattern may be refused by it first).
          if (!f.schema.pattern) expect({ what, err: r.err }).toEqual({ what, err: expect.stringMatching(/looks like an? |credentials in the URL are refused/) });
          expect(r.err).not.toContain(h.secret);
          return;
        }
        if (r.code === 2 || !e.valid) { expectRefusal(r, at, what); return; }
        // Accepted: the same files, scripts and document shapes as the benign value's.
        compareOutputs(baselineOf(ei), filesOf(r.into), what, !f.isKey);
      });
      for (const value of API_INVALID[f.name] ?? []) {
        const { build, at } = place(f, es[0], value);
        expectRefusal(run(build, false), at, `${f.name} = ${JSON.stringify(value)} (API server rejects it)`);
        cases++;
      }
    });
    // Every field got every hostile value and its secrets.
    expect(cases).toBeGreaterThan(FIELDS.length * (HOSTILE.length + SECRETS_PER_FIELD));
  });
});
