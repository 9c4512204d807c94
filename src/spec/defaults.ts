/** Defaults and constants of the build spec, kept apart so every layer can read them. */

/** Kimia builder variants: `kimia` runs BuildKit, `kimia-bud` runs Buildah. */
export const VARIANTS = ['kimia', 'kimia-bud'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The kimia release whose flags the spec models (shared/reference/kimia.md, v1.0.25). */
export const KIMIA_VERSION = '1.0.25';

// Images (the builder's, crane, cosign): the one table in images.ts.

/** Builder resources when the spec sets none (kimia's docs use 2Gi/1 CPU up to 8Gi). */
export const DEFAULT_RESOURCES = {
  requests: { cpu: '1', memory: '2Gi' },
  limits: { memory: '8Gi' },
} as const;

/** Paths inside the kimia image. */
export const KIMIA_HOME = '/home/kimia';
export const KIMIA_UID = 1000;
export const KIMIA_GID = 1000;
/** Where the dockerconfigjson Secret is mounted (kimia reads $DOCKER_CONFIG/config.json). */
export const DOCKER_CONFIG_PATH = '/home/kimia/.docker/config.json';
/** Directory of the cosign key volume; the key file is always `cosign.key` inside it. */
export const COSIGN_DIR = '/secrets';
export const COSIGN_KEY_PATH = '/secrets/cosign.key';
/** Directory of registry CA certificates (Buildah --registry-certificate). */
export const REGISTRY_CERTS_DIR = '/etc/kimia/certs';
/** The default local context: where kimia accepts a mounted source under BuildKit. */
export const DEFAULT_LOCAL_CONTEXT = '/home/kimia/workspace';

/** Where verification steps mount the public key Secret; the key file is always `cosign.pub`. */
export const COSIGN_PUBLIC_DIR = '/etc/kimia/cosign-pub';

/** CI trigger profiles (see profiles.ts). */
export const PROFILES = ['pr', 'main', 'tag', 'manual'] as const;
