/**
 * The real kimia binary for the conformance tests (issue 11), built once from kimia's own source
 * (`../shared/kimia/v1.0.25/src`, tag v1.0.25, stdlib only) with the host's Go, exactly as
 * `../shared/kimia/README.md` says:
 *
 *   CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -ldflags "-X main.Version=1.0.25" ./cmd/kimia
 *
 * (plus `-buildvcs=false`, so a VCS directory above the source never matters, and GOPROXY=off:
 * the module has no dependencies, nothing is downloaded).
 *
 * - `KIMIA_BIN` set: that binary is used as is (it must exist and be executable).
 * - Otherwise the binary is cached under `$KIMIA_CACHE_DIR` (default `<os.tmpdir()>/kimia-bundles-conformance`)
 *   in a directory named after a hash of the source tree, the Go version and the build flags, so
 *   it is rebuilt only when one of them changes. GOCACHE and GOPATH live there too: the source
 *   tree is read-only in CI and nothing is written next to it.
 * - Several jest workers may ask at once: one takes a lock directory (`mkdir`) and builds into a
 *   private directory that it renames into place; the others wait for the result. A lock left by
 *   a killed process is taken over after 5 minutes.
 * - No Go on PATH (or no source): `kimiaStatus()` says why, so a suite can skip visibly, or fail
 *   when `process.env.CI` is set (see `describeConformance` in pod.ts).
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHARED } from '../helpers/shared';

export const KIMIA_VERSION = '1.0.25';
/** kimia's source tree (the `src/` of the tag), relative to this repository's parent. */
export const KIMIA_SRC = process.env.KIMIA_SRC ?? path.join(SHARED, 'kimia', `v${KIMIA_VERSION}`, 'src');
const LDFLAGS = `-X main.Version=${KIMIA_VERSION}`;
const LOCK_STALE_MS = 5 * 60_000;
const WAIT_MS = 10 * 60_000;

export type KimiaStatus =
  | { ok: true; bin?: string; source: string; go?: string }
  | { ok: false; reason: string };

let status: KimiaStatus | undefined;
let built: string | undefined;

/** Can kimia be had here? Cheap: looks for KIMIA_BIN, or for Go and the source; builds nothing. */
export function kimiaStatus(): KimiaStatus {
  if (status) return status;
  const fromEnv = process.env.KIMIA_BIN;
  if (fromEnv) {
    try {
      fs.accessSync(fromEnv, fs.constants.X_OK);
      status = { ok: true, bin: path.resolve(fromEnv), source: 'KIMIA_BIN' };
    } catch {
      status = { ok: false, reason: `KIMIA_BIN=${fromEnv} is not an executable file` };
    }
    return status;
  }
  if (!fs.existsSync(path.join(KIMIA_SRC, 'cmd', 'kimia', 'main.go'))) {
    status = { ok: false, reason: `kimia source not found at ${KIMIA_SRC} (set KIMIA_SRC or KIMIA_BIN)` };
    return status;
  }
  const go = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv(cacheRoot()) });
  if (go.error || go.status !== 0) {
    const why = (go.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'no `go` on PATH' : `\`go version\` failed: ${(go.stderr || String(go.error)).trim()}`;
    status = { ok: false, reason: `${why}: install Go (Debian: apt-get install golang-go) or set KIMIA_BIN to a kimia ${KIMIA_VERSION} binary` };
    return status;
  }
  status = { ok: true, source: KIMIA_SRC, go: go.stdout.trim() };
  return status;
}

/** The path of a kimia binary built from KIMIA_SRC (or KIMIA_BIN). Builds it on first use; throws if it cannot. */
export function kimiaBinary(): string {
  if (built) return built;
  const st = kimiaStatus();
  if (!st.ok) throw new Error(`kimia binary unavailable: ${st.reason}`);
  if (st.bin) return (built = st.bin);

  const root = cacheRoot();
  const key = crypto.createHash('sha256')
    .update(`${st.go}\0${LDFLAGS}\0CGO_ENABLED=0 -trimpath -buildvcs=false\0`)
    .update(treeHash(KIMIA_SRC))
    .digest('hex').slice(0, 16);
  const dir = path.join(root, `kimia-${KIMIA_VERSION}-${key}`);
  const bin = path.join(dir, 'kimia');
  if (isExecutable(bin)) return (built = bin);

  fs.mkdirSync(root, { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (isExecutable(bin)) return (built = bin);
    if (tryLock(lock)) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process building kimia (lock ${lock})`);
    sleep(200);
  }
  try {
    if (isExecutable(bin)) return (built = bin);
    const tmp = fs.mkdtempSync(`${dir}.tmp-`);
    fs.chmodSync(tmp, 0o755);
    try {
      goBuild(KIMIA_SRC, path.join(tmp, 'kimia'), root);
      try {
        fs.renameSync(tmp, dir); // atomic: the directory appears with the finished binary in it
      } catch (e) {
        if (!isExecutable(bin)) throw e; // someone else's rename won: theirs is as good as ours
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  if (!isExecutable(bin)) throw new Error(`kimia build left no binary at ${bin}`);
  return (built = bin);
}

export function cacheRoot(): string {
  return process.env.KIMIA_CACHE_DIR ?? path.join(os.tmpdir(), 'kimia-bundles-conformance');
}

export function goEnv(root: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? root,
    CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local',
    GOCACHE: path.join(root, 'gocache'),
    GOPATH: path.join(root, 'gopath'),
    GOMODCACHE: path.join(root, 'gopath', 'pkg', 'mod'),
    GOPROXY: 'off',
    GOFLAGS: '',
    GOWORK: 'off',
    GO111MODULE: 'on',
    GOENV: 'off',
  };
}

/** `go build` of a package of the kimia module at `src` (default kimia itself), retried in a copy whose go directive is the local Go's. */
export function goBuild(src: string, out: string, root: string, pkg = './cmd/kimia'): void {
  const args = ['build', '-trimpath', '-buildvcs=false', '-ldflags', LDFLAGS, '-o', out, pkg];
  let r = spawnSync('go', args, { cwd: src, encoding: 'utf8', env: goEnv(root) });
  // A newer Go than Debian 12's 1.19 refuses `go 1.25` in go.mod with GOTOOLCHAIN=local: build a
  // copy whose go directive names the local version (kimia uses no newer language feature).
  const m = /go\.mod requires go >= \S+ \(running go (\d+\.\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && m) {
    const copy = fs.mkdtempSync(path.join(root, 'src-'));
    try {
      fs.cpSync(src, copy, { recursive: true });
      fs.chmodSync(path.join(copy, 'go.mod'), 0o644);
      const mod = fs.readFileSync(path.join(copy, 'go.mod'), 'utf8').replace(/^go \S+$/m, `go ${m[1]}`);
      fs.writeFileSync(path.join(copy, 'go.mod'), mod);
      r = spawnSync('go', args, { cwd: copy, encoding: 'utf8', env: goEnv(root) });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }
  if (r.error || r.status !== 0) {
    throw new Error(`go build of ${pkg} failed (in ${src}): ${(r.stderr || String(r.error)).trim()}`);
  }
}

/** sha256 over every file of the tree: relative path, mode and content, in sorted order. */
function treeHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const rel = path.relative(dir, p);
      if (st.isDirectory()) { h.update(`d ${rel}\0`); walk(p); }
      else if (st.isSymbolicLink()) h.update(`l ${rel} ${fs.readlinkSync(p)}\0`);
      else { h.update(`f ${rel} ${st.mode & 0o111 ? 'x' : '-'}\0`); h.update(fs.readFileSync(p)); h.update('\0'); }
    }
  };
  walk(dir);
  return h.digest('hex');
}

function isExecutable(p: string): boolean {
  try { fs.accessSync(p, fs.constants.X_OK); return fs.statSync(p).isFile(); } catch { return false; }
}

function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), `${process.pid}\n`);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
    } catch { /* gone meanwhile */ }
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
