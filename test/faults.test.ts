import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BundleWriteError, OUTPUT_MARKER, writeBundle } from '../src/internal';
import { cli } from './helpers';

/** The real fs module (the test's `import * as fs` is a frozen namespace copy). */
const realFs = require('node:fs') as typeof fs; // eslint-disable-line @typescript-eslint/no-require-imports

const ROOT = path.join(__dirname, '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-faults-')); });
afterEach(() => { jest.restoreAllMocks(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** Every file under dir, relative path -> content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (path.relative(dir, p) !== OUTPUT_MARKER) out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
const bundle = (tag: string, n: number) => new Map(Array.from({ length: n }, (_, i) => [`d${i % 20}/f${i}.yaml`, `${tag} ${i}\n`.repeat(200)] as [string, string]));

/** A child process that writes a bundle of n files tagged `tag` to `out`. */
function writerScript(): string {
  const file = path.join(tmp, 'writer.ts');
  fs.writeFileSync(file, `
import { writeBundle } from ${JSON.stringify(path.join(ROOT, 'src', 'bundle', 'write.ts'))};
import * as fs from 'node:fs';
const [out, tag, n, started] = process.argv.slice(2);
if (started) fs.writeFileSync(started, '');
const files = new Map(Array.from({ length: Number(n) }, (_, i) => [\`d\${i % 20}/f\${i}.yaml\`, \`\${tag} \${i}\\n\`.repeat(200)] as [string, string]));
writeBundle(files, out);
`);
  return file;
}

describe('a writer killed while writing dist/', () => {
  it('leaves the old bundle intact (or complete new one), never a mix', async () => {
    const out = path.join(tmp, 'dist');
    const old = bundle('old', 300);
    writeBundle(old, out);
    const oldSnap = snapshot(out);
    const script = writerScript();
    const started = path.join(tmp, 'started');
    for (const delay of [0, 10, 40, 80, 150]) {
      fs.rmSync(started, { force: true });
      const child = spawn(process.execPath, ['--import', TSX, script, out, 'new', '3000', started], { stdio: 'ignore' });
      while (!fs.existsSync(started)) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const olds = fs.readdirSync(tmp).filter((n) => n.startsWith('.dist.old-'));
      if (fs.existsSync(out)) {
        const now = snapshot(out);
        const complete = Object.keys(now).length === 3000 && Object.values(now).every((v) => v.startsWith('new '));
        expect(complete || JSON.stringify(now) === JSON.stringify(oldSnap)).toBe(true);
        if (complete) writeBundle(old, out); // back to the old bundle for the next round
      } else {
        // Killed between the two renames: the old bundle waits beside it and the next writer restores it.
        expect(olds).toHaveLength(1);
        expect(snapshot(path.join(tmp, olds[0]))).toEqual(oldSnap);
        writeBundle(old, out);
      }
      expect(snapshot(out)).toEqual(oldSnap);
    }
    writeBundle(old, out);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  }, 60_000);
});

describe('several synths at once', () => {
  it('do not interleave: the result is one complete bundle, and no temp files or locks remain', async () => {
    const out = path.join(tmp, 'dist');
    const script = writerScript();
    const run = (tag: string) => new Promise<number>((resolve) => {
      spawn(process.execPath, ['--import', TSX, script, out, tag, '600'], { stdio: 'ignore' }).on('exit', (c) => resolve(c ?? -1));
    });
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    for (let round = 0; round < 3; round++) {
      // Round 1 starts from a stale lock all four writers find at once: only one may break it at a time.
      if (round === 1) { fs.mkdirSync(path.join(tmp, '.dist.lock')); fs.writeFileSync(path.join(tmp, '.dist.lock', 'pid'), String(deadPid)); }
      expect(await Promise.all(['a', 'b', 'c', 'd'].map(run))).toEqual([0, 0, 0, 0]);
      const now = Object.values(snapshot(out));
      expect(now).toHaveLength(600);
      const tag = now[0].slice(0, 1);
      expect(now.every((v) => v.startsWith(`${tag} `))).toBe(true);
      expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
    }
  }, 60_000);
});

describe('output paths', () => {
  it('a parent directory whose name contains ".new-" is no problem', () => {
    const out = path.join(tmp, 'a.new-b', 'dist');
    writeBundle(bundle('x', 2), out);
    writeBundle(bundle('y', 2), out);
    expect(Object.values(snapshot(out)).every((v) => v.startsWith('y '))).toBe(true);
  });
});

describe('the writers\' lock', () => {
  const out = () => path.join(tmp, 'dist');
  const lock = () => path.join(tmp, '.dist.lock');
  const holdLock = (pid: number) => { fs.mkdirSync(lock()); fs.writeFileSync(path.join(lock(), 'pid'), String(pid)); };
  it('waits for a live owner and says who holds it when the wait runs out', () => {
    const owner = spawn('sleep', ['30']);
    try {
      holdLock(owner.pid!);
      expect(() => writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 100 })).toThrow(`cannot write ${out()}: another kimia-bundles process holds ${lock()}`);
      expect(fs.existsSync(out())).toBe(false);
      expect(fs.readFileSync(path.join(lock(), 'pid'), 'utf8')).toBe(String(owner.pid)); // not ours to remove
    } finally {
      owner.kill('SIGKILL');
    }
  });
  it('takes over a lock naming this very process (a pid reused after a kill, e.g. pid 1 in a container)', () => {
    holdLock(process.pid);
    writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 1000 });
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
  it('takes over a lock whose pid now belongs to another process (start time differs)', () => {
    if (!fs.existsSync(`/proc/${process.pid}/stat`)) return; // start times come from /proc
    const other = spawn('sleep', ['30']);
    try {
      fs.mkdirSync(lock());
      fs.writeFileSync(path.join(lock(), 'pid'), `${other.pid} 1`); // alive, but not the process that took the lock
      writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 1000 });
      expect(fs.existsSync(lock())).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });
  it('waits for a lock without an owner while it is fresh, and takes it over once it is old', () => {
    fs.mkdirSync(lock());
    fs.writeFileSync(path.join(lock(), 'pid'), '');
    expect(() => writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 100 })).toThrow('another kimia-bundles process holds');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock(), old, old);
    writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 1000 });
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
  it('takes over the lock of a process that is gone, and the leftovers of killed writers', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    holdLock(pid);
    fs.mkdirSync(path.join(tmp, `.dist.lock.new-${pid}-abc`));
    fs.mkdirSync(path.join(tmp, `.dist.lock.gone-${pid}-def`));
    writeBundle(bundle('x', 2), out(), { lockTimeoutMs: 1000 });
    expect(Object.keys(snapshot(out()))).toHaveLength(2);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
});

describe('an output directory that cannot be written', () => {
  it('a full disk gives a clear error and keeps the old bundle', () => {
    const out = path.join(tmp, 'dist');
    writeBundle(bundle('old', 10), out);
    const before = snapshot(out);
    const real = realFs.writeFileSync.bind(realFs);
    jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, data, opts) => {
      if (String(file).includes('.dist.new-')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: String(file) });
      return real(file, data, opts as never);
    });
    expect(() => writeBundle(bundle('new', 10), out)).toThrow(BundleWriteError);
    expect(() => writeBundle(bundle('new', 10), out)).toThrow(new RegExp(`^cannot write ${out.replace(/[/.]/g, '\\$&')}: no space left on device`));
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
  it('the CLI reports it on one line and exits 1', () => {
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    const r = cli('synth', '--config', path.join(ROOT, 'examples', 'kimia-bundles.yaml'), '--out', path.join(tmp, 'file', 'dist'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kimia-bundles: cannot write .*file\/dist: /);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
