/**
 * Output that kimia-bundles owns: directories and files it replaces only when it wrote them.
 *
 * Every command that writes (synth, bundle --out, pull --out, job --out, the cdk8s app) goes
 * through here, so one set of rules decides what may be replaced:
 * - an output directory is replaced only when it is absent, empty, or carries our marker
 *   (`.kimia-bundles-output`, written by the previous run) and holds nothing but the files that
 *   marker lists;
 * - never the filesystem root, the home directory, the current directory or one of its parents,
 *   a directory holding something the caller protects (the config), or a git work tree root;
 * - an output file is replaced only when it is absent, empty, or YAML we generated (every
 *   document labelled `app.kubernetes.io/managed-by: kimia-bundles`).
 * A refusal is an {@link OutputRefusedError} (bad input, exit 2) raised before anything is touched.
 *
 * Writes are atomic: files go into a sibling staging directory which then replaces the old one by
 * two renames under a writers' lock. Before the swap the old tree is checked to be removable, so a
 * read-only directory fails with the old output untouched. A process killed between the renames
 * leaves the old output beside the target (`.<name>.old-*`); {@link recoverOutput}, which every
 * write and `validate` run first, puts it back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { acquireDirLock, clearDeadLockLeftovers } from './dir-lock';

/** The marker file of an output directory: what the run that wrote it wrote. */
export const OUTPUT_MARKER = '.kimia-bundles-output';

/** A write that failed for a reason outside the input (permissions, disk, another writer). Exit 1. */
export class BundleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleWriteError';
  }
}

/** A write refused because the target holds something kimia-bundles did not write. Exit 2. */
export class OutputRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputRefusedError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system',
  ENOSPC: 'no space left on device (or no free inodes)', EDQUOT: 'disk quota exceeded', ENOTDIR: 'a parent is not a directory',
  EEXIST: 'already exists', EISDIR: 'is a directory', EMFILE: 'too many open files', ENAMETOOLONG: 'name too long',
  EIO: 'input/output error', ENOENT: 'no such file or directory', ELOOP: 'too many symbolic links',
};

/** An errno error as one line: `cannot write TARGET: reason (path)`. */
export function explainWriteError(e: unknown, target: string): Error {
  if (e instanceof BundleWriteError || e instanceof OutputRefusedError) return e;
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string') return e as Error;
  const reason = REASONS[err.code] ?? err.message;
  return new BundleWriteError(`cannot write ${target}: ${reason}${err.path && err.path !== target ? ` (${err.path})` : ''}`);
}

/** File content: text, bytes, or bytes with the executable bit. */
export type OutputContent = string | Uint8Array | { readonly data: string | Uint8Array; readonly executable?: boolean };

export interface OwnedTargetOptions {
  /** Paths whose directory (and parents) must never be replaced, e.g. the config file. */
  readonly protect?: readonly string[];
  /** The current directory, for the "never cwd or its parents" rule. @default process.cwd() */
  readonly cwd?: string;
  /** Name of the option that chose the target, for messages. @default '--out' */
  readonly option?: string;
}

export interface ReplaceDirOptions extends OwnedTargetOptions {
  /** Directories (relative) carried over unchanged from the current output, e.g. released versions. */
  readonly keep?: readonly string[];
  /**
   * Called with the current output and the `keep` directories found in it, under the lock and
   * after an interrupted write was recovered, before anything is carried over; may throw to refuse.
   */
  readonly checkKept?: (outDir: string, kept: readonly string[]) => void;
  /**
   * Which files of a kept directory are carried over (relative to the output root; the absolute
   * path of the current copy). @default every file
   */
  readonly keepFile?: (rel: string, abs: string) => boolean;
  /** How long to wait for another writer of the same directory. @default 60000 */
  readonly lockTimeoutMs?: number;
}

/** Removes the empty directories under `dir` (not `dir` itself), deepest first. */
function pruneEmptyDirs(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const sub = path.join(dir, e.name);
    pruneEmptyDirs(sub);
    if (fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
  }
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** The absolute path with every existing parent's symbolic links resolved. */
function realTarget(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realTarget(parent), path.basename(abs));
  }
}

/** Why `target` is a place we never replace, or undefined. */
function forbiddenPlace(target: string, opts: OwnedTargetOptions): string | undefined {
  const cwd = realTarget(opts.cwd ?? process.cwd());
  if (path.dirname(target) === target) return 'it is the filesystem root';
  if (target === realTarget(os.homedir())) return 'it is your home directory';
  if (isInside(cwd, target)) return target === cwd ? 'it is the current directory' : 'it holds the current directory';
  for (const p of opts.protect ?? []) {
    const file = realTarget(p);
    if (isInside(file, target)) return `it holds ${p}`;
  }
  if (fs.existsSync(path.join(target, '.git'))) return 'it is the root of a git work tree';
  return undefined;
}

/** The files a marker lists, or undefined when the marker is absent or unreadable. */
function readMarker(dir: string): Set<string> | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, OUTPUT_MARKER), 'utf8')) as { files?: unknown };
    return Array.isArray(m.files) && m.files.every((f) => typeof f === 'string') ? new Set(m.files as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Marker text: the sorted relative paths of every file in the output (deterministic). */
function markerText(files: readonly string[]): string {
  const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({ generator: 'kimia-bundles', note: 'kimia-bundles replaces this directory only while it holds exactly these files', files: sorted }, null, 2)}\n`;
}

/** Every entry under dir (relative, '/'-separated): files, directories and anything else. */
function entries(dir: string): Array<{ rel: string; kind: 'file' | 'dir' | 'other' }> {
  const out: Array<{ rel: string; kind: 'file' | 'dir' | 'other' }> = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { out.push({ rel: r, kind: 'dir' }); walk(r); } else out.push({ rel: r, kind: e.isFile() ? 'file' : 'other' });
    }
  };
  walk('');
  return out;
}

/**
 * Throws {@link OutputRefusedError} unless `outDir` may be replaced: absent, empty, or ours
 * (marker present, nothing else in it). Touches nothing.
 */
export function assertOwnedDir(outDir: string, opts: OwnedTargetOptions = {}): void {
  const option = opts.option ?? '--out';
  const target = realTarget(outDir);
  const refuse = (why: string) => new OutputRefusedError(`${option} ${outDir}: refusing to replace it: ${why}; choose an output directory of its own (e.g. ./dist)`);
  const place = forbiddenPlace(target, opts);
  if (place) throw refuse(place);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path.resolve(outDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw explainWriteError(e, outDir);
  }
  if (st.isSymbolicLink()) throw refuse('it is a symbolic link (give the directory it points to)');
  if (!st.isDirectory()) throw refuse('it exists and is not a directory');
  const found = entries(target);
  if (!found.length) return;
  const listed = readMarker(target);
  if (!listed) throw refuse(`it is not empty and kimia-bundles did not write it (no ${OUTPUT_MARKER} marker; if an older kimia-bundles wrote it, delete it yourself and run again)`);
  const dirs = new Set<string>();
  for (const f of listed) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
  const foreign = found.filter((e) => e.rel !== OUTPUT_MARKER && !(e.kind === 'file' ? listed.has(e.rel) : e.kind === 'dir' && dirs.has(e.rel)));
  if (foreign.length) {
    const more = foreign.length > 1 ? ` and ${foreign.length - 1} more` : '';
    throw refuse(`it holds ${foreign[0].kind === 'dir' ? 'a directory' : 'a file'} kimia-bundles did not write (${foreign[0].rel}${more})`);
  }
}

/** Checks that every directory of the tree at `dir` lets us remove its entries (else the swap would half-delete it). */
function assertRemovable(dir: string, outDir: string): void {
  const check = (d: string) => {
    try {
      fs.accessSync(d, fs.constants.W_OK | fs.constants.X_OK);
    } catch (e) {
      throw explainWriteError(e, outDir);
    }
  };
  check(dir);
  for (const e of entries(dir)) if (e.kind === 'dir') check(path.join(dir, e.rel));
}

const base = (target: string) => path.basename(target);
const lockOf = (target: string) => path.join(path.dirname(target), `.${base(target)}.lock`);
const aside = (target: string, kind: 'new' | 'old') => path.join(path.dirname(target), `.${base(target)}.${kind}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);

/**
 * Cleans up after a killed writer (the caller holds the lock): if it died between moving the old
 * output aside and moving the new one in, the old one is put back; staging directories go.
 * @returns true when an old output was put back.
 */
function removeLeftovers(target: string): boolean {
  const parent = path.dirname(target);
  const names = fs.readdirSync(parent);
  const olds = names.filter((n) => n.startsWith(`.${base(target)}.old-`));
  let restored = false;
  if (!fs.existsSync(target) && olds.length) {
    // Only one writer swaps at a time (the lock), so at most one old output can be the last one.
    const newest = olds.map((n) => ({ n, t: fs.statSync(path.join(parent, n)).mtimeMs })).sort((a, b) => b.t - a.t)[0].n;
    fs.renameSync(path.join(parent, newest), target);
    restored = true;
  }
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith(`.${base(target)}.new-`) || name.startsWith(`.${base(target)}.old-`)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  return restored;
}

function withLock<T>(target: string, timeoutMs: number, body: () => T): T {
  const lock = lockOf(target);
  const release = acquireDirLock(lock, timeoutMs, () => new BundleWriteError(`cannot write ${target}: another kimia-bundles process holds ${lock}`));
  try {
    clearDeadLockLeftovers(lock);
    return body();
  } finally {
    release();
  }
}

/**
 * Puts back an output a killed writer left moved aside, and removes its staging directories.
 * Does nothing (and needs no write access) when nothing was left over.
 * @returns true when an old output was restored.
 */
export function recoverOutput(outDir: string): boolean {
  const target = realTarget(outDir);
  const parent = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return false;
  }
  if (!names.some((n) => n.startsWith(`.${base(target)}.old-`) || n.startsWith(`.${base(target)}.new-`))) return false;
  try {
    return withLock(target, 10_000, () => removeLeftovers(target));
  } catch (e) {
    throw explainWriteError(e, outDir);
  }
}

function writeContent(file: string, content: OutputContent): void {
  const data = typeof content === 'string' || content instanceof Uint8Array ? content : content.data;
  const executable = typeof content === 'object' && !(content instanceof Uint8Array) && content.executable;
  // The kernel applies the umask: 0644 / 0755 under the usual 022.
  fs.writeFileSync(file, data, { mode: executable ? 0o777 : 0o666, flag: 'wx' });
}

/**
 * Replaces `outDir` with exactly `files` (plus the kept directories of the old output) and our
 * marker, atomically. Refuses ({@link OutputRefusedError}) a target it does not own; fails
 * ({@link BundleWriteError}) with the previous output in place on any write fault.
 * @returns the kept directories.
 */
export function replaceOwnedDir(outDir: string, files: ReadonlyMap<string, OutputContent>, opts: ReplaceDirOptions = {}): string[] {
  const target = realTarget(outDir);
  assertOwnedDir(outDir, opts);
  for (const rel of files.keys()) {
    if (rel === OUTPUT_MARKER || rel.startsWith('/') || rel.split('/').some((s) => s === '..' || s === '' || s === '.')) {
      throw new BundleWriteError(`refusing to write outside the bundle: ${rel}`);
    }
  }
  const parent = path.dirname(target);
  let stage: string | undefined;
  try {
    fs.mkdirSync(parent, { recursive: true });
    return withLock(target, opts.lockTimeoutMs ?? 60_000, () => {
      removeLeftovers(target);
      // Checked again under the lock: another writer may have changed the target meanwhile.
      assertOwnedDir(outDir, opts);
      const kept = (opts.keep ?? []).filter((dir) => !files.has(dir) && fs.existsSync(path.join(target, dir)));
      opts.checkKept?.(target, kept);
      const hadOld = fs.existsSync(target);
      if (hadOld) assertRemovable(target, outDir);
      stage = aside(target, 'new');
      fs.mkdirSync(stage); // mode 0777 less the umask, unlike mkdtemp's 0700
      const made = new Set<string>([stage]);
      const written: string[] = [];
      for (const [rel, content] of files) {
        const file = path.join(stage, ...rel.split('/'));
        const dir = path.dirname(file);
        if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
        writeContent(file, content);
        written.push(rel);
      }
      for (const dir of kept) {
        const keepFile = opts.keepFile;
        fs.cpSync(path.join(target, dir), path.join(stage, dir), {
          recursive: true, force: false, errorOnExist: false,
          ...(keepFile ? { filter: (src: string) => { const st = fs.lstatSync(src); return st.isDirectory() || keepFile(path.relative(target, src).split(path.sep).join('/'), src); } } : {}),
        });
        // A directory whose every file keepFile dropped is not carried over either.
        if (keepFile) pruneEmptyDirs(path.join(stage, dir));
        for (const e of entries(path.join(stage, dir))) if (e.kind === 'file') written.push(`${dir}/${e.rel}`);
      }
      // The marker goes in last: a staging directory with a marker is complete.
      writeContent(path.join(stage, OUTPUT_MARKER), markerText(written));
      const old = aside(target, 'old');
      if (hadOld) fs.renameSync(target, old);
      try {
        fs.renameSync(stage, target);
      } catch (e) {
        if (hadOld) fs.renameSync(old, target);
        throw e;
      }
      stage = undefined;
      if (hadOld) {
        try {
          fs.rmSync(old, { recursive: true, force: true });
        } catch (e) {
          throw new BundleWriteError(`wrote ${outDir}, but the previous output moved aside to ${old} could not be removed: ${(explainWriteError(e, old) as Error).message.replace(/^cannot write [^:]*: /, '')} (the next run removes it)`);
        }
      }
      return kept;
    });
  } catch (e) {
    throw explainWriteError(e, outDir);
  } finally {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Whether `text` is YAML that kimia-bundles generated: every document carries our managed-by label. */
function generatedByUs(text: string): boolean {
  try {
    const docs = parseAllDocuments(text);
    const list = (Array.isArray(docs) ? docs : [docs]).filter((d) => d.errors.length === 0).map((d) => d.toJS() as { metadata?: { labels?: Record<string, unknown> } } | null);
    const real = list.filter((d) => d !== null && d !== undefined);
    return real.length > 0 && real.length === list.length && real.every((d) => d?.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kimia-bundles');
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `file` atomically (a sibling temporary file renamed into place). An existing
 * file is replaced only when it is empty or YAML we generated; a fault leaves the old file and no
 * temporary file behind.
 */
export function writeOwnedFile(file: string, text: string, opts: OwnedTargetOptions = {}): void {
  const option = opts.option ?? '--out';
  const target = realTarget(file);
  const refuse = (why: string) => new OutputRefusedError(`${option} ${file}: refusing to replace it: ${why}`);
  for (const p of opts.protect ?? []) if (realTarget(p) === target) throw refuse(`it is ${p}`);
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(path.resolve(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw explainWriteError(e, file);
  }
  if (st) {
    if (st.isSymbolicLink()) throw refuse('it is a symbolic link');
    if (!st.isFile()) throw refuse(st.isDirectory() ? 'it is a directory' : 'it is not a regular file');
    if (st.size > 0 && !generatedByUs(fs.readFileSync(target, 'utf8'))) throw refuse('it exists and kimia-bundles did not write it (no app.kubernetes.io/managed-by: kimia-bundles label)');
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx', mode: 0o666 });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw explainWriteError(e, file);
  }
}
