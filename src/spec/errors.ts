/** Errors about specs and config files, carrying the field path of each problem. */

export interface SpecIssue {
  /** Path of the offending field, e.g. `['builds', 0, 'destinations', 1]`. */
  readonly path: ReadonlyArray<string | number | symbol>;
  readonly message: string;
  /** 1-based line and column in the source file, when known. */
  readonly line?: number;
  readonly col?: number;
}

/** Formats a field path as `builds[0].buildArgs.VERSION`. */
export function formatPath(path: ReadonlyArray<string | number | symbol>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_$][\w$-]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(root)';
}

/** A spec or config that breaks a rule. `message` lists one `path: reason` line per issue. */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[], prefix: ReadonlyArray<string | number> = []) {
    const withPrefix = issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
    super(withPrefix.map(formatIssue).join('\n'));
    this.name = 'SpecError';
    this.issues = withPrefix;
  }
}

/** `builds[0].destinations[1]: repository "X" must be lowercase` */
export function formatIssue(i: SpecIssue): string {
  const where = i.line !== undefined ? ` (line ${i.line}, col ${i.col})` : '';
  return `${formatPath(i.path)}${where}: ${i.message}`;
}
