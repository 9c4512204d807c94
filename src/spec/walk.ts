/** Walking plain JSON values. */

/** A path into a JSON value, as zod reports it. */
export type JsonPath = Array<string | number>;

/** Visits every string in a JSON value with its path. */
export function eachString(value: unknown, at: JsonPath, visit: (s: string, at: JsonPath) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, [...at, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) eachString(v, [...at, k], visit);
  }
}
