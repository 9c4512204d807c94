#!/usr/bin/env node
// Compiles the CRD openAPIV3Schemas in ../shared/crds ahead of time into standalone ajv validators
// (src/validate/generated/*.ts), so a run never pays for schema compilation.
//
// Kubernetes structural schemas are turned into plain JSON Schema first:
// - objects with `properties` (or none at all) and neither `additionalProperties` nor
//   `x-kubernetes-preserve-unknown-fields` get `additionalProperties: false`: the API server would
//   prune unknown fields and kubectl's strict field validation rejects them; we report them;
// - `x-kubernetes-preserve-unknown-fields` allows anything not described (no type: any value);
// - `x-kubernetes-int-or-string` becomes `type: [integer, string]`; `nullable` adds "null";
// - `x-kubernetes-embedded-resource` allows apiVersion, kind and metadata;
// - `x-kubernetes-list-type: set` becomes `uniqueItems`, `map` checks its list-map-keys are unique;
// - the root allows apiVersion, kind and a loosely typed metadata (name, labels, annotations);
// - descriptions, defaults, CEL rules (`x-kubernetes-validations`) and the other `x-kubernetes-*`
//   annotations are dropped; formats (int32, int64, byte, date-time, ...) are known but unchecked.
// Subschemas that occur more than once (Argo repeats Container, Volume, ... dozens of times) are
// hoisted into `definitions` so each is compiled to one function. A kind whose schema equals an
// earlier kind's (Argo ClusterWorkflowTemplate = WorkflowTemplate) re-exports that validator.
//
// Usage: npm run compile-schemas                    regenerate src/validate/generated/
//        node scripts/compile-schemas.js --check     exit 1 if src/validate/generated/ is stale
// CRDS_DIR overrides ../shared/crds.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const Ajv = require('ajv').default;
const { _ } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

const root = path.resolve(__dirname, '..');
const crds = path.resolve(process.env.CRDS_DIR || path.join(root, '..', 'shared', 'crds'));
const generated = path.join(root, 'src', 'validate', 'generated');
const check = process.argv.includes('--check');
const ajvVersion = require('ajv/package.json').version;

/** Validators to generate: module name, CRD file (relative to CRDS_DIR), group, version, kind. */
const KINDS = [
  ['tekton-task-v1', 'tekton/300-task.yaml', 'tekton.dev', 'v1', 'Task'],
  ['tekton-pipeline-v1', 'tekton/300-pipeline.yaml', 'tekton.dev', 'v1', 'Pipeline'],
  ['argo-workflowtemplate-v1alpha1', 'argo/argoproj.io_workflowtemplates.yaml', 'argoproj.io', 'v1alpha1',
    'WorkflowTemplate'],
  ['argo-clusterworkflowtemplate-v1alpha1', 'argo/argoproj.io_clusterworkflowtemplates.yaml', 'argoproj.io',
    'v1alpha1', 'ClusterWorkflowTemplate'],
];

/** Formats found in the CRDs: known to ajv, never checked (Kubernetes checks few of them itself). */
const FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'date-time', 'date', 'duration', 'quantity'];

/** Kept as they are; all other keywords are converted below, ignored, or an error. */
const PLAIN = ['enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum',
  'multipleOf', 'uniqueItems', 'minProperties', 'maxProperties', 'format', 'required'];
const IGNORED = ['description', 'default', 'example', 'title', 'externalDocs', 'x-kubernetes-validations',
  'x-kubernetes-map-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type'];
const HANDLED = ['type', 'properties', 'additionalProperties', 'items', 'anyOf', 'oneOf', 'allOf', 'not',
  'nullable', 'exclusiveMinimum', 'exclusiveMaximum', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource'];

const LIST_MAP_KEYS = 'x-list-map-keys'; // our keyword: items of a list-type map are unique by these keys

/** ObjectMeta, loosely: the fields a generator sets, typed; the rest is the API server's business. */
const OBJECT_META = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Converts one structural-schema node into JSON Schema (draft-07) for ajv. `at` is for errors. */
function convert(node, at) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`${at}: not a schema`);
  for (const k of Object.keys(node)) {
    if (!PLAIN.includes(k) && !IGNORED.includes(k) && !HANDLED.includes(k)) {
      throw new Error(`${at}: unsupported schema keyword "${k}" (teach scripts/compile-schemas.js about it)`);
    }
  }
  const out = {};
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  let type = node.type;
  if (node['x-kubernetes-int-or-string'] === true) type = ['integer', 'string'];
  if (type !== undefined) out.type = type;
  if (node.nullable === true && type !== undefined) out.type = [...[].concat(type), 'null'];

  for (const k of PLAIN) if (node[k] !== undefined) out[k] = node[k];
  if (node.nullable === true && out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  // OpenAPI 3.0 exclusiveMinimum/Maximum are booleans modifying minimum/maximum.
  for (const [ex, lim] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (node[ex] === true) {
      out[ex] = node[lim];
      delete out[lim];
    } else if (typeof node[ex] === 'number') out[ex] = node[ex];
  }
  if (out.format !== undefined && !FORMATS.includes(out.format)) {
    throw new Error(`${at}: unknown format "${out.format}" (add it to FORMATS)`);
  }

  const isObject = [].concat(type ?? []).includes('object') || node.properties !== undefined;
  if (node.properties !== undefined) {
    out.properties = {};
    for (const k of Object.keys(node.properties)) out.properties[k] = convert(node.properties[k], `${at}.${k}`);
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: OBJECT_META,
      ...out.properties };
  }
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'boolean'
      ? node.additionalProperties
      : convert(node.additionalProperties, `${at}{}`);
  } else if (isObject && !preserve) out.additionalProperties = false;

  if (node.items !== undefined) {
    if (Array.isArray(node.items)) throw new Error(`${at}: tuple items are not structural`);
    out.items = convert(node.items, `${at}[]`);
  }
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (node['x-kubernetes-list-type'] === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) {
    out[LIST_MAP_KEYS] = node['x-kubernetes-list-map-keys'];
  }

  // int-or-string nodes carry `anyOf: [{type: integer}, {type: string}]`, now expressed by `type`.
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (node[k] === undefined) continue;
    if (k === 'anyOf' && node['x-kubernetes-int-or-string'] === true && isIntOrStringAnyOf(node.anyOf)) continue;
    out[k] = node[k].map((s, i) => convert(s, `${at}.${k}[${i}]`));
  }
  if (node.not !== undefined) out.not = convert(node.not, `${at}.not`);
  return out;
}

function isIntOrStringAnyOf(list) {
  const types = list.map((s) => (Object.keys(s).length === 1 ? s.type : undefined)).sort();
  return types.length === 2 && types[0] === 'integer' && types[1] === 'string';
}

/** The root: apiVersion, kind and metadata are always allowed; everything else as the CRD says. */
function convertRoot(schema, at) {
  const out = convert(schema, at);
  out.type = 'object';
  out.properties = { ...out.properties, apiVersion: { type: 'string' }, kind: { type: 'string' },
    metadata: OBJECT_META };
  if (!schema['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

/** JSON with sorted keys: the identity of a subschema. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Hoists object/array subschemas that occur more than once and are big enough to matter into
 * `definitions`, replacing them by `$ref`. Names are d0, d1, ... in order of first occurrence.
 */
function hoist(schema) {
  const MIN_SIZE = 200; // bytes of canonical JSON; smaller ones are cheaper inline
  const count = new Map();
  const walk = (node, fn) => {
    for (const k of ['properties', 'definitions']) {
      if (node[k]) for (const p of Object.keys(node[k])) fn(node[k], p);
    }
    for (const k of ['items', 'additionalProperties', 'not']) if (node[k] && typeof node[k] === 'object') fn(node, k);
    for (const k of ['anyOf', 'oneOf', 'allOf']) if (node[k]) node[k].forEach((_s, i) => fn(node[k], i));
  };
  const countAll = (node) => walk(node, (parent, key) => {
    const c = canonical(parent[key]);
    if (c.length >= MIN_SIZE) count.set(c, (count.get(c) || 0) + 1);
    countAll(parent[key]);
  });
  countAll(schema);
  const names = new Map();
  const definitions = {};
  // Outermost first: a hoisted subschema's own repeated parts are hoisted inside the definition.
  const replace = (node) => walk(node, (parent, key) => {
    const c = canonical(parent[key]);
    if ((count.get(c) || 0) > 1) {
      let name = names.get(c);
      if (!name) {
        name = `d${names.size}`;
        names.set(c, name);
        definitions[name] = parent[key];
        replace(parent[key]);
      }
      parent[key] = { $ref: `#/definitions/${name}` };
    } else replace(parent[key]);
  });
  replace(schema);
  if (names.size) schema.definitions = definitions;
  return schema;
}

function newAjv() {
  const ajv = new Ajv({
    strict: true,
    strictTypes: false, // CRDs put e.g. `required` next to `type: object` only; fine
    allErrors: true,
    messages: false, // src/validate/structure.ts words the messages
    inlineRefs: false, // one function per hoisted definition
    code: { source: true, esm: true, optimize: true, lines: true },
    formats: Object.fromEntries(FORMATS.map((f) => [f, true])),
  });
  ajv.addKeyword({
    keyword: LIST_MAP_KEYS,
    type: 'array',
    schemaType: 'array',
    error: { message: 'duplicate', params: ({ params }) => _`{keys: ${params.keys}, first: ${params.first}}` },
    code(cxt) {
      const { gen, data, schema } = cxt;
      const seen = gen.const('seen', _`new Map()`);
      gen.forRange('i', 0, _`${data}.length`, (i) => {
        const item = gen.const('item', _`${data}[${i}]`);
        const key = gen.const('key', _`JSON.stringify(${item} && typeof ${item} == "object" ? [${
          schema.map((k, n) => (n ? _`, ${item}[${k}]` : _`${item}[${k}]`)).reduce((a, b) => _`${a}${b}`, _``)
        }] : ${item})`);
        gen.if(_`${seen}.has(${key})`,
          () => cxt.error(false, { keys: schema.join(', '), first: _`${seen}.get(${key})` },
            { instancePath: gen.const('at', _`String(${i})`) }), // ajv escapes it as a string
          () => gen.code(_`${seen}.set(${key}, ${i})`));
      });
    },
  });
  return ajv;
}

function sha(text) {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Returns {file name: contents} for src/validate/generated/. */
function generate() {
  const files = {};
  const byCanon = new Map(); // canonical converted schema -> module that owns its code
  const index = [];
  for (const [mod, file, group, version, kind] of KINDS) {
    const src = path.join(crds, file);
    if (!fs.existsSync(src)) throw Object.assign(new Error(`missing CRD ${src} (set CRDS_DIR)`), { exitCode: 2 });
    const text = fs.readFileSync(src, 'utf8');
    const crd = YAML.parse(text);
    if (crd?.spec?.group !== group || crd.spec.names?.kind !== kind) {
      throw new Error(`${file}: expected ${group} ${kind}, found ${crd?.spec?.group} ${crd?.spec?.names?.kind}`);
    }
    const ver = (crd.spec.versions || []).find((v) => v.name === version && v.served);
    const schema = ver?.schema?.openAPIV3Schema;
    if (!schema) throw new Error(`${file}: no served version ${version} with an openAPIV3Schema`);
    const converted = convertRoot(schema, `${kind}`);
    const canon = canonical(converted);
    const header = [
      '// @ts-nocheck',
      '/* eslint-disable */',
      `// Generated by \`npm run compile-schemas\` (scripts/compile-schemas.js, ajv ${ajvVersion}). DO NOT EDIT.`,
      `// Validates ${group}/${version} ${kind} against openAPIV3Schema of ${file} (sha256 ${sha(text)}…).`,
    ];
    const owner = byCanon.get(canon);
    let body;
    if (owner) {
      header.push(`// The converted schema is identical to ${owner}'s, so this module re-exports its validator.`);
      body = `export { validate, default } from './${owner}';\n`;
    } else {
      byCanon.set(canon, mod);
      const ajv = newAjv();
      const started = Date.now();
      const validate = ajv.compile(hoist(JSON.parse(JSON.stringify(converted))));
      const code = standaloneCode(ajv, validate);
      const exportLine = /^"use strict";\nexport const validate = (validate\d+);\nexport default \1;\n/;
      const m = exportLine.exec(code);
      if (!m) throw new Error('compile-schemas: unexpected ajv standalone output; update the post-processing');
      body = `export const validate: import('ajv').ValidateFunction = ${m[1]};\nexport default ${m[1]};\n${
        code.slice(m[0].length)}\n`;
      console.error(`compile-schemas: ${mod} (${group}/${version} ${kind}) compiled in ${Date.now() - started} ms, ${
        body.length} bytes`);
    }
    files[`${mod}.ts`] = `${header.join('\n')}\n${body}`;
    index.push([`${group}/${version}`, kind, mod]);
  }
  files['index.ts'] = [
    '/* eslint-disable */',
    '// Generated by `npm run compile-schemas` (scripts/compile-schemas.js). DO NOT EDIT.',
    "import type { ValidateFunction } from 'ajv';",
    '',
    '/** Loads (on call, not at import) the generated validator for `apiVersion kind`. */',
    'export const LOADERS: Readonly<Record<string, () => ValidateFunction>> = {',
    ...index.map(([apiVersion, kind, mod]) =>
      `  '${apiVersion} ${kind}': () => require('./${mod}').validate as ValidateFunction,`),
    '};',
    '',
  ].join('\n');
  return files;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-schemas-'));
const out = check ? path.join(tmp, 'out') : generated;
try {
  const files = generate();
  if (!check) fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(out, name), text);
  if (check) {
    const list = (d) => (fs.existsSync(d) ? fs.readdirSync(d).sort() : []);
    const stale = [...new Set([...list(out), ...list(generated)])].filter((f) => {
      const a = path.join(out, f);
      const b = path.join(generated, f);
      return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
    });
    if (stale.length) {
      console.error(`compile-schemas: src/validate/generated/ is out of date (${stale.join(', ')}): ` +
        'run npm run compile-schemas');
      process.exitCode = 1;
    } else console.error('compile-schemas: src/validate/generated/ is up to date');
  }
} catch (err) {
  if (!err.exitCode) throw err;
  console.error(`compile-schemas: ${err.message}`);
  process.exitCode = err.exitCode;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
