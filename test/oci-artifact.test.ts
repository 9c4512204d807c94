import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Annotation, assembleImage, buildBundleArtifact, bundleConfigOf, bundleIdentity, sortedJson, createTar, descriptorOf, gunzip, gzip, MediaType,
  readTar, unpackBundleArtifact, type ImageManifest, type OciImage,
} from '../src/oci';
import { OUTPUT_MARKER } from '../src/output';

let tmp: string;
let src: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-artifact-'));
  src = path.join(tmp, 'kimia-build', '0.1');
  fs.mkdirSync(path.join(src, 'samples'), { recursive: true });
  fs.mkdirSync(path.join(src, 'tests'));
  fs.writeFileSync(path.join(src, 'kimia-build.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\n');
  fs.writeFileSync(path.join(src, 'README.md'), '# kimia-build\n\nünïcödé ✓\n');
  fs.writeFileSync(path.join(src, 'samples', 'taskrun.yaml'), 'kind: TaskRun\n');
  fs.writeFileSync(path.join(src, 'tests', 'hook.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(src, 'binary.bin'), Buffer.from([0, 255, 1, 254, 10, 13]));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir: relative path -> [mode, content]. */
function tree(dir: string): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = [(fs.statSync(p).mode & 0o777).toString(8), fs.readFileSync(p).toString('base64')];
  }
  return out;
}

describe('buildBundleArtifact', () => {
  it('makes an OCI artifact: artifactType, kimia-bundles config and one content layer, annotations', () => {
    const image = buildBundleArtifact(src, { source: 'https://github.com/o/r', revision: 'abc', description: 'the kimia build Task', sourceDateEpoch: 0 });
    const m = image.manifest;
    expect(m.mediaType).toBe(MediaType.ociManifest);
    expect(m.artifactType).toBe('application/vnd.kimia-bundles.bundle.v1');
    expect(m.config.mediaType).toBe('application/vnd.kimia-bundles.config.v1+json');
    expect(m.layers.map((l) => l.mediaType)).toEqual(['application/vnd.kimia-bundles.content.v1.tar+gzip']);
    expect(m.annotations).toEqual({
      [Annotation.created]: '1970-01-01T00:00:00Z', [Annotation.description]: 'the kimia build Task', [Annotation.revision]: 'abc',
      [Annotation.source]: 'https://github.com/o/r', [Annotation.version]: '0.1',
    });
    expect(m.subject).toBeUndefined();
    expect(image.descriptor.artifactType).toBe(MediaType.bundleArtifact);
    const config = bundleConfigOf(image);
    expect(config.name).toBe('kimia-build');
    expect(config.version).toBe('0.1');
    expect(config.files.map((f) => [f.path, f.mode])).toEqual([
      ['README.md', '0644'], ['binary.bin', '0644'], ['kimia-build.yaml', '0644'], ['samples/taskrun.yaml', '0644'], ['tests/hook.sh', '0755'],
    ]);
    expect(config.files[2]).toMatchObject({ size: 37, sha256: expect.stringMatching(/^[a-f0-9]{64}$/) });
    expect(readTar(gunzip(image.blobs.get(m.layers[0].digest)!)).map((e) => e.path)).toEqual(config.files.map((f) => f.path));
  });

  it('gives the same digest for the same content, whatever the file times', () => {
    const a = buildBundleArtifact(src).descriptor.digest;
    fs.utimesSync(path.join(src, 'README.md'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(buildBundleArtifact(src).descriptor.digest).toBe(a);
    fs.appendFileSync(path.join(src, 'README.md'), 'more\n');
    expect(buildBundleArtifact(src).descriptor.digest).not.toBe(a);
  });

  it('adds a subject descriptor (mediaType, digest, size only)', () => {
    const subject = { mediaType: MediaType.ociManifest, digest: `sha256:${'a'.repeat(64)}`, size: 123, annotations: { x: 'y' } };
    expect(buildBundleArtifact(src, { subject }).manifest.subject).toEqual({ mediaType: MediaType.ociManifest, digest: subject.digest, size: 123 });
  });

  it('refuses symbolic links and empty directories', () => {
    fs.symlinkSync('/etc/passwd', path.join(src, 'link'));
    expect(() => buildBundleArtifact(src)).toThrow(/is a symbolic link; a bundle holds only regular files/);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    expect(() => buildBundleArtifact(empty)).toThrow(/holds no files/);
    expect(() => buildBundleArtifact(path.join(tmp, 'missing'))).toThrow(/is not a directory/);
  });

  it('names bundles from <name>/<version> directories or the directory name', () => {
    expect(bundleIdentity('/x/kimia-build/0.1')).toEqual({ name: 'kimia-build', version: '0.1' });
    expect(bundleIdentity('/x/jobs')).toEqual({ name: 'jobs' });
  });
});

/** A bundle artifact whose content layer is the given tar and whose config lists `files`. */
function craft(tar: Buffer, files: Array<{ path: string; data: Buffer }>): OciImage {
  const layer = gzip(tar);
  const config = Buffer.from(sortedJson({ name: 'evil', files: files.map((f) => ({ path: f.path, size: f.data.length, sha256: descriptorOf('', f.data).digest.slice(7), mode: '0644' })) }));
  const ld = descriptorOf(MediaType.bundleContent, layer);
  const cd = descriptorOf(MediaType.bundleConfig, config);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, artifactType: MediaType.bundleArtifact, config: cd, layers: [ld] };
  return assembleImage(manifest, new Map([[cd.digest, config], [ld.digest, layer]]));
}

/** A tar with one entry whose name and type are patched in after the writer's checks. */
function rawTar(name: string, type = '0', link = ''): Buffer {
  const tar = createTar([{ path: 'placeholder', data: Buffer.from('x') }]);
  tar.fill(0, 0, 100);
  tar.write(name, 0, 'utf8');
  tar[156] = type.charCodeAt(0);
  tar.write(link, 157, 'utf8');
  tar.write('        ', 148, 'ascii');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i];
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return tar;
}

describe('unpackBundleArtifact', () => {
  it('reproduces the directory byte for byte, with modes', () => {
    const out = path.join(tmp, 'out');
    const image = buildBundleArtifact(src);
    const files = unpackBundleArtifact(image, out);
    expect(files).toHaveLength(5);
    // Byte for byte, plus our ownership marker (so a second pull may replace it); the marker is
    // not bundle content: the pulled directory pushes back as the very same artifact.
    const { [OUTPUT_MARKER]: marker, ...pulled } = tree(out);
    expect(marker).toBeDefined();
    expect(pulled).toEqual(tree(src));
    const { name, version } = bundleConfigOf(image);
    expect(buildBundleArtifact(out, { name, ...(version ? { version } : {}) }).descriptor.digest).toBe(image.descriptor.digest);
    expect(unpackBundleArtifact(image, out)).toHaveLength(5); // a directory it pulled is replaced
  });

  it('refuses .., absolute paths and links, writing nothing', () => {
    for (const [name, type, link, message] of [
      ['../evil', '0', '', /leaves the directory/],
      ['/etc/evil', '0', '', /absolute path/],
      ['a/./b', '0', '', /not normalized/],
      ['link', '2', '/etc/passwd', /a symlink \(only regular files\)/],
      ['hard', '1', 'x', /a hardlink/],
      ['fifo', '6', '', /a special file/],
    ] as const) {
      const out = path.join(tmp, `out-${type}-${name.length}`);
      expect(() => unpackBundleArtifact(craft(rawTar(name, type, link), [{ path: name, data: Buffer.from('x') }]), out)).toThrow(message);
      expect(fs.existsSync(out)).toBe(false);
    }
    expect(fs.existsSync(path.join(tmp, 'evil'))).toBe(false);
  });

  it('refuses content that does not match the config, and a non-empty target', () => {
    const good = { path: 'a', data: Buffer.from('x') };
    expect(() => unpackBundleArtifact(craft(createTar([good]), [{ path: 'a', data: Buffer.from('y') }]), path.join(tmp, 'o1'))).toThrow(/does not match the sha256/);
    expect(() => unpackBundleArtifact(craft(createTar([good]), [good, { path: 'b', data: Buffer.from('') }]), path.join(tmp, 'o2'))).toThrow(/missing from the content layer/);
    expect(() => unpackBundleArtifact(craft(createTar([good]), []), path.join(tmp, 'o3'))).toThrow(/not in the config's file list/);
    const busy = path.join(tmp, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'x'), '');
    expect(() => unpackBundleArtifact(craft(createTar([good]), [good]), busy)).toThrow(/refusing to replace it: it is not empty and kimia-bundles did not write it/);
    expect(fs.readdirSync(busy)).toEqual(['x']);
  });
});
