/**
 * The version lock: per bundle and version, the content hash recorded at release. A released
 * version's content may not change; old versions stay in dist/ beside new ones.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { compareVersions, markdown, sortVersions, SpecError, versionParts } from '../spec';
import type { Bundle } from './render';
import { contentHash } from './content-hash';

const ReleaseSchema = z.strictObject({
  sha256: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  notes: z.string().min(1),
  /** Why the version was withdrawn: it stays in the lock and the changelog, and leaves dist/. */
  withdrawn: z.string().min(1).optional(),
});
const LockFileSchema = z.strictObject({
  lockVersion: z.literal(1),
  bundles: z.record(z.string(), z.record(z.string(), ReleaseSchema)),
});
/** One released version of a bundle: its content hash, its changelog notes, why it was withdrawn. */
export interface Release {
  sha256: string;
  notes: string;
  withdrawn?: string;
}
/** The version lock (kimia-bundles.lock.json): released versions per bundle. */
export interface LockFile {
  lockVersion: 1;
  bundles: { [bundle: string]: { [version: string]: Release } };
}
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const LOCK_TYPES_AGREE: Same<z.output<typeof LockFileSchema>, LockFile> = true;
void LOCK_TYPES_AGREE;

/** The lock file that belongs to a config file: `x.yaml` -> `x.lock.json`. */
export function lockPathFor(configFile: string): string {
  return path.join(path.dirname(configFile), `${path.basename(configFile).replace(/\.ya?ml$/, '')}.lock.json`);
}

export const emptyLock = (): LockFile => ({ lockVersion: 1, bundles: {} });

/** The lock's entry for a bundle version (own keys only: never `toString` and friends). */
export function releasedEntry(lock: LockFile, bundle: string, version: string): Release | undefined {
  const versions = Object.hasOwn(lock.bundles, bundle) ? lock.bundles[bundle] : undefined;
  return versions && Object.hasOwn(versions, version) ? versions[version] : undefined;
}

/** Reads a lock file; a missing file is an empty lock. */
export function readLock(file: string): LockFile {
  if (!fs.existsSync(file)) return emptyLock();
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SpecError([{ path: [], message: `lock file is not JSON: ${(e as Error).message}` }], { file });
  }
  const r = LockFileSchema.safeParse(json);
  if (!r.success) throw new SpecError(r.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: i.message })), { file });
  return r.data;
}

/** Serializes a lock deterministically (sorted keys, versions in semver order). */
export function formatLock(lock: LockFile): string {
  const bundles: Record<string, Record<string, unknown>> = {};
  for (const b of Object.keys(lock.bundles).sort()) {
    bundles[b] = Object.fromEntries(sortVersions(Object.keys(lock.bundles[b])).map((v) => {
      const { sha256, notes, withdrawn } = lock.bundles[b][v];
      return [v, { sha256, notes, ...(withdrawn ? { withdrawn } : {}) }];
    }));
  }
  return `${JSON.stringify({ lockVersion: 1, bundles }, null, 2)}\n`;
}

/** Writes a lock file atomically. */
export function writeLock(file: string, lock: LockFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, formatLock(lock));
  fs.renameSync(tmp, file);
}

// The version order is spec's (versions.ts), shared with the engines; exported here as before.
export { compareVersions, sortVersions };

/**
 * The release a bundle stays at when the build moves to `version` without changing it: the latest
 * version before `version` that is released and not withdrawn, if its content hash is `sha256`.
 * None when `version` itself is released (a released version stays what it is).
 */
export function unchangedRelease(lock: LockFile, bundle: string, version: string, sha256: string): string | undefined {
  if (releasedEntry(lock, bundle, version) || !Object.hasOwn(lock.bundles, bundle)) return undefined;
  const versions = lock.bundles[bundle];
  const earlier = sortVersions(Object.keys(versions)).filter((v) => compareVersions(v, version) < 0 && !versions[v].withdrawn);
  const latest = earlier[earlier.length - 1];
  return latest !== undefined && versions[latest].sha256 === sha256 ? latest : undefined;
}

/** Released versions whose content changed without a version bump. */
export function lockViolations(bundle: Bundle, lock: LockFile): Array<{ bundle: string; version: string; message: string }> {
  const out: Array<{ bundle: string; version: string; message: string }> = [];
  for (const r of bundle.releases) {
    const released = releasedEntry(lock, r.bundle, r.version);
    if (released?.withdrawn) {
      out.push({
        bundle: r.bundle,
        version: r.version,
        message: `${r.bundle} ${r.version} was withdrawn (${released.withdrawn}): set version: "${nextVersion(r.version)}" for this build and run kimia-bundles release`,
      });
    } else if (released && released.sha256 !== r.sha256) {
      const next = nextVersion(r.version);
      out.push({
        bundle: r.bundle,
        version: r.version,
        message: `${r.bundle} ${r.version} is released and its content changed (locked ${released.sha256.slice(0, 19)}…, now ${r.sha256.slice(0, 19)}…): `
          + `set version: "${next}" for this build and run kimia-bundles release (only README, samples, labels and annotations may change in place)`,
      });
    }
  }
  return out;
}

/** Throws SpecError when a released version changed. */
export function assertLocked(bundle: Bundle, lock: LockFile, lockFile?: string): void {
  const v = lockViolations(bundle, lock);
  if (v.length) throw new SpecError(v.map((x) => ({ path: [], message: x.message })), { file: lockFile });
}

/** The next minor version: 0.1 -> 0.2, 1.2.3 -> 1.3.0. */
export function nextVersion(v: string): string {
  const p = versionParts(v);
  return p.length === 2 ? `${p[0]}.${p[1] + 1}` : `${p[0]}.${p[1] + 1}.0`;
}

/** Records the bundle's unreleased versions in the lock. Returns what was added. */
export function recordReleases(bundle: Bundle, lock: LockFile, notes?: string): Array<{ bundle: string; version: string }> {
  assertLocked(bundle, lock);
  const added: Array<{ bundle: string; version: string }> = [];
  for (const r of bundle.releases) {
    const versions = (lock.bundles[r.bundle] ??= {});
    if (versions[r.version]) continue;
    versions[r.version] = { sha256: r.sha256, notes: notes ?? `Release ${r.version}.` };
    added.push({ bundle: r.bundle, version: r.version });
  }
  return added;
}

/**
 * Marks released versions withdrawn (`<kind>/<name>@<version>`, as `kimia-bundles withdraw` takes
 * them): they leave dist/ at the next synth and stay in the lock and changelog with the reason.
 */
export function withdrawReleases(lock: LockFile, refs: readonly string[], reason: string): Array<{ bundle: string; version: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  const found: Array<{ bundle: string; version: string }> = [];
  for (const ref of refs) {
    const at = ref.lastIndexOf('@');
    // Stryker disable next-line EqualityOperator,StringLiteral: a ref starting with @ names no bundle and a ref without @ no version, whichever way they are split
    const [bundle, version] = at > 0 ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, ''];
    const released = releasedEntry(lock, bundle, version);
    if (!released) {
      const known = Object.hasOwn(lock.bundles, bundle) ? Object.keys(lock.bundles[bundle]) : [];
      issues.push({ path: [], message: `${ref}: not a released version${known.length ? ` (released: ${sortVersions(known).map((v) => `${bundle}@${v}`).join(', ')})` : ' (expected <kind>/<name>@<version>, e.g. argo/workflowtemplate/kimia-build@0.1)'}` });
    } else if (released.withdrawn) {
      issues.push({ path: [], message: `${ref}: already withdrawn (${released.withdrawn})` });
    } else found.push({ bundle, version });
  }
  if (issues.length) throw new SpecError(issues);
  for (const { bundle, version } of found) lock.bundles[bundle][version].withdrawn = reason;
  return found;
}

/** `…/<tekton|argo>/<type>/<name>/<version>/<name>.yaml` or `…/job/<name>/<version>/<name>.yaml`: a versioned bundle's file. */
const RELEASED_FILE = /(?:^|\/)((?:tekton\/(?:task|pipeline)|argo\/(?:workflowtemplate|clusterworkflowtemplate)|job)\/([^/]+))\/([^/]+)\/\2\.yaml$/;

/**
 * Lock findings for a catalog file on disk: a released version whose content no longer matches
 * the lock, or one that was withdrawn. Other files get none. `file` is the path reported.
 */
export function checkReleasedFile(lock: LockFile, file: string, documents: ReadonlyArray<Record<string, unknown>>, location = file): Array<{ file: string; document: string; path: string; message: string }> {
  // The layout is read off `location` (e.g. the absolute path), so a file is recognised whatever directory was named.
  const m = RELEASED_FILE.exec(location.split(path.sep).join('/'));
  const released = m ? releasedEntry(lock, m[1], m[3]) : undefined;
  if (!m || !released) return [];
  const document = `${m[1]} ${m[3]}`;
  if (released.withdrawn) return [{ file, document, path: '', message: `was withdrawn (${released.withdrawn}): remove it` }];
  const actual = contentHash(documents);
  if (actual !== released.sha256) {
    return [{ file, document, path: '', message: `released content changed (lock ${released.sha256.slice(0, 19)}…, file ${actual.slice(0, 19)}…): restore it from version control, or release the change as a new version` }];
  }
  return [];
}

/** Directories of released versions not rendered now: kept from the previous dist/. */
export function keptVersionDirs(bundle: Bundle, lock: LockFile): string[] {
  // What is rendered now (with param values too) is written, not kept.
  const current = bundle.versions;
  const dirs: string[] = [];
  for (const [b, versions] of Object.entries(lock.bundles)) {
    for (const [v, r] of Object.entries(versions)) if (!current.has(`${b}/${v}`) && !r.withdrawn) dirs.push(`${b}/${v}`);
  }
  return dirs.sort();
}

/** CHANGELOG.md per catalog bundle from the lock, newest first. */
export function changelogs(lock: LockFile, bundle: Bundle): Map<string, string> {
  const out = new Map<string, string>();
  const rendered = new Set([...bundle.versions].map((v) => v.slice(0, v.lastIndexOf('/'))));
  for (const [b, versions] of Object.entries(lock.bundles)) {
    if (!rendered.has(b)) continue;
    const lines = [`# Changelog: ${b.split('/').pop()} (${b.split('/').slice(0, -1).join(' ')})`, ''];
    const order = sortVersions(Object.keys(versions));
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i];
      const prev = order[i - 1];
      // A build releases all its outputs together: say when this one did not change.
      const same = prev !== undefined && versions[prev].sha256 === versions[v].sha256 ? [`Content unchanged since ${prev}; released with the build's other outputs.`, ''] : [];
      const withdrawn = versions[v].withdrawn ? [`**Withdrawn:** ${versions[v].withdrawn} It is no longer in this catalog.`, ''] : [];
      lines.push(`## ${v}${versions[v].withdrawn ? ' (withdrawn)' : ''}`, '', ...withdrawn, versions[v].notes, '', ...same, `Content: \`${versions[v].sha256}\``, '');
    }
    out.set(`${b}/CHANGELOG.md`, markdown(lines));
  }
  return out;
}
