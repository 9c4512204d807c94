/**
 * Writing a bundle directory atomically: the files go to a sibling temporary directory
 * which then replaces the old one with renames. A failure (or a killed process) leaves the
 * previous bundle intact, and a lock keeps two writers of the same directory from interleaving.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireDirLock, clearDeadLockLeftovers } from './dir-lock';
import type { BundleFiles } from './render';

export interface WriteBundleOptions {
  /** Directories (bundle-relative) to carry over unchanged from the current `outDir`, e.g. released versions. */
  readonly keep?: readonly string[];
  /**
   * Called with the current `outDir` and the `keep` directories found in it, under the lock and
   * after an interrupted write was recovered, before anything is carried over; may throw to refuse.
   */
  readonly checkKept?: (outDir: string, kept: readonly string[]) => void;
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

/** An error from the caller's checkKept, passed through as it is. */
class Refused {
  constructor(readonly reason: unknown) {}
}

/** Replaces `outDir` with exactly `files` (plus the kept directories of the old one). Returns the directories kept. */
export function writeBundle(files: BundleFiles, outDir: string, options: WriteBundleOptions = {}): string[] {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  let release: (() => void) | undefined;
  let stage: string | undefined;
  try {
    fs.mkdirSync(parent, { recursive: true });
    const lock = path.join(parent, `.${path.basename(target)}.lock`);
    release = acquireDirLock(lock, options.lockTimeoutMs ?? 60_000, () => new BundleWriteError(`cannot write ${target}: another kimia-bundles process holds ${lock}`));
    clearDeadLockLeftovers(lock);
    removeLeftovers(parent, path.basename(target));
    // What to keep is decided here, under the lock and after recovery: not from a dist/ another
    // writer is swapping, nor from one a killed writer left moved aside.
    const kept = (options.keep ?? []).filter((dir) => !files.has(dir) && fs.existsSync(path.join(target, dir)));
    try {
      options.checkKept?.(target, kept);
    } catch (e) {
      throw new Refused(e);
    }
    stage = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
    const old = path.join(parent, path.basename(stage).replace('.new-', '.old-'));
    const made = new Set<string>();
    for (const [rel, content] of files) {
      const file = path.join(stage, rel);
      if (!file.startsWith(stage + path.sep)) throw new BundleWriteError(`refusing to write outside the bundle: ${rel}`);
      const dir = path.dirname(file);
      if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
      fs.writeFileSync(file, content);
    }
    for (const dir of kept) fs.cpSync(path.join(target, dir), path.join(stage, dir), { recursive: true, force: false, errorOnExist: false });
    const hadOld = fs.existsSync(target);
    if (hadOld) fs.renameSync(target, old);
    try {
      fs.renameSync(stage, target);
    } catch (e) {
      if (hadOld) fs.renameSync(old, target);
      throw e;
    }
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
    return kept;
  } catch (e) {
    if (e instanceof Refused) throw e.reason; // the caller's own error, unchanged
    throw explain(e, target);
  } finally {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
    release?.();
  }
}
