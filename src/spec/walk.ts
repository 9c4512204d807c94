/** Walking plain JSON values. */

import * as path from 'node:path';

/** True for a JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The objects of a JSON list; anything else (not a list, null items, strings) gives none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const objectsOf = (v: unknown): Array<Record<string, any>> => (Array.isArray(v) ? v.filter(isObject) : []);

/** Go's filepath.Clean for slash paths: no `.`, `..`, doubled or trailing slashes (kimia and Tekton compare paths so). */
export function goClean(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** A path into a JSON value, as zod reports it. */
export type JsonPath = Array<string | number>;

/**
 * Visits every string in a JSON value with its path. The path array is reused while walking
 * (walks are hot in validation): it is valid during the call; copy it to keep it.
 */
export function eachString(value: unknown, at: JsonPath, visit: (s: string, at: JsonPath) => void): void {
  const path = [...at];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') visit(v, path);
    else if (Array.isArray(v)) {
      v.forEach((x, i) => { path.push(i); walk(x); path.pop(); }); // JSON arrays have no holes
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) { path.push(k); walk((v as Record<string, unknown>)[k]); path.pop(); }
    }
  };
  walk(value);
}

/**
 * Visits every key of every object in a JSON value with the path of the entry it names
 * (the path ends with the key). The path array is reused like {@link eachString}'s.
 */
export function eachKey(value: unknown, at: JsonPath, visit: (key: string, at: JsonPath) => void): void {
  const path = [...at];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => { path.push(i); walk(x); path.pop(); }); // JSON arrays have no holes
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) { path.push(k); visit(k, path); walk((v as Record<string, unknown>)[k]); path.pop(); }
    }
  };
  walk(value);
}
