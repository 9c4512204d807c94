import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Annotation, buildTektonBundle, BundleInputError, catalogVersionDir, createTar, gunzip, loadTektonFiles, MAX_BUNDLE_OBJECTS, MediaType,
  readLayout, readTar, readTektonBundle, runOciCommand, sha256Digest,
} from '../src/oci';
import { exampleVersion } from './helpers';

const task = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec: { steps: [{ name: 'a', image: 'busybox', script: 'echo' }] }, ...extra });
const pipeline = (name: string) => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name }, spec: { tasks: [{ name: 't', taskRef: { name: 'x' } }] } });

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-bundle-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(command: 'bundle', ...args: string[]) {
  let out = '';
  let err = '';
  return runOciCommand(command, args, { out: (s) => { out += s; }, err: (s) => { err += s; } }, { env: {} }).then((code) => ({ code, out, err }));
}

describe('buildTektonBundle (Tekton bundle contract)', () => {
  it('puts one gzip tar layer per object, one regular file named after metadata.name holding the JSON', () => {
    const objects = [task('build'), pipeline('release')];
    const image = buildTektonBundle(objects);
    expect(image.manifest.mediaType).toBe(MediaType.ociManifest);
    expect(image.manifest.config.mediaType).toBe(MediaType.ociConfig);
    expect(image.manifest.layers).toHaveLength(2);
    const byName = new Map(objects.map((o) => [o.metadata.name, o]));
    for (const layer of image.manifest.layers) {
      expect(layer.mediaType).toBe(MediaType.ociLayerGzip);
      const entries = readTar(gunzip(image.blobs.get(layer.digest)!));
      expect(entries).toHaveLength(1);
      const name = layer.annotations![Annotation.tektonName];
      expect(entries[0]).toMatchObject({ path: name, type: 'file' });
      expect(JSON.parse(entries[0].data.toString())).toEqual(byName.get(name));
    }
  });

  it('annotates every layer with dev.tekton.image.apiVersion (version only), kind (lowercase) and name', () => {
    const image = buildTektonBundle([task('build'), pipeline('release')]);
    expect(image.manifest.layers.map((l) => l.annotations)).toEqual([
      { [Annotation.tektonApiVersion]: 'v1', [Annotation.tektonKind]: 'pipeline', [Annotation.tektonName]: 'release' },
      { [Annotation.tektonApiVersion]: 'v1', [Annotation.tektonKind]: 'task', [Annotation.tektonName]: 'build' },
    ]);
  });

  it('gives the same manifest digest for the same objects, in any order and key order', () => {
    const a = buildTektonBundle([task('b'), task('a'), pipeline('p')], { version: '0.1' });
    const shuffled = [pipeline('p'), JSON.parse(JSON.stringify(task('a'))), { spec: task('b').spec, metadata: { name: 'b' }, kind: 'Task', apiVersion: 'tekton.dev/v1' }];
    const b = buildTektonBundle(shuffled, { version: '0.1' });
    expect(b.descriptor.digest).toBe(a.descriptor.digest);
    expect(b.manifestBytes.equals(a.manifestBytes)).toBe(true);
    expect(buildTektonBundle([task('a')], { version: '0.2' }).descriptor.digest).not.toBe(buildTektonBundle([task('a')], { version: '0.1' }).descriptor.digest);
  });

  it('pins the uncompressed layer and the config (zlib-independent) for a fixed input', () => {
    const image = buildTektonBundle([task('build')]);
    const tar = gunzip(image.blobs.get(image.manifest.layers[0].digest)!);
    expect(tar.equals(createTar([{ path: 'build', data: Buffer.from('{"apiVersion":"tekton.dev/v1","kind":"Task","metadata":{"name":"build"},"spec":{"steps":[{"image":"busybox","name":"a","script":"echo"}]}}') }]))).toBe(true);
    const config = JSON.parse(image.blobs.get(image.manifest.config.digest)!.toString());
    expect(config).toEqual({ architecture: '', config: {}, created: '1970-01-01T00:00:00Z', os: '', rootfs: { diff_ids: [sha256Digest(tar)], type: 'layers' } });
    expect(image.manifest.annotations).toBeUndefined();
  });

  it('takes created from SOURCE_DATE_EPOCH and sets the org.opencontainers.image annotations given', () => {
    const image = buildTektonBundle([task('build')], { sourceDateEpoch: '1609459200', source: 'https://github.com/o/r', revision: 'abc123', version: '0.1', description: 'kimia build' });
    expect(JSON.parse(image.blobs.get(image.manifest.config.digest)!.toString()).created).toBe('2021-01-01T00:00:00Z');
    expect(image.manifest.annotations).toEqual({
      [Annotation.created]: '2021-01-01T00:00:00Z',
      [Annotation.description]: 'kimia build',
      [Annotation.revision]: 'abc123',
      [Annotation.source]: 'https://github.com/o/r',
      [Annotation.version]: '0.1',
    });
    expect(() => buildTektonBundle([task('build')], { sourceDateEpoch: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH must be Unix seconds/);
  });

  it(`holds at most ${MAX_BUNDLE_OBJECTS} objects`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => task(`t${i}`));
    expect(buildTektonBundle(many(MAX_BUNDLE_OBJECTS)).manifest.layers).toHaveLength(20);
    expect(() => buildTektonBundle(many(21))).toThrow(new BundleInputError('a Tekton bundle holds at most 20 objects, got 21'));
  });

  it('refuses duplicates, non-Tekton objects, plural kinds, bad names and nothing', () => {
    expect(() => buildTektonBundle([task('a'), task('a')])).toThrow('objects 1 and 2 are both task/a');
    expect(() => buildTektonBundle([{ ...task('a'), apiVersion: 'tekton.dev/v1beta1' }, task('a')])).toThrow(/both task\/a/);
    expect(() => buildTektonBundle([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toThrow(/only Tekton objects/);
    expect(() => buildTektonBundle([{ ...task('a'), kind: 'Tasks' }])).toThrow(/must be singular/);
    expect(() => buildTektonBundle([{ ...task('a'), metadata: { name: 'Bad/Name' } }])).toThrow(/is not a Kubernetes name/);
    expect(() => buildTektonBundle([])).toThrow(/at least one/);
  });

  it('reads back as the resolver does', () => {
    const objects = [task('build'), pipeline('release')];
    expect(readTektonBundle(buildTektonBundle(objects)).map((o) => [o.kind, o.name, o.object])).toEqual([['pipeline', 'release', objects[1]], ['task', 'build', objects[0]]]);
  });
});

describe('loadTektonFiles and catalog directories', () => {
  it('reads multi-document YAML, skipping empty documents, and names the file on errors', () => {
    const file = path.join(tmp, 'x.yaml');
    fs.writeFileSync(file, '---\napiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: a}\n---\n---\napiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: b}\n');
    expect(loadTektonFiles([file]).map((o) => (o as { kind: string }).kind)).toEqual(['Task', 'Pipeline']);
    fs.writeFileSync(file, 'a: [\n');
    expect(() => loadTektonFiles([file])).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML`));
    expect(() => loadTektonFiles([path.join(tmp, 'missing.yaml')])).toThrow(/cannot read \(ENOENT\)/);
  });

  it('finds <name>.yaml in a <kind>/<name>/<version> directory', () => {
    const dir = path.join(tmp, 'task', 'kimia-build', '0.1');
    fs.mkdirSync(dir, { recursive: true });
    expect(() => catalogVersionDir(dir)).toThrow(/no kimia-build.yaml/);
    fs.writeFileSync(path.join(dir, 'kimia-build.yaml'), '');
    expect(catalogVersionDir(dir)).toMatchObject({ name: 'kimia-build', version: '0.1' });
  });
});

describe('kimia-bundles bundle', () => {
  const TASK_DIR = path.join(__dirname, '..', 'dist', 'tekton', 'task', 'kimia-build', exampleVersion('kimia-build'));

  it('writes a layout from a catalog directory and prints the same digest every time', async () => {
    const one = await cli('bundle', '--dir', TASK_DIR, '--out', path.join(tmp, 'l1'), '--source', 'https://github.com/o/r', '--revision', 'abc');
    const two = await cli('bundle', '--dir', TASK_DIR, '--out', path.join(tmp, 'l2'), '--source', 'https://github.com/o/r', '--revision', 'abc');
    expect(one).toMatchObject({ code: 0, err: `kimia-bundles: wrote Tekton bundle (task/kimia-build) to ${path.join(tmp, 'l1')}\n` });
    expect(one.out).toMatch(/^sha256:[a-f0-9]{64}\n$/);
    expect(two.out).toBe(one.out);
    const [{ image, refName }] = readLayout(path.join(tmp, 'l1'));
    expect(refName).toBe(exampleVersion('kimia-build'));
    expect(image.manifest.annotations).toMatchObject({ [Annotation.version]: exampleVersion('kimia-build'), [Annotation.source]: 'https://github.com/o/r', [Annotation.revision]: 'abc' });
  });

  it('bundles explicit files and reports usage and input errors with exit 2', async () => {
    const file = path.join(tmp, 'objs.yaml');
    fs.writeFileSync(file, `${JSON.stringify(task('a'))}\n---\n${JSON.stringify(pipeline('b'))}\n`);
    expect((await cli('bundle', '--file', file, '--out', path.join(tmp, 'l'))).code).toBe(0);
    expect(await cli('bundle', '--out', path.join(tmp, 'l'))).toMatchObject({ code: 2, err: expect.stringContaining('bundle needs --dir DIR or --file FILE') });
    expect(await cli('bundle', '--file', file)).toMatchObject({ code: 2, err: expect.stringContaining('bundle needs --out') });
    expect(await cli('bundle', '--bogus')).toMatchObject({ code: 2, err: expect.stringContaining('unknown option --bogus') });
    fs.writeFileSync(file, Array.from({ length: 21 }, (_, i) => JSON.stringify(task(`t${i}`))).join('\n---\n'));
    expect(await cli('bundle', '--file', file, '--out', path.join(tmp, 'l'))).toEqual({ code: 2, out: '', err: 'kimia-bundles: a Tekton bundle holds at most 20 objects, got 21\n' });
    expect(await cli('bundle', '--file', file, '--out', path.join(tmp, 'l'), '--source-date-epoch', 'soon')).toMatchObject({ code: 2 });
    expect((await cli('bundle', '--help')).out).toMatch(/^Usage: kimia-bundles bundle/);
  });
});
