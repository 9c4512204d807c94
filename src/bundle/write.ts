/**
 * Writing a bundle directory atomically: the files go to a sibling temporary directory
 * which then replaces the old one with renames. A failure (or a killed process) leaves the
 * previous bundle intact, and a lock keeps two writers of the same directory from interleaving.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleFiles } from './render';

export interface WriteBundleOptions {
  /** Directories (bundle-relative) to carry over unchanged from the current `outDir`, e.g. released versions. */
  readonly keep?: readonly string[];
  /** How long to wait for another writer of the same directory. @default 60000 */
  readonly lockTimeoutMs?: number;
}

/** A write that failed for a reason outside the bundle (permissions, disk, another writer). */
export class BundleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleWriteError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system',
  ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', ENOTDIR: 'a parent is not a directory',
  EEXIST: 'already exists', EISDIR: 'is a directory',
};

function explain(e: unknown, target: string): BundleWriteError {
  if (e instanceof BundleWriteError) return e;
  const err = e as NodeJS.ErrnoException;
  const reason = (err.code && REASONS[err.code]) ?? err.message;
  return new BundleWriteError(`cannot write ${target}: ${reason}${err.path && err.path !== target ? ` (${err.path})` : ''}`);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** True when the process that wrote a lock is gone (so the lock is stale). */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return true;
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' || (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Takes `<outDir>.lock` (a directory: mkdir is atomic); waits for another writer, clears stale locks. */
function acquireLock(target: string, timeoutMs: number): () => void {
  const lock = `${path.join(path.dirname(target), `.${path.basename(target)}`)}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale(lock)) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new BundleWriteError(`cannot write ${target}: another kimia-bundles process holds ${lock}`);
      sleep(50);
    }
  }
}

/**
 * Cleans up after a killed writer: if it died between moving the old bundle aside and moving
 * the new one in, the old one (`.<name>.old-*`) is put back; staging directories are removed.
 */
function removeLeftovers(parent: string, base: string): void {
  const target = path.join(parent, base);
  const olds = fs.readdirSync(parent).filter((n) => n.startsWith(`.${base}.old-`));
  if (!fs.existsSync(target) && olds.length === 1) fs.renameSync(path.join(parent, olds[0]), target);
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith(`.${base}.new-`) || name.startsWith(`.${base}.old-`)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Replaces `outDir` with exactly `files` (plus the kept directories of the old one). */
export function writeBundle(files: BundleFiles, outDir: string, options: WriteBundleOptions = {}): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  let release: (() => void) | undefined;
  let stage: string | undefined;
  try {
    fs.mkdirSync(parent, { recursive: true });
    release = acquireLock(target, options.lockTimeoutMs ?? 60_000);
    removeLeftovers(parent, path.basename(target));
    stage = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
    const old = `${stage.replace('.new-', '.old-')}`;
    const made = new Set<string>();
    for (const [rel, content] of files) {
      const file = path.join(stage, rel);
      if (!file.startsWith(stage + path.sep)) throw new BundleWriteError(`refusing to write outside the bundle: ${rel}`);
      const dir = path.dirname(file);
      if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
      fs.writeFileSync(file, content);
    }
    for (const dir of options.keep ?? []) {
      const from = path.join(target, dir);
      if (fs.existsSync(from) && !files.has(dir)) fs.cpSync(from, path.join(stage, dir), { recursive: true, force: false, errorOnExist: false });
    }
    const hadOld = fs.existsSync(target);
    if (hadOld) fs.renameSync(target, old);
    try {
      fs.renameSync(stage, target);
    } catch (e) {
      if (hadOld) fs.renameSync(old, target);
      throw e;
    }
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    throw explain(e, target);
  } finally {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
    release?.();
  }
}
