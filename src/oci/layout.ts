/**
 * OCI image layout directories (`oci-layout`, `index.json`, `blobs/sha256/<hex>`), written
 * deterministically and read back with every digest verified.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sortedJson, isSha256Digest } from './digest';
import { OciContentError } from './errors';
import { imageFromBytes, parseIndex, parseManifest, verifyBlob, type OciImage } from './image';
import { Annotation, INDEX_TYPES, MediaType, type Descriptor, type ImageIndex } from './media-types';
import { replaceOwnedDir, type OutputContent } from '../output';

/** The `oci-layout` file content. */
export const OCI_LAYOUT_FILE = '{"imageLayoutVersion":"1.0.0"}';

/** An image in a layout, with the tag (`org.opencontainers.image.ref.name`) it is listed under. */
export interface LayoutImage {
  readonly image: OciImage;
  readonly refName?: string;
}

function blobPath(dir: string, digest: string): string {
  if (!isSha256Digest(digest)) throw new OciContentError(`unsupported digest "${digest}" (only sha256 is supported)`);
  return path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** True when `dir` holds an `oci-layout` file. */
export function isLayout(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'oci-layout'));
}

/**
 * Writes images as an OCI image layout at `dir`, atomically (src/output/owned.ts): a failure
 * leaves the old content. An existing `dir` is replaced only when it is empty or a layout
 * kimia-bundles wrote (its marker lists exactly what is there).
 * The same images always give the same files.
 * @returns the index written to index.json.
 * @throws OutputRefusedError when `dir` holds anything else; BundleWriteError on a write fault.
 */
export function writeLayout(dir: string, images: readonly LayoutImage[]): ImageIndex {
  const manifests: Descriptor[] = images.map(({ image, refName }) => ({
    ...image.descriptor,
    ...(refName ? { annotations: { [Annotation.refName]: refName } } : {}),
  }));
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const files = new Map<string, OutputContent>([['oci-layout', OCI_LAYOUT_FILE]]);
  const blob = (digest: string) => path.relative('.', blobPath('.', digest)).split(path.sep).join('/');
  for (const { image } of images) {
    files.set(blob(image.descriptor.digest), image.manifestBytes);
    for (const [digest, data] of image.blobs) files.set(blob(digest), data);
  }
  files.set('index.json', `${sortedJson(index)}\n`);
  replaceOwnedDir(dir, files, { option: 'layout' });
  return index;
}

/**
 * Reads a blob from a layout and verifies it against its descriptor.
 * @throws OciContentError when it is missing or corrupt.
 */
export function readLayoutBlob(dir: string, d: Descriptor): Buffer {
  const file = blobPath(dir, d.digest);
  if (!fs.existsSync(file)) throw new OciContentError(`${dir}: blob ${d.digest} is missing`);
  const blob = fs.readFileSync(file);
  verifyBlob(d, blob);
  return blob;
}

/**
 * Reads every image manifest listed in a layout's index.json, with its blobs, verifying every digest.
 * @throws OciContentError when `dir` is not a layout, lists a nested index, or content is missing or corrupt.
 */
export function readLayout(dir: string): LayoutImage[] {
  if (!isLayout(dir)) throw new OciContentError(`${dir} is not an OCI image layout (no oci-layout file)`);
  const layoutVersion = (JSON.parse(fs.readFileSync(path.join(dir, 'oci-layout'), 'utf8')) as { imageLayoutVersion?: string }).imageLayoutVersion;
  if (layoutVersion !== '1.0.0') throw new OciContentError(`${dir}: unsupported imageLayoutVersion ${String(layoutVersion)}`);
  const index = parseIndex(fs.readFileSync(path.join(dir, 'index.json')));
  return index.manifests.map((d) => {
    if (INDEX_TYPES.includes(d.mediaType)) throw new OciContentError(`${dir}: nested index ${d.digest} is not supported`);
    const manifestBytes = readLayoutBlob(dir, d);
    const manifest = parseManifest(manifestBytes);
    const blobs = new Map<string, Buffer>();
    for (const b of [manifest.config, ...manifest.layers]) blobs.set(b.digest, readLayoutBlob(dir, b));
    const refName = d.annotations?.[Annotation.refName];
    return { image: imageFromBytes(manifestBytes, blobs), ...(refName ? { refName } : {}) };
  });
}
