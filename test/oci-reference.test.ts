import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialsFor, defaultDockerConfigPath, formatReference, loadDockerConfig, parseReference, parseRepository, referrersTag, registryApiHost } from '../src/oci';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it.each([
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['team/app:v1', { registry: 'docker.io', repository: 'team/app', tag: 'v1' }],
    ['index.docker.io/team/app', { registry: 'docker.io', repository: 'team/app' }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['ghcr.io/o/r/kimia-build:0.1', { registry: 'ghcr.io', repository: 'o/r/kimia-build', tag: '0.1' }],
    ['127.0.0.1:5000/kimia/kimia-build:0.1', { registry: '127.0.0.1:5000', repository: 'kimia/kimia-build', tag: '0.1' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app@' + D, { registry: 'localhost:5000', repository: 'app', digest: D }],
    [`reg.io/app:v1@${D}`, { registry: 'reg.io', repository: 'app', tag: 'v1', digest: D }],
    ['oci://reg.io/a_b/c__d/e-f.g:T_1.-x', { registry: 'reg.io', repository: 'a_b/c__d/e-f.g', tag: 'T_1.-x' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app' }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['reg.io/App', /repository component "App" must be lowercase/],
    ['reg.io/app:-bad', /tag "-bad"/],
    ['reg.io/app@sha256:abc', /is not sha256:<64 lowercase hex>/],
    ['reg.io/app@md5:' + 'a'.repeat(32), /is not sha256/],
    ['reg.io/a//b', /component ""/],
    ['reg.io/', /no repository|component/],
    ['bad_host.io:x/app', /component|registry/],
  ])('refuses %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(message);
  });

  it('formats, parses repositories and knows the Docker Hub API host', () => {
    expect(formatReference(parseReference(`reg.io:443/a/b:t@${D}`))).toBe(`reg.io:443/a/b:t@${D}`);
    expect(parseRepository('reg.io/a/b')).toEqual({ registry: 'reg.io', repository: 'a/b' });
    expect(() => parseRepository('reg.io/a/b:t')).toThrow(/takes no tag or digest/);
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('reg.io:5000')).toBe('reg.io:5000');
    expect(referrersTag(D)).toBe(`sha256-${'ab'.repeat(32)}`);
  });
});

describe('docker config credentials', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-docker-config-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (config: unknown) => {
    const file = path.join(tmp, 'config.json');
    fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    return file;
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('decodes auth (base64 user:password, password may hold colons) and username/password', () => {
    const config = loadDockerConfig(write({ auths: { 'reg.io': { auth: b64('bob:pa:ss') }, 'https://other.io/v1/': { username: 'amy', password: 's3cret' } } }));
    expect(credentialsFor(config, 'reg.io')).toEqual({ kind: 'basic', username: 'bob', password: 'pa:ss' });
    expect(credentialsFor(config, 'other.io')).toEqual({ kind: 'basic', username: 'amy', password: 's3cret' });
    expect(credentialsFor(config, 'third.io')).toEqual({ kind: 'anonymous' });
  });

  it('maps Docker Hub keys and ports, and prefers the exact key', () => {
    const config = loadDockerConfig(write({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:x') }, 'reg.io:5000': { auth: b64('a:1') }, 'http://reg.io:5000': { auth: b64('b:2') } } }));
    expect(credentialsFor(config, 'docker.io')).toMatchObject({ username: 'hub' });
    expect(credentialsFor(config, 'reg.io:5000')).toMatchObject({ username: 'a' });
    expect(credentialsFor(config, 'reg.io')).toEqual({ kind: 'anonymous' });
  });

  it('reads identity tokens, and reports credential helpers as the only source', () => {
    const config = loadDockerConfig(write({ auths: { 'acr.io': { identitytoken: 'refresh' }, 'gcr.io': {} }, credsStore: 'desktop', credHelpers: { 'ecr.aws': 'ecr-login' } }));
    expect(credentialsFor(config, 'acr.io')).toEqual({ kind: 'identity-token', token: 'refresh' });
    expect(credentialsFor(config, 'gcr.io')).toEqual({ kind: 'helper', helper: 'desktop' });
    expect(credentialsFor(config, 'ecr.aws')).toEqual({ kind: 'helper', helper: 'ecr-login' });
  });

  it('treats a missing default file as anonymous, but not a missing explicit file', () => {
    expect(loadDockerConfig(undefined, { DOCKER_CONFIG: path.join(tmp, 'none') })).toEqual({ auths: {} });
    expect(() => loadDockerConfig(path.join(tmp, 'none.json'))).toThrow(/cannot read \(ENOENT\)/);
    expect(defaultDockerConfigPath({ DOCKER_CONFIG: '/etc/d' })).toBe('/etc/d/config.json');
    expect(defaultDockerConfigPath({})).toBe(path.join(os.homedir(), '.docker', 'config.json'));
  });

  it('reports malformed files and entries without showing the secret', () => {
    expect(() => loadDockerConfig(write('{'))).toThrow(/not valid JSON/);
    expect(() => loadDockerConfig(write({ auths: [] }))).toThrow(/"auths" is not an object/);
    const config = loadDockerConfig(write({ auths: { 'reg.io': { auth: b64('no-colon-secret') } } }));
    let message = '';
    try { credentialsFor(config, 'reg.io'); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/auths\["reg.io"\].auth is not base64 of user:password/);
    expect(message).not.toContain('no-colon-secret');
    expect(message).not.toContain(b64('no-colon-secret'));
  });
});
