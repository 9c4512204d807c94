/**
 * Issue 13 item 4: KimiaBundle yields, in the user's own cdk8s app, what `kimia-bundles synth`
 * writes (catalog layout, versions and lock check, READMEs, samples, policies).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { KimiaBundle, SpecError } from '../src';
import { tree } from './helpers/tree';

const listTree = (dir: string) => Object.keys(tree(dir));

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples', 'kimia-bundles.yaml');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-bundle-construct-'));

describe('KimiaBundle', () => {
  it('writes on app.synth() exactly the files the CLI wrote to dist/ (every file it writes is byte-identical to the committed one)', () => {
    const dir = tmp();
    try {
      const app = new App({ outdir: path.join(dir, 'cdk8s.out') });
      const bundle = new KimiaBundle(app, 'bundle', { config: EXAMPLES, outDir: path.join(dir, 'dist') });
      // Nothing is written before synth.
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
      app.synth();
      const written = listTree(path.join(dir, 'dist')).filter((f) => !f.endsWith('/'));
      expect(written.length).toBeGreaterThan(40);
      for (const f of written) {
        if (f === '.kimia-bundles-output') continue;
        expect({ f, same: fs.readFileSync(path.join(dir, 'dist', f), 'utf8') === fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8') }).toEqual({ f, same: true });
      }
      // What it renders now is all there: catalog layout, READMEs, samples, tests, policies, changelogs.
      expect([...bundle.files.keys()].sort()).toEqual(written.filter((f) => f !== '.kimia-bundles-output').sort());
      for (const f of ['tekton/task/kimia-build/CHANGELOG.md', 'policies/myapp-signed/kyverno-clusterpolicy.yaml']) expect(bundle.files.has(f)).toBe(true);
      expect([...bundle.files.keys()].some((f) => /^tekton\/task\/kimia-build\/[0-9.]+\/(README\.md|samples\/taskrun\.yaml|tests\/run\.yaml)$/.test(f))).toBe(true);
      // Rendered as the CLI renders (apps of their own, for the released bytes): the app's own output has none of it.
      expect(fs.existsSync(path.join(dir, 'cdk8s.out')) ? fs.readdirSync(path.join(dir, 'cdk8s.out')) : []).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the version lock: a released version whose content changed throws at construction, naming the version to set', () => {
    const dir = tmp();
    try {
      const text = fs.readFileSync(EXAMPLES, 'utf8').replace('myregistry.io/nginx:latest', 'myregistry.io/nginx:changed');
      expect(text).not.toBe(fs.readFileSync(EXAMPLES, 'utf8'));
      const config = path.join(dir, 'kimia-bundles.yaml');
      fs.writeFileSync(config, text);
      fs.copyFileSync(path.join(ROOT, 'examples', 'kimia-bundles.lock.json'), path.join(dir, 'kimia-bundles.lock.json'));
      const app = new App({ outdir: path.join(dir, 'out') });
      let err: unknown;
      try { new KimiaBundle(app, 'bundle', { config, outDir: path.join(dir, 'dist') }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).message).toMatch(/is released and its content changed .* set version: "[0-9.]+"/);
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a config object, refuses a bad one naming the field, and can render without writing', () => {
    const dir = tmp();
    try {
      const build = { name: 'app', context: { git: { url: 'https://github.com/o/app.git' } }, destinations: ['registry.io/o/app:v1'], outputs: ['job' as const] };
      const app = new App({ outdir: path.join(dir, 'out') });
      const b = new KimiaBundle(app, 'b', { config: { builds: [build] }, outDir: path.join(dir, 'dist'), write: false });
      expect([...b.files.keys()]).toEqual(['job/app/0.1/app.yaml', 'job/app/CHANGELOG.md'].filter((f) => b.files.has(f)));
      expect(b.files.get('job/app/0.1/app.yaml')).toContain('kind: Job');
      app.synth();
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
      expect(() => new KimiaBundle(new App(), 'bad', { config: { builds: [{ ...build, destinations: [] }] }, write: false }))
        .toThrow(/builds\.0\.destinations|destinations/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never replaces a directory it did not write', () => {
    const dir = tmp();
    try {
      fs.writeFileSync(path.join(dir, 'precious.txt'), 'mine');
      const app = new App({ outdir: path.join(dir, 'out') });
      new KimiaBundle(app, 'b', { config: EXAMPLES, outDir: dir });
      expect(() => app.synth()).toThrow(/not written by kimia-bundles|refus/i);
      expect(fs.readFileSync(path.join(dir, 'precious.txt'), 'utf8')).toBe('mine');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
