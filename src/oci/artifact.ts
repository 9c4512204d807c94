/**
 * Whole bundle directories (Argo templates, Jobs, Tekton catalog entries with README and samples)
 * as OCI artifacts, after the seed design notes: an image manifest with
 * `artifactType: application/vnd.kimia-bundles.bundle.v1`, a small JSON config
 * (`application/vnd.kimia-bundles.config.v1+json`: name, version, files with sha256), one layer
 * (`application/vnd.kimia-bundles.content.v1.tar+gzip`: a deterministic tar of the directory in
 * sorted path order), the `org.opencontainers.image.*` annotations, and an optional `subject`
 * that makes the artifact a referrer of an image.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sortedJson, createdTime, descriptorOf, ociAnnotations, sha256Digest } from './digest';
import { BundleInputError, OciContentError } from './errors';
import { assembleImage, type OciImage } from './image';
import { Annotation, MediaType, type Descriptor, type ImageManifest, type OciAnnotationOptions } from './media-types';
import { createTar, gunzip, gzip, readTar, unsafePathReason, type TarFile } from './tar';
import { OUTPUT_MARKER, replaceOwnedDir, type OutputContent } from '../output';

/** One file listed in a bundle artifact's config. */
export interface BundleFile {
  /** Relative POSIX path. */
  readonly path: string;
  readonly size: number;
  /** Hex sha256 of the content. */
  readonly sha256: string;
  /** `0644` or `0755`. */
  readonly mode: string;
}

/** The config blob of a bundle artifact. */
export interface BundleConfig {
  readonly name: string;
  readonly version?: string;
  readonly files: readonly BundleFile[];
}

/** Options of {@link buildBundleArtifact}. */
export interface BundleArtifactOptions extends OciAnnotationOptions {
  /** Bundle name (default: from the directory, see {@link bundleIdentity}). */
  readonly name?: string;
  /** Bundle version (default: from the directory); also the `version` annotation unless given. */
  readonly version?: string;
  /** Unix seconds for the `created` annotation. */
  readonly sourceDateEpoch?: string | number;
  /** The image this artifact refers to (makes it a referrer). */
  readonly subject?: Descriptor;
}

const VERSION_DIR = /^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/;

/**
 * Name and version of a bundle directory: `…/<name>/<version>` when the last component looks like
 * a version (`0.1`, `1.2.3`), else the directory name and no version.
 */
export function bundleIdentity(dir: string): { name: string; version?: string } {
  const abs = path.resolve(dir);
  const base = path.basename(abs);
  return VERSION_DIR.test(base) ? { name: path.basename(path.dirname(abs)), version: base } : { name: base };
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Every regular file under `dir`, sorted by path bytes, with mode 0755 when any execute bit is
 * set and 0644 otherwise (what git keeps).
 * @throws BundleInputError on a symbolic link or special file (links are not bundled) or a missing directory.
 */
export function collectFiles(dir: string): TarFile[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BundleInputError(`${dir} is not a directory`);
  const files: TarFile[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (relPath === OUTPUT_MARKER) continue; // our ownership marker, not bundle content
      const abs = path.join(dir, relPath);
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) throw new BundleInputError(`${abs} is a symbolic link; a bundle holds only regular files`);
      if (st.isDirectory()) walk(relPath);
      else if (st.isFile()) files.push({ path: relPath, data: fs.readFileSync(abs), mode: st.mode & 0o111 ? 0o755 : 0o644 });
      else throw new BundleInputError(`${abs} is not a regular file`);
    }
  };
  walk('');
  if (!files.length) throw new BundleInputError(`${dir} holds no files`);
  return files.sort((a, b) => byteOrder(a.path, b.path));
}

/**
 * Builds the OCI artifact of a bundle directory. The same directory content and options always
 * give the same manifest digest (file times and owners are not recorded).
 * @throws BundleInputError on links, special files or an empty directory.
 */
export function buildBundleArtifact(dir: string, opts: BundleArtifactOptions = {}): OciImage {
  const files = collectFiles(dir);
  const identity = bundleIdentity(dir);
  const name = opts.name ?? identity.name;
  const version = opts.version ?? identity.version;
  const config: BundleConfig = {
    name,
    ...(version ? { version } : {}),
    files: files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha256Digest(f.data).slice(7), mode: (f.mode ?? 0o644).toString(8).padStart(4, '0') })),
  };
  let tar: Buffer;
  let created: string | undefined;
  try {
    tar = createTar(files);
    created = opts.sourceDateEpoch !== undefined && opts.sourceDateEpoch !== '' ? createdTime(opts.sourceDateEpoch) : undefined;
  } catch (e) {
    throw new BundleInputError(`${dir}: ${(e as Error).message}`);
  }
  const layer = gzip(tar);
  const configBytes = Buffer.from(sortedJson(config), 'utf8');
  const layerDescriptor = descriptorOf(MediaType.bundleContent, layer, { annotations: { [Annotation.title]: `${name}.tar.gz` } });
  const configDescriptor = descriptorOf(MediaType.bundleConfig, configBytes);
  const annotations = ociAnnotations({ ...opts, version: opts.version ?? version }, created);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: MediaType.bundleArtifact,
    config: configDescriptor,
    layers: [layerDescriptor],
    ...(opts.subject ? { subject: { mediaType: opts.subject.mediaType, digest: opts.subject.digest, size: opts.subject.size } } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  return assembleImage(manifest, new Map([[configDescriptor.digest, configBytes], [layerDescriptor.digest, layer]]));
}

/** True when the manifest is a kimia-bundles bundle artifact. */
export function isBundleArtifact(manifest: ImageManifest): boolean {
  return manifest.config.mediaType === MediaType.bundleConfig || manifest.artifactType === MediaType.bundleArtifact;
}

/** Reads and checks the config of a bundle artifact. */
export function bundleConfigOf(image: OciImage): BundleConfig {
  if (!isBundleArtifact(image.manifest)) throw new OciContentError(`not a kimia-bundles bundle artifact (config ${image.manifest.config.mediaType})`);
  const raw = image.blobs.get(image.manifest.config.digest);
  const config = raw ? (JSON.parse(raw.toString('utf8')) as BundleConfig) : undefined;
  if (!config || typeof config.name !== 'string' || !Array.isArray(config.files)) throw new OciContentError('bundle artifact config lacks name or files');
  return config;
}

/**
 * Unpacks a bundle artifact into `outDir` (which must not exist or be empty), reproducing the
 * pushed directory byte for byte: every file is checked against the config's list (path, size,
 * sha256), and absolute or `..` paths, links, special files and duplicates are refused. Files
 * are written into a temporary sibling directory first, so a refused artifact writes nothing.
 * @returns the relative paths written.
 * @throws OciContentError on anything unsafe or inconsistent.
 */
export function unpackBundleArtifact(image: OciImage, outDir: string): string[] {
  const config = bundleConfigOf(image);
  const layers = image.manifest.layers.filter((l) => l.mediaType === MediaType.bundleContent);
  if (layers.length !== 1 || image.manifest.layers.length !== 1) throw new OciContentError(`a bundle artifact has exactly one ${MediaType.bundleContent} layer`);
  const entries = readTar(gunzip(image.blobs.get(layers[0].digest)!));
  const expected = new Map(config.files.map((f) => [f.path, f]));
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type === 'directory') continue;
    if (e.type !== 'file') throw new OciContentError(`refusing to unpack "${e.path}": ${e.type === 'other' ? 'a special file' : `a ${e.type}`} (only regular files)`);
    const problem = unsafePathReason(e.path.replace(/\/$/, ''));
    if (problem) throw new OciContentError(`refusing to unpack: ${problem}`);
    if (seen.has(e.path)) throw new OciContentError(`refusing to unpack: "${e.path}" appears twice`);
    seen.add(e.path);
    const f = expected.get(e.path);
    if (!f) throw new OciContentError(`"${e.path}" is in the content layer but not in the config's file list`);
    if (e.data.length !== f.size || sha256Digest(e.data).slice(7) !== f.sha256) throw new OciContentError(`"${e.path}" does not match the sha256 in the config`);
  }
  const missing = config.files.filter((f) => !seen.has(f.path));
  if (missing.length) throw new OciContentError(`"${missing[0].path}" is listed in the config but missing from the content layer`);

  const files = new Map<string, OutputContent>();
  for (const e of entries) if (e.type === 'file') files.set(e.path, { data: e.data, executable: (e.mode & 0o111) !== 0 });
  // Owned and atomic (src/output/owned.ts): only an absent, empty or earlier-pulled directory is replaced.
  replaceOwnedDir(outDir, files);
  return entries.filter((e) => e.type === 'file').map((e) => e.path);
}
