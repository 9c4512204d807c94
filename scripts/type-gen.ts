/**
 * JSON Schema (as zod's toJSONSchema emits it) -> TypeScript declarations, for src/spec/types.ts.
 *
 * Handles the subset the build spec uses: objects (properties, required, additionalProperties as
 * a map), arrays, anyOf/oneOf, enum, const, string/number/integer/boolean. Each top-level field
 * of the build spec that holds an object gets a named type; deeper objects are inline. Every
 * property carries its description and default as JSDoc, the way cdk8s-plus documents props.
 */
import * as z from 'zod';
import { configJsonSchema } from '../src/spec/config';
import { BuildSpecShape } from '../src/spec/schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const pascal = (s: string) => s.replace(/(^|[-_ ])([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

function doc(node: Json, indent: string): string {
  const lines: string[] = [];
  if (typeof node.description === 'string') lines.push(...node.description.split('\n'));
  if (node.default !== undefined) lines.push(`@default ${JSON.stringify(node.default)}`);
  if (!lines.length) return '';
  const body = lines.map((l) => l.replace(/\*\//g, '*\\/'));
  return body.length === 1 ? `${indent}/** ${body[0]} */\n` : `${indent}/**\n${body.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

interface Ctx {
  readonly readonly: boolean;
  /** Names given to top-level fields' types: path -> name. */
  readonly named: Map<string, string>;
}

function typeOf(node: Json, ctx: Ctx, indent: string, at: string): string {
  const name = ctx.named.get(at);
  if (name) return name;
  if (node.anyOf || node.oneOf) {
    const members = (node.anyOf ?? node.oneOf) as Json[];
    return [...new Set(members.map((m, i) => typeOf(m, ctx, indent, `${at}|${i}`)))].join(' | ');
  }
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return node.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  const t = node.type;
  if (Array.isArray(t)) return t.map((x: string) => typeOf({ ...node, type: x }, ctx, indent, at)).join(' | ');
  switch (t) {
    case 'string': return 'string';
    case 'number': case 'integer': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': {
      const item = node.items ? typeOf(node.items, ctx, indent, `${at}[]`) : 'unknown';
      return /[ |{]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object': return objectType(node, ctx, indent, at);
    default:
      // unrepresentable in JSON Schema: no user-facing field may end up here.
      throw new Error(`type-gen: no type for ${at}: ${JSON.stringify(node).slice(0, 200)}`);
  }
}

function objectType(node: Json, ctx: Ctx, indent: string, at: string): string {
  const props = (node.properties ?? {}) as Record<string, Json>;
  const keys = Object.keys(props);
  const ap = node.additionalProperties;
  if (!keys.length) {
    if (ap && typeof ap === 'object') return `{ [key: string]: ${typeOf(ap, ctx, indent, `${at}{}`)} }`;
    return '{}';
  }
  const required = new Set<string>(node.required ?? []);
  const inner = `${indent}  `;
  const ro = ctx.readonly ? 'readonly ' : '';
  const body = keys.map((k) => {
    const key = IDENT.test(k) ? k : JSON.stringify(k);
    return `${doc(props[k], inner)}${inner}${ro}${key}${required.has(k) ? '' : '?'}: ${typeOf(props[k], ctx, inner, `${at}.${k}`)};`;
  });
  return `{\n${body.join('\n')}\n${indent}}`;
}

/** Engine and CI blocks: `JobOptions`, not `Job` (which would shadow the cdk8s-plus class in a user's file). */
const OPTION_BLOCKS = new Set(['job', 'tekton', 'argo', 'ci']);

/** Names for the object-holding top-level fields of a build spec: `signing` -> Signing(Input). */
function topNames(spec: Json, suffix: string): Map<string, string> {
  const named = new Map<string, string>();
  const holdsObject = (n: Json): boolean => n.type === 'object' && !!n.properties || (n.anyOf ?? n.oneOf ?? []).some(holdsObject);
  for (const [k, v] of Object.entries(spec.properties as Record<string, Json>)) {
    if (holdsObject(v)) named.set(`.${k}`, `${pascal(k)}${OPTION_BLOCKS.has(k) ? 'Options' : ''}${suffix}`);
  }
  return named;
}

function declarations(spec: Json, root: string, suffix: string, readonly: boolean, what: string): string {
  const named = topNames(spec, suffix);
  const ctx: Ctx = { readonly, named: new Map() };
  const out: string[] = [];
  out.push(`${doc({ description: what }, '')}export interface ${root} ${objectType(spec, { readonly, named }, '', '')}\n`);
  for (const [at, name] of named) {
    const node = spec.properties[at.slice(1)];
    const t = typeOf(node, ctx, '', at);
    const d = doc({ description: node.description }, '');
    // An object is an interface; a union (short forms, either-or contexts) a type alias.
    out.push(node.type === 'object' && !(node.anyOf || node.oneOf) ? `${d}export interface ${name} ${t}\n` : `${d}export type ${name} = ${t};\n`);
  }
  return out.join('\n');
}

export function generateSpecTypes(): string {
  const input = configJsonSchema() as Json;
  const inputSpec = input.properties.builds.items as Json;
  const output = z.toJSONSchema(BuildSpecShape, { target: 'draft-7', io: 'output', unrepresentable: 'throw' }) as Json;
  const header = `/**
 * The build spec and config as plain interfaces: generated by scripts/write-types.ts (\`npm run types\`)
 * from the zod schema (src/spec/schema.ts); do not edit. src/spec/schema.ts checks at compile time
 * that these and the zod types agree, and test/public-types.test.ts that this file is current.
 *
 * \`BuildSpecInput\` is what a user writes (defaults optional, short forms allowed);
 * \`BuildSpec\` is a parsed spec (every default filled in), as \`parseBuildSpec\` returns it.
 */
/* eslint-disable */
`;
  const aliases = `
/** A key of an existing Secret. */
export type SecretKeyRef = Signing['key'];
/** A git context (kimia clones it). */
export type GitContext = Extract<Context, { git: unknown }>['git'];
/** A local context (a mounted directory). */
export type LocalContext = Extract<Context, { local: unknown }>['local'];
/** Where signatures are logged. */
export type TransparencyLog = Signing['transparencyLog'];

/** A kimia-bundles config file as written: the builds. */
export interface ConfigInput {
  /** The builds, each rendered to the outputs it names. */
  readonly builds: BuildSpecInput[];
}

/** A parsed config: every build parsed and defaulted. */
export interface Config {
  /** The builds, each rendered to the outputs it names. */
  builds: BuildSpec[];
}
`;
  return [
    header,
    declarations(inputSpec, 'BuildSpecInput', 'Input', true, 'A build spec as written (in a config file or passed to a construct): defaults optional, short forms allowed.'),
    declarations(output, 'BuildSpec', '', false, 'A parsed build spec: every default filled in (what parseBuildSpec returns and constructs expose as `.spec`).'),
    aliases,
  ].join('\n');
}
