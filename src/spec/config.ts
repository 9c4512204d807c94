/**
 * The config file: named builds, validated by zod, read from YAML with line numbers in errors.
 */
import * as fs from 'node:fs';
import * as z from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import { BuildSpec as BuildSpecSchema } from './schema';
import type { BuildSpec } from './types';
import type * as T from './types';
import { SpecError, yamlLocator, type SpecIssue } from './errors';
import { addRules, inputForms, SCHEMA_ID } from './json-schema';

/** A config file: a list of named builds. */
const ConfigSchema = z
  .strictObject({
    builds: z.array(BuildSpecSchema, { error: 'expected a list of builds' }).min(1, 'list at least one build'),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.builds.forEach((b, i) => {
      if (seen.has(b.name)) {
        ctx.addIssue({ code: 'custom', path: ['builds', i, 'name'], message: `duplicate build name "${b.name}" (also builds[${seen.get(b.name)}])`, input: b.name });
      }
      seen.set(b.name, i);
    });
  })
  .describe('kimia-bundles config: builds rendered to Jobs, Tekton Tasks and Argo templates.');

/** A parsed config (types.ts: generated from the schema; checked against it here). */
type Config = T.Config;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const CONFIG_TYPES_AGREE: Same<z.output<typeof ConfigSchema>, Config> = true;
void CONFIG_TYPES_AGREE;

/** Converts zod issues to {@link SpecIssue}s, with the line and column of each path when known. */
function toIssues(error: z.ZodError, locate?: (path: ReadonlyArray<PropertyKey>) => { line: number; col: number } | undefined): SpecIssue[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    // A map key that breaks its pattern: zod says "Invalid key in record"; the key's own issue says why.
    // Stryker disable next-line StringLiteral: equivalent, a record key has one check (a string, or one regex zod runs only on a string), so one message
    if (i.code === 'invalid_key' && i.issues.length) message = `the key ${i.issues.map((k) => k.message).join('; ')}`;
    // Stryker disable next-line Regex: equivalent, zod's en locale ends the message with the received type (zod/v4/locales/en.js)
    if (i.code === 'invalid_type' && /received undefined$/.test(message) && i.path.length) message = 'is required';
    else if (i.code === 'invalid_type' && i.expected === 'object') message = `expected a mapping (key: value), not ${/received (-?\w+)$/.exec(message)?.[1] ?? 'this'}`;
    const pos = locate?.(i.path);
    return { path: i.path as Array<string | number>, message, ...(pos ?? {}) };
  });
}

/**
 * Build specs this module parsed. They are frozen, so a construct handed one can use it as it
 * is instead of parsing it again (parsing is idempotent; a test checks that).
 */
const PARSED = new WeakSet<object>();
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  for (const v of Object.values(value)) deepFreeze(v);
  Object.freeze(value);
}
function sealed(spec: BuildSpec): BuildSpec {
  deepFreeze(spec);
  PARSED.add(spec);
  return spec;
}

/** Parses a build spec object; throws {@link SpecError} with one line per problem. The result is frozen. */
export function parseBuildSpec(input: unknown): BuildSpec {
  if (typeof input === 'object' && input !== null && PARSED.has(input)) return input as BuildSpec;
  const r = BuildSpecSchema.safeParse(input);
  if (!r.success) throw new SpecError(toIssues(r.error));
  return sealed(r.data);
}

/** Parses config YAML text. Throws {@link SpecError} naming the field, line and reason. */
/** Parses a config given as an object (what a config file holds): every build parsed and checked. */
export function parseConfig(input: unknown): Config {
  const r = ConfigSchema.safeParse(input);
  if (!r.success) throw new SpecError(toIssues(r.error));
  r.data.builds.forEach(sealed);
  return r.data;
}

export function parseConfigText(text: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new SpecError([{ path: [], message: `malformed YAML: ${e.message.split('\n')[0]}`, line: pos.line, col: pos.col }]);
  }
  let js: unknown;
  try {
    js = doc.toJS();
  } catch (e) {
    throw new SpecError([{ path: [], message: `malformed YAML: ${(e as Error).message.split('\n')[0]}` }]);
  }
  const r = ConfigSchema.safeParse(js);
  if (r.success) {
    r.data.builds.forEach(sealed);
    return r.data;
  }
  throw new SpecError(toIssues(r.error, yamlLocator(doc, lineCounter)));
}

/** Reads and parses a config file. Errors say which file and why. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new SpecError([{ path: [], message: `cannot read config: ${why}` }], { file });
  }
  try {
    return parseConfigText(text);
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(e.issues, { file });
    throw e;
  }
}

/**
 * JSON Schema (draft-07) of the config file, for editors (yaml-language-server): the input forms
 * the parser reads, and the parse-time rules a JSON Schema can state (json-schema.ts, which also
 * lists what only the parser checks).
 */
export function configJsonSchema(): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const { $schema, ...rest } = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any', override: inputForms }) as Record<string, any>;
  addRules(rest.properties.builds.items);
  return { $schema, $id: SCHEMA_ID, ...rest };
}
