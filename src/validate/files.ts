/**
 * Validation of YAML on disk (ours or hand-written): every `.yaml`/`.yml` under the given
 * directories and files, through the same gate as rendering.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { documentName, validateDocuments } from './gate';
import { formatBundleIssue, type BundleIssue } from './issues';

/** What a run looked at and found. */
export interface FilesReport {
  readonly files: number;
  readonly documents: number;
  readonly issues: readonly BundleIssue[];
}

/** YAML files under `target` (a file or a directory), as [absolute path, path shown in findings]. */
function yamlFiles(target: string): Array<[string, string]> {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [[target, target]];
  const out: Array<[string, string]> = [];
  const walk = (dir: string) => {
    // Stryker disable next-line EqualityOperator: equivalent, names in one directory are unique, so a <= b is a < b
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p); }
      else if (/\.ya?ml$/.test(e.name)) out.push([p, path.relative(target, p).split(path.sep).join('/')]);
    }
  };
  walk(target);
  return out;
}

export interface ValidateFilesOptions {
  /** More checks per file (path as reported, parsed documents, absolute path), e.g. the version lock. */
  readonly check?: (file: string, documents: ReadonlyArray<Record<string, unknown>>, absolute: string) => BundleIssue[];
}

/** Parses one YAML text and runs the gate over its documents; `shown` is the path findings name. */
function validateText(shown: string, text: string, issues: BundleIssue[]): Array<Record<string, unknown>> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const parsed: Array<Record<string, unknown>> = [];
  docs.forEach((d, i) => {
    if (d.errors.length) {
      const e = d.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      issues.push({ file: `${shown}:${pos.line}:${pos.col}`, document: `document #${i + 1}`, path: '', message: `malformed YAML: ${e.message.split('\n')[0]}` });
      return;
    }
    const js = d.toJS();
    if (js === null) return; // an empty document; toJS() of a parsed one is never undefined
    if (typeof js !== 'object' || Array.isArray(js)) {
      issues.push({ file: shown, document: documentName(js, i), path: '', message: 'a Kubernetes document must be a mapping' });
      return;
    }
    parsed.push(js);
  });
  issues.push(...validateDocuments(shown, parsed));
  return parsed;
}

/**
 * Validates YAML files. Paths inside a directory are reported relative to it, so catalog
 * rules see `tekton/task/<name>/<version>/<name>.yaml` when given `dist/`.
 * @throws Error naming a path that does not exist
 */
export function validateFiles(targets: readonly string[], options: ValidateFilesOptions = {}): FilesReport {
  const issues: BundleIssue[] = [];
  let files = 0;
  let documents = 0;
  for (const target of targets) {
    if (!fs.existsSync(target)) throw new Error(`${target}: no such file or directory`);
    for (const [abs, shown] of yamlFiles(target)) {
      files++;
      const parsed = validateText(shown, fs.readFileSync(abs, 'utf8'), issues);
      documents += parsed.length;
      if (options.check) issues.push(...options.check(shown, parsed, path.resolve(abs)));
    }
  }
  return { files, documents, issues };
}

/** Validates YAML texts held in memory (e.g. the files of an artifact), each under the path it is reported as. */
export function validateTexts(files: ReadonlyArray<{ readonly path: string; readonly text: string }>): FilesReport {
  const issues: BundleIssue[] = [];
  let documents = 0;
  for (const f of files) documents += validateText(f.path, f.text, issues).length;
  return { files: files.length, documents, issues };
}

/**
 * The gate `bundle` and `push` run over what they package, in the shape src/oci takes it
 * (OciCommandDeps.gate; src/oci does not import this module): one `file: Kind/name: path: message`
 * line per finding.
 */
export const packagingGate = {
  texts: (files: ReadonlyArray<{ readonly path: string; readonly text: string }>): string[] => validateTexts(files).issues.map(formatBundleIssue),
  documents: (file: string, documents: ReadonlyArray<Record<string, unknown>>): string[] => validateDocuments(file, documents).map(formatBundleIssue),
};
