/**
 * The rules of src/bundle stated one at a time, in process, with literal expectations: the lock's
 * format and version order, what `release`, `withdraw` and the kept-version check report, and how
 * renderBundle and synthesize treat engines (given here as small fake engines, so each rule is
 * seen apart from what the real engines render). Written for the survivors of
 * `npm run mutation -- bundle` (reports/MUTATION.md): each test fails on one of them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import {
  Bundle, BundleValidationError, KimiaBundle, SpecError, assertLocked, canonicalJson, checkReleasedFile, compareVersions, contentHash, formatLock,
  keptVersionDirs, lockPathFor, nextVersion, parseConfig, prepareSynth, readLock, recordReleases, renderBundle, synthesize, unchangedRelease,
  withdrawReleases, type Engine, type LockFile,
} from '../src/internal';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const H = (c: string) => `sha256:${c.repeat(64)}`;
const lockOf = (bundles: LockFile['bundles']): LockFile => ({ lockVersion: 1, bundles });
const caught = (f: () => unknown): any => { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
};
let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-bundle-rules-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the lock file', () => {
  it('belongs to its config by name: x.yaml and x.yml -> x.lock.json; only the final extension goes', () => {
    expect(lockPathFor(path.join('conf', 'app.yaml'))).toBe(path.join('conf', 'app.lock.json'));
    expect(lockPathFor(path.join('conf', 'app.yml'))).toBe(path.join('conf', 'app.lock.json'));
    expect(lockPathFor('app.yamlish.yaml')).toBe('app.yamlish.lock.json');
  });

  it('refuses a file that is not JSON, naming the file and the parser error', () => {
    const file = path.join(tmp, 'x.lock.json');
    fs.writeFileSync(file, '{"lockVersion": 1,');
    const e = caught(() => readLock(file));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.file).toBe(file);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toEqual([]);
    expect(e.issues[0].message).toMatch(/^lock file is not JSON: /);
  });

  it('refuses a content hash that is not exactly sha256:<64 hex>, at the field that holds it', () => {
    const file = path.join(tmp, 'x.lock.json');
    for (const sha256 of [`x${H('a')}`, `${H('a')}0`, H('A')]) {
      fs.writeFileSync(file, JSON.stringify(lockOf({ 'job/app': { '0.1': { sha256, notes: 'n' } } })));
      const e = caught(() => readLock(file));
      expect(e).toBeInstanceOf(SpecError);
      expect(e.file).toBe(file);
      expect(e.issues.map((i: Obj) => i.path)).toEqual([['bundles', 'job/app', '0.1', 'sha256']]);
    }
    fs.writeFileSync(file, JSON.stringify(lockOf({ 'job/app': { '0.1': { sha256: H('a'), notes: 'n' } } })));
    expect(readLock(file).bundles['job/app']['0.1'].sha256).toBe(H('a'));
  });

  it('is written with bundles sorted and versions in semver order, withdrawn kept', () => {
    const text = formatLock(lockOf({ 'job/b': { '0.10': { sha256: H('a'), notes: 'ten' }, '0.9': { sha256: H('b'), notes: 'nine', withdrawn: 'broken' } }, 'job/a': {} }));
    expect(text).toBe(`{
  "lockVersion": 1,
  "bundles": {
    "job/a": {},
    "job/b": {
      "0.9": {
        "sha256": "${H('b')}",
        "notes": "nine",
        "withdrawn": "broken"
      },
      "0.10": {
        "sha256": "${H('a')}",
        "notes": "ten"
      }
    }
  }
}
`);
  });
});

describe('version order', () => {
  it('compares numerically, part by part, a missing part being 0', () => {
    expect(compareVersions('0.9', '0.10')).toBeLessThan(0);
    expect(compareVersions('0.10', '0.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.1')).toBeLessThan(0);
    expect(compareVersions('1.0.1', '1.0')).toBeGreaterThan(0);
    expect(compareVersions('0.1', '0.1.0')).toBe(0);
  });

  it('next minor version: 0.1 -> 0.2, 0.9 -> 0.10, 1.2.3 -> 1.3.0', () => {
    expect(nextVersion('0.1')).toBe('0.2');
    expect(nextVersion('0.9')).toBe('0.10');
    expect(nextVersion('1.2.3')).toBe('1.3.0');
  });
});

describe('unchangedRelease: where an unchanged bundle stays', () => {
  const lock = lockOf({ 'job/app': { '0.1': { sha256: H('a'), notes: 'n' }, '0.3': { sha256: H('b'), notes: 'n' }, '0.4': { sha256: H('c'), notes: 'n', withdrawn: 'w' } } });

  it('at the latest earlier release when its content is that release\'s', () => {
    expect(unchangedRelease(lock, 'job/app', '0.2', H('a'))).toBe('0.1');
    expect(unchangedRelease(lock, 'job/app', '0.5', H('b'))).toBe('0.3'); // 0.4 is withdrawn
  });

  it('nowhere when the content differs from that release, or the version is not after it', () => {
    expect(unchangedRelease(lock, 'job/app', '0.5', H('a'))).toBeUndefined(); // 0.3 is the latest
    expect(unchangedRelease(lock, 'job/app', '0.5', H('c'))).toBeUndefined(); // withdrawn
    expect(unchangedRelease(lock, 'job/app', '0.1.0', H('a'))).toBeUndefined(); // the same version as 0.1, not after it
    expect(unchangedRelease(lock, 'job/app', '0.3', H('a'))).toBeUndefined(); // released itself
    expect(unchangedRelease(lock, 'job/other', '0.2', H('a'))).toBeUndefined();
  });
});

describe('lock violations', () => {
  const bundle = new Bundle([], [{ bundle: 'job/app', version: '0.1', path: 'job/app/0.1/app.yaml', sha256: H('b') }]);

  it('a changed released version names both hashes (19 characters each) and the version to set', () => {
    const e = caught(() => assertLocked(bundle, lockOf({ 'job/app': { '0.1': { sha256: H('a'), notes: 'n' } } }), '/x/app.lock.json'));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.file).toBe('/x/app.lock.json');
    expect(e.issues).toEqual([{
      path: [],
      message: 'job/app 0.1 is released and its content changed (locked sha256:aaaaaaaaaaaa…, now sha256:bbbbbbbbbbbb…): '
        + 'set version: "0.2" for this build and run kimia-bundles release (only README, samples, labels and annotations may change in place)',
    }]);
  });

  it('a withdrawn version may not be rendered again', () => {
    const e = caught(() => assertLocked(bundle, lockOf({ 'job/app': { '0.1': { sha256: H('b'), notes: 'n', withdrawn: 'it leaks' } } })));
    expect(e.issues).toEqual([{ path: [], message: 'job/app 0.1 was withdrawn (it leaks): set version: "0.2" for this build and run kimia-bundles release' }]);
  });

  it('release records new versions with default notes, and leaves released ones alone', () => {
    const lock = lockOf({ 'job/old': { '0.1': { sha256: H('c'), notes: 'n' } } });
    const b = new Bundle([], [
      { bundle: 'job/app', version: '0.1', path: 'p', sha256: H('b') },
      { bundle: 'job/old', version: '0.1', path: 'q', sha256: H('c') },
    ]);
    expect(recordReleases(b, lock)).toEqual([{ bundle: 'job/app', version: '0.1' }]);
    expect(lock.bundles['job/app']).toEqual({ '0.1': { sha256: H('b'), notes: 'Release 0.1.' } });
    expect(lock.bundles['job/old']).toEqual({ '0.1': { sha256: H('c'), notes: 'n' } });
  });
});

describe('withdraw', () => {
  const lock = () => lockOf({ 'job/app': { '0.10': { sha256: H('a'), notes: 'n' }, '0.9': { sha256: H('b'), notes: 'n', withdrawn: 'old' } } });

  it('marks <bundle>@<version> withdrawn with the reason', () => {
    const l = lock();
    expect(withdrawReleases(l, ['job/app@0.10'], 'broken')).toEqual([{ bundle: 'job/app', version: '0.10' }]);
    expect(l.bundles['job/app']['0.10'].withdrawn).toBe('broken');
  });

  it('refuses, changing nothing, a ref without a version (listing the released ones), an unknown bundle, or one withdrawn already', () => {
    const l = lock();
    const e = caught(() => withdrawReleases(l, ['job/app', 'job/nope@0.1', 'job/app@0.9', 'job/app@0.10'], 'x'));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.issues).toEqual([
      { path: [], message: 'job/app: not a released version (released: job/app@0.9, job/app@0.10)' },
      { path: [], message: 'job/nope@0.1: not a released version (expected <kind>/<name>@<version>, e.g. argo/workflowtemplate/kimia-build@0.1)' },
      { path: [], message: 'job/app@0.9: already withdrawn (old)' },
    ]);
    expect(l).toEqual(lock());
  });
});

describe('checkReleasedFile: a catalog file on disk against the lock', () => {
  const doc = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'app' } };
  const lock = lockOf({
    'job/app': { '0.1': { sha256: contentHash([doc]), notes: 'n' }, '0.2': { sha256: contentHash([doc]), notes: 'n', withdrawn: 'it leaks' } },
    'tekton/task/t': { '0.1': { sha256: H('a'), notes: 'n' } },
    'argo/clusterworkflowtemplate/w': { '0.1': { sha256: H('a'), notes: 'n' } },
  });

  it('a released file that still holds its content: nothing, wherever the catalog directory is', () => {
    expect(checkReleasedFile(lock, 'job/app/0.1/app.yaml', [doc])).toEqual([]);
    expect(checkReleasedFile(lock, 'r', [doc], '/srv/catalog/job/app/0.1/app.yaml')).toEqual([]);
  });

  it('a released file whose content changed names both hashes', () => {
    const changed = [{ ...doc, spec: {} }];
    expect(checkReleasedFile(lock, 'f.yaml', changed, 'dist/job/app/0.1/app.yaml')).toEqual([{
      file: 'f.yaml', document: 'job/app 0.1', path: '',
      message: `released content changed (lock ${contentHash([doc]).slice(0, 19)}…, file ${contentHash(changed).slice(0, 19)}…): restore it from version control, or release the change as a new version`,
    }]);
    // Literal prefixes, so that the slicing itself is checked.
    expect(contentHash([doc]).slice(0, 19)).toMatch(/^sha256:[a-f0-9]{12}$/);
    expect(checkReleasedFile(lock, 'x', [doc], 'tekton/task/t/0.1/t.yaml')[0].message).toMatch(/^released content changed \(lock sha256:aaaaaaaaaaaa…, file sha256:[a-f0-9]{12}…\)/);
  });

  it('a withdrawn version\'s file is to be removed', () => {
    expect(checkReleasedFile(lock, 'f', [doc], 'job/app/0.2/app.yaml')).toEqual([{ file: 'f', document: 'job/app 0.2', path: '', message: 'was withdrawn (it leaks): remove it' }]);
  });

  it('only <kind>/<name>/<version>/<name>.yaml is a released file: other names and depths are not', () => {
    expect(checkReleasedFile(lock, 'x', [], 'argo/clusterworkflowtemplate/w/0.1/w.yaml')).toHaveLength(1);
    for (const other of [
      'job/app/0.1/app.yaml.orig', 'job/app/0.1/other.yaml', 'job/app/0.1/x/app.yaml', 'myjob/app/0.1/app.yaml', 'tekton/task/t/0.1/samples/t.yaml',
      'tekton/task/t/0.1/README.md', 'job/app/app.yaml',
    ]) expect({ other, found: checkReleasedFile(lock, 'x', [], other) }).toEqual({ other, found: [] });
  });

  it('names longer than one character are read whole (a one-character name too)', () => {
    const l = lockOf({ 'job/ab': { '0.10': { sha256: H('a'), notes: 'n' } }, 'job/a': { '1': { sha256: H('a'), notes: 'n' } } });
    expect(checkReleasedFile(l, 'x', [], 'job/ab/0.10/ab.yaml').map((f) => f.document)).toEqual(['job/ab 0.10']);
    expect(checkReleasedFile(l, 'x', [], 'job/a/1/a.yaml').map((f) => f.document)).toEqual(['job/a 1']);
  });
});

describe('keptVersionDirs', () => {
  it('the released, not withdrawn versions not rendered now, sorted', () => {
    const lock = lockOf({
      'job/z': { '0.1': { sha256: H('a'), notes: 'n' } },
      'job/a': { '0.2': { sha256: H('a'), notes: 'n' }, '0.1': { sha256: H('a'), notes: 'n' }, '0.3': { sha256: H('a'), notes: 'n', withdrawn: 'w' } },
    });
    const now = new Bundle([], [{ bundle: 'job/a', version: '0.2', path: 'p', sha256: H('a') }]);
    expect(keptVersionDirs(now, lock)).toEqual(['job/a/0.1', 'job/z/0.1']);
  });
});

describe('canonicalJson', () => {
  it('is the exact text recorded hashes were computed from: sorted keys, no spaces, an undefined array item as nothing', () => {
    expect(canonicalJson({ b: [1, undefined, 'x'], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"b":[1,,"x"]}');
  });
});

describe('Bundle', () => {
  it('holds its files sorted by path, and by default every release as a version', () => {
    const b = new Bundle([['e', '1'], ['d', '2'], ['b', '3'], ['c', '4'], ['a', '5'], ['f', '6']], [{ bundle: 'job/a', version: '0.1', path: 'p', sha256: H('a') }]);
    expect([...b.keys()]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect([...b.versions]).toEqual(['job/a/0.1']);
  });

  it('sorts paths by UTF-16 code unit, not by locale: capitals before small letters, "-" before "/", é after z', () => {
    const b = new Bundle([['é', '1'], ['b', '2'], ['a/x', '3'], ['Z', '4'], ['a-x', '5'], ['a', '6'], ['B', '7']], []);
    expect([...b.keys()]).toEqual(['B', 'Z', 'a', 'a-x', 'a/x', 'b', 'é']);
    expect([...b.values()]).toEqual(['7', '4', '6', '5', '3', '2', '1']);
  });
});

// A build, and fake engines that put what a test needs into the bundle.
const config = (...names: string[]) => parseConfig({
  builds: names.map((name) => ({ name, version: '0.2', outputs: ['job'], context: { git: { url: 'https://example.com/r.git' } }, destinations: ['registry.example.com/app:1'] })),
});
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
/** An engine writing job/<name>/<version>/<name>.yaml with `content(at)` as its data. */
function fakeJob(content: (version: string) => Record<string, string>, extra: Partial<Engine> = {}): Engine {
  return {
    name: 'job',
    render: (scope, spec, opts) => {
      const version = opts.versions?.[`job/${spec.name}`] ?? spec.version;
      new Chart(scope, `fake-${spec.name}-${version}`);
      return [
        { path: `job/${spec.name}/${version}/${spec.name}.yaml`, documents: [configMap(spec.name, content(version))], release: { bundle: `job/${spec.name}`, version } },
        { path: `job/${spec.name}/${version}/run.sh`, text: 'true\n' },
      ];
    },
    ...extra,
  };
}

describe('renderBundle', () => {
  it('refuses build names the config does not have, listing the ones it has', () => {
    const e = caught(() => renderBundle(config('a', 'b'), { builds: ['a', 'nope', 'gone'], engines: [fakeJob(() => ({}))] }));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.issues).toEqual([{ path: ['builds'], message: 'no build named "nope", "gone" (builds: a, b)' }]);
  });

  it('renders only the builds named', () => {
    expect([...renderBundle(config('a', 'b'), { builds: ['b'], engines: [fakeJob(() => ({}))] }).keys()]).toEqual(['job/b/0.2/b.yaml', 'job/b/0.2/run.sh']);
  });

  it('throws, instead of looping, when the versions of a build\'s bundles never settle', () => {
    // At 0.2 the content equals the 0.1 release, so it moves to 0.1, where it differs: back to 0.2, and so on.
    const flip = fakeJob((v) => ({ v: v === '0.2' ? 'same' : 'other' }));
    const lock = lockOf({ 'job/a': { '0.1': { sha256: contentHash([configMap('a', { v: 'same' })]), notes: 'n' } } });
    expect(() => renderBundle(config('a'), { engines: [flip], lock })).toThrow('a: the versions of its bundles do not settle');
  });

  it('settles when it takes one pass more than the build has files: the limit is files + 1 moves, then the check', () => {
    // Two bundles x and y whose content depends on where the other one is. From nothing at its
    // release: x moves to 0.1, then y does, then x moves back to 0.2 (y at 0.1 changed it), then nothing:
    // three moves for two files, settled on the fourth pass.
    const at = (v: string | undefined) => v ?? '0.2';
    const pair: Engine = {
      name: 'job',
      render: (scope, _spec, opts) => {
        const vx = at(opts.versions?.['job/x']);
        const vy = at(opts.versions?.['job/y']);
        new Chart(scope, `pair-${vx}-${vy}`);
        return [
          { path: `job/x/${vx}/x.yaml`, documents: [configMap('x', { v: opts.versions?.['job/y'] ? 'new' : 'old' })], release: { bundle: 'job/x', version: vx } },
          { path: `job/y/${vy}/y.yaml`, documents: [configMap('y', { v: opts.versions?.['job/x'] || opts.versions?.['job/y'] ? 'old' : 'new' })], release: { bundle: 'job/y', version: vy } },
        ];
      },
    };
    const lock = lockOf({
      'job/x': { '0.1': { sha256: contentHash([configMap('x', { v: 'old' })]), notes: 'n' } },
      'job/y': { '0.1': { sha256: contentHash([configMap('y', { v: 'old' })]), notes: 'n' } },
    });
    expect([...renderBundle(config('a'), { engines: [pair], lock, validate: false }).keys()]).toEqual(['job/x/0.2/x.yaml', 'job/y/0.1/y.yaml']);
  });

  it('a bundle moved back to its release leaves the charts the caller\'s scope already had', () => {
    const app = new App();
    new Chart(app, 'mine');
    const lock = lockOf({ 'job/a': { '0.1': { sha256: contentHash([configMap('a', {})]), notes: 'n' } } });
    const b = renderBundle(config('a'), { engines: [fakeJob(() => ({}))], lock, scope: app });
    expect([...b.keys()]).toEqual(['job/a/0.1/a.yaml', 'job/a/0.1/run.sh']);
    expect(app.node.children.map((c) => c.node.id)).toEqual(['mine', 'fake-a-0.1']);
  });

  it('two outputs for one path are an error, from a build or from a catalog', () => {
    const twice: Engine = { name: 'job', render: () => [{ path: 'x.yaml', text: '1' }, { path: 'x.yaml', text: '2' }] };
    expect(() => renderBundle(config('a'), { engines: [twice] })).toThrow('two outputs for x.yaml');
    const clash: Engine = { name: 'job', render: () => [{ path: 'x.yaml', text: '1' }], catalog: () => [{ path: 'x.yaml', text: '2' }] };
    expect(() => renderBundle(config('a'), { engines: [clash] })).toThrow('two outputs for x.yaml');
  });

  it('validates every document unless validate: false', () => {
    const bad: Engine = { name: 'job', render: () => [{ path: 'x.yaml', documents: [{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'x' }, spec: { steps: 'not a list' } }] }] };
    expect(caught(() => renderBundle(config('a'), { engines: [bad] })).issues).toEqual([{ file: 'x.yaml', document: 'Task/x', path: 'spec.steps', message: 'must be array' }]);
    expect(() => renderBundle(config('a'), { engines: [bad] })).toThrow(BundleValidationError);
    expect([...renderBundle(config('a'), { engines: [bad], validate: false }).keys()]).toEqual(['x.yaml']);
  });

  it('an engine\'s catalog gets the builds it rendered, and only those', () => {
    const only: Engine = {
      name: 'job',
      applies: (s) => s.name !== 'b',
      render: (_s, spec) => [{ path: `${spec.name}.txt`, text: spec.name }],
      catalog: (specs) => [{ path: 'catalog.txt', text: specs.map((s) => s.name).join(',') }],
    };
    expect(Object.fromEntries(renderBundle(config('a', 'b', 'c'), { engines: [only] }))).toEqual({ 'a.txt': 'a', 'c.txt': 'c', 'catalog.txt': 'a,c' });
  });
});

describe('synthesize and prepareSynth', () => {
  const lockFile = () => path.join(tmp, 'app.lock.json');
  /** Releases build a at 0.1 with `data`, renders it to out/ and returns the synth options for 0.2. */
  function releasedAt01(data: Record<string, string>, engine = fakeJob(() => data)) {
    const c01 = parseConfig({ builds: [{ ...config('a').builds[0], version: '0.1' }] });
    const lock = lockOf({});
    recordReleases(renderBundle(c01, { engines: [engine], validate: false }), lock, 'first');
    fs.writeFileSync(lockFile(), formatLock(lock));
    synthesize(c01, { outDir: path.join(tmp, 'out'), lockFile: lockFile(), engines: [engine], validate: false });
    return { outDir: path.join(tmp, 'out'), lockFile: lockFile(), validate: false };
  }

  it('lists its files sorted, changelogs among them', () => {
    const two: Engine = { name: 'job', render: (_s, spec) => [{ path: `job/${spec.name}/${spec.version}/${spec.name}.yaml`, documents: [configMap(spec.name, {})], release: { bundle: `job/${spec.name}`, version: spec.version } }, { path: 'zz.txt', text: '' }] };
    fs.writeFileSync(lockFile(), formatLock(lockOf({ 'job/a': { '0.1': { sha256: H('a'), notes: 'n' } } })));
    const p = prepareSynth(config('a'), { outDir: path.join(tmp, 'out'), lockFile: lockFile(), engines: [two], validate: false });
    expect([...p.files.keys()]).toEqual(['job/a/0.2/a.yaml', 'job/a/CHANGELOG.md', 'zz.txt']);
  });

  it('never writes over the lock\'s directory, nor a protected file\'s, with or without a lock', () => {
    fs.writeFileSync(lockFile(), formatLock(lockOf({})));
    expect(() => synthesize(config('a'), { outDir: tmp, lockFile: lockFile(), engines: [fakeJob(() => ({}))], validate: false })).toThrow(/app\.lock\.json/);
    const conf = path.join(tmp, 'app.yaml');
    fs.writeFileSync(conf, 'builds: []\n');
    expect(() => synthesize(config('a'), { outDir: tmp, protect: [conf], engines: [fakeJob(() => ({}))], validate: false })).toThrow(/app\.yaml/);
    expect(fs.readdirSync(tmp).sort()).toEqual(['app.lock.json', 'app.yaml']);
  });

  it('keeps a released version\'s directory and refuses it edited on disk, naming the directory, the bundle and the lock', () => {
    const opts = releasedAt01({ v: '1' });
    const next = fakeJob(() => ({ v: '2' }));
    expect(synthesize(config('a'), { ...opts, engines: [next] }).kept).toEqual(['job/a/0.1']);
    const kept = path.join(opts.outDir, 'job/a/0.1/a.yaml');
    expect(fs.existsSync(kept)).toBe(true);
    // A trailing document separator is the same content.
    fs.appendFileSync(kept, '---\n');
    expect(synthesize(config('a'), { ...opts, engines: [next] }).kept).toEqual(['job/a/0.1']);
    fs.writeFileSync(kept, fs.readFileSync(kept, 'utf8').replace("v: \"1\"", 'v: "edited"'));
    const e = caught(() => synthesize(config('a'), { ...opts, engines: [next] }));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.file).toBe(opts.lockFile);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toEqual([]);
    expect(e.issues[0].message).toMatch(new RegExp(`^${path.join(opts.outDir, 'job/a/0.1').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: released job/a 0.1 was edited on disk: released content changed`));
  });

  it('a kept directory without its file is kept as it is', () => {
    const opts = releasedAt01({ v: '1' });
    fs.rmSync(path.join(opts.outDir, 'job/a/0.1/a.yaml'));
    expect(synthesize(config('a'), { ...opts, engines: [fakeJob(() => ({ v: '2' }))] }).kept).toEqual(['job/a/0.1']);
    expect(fs.readdirSync(path.join(opts.outDir, 'job/a/0.1'))).toEqual(['run.sh']);
  });

  it('a kept file is carried over only when every engine keeps it', () => {
    const opts = releasedAt01({ v: '1' });
    expect(fs.readdirSync(path.join(opts.outDir, 'job/a/0.1'))).toEqual(['a.yaml', 'run.sh']);
    const drops = fakeJob(() => ({ v: '2' }), { keepsReleasedFile: (rel) => !rel.endsWith('.sh') });
    const silent: Engine = { name: 'policies', render: () => [] };
    synthesize(config('a'), { ...opts, engines: [drops, silent] });
    expect(fs.readdirSync(path.join(opts.outDir, 'job/a/0.1'))).toEqual(['a.yaml']);
  });
});

describe('KimiaBundle', () => {
  const input = { builds: [{ name: 'app', version: '0.1', outputs: ['job' as const], context: { git: { url: 'https://example.com/r.git' } }, destinations: ['registry.example.com/app:${TAG}'], params: { TAG: { description: 'Image tag.', default: 'v1' } } }] };

  it('writes to ./dist by default', () => {
    expect(new KimiaBundle(new App(), 'b', { config: input, write: false }).outDir).toBe(path.resolve('dist'));
  });

  it('passes builds and param values on to the render', () => {
    const two = { builds: [...input.builds, { ...input.builds[0], name: 'other' }] };
    const b = new KimiaBundle(new App(), 'b', { config: two, builds: ['other'], params: { TAG: 'v9' }, outDir: path.join(tmp, 'out'), write: false });
    expect([...b.files.keys()].every((f) => f.startsWith('job/other/'))).toBe(true);
    const job = [...b.files.values()].join('\n');
    expect(job).toContain('registry.example.com/app:v9');
    expect(job).not.toContain('registry.example.com/app:v1');
  });

  it('never writes over the config file\'s directory', () => {
    const conf = path.join(tmp, 'kimia-bundles.yaml');
    fs.writeFileSync(conf, JSON.stringify(input));
    const app = new App({ outdir: path.join(tmp, 'cdk8s.out') });
    new KimiaBundle(app, 'b', { config: conf, outDir: tmp });
    expect(() => app.synth()).toThrow(/kimia-bundles\.yaml/);
    expect(fs.readFileSync(conf, 'utf8')).toBe(JSON.stringify(input));
  });
});
