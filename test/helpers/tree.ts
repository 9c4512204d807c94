import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every entry under `dir` with its type, mode and content (directories as `rel/`, links as
 * `-> target`): a change anywhere, content or mode, shows in a comparison.
 */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      const rel = path.relative(dir, p);
      const mode = (st.mode & 0o7777).toString(8);
      if (e.isDirectory()) { out[`${rel}/`] = mode; walk(p); } else out[rel] = `${mode} ${e.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : fs.readFileSync(p, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}
