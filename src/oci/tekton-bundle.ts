/**
 * Tekton bundles: an OCI image holding Tasks/Pipelines as the Tekton bundle contract and the
 * `bundles` resolver expect (tekton.md §5): one gzip tar layer per object, each holding one regular
 * file named after `metadata.name` with the object as JSON, annotated with
 * `dev.tekton.image.{apiVersion,kind,name}`; at most 20 objects; reproducible digest.
 *
 * Differences from `tkn bundle push`, all inside the contract: OCI media types instead of Docker
 * schema 2 (the resolver reads images through go-containerregistry, which takes both), file mode
 * 0644 instead of 0600, object JSON with sorted keys, layers sorted by kind and name instead of by
 * input digest.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { sortedJson, createdTime, descriptorOf, ociAnnotations } from './digest';
import { BundleInputError } from './errors';
import { assembleImage, tektonLayers, type OciImage } from './image';
import { Annotation, MediaType, type Descriptor, type ImageManifest, type OciAnnotationOptions } from './media-types';
import { createTar, gunzip, gzip, readTar } from './tar';

/** The most objects one bundle may hold (`MaximumBundleObjects` in Tekton). */
export const MAX_BUNDLE_OBJECTS = 20;

/** Options of {@link buildTektonBundle}. */
export interface TektonBundleOptions extends OciAnnotationOptions {
  /**
   * Unix seconds for the config's `created` time (and the `created` annotation); default epoch 0
   * with no `created` annotation.
   */
  readonly sourceDateEpoch?: string | number;
}

/** One Tekton object as stored in a bundle layer. */
export interface BundledObject {
  /** The version part of apiVersion (`v1`), as in the layer annotation. */
  readonly apiVersion: string;
  /** Lowercase kind (`task`). */
  readonly kind: string;
  readonly name: string;
  /** The object as parsed from the layer. */
  readonly object: Record<string, unknown>;
}

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

interface Checked {
  readonly object: Record<string, unknown>;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

function checkObject(value: unknown, index: number): Checked {
  const where = `object ${index + 1}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BundleInputError(`${where} is not a mapping`);
  const o = value as Record<string, unknown>;
  const apiVersion = o.apiVersion;
  const kind = o.kind;
  const name = (o.metadata as { name?: unknown } | undefined)?.name;
  if (typeof apiVersion !== 'string' || !/^tekton\.dev\/v[0-9a-z]+$/.test(apiVersion)) {
    throw new BundleInputError(`${where}: apiVersion ${JSON.stringify(apiVersion)} is not a Tekton API version (tekton.dev/<version>); a bundle holds only Tekton objects`);
  }
  if (typeof kind !== 'string' || !/^[A-Za-z]+$/.test(kind)) throw new BundleInputError(`${where}: kind ${JSON.stringify(kind)} is not a kind`);
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) throw new BundleInputError(`${where}: kind "${kind}" must be singular (the resolver rejects a plural dev.tekton.image.kind)`);
  if (typeof name !== 'string' || !NAME.test(name)) throw new BundleInputError(`${where} (${kind}): metadata.name ${JSON.stringify(name)} is not a Kubernetes name`);
  return { object: o, apiVersion: apiVersion.slice('tekton.dev/'.length), kind: lower, name };
}

/**
 * Builds a Tekton bundle image from Tekton objects (Task, Pipeline, StepAction… as parsed JSON).
 * The same objects and options always give the same manifest digest, whatever their order.
 * @throws BundleInputError on a non-Tekton object, a missing name, more than 20 objects, or two
 * objects with the same kind and name (the resolver finds objects by kind and name).
 */
export function buildTektonBundle(objects: readonly unknown[], opts: TektonBundleOptions = {}): OciImage {
  if (!objects.length) throw new BundleInputError('a bundle needs at least one Tekton object');
  if (objects.length > MAX_BUNDLE_OBJECTS) throw new BundleInputError(`a Tekton bundle holds at most ${MAX_BUNDLE_OBJECTS} objects, got ${objects.length}`);
  const checked = objects.map(checkObject);
  const seen = new Map<string, number>();
  checked.forEach((c, i) => {
    const key = `${c.kind}/${c.name}`;
    const first = seen.get(key);
    if (first !== undefined) throw new BundleInputError(`objects ${first + 1} and ${i + 1} are both ${key}: a bundle holds one object per kind and name`);
    seen.set(key, i);
  });
  checked.sort((a, b) => (a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const blobs = new Map<string, Buffer>();
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const c of checked) {
    const tar = createTar([{ path: c.name, data: Buffer.from(sortedJson(c.object), 'utf8') }]);
    const layer = gzip(tar);
    const d = descriptorOf(MediaType.ociLayerGzip, layer, {
      annotations: { [Annotation.tektonApiVersion]: c.apiVersion, [Annotation.tektonKind]: c.kind, [Annotation.tektonName]: c.name },
    });
    layers.push(d);
    diffIds.push(descriptorOf('', tar).digest);
    blobs.set(d.digest, layer);
  }
  let created: string;
  try {
    created = createdTime(opts.sourceDateEpoch);
  } catch (e) {
    throw new BundleInputError((e as Error).message);
  }
  const config = Buffer.from(sortedJson({ architecture: '', os: '', created, config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }), 'utf8');
  const configDescriptor = descriptorOf(MediaType.ociConfig, config);
  blobs.set(configDescriptor.digest, config);
  const annotations = ociAnnotations(opts, opts.sourceDateEpoch !== undefined && opts.sourceDateEpoch !== '' ? created : undefined);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDescriptor,
    layers,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  return assembleImage(manifest, blobs);
}

/**
 * Reads the objects back from a Tekton bundle image, as the bundles resolver does (first tar
 * entry of each layer; raw layer content as a fallback).
 * @throws BundleInputError when a layer lacks the dev.tekton.image.* annotations.
 */
export function readTektonBundle(image: OciImage): BundledObject[] {
  const announced = tektonLayers(image.manifest);
  if (announced.length !== image.manifest.layers.length) throw new BundleInputError('not a Tekton bundle: a layer lacks the dev.tekton.image.* annotations');
  return image.manifest.layers.map((l, i) => {
    const blob = image.blobs.get(l.digest)!;
    const raw = l.mediaType.endsWith('gzip') ? gunzip(blob) : blob;
    let text: string;
    try {
      text = readTar(raw)[0].data.toString('utf8');
    } catch {
      text = raw.toString('utf8');
    }
    const object = parseAllDocuments(text)[0]?.toJS() as Record<string, unknown>;
    return { ...announced[i], object };
  });
}

/**
 * Parses the Tekton objects in YAML (or JSON) files, in order, skipping empty documents.
 * @throws BundleInputError on an unreadable file or invalid YAML (naming the file).
 */
export function loadTektonFiles(files: readonly string[]): unknown[] {
  const objects: unknown[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new BundleInputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new BundleInputError(`${file}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      const value: unknown = doc.toJS();
      if (value !== null && value !== undefined) objects.push(value);
    }
  }
  return objects;
}

/** What `bundle --dir` bundles from a catalog version directory. */
export interface CatalogVersionDir {
  /** The `<name>.yaml` file. */
  readonly file: string;
  readonly name: string;
  readonly version: string;
}

/**
 * Finds the resource file of a catalog version directory (`…/<name>/<version>/<name>.yaml`,
 * e.g. `dist/tekton/task/kimia-build/0.1`).
 * @throws BundleInputError when the directory or the file is missing.
 */
export function catalogVersionDir(dir: string): CatalogVersionDir {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new BundleInputError(`${dir} is not a directory`);
  const version = path.basename(abs);
  const name = path.basename(path.dirname(abs));
  const file = path.join(dir, `${name}.yaml`);
  if (!fs.existsSync(file)) throw new BundleInputError(`${dir}: no ${name}.yaml (expected a catalog directory <kind>/<name>/<version>/, e.g. dist/tekton/task/kimia-build/0.1)`);
  return { file, name, version };
}
