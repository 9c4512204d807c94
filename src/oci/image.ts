/**
 * An image (manifest + blobs) held in memory: what `bundle` builds, a layout holds, `push`
 * uploads and `pull` downloads.
 * @packageDocumentation
 */
import { sortedJson, isSha256Digest, sha256Digest } from './digest';
import { OciContentError } from './errors';
import { Annotation, INDEX_TYPES, MANIFEST_TYPES, MediaType, type Descriptor, type ImageIndex, type ImageManifest } from './media-types';

/** A manifest with every blob it references, in memory. */
export interface OciImage {
  /** The manifest bytes exactly as digested and pushed. */
  readonly manifestBytes: Buffer;
  /** The manifest's descriptor (media type, digest, size, and artifactType when set). */
  readonly descriptor: Descriptor;
  /** The parsed manifest. */
  readonly manifest: ImageManifest;
  /** Config and layer blobs by digest. */
  readonly blobs: ReadonlyMap<string, Buffer>;
}

/**
 * Serializes a manifest canonically (sorted keys, no whitespace) and bundles it with its blobs.
 * @throws OciContentError when a referenced blob is missing or does not match its descriptor.
 */
export function assembleImage(manifest: ImageManifest, blobs: ReadonlyMap<string, Buffer>): OciImage {
  const manifestBytes = Buffer.from(sortedJson(manifest), 'utf8');
  return imageFromBytes(manifestBytes, blobs);
}

/**
 * Wraps manifest bytes (kept byte for byte) and blobs as an image, checking every referenced
 * blob is present with the right size and sha256.
 * @throws OciContentError on a missing or mismatching blob, or bytes that are not an image manifest.
 */
export function imageFromBytes(manifestBytes: Buffer, blobs: ReadonlyMap<string, Buffer>): OciImage {
  const manifest = parseManifest(manifestBytes);
  for (const d of [manifest.config, ...manifest.layers]) {
    const blob = blobs.get(d.digest);
    if (!blob) throw new OciContentError(`blob ${d.digest} (${d.mediaType}) is missing`);
    verifyBlob(d, blob);
  }
  const mediaType = manifest.mediaType ?? MediaType.ociManifest;
  const descriptor: Descriptor = { mediaType, digest: sha256Digest(manifestBytes), size: manifestBytes.length };
  const artifactType = manifest.artifactType ?? (manifest.config.mediaType !== MediaType.ociConfig && manifest.config.mediaType !== MediaType.dockerConfig ? manifest.config.mediaType : undefined);
  if (artifactType) descriptor.artifactType = artifactType;
  return { manifestBytes, descriptor, manifest, blobs };
}

/**
 * Checks a blob against its descriptor (size and sha256).
 * @throws OciContentError on a mismatch.
 */
export function verifyBlob(d: Descriptor, blob: Uint8Array): void {
  if (!isSha256Digest(d.digest)) throw new OciContentError(`unsupported digest "${d.digest}" (only sha256 is supported)`);
  const actual = sha256Digest(blob);
  if (actual !== d.digest) throw new OciContentError(`blob ${d.digest} has digest ${actual}: content is corrupt`);
  if (blob.length !== d.size) throw new OciContentError(`blob ${d.digest} is ${blob.length} bytes, descriptor says ${d.size}`);
}

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new OciContentError(`${what} is not JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OciContentError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function checkDescriptor(d: unknown, where: string): Descriptor {
  const x = d as Partial<Descriptor> | null;
  if (!x || typeof x !== 'object' || typeof x.mediaType !== 'string' || typeof x.digest !== 'string' || typeof x.size !== 'number') {
    throw new OciContentError(`${where} is not a descriptor (mediaType, digest, size)`);
  }
  return x as Descriptor;
}

/**
 * Parses image-manifest bytes (OCI or Docker schema 2).
 * @throws OciContentError when the bytes are not one.
 */
export function parseManifest(bytes: Uint8Array): ImageManifest {
  const m = parseJson(bytes, 'manifest');
  if (m.schemaVersion !== 2) throw new OciContentError('manifest: schemaVersion is not 2');
  if (m.mediaType !== undefined && !MANIFEST_TYPES.includes(String(m.mediaType))) throw new OciContentError(`manifest: media type ${String(m.mediaType)} is not an image manifest`);
  if (m.manifests !== undefined) throw new OciContentError('manifest: is an index, not an image manifest');
  checkDescriptor(m.config, 'manifest config');
  if (!Array.isArray(m.layers)) throw new OciContentError('manifest: layers is not an array');
  m.layers.forEach((l, i) => checkDescriptor(l, `manifest layers[${i}]`));
  if (m.subject !== undefined) checkDescriptor(m.subject, 'manifest subject');
  return m as unknown as ImageManifest;
}

/**
 * Parses index bytes (OCI image index or Docker manifest list).
 * @throws OciContentError when the bytes are not one.
 */
export function parseIndex(bytes: Uint8Array): ImageIndex {
  const m = parseJson(bytes, 'index');
  if (m.schemaVersion !== 2) throw new OciContentError('index: schemaVersion is not 2');
  if (m.mediaType !== undefined && !INDEX_TYPES.includes(String(m.mediaType))) throw new OciContentError(`index: media type ${String(m.mediaType)} is not an image index`);
  if (!Array.isArray(m.manifests)) throw new OciContentError('index: manifests is not an array');
  m.manifests.forEach((d, i) => checkDescriptor(d, `index manifests[${i}]`));
  return m as unknown as ImageIndex;
}

/** The Tekton objects a manifest's layers announce (kind, name, apiVersion), or [] for other images. */
export function tektonLayers(manifest: ImageManifest): Array<{ apiVersion: string; kind: string; name: string }> {
  const out: Array<{ apiVersion: string; kind: string; name: string }> = [];
  for (const l of manifest.layers) {
    const a = l.annotations ?? {};
    const kind = a[Annotation.tektonKind];
    const name = a[Annotation.tektonName];
    if (kind && name) out.push({ apiVersion: a[Annotation.tektonApiVersion] ?? '', kind, name });
  }
  return out;
}
