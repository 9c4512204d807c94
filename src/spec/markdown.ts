/** Markdown helpers for generated READMEs. */
import { yamlText } from './yaml-text';

/** A table cell: pipes escaped, newlines flattened. */
export const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Inline code for a value (JSON for non-strings and the empty string). */
export const code = (v: unknown) => (v === undefined ? '' : `\`${cell(typeof v === 'string' && v !== '' ? v : JSON.stringify(v))}\``);

/** A Markdown table, or "_None._" without rows. */
export function table(head: string[], rows: unknown[][]): string {
  if (!rows.length) return '_None._';
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** A fenced YAML block of a document, keys in the order written. */
export const yamlBlock = (doc: unknown) => ['```yaml', yamlText(doc, { sortKeys: false }).trimEnd(), '```'].join('\n');

/** Joins lines into a document: no double blank lines, one trailing newline. */
// Stryker disable next-line ArithmeticOperator: equivalent, keeping the first or the last blank line of a run leaves the same text
export const markdown = (lines: string[]) => `${lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n').trimEnd()}\n`;
