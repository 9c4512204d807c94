/**
 * OCI referrers (distribution-spec 1.1): the referrers API, and the referrers tag schema used
 * when a registry has none: the tag `sha256-<hex>` of the subject holds an OCI image index
 * listing the descriptors of the manifests whose `subject` is that digest.
 * @packageDocumentation
 */
import { sortedJson } from './digest';
import { RegistryError } from './errors';
import { parseIndex, type OciImage } from './image';
import { INDEX_TYPES, MediaType, type Descriptor, type ImageIndex } from './media-types';
import type { RegistryClient } from './registry';

/** The fallback tag of a subject digest: `<alg>-<hex>`, at most 128 characters. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-').slice(0, 128);
}

/** The descriptor of a manifest as listed among referrers (with artifactType and annotations). */
export function referrerDescriptor(image: OciImage): Descriptor {
  const { mediaType, digest, size, artifactType } = image.descriptor;
  const annotations = image.manifest.annotations;
  return { mediaType, digest, size, ...(artifactType ? { artifactType } : {}), ...(annotations && Object.keys(annotations).length ? { annotations } : {}) };
}

async function fallbackIndex(client: RegistryClient, repository: string, tag: string): Promise<ImageIndex | undefined> {
  const current = await client.getManifest(repository, tag);
  if (!current) return undefined;
  if (!INDEX_TYPES.includes(current.mediaType)) throw new RegistryError(`${client.registry}: the referrers tag ${repository}:${tag} holds a ${current.mediaType}, not an image index; not touching it`);
  try {
    return parseIndex(current.bytes);
  } catch (e) {
    throw new RegistryError(`${client.registry}: referrers tag ${repository}:${tag}: ${(e as Error).message}`);
  }
}

/**
 * Adds a referrer to the subject's referrers tag (creating the index on first use), keeping
 * the descriptors already listed. Does nothing when it is listed already.
 * @returns the tag.
 */
export async function addToReferrersTag(client: RegistryClient, repository: string, subjectDigest: string, referrer: Descriptor): Promise<string> {
  const tag = referrersTag(subjectDigest);
  const index = (await fallbackIndex(client, repository, tag)) ?? { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  if (index.manifests.some((m) => m.digest === referrer.digest)) return tag;
  const next: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [...index.manifests, referrer] };
  const bytes = Buffer.from(sortedJson(next), 'utf8');
  await client.putManifest(repository, tag, bytes, MediaType.ociIndex);
  const back = await client.getManifest(repository, tag);
  if (!back || !parseIndex(back.bytes).manifests.some((m) => m.digest === referrer.digest)) {
    throw new RegistryError(`${client.registry}: the referrers tag ${repository}:${tag} does not list ${referrer.digest} after the update (a concurrent push?)`);
  }
  return tag;
}

/** Referrers of a manifest and where they were found. */
export interface ReferrersList {
  /** `api` (the registry's referrers API) or `tag` (the fallback tag schema). */
  readonly source: 'api' | 'tag';
  readonly manifests: readonly Descriptor[];
}

/** Lists the referrers of a manifest: the referrers API, else the fallback tag (none when absent). */
export async function listReferrers(client: RegistryClient, repository: string, digest: string, artifactType?: string): Promise<ReferrersList> {
  const api = await client.referrers(repository, digest, artifactType);
  if (api) return { source: 'api', manifests: api.manifests };
  const index = await fallbackIndex(client, repository, referrersTag(digest));
  const manifests = index?.manifests ?? [];
  return { source: 'tag', manifests: artifactType ? manifests.filter((m) => m.artifactType === artifactType) : manifests };
}
