/**
 * Structural validation of emitted Kubernetes documents against the CRD `openAPIV3Schema` of their
 * apiVersion/kind, with validators compiled ahead of time by `npm run compile-schemas`
 * (scripts/compile-schemas.js -> ./generated/). Each validator is loaded on first use.
 *
 * Stricter than the API server in one respect, on purpose: unknown fields are errors (the server
 * would prune them silently; `kubectl apply` with strict field validation rejects them). Not
 * checked: CEL rules (`x-kubernetes-validations`), formats, and anything the Tekton webhook or
 * Argo's own validation checks beyond the schema.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LOADERS } from './generated';
import type { DocumentIssue } from './issues';

/** `path` is like `spec.steps[0].image`; `''` is the document itself. */
export type { DocumentIssue };

export interface ValidateStructureOptions {
  /** Report documents whose apiVersion/kind has no compiled schema (default: ignore them). */
  readonly strict?: boolean;
}

const cache = new Map<string, ValidateFunction>();

function keyOf(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/** True when a compiled CRD schema exists for this apiVersion and kind. */
export function hasStructuralSchema(apiVersion: string, kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(LOADERS, keyOf(apiVersion, kind));
}

function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = keyOf(apiVersion, kind);
  let validate = cache.get(key);
  if (!validate && hasStructuralSchema(apiVersion, kind)) {
    validate = LOADERS[key]();
    cache.set(key, validate);
  }
  return validate;
}

/**
 * Validates one document against the CRD schema of its apiVersion/kind. Returns [] when valid.
 * Documents of other kinds (and non-objects) are not ours to check: [] unless `strict`.
 */
export function validateStructure(doc: unknown, options: ValidateStructureOptions = {}): DocumentIssue[] {
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const { apiVersion, kind } = (isObject ? doc : {}) as { apiVersion?: unknown; kind?: unknown };
  const validate = typeof apiVersion === 'string' && typeof kind === 'string'
    ? validatorFor(apiVersion, kind)
    : undefined;
  if (!validate) {
    if (!options.strict) return [];
    if (!isObject) return [{ path: '', message: 'must be an object with apiVersion and kind' }];
    return [{ path: '', message: `no structural schema for apiVersion ${JSON.stringify(apiVersion)} kind ${
      JSON.stringify(kind)}` }];
  }
  if (validate(doc)) return [];
  return toIssues(doc, validate.errors ?? []);
}

/** Turns ajv errors (compiled with `allErrors`, no messages) into readable, deduplicated issues. */
export function toIssues(doc: unknown, errors: readonly ErrorObject[]): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string): void => {
    const id = `${path}\0${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push({ path, message });
    }
  };
  const absorbed = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    // Errors of the alternatives sit under the combinator's schemaPath: a CRD schema has every alternative
    // inline, as Kubernetes refuses $ref in openAPIV3Schema (apiextensions-apiserver validation.go: field.Forbidden "$ref is not supported").
    const branches = errors.filter((b) => b.schemaPath.startsWith(`${e.schemaPath}/`)); // never e itself: its path has no trailing /
    if (e.keyword === 'oneOf' && branches.length === 0) continue; // matched several: worded below
    branches.forEach((b) => absorbed.add(b));
    const path = toPath(doc, e.instancePath);
    if (branches.length > 0 && branches.every((b) => b.keyword === 'type' && b.instancePath === e.instancePath)) {
      add(path, `must be ${joinTypes(branches.flatMap((b) => typesOf(b.params.type)))}`);
      absorbed.add(e);
      continue;
    }
    // Report the alternative that came closest (fewest errors), after the combinator itself.
    const byBranch = new Map<string, ErrorObject[]>();
    for (const b of branches) {
      const n = b.schemaPath.slice(e.schemaPath.length + 1).split('/')[0];
      byBranch.set(n, [...(byBranch.get(n) ?? []), b]);
    }
    const closest = [...byBranch.values()].sort((a, b) => a.length - b.length)[0] ?? [];
    add(path, 'does not match any of the allowed forms');
    absorbed.add(e);
    for (const b of closest) add(...describe(doc, b));
  }
  for (const e of errors) if (!absorbed.has(e)) add(...describe(doc, e));
  return issues;
}

function describe(doc: unknown, e: ErrorObject): [string, string] {
  const path = toPath(doc, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [joinPath(path, String(p.missingProperty)), 'is required'];
    case 'additionalProperties':
      return [path, `unknown field ${JSON.stringify(p.additionalProperty)}`];
    case 'type':
      return [path, `must be ${joinTypes(typesOf(p.type))}`];
    case 'enum':
      return [path, `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`];
    case 'pattern':
      return [path, `must match pattern ${JSON.stringify(p.pattern)}`];
    case 'minLength':
      return [path, `must have at least ${p.limit} characters`];
    case 'maxLength':
      return [path, `must have at most ${p.limit} characters`];
    case 'minItems':
      return [path, `must have at least ${p.limit} items`];
    case 'maxItems':
      return [path, `must have at most ${p.limit} items`];
    case 'minProperties':
      return [path, `must have at least ${p.limit} fields`];
    case 'maxProperties':
      return [path, `must have at most ${p.limit} fields`];
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return [path, `must be ${p.comparison} ${p.limit}`];
    case 'multipleOf':
      return [path, `must be a multiple of ${p.multipleOf}`];
    case 'uniqueItems':
      return [path, `must not contain duplicates (items ${p.j} and ${p.i} are equal)`];
    case 'x-list-map-keys':
      return [path, `duplicate entry: same ${p.keys} as item ${p.first}`];
    case 'oneOf':
      return [path, 'matches more than one of the allowed forms'];
    case 'not':
      return [path, 'must not match the forbidden form'];
    default:
      return [path, `fails ${e.keyword} ${JSON.stringify(p)}`];
  }
}

function typesOf(type: unknown): string[] {
  return Array.isArray(type) ? type.map(String) : String(type).split(',');
}

function joinTypes(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.length > 1) return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
  // Stryker disable next-line StringLiteral: equivalent, never empty (typesOf gives at least one type; the anyOf path needs a branch)
  return unique[0] ?? 'valid';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function joinPath(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * `/spec/steps/0/name` -> `spec.steps[0].name`. The document decides whether a segment is an
 * array index or a map key (`metadata.labels["0"]`); keys that are not identifiers are quoted
 * (`metadata.annotations["tekton.dev/tags"]`).
 */
export function toPath(doc: unknown, instancePath: string): string {
  if (!instancePath) return '';
  let path = '';
  let value: unknown = doc;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^(0|[1-9][0-9]*)$/.test(key)) {
      path += `[${key}]`;
      value = value[Number(key)];
    } else {
      path = joinPath(path, key);
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}
