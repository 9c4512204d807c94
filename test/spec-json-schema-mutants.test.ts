/**
 * src/spec/json-schema.ts (`addRules`): survivors of its mutation run. addRules adds the
 * parse-time rules to the build schema zod generates; it must fail loudly, naming what is
 * missing, when that generated schema changes shape (a zod upgrade, a renamed field), and must
 * refuse to translate a rule regex it cannot carry into a JSON Schema pattern.
 *
 * Facts relied on:
 * - configJsonSchema() (src/spec/config.ts) hands addRules `properties.builds.items` of
 *   z.toJSONSchema's output; the tests capture that argument (a spy on the export) to get the
 *   schema as zod generates it, then change it by hand.
 * - JSON Schema (draft-07) `pattern` is an ECMA-262 regex without flags; a `g` flag means nothing
 *   for a test, `i` cannot be expressed. The rule regexes come from src/spec/rules.ts; the guard
 *   tests replace one of them (jest.doMock) with a variant that has flags or escapes.
 * - Validation uses Ajv (a dependency), with the options of test/json-schema.test.ts.
 */
import Ajv from 'ajv';
import { configJsonSchema } from '../src/internal';
import * as jsonSchema from '../src/spec/json-schema';
import { BASE } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The build schema as zod generates it, before addRules. */
const GENERATED: Json = (() => {
  let raw: Json | undefined;
  const spy = jest.spyOn(jsonSchema, 'addRules').mockImplementationOnce((b) => { raw = structuredClone(b); });
  try { configJsonSchema(); } finally { spy.mockRestore(); }
  return raw!;
})();
const generated = (): Json => structuredClone(GENERATED);

/** A validator of a config file whose build schema is `build` (after addRules). */
function validator(build: Json): (extra: Json) => boolean {
  const root = configJsonSchema() as Json;
  const schema = { ...root, properties: { ...root.properties, builds: { ...root.properties.builds, items: build } } };
  const ajv = new Ajv({ strict: true, strictRequired: false, strictTypes: false, allErrors: true, formats: { uri: () => true } });
  const validate = ajv.compile(schema);
  return (extra) => validate({ builds: [{ ...BASE, ...extra }] }) as boolean;
}

/** addRules of a json-schema module whose rules.ts constants are replaced by `rules`. */
function addRulesWith(rules: Json): (build: Json) => void {
  let addRules: (build: Json) => void = () => undefined;
  jest.isolateModules(() => {
    jest.doMock('../src/spec/rules', () => ({ ...jest.requireActual('../src/spec/rules'), ...rules }));
    addRules = require('../src/spec/json-schema').addRules;
  });
  jest.dontMock('../src/spec/rules');
  return addRules;
}

describe('addRules: the generated schema must have each node a rule constrains', () => {
  it.each<[string, (b: Json) => void, string]>([
    ['an empty schema: the first field', (b) => { for (const k of Object.keys(b)) delete b[k]; }, 'JSON Schema has no buildArgs (stopped at buildArgs)'],
    ['cache without properties: the path, dot-joined, and the step', (b) => { delete b.properties.cache.properties; }, 'JSON Schema has no cache.export.[] (stopped at export)'],
    ['context without a git branch', (b) => { b.properties.context.anyOf = b.properties.context.anyOf.filter((x: Json) => !x.properties.git); }, 'JSON Schema branch not found'],
  ])('%s', (_name, change, message) => {
    const build = generated();
    change(build);
    expect(() => jsonSchema.addRules(build)).toThrow(new Error(message));
  });
});

describe('addRules: the nodes it looks for may have other shapes around them', () => {
  it('a context branch without properties (a short form) is passed over', () => {
    const build = generated();
    build.properties.context.anyOf.unshift({ type: 'string' });
    jsonSchema.addRules(build);
    const valid = validator(build);
    expect(valid({ context: { git: { url: '/some/dir' } } })).toBe(false);
    expect(valid({ context: { local: { path: 'workspace', claimName: 'src' } } })).toBe(false);
    expect(valid({ context: { local: { path: '/workspace', claimName: 'src' } } })).toBe(true);
  });

  it('an attestation without short forms (a plain object) gets the mode xor attest rule', () => {
    const build = generated();
    build.properties.attestation = build.properties.attestation.anyOf.find((b: Json) => b.type === 'object');
    jsonSchema.addRules(build);
    const valid = validator(build);
    expect(valid({ attestation: { mode: 'max' } })).toBe(true);
    expect(valid({ attestation: { mode: 'max', attest: [{ type: 'sbom' }] } })).toBe(false);
  });

  it('sourceDateEpoch: the Unix-seconds pattern goes on the string branch wherever it is', () => {
    const build = generated();
    const sde = build.properties.reproducible.anyOf.find((b: Json) => b.type === 'object').properties.sourceDateEpoch;
    sde.anyOf.reverse();
    jsonSchema.addRules(build);
    const valid = validator(build);
    expect(valid({ reproducible: { enabled: true, sourceDateEpoch: '1700000000' } })).toBe(true);
    expect(valid({ reproducible: { enabled: true, sourceDateEpoch: 'yesterday' } })).toBe(false);
    expect(valid({ reproducible: { enabled: true, sourceDateEpoch: { fromGit: true } } })).toBe(true);
  });

  it('params without propertyNames: names are strings, not the engine-declared ones', () => {
    const build = generated();
    delete build.properties.params.propertyNames;
    jsonSchema.addRules(build);
    expect(build.properties.params.propertyNames).toMatchObject({ type: 'string' });
    const valid = validator(build);
    expect(valid({ params: { VERIFY: { description: 'x' } } })).toBe(false);
    expect(valid({ params: { MY_PARAM: { description: 'x' } } })).toBe(true);
  });

  it('a map without propertyNames: its keys are strings without control characters', () => {
    const build = generated();
    delete build.properties.nodeSelector.propertyNames;
    jsonSchema.addRules(build);
    expect(build.properties.nodeSelector.propertyNames).toEqual({
      type: 'string', not: { pattern: '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]' },
    });
  });
});

describe('addRules: rule regexes become JSON Schema patterns only when they can', () => {
  // Loaded while this file loads, not inside a test: a module loaded in a test makes Stryker credit
  // its module-level constants (PARSER_ONLY, SCHEMA_ID) to that test alone, so they would "survive"
  // a run that leaves static mutants out instead of counting as static.
  const withFlagI = addRulesWith({ PLATFORM: /^linux\/amd64$/i });
  const withFlagG = addRulesWith({ PLATFORM: /^linux\/amd64$/g });
  const withEscape = addRulesWith({ SECRET_LIKE: /\bPASS/i });
  const withDottedFlag = addRulesWith({ BUILDAH_OPT_REFUSED: ['--a.b'] });

  it('a regex with a flag other than g is refused, naming it', () => {
    expect(() => withFlagI(generated())).toThrow(new Error('/^linux\\/amd64$/i has flags a JSON Schema pattern cannot carry'));
  });

  it('a g flag is dropped: the pattern is the source', () => {
    const build = generated();
    withFlagG(build);
    expect(build.properties.platform.pattern).toBe('^linux\\/amd64$');
  });

  it('a case-insensitive regex with an escape is refused, naming it', () => {
    expect(() => withEscape(generated())).toThrow(new Error('caseless: escapes are not handled in /\\bPASS/i'));
  });

  it('a refused buildah flag is matched literally (regex characters escaped)', () => {
    const build = generated();
    withDottedFlag(build);
    const valid = validator(build);
    expect(valid({ variant: 'kimia-bud', buildahOpts: ['--a.b=1'] })).toBe(false);
    expect(valid({ variant: 'kimia-bud', buildahOpts: ['--axb=1'] })).toBe(true);
  });
});
