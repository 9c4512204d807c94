/**
 * Writing a bundle directory: an owned, atomic replace (src/output/owned.ts). A failure (or a
 * killed process) leaves the previous bundle intact, a lock keeps two writers of the same
 * directory from interleaving, and a directory kimia-bundles did not write is never replaced.
 */
import { replaceOwnedDir, type ReplaceDirOptions } from '../output';
import type { BundleFiles } from './render';

export { BundleWriteError, OutputRefusedError, OUTPUT_MARKER, recoverOutput, writeOwnedFile } from '../output';
export type WriteBundleOptions = ReplaceDirOptions;

/** Replaces `outDir` with exactly `files` (plus the kept directories of the old one). Returns the directories kept. */
export function writeBundle(files: BundleFiles, outDir: string, options: WriteBundleOptions = {}): string[] {
  return replaceOwnedDir(outDir, files, options);
}
