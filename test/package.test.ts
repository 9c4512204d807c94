/**
 * Issue 13 item 7: what `npm pack` puts in the package, and the package.json fields a user's
 * install and tooling read. Runs `npm pack --dry-run` on this work tree, so lib/ must be built
 * (`npm ci` builds it through `prepare`; else `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-28'];

interface PackageJson {
  name: string; version: string; license: string; main: string; types: string;
  keywords?: string[]; homepage?: string; bugs?: { url: string }; repository?: { type: string; url: string };
  bin: Record<string, string>; files: string[]; exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as PackageJson;

let files: string[];

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO, 'lib', 'src', 'index.js'))) throw new Error('lib/ is not built: run `npm run build` first');
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) throw new Error(`npm pack --dry-run exited ${r.status}: ${r.stderr}`);
  files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
}, 60_000);

describe('npm pack', () => {
  it('ships the license, README, entry points, CLI, CRD classes and JSON schema', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/cdk8s-plugin.js',
      'bin/kimia-bundles.js', 'schema/kimia-bundles.schema.json']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => f.startsWith('lib/imports/') && f.endsWith('.js'))).toBe(true);
    // Everything the CLI and the entry points require is shipped.
    for (const target of [pkg.main, pkg.types, ...Object.values(pkg.bin)]) expect(files).toContain(path.posix.normalize(target));
  });

  it('ships nothing else: no tests, sources, scratch files, dist/ catalog, source maps or dependencies', () => {
    const unexpected = files.filter((f) =>
      /^(test|src|dist|examples|scripts|bench|imports|cdk8s\.out|\.ci|\.scratch|coverage)\//.test(f) ||
      /(^|\/)(node_modules|\.scratch)(\/|$)/.test(f) ||
      /\.test\.|\.spec\.|\.map$|\.tsbuildinfo$/.test(f) ||
      (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
      !/^(LICENSE|README\.md|package\.json|bin\/[^/]+\.js|schema\/[^/]+\.json|lib\/(src|imports)\/.+\.(js|d\.ts|json))$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('ships no stale build output: every lib/ file has its source', () => {
    const stale = files.filter((f) => f.startsWith('lib/'))
      .map((f) => f.slice('lib/'.length).replace(/\.d\.ts$|\.js$/, '.ts'))  // a .json is copied as it is
      .filter((src) => !fs.existsSync(path.join(REPO, src)));
    // A file listed here is left over from a deleted source: `npm run build` starts from an empty lib/.
    expect(stale).toEqual([]);
  });

  it('names no path of this machine in any shipped file', () => {
    const leaking = files.filter((f) => fs.readFileSync(path.join(REPO, f), 'utf8').includes(REPO));
    expect(leaking).toEqual([]);
  });

  it('LICENSE is the Apache License 2.0 the package declares', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});

describe('package.json', () => {
  it('describes the package: repository, homepage, bugs, keywords', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/) });
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\/github\.com\/.*\/issues$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk8s', 'kubernetes', 'kimia', 'tekton', 'argo-workflows']));
  });

  it('cdk8s, constructs and cdk8s-plus-28 are peers (one copy in a user project), also installed for our own build', () => {
    for (const p of PEERS) {
      expect(pkg.dependencies[p]).toBeUndefined();
      expect(pkg.peerDependencies?.[p]).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(pkg.devDependencies[p]).toBe(pkg.peerDependencies?.[p]);
      // The version we build and test with is inside the range we declare.
      const installed = (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
      const [floor, have] = [pkg.peerDependencies![p].slice(1), installed].map((v) => v.split('.').map(Number));
      expect(have[0]).toBe(floor[0]);
      expect(have[1] * 1e6 + have[2]).toBeGreaterThanOrEqual(floor[1] * 1e6 + floor[2]);
    }
  });

  it('exports the root (types + require), package.json and the JSON schema, and nothing else', () => {
    expect(pkg.exports).toEqual({
      '.': { types: './lib/src/index.d.ts', require: './lib/src/index.js', default: './lib/src/index.js' },
      './package.json': './package.json',
      './schema/kimia-bundles.schema.json': './schema/kimia-bundles.schema.json',
    });
    for (const target of Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) {
      expect(files).toContain(path.posix.normalize(target));
    }
    // Resolved by Node itself (the package referring to itself by name goes through `exports`).
    const script = `
      const out = {};
      for (const s of ['kimia-bundles', 'kimia-bundles/package.json', 'kimia-bundles/schema/kimia-bundles.schema.json', 'kimia-bundles/lib/src/index.js']) {
        try { out[s] = require('path').relative(process.cwd(), require.resolve(s)); } catch (e) { out[s] = e.code; }
      }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual({
      'kimia-bundles': 'lib/src/index.js',
      'kimia-bundles/package.json': 'package.json',
      'kimia-bundles/schema/kimia-bundles.schema.json': 'schema/kimia-bundles.schema.json',
      'kimia-bundles/lib/src/index.js': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  });

  it('files lists what is shipped', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['lib/src', 'lib/imports', 'bin', 'schema', 'LICENSE', 'README.md']));
  });
});
