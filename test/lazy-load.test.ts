/**
 * Issue 13 item 8: a user's app with one KimiaBuildJob loads only what the Job needs. In a project
 * laid out by `cdk8s init typescript-app` with the packed package installed, a child `node`
 * requires the package root, renders a KimiaBuildJob and synthesizes; then `require.cache` holds
 * our spec/ and job/ modules, cdk8s, constructs, cdk8s-plus-28, zod and yaml, and none of the
 * Tekton or Argo constructs and CRD imports, bundles, output, validators (ajv), cdk8s plugin, CLI,
 * OCI client or policies. Those load on first use of their names, which are the same values as
 * their modules' own. (What this saves in time is measured by `npm run bench`, bench/user-synth.ts.)
 */
import { createStockProject, readmeLibrarySnippet, type StockProject } from './helpers/stock-project';

let project: StockProject;
beforeAll(() => {
  project = createStockProject({ mainTs: readmeLibrarySnippet() });
}, 180_000);
afterAll(() => project?.cleanup());

/** Runs a script in a child node in the project; it prints JSON on its last line. */
function node<T>(script: string): T {
  const r = project.run(process.execPath, ['-e', script]);
  if (r.status !== 0) throw new Error(`node exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

/** What require.cache holds: our files (relative to the package) and the other packages by name. */
const LOADED = `
const path = require('node:path');
const ours = path.dirname(require.resolve('kimia-bundles/package.json'));
const loaded = () => {
  const files = Object.keys(require.cache);
  return {
    ours: files.filter((f) => f.startsWith(ours + path.sep)).map((f) => path.relative(ours, f)).sort(),
    packages: [...new Set(files.filter((f) => !f.startsWith(ours + path.sep)).map((f) => (/[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f) || [])[1]).filter(Boolean))].sort(),
  };
};
`;

const JOB_APP = `
const { App, Chart } = require('cdk8s');
const kimia = require('kimia-bundles');
const app = new App({ outdir: require('node:os').tmpdir() + '/kimia-lazy-' + process.pid });
const chart = new Chart(app, 'builds');
new kimia.KimiaBuildJob(chart, 'myapp', {
  spec: { name: 'myapp', context: { git: { url: 'https://github.com/myorg/myapp.git' } }, destinations: ['registry.io/myapp:v1'], attestation: 'max' },
  params: {},
});
app.synth();
require('node:fs').rmSync(app.outdir, { recursive: true, force: true });
`;

describe('requiring the package root (the packed package in a stock cdk8s project)', () => {
  it('a KimiaBuildJob app loads spec/, job/, cdk8s, constructs, cdk8s-plus-28, zod and yaml only', () => {
    const r = node<{ ours: string[]; packages: string[]; kinds: string[] }>(`${LOADED}${JOB_APP}
      console.log(JSON.stringify({ ...loaded(), kinds: chart.toJson().map((d) => d.kind) }));`);
    expect(r.kinds).toContain('Job');
    expect(r.ours).toContain('lib/src/index.js');
    expect(r.ours.filter((f) => !/^lib\/src\/(index\.js|spec\/.*|job\/.*)$/.test(f))).toEqual([]);
    expect(r.packages).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs', 'yaml', 'zod']);
  });

  it('lists every name without loading it; each name loads its module on first use and is that module\'s value', () => {
    const r = node<{ keys: string[]; before: string[]; after: Record<string, string[]>; same: Record<string, boolean> }>(`${LOADED}
      const kimia = require('kimia-bundles');
      const keys = Object.keys(kimia);
      const before = loaded().ours;
      const lib = (m) => require(path.join(ours, 'lib', 'src', m));
      const cases = {
        KimiaWorkflowTemplate: ['argo/template', 'KimiaWorkflowTemplate'],
        KimiaBuildTask: ['tekton/task', 'KimiaBuildTask'],
        renderBundle: ['bundle/render', 'renderBundle'],
        validateFiles: ['validate/files', 'validateFiles'],
        KimiaBundlesValidation: ['cdk8s-plugin', 'KimiaBundlesValidation'],
        runCli: ['cli/main', 'run'],
        // The classes a user catches with instanceof are the classes the library throws.
        BundleValidationError: ['validate/issues', 'BundleValidationError'],
        OutputRefusedError: ['output/owned', 'OutputRefusedError'],
      };
      const after = {}, same = {};
      for (const [name, [m, inner]] of Object.entries(cases)) {
        const value = kimia[name];
        after[name] = loaded().ours;
        same[name] = typeof value === 'function' && value === lib(m)[inner];
      }
      console.log(JSON.stringify({ keys, before, after, same }));`);
    expect(r.keys).toEqual(expect.arrayContaining(['KimiaBuildJob', 'KimiaWorkflowTemplate', 'renderBundle', 'runCli', 'KimiaBundlesValidation', 'BundleValidationError']));
    expect(r.before.filter((f) => !/^lib\/src\/(index\.js|spec\/.*|job\/.*)$/.test(f))).toEqual([]);
    expect(r.after.KimiaWorkflowTemplate).toContain('lib/src/argo/template.js');
    expect(r.after.KimiaWorkflowTemplate).toContain('lib/imports/argo-workflowtemplate-argoproj.io.js');
    expect(r.after.KimiaWorkflowTemplate.some((f) => f.startsWith('lib/src/validate/'))).toBe(false);
    expect(r.after.KimiaBuildTask).toContain('lib/src/tekton/task.js');
    expect(r.after.validateFiles).toContain('lib/src/validate/files.js');
    expect(r.after.runCli).toContain('lib/src/cli/main.js');
    expect(r.same).toEqual({
      KimiaWorkflowTemplate: true, KimiaBuildTask: true, renderBundle: true, validateFiles: true, KimiaBundlesValidation: true, runCli: true,
      BundleValidationError: true, OutputRefusedError: true,
    });
  });
});
