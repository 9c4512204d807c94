/**
 * Real faults while writing output (issue 10): a full disk and exhausted inodes (a small tmpfs),
 * a read-only file system (remounted ro), permission denied (the CLI run as an unprivileged user
 * with setpriv), and a SIGKILL at every mutating syscall of the write (strace fault injection).
 * Each leaves the previous output complete (or, for a kill mid-swap, restores it on the next run
 * and in `validate`), removes every temporary file, and says so in one line with exit 1.
 *
 * These need root (mount, setpriv) and strace; CI runs as root with strace installed. Without
 * them the tests are reported as skipped, never as passed.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli } from './helpers';
import { tree } from './helpers/tree';

const ROOT = path.join(__dirname, '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const isRoot = process.getuid?.() === 0;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const itRoot = isRoot && has('mount') && has('setpriv') ? it : it.skip;
const itStrace = has('strace') && spawnSync('strace', ['-qq', '-o', '/dev/null', 'true']).status === 0 ? it : it.skip;

/** A config of its own that does not fit the small disks below: 80 Jobs (~3 kB and 4 inodes each). */
const BIG = `builds:\n${Array.from({ length: 80 }, (_, i) => `  - name: app${i}\n    context: {git: {url: https://github.com/myorg/myapp.git}}\n    destinations: [registry.io/myapp:v${i}]\n    outputs: [job]\n`).join('')}`;

const config = (tag: string) => `builds:
  - name: app
    context: {git: {url: https://github.com/myorg/myapp.git}}
    destinations: [registry.io/myapp:${tag}]
    outputs: [job]
`;

let tmp: string;
const mounts: string[] = [];
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-outfault-')));
  fs.chmodSync(tmp, 0o755);
});
afterEach(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
  fs.rmSync(tmp, { recursive: true, force: true });
});


/** The kimia-bundles CLI in its own process, optionally as another user or under strace. */
function run(args: string[], opts: { as?: number; strace?: string[] } = {}) {
  let argv = [process.execPath, '--import', TSX, MAIN, ...args];
  if (opts.as !== undefined) argv = ['setpriv', '--reuid', String(opts.as), '--regid', String(opts.as), '--clear-groups', ...argv];
  if (opts.strace) argv = ['strace', '-f', '-qq', '-o', '/dev/null', ...opts.strace, ...argv];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: tmp, env: { ...process.env, KIMIA_BUNDLES_DEBUG: '' } });
  return { code: r.status, signal: r.signal, err: r.stderr, out: r.stdout };
}

function tmpfs(dir: string, options: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounts.push(dir);
}

const leftovers = (parent: string, name: string) => fs.readdirSync(parent).filter((n) => n.startsWith(`.${name}.`));

function expectOneLine(err: string, fragment: string) {
  expect(err).toContain(fragment);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/internal error|\n\s+at /);
}

describe('write faults leave the old output and say why', () => {
  const write = (file: string, text: string) => { fs.writeFileSync(file, text); return file; };

  itRoot('a full disk: exit 1, "no space left on device", old output intact, no temporary files', () => {
    const mnt = path.join(tmp, 'mnt');
    tmpfs(mnt, 'size=128k');
    const out = path.join(mnt, 'dist');
    expect(run(['synth', '--config', write(path.join(tmp, 'a.yaml'), config('v1')), '--out', out]).code).toBe(0);
    const before = tree(out);
    const r = run(['synth', '--config', write(path.join(tmp, 'big.yaml'), BIG), '--out', out]); // ~240 kB: does not fit
    expect(r.code).toBe(1);
    expectOneLine(r.err, 'no space left on device');
    expect(tree(out)).toEqual(before);
    expect(leftovers(mnt, 'dist')).toEqual([]);
  });

  itRoot('exhausted inodes: exit 1 with the reason, old output intact', () => {
    const mnt = path.join(tmp, 'mnt');
    tmpfs(mnt, 'size=4m,nr_inodes=24');
    const out = path.join(mnt, 'dist');
    expect(run(['synth', '--config', write(path.join(tmp, 'a.yaml'), config('v1')), '--out', out]).code).toBe(0);
    const before = tree(out);
    const r = run(['synth', '--config', write(path.join(tmp, 'big.yaml'), BIG), '--out', out]); // ~320 files and directories
    expect(r.code).toBe(1);
    expectOneLine(r.err, 'no space left on device (or no free inodes)');
    expect(tree(out)).toEqual(before);
    expect(leftovers(mnt, 'dist')).toEqual([]);
  });

  itRoot('a read-only file system: exit 1, "read-only file system", old output intact', () => {
    const mnt = path.join(tmp, 'mnt');
    tmpfs(mnt, 'size=1m');
    const out = path.join(mnt, 'dist');
    expect(run(['synth', '--config', write(path.join(tmp, 'a.yaml'), config('v1')), '--out', out]).code).toBe(0);
    const before = tree(out);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const r = run(['synth', '--config', write(path.join(tmp, 'b.yaml'), config('v2')), '--out', out]);
    expect(r.code).toBe(1);
    expectOneLine(r.err, 'read-only file system');
    expect(tree(out)).toEqual(before);
  });

  itRoot('job --out on a full disk: exit 1, the old file intact, no job.yaml.*.tmp left', () => {
    const mnt = path.join(tmp, 'mnt');
    tmpfs(mnt, 'size=64k');
    const c = write(path.join(tmp, 'a.yaml'), `${config('v1')}    ci: {repository: registry.io/myapp}\n`);
    const out = path.join(mnt, 'job.yaml');
    const job = (commit: string) => ['job', '--config', c, '--build', 'app', '--ref', 'refs/heads/main', '--commit', commit, '--profile', 'pr', '--out', out];
    expect(run(job('abc1234')).code).toBe(0);
    const before = fs.readFileSync(out, 'utf8');
    spawnSync('sh', ['-c', `cat /dev/zero > ${path.join(mnt, 'filler')}`]); // fill the rest of the disk
    const r = run(job('def5678'));
    expect(r.code).toBe(1);
    expectOneLine(r.err, 'no space left on device');
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    expect(fs.readdirSync(mnt).sort()).toEqual(['filler', 'job.yaml']);
  });

  describe('permission denied, as an unprivileged user (uid 65534)', () => {
    const setup = () => {
      const parent = path.join(tmp, 'p');
      fs.mkdirSync(parent);
      const c = write(path.join(tmp, 'a.yaml'), config('v1'));
      const out = path.join(parent, 'dist');
      expect(run(['synth', '--config', c, '--out', out]).code).toBe(0);
      execFileSync('chown', ['-R', '65534:65534', parent]);
      return { parent, out, next: write(path.join(tmp, 'b.yaml'), config('v2')) };
    };
    itRoot('a read-only output directory: the old output stays whole (it used to be left beside the new one)', () => {
      const { parent, out, next } = setup();
      fs.chmodSync(out, 0o555);
      const before = tree(out);
      const r = run(['synth', '--config', next, '--out', out], { as: 65534 });
      expect(r.code).toBe(1);
      expectOneLine(r.err, 'permission denied');
      expect(tree(out)).toEqual(before);
      expect(leftovers(parent, 'dist')).toEqual([]);
    });
    itRoot('a read-only directory deep inside the old output', () => {
      const { parent, out, next } = setup();
      fs.chmodSync(path.join(out, 'job', 'app'), 0o555);
      const before = tree(out);
      const r = run(['synth', '--config', next, '--out', out], { as: 65534 });
      expect(r.code).toBe(1);
      expectOneLine(r.err, `permission denied (${path.join(out, 'job', 'app')})`);
      expect(tree(out)).toEqual(before);
      expect(leftovers(parent, 'dist')).toEqual([]);
    });
    itRoot('a parent the user cannot write: nothing is created', () => {
      const { parent, out, next } = setup();
      fs.chmodSync(parent, 0o555);
      const before = tree(parent);
      const r = run(['synth', '--config', next, '--out', out], { as: 65534 });
      expect(r.code).toBe(1);
      expectOneLine(r.err, 'permission denied');
      expect(tree(parent)).toEqual(before);
    });
  });
});

describe('a SIGKILL at every mutating syscall of the write (strace -e inject=…:signal=SIGKILL:when=N)', () => {
  itStrace('leaves a complete old or new output after the next validate or synth, and no leftovers', () => {
    const old = path.join(tmp, 'old.yaml');
    const next = path.join(tmp, 'new.yaml');
    fs.writeFileSync(old, config('v1'));
    fs.writeFileSync(next, config('v2'));
    const out = path.join(tmp, 'w', 'dist');
    const restore = () => expect(cli('synth', '--config', old, '--out', out).code).toBe(0);
    restore();
    const oldTree = tree(out);
    expect(cli('synth', '--config', next, '--out', out).code).toBe(0);
    const newTree = tree(out);
    expect(newTree).not.toEqual(oldTree);
    restore();
    // How often the write makes each mutating syscall (this counts node's start-up too: harmless points).
    const trace = path.join(tmp, 'trace');
    const SYSCALLS = ['rename', 'mkdir', 'rmdir', 'unlink'];
    execFileSync('strace', ['-f', '-qq', '-o', trace, '-e', `trace=${SYSCALLS.join(',')}`, process.execPath, '--import', TSX, MAIN, 'synth', '--config', next, '--out', out]);
    const counts = Object.fromEntries(SYSCALLS.map((s) => [s, fs.readFileSync(trace, 'utf8').split('\n').filter((l) => new RegExp(`^\\d+\\s+${s}\\(`).test(l)).length]));
    expect(counts.rename).toBeGreaterThanOrEqual(3); // lock, old aside, new in place
    restore();
    let points = 0;
    let midSwap = 0;
    for (const syscall of SYSCALLS) {
      for (let n = 1; n <= counts[syscall]; n++) {
        const r = run(['synth', '--config', next, '--out', out], { strace: ['-e', `inject=${syscall}:signal=SIGKILL:when=${n}`] });
        if (r.code === 0) continue; // the point was after the process's last such call
        points++;
        if (!fs.existsSync(out)) midSwap++;
        // Recover through validate on odd points, through the next synth on even ones.
        if (points % 2) {
          const v = cli('validate', out);
          expect(v.code).toBe(0);
          const now = tree(out);
          expect([oldTree, newTree]).toContainEqual(now);
        } else {
          expect(cli('synth', '--config', next, '--out', out).code).toBe(0);
          expect(tree(out)).toEqual(newTree);
        }
        restore();
        expect(tree(out)).toEqual(oldTree);
        expect(leftovers(path.dirname(out), 'dist')).toEqual([]);
      }
    }
    expect(points).toBeGreaterThanOrEqual(10);
    expect(midSwap).toBe(1); // exactly one point lies between the two renames
  }, 120_000);
});
