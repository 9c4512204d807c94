/** The content hash of a versioned bundle: what may not change without a version bump. */
import { createHash } from 'node:crypto';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** JSON with sorted keys, so that key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 of the documents without `metadata.labels` and `metadata.annotations`: the catalog
 * lets those (and README, samples) change in place; everything else needs a new version.
 */
export function contentHash(documents: ReadonlyArray<Obj>): string {
  const stripped = documents.map((d) => {
    const { labels: _l, annotations: _a, ...metadata } = d.metadata ?? {};
    return { ...d, metadata };
  });
  return `sha256:${createHash('sha256').update(canonicalJson(stripped)).digest('hex')}`;
}
