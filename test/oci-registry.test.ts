/**
 * Integration: push, pull, list and describe against a real registry (Debian's docker-registry,
 * CNCF distribution v2.8) on 127.0.0.1. Skipped when the binary is missing, except in CI.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  Annotation, listReferrers, MediaType, parseIndex, parseManifest, pullImage, readTektonBundle, RegistryClient, runOciCommand, type FetchLike,
} from '../src/oci';
import { OUTPUT_MARKER } from '../src/output';
import { exampleVersion } from './helpers';
import { describeWithRegistry, inCI, startRegistry, type TestRegistry } from './helpers/registry';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..');
const TASK_DIR = path.join(ROOT, 'dist', 'tekton', 'task', 'kimia-build', exampleVersion('kimia-build'));
const TASK = path.join(TASK_DIR, 'kimia-build.yaml');
const PIPELINE = path.join(ROOT, 'dist', 'tekton', 'pipeline', 'kimia-build', exampleVersion('kimia-build'), 'kimia-build.yaml');
const USER = 'ci-robot';
const PASSWORD = 'correct horse battery staple';
const HAVE_HTPASSWD = !spawnSync('htpasswd', ['-h']).error;

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-registry-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run { code: number; out: string; err: string }
async function cli(command: 'bundle' | 'push' | 'pull' | 'list' | 'describe', args: string[], opts: { dockerConfig?: unknown; fetch?: FetchLike } = {}): Promise<Run> {
  const configDir = path.join(tmp, `docker-${Math.random().toString(36).slice(2)}`);
  if (opts.dockerConfig) {
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(opts.dockerConfig));
  }
  const r: Run = { code: -1, out: '', err: '' };
  r.code = await runOciCommand(command, args, { out: (s) => { r.out += s; }, err: (s) => { r.err += s; } }, { env: { DOCKER_CONFIG: configDir }, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  return r;
}

/** A fetch that fails once, as a dropped connection, on the first request matching `when`. */
function failOnce(when: (url: string, init: RequestInit) => boolean, before?: () => Promise<void>): FetchLike {
  let done = false;
  return async (url, init) => {
    if (!done && when(url, init)) {
      done = true;
      if (before) { await before(); return fetch(url, init); }
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    }
    return fetch(url, init);
  };
}
const manifestPut = (url: string, init: RequestInit) => init.method === 'PUT' && url.includes('/manifests/');

/** Every file under dir: relative path -> mode and content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = `${(fs.statSync(p).mode & 0o777).toString(8)} ${fs.readFileSync(p).toString('base64')}`;
  }
  return out;
}

function copyBundle(): string {
  const dir = path.join(tmp, 'src', 'kimia-build', '0.1');
  fs.cpSync(TASK_DIR, dir, { recursive: true });
  fs.chmodSync(path.join(dir, 'tests', 'pre-apply-task-hook.sh'), 0o755);
  return dir;
}

const digestOf = (line: string) => line.split('\n')[0].split('@')[1];

describeWithRegistry('OCI publishing against a real registry (docker-registry)', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, insecure: true });
  });
  afterAll(async () => { await registry?.stop(); });

  it.each(['task', 'pipeline'])('the %s README\'s bundles-resolver reference: its `bundle` and `push` commands, run as written from the catalog root, push the digest it pins, and the registry serves those bytes', async (kind) => {
    const dir = path.join(ROOT, 'dist', 'tekton', kind, 'kimia-build', exampleVersion('kimia-build'));
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const bundleCmd = /`kimia-bundles bundle --dir (\S+) --out (\S+)`/.exec(readme);
    const pushCmd = /`kimia-bundles push --layout (\S+) (\S+)`/.exec(readme);
    const pinned = /value: (\S+)@(sha256:[0-9a-f]{64})\n/.exec(readme);
    expect(bundleCmd && pushCmd && pinned).toBeTruthy();
    expect(pushCmd![1]).toBe(bundleCmd![2]);
    const layout = path.join(tmp, bundleCmd![2]);
    expect(await cli('bundle', ['--dir', path.join(ROOT, 'dist', bundleCmd![1]), '--out', layout])).toMatchObject({ code: 0, out: `${pinned![2]}\n` });
    // The README's repository, on the test registry.
    const repository = pinned![1].replace(/^ghcr\.io\//, '');
    const tag = pushCmd![2].slice(pushCmd![2].lastIndexOf(':') + 1);
    const pushed = await cli('push', ['--layout', layout, '--insecure', `${registry.host}/${repository}:${tag}`]);
    expect(pushed.code).toBe(0);
    expect(pushed.out.split('\n')[0]).toBe(`${registry.host}/${repository}:${tag}@${pinned![2]}`);
    // What the registry serves for the tag, hashed here (distribution's Docker-Content-Digest is the sha256 of these bytes).
    const res = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, { headers: { accept: MediaType.ociManifest } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(pinned![2]);
    expect(res.headers.get('docker-content-digest')).toBe(pinned![2]);
  });

  async function bundleLayout(name: string): Promise<{ layout: string; digest: string }> {
    const layout = path.join(tmp, name);
    const r = await cli('bundle', ['--file', TASK, '--file', PIPELINE, '--out', layout, '--version', '0.1', '--source', 'https://github.com/o/kimia-bundles', '--revision', 'abc123']);
    expect(r).toMatchObject({ code: 0, err: expect.stringContaining('pipeline/kimia-build, task/kimia-build') });
    return { layout, digest: r.out.trim() };
  }

  it('pushes a Tekton bundle twice with the same digest; the manifest read back has one annotated layer per object', async () => {
    const a = await bundleLayout('a');
    const b = await bundleLayout('b');
    expect(b.digest).toBe(a.digest);
    const ref = `${registry.host}/kimia/kimia-build:0.1`;
    const first = await cli('push', ['--layout', a.layout, ref, '--insecure']);
    expect(first).toMatchObject({ code: 0, err: expect.stringContaining('(3 blobs uploaded, 0 already present)') });
    expect(first.out.split('\n')[0]).toBe(`${ref}@${a.digest}`);
    expect(first.out).toContain(`pipelineRef:\n  resolver: bundles\n  params:\n    - name: bundle\n      value: ${ref}@${a.digest}\n    - name: name\n      value: kimia-build\n    - name: kind\n      value: pipeline\n`);
    expect(first.out).toContain('taskRef:\n  resolver: bundles\n');
    const second = await cli('push', ['--layout', b.layout, ref, '--insecure']);
    expect(second).toMatchObject({ code: 0, out: first.out, err: expect.stringContaining('(0 blobs uploaded, 3 already present)') });

    const fetched = await client.getManifest('kimia/kimia-build', '0.1');
    expect(fetched!.digest).toBe(a.digest);
    const manifest = parseManifest(fetched!.bytes);
    expect(manifest.annotations).toMatchObject({ [Annotation.version]: '0.1', [Annotation.source]: 'https://github.com/o/kimia-bundles', [Annotation.revision]: 'abc123' });
    expect(manifest.layers.map((l) => [l.mediaType, l.annotations])).toEqual([
      [MediaType.ociLayerGzip, { 'dev.tekton.image.apiVersion': 'v1', 'dev.tekton.image.kind': 'pipeline', 'dev.tekton.image.name': 'kimia-build' }],
      [MediaType.ociLayerGzip, { 'dev.tekton.image.apiVersion': 'v1', 'dev.tekton.image.kind': 'task', 'dev.tekton.image.name': 'kimia-build' }],
    ]);
    const objects = readTektonBundle(await pullImage(client, 'kimia/kimia-build', '0.1'));
    expect(objects.map((o) => o.object)).toEqual([parse(fs.readFileSync(PIPELINE, 'utf8')), parse(fs.readFileSync(TASK, 'utf8'))]);
  });

  it('pushes a bundle directory as an artifact and pulls it back byte for byte (monolithic and chunked uploads)', async () => {
    const dir = copyBundle();
    const ref = `${registry.host}/kimia/bundles:task-0.1`;
    const pushed = await cli('push', ['--dir', dir, ref, '--insecure', '--source', 'https://github.com/o/kimia-bundles', '--source-date-epoch', '1609459200']);
    expect(pushed).toMatchObject({ code: 0, err: expect.stringContaining('(2 blobs uploaded, 0 already present)') });
    const digest = digestOf(pushed.out);
    expect(pushed.out).toBe(`${ref}@${digest}\n`);
    const out = path.join(tmp, 'pulled');
    const pulled = await cli('pull', [ref, '--out', out, '--insecure']);
    expect(pulled).toEqual({ code: 0, out: `${ref}@${digest}\n`, err: `kimia-bundles: unpacked kimia-build 0.1 (${fs.readdirSync(TASK_DIR, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length} files) into ${out}\n` });
    // Byte for byte, beside our ownership marker (which is not content: see oci-artifact.test.ts).
    const { [OUTPUT_MARKER]: marker, ...pulledFiles } = tree(out);
    expect(marker).toBeDefined();
    expect(pulledFiles).toEqual(tree(dir));

    const chunkedRef = `${registry.host}/kimia/chunked:task-0.1`;
    const methods: string[] = [];
    const spy: FetchLike = (url, init) => { methods.push(`${init.method} ${/\/(blobs\/uploads|blobs|manifests)\//.exec(new URL(url).pathname)?.[1]}`); return fetch(url, init); };
    const chunked = await cli('push', ['--dir', dir, chunkedRef, '--insecure', '--chunk-size', '700', '--source', 'https://github.com/o/kimia-bundles', '--source-date-epoch', '1609459200'], { fetch: spy });
    expect(chunked.code).toBe(0);
    expect(methods.filter((m) => m === 'PATCH blobs/uploads').length).toBeGreaterThan(1);
    expect(methods.slice(0, 2)).toEqual(['HEAD blobs', 'POST blobs/uploads']);
    expect(methods.slice(-4)).toEqual(['PUT manifests', 'GET manifests', 'PUT manifests', 'GET manifests']);
    expect(digestOf(chunked.out)).toBe(digest);
    const out2 = path.join(tmp, 'pulled2');
    expect((await cli('pull', [`${registry.host}/kimia/chunked@${digest}`, '--out', out2, '--insecure'])).code).toBe(0);
    const { [OUTPUT_MARKER]: marker2, ...pulled2 } = tree(out2);
    expect(marker2).toBeDefined();
    expect(pulled2).toEqual(tree(dir));

    const image = await cli('pull', [`${registry.host}/kimia/kimia-build:0.1`, '--out', path.join(tmp, 'layout'), '--insecure']);
    expect(image.code).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'layout', 'oci-layout'))).toBe(true);
  });

  it('lists tags and describes manifests (human and JSON)', async () => {
    const { layout, digest } = await bundleLayout('l');
    expect((await cli('push', ['--layout', layout, `${registry.host}/kimia/listed:0.1`, '--insecure'])).code).toBe(0);
    expect((await cli('push', ['--layout', layout, `${registry.host}/kimia/listed:latest`, '--insecure'])).code).toBe(0);
    expect(await cli('list', [`${registry.host}/kimia/listed`, '--insecure'])).toEqual({ code: 0, out: '0.1\nlatest\n', err: '' });
    expect(await cli('list', [`${registry.host}/kimia/nothing-here`, '--insecure'])).toMatchObject({ code: 1, err: `kimia-bundles: ${registry.host}: repository "kimia/nothing-here" not found\n` });

    const human = await cli('describe', [`${registry.host}/kimia/listed`, '--insecure']);
    expect(human.code).toBe(0);
    expect(human.out).toContain(`reference: ${registry.host}/kimia/listed:latest\ndigest: ${digest}\nmediaType: ${MediaType.ociManifest}\n`);
    expect(human.out).toContain('      dev.tekton.image.kind: task\n');
    expect(human.out).toContain('referrers (referrers tag): none\n');
    const json = await cli('describe', [`${registry.host}/kimia/listed:0.1`, '--insecure', '--format', 'json']);
    const d = JSON.parse(json.out);
    expect(d).toMatchObject({ digest, mediaType: MediaType.ociManifest, annotations: { [Annotation.version]: '0.1' }, config: { mediaType: MediaType.ociConfig }, referrers: { source: 'tag', manifests: [] } });
    expect(d.layers).toHaveLength(2);
    expect(await cli('describe', [`${registry.host}/kimia/listed:nope`, '--insecure'])).toMatchObject({ code: 1, err: `kimia-bundles: ${registry.host}: ${registry.host}/kimia/listed:nope not found\n` });
  });

  it('pushes an artifact with --subject and finds it through the referrers tag (distribution 2.8 has no referrers API)', async () => {
    const { layout, digest: subject } = await bundleLayout('s');
    const repo = `${registry.host}/kimia/with-referrers`;
    expect((await cli('push', ['--layout', layout, `${repo}:0.1`, '--insecure'])).code).toBe(0);
    expect(await client.referrers('kimia/with-referrers', subject)).toBeUndefined(); // 404: no API

    const dir = copyBundle();
    const one = await cli('push', ['--dir', dir, `${repo}:bundle-0.1`, '--insecure', '--subject', `${repo}@${subject}`]);
    expect(one).toMatchObject({ code: 0, err: expect.stringContaining(`referrer of ${subject} via the referrers tag sha256-${subject.slice(7)}`) });
    fs.writeFileSync(path.join(dir, 'NOTES.md'), 'second referrer\n');
    const two = await cli('push', ['--dir', dir, `${repo}:bundle-0.1-notes`, '--insecure', '--subject', `${repo}@${subject}`]);
    expect(two.code).toBe(0);

    const artifact = parseManifest((await client.getManifest('kimia/with-referrers', 'bundle-0.1'))!.bytes);
    expect(artifact.subject).toMatchObject({ digest: subject, mediaType: MediaType.ociManifest });
    const referrers = await listReferrers(client, 'kimia/with-referrers', subject);
    expect(referrers.source).toBe('tag');
    expect(referrers.manifests.map((m) => m.digest)).toEqual([digestOf(one.out), digestOf(two.out)]);
    expect(referrers.manifests[0]).toMatchObject({ mediaType: MediaType.ociManifest, artifactType: MediaType.bundleArtifact });
    const index = parseIndex((await client.getManifest('kimia/with-referrers', `sha256-${subject.slice(7)}`))!.bytes);
    expect(index.mediaType).toBe(MediaType.ociIndex);
    // pushing the same referrer again does not list it twice
    expect((await cli('push', ['--dir', dir, `${repo}:bundle-0.1-notes`, '--insecure', '--subject', `${repo}@${subject}`])).code).toBe(0);
    expect((await listReferrers(client, 'kimia/with-referrers', subject)).manifests).toHaveLength(2);
    expect((await cli('describe', [`${repo}@${subject}`, '--insecure'])).out).toContain(`referrers (referrers tag): \n  - ${digestOf(one.out)}`);

    expect(await cli('push', ['--dir', dir, `${repo}:x`, '--insecure', '--subject', `${registry.host}/other/repo@${subject}`])).toMatchObject({ code: 2, err: expect.stringContaining('must be in the repository pushed to') });
    expect(await cli('push', ['--dir', dir, `${repo}:x`, '--insecure', '--subject', `${repo}@sha256:${'0'.repeat(64)}`])).toMatchObject({ code: 1, err: expect.stringContaining('not found') });
  });

  it('leaves no tag after an upload interrupted before the manifest, and the same push then succeeds', async () => {
    const dir = copyBundle();
    const ref = `${registry.host}/kimia/interrupted:0.1`;
    const failed = await cli('push', ['--dir', dir, ref, '--insecure', '--retries', '0'], { fetch: failOnce(manifestPut) });
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(new RegExp(`^kimia-bundles: ${registry.host}: pushing manifest kimia/interrupted:sha256:[a-f0-9]{64}: connection reset\\n$`));
    expect(await client.getManifest('kimia/interrupted', '0.1')).toBeUndefined();

    const midBlob = await cli('push', ['--dir', dir, `${registry.host}/kimia/interrupted2:0.1`, '--insecure', '--retries', '0'], { fetch: failOnce((url, init) => init.method === 'PUT' && url.includes('/blobs/uploads/')) });
    expect(midBlob).toMatchObject({ code: 1, err: expect.stringMatching(/uploading blob sha256:[a-f0-9]{64}: connection reset\n$/) });
    await expect(client.listTags('kimia/interrupted2')).rejects.toThrow(/not found/);

    const retried = await cli('push', ['--dir', dir, ref, '--insecure']);
    expect(retried).toMatchObject({ code: 0, err: expect.stringContaining('(0 blobs uploaded, 2 already present)') });
    expect((await client.getManifest('kimia/interrupted', '0.1'))!.digest).toBe(digestOf(retried.out));
    // a retried transient failure is invisible
    expect((await cli('push', ['--dir', dir, `${registry.host}/kimia/interrupted3:0.1`, '--insecure'], { fetch: failOnce(manifestPut) })).code).toBe(0);
  });

  it('does not move an existing tag when a push fails', async () => {
    const dir = copyBundle();
    const ref = `${registry.host}/kimia/stable:stable`;
    const good = await cli('push', ['--dir', dir, ref, '--insecure']);
    expect(good.code).toBe(0);
    fs.writeFileSync(path.join(dir, 'README.md'), 'changed\n');
    const failed = await cli('push', ['--dir', dir, ref, '--insecure', '--retries', '0'], { fetch: failOnce((url, init) => manifestPut(url, init) && url.endsWith('/manifests/stable')) });
    expect(failed.code).toBe(1);
    expect((await client.getManifest('kimia/stable', 'stable'))!.digest).toBe(digestOf(good.out));
  });

  it('survives the registry being killed between the blobs and the manifest: error, no tag, then the retry succeeds', async () => {
    const crashy = await startRegistry();
    try {
      const dir = copyBundle();
      const ref = `${crashy.host}/kimia/crash:0.1`;
      const failed = await cli('push', ['--dir', dir, ref, '--insecure', '--retries', '1'], { fetch: failOnce(manifestPut, () => crashy.kill()) });
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(new RegExp(`^kimia-bundles: ${crashy.host}: pushing manifest .*: cannot connect \\(connection refused\\)\\n$`));
      await crashy.restart();
      const c = new RegistryClient({ registry: crashy.host, insecure: true });
      expect(await c.getManifest('kimia/crash', '0.1')).toBeUndefined();
      const retried = await cli('push', ['--dir', dir, ref, '--insecure']);
      expect(retried).toMatchObject({ code: 0, err: expect.stringContaining('(0 blobs uploaded, 2 already present)') });
      expect((await c.getManifest('kimia/crash', '0.1'))!.digest).toBe(digestOf(retried.out));
    } finally {
      await crashy.stop();
    }
  });

  const authIt = HAVE_HTPASSWD || inCI() ? it : it.skip;
  if (!HAVE_HTPASSWD && !inCI()) console.warn('SKIPPED registry auth tests: htpasswd is not installed (apt-get install -y apache2-utils)');

  authIt('authenticates with htpasswd Basic auth; a wrong password gives one clear line and creates no tag', async () => {
    const secured = await startRegistry({ users: { [USER]: PASSWORD } });
    try {
      const { layout, digest } = await bundleLayout('auth');
      const ref = `${secured.host}/kimia/private:0.1`;
      const wrong = 'not-the-password';
      const denied = await cli('push', ['--layout', layout, ref, '--insecure'], { dockerConfig: { auths: { [secured.host]: { auth: Buffer.from(`${USER}:${wrong}`).toString('base64') } } } });
      expect(denied.code).toBe(1);
      expect(denied.out).toBe('');
      expect(denied.err.split('\n')).toHaveLength(2);
      expect(denied.err).toMatch(new RegExp(`^kimia-bundles: ${secured.host}: authentication failed \\(401 Unauthorized\\) for repository "kimia/private": check the credentials for ${secured.host} in .*config\\.json\\n$`));
      for (const secret of [wrong, Buffer.from(`${USER}:${wrong}`).toString('base64')]) expect(denied.err).not.toContain(secret);

      const anonymous = await cli('list', [`${secured.host}/kimia/private`, '--insecure']);
      expect(anonymous).toMatchObject({ code: 1, err: expect.stringContaining('authentication required (401 Unauthorized)') });

      const good = { auths: { [`http://${secured.host}`]: { username: USER, password: PASSWORD } } };
      const c = new RegistryClient({ registry: secured.host, insecure: true, credentials: { kind: 'basic', username: USER, password: PASSWORD } });
      expect(await c.getManifest('kimia/private', '0.1')).toBeUndefined();
      const ok = await cli('push', ['--layout', layout, ref, '--insecure'], { dockerConfig: good });
      expect(ok).toMatchObject({ code: 0 });
      expect(digestOf(ok.out)).toBe(digest);
      expect(await cli('list', [`${secured.host}/kimia/private`, '--insecure'], { dockerConfig: good })).toMatchObject({ code: 0, out: '0.1\n' });
    } finally {
      await secured.stop();
    }
  });
});
