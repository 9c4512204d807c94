/**
 * A client for the OCI distribution API (v2) on Node's fetch: Basic and Bearer token auth from a
 * `WWW-Authenticate` challenge, HTTPS by default (plain HTTP only when `insecure`), bounded
 * retries with exponential backoff on transient failures (network errors, 429, 5xx), blob
 * existence checks before upload, monolithic or chunked uploads, manifests, tags and the
 * referrers API. Every error is a one-line {@link RegistryError} naming the registry and the
 * status; no credential or token is ever part of a message.
 * @packageDocumentation
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isSha256Digest, sha256Digest } from './digest';
import type { Credentials } from './docker-config';
import { RegistryError } from './errors';
import { verifyBlob } from './image';
import { INDEX_TYPES, MANIFEST_TYPES, MediaType, type Descriptor, type ImageIndex } from './media-types';
import { registryApiHost } from './reference';

/**
 * The request options the client passes to `fetch`: a subset of the Fetch standard's
 * `RequestInit`, declared here so the package's types need no DOM or undici types.
 */
export interface FetchInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly redirect?: 'error' | 'follow' | 'manual';
  readonly signal?: AbortSignal;
}

/** The part of a fetch `Response` the client reads (Node's `Response` satisfies it). */
export interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  readonly body: { cancel(): Promise<void> } | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The subset of `fetch` the client uses (injectable for tests; Node's global `fetch` fits). */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** `host[:port]` (`docker.io` for Docker Hub). */
  readonly registry: string;
  /** Plain HTTP instead of HTTPS (a local test registry). */
  readonly insecure?: boolean;
  readonly credentials?: Credentials;
  /** Where the credentials came from (a file name), for error messages. */
  readonly credentialsSource?: string;
  /** Retries after a transient failure (default 3; 0 = no retry). */
  readonly retries?: number;
  /** First backoff delay in ms, doubled on each retry, at most 10 s (default 500). */
  readonly backoffMs?: number;
  /** Timeout of one request in ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Upload blobs larger than this in PATCH chunks of this size (default: one PUT). */
  readonly chunkSize?: number;
  readonly fetch?: FetchLike;
}

/** A manifest (or index) as fetched: the exact bytes, their media type and digest. */
export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

/** The result of a manifest PUT. */
export interface PutManifestResult {
  readonly digest: string;
  /** True when the registry answered `OCI-Subject`: it indexed the subject itself (referrers API). */
  readonly subjectIndexed: boolean;
}

const MANIFEST_ACCEPT = [...MANIFEST_TYPES, ...INDEX_TYPES].join(', ');
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface Challenge {
  readonly scheme: 'basic' | 'bearer';
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a `WWW-Authenticate` header (first challenge only). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme, params };
}

function statusText(res: FetchResponse): string {
  return `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

async function errorDetail(res: FetchResponse): Promise<string> {
  try {
    const text = (await res.text()).slice(0, 4096);
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const e = body.errors?.[0];
    if (e) return `: ${[e.code, e.message].filter(Boolean).join(' ')}`.replace(/[\r\n]+/g, ' ');
  } catch {
    // not JSON: no detail
  }
  return '';
}

async function discard(res: FetchResponse): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed
  }
}

const TLS_HINT = /SSL|TLS|EPROTO|wrong version/i;
const CERT_CODES = /CERT|UNABLE_TO_VERIFY|SELF_SIGNED|DEPTH_ZERO/;

/** A one-line description of a fetch failure (connection refused, TLS, timeout…). */
function networkMessage(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = err.cause?.code ?? '';
  const detail = err.cause?.message ?? err.message;
  if (code === 'ECONNREFUSED') return 'cannot connect (connection refused)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'cannot resolve the host name';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (CERT_CODES.test(code)) return `TLS certificate not trusted (${code}); add the CA with NODE_EXTRA_CA_CERTS=ca.pem`;
  if (TLS_HINT.test(code) || TLS_HINT.test(detail)) return `TLS handshake failed (${code || detail}); if the registry serves plain HTTP, use --insecure`;
  if (detail === 'bad port') return 'the port is one fetch refuses to connect to (a "bad port" in the Fetch standard)';
  return `network error (${code || detail})`;
}

/** Marks a failure that may pass when the whole operation is tried again. */
class TransientError extends RegistryError {}

interface RequestSpec {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  /** A path below the registry root (`/v2/…`) or an absolute URL (an upload Location). */
  readonly url: string;
  readonly repository: string;
  readonly push?: boolean;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  /** Retries for this request (default: the client's). */
  readonly retries?: number;
  /** What is being done, for messages. */
  readonly what: string;
}

/**
 * A client for one registry. Create one per registry; it caches the auth scheme and tokens.
 */
export class RegistryClient {
  /** `host[:port]`. */
  readonly registry: string;
  private readonly base: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchLike;
  private challenge?: Challenge;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = options.registry;
    this.base = `${options.insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`;
    this.retries = Math.max(0, Math.floor(options.retries ?? 3));
    this.backoffMs = options.backoffMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  }

  private fail(message: string, status?: number): RegistryError {
    return new RegistryError(`${this.registry}: ${message}`, status);
  }

  private delay(attempt: number, res?: FetchResponse): Promise<void> {
    const retryAfter = Number(res?.headers.get('retry-after'));
    const ms = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : Math.min(this.backoffMs * 2 ** attempt, 10_000);
    return sleep(ms);
  }

  /** One HTTP exchange with retries on network errors and transient statuses; follows redirects by hand. */
  private async send(url: string, init: FetchInit & { readonly headers: Record<string, string> }, retries: number, what: string): Promise<FetchResponse> {
    for (let attempt = 0; ; attempt++) {
      let res: FetchResponse;
      try {
        res = await this.follow(url, init);
      } catch (e) {
        if (attempt < retries) { await this.delay(attempt); continue; }
        throw new TransientError(this.fail(`${what}: ${networkMessage(e, this.timeoutMs)}`).message);
      }
      if (TRANSIENT_STATUS.has(res.status)) {
        if (attempt < retries) { await discard(res); await this.delay(attempt, res); continue; }
        throw new TransientError(this.fail(`${what}: ${statusText(res)}${await errorDetail(res)}`, res.status).message, res.status);
      }
      return res;
    }
  }

  private async follow(url: string, init: FetchInit & { readonly headers: Record<string, string> }): Promise<FetchResponse> {
    let target = url;
    let headers = init.headers;
    let method = init.method;
    let body = init.body;
    for (let hops = 0; ; hops++) {
      const res = await this.fetchFn(target, { ...init, method, body, headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location || (method !== 'GET' && method !== 'HEAD')) return res;
      if (hops >= 5) throw new Error('too many redirects');
      await discard(res);
      const next = new URL(location, target);
      if (next.origin !== new URL(target).origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest; // never send registry credentials to another host (e.g. blob storage)
      }
      if (res.status === 303) { method = 'GET'; body = undefined; }
      target = next.toString();
    }
  }

  private scope(repository: string, push: boolean | undefined): string {
    return `repository:${repository}:${push ? 'pull,push' : 'pull'}`;
  }

  private basicHeader(): string | undefined {
    const c = this.options.credentials;
    return c?.kind === 'basic' ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  /** The Authorization header for a scope, fetching a token when needed. */
  private async authorization(scope: string): Promise<string | undefined> {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') return this.basicHeader();
    const cached = this.tokens.get(scope);
    if (cached) return `Bearer ${cached}`;
    const token = await this.fetchToken(this.challenge.params, scope);
    this.tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  private async fetchToken(params: Readonly<Record<string, string>>, scope: string): Promise<string> {
    const realm = params.realm;
    if (!realm) throw this.fail('the registry asked for a Bearer token without a realm');
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw this.fail(`token realm "${realm}" is not a URL`);
    }
    if (realmUrl.protocol !== 'https:' && !(this.options.insecure && realmUrl.protocol === 'http:')) {
      throw this.fail(`token realm ${realmUrl.origin} is not HTTPS (use --insecure only for a local registry)`);
    }
    const creds = this.options.credentials;
    let res: FetchResponse;
    if (creds?.kind === 'identity-token') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, client_id: 'kimia-bundles', scope, ...(params.service ? { service: params.service } : {}) });
      res = await this.send(realmUrl.toString(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, this.retries, 'token request');
    } else {
      if (params.service) realmUrl.searchParams.set('service', params.service);
      realmUrl.searchParams.set('scope', scope);
      const headers: Record<string, string> = {};
      const basic = this.basicHeader();
      if (basic) headers.authorization = basic;
      res = await this.send(realmUrl.toString(), { method: 'GET', headers }, this.retries, 'token request');
    }
    if (res.status === 401 || res.status === 403) {
      await discard(res);
      throw this.authFailure(res, scope.split(':')[1]);
    }
    if (!res.ok) throw this.fail(`token request to ${realmUrl.origin} failed: ${statusText(res)}${await errorDetail(res)}`, res.status);
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw this.fail(`token response from ${realmUrl.origin} holds no token`);
    return token;
  }

  private authFailure(res: FetchResponse, repository: string): RegistryError {
    const c = this.options.credentials ?? { kind: 'anonymous' as const };
    const where = this.options.credentialsSource ?? 'the docker config';
    const status = statusText(res);
    if (res.status === 403) return this.fail(`access to repository "${repository}" denied (${status}): the account in ${where} lacks permission`, res.status);
    if (c.kind === 'helper') {
      return this.fail(`authentication required (${status}); the credentials for ${this.registry} are in the credential helper "docker-credential-${c.helper}", which kimia-bundles does not run: put an "auths" entry in ${where} or pass --docker-config FILE`, res.status);
    }
    if (c.kind === 'anonymous') return this.fail(`authentication required (${status}) for repository "${repository}": no credentials for ${this.registry} in ${where}`, res.status);
    return this.fail(`authentication failed (${status}) for repository "${repository}": check the credentials for ${this.registry} in ${where}`, res.status);
  }

  /** Sends a request with auth: on a 401 challenge, authenticates and resends once. */
  private async request(spec: RequestSpec): Promise<FetchResponse> {
    const url = spec.url.startsWith('/') ? `${this.base}${spec.url}` : spec.url;
    const scope = this.scope(spec.repository, spec.push);
    const retries = spec.retries ?? this.retries;
    for (let round = 0; ; round++) {
      const headers: Record<string, string> = { 'user-agent': 'kimia-bundles', ...spec.headers };
      const auth = await this.authorization(scope);
      if (auth) headers.authorization = auth;
      const res = await this.send(url, { method: spec.method, headers, body: spec.body }, retries, spec.what);
      if (res.status !== 401) return res;
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      const canRetry = round === 0 && challenge && (challenge.scheme === 'bearer' || this.basicHeader());
      if (!canRetry) {
        await discard(res);
        throw this.authFailure(res, spec.repository);
      }
      await discard(res);
      this.challenge = challenge;
      this.tokens.delete(scope);
    }
  }

  private async unexpected(res: FetchResponse, what: string): Promise<RegistryError> {
    return this.fail(`${what}: ${statusText(res)}${await errorDetail(res)}`, res.status);
  }

  /** True when the repository holds the blob (HEAD). */
  async blobExists(repository: string, digest: string, push = false): Promise<boolean> {
    const res = await this.request({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, repository, push, what: `checking blob ${digest}` });
    await discard(res);
    if (res.ok) return true;
    if (res.status === 404) return false;
    throw await this.unexpected(res, `checking blob ${digest}`);
  }

  /**
   * Uploads a blob unless the repository already has it (POST, then one PUT or PATCH chunks and a
   * closing PUT with the digest). A transient failure restarts the whole upload, at most `retries` times.
   * @returns whether it was uploaded or already there.
   */
  async uploadBlob(repository: string, descriptor: Descriptor, data: Buffer): Promise<'uploaded' | 'exists'> {
    verifyBlob(descriptor, data);
    if (await this.blobExists(repository, descriptor.digest, true)) return 'exists';
    for (let attempt = 0; ; attempt++) {
      try {
        await this.uploadOnce(repository, descriptor.digest, data);
        return 'uploaded';
      } catch (e) {
        if (!(e instanceof TransientError) || attempt >= this.retries) throw e;
        await this.delay(attempt);
      }
    }
  }

  private async uploadOnce(repository: string, digest: string, data: Buffer): Promise<void> {
    const what = `uploading blob ${digest}`;
    const start = await this.request({ method: 'POST', url: `/v2/${repository}/blobs/uploads/`, repository, push: true, retries: 0, what });
    if (start.status !== 202) throw await this.unexpected(start, what);
    await discard(start);
    let location = this.location(start, what);
    const chunk = this.options.chunkSize ?? 0;
    if (chunk > 0 && data.length > chunk) {
      for (let offset = 0; offset < data.length; offset += chunk) {
        const part = data.subarray(offset, Math.min(offset + chunk, data.length));
        const res = await this.request({
          method: 'PATCH', url: location, repository, push: true, retries: 0, body: part, what,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + part.length - 1}` },
        });
        if (res.status !== 202) throw await this.unexpected(res, what);
        await discard(res);
        location = this.location(res, what);
      }
      data = Buffer.alloc(0);
    }
    const sep = new URL(location).search ? '&' : '?';
    const done = await this.request({
      method: 'PUT', url: `${location}${sep}digest=${encodeURIComponent(digest)}`, repository, push: true, retries: 0, body: data, what,
      headers: { 'content-type': 'application/octet-stream' },
    });
    if (done.status !== 201 && done.status !== 204) throw await this.unexpected(done, what);
    await discard(done);
    const stored = done.headers.get('docker-content-digest');
    if (stored && stored !== digest) throw this.fail(`${what}: the registry stored it as ${stored}`);
  }

  private location(res: FetchResponse, what: string): string {
    const location = res.headers.get('location');
    if (!location) throw this.fail(`${what}: the registry sent no upload Location`);
    return new URL(location, `${this.base}/`).toString();
  }

  /** Downloads a blob and verifies its size and sha256. */
  async getBlob(repository: string, descriptor: Descriptor): Promise<Buffer> {
    const what = `downloading blob ${descriptor.digest}`;
    const res = await this.request({ method: 'GET', url: `/v2/${repository}/blobs/${descriptor.digest}`, repository, what });
    if (!res.ok) throw await this.unexpected(res, what);
    const data = Buffer.from(await res.arrayBuffer());
    try {
      verifyBlob(descriptor, data);
    } catch (e) {
      throw this.fail(`${what}: ${(e as Error).message}`);
    }
    return data;
  }

  /**
   * PUTs a manifest (or index) under a tag or digest.
   * @throws RegistryError when refused, or when the registry reports another digest.
   */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<PutManifestResult> {
    const what = `pushing manifest ${repository}:${reference}`;
    const res = await this.request({ method: 'PUT', url: `/v2/${repository}/manifests/${reference}`, repository, push: true, body: bytes, headers: { 'content-type': mediaType }, what });
    if (res.status !== 201 && res.status !== 200 && res.status !== 204) throw await this.unexpected(res, what);
    await discard(res);
    const digest = sha256Digest(bytes);
    const stored = res.headers.get('docker-content-digest');
    if (stored && isSha256Digest(stored) && stored !== digest) throw this.fail(`${what}: the registry stored it as ${stored}, expected ${digest}`);
    return { digest, subjectIndexed: res.headers.has('oci-subject') };
  }

  /**
   * GETs a manifest or index by tag or digest, verifying its digest (against the digest asked for,
   * and against `Docker-Content-Digest`).
   * @returns undefined when the registry has no such manifest (404).
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest | undefined> {
    const what = `reading manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const res = await this.request({ method: 'GET', url: `/v2/${repository}/manifests/${reference}`, repository, headers: { accept: MANIFEST_ACCEPT }, what });
    if (res.status === 404) { await discard(res); return undefined; }
    if (!res.ok) throw await this.unexpected(res, what);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_MANIFEST_BYTES) throw this.fail(`${what}: larger than ${MAX_MANIFEST_BYTES} bytes`);
    const digest = sha256Digest(bytes);
    const header = res.headers.get('docker-content-digest');
    if (isSha256Digest(reference) && reference !== digest) throw this.fail(`${what}: content has digest ${digest}`);
    if (header && isSha256Digest(header) && header !== digest) throw this.fail(`${what}: content has digest ${digest}, the registry says ${header}`);
    let mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    try {
      const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
      if (declared) mediaType = declared;
    } catch {
      throw this.fail(`${what}: not JSON`);
    }
    return { bytes, mediaType, digest };
  }

  /** Every tag of a repository (following `Link` pagination), sorted. */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let url: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; url && page < 1000; page++) {
      const res = await this.request({ method: 'GET', url, repository, what: `listing tags of ${repository}` });
      if (res.status === 404) { await discard(res); throw this.fail(`repository "${repository}" not found`, 404); }
      if (!res.ok) throw await this.unexpected(res, `listing tags of ${repository}`);
      const body = (await res.json().catch(() => ({}))) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
      url = link ? new URL(link[1], `${this.base}/`).toString() : undefined;
    }
    return [...new Set(tags)].sort();
  }

  /**
   * The referrers of a manifest through the referrers API.
   * @returns undefined when the registry has no referrers API (404).
   */
  async referrers(repository: string, digest: string, artifactType?: string): Promise<ImageIndex | undefined> {
    const what = `listing referrers of ${digest}`;
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const res = await this.request({ method: 'GET', url: `/v2/${repository}/referrers/${digest}${query}`, repository, headers: { accept: MediaType.ociIndex }, what });
    if (res.status === 404) { await discard(res); return undefined; }
    if (!res.ok) throw await this.unexpected(res, what);
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    const body = (await res.json().catch(() => undefined)) as ImageIndex | undefined;
    if (type !== MediaType.ociIndex || !body || !Array.isArray(body.manifests)) return undefined;
    return artifactType && !res.headers.get('oci-filters-applied')?.includes('artifactType')
      ? { ...body, manifests: body.manifests.filter((m) => m.artifactType === artifactType) }
      : body;
  }
}
