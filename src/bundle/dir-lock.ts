/**
 * A lock for writers of one output directory, safe between processes on one host.
 *
 * The lock is a directory `.<name>.lock` holding the owner's pid. It is prepared whole under a
 * private name and renamed into place, so no other process ever sees a lock without its pid
 * (rename onto an existing, non-empty lock fails). A lock whose owner is gone is stale and is
 * taken over; it is moved aside before it is removed, so a removal never hits a newer lock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The pid recorded in a lock directory, or undefined when there is none to read. */
function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when the process is gone. */
function dead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const BUSY = new Set(['EEXIST', 'ENOTEMPTY']);

/** Moves `dir` aside under a unique name and removes it; false when it was already gone. */
function discard(dir: string): boolean {
  const aside = `${dir}.gone-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.renameSync(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  fs.rmSync(aside, { recursive: true, force: true });
  return true;
}

/** Removes what killed processes left next to `lock`: prepared and discarded lock directories. */
export function clearDeadLockLeftovers(lock: string): void {
  const parent = path.dirname(lock);
  const prefix = `${path.basename(lock)}.`;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && dead(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Takes `lock`, waiting up to `timeoutMs` for another live owner; returns the release function.
 * Throws `onTimeout()` when the wait runs out.
 */
export function acquireDirLock(lock: string, timeoutMs: number, onTimeout: () => Error): () => void {
  const deadline = Date.now() + timeoutMs;
  const mine = `${lock}.new-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.mkdirSync(mine);
  try {
    fs.writeFileSync(path.join(mine, 'pid'), String(process.pid));
    for (;;) {
      try {
        fs.renameSync(mine, lock);
        return () => { if (ownerOf(lock) === process.pid) discard(lock); };
      } catch (e) {
        if (!BUSY.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
      const owner = ownerOf(lock);
      if (owner !== undefined && dead(owner)) {
        // Take over a stale lock, but only if it is still the one we judged stale.
        const aside = `${lock}.gone-${process.pid}-${Math.random().toString(36).slice(2)}`;
        try { fs.renameSync(lock, aside); } catch { continue; }
        if (ownerOf(aside) === owner) fs.rmSync(aside, { recursive: true, force: true });
        else try { fs.renameSync(aside, lock); } catch { fs.rmSync(aside, { recursive: true, force: true }); }
        continue;
      }
      if (Date.now() > deadline) throw onTimeout();
      sleep(25);
    }
  } finally {
    fs.rmSync(mine, { recursive: true, force: true });
  }
}
