/**
 * RegistryClient against small in-process fake servers (127.0.0.1 only): Bearer token flow,
 * errors, retries, redirects. The real-registry behaviour is in oci-registry.test.ts.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient, RegistryError, type FetchLike } from '../src/oci';
import { freePort } from './helpers/registry';

interface Fake {
  readonly host: string;
  readonly requests: Array<{ method: string; url: string; authorization?: string }>;
  close(): Promise<void>;
}

async function fake(handler: (req: http.IncomingMessage, res: http.ServerResponse, host: string) => void): Promise<Fake> {
  const requests: Fake['requests'] = [];
  let host = '';
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    req.resume();
    req.on('end', () => handler(req, res, host));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, requests, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const USER = 'robot';
const PASSWORD = 'hunter2-very-secret';
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** A registry that wants Bearer tokens from its own /token endpoint (Basic-authenticated). */
function bearerRegistry(): Promise<Fake> {
  return fake((req, res, host) => {
    const url = new URL(req.url!, `http://${host}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== basic(USER, PASSWORD)) return json(res, 401, { details: 'bad creds' });
      return json(res, 200, { token: `tok-${url.searchParams.get('scope')}` });
    }
    if (!req.headers.authorization?.startsWith('Bearer tok-repository:team/app:pull')) {
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'www-authenticate': `Bearer realm="http://${host}/token",service="fake-registry",scope="repository:team/app:pull"`,
      });
    }
    if (url.pathname === '/v2/team/app/tags/list') return json(res, 200, { name: 'team/app', tags: ['b', 'a'] });
    return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'nope' }] });
  });
}

let servers: Fake[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const start = async (s: Promise<Fake>) => { const f = await s; servers.push(f); return f; };

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return e as RegistryError;
  }
  throw new Error('expected a failure');
}

describe('RegistryClient auth', () => {
  it('follows a Bearer challenge: token with service and scope, Basic to the token endpoint, cached', async () => {
    const f = await start(bearerRegistry());
    const c = new RegistryClient({ registry: f.host, insecure: true, credentials: { kind: 'basic', username: USER, password: PASSWORD } });
    expect(await c.listTags('team/app')).toEqual(['a', 'b']);
    expect(await c.listTags('team/app')).toEqual(['a', 'b']);
    const token = f.requests.filter((r) => r.url.startsWith('/token'));
    expect(token).toHaveLength(1);
    expect(token[0].url).toBe('/token?service=fake-registry&scope=repository%3Ateam%2Fapp%3Apull');
    expect(f.requests.map((r) => r.url.split('?')[0])).toEqual(['/v2/team/app/tags/list', '/token', '/v2/team/app/tags/list', '/v2/team/app/tags/list']);
  });

  it('reports a wrong password in one line naming the registry and status, never the secret', async () => {
    const f = await start(bearerRegistry());
    const wrong = 'wrong-password-123';
    const c = new RegistryClient({ registry: f.host, insecure: true, credentials: { kind: 'basic', username: USER, password: wrong }, credentialsSource: '/home/u/.docker/config.json' });
    const e = await failure(c.listTags('team/app'));
    expect(e.message).toBe(`${f.host}: authentication failed (401 Unauthorized) for repository "team/app": check the credentials for ${f.host} in /home/u/.docker/config.json`);
    expect(e.status).toBe(401);
    for (const secret of [wrong, Buffer.from(`${USER}:${wrong}`).toString('base64')]) expect(e.message).not.toContain(secret);
  });

  it('says when credentials are missing, or only in a credential helper', async () => {
    const f = await start(bearerRegistry());
    const anon = new RegistryClient({ registry: f.host, insecure: true, credentialsSource: 'cfg.json' });
    expect((await failure(anon.listTags('team/app'))).message).toBe(`${f.host}: authentication required (401 Unauthorized) for repository "team/app": no credentials for ${f.host} in cfg.json`);
    const helper = new RegistryClient({ registry: f.host, insecure: true, credentials: { kind: 'helper', helper: 'desktop' }, credentialsSource: 'cfg.json' });
    expect((await failure(helper.listTags('team/app'))).message).toMatch(/credential helper "docker-credential-desktop", which kimia-bundles does not run: put an "auths" entry in cfg.json or pass --docker-config FILE$/);
  });

  it('refuses a plain-HTTP token realm unless insecure', async () => {
    const f = await start(fake((_req, res, host) => json(res, 401, {}, { 'www-authenticate': `Bearer realm="http://${host}/token"` })));
    const c = new RegistryClient({ registry: f.host, insecure: true, fetch: (url, init) => fetch(url.replace('https://', 'http://'), init) });
    const secure = new RegistryClient({ registry: f.host, fetch: (url, init) => fetch(url.replace('https://', 'http://'), init) });
    expect((await failure(secure.listTags('a'))).message).toMatch(/token realm http:\/\/127\.0\.0\.1:\d+ is not HTTPS/);
    expect((await failure(c.listTags('a'))).message).toMatch(/token request .* failed: 401|authentication/);
  });

  it('sends Basic credentials when challenged with Basic', async () => {
    const f = await start(fake((req, res) => (req.headers.authorization === basic(USER, PASSWORD) ? json(res, 200, { tags: ['x'] }) : json(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' }))));
    const c = new RegistryClient({ registry: f.host, insecure: true, credentials: { kind: 'basic', username: USER, password: PASSWORD } });
    expect(await c.listTags('a')).toEqual(['x']);
    expect(await c.listTags('a')).toEqual(['x']);
    expect(f.requests.map((r) => !!r.authorization)).toEqual([false, true, true]);
  });
});

describe('RegistryClient transport', () => {
  it('uses HTTPS unless insecure', async () => {
    const urls: string[] = [];
    const spy: FetchLike = async (url) => { urls.push(url); return new Response(JSON.stringify({ tags: [] }), { status: 200 }); };
    await new RegistryClient({ registry: 'reg.io', fetch: spy }).listTags('a');
    await new RegistryClient({ registry: 'docker.io', fetch: spy }).listTags('library/a');
    await new RegistryClient({ registry: 'reg.io:5000', insecure: true, fetch: spy }).listTags('a');
    expect(urls).toEqual(['https://reg.io/v2/a/tags/list?n=1000', 'https://registry-1.docker.io/v2/library/a/tags/list?n=1000', 'http://reg.io:5000/v2/a/tags/list?n=1000']);
  });

  it('suggests --insecure when TLS meets a plain-HTTP registry', async () => {
    const f = await start(fake((_req, res) => json(res, 200, {})));
    const e = await failure(new RegistryClient({ registry: f.host, retries: 0 }).listTags('a'));
    expect(e.message).toMatch(new RegExp(`^${f.host}: listing tags of a: TLS handshake failed \\(.*\\); if the registry serves plain HTTP, use --insecure$`));
  });

  it('retries 429 and 5xx with backoff, bounded', async () => {
    let calls = 0;
    const f = await start(fake((_req, res) => (++calls <= 2 ? json(res, calls === 1 ? 503 : 429, {}, { 'retry-after': '0' }) : json(res, 200, { tags: ['ok'] }))));
    expect(await new RegistryClient({ registry: f.host, insecure: true, retries: 2, backoffMs: 1 }).listTags('a')).toEqual(['ok']);
    calls = 0;
    const e = await failure(new RegistryClient({ registry: f.host, insecure: true, retries: 1, backoffMs: 1 }).listTags('a'));
    expect(e.message).toBe(`${f.host}: listing tags of a: 429 Too Many Requests`);
    expect(calls).toBe(2);
  });

  it('retries network errors and reports the last one', async () => {
    let calls = 0;
    const flaky: FetchLike = async (url, init) => {
      if (++calls <= 2) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      return fetch(url, init);
    };
    const f = await start(fake((_req, res) => json(res, 200, { tags: ['t'] })));
    expect(await new RegistryClient({ registry: f.host, insecure: true, retries: 3, backoffMs: 1, fetch: flaky }).listTags('a')).toEqual(['t']);
    const closed = await freePort();
    const e = await failure(new RegistryClient({ registry: `127.0.0.1:${closed}`, insecure: true, retries: 1, backoffMs: 1 }).listTags('a'));
    expect(e.message).toBe(`127.0.0.1:${closed}: listing tags of a: cannot connect (connection refused)`);
  });

  it('does not send credentials to another host on a redirect', async () => {
    const storage = await start(fake((_req, res) => { res.writeHead(200); res.end('blob!'); }));
    const f = await start(fake((req, res) => {
      if (!req.headers.authorization) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' });
      res.writeHead(307, { location: `http://${storage.host}/data` });
      res.end();
    }));
    const c = new RegistryClient({ registry: f.host, insecure: true, credentials: { kind: 'basic', username: USER, password: PASSWORD } });
    const data = Buffer.from('blob!');
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    expect((await c.getBlob('a', { mediaType: 'x', digest, size: 5 })).toString()).toBe('blob!');
    expect(storage.requests).toEqual([{ method: 'GET', url: '/data' }]);
  });

  it('verifies blob and manifest digests', async () => {
    const f = await start(fake((req, res) => {
      if (req.url!.includes('/manifests/')) return json(res, 200, { schemaVersion: 2 }, { 'docker-content-digest': `sha256:${'0'.repeat(64)}` });
      res.writeHead(200); res.end('tampered');
    }));
    const c = new RegistryClient({ registry: f.host, insecure: true });
    expect((await failure(c.getBlob('a', { mediaType: 'x', digest: `sha256:${'1'.repeat(64)}`, size: 8 }))).message).toMatch(/content is corrupt/);
    expect((await failure(c.getManifest('a', 'v1'))).message).toMatch(/the registry says sha256:0{64}/);
  });
});
