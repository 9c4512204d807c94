/**
 * kimia's own input validation as an oracle (issue 15 item 2): oracle/main.go calls kimia v1.0.25's
 * internal/validation functions, compiled inside a copy of kimia's module (../shared/kimia; Go's
 * internal-package rule needs the caller inside the module). Expectations computed with it are
 * kimia's answers, not the product's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, goBuild, KIMIA_SRC, kimiaStatus } from './kimia-binary';

export type OracleFn = 'image-name' | 'image-tag' | 'git-ref' | 'buildctl-arg';
export type Oracle = (fn: OracleFn, values: readonly string[]) => Array<string | undefined>;

let built: string | undefined;

/** Builds the oracle (about 2 s) and returns a batch caller: kimia's error per value, undefined when it accepts. */
export function kimiaValidation(): Oracle {
  const st = kimiaStatus();
  if (!st.ok) throw new Error(`kimia's validation is unavailable: ${st.reason}`);
  if (!built) {
    const root = cacheRoot();
    fs.mkdirSync(root, { recursive: true });
    const dir = fs.mkdtempSync(path.join(root, 'oracle-'));
    const src = path.join(dir, 'src');
    fs.cpSync(KIMIA_SRC, src, { recursive: true });
    fs.mkdirSync(path.join(src, 'cmd', 'kimia-bundles-oracle'), { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'oracle', 'main.go'), path.join(src, 'cmd', 'kimia-bundles-oracle', 'main.go'));
    const bin = path.join(dir, 'oracle');
    goBuild(src, bin, root, './cmd/kimia-bundles-oracle'); // kimia's own build, including its go-directive fallback
    built = bin;
  }
  const bin = built;
  return (fn, values) => {
    const input = values.map((value) => JSON.stringify({ fn, value })).join('\n');
    const r = spawnSync(bin, [], { input: `${input}\n`, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`validation oracle failed: ${r.stderr}`);
    const answers = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { error: string }).error || undefined);
    if (answers.length !== values.length) throw new Error(`validation oracle answered ${answers.length} of ${values.length}`);
    return answers;
  };
}
