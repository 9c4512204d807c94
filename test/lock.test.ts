import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalJson, contentHash, readLock } from '../src/internal';
import { cli, exampleVersion } from './helpers';

const ROOT = path.join(__dirname, '..');
let tmp: string;
let config: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-lock-'));
  config = path.join(tmp, 'bundles.yaml');
  fs.copyFileSync(path.join(ROOT, 'examples', 'kimia-bundles.yaml'), config);
  setVersion('0.2'); // whatever the example's version is now
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
const edit = (from: string, to: string) => fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(from, to));
/** Sets the version of the kimia-build example build. */
const KIMIA_BUILD_VERSION = /(- name: kimia-build\n(?:(?! {2}- name:).*\n)*? {4}version: )"[^"]*"/;
const setVersion = (v: string) => {
  const text = fs.readFileSync(config, 'utf8');
  expect(text).toMatch(KIMIA_BUILD_VERSION);
  fs.writeFileSync(config, text.replace(KIMIA_BUILD_VERSION, `$1"${v}"`));
};
const dist = () => path.join(tmp, 'dist');
const read = (rel: string) => fs.readFileSync(path.join(dist(), rel), 'utf8');

describe('released versions cannot change silently', () => {
  beforeEach(() => {
    expect(cli('release', '--config', config, '--notes', 'First release.').code).toBe(0);
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
  });

  it('records every versioned bundle in the lock beside the config', () => {
    const lock = readLock(path.join(tmp, 'bundles.lock.json'));
    expect(Object.keys(lock.bundles)).toEqual([
      'argo/workflowtemplate/kimia-build', 'argo/workflowtemplate/myapp-multiarch', 'job/myapp-production', 'job/myapp-signed', 'job/nginx-basic',
      'tekton/pipeline/kimia-build', 'tekton/pipeline/myapp-multiarch', 'tekton/task/kimia-build', 'tekton/task/myapp-multiarch',
    ]);
    expect(lock.bundles['tekton/task/kimia-build']['0.2']).toEqual({ sha256: expect.stringMatching(/^sha256:[a-f0-9]{64}$/), notes: 'First release.' });
    expect(read('tekton/task/kimia-build/CHANGELOG.md')).toContain('## 0.2\n\nFirst release.');
    expect(cli('release', '--config', config)).toMatchObject({ code: 0, out: '', err: 'kimia-bundles: nothing new to release\n' });
  });

  it('fails synth and validate when a released Task changes without a version bump, leaving dist/ untouched', () => {
    const before = read('tekton/task/kimia-build/0.2/kimia-build.yaml');
    edit('    attestation: max\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n',
      '    attestation: min\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n');
    const synth = cli('synth', '--config', config, '--out', dist());
    expect(synth.code).toBe(2);
    expect(synth.err).toContain('tekton/task/kimia-build 0.2 is released and its content changed');
    expect(synth.err).toContain('set version: "0.3" for this build and run kimia-bundles release');
    expect(read('tekton/task/kimia-build/0.2/kimia-build.yaml')).toBe(before);
    const validate = cli('validate', '--config', config);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain('bundles.lock.json: tekton/task/kimia-build 0.2: tekton/task/kimia-build 0.2 is released and its content changed');
  });

  it('lets README, sample and annotation changes through in place', () => {
    const task = 'tekton/task/kimia-build/0.2/kimia-build.yaml';
    const before = read(task);
    edit('        example: registry.example.com/team/app:v1\n', '        example: registry.example.com/team/other:v2\n'); // README and samples only
    edit('    tekton:\n      owners: [kimia-bundles]\n', '    tekton:\n      minPipelinesVersion: 0.56.0\n      owners: [kimia-bundles]\n'); // an annotation
    expect(cli('synth', '--config', config, '--out', dist())).toMatchObject({ code: 0 });
    expect(read('tekton/task/kimia-build/0.2/samples/taskrun.yaml')).toContain('registry.example.com/team/other:v2');
    expect(read(task)).toContain('tekton.dev/pipelines.minVersion: 0.56.0');
    expect(read(task)).not.toBe(before);
  });

  it('keeps released Job versions side by side too, with a changelog', () => {
    edit('  - name: nginx-basic\n', '  - name: nginx-basic\n    version: "0.2"\n');
    edit('    dockerfile: mainline/alpine/Dockerfile\n', '    dockerfile: mainline/debian/Dockerfile\n');
    expect(cli('release', '--config', config, '--notes', 'Debian base.').code).toBe(0);
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    expect(read('job/nginx-basic/0.1/nginx-basic.yaml')).toContain('--dockerfile=mainline/alpine/Dockerfile');
    expect(read('job/nginx-basic/0.2/nginx-basic.yaml')).toContain('app.kubernetes.io/version: "0.2"');
    expect(read('job/nginx-basic/CHANGELOG.md')).toMatch(/## 0\.2\n\nDebian base\.\n\nContent: [^]*## 0\.1\n\nFirst release\./);
  });

  it('does not let a param description change in place', () => {
    edit('description: Reference of the image to build and push (repository:tag).', 'description: The image to build and push, as repository:tag.');
    // Param descriptions are part of the Task: a change needs a new version too.
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(2);
    edit('description: The image to build and push, as repository:tag.', 'description: Reference of the image to build and push (repository:tag).');
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
  });

  it('keeps the old version beside the new one after a bump, with a changelog of both', () => {
    const old = read('tekton/task/kimia-build/0.2/kimia-build.yaml');
    setVersion('0.3');
    edit('    attestation: max\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n',
      '    attestation: min\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n');
    expect(cli('synth', '--config', config, '--out', dist())).toMatchObject({ code: 0 });
    expect(read('tekton/task/kimia-build/0.2/kimia-build.yaml')).toBe(old);
    expect(read('tekton/task/kimia-build/0.3/kimia-build.yaml')).toContain('--attestation=min');
    expect(cli('release', '--config', config, '--notes', 'Provenance only.').out).toContain('released tekton/task/kimia-build 0.3');
    expect(cli('synth', '--config', config, '--out', dist()).err).toMatch(/kept 3 released versions/);
    const changelog = read('tekton/task/kimia-build/CHANGELOG.md');
    expect(changelog.indexOf('## 0.3')).toBeLessThan(changelog.indexOf('## 0.2'));
    expect(changelog).not.toContain('Content unchanged');
    expect(cli('validate', dist())).toMatchObject({ code: 0 });
  });

  it('writes no new version of a bundle whose content did not change: a bump alone releases nothing (issue 14)', () => {
    const before = read('tekton/task/kimia-build/0.2/kimia-build.yaml');
    setVersion('0.3');
    expect(cli('release', '--config', config, '--notes', 'Rebuilt.')).toMatchObject({ code: 0, out: '', err: 'kimia-bundles: nothing new to release\n' });
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    for (const b of ['tekton/task', 'tekton/pipeline', 'argo/workflowtemplate']) expect(fs.existsSync(path.join(dist(), b, 'kimia-build', '0.3'))).toBe(false);
    expect(read('tekton/task/kimia-build/0.2/kimia-build.yaml')).toBe(before);
    expect(read('tekton/task/kimia-build/CHANGELOG.md')).not.toContain('## 0.3');
  });

  it('says in the changelog when a lock holds a version released without a change to that bundle (before issue 14)', () => {
    const lockFile = path.join(tmp, 'bundles.lock.json');
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    lock.bundles['tekton/task/kimia-build']['0.1'] = { ...lock.bundles['tekton/task/kimia-build']['0.2'], notes: 'Older.' };
    fs.writeFileSync(lockFile, JSON.stringify(lock));
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    expect(read('tekton/task/kimia-build/CHANGELOG.md')).toContain('## 0.2\n\nFirst release.\n\nContent unchanged since 0.1; released with the build\'s other outputs.\n');
  });

  it('refuses a released version edited on disk', () => {
    setVersion('0.3');
    // 0.3 differs, so 0.2 is kept from disk.
    edit('    attestation: max\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n', '    attestation: min\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n');
    const file = path.join(dist(), 'tekton/task/kimia-build/0.2/kimia-build.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('--attestation=max', '--attestation=min'));
    const r = cli('synth', '--config', config, '--out', dist());
    expect(r.code).toBe(2);
    expect(r.err).toContain('released tekton/task/kimia-build 0.2 was edited on disk: released content changed');
  });

  it('validate DIR checks released versions on disk against the lock (given, or the config\'s)', () => {
    setVersion('0.3');
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    const lockFile = path.join(tmp, 'bundles.lock.json');
    expect(cli('validate', dist(), '--lock', lockFile)).toMatchObject({ code: 0 });
    const file = path.join(dist(), 'tekton/task/kimia-build/0.2/kimia-build.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('--attestation=max', '--attestation=min'));
    const finding = 'tekton/task/kimia-build/0.2/kimia-build.yaml: tekton/task/kimia-build 0.2: released content changed';
    for (const args of [['--lock', lockFile], ['--config', config]]) {
      const r = cli('validate', dist(), ...args);
      expect(r.code).toBe(1);
      expect(r.out).toContain(finding);
    }
    expect(cli('validate', dist())).toMatchObject({ code: 0 }); // no lock named: structure and rules only
    // Whatever directory is named: the layout is read off the whole path.
    expect(cli('validate', path.join(dist(), 'tekton', 'task'), '--lock', lockFile).out).toContain('kimia-build/0.2/kimia-build.yaml: tekton/task/kimia-build 0.2: released content changed');
  });

  it('synth --set writes the run\'s content where the version is rendered, and keeps the changelog', () => {
    const sha = '1111111111111111111111111111111111111111';
    const r = cli('synth', '--config', config, '--out', dist(), '--set', `COMMIT=${sha}`);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/kept/); // nothing released is merged into what this run renders
    expect(read(`job/myapp-production/${exampleVersion('myapp-production')}/myapp-production.yaml`)).toContain(`--destination=registry.io/myapp:${sha}`);
    expect(read('job/myapp-production/CHANGELOG.md')).toContain(`## ${exampleVersion('myapp-production')}`);
  });
});

describe('withdrawing a released version', () => {
  const lockFile = () => path.join(tmp, 'bundles.lock.json');
  const WT = 'argo/workflowtemplate/kimia-build';
  beforeEach(() => {
    expect(cli('release', '--config', config, '--notes', 'First release.').code).toBe(0);
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    setVersion('0.3');
    edit('    attestation: max\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n', '    attestation: min\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n');
    expect(cli('release', '--config', config, '--notes', 'Provenance only.').code).toBe(0);
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    expect(fs.existsSync(path.join(dist(), WT, '0.2'))).toBe(true);
  });

  it('takes it out of the output, keeps it in the lock and says why in the changelog', () => {
    const r = cli('withdraw', '--config', config, '--notes', 'Argo rejects it.', `${WT}@0.2`);
    expect(r).toMatchObject({ code: 0, out: `withdrew ${WT} 0.2\n` });
    expect(readLock(lockFile()).bundles[WT]['0.2']).toMatchObject({ notes: 'First release.', withdrawn: 'Argo rejects it.' });
    expect(cli('synth', '--config', config, '--out', dist()).code).toBe(0);
    expect(fs.existsSync(path.join(dist(), WT, '0.2'))).toBe(false);
    expect(fs.existsSync(path.join(dist(), 'tekton/task/kimia-build/0.2/kimia-build.yaml'))).toBe(true); // only what was named
    expect(read(`${WT}/CHANGELOG.md`)).toContain('## 0.2 (withdrawn)\n\n**Withdrawn:** Argo rejects it. It is no longer in this catalog.\n\nFirst release.');
    expect(cli('validate', dist())).toMatchObject({ code: 0 });
  });

  it('refuses unknown, already withdrawn and current versions with exit 2, leaving the lock alone', () => {
    const before = fs.readFileSync(lockFile(), 'utf8');
    // Issues of no field sit at the root of their file (file:line:col like every other line).
    expect(cli('withdraw', '--config', config, '--notes', 'x', `${WT}@9.9`)).toMatchObject({ code: 2, err: `${lockFile()}:1:1: ${WT}@9.9: not a released version (released: ${WT}@0.2, ${WT}@0.3)\n` });
    expect(cli('withdraw', '--config', config, '--notes', 'x', `${WT}@0.3`)).toMatchObject({
      code: 2, err: expect.stringMatching(new RegExp(`^${config}:\\d+:\\d+: ${WT}@0\\.3 is the version the config renders now: set a new version for the build and release it first\n$`)) });
    expect(cli('withdraw', '--config', config, `${WT}@0.2`)).toMatchObject({ code: 2, err: expect.stringContaining('withdraw needs --notes REASON') });
    expect(cli('withdraw', '--config', config, '--notes', 'x', '--set', 'COMMIT=1111111', `job/myapp-production@${exampleVersion('myapp-production')}`)).toMatchObject({ code: 2, err: expect.stringContaining('is the version the config renders now') });
    for (const ref of [`${WT}@toString`, 'constructor@name', '__proto__@toString']) {
      expect(cli('withdraw', '--config', config, '--notes', 'x', ref)).toMatchObject({ code: 2, err: expect.stringContaining(`${ref}: not a released version`) });
    }
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(before);
    expect(cli('withdraw', '--config', config, '--notes', 'x', `${WT}@0.2`).code).toBe(0);
    expect(cli('withdraw', '--config', config, '--notes', 'y', `${WT}@0.2`)).toMatchObject({ code: 2, err: `${lockFile()}:1:1: ${WT}@0.2: already withdrawn (x)\n` });
  });

  it('a synth after a writer was killed between its two renames still keeps the released versions', () => {
    // The kill left dist/ moved aside as .dist.old-*: the next writer restores it before it decides what to keep.
    fs.renameSync(dist(), path.join(tmp, '.dist.old-killed'));
    const r = cli('synth', '--config', config, '--out', dist());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/kept \d+ released versions/);
    expect(fs.existsSync(path.join(dist(), WT, '0.2', 'kimia-build.yaml'))).toBe(true);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });

  it('a build set back to a withdrawn version does not synthesize', () => {
    expect(cli('withdraw', '--config', config, '--notes', 'Broken.', `${WT}@0.2`).code).toBe(0);
    setVersion('0.2');
    edit('    attestation: min\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n', '    attestation: max\n    signing:\n      key: { secretName: cosign-keys, key: cosign.key }\n      password: { secretName: cosign-keys, key: cosign.password }\n');
    const r = cli('synth', '--config', config, '--out', dist());
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${WT} 0.2 was withdrawn (Broken.): set version: "0.3" for this build`);
  });
});

describe('the content hash', () => {
  // Recorded in lock files: its input format may never change, or every release would look edited.
  it('hashes canonical JSON: keys sorted at every level, arrays in order', () => {
    expect(canonicalJson({ b: [2, 1, { d: null, c: 'x"y' }], a: true, 'é': 0, B: 'u' })).toBe('{"B":"u","a":true,"b":[2,1,{"c":"x\\"y","d":null}],"é":0}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });
  it('ignores labels and annotations, and nothing else', () => {
    const doc = { kind: 'Task', metadata: { name: 't', labels: { a: '1' }, annotations: { b: '2' } }, spec: { steps: [] } };
    const base = contentHash([doc]);
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contentHash([{ ...doc, metadata: { name: 't', labels: { a: '9' } } }])).toBe(base);
    expect(contentHash([{ ...doc, metadata: { ...doc.metadata, name: 'u' } }])).not.toBe(base);
    expect(contentHash([{ ...doc, spec: { steps: [{}] } }])).not.toBe(base);
  });
});
