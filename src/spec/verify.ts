/**
 * cosign verification of a pushed image, shared by every engine: the public key, the flags
 * the spec's registry settings need, the argv.
 */
import type { BuildSpec, SecretKeyRef } from './schema';
import { COSIGN_PUBLIC_DIR } from './defaults';

/** The Secret key holding the public key: `signing.publicKey`, else `cosign.pub` beside the private key. */
export function publicKeyRef(spec: BuildSpec): SecretKeyRef | undefined {
  if (!spec.signing) return undefined;
  return spec.signing.publicKey ?? { secretName: spec.signing.key.secretName, key: 'cosign.pub' };
}

/** True when a build signs an image it pushes, so there is something to verify. */
export function verifiable(spec: BuildSpec): boolean {
  return !!spec.signing && spec.push && spec.tarPath === undefined && spec.variant === 'kimia';
}

/** `cosign verify` argv (cosign is the image entrypoint): the key file, insecure flags, the image by digest. */
export function cosignVerifyArgs(spec: BuildSpec, keyFile: string, imageRef: string): string[] {
  const insecure = !!spec.registry?.insecure || (spec.registry?.insecureRegistries.length ?? 0) > 0;
  return ['verify', '--key', keyFile, ...(insecure ? ['--allow-insecure-registry', '--allow-http-registry'] : []), imageRef];
}

/** The key file path where verification mounts the public key. */
export const PUBLIC_KEY_FILE = `${COSIGN_PUBLIC_DIR}/cosign.pub`;
