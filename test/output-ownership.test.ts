/**
 * Output ownership (issue 10): every writer (synth, bundle --out, pull --out, job --out) replaces
 * only what kimia-bundles wrote, and never the current directory, a parent of the config or a git
 * work tree root. A refusal is exit 2 with one line, and nothing is touched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OUTPUT_MARKER, runOciCommand, writeLayout, buildTektonBundle } from '../src/internal';
import { cli } from './helpers';
import { tree } from './helpers/tree';

const VALID = `builds:
  - name: app
    context: {git: {url: https://github.com/myorg/myapp.git}}
    destinations: [registry.io/myapp:v1]
    outputs: [job]
`;

let tmp: string;
beforeEach(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-own-'))); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));


function inDir<T>(dir: string, body: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try { return body(); } finally { process.chdir(before); }
}

const oneLineRefusal = (err: string, fragment: string) => {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).toContain('refusing to replace it');
  expect(err).toContain(fragment);
};

describe('synth refuses to replace what it did not write', () => {
  it('synth --out . in a git repository refuses and changes nothing (the reported repository deletion)', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo]);
    fs.writeFileSync(path.join(repo, 'kimia-bundles.yaml'), VALID);
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'mine\n');
    const before = tree(repo);
    const r = inDir(repo, () => cli('synth', '--config', 'kimia-bundles.yaml', '--out', '.'));
    expect(r.code).toBe(2);
    oneLineRefusal(r.err, 'it is the current directory');
    expect(tree(repo)).toEqual(before);
    expect(fs.readdirSync(tmp)).toEqual(['repo']); // no lock, staging or moved-aside directory either
  });

  it.each([
    ['a parent of the current directory', (repo: string) => path.dirname(repo), 'it holds the current directory'],
    ['the directory of the config', (repo: string) => path.join(repo, 'conf'), 'it holds'],
    ['a git work tree root elsewhere', () => path.join(tmp, 'other'), 'it is the root of a git work tree'],
  ])('refuses %s', (_what, target, fragment) => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'conf'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'other'));
    execFileSync('git', ['init', '-q', path.join(tmp, 'other')]);
    const config = path.join(repo, 'conf', 'kimia-bundles.yaml');
    fs.writeFileSync(config, VALID);
    const before = tree(tmp);
    const r = inDir(repo, () => cli('synth', '--config', config, '--out', target(repo)));
    expect(r.code).toBe(2);
    oneLineRefusal(r.err, fragment);
    expect(tree(tmp)).toEqual(before);
  });

  it('refuses a non-empty directory without our marker, and one holding a file we did not write', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, VALID);
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'README.md'), 'the user wrote this\n');
    let before = tree(tmp);
    let r = cli('synth', '--config', config, '--out', out);
    expect(r.code).toBe(2);
    oneLineRefusal(r.err, `no ${OUTPUT_MARKER} marker`);
    expect(tree(tmp)).toEqual(before);

    fs.rmSync(out, { recursive: true });
    expect(cli('synth', '--config', config, '--out', out).code).toBe(0);
    fs.writeFileSync(path.join(out, 'job', 'mine.yaml'), 'kind: ConfigMap\n');
    before = tree(tmp);
    r = cli('synth', '--config', config, '--out', out);
    expect(r.code).toBe(2);
    oneLineRefusal(r.err, 'a file kimia-bundles did not write (job/mine.yaml)');
    expect(tree(tmp)).toEqual(before);
  });

  it('replaces its own output, an empty directory, or nothing; refuses a file and a symbolic link', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, VALID);
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    expect(cli('synth', '--config', config, '--out', out).code).toBe(0); // empty
    const marker = JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8'));
    expect(marker.files).toEqual(['job/app/0.1/app.yaml']);
    expect(cli('synth', '--config', config, '--out', out).code).toBe(0); // ours
    fs.symlinkSync(out, path.join(tmp, 'link'));
    oneLineRefusal(cli('synth', '--config', config, '--out', path.join(tmp, 'link')).err, 'symbolic link');
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    oneLineRefusal(cli('synth', '--config', config, '--out', path.join(tmp, 'file')).err, 'not a directory');
    expect(fs.readFileSync(path.join(tmp, 'file'), 'utf8')).toBe('x');
  });

  it('writes directories 0755 and files 0644 under umask 022, and respects a stricter umask', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, VALID);
    const old = process.umask(0o022);
    try {
      expect(cli('synth', '--config', config, '--out', path.join(tmp, 'a')).code).toBe(0);
      process.umask(0o027);
      expect(cli('synth', '--config', config, '--out', path.join(tmp, 'b')).code).toBe(0);
    } finally {
      process.umask(old);
    }
    const modes = (dir: string) => Object.fromEntries(Object.entries(tree(dir)).map(([k, v]) => [k, v.split(' ')[0]]));
    expect(modes(path.join(tmp, 'a'))).toEqual({ 'job/': '755', 'job/app/': '755', 'job/app/0.1/': '755', 'job/app/0.1/app.yaml': '644', [OUTPUT_MARKER]: '644' });
    expect((fs.statSync(path.join(tmp, 'a')).mode & 0o777).toString(8)).toBe('755');
    expect(modes(path.join(tmp, 'b'))).toEqual({ 'job/': '750', 'job/app/': '750', 'job/app/0.1/': '750', 'job/app/0.1/app.yaml': '640', [OUTPUT_MARKER]: '640' });
  });
});

describe('job --out replaces only a Job file it wrote', () => {
  const args = (config: string, out: string) => ['job', '--config', config, '--build', 'app', '--ref', 'refs/heads/main', '--commit', 'abc1234', '--profile', 'pr', '--out', out];
  it('refuses a foreign file and the config, replaces its own output', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, VALID.replace('outputs: [job]', 'outputs: [job]\n    ci: {repository: registry.io/myapp}'));
    const out = path.join(tmp, 'job.yaml');
    fs.writeFileSync(out, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n');
    let r = cli(...args(config, out));
    expect(r.code).toBe(2);
    oneLineRefusal(r.err, 'kimia-bundles did not write it');
    expect(fs.readFileSync(out, 'utf8')).toContain('name: mine');
    r = cli(...args(config, config));
    expect(r.code).toBe(2);
    expect(fs.readFileSync(config, 'utf8')).toContain('builds:');
    fs.rmSync(out);
    expect(cli(...args(config, out)).code).toBe(0);
    const first = fs.readFileSync(out, 'utf8');
    expect(cli(...args(config, out)).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(first);
    expect(fs.readdirSync(tmp).sort()).toEqual(['c.yaml', 'job.yaml']);
  });
});

describe('bundle --out and pull --out', () => {
  const io = () => { const r = { out: '', err: '' }; return { r, io: { out: (t: string) => { r.out += t; }, err: (t: string) => { r.err += t; } } }; };
  it('bundle --out refuses a directory it did not write (exit 2, untouched) and replaces its own layout', async () => {
    const dir = path.join(tmp, 'task', 'kimia-build', '0.1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'kimia-build.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: kimia-build\nspec:\n  steps:\n    - name: a\n      image: busybox:1.37\n      script: echo\n');
    const out = path.join(tmp, 'layout');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const a = io();
    expect(await runOciCommand('bundle', ['--dir', dir, '--out', out], a.io)).toBe(2);
    expect(a.r.err).toContain('refusing to replace it');
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
    fs.rmSync(out, { recursive: true });
    const b = io();
    expect(await runOciCommand('bundle', ['--dir', dir, '--out', out], b.io)).toBe(0);
    expect(await runOciCommand('bundle', ['--dir', dir, '--out', out], io().io)).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'blobs', 'index.json', 'oci-layout']);
  });
  it('a layout written by an older version (no marker) is not replaced', () => {
    const out = path.join(tmp, 'layout');
    writeLayout(out, [{ image: buildTektonBundle([{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'a' }, spec: {} }]) }]);
    fs.rmSync(path.join(out, OUTPUT_MARKER));
    expect(() => writeLayout(out, [{ image: buildTektonBundle([{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'b' }, spec: {} }]) }])).toThrow(/no \.kimia-bundles-output marker/);
  });
});

describe('kept directories with files left out (keepFile)', () => {
  it('carries over only the kept files, leaves no empty directory behind, and the next write still owns the output', () => {
    const { replaceOwnedDir } = require('../src/output/owned') as typeof import('../src/output/owned');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-keepfile-'));
    const out = path.join(root, 'dist');
    try {
      replaceOwnedDir(out, new Map([['v/0.1/app.yaml', 'a\n'], ['v/0.1/tests/run.yaml', 'old test\n']]), { cwd: root });
      const keepFile = (rel: string) => !rel.includes('/tests/');
      replaceOwnedDir(out, new Map([['v/0.2/app.yaml', 'b\n']]), { cwd: root, keep: ['v/0.1'], keepFile });
      expect(Object.keys(tree(out)).filter((k) => k !== OUTPUT_MARKER).sort()).toEqual(['v/', 'v/0.1/', 'v/0.1/app.yaml', 'v/0.2/', 'v/0.2/app.yaml']);
      // Nothing foreign (an empty tests/ the marker does not list) makes the next write refuse.
      replaceOwnedDir(out, new Map([['v/0.2/app.yaml', 'c\n']]), { cwd: root, keep: ['v/0.1'], keepFile });
      expect(fs.readFileSync(path.join(out, 'v/0.2/app.yaml'), 'utf8')).toBe('c\n');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
