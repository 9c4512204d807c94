/**
 * A lock for writers of one output directory, safe between processes on one host.
 *
 * The lock is a directory `.<name>.lock` holding its owner: pid and, on Linux, the process start
 * time (so a reused pid is not mistaken for the owner). It is prepared whole under a private name
 * and renamed into place, so no other process ever sees a lock without its owner (rename onto an
 * existing, non-empty lock fails).
 *
 * A lock is stale when its owner is gone, is this very process (writes are synchronous, so a lock
 * naming us was left by an earlier process with our pid), or runs under a reused pid; a lock with
 * no readable owner is stale once it is STALE_AFTER_MS old. Breaking a stale lock happens under a
 * second, short-lived lock (`.<name>.lock.break`), after checking again that the lock is still the
 * stale one, so two processes can never both break a lock and one of them remove a fresh one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Age after which an ownerless lock, or a break lock (held for milliseconds), counts as left over. */
const STALE_AFTER_MS = 10_000;

interface Owner {
  readonly pid: number;
  /** Process start time in clock ticks since boot (Linux), '' when unknown. */
  readonly start: string;
}

/** A process's start time from /proc (field 22 of stat), or '' where there is no /proc. */
function startTime(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

const ME = (): Owner => ({ pid: process.pid, start: startTime(process.pid) });

/** The owner recorded in a lock directory, or undefined when there is none to read. */
function ownerOf(dir: string): Owner | undefined {
  try {
    const [pid, start = ''] = fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, start } : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: Owner | undefined, b: Owner | undefined) => a?.pid === b?.pid && a?.start === b?.start;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function olderThan(dir: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** Whether the lock at `dir`, owned by `owner`, can be broken. */
function stale(dir: string, owner: Owner | undefined): boolean {
  if (!owner) return olderThan(dir, STALE_AFTER_MS);
  if (owner.pid === process.pid) return true;
  if (!alive(owner.pid)) return true;
  const now = owner.start ? startTime(owner.pid) : '';
  return now !== '' && now !== owner.start;
}

const unique = (base: string, what: string) => `${base}.${what}-${process.pid}-${Math.random().toString(36).slice(2)}`;

/** Moves `dir` aside under a unique name and removes it. */
function discard(dir: string): void {
  const aside = unique(dir, 'gone');
  try {
    fs.renameSync(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Breaks `lock` if it is still the stale one owned by `seen`; serialized by the break lock. */
function breakStale(lock: string, seen: Owner | undefined): void {
  const guard = `${lock}.break`;
  try {
    fs.mkdirSync(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (olderThan(guard, STALE_AFTER_MS)) fs.rmSync(guard, { recursive: true, force: true });
    else sleep(5); // someone else is breaking it: look again shortly
    return;
  }
  try {
    const now = ownerOf(lock);
    if (fs.existsSync(lock) && same(now, seen) && stale(lock, now)) discard(lock);
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

/** Removes what killed processes left next to `lock`: prepared and discarded lock directories. */
export function clearDeadLockLeftovers(lock: string): void {
  const parent = path.dirname(lock);
  const prefix = `${path.basename(lock)}.`;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Takes `lock`, waiting up to `timeoutMs` for another live owner; returns the release function.
 * Throws `onTimeout()` when the wait runs out.
 */
export function acquireDirLock(lock: string, timeoutMs: number, onTimeout: () => Error): () => void {
  const deadline = Date.now() + timeoutMs;
  const me = ME();
  const mine = unique(lock, 'new');
  fs.mkdirSync(mine);
  try {
    fs.writeFileSync(path.join(mine, 'pid'), `${me.pid} ${me.start}`.trim());
    for (;;) {
      try {
        fs.renameSync(mine, lock);
        return () => { if (same(ownerOf(lock), me)) discard(lock); };
      } catch (e) {
        if (!['EEXIST', 'ENOTEMPTY'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
      const owner = ownerOf(lock);
      if (stale(lock, owner)) breakStale(lock, owner);
      else sleep(25);
      if (Date.now() > deadline) throw onTimeout();
    }
  } finally {
    fs.rmSync(mine, { recursive: true, force: true });
  }
}
