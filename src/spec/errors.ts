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
  return out;
}

/** `file:line:col: builds[0].destinations[1]: reason` (parts that are unknown are left out). */
export function formatIssue(i: SpecIssue, file?: string): string {
  const where = [file, i.line, i.col].filter((x) => x !== undefined).join(':');
  const field = formatPath(i.path);
  return [where, field, i.message].filter((x) => x !== '').join(': ');
}

/**
 * A spec or config that breaks a rule. `message` has one line per issue,
 * in the form `file:line:col: field.path: reason`.
 */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  readonly file?: string;
  constructor(issues: readonly SpecIssue[], options: { prefix?: ReadonlyArray<string | number>; file?: string } = {}) {
    const withPrefix = issues.map((i) => ({ ...i, path: [...(options.prefix ?? []), ...i.path] }));
    super(withPrefix.map((i) => formatIssue(i, options.file)).join('\n'));
    this.name = 'SpecError';
    this.issues = withPrefix;
    this.file = options.file;
  }
}
