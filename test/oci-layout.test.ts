import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Annotation, buildTektonBundle, isLayout, MediaType, readLayout, writeLayout } from '../src/oci';

const task = (name: string) => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec: { steps: [{ name: 'a', image: 'busybox', script: 'echo' }] } });

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-layout-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('OCI layout', () => {
  it('writes oci-layout, index.json and blobs, identically twice, and reads them back verified', () => {
    const image = buildTektonBundle([task('build')], { version: '0.1' });
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    writeLayout(a, [{ image, refName: '0.1' }]);
    writeLayout(b, [{ image: buildTektonBundle([task('build')], { version: '0.1' }), refName: '0.1' }]);
    const list = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).sort();
    expect(list(a)).toEqual(list(b));
    for (const f of list(a).filter((f) => fs.statSync(path.join(a, f)).isFile())) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))).toBe(true);
    expect(fs.readFileSync(path.join(a, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
    const index = JSON.parse(fs.readFileSync(path.join(a, 'index.json'), 'utf8'));
    expect(index).toEqual({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociManifest, digest: image.descriptor.digest, size: image.descriptor.size, annotations: { [Annotation.refName]: '0.1' } }] });
    expect(list(path.join(a, 'blobs', 'sha256'))).toHaveLength(3);
    const [read] = readLayout(a);
    expect(read.refName).toBe('0.1');
    expect(read.image.manifestBytes.equals(image.manifestBytes)).toBe(true);
  });

  it('detects a corrupt blob, and replaces only an empty directory or a layout it wrote', () => {
    const image = buildTektonBundle([task('build')]);
    const dir = path.join(tmp, 'layout');
    writeLayout(dir, [{ image }]);
    const layer = image.manifest.layers[0].digest.slice(7);
    fs.appendFileSync(path.join(dir, 'blobs', 'sha256', layer), 'x');
    expect(() => readLayout(dir)).toThrow(/content is corrupt/);
    writeLayout(dir, [{ image }]); // a layout is replaced
    expect(readLayout(dir)).toHaveLength(1);
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'x');
    expect(() => writeLayout(other, [{ image }])).toThrow(/not empty and kimia-bundles did not write it/);
    expect(fs.readdirSync(other)).toEqual(['keep.txt']);
    expect(isLayout(other)).toBe(false);
    expect(() => readLayout(other)).toThrow(/not an OCI image layout/);
  });
});
