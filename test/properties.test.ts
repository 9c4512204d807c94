/**
 * Property-based tests: random and mutated configs never crash the library or the CLI, and
 * hostile values never change the argv structure, reach a script or break the YAML.
 * Fixed seed and bounded runs in CI; KIMIA_PROPERTY_RUNS=10000 for a longer run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import {
  BUILD_SCRIPT, BundleValidationError, EPOCH_SCRIPT, EPOCH_SOURCE, INDEX_SCRIPT, kimiaArgs, loadConfig,
  parseBuildSpec, parseConfigText, renderBundle, SpecError, toYaml, type BuildSpec,
} from '../src/internal';
import { cli, SHARED } from './helpers';

const RUNS = Number(process.env.KIMIA_PROPERTY_RUNS ?? 60);
fc.configureGlobal({ seed: Number(process.env.KIMIA_PROPERTY_SEED ?? 20261123), numRuns: RUNS });

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
/** kimia's flags, from ../shared/reference/kimia-flags.json (read from kimia v1.0.25 src/cmd/kimia/args.go). */
const KIMIA_REFERENCE_FLAGS = new Set((JSON.parse(readFileSync(path.join(SHARED, 'reference', 'kimia-flags.json'), 'utf8')) as Array<{ flag: string }>).map((f) => f.flag));
const STATIC_SCRIPTS = [BUILD_SCRIPT, EPOCH_SCRIPT, EPOCH_SOURCE, INDEX_SCRIPT];

/** Strings that break shells, YAML and templates. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('"; rm -rf / #', "'$(id)'", '`reboot`', 'a\nb', 'x\r\ny', '$(params.IMAGE)', '{{workflow.name}}', '${HOME}',
    '--no-push', '-d evil', ': yaml: [', '*anchor', '&a b', '! tag', '# comment', '\u0000', '\u202e', 'ﬀ', '😀'),
  fc.string({ unit: fc.constantFrom(...'abc$(){}[]`\'"\\;&|<> \n\t-=:#*!%@,'.split('')), maxLength: 24 }),
);

/** Sets `value` at a random path inside `obj` (a deep copy), creating objects as needed. */
function mutate(obj: unknown, pathKeys: string[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  let cur: Record<string, unknown> = copy;
  pathKeys.forEach((k, i) => {
    if (i === pathKeys.length - 1) cur[k] = value;
    else {
      if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
  });
  return copy;
}

const FIELDS = ['name', 'description', 'variant', 'builderImage', 'params', 'context', 'contextSubPath', 'dockerfile', 'target', 'platform',
  'platforms', 'destinations', 'buildArgs', 'labels', 'cache', 'storageDriver', 'push', 'tarPath', 'digestFile', 'attestation',
  'buildkitOpts', 'buildahOpts', 'signing', 'reproducible', 'registry', 'verbosity', 'resources', 'nodeSelector', 'tolerations',
  'job', 'tekton', 'argo', 'ci', 'outputs', 'version', 'git', 'url', 'local', 'path', 'key', 'password', 'mode', 'attest', 'type'];

/** Every error the library may raise for bad input: a SpecError naming a field. */
function expectCleanFailure(e: unknown) {
  if (e instanceof BundleValidationError) throw new Error(`a valid spec rendered invalid output:\n${e.message}`);
  expect(e).toBeInstanceOf(SpecError);
  for (const i of (e as SpecError).issues) {
    expect(i.message).toMatch(/\S/);
    // Names the field: by its path, or (at the top) an unknown field by its name, or says the whole input is no mapping.
    expect(i.path.length > 0 || /^(unknown fields? "|expected a mapping)/.test(i.message)).toBe(true);
  }
}

describe('random and mutated configs', () => {
  it('random values for a build spec: parsed or refused with a SpecError, never a crash', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), (input) => {
      try { parseBuildSpec(input); } catch (e) { expectCleanFailure(e); }
    }));
  });

  it('a parsed spec is frozen and handed on as it is; an unparsed copy is checked again', () => {
    const parsed = parseBuildSpec(JSON.parse(JSON.stringify(examples.builds[0])));
    expect(Object.isFrozen(parsed) && Object.isFrozen(parsed.destinations)).toBe(true);
    expect(parseBuildSpec(parsed)).toBe(parsed);
    expect(() => parseBuildSpec({ ...parsed, destinations: [] })).toThrow(SpecError);
    expect(Object.isFrozen(examples.builds[0])).toBe(true); // builds of a parsed config too
  });

  it('mutated example builds: a valid bundle that passes validation, or a clear field error', () => {
    const value = fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('A', 'b', 'C_D', 'x.y', 'IMAGE'), hostile, { maxKeys: 3 }));
    fc.assert(fc.property(
      fc.integer({ min: 0, max: examples.builds.length - 1 }),
      fc.array(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 3 }),
      value,
      (index, keys, v) => {
        const build = mutate(examples.builds[index], keys, v);
        try {
          // Parsing is idempotent: what the constructs rely on to skip parsing a parsed spec again.
          const parsed = parseBuildSpec(build);
          expect(parseBuildSpec(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
          const files = renderBundle(parseConfigText(toYaml([{ builds: [build] }]).replace(/^#.*\n/, '')));
          for (const [file, text] of files) if (file.endsWith('.yaml')) expect(() => parseAllDocuments(text)).not.toThrow();
        } catch (e) {
          expectCleanFailure(e);
        }
      },
    ), { numRuns: Math.max(10, Math.round(RUNS / 2)) });
  });

  it('the CLI on random and mutated configs: exit 0, 1 or 2, one line per problem, no stack trace', () => {
    const fsMod = require('node:fs') as typeof import('node:fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const os = require('node:os') as typeof import('node:os'); // eslint-disable-line @typescript-eslint/no-require-imports
    const dir = fsMod.mkdtempSync(path.join(os.tmpdir(), 'kimia-prop-'));
    try {
      // Random text, and example builds with a mutated field, through synth, validate, render and job.
      const mutated = fc.tuple(fc.integer({ min: 0, max: examples.builds.length - 1 }), fc.constantFrom(...FIELDS), hostile)
        .map(([i, k, v]) => toYaml([{ builds: [mutate(examples.builds[i], [k], v)] }]).replace(/^#.*\n/, ''));
      const commands = fc.constantFrom<string[][]>(
        [['validate', '--config']], [['synth', '--out', path.join(dir, 'out'), '--config']],
        [['render', '--build', 'myapp-production', '--config']],
        [['job', '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', '3f2a9c81d4e5b6a7980112233445566778899aab', '--stdout', '--config']],
      );
      fc.assert(fc.property(fc.oneof(hostile, fc.constant('builds:\n  - name: x\n'), fc.jsonValue().map((j) => JSON.stringify(j)), mutated), commands, (text, [args]) => {
        const file = path.join(dir, 'c.yaml');
        fsMod.writeFileSync(file, text);
        const r = cli(...args, file);
        expect([0, 1, 2]).toContain(r.code);
        expect(r.err).not.toMatch(/\n\s+at |internal error/);
        if (r.code === 2) for (const line of r.err.trimEnd().split('\n')) expect(line).toMatch(/^(kimia-bundles: |Run kimia-bundles ([a-z-]+ )?--help|.*c\.yaml(:\d+:\d+)?: )/);
      }), { numRuns: Math.max(10, Math.round(RUNS / 2)) });
    } finally {
      fsMod.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile values', () => {
  /** Other places a user value can sit: each either renders safely or is refused naming the field. */
  const PLACES: Array<[string, (v: string) => Record<string, unknown>]> = [
    ['none', () => ({})],
    ['dockerfile', (v) => ({ dockerfile: v })],
    ['target', (v) => ({ target: v })],
    ['contextSubPath', (v) => ({ contextSubPath: v })],
    ['git branch', (v) => ({ context: { git: { url: 'https://github.com/o/a.git', branch: v } } })],
    ['git url', (v) => ({ context: { git: { url: v } } })],
    ['destination tag', (v) => ({ destinations: [`registry.io/o/a:${v}`] })],
    ['credentials secret', (v) => ({ registry: { credentialsSecret: v } })],
    ['insecure registry', (v) => ({ registry: { insecureRegistries: [v] } })],
    ['signing secret', (v) => ({ attestation: 'max', signing: { key: { secretName: v, key: 'cosign.key' } } })],
    ['epoch', (v) => ({ reproducible: { sourceDateEpoch: v } })],
    ['node selector', (v) => ({ nodeSelector: { 'example.com/pool': v } })],
    ['job name', (v) => ({ job: { name: v } })],
  ];

  /** A build where user values sit in every field that reaches argv, env, params or docs. */
  const spec = (v: string, variant: 'kimia' | 'kimia-bud', place: (v: string) => Record<string, unknown> = () => ({})) => ({
    ...specBase(v, variant),
    ...place(v),
  });
  const specBase = (v: string, variant: 'kimia' | 'kimia-bud') => ({
    name: 'prop',
    description: `d ${v}`,
    variant,
    params: { TAG: { description: v || 'd', default: 'v1', example: v || 'e' }, NOTE: { description: 'n', default: v || 'x' } },
    context: { git: { url: 'https://github.com/o/a.git', branch: 'main' } },
    destinations: ['registry.io/o/a:${TAG}'],
    buildArgs: { NOTE: '${NOTE}', OTHER: v },
    labels: { 'org.example.note': v },
    outputs: ['job', 'tekton', 'argo'],
  });

  it('never change the argv structure, never reach a script, never break the YAML', () => {
    let parsedRuns = 0;
    fc.assert(fc.property(hostile, fc.constantFrom('kimia' as const, 'kimia-bud' as const), fc.constantFrom(...PLACES), (v, variant, [, place]) => {
      let parsed: BuildSpec;
      try {
        parsed = parseBuildSpec(spec(v, variant, place));
      } catch (e) {
        expectCleanFailure(e);
        return;
      }
      parsedRuns += 1;
      // One element per flag, each `--flag` or `--flag=value` with a flag kimia has (the reference's
      // flag table, read from kimia's args.go: not the product's copy), and the hostile value whole
      // in the one argument the spec puts it in.
      const args = kimiaArgs(parsed);
      for (const a of args) {
        const m = /^(--[a-z][a-z0-9-]*)(=[^]*)?$/.exec(a);
        expect({ a, flag: m?.[1] && KIMIA_REFERENCE_FLAGS.has(m[1]) }).toEqual({ a, flag: true });
      }
      expect(args.filter((a) => a.startsWith('--build-arg=OTHER='))).toEqual([`--build-arg=OTHER=${v}`]);
      expect(args.filter((a) => a.startsWith('--label=org.example.note='))).toEqual([`--label=org.example.note=${v}`]);
      let files;
      try {
        files = renderBundle({ builds: [parsed] });
      } catch (e) {
        expectCleanFailure(e);
        return;
      }
      for (const [file, text] of files) {
        if (!file.endsWith('.yaml')) continue;
        const docs = parseAllDocuments(text).map((d) => d.toJS());
        // Render -> parse -> render is stable.
        expect(toYaml(docs)).toBe(text);
        // Scripts are the static ones, whatever the values.
        const scripts: string[] = [];
        JSON.stringify(docs, (k, val) => { if ((k === 'script' || k === 'source') && typeof val === 'string') scripts.push(val); return val; });
        for (const s of scripts) expect(STATIC_SCRIPTS).toContain(s);
      }
      expect(parse(files.get('job/prop/0.1/prop.yaml')!.replace(/^#.*\n/, '')).kind).toBe('Job');
    }));
    // The hostile values reach rendering often enough for the argv checks above to mean something.
    expect(parsedRuns).toBeGreaterThan(5);
  });
});
