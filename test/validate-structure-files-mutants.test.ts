/**
 * Behaviour tests for src/validate/structure.ts (CRD-schema issues, their wording and field paths)
 * and src/validate/files.ts (YAML on disk and in memory through the gate), written against the
 * mutants Stryker left alive there (reports/MUTATION.md).
 *
 * Upstream facts used:
 * - Argo v4.1.2 WorkflowTemplate CRD (../shared/crds/argo/argoproj.io_workflowtemplates.yaml):
 *   templates[].metrics.prometheus[].help has minLength 1; templates[].name maxLength 128 (pattern
 *   ^[a-zA-Z0-9][-a-zA-Z0-9]*$); arguments.parameters[].enum minItems 1; spec.metrics.prometheus
 *   maxItems 100; spec.parallelism minimum 1; arguments.artifacts[].mode minimum 0, maximum 511;
 *   container.restartPolicyRules[].exitCodes.values is `x-kubernetes-list-type: set` (unique).
 * - Tekton v1.15.0 Task CRD (../shared/crds/tekton/300-task.yaml): steps[].name is required.
 * - Neither CRD has an anyOf that is not int-or-string, nor oneOf, not, multipleOf,
 *   exclusiveMinimum/Maximum or min/maxProperties; scripts/compile-schemas.js passes those keywords
 *   through, so toIssues ("ajv errors, compiled with allErrors, no messages") is fed here the errors
 *   of ajv compiled with the same options as the generator (strict, allErrors, messages: false,
 *   inlineRefs: false). With inlineRefs off, the errors of a `$ref` alternative carry the schemaPath
 *   of its definition, not the combinator's (structure.ts: "those compiled inline").
 * - JSON Pointer (RFC 6901): `~1` is `/`, `~0` is `~`; an array index is `0` or digits without a
 *   leading zero.
 * - files.ts: every `.yaml`/`.yml` under a directory, skipping node_modules and dot-directories,
 *   each directory in a fixed (JavaScript string) order; a missing path throws
 *   "<path>: no such file or directory"; empty documents are skipped, non-mappings refused,
 *   duplicate keys are malformed YAML; packagingGate gives one formatBundleIssue line per finding.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { toIssues, toPath, validateStructure } from '../src/validate/structure';
import { packagingGate, validateFiles, validateTexts } from '../src/validate/files';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const workflowTemplate = (): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: 'kimia-build' },
  spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'ghcr.io/rapidfort/kimia:1.0.25' } }] },
});

/** validateStructure of a WorkflowTemplate after `mutate`. */
function argo(mutate: (d: Doc) => void) {
  const doc = workflowTemplate();
  mutate(doc);
  return validateStructure(doc);
}

/** The issues toIssues makes of the errors of ajv, compiled as scripts/compile-schemas.js does. */
function ajvIssues(schema: object, data: unknown) {
  const validate = new Ajv({ strict: true, strictTypes: false, allErrors: true, messages: false, inlineRefs: false })
    .compile(schema);
  expect(validate(data)).toBe(false);
  return toIssues(data, validate.errors ?? []);
}

const STRING = { type: 'string' };

describe('validateStructure: documents that are not objects', () => {
  it.each([
    ['a string', 'text'],
    ['a number', 42],
    ['null', null],
    ['an array', [{ apiVersion: 'tekton.dev/v1', kind: 'Task' }]],
  ])('refuses %s when strict, as not an object (not as an unknown kind)', (_what, doc) => {
    expect(validateStructure(doc, { strict: true })).toEqual([{ path: '', message: 'must be an object with apiVersion and kind' }]);
  });
});

describe('validateStructure: limits of the Argo WorkflowTemplate schema', () => {
  it('minLength: an empty prometheus help', () => {
    expect(argo((d) => { d.spec.templates[0].metrics = { prometheus: [{ name: 'm', help: '', counter: { value: '1' } }] }; }))
      .toEqual([{ path: 'spec.templates[0].metrics.prometheus[0].help', message: 'must have at least 1 characters' }]);
  });
  it('maxLength: a template name of 129 characters', () => {
    expect(argo((d) => { d.spec.templates[0].name = 'a'.repeat(129); }))
      .toEqual([{ path: 'spec.templates[0].name', message: 'must have at most 128 characters' }]);
  });
  it('minItems: an empty parameter enum', () => {
    expect(argo((d) => { d.spec.arguments = { parameters: [{ name: 'p', enum: [] }] }; }))
      .toEqual([{ path: 'spec.arguments.parameters[0].enum', message: 'must have at least 1 items' }]);
  });
  it('maxItems: 101 prometheus metrics', () => {
    expect(argo((d) => {
      d.spec.metrics = { prometheus: Array.from({ length: 101 }, (_, i) => ({ name: `m${i}`, help: 'h', counter: { value: '1' } })) };
    })).toEqual([{ path: 'spec.metrics.prometheus', message: 'must have at most 100 items' }]);
  });
  it('minimum: parallelism 0', () => {
    expect(argo((d) => { d.spec.parallelism = 0; })).toEqual([{ path: 'spec.parallelism', message: 'must be >= 1' }]);
  });
  it('maximum: artifact mode 512 (above 0777)', () => {
    expect(argo((d) => { d.spec.arguments = { artifacts: [{ name: 'a', mode: 512 }] }; }))
      .toEqual([{ path: 'spec.arguments.artifacts[0].mode', message: 'must be <= 511' }]);
  });
  it('uniqueItems: a repeated exit code in a list-type set', () => {
    expect(argo((d) => {
      d.spec.templates[0].container.restartPolicyRules = [{ action: 'Restart', exitCodes: { operator: 'In', values: [42, 7, 42] } }];
    })).toEqual([{ path: 'spec.templates[0].container.restartPolicyRules[0].exitCodes.values', message: 'must not contain duplicates (items 2 and 0 are equal)' }]);
  });
});

describe('toIssues: keywords the shipped CRDs do not use', () => {
  it.each([
    ['exclusiveMinimum', { exclusiveMinimum: 1 }, 1, 'must be > 1'],
    ['exclusiveMaximum', { exclusiveMaximum: 1 }, 1, 'must be < 1'],
    ['multipleOf', { multipleOf: 3 }, 4, 'must be a multiple of 3'],
    ['minProperties', { minProperties: 1 }, {}, 'must have at least 1 fields'],
    ['maxProperties', { maxProperties: 1 }, { a: 1, b: 2 }, 'must have at most 1 fields'],
    ['not', { not: STRING }, 'a', 'must not match the forbidden form'],
    ['a type list of three', { type: ['integer', 'string', 'boolean'] }, null, 'must be integer, string or boolean'],
    ['any other keyword, by its name and params', { const: 1 }, 2, 'fails const {"allowedValue":1}'],
  ])('%s', (_what, schema, data, message) => {
    expect(ajvIssues(schema, data)).toEqual([{ path: '', message }]);
  });
});

describe('toIssues: anyOf', () => {
  it('alternatives that only differ in type are one "must be" naming every type, other errors after', () => {
    expect(ajvIssues({
      type: 'object',
      properties: { x: { anyOf: [{ type: 'integer' }, STRING, { type: 'boolean' }] }, y: STRING },
      required: ['y'],
    }, { x: null })).toEqual([
      { path: 'x', message: 'must be integer, string or boolean' },
      { path: 'y', message: 'is required' },
    ]);
  });
  it('a type error beside another kind of error is not worded as a type choice', () => {
    expect(ajvIssues({ anyOf: [STRING, { type: 'object', properties: { a: {}, b: {} }, required: ['a', 'b'] }] }, {}))
      .toEqual([
        { path: '', message: 'does not match any of the allowed forms' },
        { path: '', message: 'must be string' },
      ]);
  });
  it('type errors inside the alternatives (deeper fields) are not a type choice for the value itself', () => {
    expect(ajvIssues({ anyOf: [{ properties: { a: STRING } }, { properties: { a: { type: 'integer' } } }] }, { a: true }))
      .toEqual([
        { path: '', message: 'does not match any of the allowed forms' },
        { path: 'a', message: 'must be string' },
      ]);
  });
  it('reports the errors of the closest alternative only, even when it is not the first', () => {
    expect(ajvIssues({
      properties: {
        source: {
          anyOf: [
            { type: 'object', properties: { url: STRING, revision: STRING }, required: ['url', 'revision'], additionalProperties: false },
            { type: 'object', properties: { path: STRING }, required: ['path'], additionalProperties: false },
          ],
        },
      },
    }, { source: { path: 1 } })).toEqual([
      { path: 'source', message: 'does not match any of the allowed forms' },
      { path: 'source.path', message: 'must be string' },
    ]);
  });
  it('tells alternative 10 from alternative 1 when choosing the closest', () => {
    const anyOf = Array.from({ length: 11 }, (_, i) => (i === 10
      ? { properties: { c: {} }, required: ['c'] }
      : { properties: { [`a${i}`]: {}, [`b${i}`]: {} }, required: [`a${i}`, `b${i}`] }));
    expect(ajvIssues({ anyOf }, {})).toEqual([
      { path: '', message: 'does not match any of the allowed forms' },
      { path: 'c', message: 'is required' },
    ]);
  });
  it('alternatives behind $ref (errors outside the combinator) are reported as they are, after it', () => {
    expect(ajvIssues({
      definitions: {
        git: { type: 'object', properties: { url: STRING }, required: ['url'], additionalProperties: false },
        pvc: { type: 'object', properties: { claimName: STRING }, required: ['claimName'], additionalProperties: false },
      },
      properties: { source: { anyOf: [{ $ref: '#/definitions/git' }, { $ref: '#/definitions/pvc' }] } },
    }, { source: {} })).toEqual([
      { path: 'source', message: 'does not match any of the allowed forms' },
      { path: 'source.url', message: 'is required' },
      { path: 'source.claimName', message: 'is required' },
    ]);
  });
});

describe('toIssues: oneOf', () => {
  it('no alternative matching is worded like anyOf', () => {
    expect(ajvIssues({ oneOf: [STRING, { type: 'integer' }] }, true)).toEqual([{ path: '', message: 'must be string or integer' }]);
  });
  it('several alternatives matching', () => {
    expect(ajvIssues({ oneOf: [STRING, { minLength: 1 }] }, 'ab'))
      .toEqual([{ path: '', message: 'matches more than one of the allowed forms' }]);
  });
  it('several matching beside one that fails on its type: still "more than one" (ajv drops the failing branch\'s errors then), not "must be integer"', () => {
    expect(ajvIssues({ oneOf: [STRING, { minLength: 1 }, { type: 'integer' }] }, 'ab'))
      .toEqual([{ path: '', message: 'matches more than one of the allowed forms' }]);
  });
});

describe('toIssues: de-duplication', () => {
  it('reports a field once when the closest alternative and the schema itself both require it', () => {
    expect(ajvIssues({
      properties: { a: STRING },
      required: ['a'],
      anyOf: [{ properties: { a: {} }, required: ['a'] }, { properties: { a: {}, b: {} }, required: ['a', 'b'] }],
    }, {})).toEqual([
      { path: '', message: 'does not match any of the allowed forms' },
      { path: 'a', message: 'is required' },
    ]);
  });
});

describe('field paths', () => {
  it('dots identifiers (letters, digits, _ and -, not starting with a digit) and quotes other keys, decoding ~0 and ~1', () => {
    const doc = workflowTemplate();
    doc.metadata.labels = { 'a~b': 1, 'a/b~c': 2, '~1': 3, '9x': 4, 'my-label': 5, _x: 6, 'a.b': 7, ab: 8, x: 9 };
    expect(validateStructure(doc)).toEqual([
      { path: 'metadata.labels["a~b"]', message: 'must be string' },
      { path: 'metadata.labels["a/b~c"]', message: 'must be string' },
      { path: 'metadata.labels["~1"]', message: 'must be string' },
      { path: 'metadata.labels["9x"]', message: 'must be string' },
      { path: 'metadata.labels.my-label', message: 'must be string' },
      { path: 'metadata.labels._x', message: 'must be string' },
      { path: 'metadata.labels["a.b"]', message: 'must be string' },
      { path: 'metadata.labels.ab', message: 'must be string' },
      { path: 'metadata.labels.x', message: 'must be string' },
    ]);
  });
  it('writes array indices of two digits as indices', () => {
    const task: Doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 't' },
      spec: { steps: Array.from({ length: 11 }, (_, i) => ({ name: `s${i}`, image: 'busybox' })) },
    };
    delete task.spec.steps[10].name;
    expect(validateStructure(task)).toEqual([{ path: 'spec.steps[10].name', message: 'is required' }]);
  });
  it.each([
    ['a leading zero', '/a/01', 'a["01"]'],
    ['a trailing non-digit', '/a/1x', 'a["1x"]'],
  ])('toPath: a segment with %s is a key, not an index, even on an array', (_what, pointer, expected) => {
    expect(toPath({ a: ['x', 'y'] }, pointer)).toBe(expected);
  });
  it.each([
    ['missing fields', {}, '/a/b/c', 'a.b.c'],
    ['a null', { a: null }, '/a/b', 'a.b'],
  ])('toPath: follows a pointer past %s of the document', (_what, doc, pointer, expected) => {
    expect(toPath(doc, pointer)).toBe(expected);
  });
});

const BAD_TASK = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec: {bogus: 1}\n';
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
const finding = (file: string) => ({ file, document: 'Task/t', path: 'spec', message: 'unknown field "bogus"' });

describe('validateFiles: which files a directory holds', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-vsf-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  };

  it('reads .yaml and .yml files in subdirectories, not node_modules, dot-directories or other extensions', () => {
    write('a.yaml', BAD_TASK);
    write('sub/b.yml', BAD_TASK);
    write('node_modules/pkg/c.yaml', BAD_TASK);
    write('.git/d.yaml', BAD_TASK);
    write('.cache/e.yaml', BAD_TASK);
    write('f.yaml.orig', BAD_TASK);
    write('g.json', BAD_TASK);
    expect(validateFiles([tmp])).toEqual({ files: 2, documents: 2, issues: [finding('a.yaml'), finding('sub/b.yml')] });
  });
  it('reports the files of a directory in JavaScript string order, whatever order the file system lists', () => {
    // The file system (libuv) lists by bytes of UTF-8: U+FF01 before U+1F600; by UTF-16 code units U+1F600 comes first.
    write('\uff01.yaml', BAD_TASK);
    write('\u{1F600}.yaml', BAD_TASK);
    write('b.yaml', BAD_TASK);
    expect(validateFiles([tmp]).issues.map((i) => i.file)).toEqual(['b.yaml', '\u{1F600}.yaml', '\uff01.yaml']);
  });
  it('throws naming a path that does not exist', () => {
    const missing = path.join(tmp, 'missing');
    expect(() => validateFiles([missing])).toThrow(new Error(`${missing}: no such file or directory`));
  });
});

describe('validateTexts', () => {
  it('skips empty documents, refuses documents that are not mappings and duplicate keys, and counts what it checked', () => {
    expect(validateTexts([
      { path: 'a.yaml', text: `${CONFIG_MAP}---\n---\n${BAD_TASK}` },
      { path: 'b.yaml', text: 'text\n---\n- a\n' },
      { path: 'c.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n' },
    ])).toEqual({
      files: 3,
      documents: 2,
      issues: [
        finding('a.yaml'),
        { file: 'b.yaml', document: 'document/#1', path: '', message: 'a Kubernetes document must be a mapping' },
        { file: 'b.yaml', document: 'document/#2', path: '', message: 'a Kubernetes document must be a mapping' },
        { file: 'c.yaml:3:1', document: 'document #1', path: '', message: 'malformed YAML: Map keys must be unique' },
      ],
    });
  });
});

describe('packagingGate', () => {
  it('gives one line per finding for texts and for parsed documents', () => {
    expect(packagingGate.texts([{ path: 'a.yaml', text: `${CONFIG_MAP}---\n${BAD_TASK}` }]))
      .toEqual(['a.yaml: Task/t: spec: unknown field "bogus"']);
    expect(packagingGate.documents('x.yaml', [{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { bogus: 1 } }]))
      .toEqual(['x.yaml: Task/t: spec: unknown field "bogus"']);
  });
});
