/**
 * Registry credentials from a docker config file (`config.json` as written by `docker login`,
 * `podman login --authfile`, or a Kubernetes dockerconfigjson Secret): `auths` entries with
 * `auth` (base64 `user:password`) or `username`/`password`, and `identitytoken` (an OAuth2
 * refresh token). Credential helpers (`credsStore`, `credHelpers`) are not run; when a helper is
 * the only source for a registry that asks for credentials, the client says so.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerConfigError } from './errors';
import { DOCKER_HUB } from './reference';

/** Credentials for one registry. */
export type Credentials =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint. */
  | { readonly kind: 'identity-token'; readonly username?: string; readonly token: string }
  /** Only a credential helper has them; kimia-bundles does not run helpers. */
  | { readonly kind: 'helper'; readonly helper: string };

/** A parsed docker config file. */
export interface DockerConfig {
  /** The file it was read from (undefined when none existed). */
  readonly file?: string;
  readonly auths: Readonly<Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>>;
  readonly credsStore?: string;
  readonly credHelpers?: Readonly<Record<string, string>>;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, 'config.json') : path.join(os.homedir(), '.docker', 'config.json');
}

/**
 * Reads a docker config file; a missing file gives an empty config (anonymous access).
 * @param file explicit path (then it must exist), else the default path.
 * @throws DockerConfigError when the file cannot be read or is not a JSON object.
 */
export function loadDockerConfig(file?: string, env: NodeJS.ProcessEnv = process.env): DockerConfig {
  const target = file ?? defaultDockerConfigPath(env);
  let text: string;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === undefined) return { auths: {} };
    throw new DockerConfigError(`docker config ${target}: cannot read (${code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DockerConfigError(`docker config ${target}: not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DockerConfigError(`docker config ${target}: not a JSON object`);
  const v = value as Record<string, unknown>;
  const auths = v.auths ?? {};
  if (auths === null || typeof auths !== 'object' || Array.isArray(auths)) throw new DockerConfigError(`docker config ${target}: "auths" is not an object`);
  return {
    file: target,
    auths: auths as DockerConfig['auths'],
    ...(typeof v.credsStore === 'string' && v.credsStore ? { credsStore: v.credsStore } : {}),
    ...(v.credHelpers && typeof v.credHelpers === 'object' ? { credHelpers: v.credHelpers as Record<string, string> } : {}),
  };
}

/** The registry host an `auths` key names (`https://index.docker.io/v1/` → `docker.io`). */
export function normalizeAuthKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/**
 * The credentials a docker config holds for a registry (`host[:port]`, `docker.io` for Docker Hub).
 * @throws DockerConfigError when the entry's `auth` is not base64 `user:password` (the secret is not shown).
 */
export function credentialsFor(config: DockerConfig, registry: string): Credentials {
  const wanted = normalizeAuthKey(registry);
  const where = config.file ?? 'docker config';
  const keys = Object.keys(config.auths).filter((k) => normalizeAuthKey(k) === wanted);
  // Prefer the exact key, then the shortest (plain host before URLs).
  keys.sort((a, b) => (a === registry ? -1 : b === registry ? 1 : a.length - b.length));
  for (const key of keys) {
    const entry = config.auths[key] ?? {};
    if (typeof entry.identitytoken === 'string' && entry.identitytoken) {
      return { kind: 'identity-token', token: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) };
    }
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0 || !/^[A-Za-z0-9+/=\s]+$/.test(entry.auth)) throw new DockerConfigError(`${where}: auths["${key}"].auth is not base64 of user:password`);
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && entry.username && typeof entry.password === 'string') {
      return { kind: 'basic', username: entry.username, password: entry.password };
    }
  }
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => normalizeAuthKey(k) === wanted);
  const helper = helperKey !== undefined ? config.credHelpers![helperKey] : config.credsStore;
  if (helper) return { kind: 'helper', helper };
  return { kind: 'anonymous' };
}
