/**
 * cosign verification of a pushed image, shared by every engine: the public key, the flags
 * the spec's registry settings need, the argv.
 */
import type { BuildSpec, SecretKeyRef } from './types';
import { pushesImage, type KimiaVolume } from './pod';
import { cosignVerifyFlags } from './sigstore';
import { secretFile } from './secret-file';

/** The Secret key holding the public key: `signing.publicKey`, else `cosign.pub` beside the private key. */
export function publicKeyRef(spec: BuildSpec): SecretKeyRef | undefined {
  if (!spec.signing) return undefined;
  return spec.signing.publicKey ?? { secretName: spec.signing.key.secretName, key: 'cosign.pub' };
}

/** True when a build signs an image it pushes, so there is something to verify. */
export function verifiable(spec: BuildSpec): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent for a parsed spec, whose rules refuse signing with kimia-bud (rules.ts: "kimia-bud cannot sign"); kept so a hand-built BuildSpec is not verified
  return !!spec.signing && pushesImage(spec) && spec.variant === 'kimia';
}

/** cosign's flags for the registries the spec allows without TLS (--insecure, --insecure-registry). */
export function insecureRegistryFlags(spec: BuildSpec): string[] {
  const insecure = !!spec.registry?.insecure || (spec.registry?.insecureRegistries.length ?? 0) > 0;
  return insecure ? ['--allow-insecure-registry', '--allow-http-registry'] : [];
}

/** Env for the index step (INDEX_SCRIPT) when the spec allows insecure registries. */
export function indexInsecureEnv(spec: BuildSpec): Array<{ name: string; value: string }> {
  return insecureRegistryFlags(spec).length ? [{ name: 'INSECURE', value: 'true' }] : [];
}

/** Mode of Secret files for helpers that run as another user than the builder. */
export const HELPER_FILE_MODE = 0o444;

/** Where helper containers (cosign, crane) read the registry config.json; DOCKER_CONFIG points here. */
export const HELPER_DOCKER_CONFIG_DIR = '/etc/kimia/docker';

/**
 * The spec's dockerconfigjson Secret for a helper container (cosign, crane), which runs as a
 * different user than the builder: config.json in {@link HELPER_DOCKER_CONFIG_DIR}, mode 0444.
 * Undefined when the spec names no credentials Secret.
 */
export function helperDockerConfig(spec: BuildSpec): KimiaVolume | undefined {
  const secretName = spec.registry?.credentialsSecret;
  if (!secretName) return undefined;
  return {
    name: 'docker-config',
    source: secretFile(secretName, '.dockerconfigjson', 'config.json', HELPER_FILE_MODE),
    mountPath: HELPER_DOCKER_CONFIG_DIR,
    readOnly: true,
  };
}


/** A helper container's registry material (crane): the spec's credentials as config.json and DOCKER_CONFIG, or nothing. */
export function helperRegistryMaterial(spec: BuildSpec): { readonly volumes: readonly KimiaVolume[]; readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }> } {
  const creds = helperDockerConfig(spec);
  return creds ? { volumes: [creds], env: [{ name: 'DOCKER_CONFIG', value: creds.mountPath }] } : { volumes: [], env: [] };
}

/** `cosign verify` argv (cosign is the image entrypoint): the key file, the tlog and insecure flags (sigstore.ts), the image by digest. */
export function cosignVerifyArgs(spec: BuildSpec, keyFile: string, imageRef: string): string[] {
  return ['verify', '--key', keyFile, ...cosignVerifyFlags(spec), imageRef];
}

