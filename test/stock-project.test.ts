/**
 * Issue 13: the packed package in a project laid out by `cdk8s init typescript-app`
 * (test/helpers/stock-project.ts says what is real there and what is linked), with the README's
 * library snippet as its main.ts, type-checked with the template's tsconfig and run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createStockProject, readmeLibrarySnippet, type StockProject, type TscDiagnostic } from './helpers/stock-project';

jest.setTimeout(180_000);

const started = Date.now();
let project: StockProject;
let diagnostics: TscDiagnostic[];
let tscStatus: number | null;

/** zod's CommonJS declarations default-import its locales, which needs `esModuleInterop` (TS1259). */
const isZodInteropError = (d: TscDiagnostic) => d.file.startsWith('node_modules/zod/') && d.code === 'TS1259';
const show = (ds: readonly TscDiagnostic[]) => ds.map((d) => `${d.file}(${d.line},${d.col}): ${d.code}: ${d.message}`).join('\n');

beforeAll(() => {
  project = createStockProject({ mainTs: readmeLibrarySnippet() });
  // Emits main.js even with type errors, so the app can be run while the zod errors remain.
  const r = project.tsc({ emitOnError: true });
  diagnostics = r.diagnostics;
  tscStatus = r.status;
});

afterAll(() => {
  const total = Date.now() - started;
  // eslint-disable-next-line no-console
  console.log(`stock project (${project?.dir}): ${JSON.stringify({ ...project?.timings, total })} ms`);
  project?.cleanup();
});

describe('a project laid out by cdk8s init typescript-app', () => {
  it('uses the template tsconfig unchanged: no skipLibCheck, no esModuleInterop', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(project.dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions.skipLibCheck).toBeUndefined();
    expect(tsconfig.compilerOptions.esModuleInterop).toBeUndefined();
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noUnusedLocals: true, noUnusedParameters: true, lib: ['es2016'] });
    expect(fs.readFileSync(path.join(project.dir, 'cdk8s.yaml'), 'utf8')).toContain('app: npx ts-node main.ts');
    expect(fs.readFileSync(path.join(project.dir, 'main.ts'), 'utf8')).toBe(readmeLibrarySnippet());
  });

  it('installs our package from the tarball, with one copy of each peer', () => {
    const ours = path.join(project.dir, 'node_modules', 'kimia-bundles');
    expect(fs.lstatSync(ours).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(ours, 'node_modules'))).toBe(false);
    const script = `
      const from = (dir) => (m) => require('fs').realpathSync(require.resolve(m, { paths: [dir] }));
      const ours = require('path').dirname(require.resolve('kimia-bundles/package.json'));
      const out = {};
      for (const m of ['constructs', 'cdk8s', 'cdk8s-plus-28']) out[m] = [from(process.cwd())(m), from(ours)(m)];
      out.schema = require.resolve('kimia-bundles/schema/kimia-bundles.schema.json');
      try { require.resolve('kimia-bundles/lib/src/oci/registry.js'); out.internal = 'exported'; } catch (e) { out.internal = e.code; }
      console.log(JSON.stringify(out));`;
    const r = project.run(process.execPath, ['-e', script]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const m of ['constructs', 'cdk8s', 'cdk8s-plus-28']) {
      const [user, ourCopy] = out[m] as [string, string];
      expect(ourCopy).toBe(user);
    }
    expect(out.schema).toBe(fs.realpathSync(path.join(ours, 'schema', 'kimia-bundles.schema.json')));
    expect(out.internal).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks except for zod: no error from our declarations, the README snippet or DOM types', () => {
    const others = diagnostics.filter((d) => !isZodInteropError(d));
    if (diagnostics.length) {
      // eslint-disable-next-line no-console
      const counts = new Map<string, number>();
      for (const d of diagnostics) counts.set(`${d.file} ${d.code}`, (counts.get(`${d.file} ${d.code}`) ?? 0) + 1);
      console.log(`tsc (template tsconfig) exit ${tscStatus}, ${diagnostics.length} errors:\n${[...counts].map(([k, n]) => `  ${n} × ${k}`).join('\n')}\nfirst: ${show(diagnostics.slice(0, 2))}`);
    }
    expect(show(others)).toBe('');
  });

  it('type-checks with no error at all: the public declarations hold no zod or DOM type (issue 13 item 2)', () => {
    expect(show(diagnostics)).toBe('');
    expect(tscStatus).toBe(0);
  });

  it('type-checks with skipLibCheck too', () => {
    const r = project.run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.', '--noEmit', '--pretty', 'false', '--skipLibCheck']);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs the app: the snippet synthesizes the kimia build Job', () => {
    const outdir = path.join(project.dir, 'dist');
    const r = project.run(process.execPath, ['main.js'], { CDK8S_OUTDIR: outdir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = fs.readdirSync(outdir);
    expect(files).toEqual(['builds.k8s.yaml']);
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, files[0]), 'utf8')).map((d) => d.toJS() as Record<string, any>);
    const jobs = docs.filter((d) => d.kind === 'Job');
    expect(jobs).toHaveLength(1);
    expect(jobs[0].apiVersion).toBe('batch/v1');
    const containers = [...(jobs[0].spec.template.spec.initContainers ?? []), ...jobs[0].spec.template.spec.containers] as Array<{ image: string; args?: string[] }>;
    const builder = containers.find((c) => c.image === 'ghcr.io/rapidfort/kimia:1.0.25');
    expect(builder?.args).toEqual(expect.arrayContaining(['--destination=registry.io/myapp:v1', '--attestation=max']));
  });
});
