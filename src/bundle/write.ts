/**
 * Writing a bundle directory atomically: the files go to a sibling temporary directory
 * which then replaces the old one with renames. A failure leaves the previous bundle intact.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleFiles } from './render';

export interface WriteBundleOptions {
  /** Directories (bundle-relative) to carry over unchanged from the current `outDir`, e.g. released versions. */
  readonly keep?: readonly string[];
}

/** Replaces `outDir` with exactly `files` (plus the kept directories of the old one). */
export function writeBundle(files: BundleFiles, outDir: string, options: WriteBundleOptions = {}): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const stage = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
  const old = `${stage.replace('.new-', '.old-')}`;
  try {
    for (const [rel, content] of files) {
      const file = path.join(stage, rel);
      if (!file.startsWith(stage + path.sep)) throw new Error(`refusing to write outside the bundle: ${rel}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
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
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
