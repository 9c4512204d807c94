/**
 * Synthesis: render, check the version lock, add changelogs, keep released versions, write.
 * The one entry point the CLI and the cdk8s app share.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SpecError, type Config, type ParamValues } from '../spec';
import { DEFAULT_ENGINES, renderBundle, sortedByPath, type Bundle, type RenderBundleOptions } from './render';
import { assertLocked, changelogs, checkReleasedFile, keptVersionDirs, readLock, type LockFile } from './lock';
import { writeBundle } from './write';

export interface SynthOptions extends RenderBundleOptions {
  readonly outDir: string;
  /** Lock file; when absent, no version is locked yet. */
  readonly lockFile?: string;
  readonly params?: ParamValues;
  /** Files whose directories the output must never replace (the config, the lock). @default [lockFile] */
  readonly protect?: readonly string[];
}

export interface SynthResult {
  readonly bundle: Bundle;
  /** Files written, including changelogs. */
  readonly files: ReadonlyMap<string, string>;
  /** Released version directories carried over from the previous output. */
  readonly kept: readonly string[];
}

/** Checks that kept (old) versions on disk still hold what the lock recorded. */
function checkKept(outDir: string, dirs: readonly string[], lock: LockFile, lockFile?: string): void {
  const issues: Array<{ path: string[]; message: string }> = [];
  for (const dir of dirs) {
    const name = dir.split('/').slice(-2, -1)[0];
    const file = path.join(outDir, dir, `${name}.yaml`);
    if (!fs.existsSync(file)) continue;
    // Empty documents (a trailing `---`) are no content.
    const list = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d);
    for (const f of checkReleasedFile(lock, `${dir}/${name}.yaml`, list)) {
      issues.push({ path: [], message: `${path.join(outDir, dir)}: released ${f.document} was edited on disk: ${f.message}` });
    }
  }
  if (issues.length) throw new SpecError(issues, { file: lockFile });
}

/** A rendered, lock-checked bundle with its changelogs, not yet written. */
export interface PreparedSynth {
  readonly bundle: Bundle;
  /** Every file to write (path relative to outDir -> content), sorted, changelogs included. */
  readonly files: ReadonlyMap<string, string>;
  /** Replaces `outDir` atomically (kept versions carried over); returns the kept version directories. */
  write(): readonly string[];
}

/** Renders `config` and enforces the lock, without writing: what {@link synthesize} would write. */
export function prepareSynth(config: Config, opts: SynthOptions): PreparedSynth {
  const lock = opts.lockFile ? readLock(opts.lockFile) : undefined;
  const bundle = renderBundle(config, { ...opts, ...(lock ? { lock } : {}) });
  const files = new Map(bundle);
  if (lock) {
    assertLocked(bundle, lock, opts.lockFile);
    for (const [p, text] of changelogs(lock, bundle)) files.set(p, text);
  }
  const sorted = new Map(sortedByPath(files));
  // Stryker disable next-line ArrayDeclaration: a relative path in place of none lies under the current directory, which no output may hold anyway
  const given = opts.protect ?? [];
  const protect = opts.lockFile ? [...given, opts.lockFile] : given;
  return {
    bundle,
    files: sorted,
    write: () => writeBundle(sorted, opts.outDir, lock ? {
      protect,
      keep: keptVersionDirs(bundle, lock),
      keepFile: (rel, abs) => (opts.engines ?? DEFAULT_ENGINES).every((e) => !e.keepsReleasedFile || e.keepsReleasedFile(rel, abs)),
      checkKept: (dir, found) => checkKept(dir, found, lock, opts.lockFile),
    } : { protect }),
  };
}

/** Renders `config`, enforces the lock and replaces `outDir` atomically. */
export function synthesize(config: Config, opts: SynthOptions): SynthResult {
  const prepared = prepareSynth(config, opts);
  const kept = prepared.write();
  return { bundle: prepared.bundle, files: prepared.files, kept };
}
