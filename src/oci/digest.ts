/**
 * sha256 digests, canonical JSON and the reproducible creation time (SOURCE_DATE_EPOCH).
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { Annotation, type Descriptor, type OciAnnotationOptions } from './media-types';

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True for a `sha256:<64 hex>` digest (the only algorithm kimia-bundles writes or verifies). */
export function isSha256Digest(value: string): boolean {
  return DIGEST.test(value);
}

/** A descriptor for the bytes. */
export function descriptorOf(mediaType: string, data: Uint8Array, extra?: Partial<Descriptor>): Descriptor {
  return { mediaType, digest: sha256Digest(data), size: data.length, ...extra };
}

/**
 * JSON with object keys sorted (recursively) and no whitespace: the same value always gives
 * the same bytes, whatever the key order it was built or parsed with.
 */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The creation time of a reproducible build as RFC 3339 (`1970-01-01T00:00:00Z` style, no
 * milliseconds): from SOURCE_DATE_EPOCH seconds when given, else epoch 0.
 * @throws Error when the epoch is not a non-negative integer number of seconds.
 */
export function createdTime(sourceDateEpoch?: string | number): string {
  if (sourceDateEpoch === undefined || sourceDateEpoch === '') return '1970-01-01T00:00:00Z';
  const text = String(sourceDateEpoch).trim();
  if (!/^\d{1,12}$/.test(text)) throw new Error(`SOURCE_DATE_EPOCH must be Unix seconds, not "${sourceDateEpoch}"`);
  return new Date(Number(text) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `org.opencontainers.image.*` manifest annotations for the given options, sorted by key;
 * `created` falls back to `defaultCreated` (the SOURCE_DATE_EPOCH time, when one was given).
 */
export function ociAnnotations(opts: OciAnnotationOptions, defaultCreated?: string): Record<string, string> {
  const pairs: Array<[string, string | undefined]> = [
    [Annotation.created, opts.created ?? defaultCreated],
    [Annotation.description, opts.description],
    [Annotation.revision, opts.revision],
    [Annotation.source, opts.source],
    [Annotation.version, opts.version],
  ];
  const out: Record<string, string> = {};
  for (const [k, v] of pairs.sort(([a], [b]) => (a < b ? -1 : 1))) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
