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
  return oneLine([where, field, i.message].filter((x) => x !== '').join(': '));
}

/** One issue, one line: line breaks and other control characters a quoted value may hold are escaped. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
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
