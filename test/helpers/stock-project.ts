/**
 * A project laid out as `cdk8s init typescript-app` lays it out, with kimia-bundles installed
 * from its packed tarball, the way a user of the library gets it (issue 13).
 *
 * What is real and what is not:
 * - The template files come from the installed cdk8s-cli (`templates/typescript-app`): its
 *   `tsconfig.json` and `cdk8s.yaml` verbatim, its `package.json` with the `{{ … }}`
 *   placeholders filled in, `jest.config.js` and `.gitignore`. `main.ts` is the caller's (the
 *   README's library snippet); the template's `main.test.ts` tests the template's own `MyChart`,
 *   so it is left out with it. `cdk8s init`'s post-hook (npm install, `cdk8s import k8s`, which
 *   needs the network, compile, test, synth) is not run; the template's main.ts does not use the
 *   k8s import.
 * - kimia-bundles is built from src/ into a staging copy of the package (so a stale lib/ in the
 *   work tree does not matter), packed with `npm pack` (so `files` decides what ships) and the
 *   tarball's contents are unpacked into `node_modules/kimia-bundles`, which is all that
 *   `npm install <tarball>` does with them.
 * - Everything else in `node_modules` (the user's `cdk8s`, `constructs`, `cdk8s-plus-28`, the
 *   template's `cdk8s-plus-33`, `@types/node`, `@types/jest`, and our runtime dependencies) is a
 *   symbolic link to this repository's installed copy (and so is the template's devDependency
 *   `cdk8s-cli`, with its `.bin/cdk8s`, when the caller asks for it): npm's cache holds tarballs but no
 *   packuments, so an `npm install --offline` cannot resolve ranges, and a networked install
 *   would make CI depend on the registry. `@types/node` is this repository's (20.x, engines
 *   `node >=20`), not the template's `^14`.
 * - `tsc` is this repository's TypeScript 5.9 (the template pins `5.9.x`) run in the project with
 *   the template's tsconfig, so no `skipLibCheck`, no `esModuleInterop`, `lib: [es2016]`.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
const TEMPLATE = path.join(REPO, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** The packages a user's project holds beside ours (symbolic links to this repository's copies). */
export const USER_PACKAGES = ['cdk8s', 'constructs', 'cdk8s-plus-28', 'cdk8s-plus-33', '@types/node', '@types/jest'] as const;

/** Wall time of each step, in ms. */
export type Timings = Record<string, number>;

function timed<T>(timings: Timings, step: string, f: () => T): T {
  const start = process.hrtime.bigint();
  try {
    return f();
  } finally {
    timings[step] = Number((process.hrtime.bigint() - start) / 1_000_000n);
  }
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', CDK8S_CHECK_UPGRADE: 'false', ...env },
  });
  if (r.error) throw r.error;
  return r;
}

function mustRun(cmd: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function installedVersion(pkg: string): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The ```ts block under `## Library API` in the README, verbatim. */
export function readmeLibrarySnippet(readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Library API\n'));
  const m = section && /^```ts\n([\s\S]*?)^```$/m.exec(section);
  if (!m) throw new Error('README.md: no ```ts block under "## Library API"');
  return m[1];
}

export interface PackedPackage {
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The paths in the tarball (relative to the package root). */
  readonly files: readonly string[];
}

/**
 * Builds src/ (tsconfig.build.json) into a staging copy of the package and packs it:
 * the staging copy holds package.json, README.md, LICENSE and every non-lib entry of `files`.
 */
export function packPackage(workDir: string, timings: Timings = {}): PackedPackage {
  const stage = path.join(workDir, 'stage');
  fs.mkdirSync(stage, { recursive: true });
  timed(timings, 'build (tsc -p tsconfig.build.json)', () =>
    mustRun(process.execPath, [TSC, '-p', path.join(REPO, 'tsconfig.build.json'), '--outDir', path.join(stage, 'lib')], REPO));
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { files?: string[] };
  const entries = new Set(['package.json', 'README.md', 'LICENSE']);
  for (const f of pkg.files ?? []) if (!f.startsWith('!') && !f.startsWith('lib/') && f !== 'lib') entries.add(f);
  for (const e of entries) if (fs.existsSync(path.join(REPO, e))) fs.cpSync(path.join(REPO, e), path.join(stage, e), { recursive: true });
  const out = timed(timings, 'npm pack', () =>
    mustRun('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], stage));
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(workDir, info.filename), files: info.files.map((f) => f.path) };
}

export interface TscDiagnostic {
  /** Relative to the project (e.g. `node_modules/zod/v4/core/core.d.cts`), or '' for global ones. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: string;
  readonly message: string;
}

/**
 * A file as the project sees it: the linked packages resolve to this repository's copies
 * (`../../work/…/node_modules/zod/…`), shown as `node_modules/zod/…`.
 */
function projectPath(file: string): string {
  const i = file.indexOf('node_modules/');
  return i >= 0 ? file.slice(i) : file;
}

/** Parses `tsc --pretty false` output (continuation lines are folded into the message). */
export function parseTscOutput(out: string): TscDiagnostic[] {
  const diags: TscDiagnostic[] = [];
  for (const line of out.split('\n')) {
    const m = /^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line) ?? /^()()()error (TS\d+): (.*)$/.exec(line);
    if (m) diags.push({ file: projectPath(m[1]), line: Number(m[2] || 0), col: Number(m[3] || 0), code: m[4], message: m[5] });
    else if (line.trim() && diags.length) {
      const last = diags[diags.length - 1];
      diags[diags.length - 1] = { ...last, message: `${last.message}\n${line}` };
    }
  }
  return diags;
}

export interface StockProject {
  readonly dir: string;
  readonly timings: Timings;
  /**
   * `tsc` with the template's tsconfig (what the template's `compile` script, `tsc --build`, does).
   * With `emitOnError`, JavaScript is written even when there are type errors (so the app can
   * still be run while errors are expected); the diagnostics are the same either way.
   */
  tsc(options?: { emitOnError?: boolean }): { status: number | null; output: string; diagnostics: TscDiagnostic[] };
  /** Runs a command in the project. */
  run(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** Deletes the project (and the staging copy and tarball). */
  cleanup(): void;
}

export interface StockProjectOptions {
  /** The app (main.ts). */
  readonly mainTs: string;
  /** The project's name (the template's `{{ $base }}`). */
  readonly name?: string;
  /**
   * Also link the template's devDependency `cdk8s-cli` (this repository's copy, the version the
   * template comes from) with its `node_modules/.bin/cdk8s`, so `npx cdk8s …` runs it offline.
   */
  readonly cdk8sCli?: boolean;
  /**
   * Also link the template's devDependencies `ts-node` and `typescript` (this repository's copies)
   * with `node_modules/.bin/ts-node`, so the template's `app: npx ts-node main.ts` runs offline.
   */
  readonly tsNode?: boolean;
  /** A tarball packed already (by `packPackage`), to install instead of packing again; the caller deletes it. */
  readonly packed?: PackedPackage;
}

/** Creates the project in a new temporary directory. */
export function createStockProject(options: StockProjectOptions): StockProject & { readonly packed: PackedPackage } {
  const timings: Timings = {};
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-stock-'));
  try {
    const packed = options.packed ?? packPackage(root, timings);
    const dir = path.join(root, options.name ?? 'stock-app');
    timed(timings, 'project layout + install', () => {
      writeTemplate(dir, options.name ?? 'stock-app');
      fs.writeFileSync(path.join(dir, 'main.ts'), options.mainTs);
      const nm = path.join(dir, 'node_modules');
      for (const p of [...USER_PACKAGES, ...ourDependencies()]) {
        fs.mkdirSync(path.dirname(path.join(nm, p)), { recursive: true });
        fs.symlinkSync(path.join(REPO, 'node_modules', p), path.join(nm, p), 'dir');
      }
      if (options.cdk8sCli) {
        fs.symlinkSync(path.join(REPO, 'node_modules', 'cdk8s-cli'), path.join(nm, 'cdk8s-cli'), 'dir');
        fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
        fs.symlinkSync(path.join('..', 'cdk8s-cli', 'bin', 'cdk8s'), path.join(nm, '.bin', 'cdk8s'));
      }
      if (options.tsNode) {
        for (const p of ['ts-node', 'typescript']) fs.symlinkSync(path.join(REPO, 'node_modules', p), path.join(nm, p), 'dir');
        fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
        fs.symlinkSync(path.join('..', 'ts-node', 'dist', 'bin.js'), path.join(nm, '.bin', 'ts-node'));
      }
      const ours = path.join(nm, 'kimia-bundles');
      fs.mkdirSync(ours, { recursive: true });
      mustRun('tar', ['-xzf', packed.tarball, '-C', ours, '--strip-components=1'], dir);
    });
    return {
      dir, timings, packed,
      tsc: ({ emitOnError = false } = {}) => timed(timings, 'tsc (template tsconfig)', () => {
        const r = run(process.execPath, [TSC, '-p', '.', '--pretty', 'false', ...(emitOnError ? ['--noEmitOnError', 'false'] : [])], dir);
        const output = `${r.stdout}${r.stderr}`;
        return { status: r.status, output, diagnostics: parseTscOutput(output) };
      }),
      run: (cmd, args, env) => run(cmd, args, dir, env),
      cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
    };
  } catch (e) {
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/** The template's `main.ts` with its placeholder filled in (an app of one empty chart). */
export function templateMainTs(name = 'stock-app'): string {
  return fs.readFileSync(path.join(TEMPLATE, 'main.ts'), 'utf8').replace(/\{\{\s*\$base\s*\}\}/g, name);
}

/** Our package's runtime dependencies (symbolic links, as npm would hoist them). */
function ourDependencies(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {});
}

/** The template's files, with its placeholders filled in as `cdk8s init` fills them. */
function writeTemplate(dir: string, name: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const values: Record<string, string> = {
    $base: name,
    cdk8s_core_version: installedVersion('cdk8s'),
    cdk8s_plus_version: installedVersion('cdk8s-plus-33'),
    constructs_version: installedVersion('constructs'),
    cdk8s_cli_spec: `^${installedVersion('cdk8s-cli')}`,
  };
  const fill = (text: string) => text.replace(/\{\{\s*([$\w]+)\s*\}\}/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`cdk8s template: unknown placeholder ${whole}`);
    return values[key];
  });
  for (const file of ['tsconfig.json', 'cdk8s.yaml', 'jest.config.js', 'package.json']) {
    fs.writeFileSync(path.join(dir, file), fill(fs.readFileSync(path.join(TEMPLATE, file), 'utf8')));
  }
  fs.writeFileSync(path.join(dir, '.gitignore'), fs.readFileSync(path.join(TEMPLATE, '{{}}.gitignore'), 'utf8'));
  // The user adds what our package needs beside the template's cdk8s-plus-33 (README: install).
  const pkgFile = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies['cdk8s-plus-28'] = `^${installedVersion('cdk8s-plus-28')}`;
  pkg.dependencies['kimia-bundles'] = 'file:kimia-bundles.tgz';
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
}
