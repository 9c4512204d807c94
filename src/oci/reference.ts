/**
 * Image references `[host[:port]/]repository[:tag][@sha256:…]`, parsed with Docker's rules: the
 * first path component is a registry when it holds a `.` or `:` or is `localhost`; otherwise the
 * registry is Docker Hub (`docker.io`, API at `registry-1.docker.io`) and one-component
 * repositories get `library/`.
 * @packageDocumentation
 */
import { DOMAIN, PATH_COMPONENT, splitImageReference } from '../spec/values';
import { InvalidReferenceError } from './errors';

/** Docker Hub's registry name, as in references and docker config files. */
export const DOCKER_HUB = 'docker.io';

/** A parsed image reference. */
export interface ImageReference {
  /** `host[:port]` (`docker.io` for Docker Hub). */
  readonly registry: string;
  /** Repository path (`library/alpine`, `team/kimia-build`). */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<hex>`. */
  readonly digest?: string;
}


function fail(text: string, why: string): never {
  throw new InvalidReferenceError(`invalid reference "${text}": ${why}`);
}

/** Splits `[host/]path` into registry and repository, with Docker Hub defaults. */
function splitRepository(text: string, name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let registry = DOCKER_HUB;
  let repository = name;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = name.slice(slash + 1);
  }
  if (!DOMAIN.test(registry)) fail(text, `"${registry}" is not a registry host[:port]`);
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (repository === '') fail(text, 'no repository');
  for (const c of repository.split('/')) {
    if (!PATH_COMPONENT.test(c)) fail(text, `repository component "${c}" must be lowercase letters, digits and single separators (. _ __ -)`);
  }
  if (repository.length > 255) fail(text, 'repository is longer than 255 characters');
  return { registry, repository };
}

/**
 * Parses an image reference (an `oci://` prefix is allowed).
 * @throws InvalidReferenceError naming what is wrong.
 */
export function parseReference(text: string): ImageReference {
  const split = splitImageReference(text.replace(/^oci:\/\//, ''));
  if ('error' in split) {
    if (split.error === 'digest') fail(text, `digest "${split.part}" is not sha256:<64 lowercase hex>`);
    if (split.error === 'tag') fail(text, `tag "${split.part}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
    fail(text, 'empty or contains whitespace');
  }
  const { name, tag, digest } = split;
  return { ...splitRepository(text, name), ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/**
 * Parses a repository (`[host/]path`, no tag or digest), for `list`.
 * @throws InvalidReferenceError on a tag, digest or bad name.
 */
export function parseRepository(text: string): { registry: string; repository: string } {
  const ref = parseReference(text);
  if (ref.tag !== undefined || ref.digest) fail(text, 'a repository takes no tag or digest');
  return { registry: ref.registry, repository: ref.repository };
}

/** `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host the registry API is served from (`registry-1.docker.io` for Docker Hub). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
