/**
 * Push and pull of whole images. A push uploads every blob first (skipping those the registry
 * has), then the manifest by digest, reads it back and checks its digest, records the referrer
 * when the manifest has a subject, and only then moves the tag: if anything fails, the tag is
 * left where it was.
 * @packageDocumentation
 */
import { RegistryError } from './errors';
import { imageFromBytes, parseManifest, type OciImage } from './image';
import { INDEX_TYPES } from './media-types';
import { addToReferrersTag, referrerDescriptor } from './referrers';
import type { RegistryClient } from './registry';

/** Options of {@link pushImage}. */
export interface PushImageOptions {
  /** The tag to move to the image last (none: push by digest only). */
  readonly tag?: string;
  /** Called for each step (`blob sha256:… uploaded`), for progress output. */
  readonly onProgress?: (line: string) => void;
}

/** What {@link pushImage} did. */
export interface PushImageResult {
  readonly digest: string;
  readonly tag?: string;
  /** Blobs uploaded / already present. */
  readonly uploaded: number;
  readonly existing: number;
  /** How the subject learned of this referrer: the registry's referrers API or the fallback tag. */
  readonly referrers?: { readonly via: 'api' | 'tag'; readonly tag?: string };
}

/** Reads a manifest back and checks it has the expected digest. */
async function verifyPushed(client: RegistryClient, repository: string, reference: string, digest: string): Promise<void> {
  const back = await client.getManifest(repository, reference);
  if (!back) throw new RegistryError(`${client.registry}: ${repository}${reference.includes(':') ? '@' : ':'}${reference} is missing right after the push`);
  if (back.digest !== digest) throw new RegistryError(`${client.registry}: ${repository}:${reference} has digest ${back.digest} after the push, expected ${digest}`);
}

/**
 * Pushes an image: blobs, manifest by digest (verified), referrer, then the tag (verified).
 * @throws RegistryError on any failure; the tag is then not moved.
 */
export async function pushImage(client: RegistryClient, repository: string, image: OciImage, opts: PushImageOptions = {}): Promise<PushImageResult> {
  const progress = opts.onProgress ?? (() => undefined);
  let uploaded = 0;
  let existing = 0;
  const descriptors = [image.manifest.config, ...image.manifest.layers].filter((d, i, all) => all.findIndex((x) => x.digest === d.digest) === i);
  for (const d of descriptors) {
    const result = await client.uploadBlob(repository, d, image.blobs.get(d.digest)!);
    if (result === 'uploaded') uploaded++;
    else existing++;
    progress(`blob ${d.digest} ${result === 'uploaded' ? 'uploaded' : 'already present'}`);
  }
  const digest = image.descriptor.digest;
  const put = await client.putManifest(repository, digest, image.manifestBytes, image.descriptor.mediaType);
  await verifyPushed(client, repository, digest, digest);
  progress(`manifest ${digest} pushed`);
  let referrers: PushImageResult['referrers'];
  const subject = image.manifest.subject;
  if (subject) {
    if (put.subjectIndexed) {
      referrers = { via: 'api' };
    } else {
      const tag = await addToReferrersTag(client, repository, subject.digest, referrerDescriptor(image));
      referrers = { via: 'tag', tag };
      progress(`referrers tag ${repository}:${tag} lists ${digest}`);
    }
  }
  if (opts.tag) {
    await client.putManifest(repository, opts.tag, image.manifestBytes, image.descriptor.mediaType);
    await verifyPushed(client, repository, opts.tag, digest);
    progress(`tag ${opts.tag} -> ${digest}`);
  }
  return { digest, ...(opts.tag ? { tag: opts.tag } : {}), uploaded, existing, ...(referrers ? { referrers } : {}) };
}

/**
 * Pulls an image manifest and every blob it references, verifying each sha256.
 * @throws RegistryError when it is missing or is an index (pull a platform manifest by digest).
 */
export async function pullImage(client: RegistryClient, repository: string, reference: string): Promise<OciImage> {
  const fetched = await client.getManifest(repository, reference);
  const name = `${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
  if (!fetched) throw new RegistryError(`${client.registry}: ${name} not found`, 404);
  if (INDEX_TYPES.includes(fetched.mediaType)) throw new RegistryError(`${client.registry}: ${name} is an image index; pull one of its manifests by digest`);
  let manifest;
  try {
    manifest = parseManifest(fetched.bytes);
  } catch (e) {
    throw new RegistryError(`${client.registry}: ${name}: ${(e as Error).message}`);
  }
  const blobs = new Map<string, Buffer>();
  for (const d of [manifest.config, ...manifest.layers]) {
    if (!blobs.has(d.digest)) blobs.set(d.digest, await client.getBlob(repository, d));
  }
  return imageFromBytes(fetched.bytes, blobs);
}
