/** The content hash of a versioned bundle: what may not change without a version bump. */
import { createHash } from 'node:crypto';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** JSON with sorted keys, so that key order never changes a hash. (Recorded hashes depend on its exact output.) */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${canonicalJson(value[i]) ?? ''}`;
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson((value as Obj)[keys[i]])}`;
  return `${out}}`;
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
