/**
 * Every string field and map key of a JSON Schema, and a way to put a value into one of them
 * inside an existing instance. Used by the hostile-field property test: walking the config's
 * JSON Schema (not a hand-written list) covers a new schema field automatically.
 */

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One step from a value to a child: a property, the first array item, a map entry's value or key. */
export type Step =
  | { readonly kind: 'prop'; readonly name: string; readonly object: Schema }
  | { readonly kind: 'item'; readonly array: Schema }
  | { readonly kind: 'value'; readonly map: Schema }
  | { readonly kind: 'key'; readonly map: Schema };

/** A string field (or map key) of the schema and how to reach it. */
export interface SchemaField {
  /** e.g. `builds[].nodeSelector.<key>` or `builds[].params.*.default`. */
  readonly name: string;
  readonly steps: readonly Step[];
  /** The string's own schema (for a key: the map's `propertyNames`). */
  readonly schema: Schema;
  readonly isKey: boolean;
}

const branchesOf = (s: Schema): Schema[] => [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
const isString = (s: Schema) => s.type === 'string' && s.const === undefined && s.enum === undefined;

/** Walks a schema (no $ref: zod inlines everything) and lists its free string fields and map keys. */
export function stringFields(root: Schema): SchemaField[] {
  const out: SchemaField[] = [];
  const label = (steps: readonly Step[]) => steps.map((s) => (s.kind === 'prop' ? `.${s.name}` : s.kind === 'item' ? '[]' : s.kind === 'value' ? '.*' : '.<key>')).join('').replace(/^\./, '');
  const walk = (s: Schema, steps: Step[]) => {
    if (isString(s)) out.push({ name: label(steps), steps, schema: s, isKey: false });
    for (const b of branchesOf(s)) walk(b, steps);
    if (s.type === 'object' && s.properties) {
      for (const [name, child] of Object.entries<Schema>(s.properties)) walk(child, [...steps, { kind: 'prop', name, object: s }]);
    }
    if (s.type === 'object' && typeof s.additionalProperties === 'object') {
      out.push({ name: label([...steps, { kind: 'key', map: s }]), steps: [...steps, { kind: 'key', map: s }], schema: s.propertyNames ?? { type: 'string' }, isKey: true });
      walk(s.additionalProperties, [...steps, { kind: 'value', map: s }]);
    }
    if (s.type === 'array' && s.items) walk(s.items, [...steps, { kind: 'item', array: s }]);
  };
  walk(root, []);
  return out;
}

/** Does `value` have the shape of `s` at the top (type and discriminating consts)? */
function fits(s: Schema, value: unknown): boolean {
  if (s.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    for (const [k, p] of Object.entries<Schema>(s.properties ?? {})) {
      if (p.const !== undefined && (value as Record<string, unknown>)[k] !== p.const) return false;
    }
    if (s.additionalProperties === false) return Object.keys(value).every((k) => k in (s.properties ?? {}));
    return true;
  }
  if (s.type === 'array') return Array.isArray(value);
  return true;
}

/**
 * A minimal instance of `s`: required properties (consts, enums' first value, `string()` for
 * free strings), one item for a non-empty array.
 */
export function skeleton(s: Schema, string: (s: Schema) => string): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const b = branchesOf(s);
  if (b.length) return skeleton(b[0], string);
  switch (s.type) {
    case 'string': return string(s);
    case 'boolean': return false;
    case 'integer': case 'number': return Math.max(1, s.minimum ?? 1);
    case 'array': return s.minItems ? Array.from({ length: s.minItems }, () => skeleton(s.items ?? {}, string)) : [];
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const k of s.required ?? []) o[k] = skeleton(s.properties[k], string);
      for (const [k, p] of Object.entries<Schema>(s.properties ?? {})) if (p.const !== undefined) o[k] = p.const;
      return o;
    }
    default: return {};
  }
}

/** The object schemas a path passes through, parent of each step: `schemaAt[i]` holds step i. */
function holders(field: SchemaField): Schema[] {
  return field.steps.map((s) => (s.kind === 'prop' ? s.object : s.kind === 'item' ? s.array : s.map));
}

/**
 * A deep copy of `root` with `value` put at the field: missing (or differently shaped) containers
 * are created as skeletons, a map value replaces an existing entry's (its first key) or adds one
 * under `newKey`, a map key adds an entry with a skeleton value. With `fresh` = i, the container
 * step i leads into is rebuilt as a skeleton (drops siblings that exclude the field, e.g.
 * `attestation.mode` for `attestation.attest`). Returns the concrete path too.
 */
export function putValue(
  root: unknown, field: SchemaField, value: string, string: (s: Schema) => string, newKey: (map: Schema) => string, fresh = -1,
): { root: unknown; path: Array<string | number> } {
  const copy = JSON.parse(JSON.stringify(root)) as unknown;
  const parents = holders(field);
  const path: Array<string | number> = [];
  let cur = copy as Record<string | number, unknown>;
  field.steps.forEach((step, i) => {
    const last = i === field.steps.length - 1;
    const next = field.steps[i + 1];
    const nextHolder = next ? parents[i + 1] : undefined;
    let key: string | number;
    if (step.kind === 'key') {
      cur[value] = skeleton(step.map.additionalProperties, string);
      path.push(value);
      return;
    }
    if (step.kind === 'prop') key = step.name;
    else if (step.kind === 'item') key = 0;
    else key = Object.keys(cur)[0] ?? newKey(step.map);
    path.push(key);
    if (last) { cur[key] = value; return; }
    // The container the next step works in must exist and have the right shape.
    if (i === fresh || !fits(nextHolder!, cur[key])) cur[key] = skeleton(nextHolder!, string);
    cur = cur[key] as Record<string | number, unknown>;
  });
  return { root: copy, path };
}
