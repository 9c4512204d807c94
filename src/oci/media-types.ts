/**
 * OCI media types, annotation keys and the JSON shapes of manifests, indexes and descriptors
 * (OCI image-spec 1.1) that the rest of `src/oci` reads and writes.
 * @packageDocumentation
 */

/** Media types used or recognized by kimia-bundles. */
export const MediaType = {
  /** OCI image manifest. */
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  /** OCI image index (also the referrers list). */
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  /** OCI image config. */
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  /** OCI gzip tar layer. */
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  /** OCI uncompressed tar layer. */
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  /** Docker schema 2 manifest (what `tkn bundle push` writes). */
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  /** Docker manifest list. */
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** Docker image config. */
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  /** Docker gzip tar layer (what `tkn bundle push` writes). */
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  /** The artifact type of a whole kimia-bundles bundle directory. */
  bundleArtifact: 'application/vnd.kimia-bundles.bundle.v1',
  /** The config blob of a bundle artifact: name, version and file list. */
  bundleConfig: 'application/vnd.kimia-bundles.config.v1+json',
  /** The content layer of a bundle artifact: a deterministic tar.gz of the directory. */
  bundleContent: 'application/vnd.kimia-bundles.content.v1.tar+gzip',
} as const;

/** Manifest media types a registry may return for a single image. */
export const MANIFEST_TYPES: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest];
/** Media types of an index / manifest list. */
export const INDEX_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList];

/** Annotation keys. */
export const Annotation = {
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  version: 'org.opencontainers.image.version',
  description: 'org.opencontainers.image.description',
  title: 'org.opencontainers.image.title',
  /** The tag of a manifest in an OCI layout's index.json. */
  refName: 'org.opencontainers.image.ref.name',
  tektonApiVersion: 'dev.tekton.image.apiVersion',
  tektonKind: 'dev.tekton.image.kind',
  tektonName: 'dev.tekton.image.name',
} as const;

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
  platform?: Record<string, unknown>;
}

/** An OCI (or Docker schema 2) image manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index (or Docker manifest list); also the shape of a referrers list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** The OCI manifest annotations kimia-bundles sets when given (`org.opencontainers.image.*`). */
export interface OciAnnotationOptions {
  /** URL of the source repository. */
  readonly source?: string;
  /** Source revision (e.g. a commit SHA). */
  readonly revision?: string;
  /** Version of the packaged content. */
  readonly version?: string;
  /** Human-readable description. */
  readonly description?: string;
  /** Creation time (RFC 3339); defaults to the SOURCE_DATE_EPOCH time when one is given. */
  readonly created?: string;
}
