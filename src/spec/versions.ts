/**
 * Dotted version numbers as this project writes them (a build's `version`, 0.1 or 1.2.3; Tekton's
 * `tekton.dev/pipelines.minVersion`, X.Y.Z): one order for the lock, the catalog and the engines.
 */

/** The numbers of a dotted version: 1.2.3 -> [1, 2, 3]. */
const parts = (v: string) => v.split('.').map((n) => Number(n));
export { parts as versionParts };

/** Semver order of two versions: negative, zero or positive (0.9 < 0.10; 0.1 = 0.1.0). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  // Stryker disable next-line EqualityOperator: one part past the longer version is 0 in both
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Versions in ascending semver order (0.1 < 0.2 < 0.10 < 1.0.0). */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(compareVersions);
}
