/**
 * The errors of `src/oci`: each message is one line, names what failed, and never holds a secret.
 * @packageDocumentation
 */

/** Content that is not what it claims to be: bad digest, bad JSON, missing blob, unsafe path. */
export class OciContentError extends Error {
  override readonly name = 'OciContentError';
}

/** Input that cannot become a bundle: bad objects, too many, duplicates, unreadable files. */
export class BundleInputError extends Error {
  override readonly name = 'BundleInputError';
}

/** A reference that cannot be parsed. */
export class InvalidReferenceError extends Error {
  override readonly name = 'InvalidReferenceError';
}

/** A registry operation that failed: network, TLS, auth, or an unexpected status. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  /** @param status the HTTP status, when the registry answered. */
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** A docker config file that cannot be read or parsed. */
export class DockerConfigError extends Error {
  override readonly name = 'DockerConfigError';
}
