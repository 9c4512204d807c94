/** Errors about specs and config files, carrying the field path of each problem. */
import * as fs from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { redactSecrets } from './secrets';

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

/**
 * `file:line:col: builds[0].destinations[1]: reason` (parts that are unknown are left out). An issue
 * without a position gets the one of its field in `file` (or of the nearest enclosing field that
 * is written there), so issues found after parsing (rendering, params, lock files) point into the
 * file too. Secret-looking literals are shown by their kind only.
 */
export function formatIssue(i: SpecIssue, file?: string): string {
  const pos = i.line === undefined && file !== undefined ? locateInFile(file, i.path) : undefined;
  const where = [file, i.line ?? pos?.line, i.col ?? pos?.col].filter((x) => x !== undefined).join(':');
  const field = formatPath(i.path);
  return oneLine(redactSecrets([where, field, i.message].filter((x) => x !== '').join(': ')));
}

/**
 * One issue, one line: line breaks and other control characters a quoted value may hold are
 * escaped, and so are the invisible format characters that reorder or hide text on a terminal
 * (bidi embeddings, overrides, isolates and marks, zero-width spaces and joiners, the BOM).
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

type Position = { line: number; col: number };
/** Parsed files by name, with the stat they were parsed at. */
const SOURCES = new Map<string, { stamp: string; locate: (path: ReadonlyArray<PropertyKey>) => Position | undefined }>();

/**
 * A locator for a parsed YAML document: the position of the node at a path, else of its nearest
 * ancestor that exists.
 */
export function yamlLocator(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter) {
  return (path: ReadonlyArray<PropertyKey>): Position | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
    }
    return undefined;
  };
}

/**
 * The position of a field in a YAML or JSON file (read once per version of the file), of its
 * nearest written ancestor, else 1:1; undefined when the file cannot be read.
 */
export function locateInFile(file: string, path: ReadonlyArray<PropertyKey>): Position | undefined {
  let stamp: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > 16 * 1024 * 1024) return undefined;
    stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return undefined;
  }
  let source = SOURCES.get(file);
  if (!source || source.stamp !== stamp) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const lineCounter = new LineCounter();
    // Stryker disable next-line BooleanLiteral: equivalent, both options change only doc.errors, which the locator never reads (yaml: a duplicate key keeps its pair)
    source = { stamp, locate: yamlLocator(parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }), lineCounter) };
    SOURCES.set(file, source);
  }
  return source.locate(path) ?? { line: 1, col: 1 };
}

/**
 * A spec or config that breaks a rule. `message` has one line per issue,
 * in the form `file:line:col: field.path: reason`.
 */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  readonly file?: string;
  constructor(issues: readonly SpecIssue[], options: { prefix?: ReadonlyArray<string | number>; file?: string } = {}) {
    const withPrefix = issues.map((i) => {
      const path = [...(options.prefix ?? []), ...i.path];
      // Issues found after parsing carry no position: take their field's in the file.
      const pos = i.line === undefined && options.file !== undefined ? locateInFile(options.file, path) : undefined;
      return { ...i, path, ...pos };
    });
    super(withPrefix.map((i) => formatIssue(i, options.file)).join('\n'));
    this.name = 'SpecError';
    this.issues = withPrefix;
    this.file = options.file;
  }
}
