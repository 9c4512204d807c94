/**
 * Issue 13 item 5: the validation plugin in a user's repository. In the project
 * test/helpers/stock-project.ts lays out (`cdk8s init typescript-app`, our packed tarball), the
 * README's `cdk8s.yaml` snippet is added to the template's cdk8s.yaml and `npx cdk8s synth` runs.
 *
 * Offline, and proven to download nothing: cdk8s-cli installs a plugin by shelling out to
 * `npm install <pkg>@<version> --prefix <plugins dir>/<pkg>/<version>`
 * (node_modules/cdk8s-cli/lib/plugins/_manager.js:95-110). Here `npm` on PATH is a stand-in that
 * records its arguments and fails, the plugins directory is a fresh one (`--plugins-dir`), HOME is
 * a temporary directory and npm's registry is an unreachable address. The snippet's run must leave
 * no record and an empty plugins directory; the control run with `package: kimia-bundles` shows
 * the stand-in catches the install cdk8s-cli attempts.
 *
 * The app is compiled with the template's tsconfig (its `compile` script) and run as `node main.js`
 * (`--app`): the template's `npx ts-node main.ts` needs ts-node, which the harness does not link,
 * and would stop on the zod declaration errors test/stock-project.test.ts tracks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createStockProject, type StockProject } from './helpers/stock-project';

jest.setTimeout(180_000);

/** Two builds with one name (the second's name can be changed through SECOND_BUILD). */
const MAIN_TS = `import { App, Chart } from 'cdk8s';
import { KimiaBuildJob } from 'kimia-bundles';

const app = new App();
const chart = new Chart(app, 'builds');
for (const [id, name] of [['first', 'myapp'], ['second', process.env.SECOND_BUILD || 'myapp']]) {
  new KimiaBuildJob(chart, id, {
    spec: { name, context: { git: { url: 'https://github.com/myorg/myapp.git' } }, destinations: ['registry.io/myapp:v1'] },
    params: {},
  });
}
app.synth();
`;

/** The ```yaml block with `validations:` in the README section on the plugin, verbatim. */
function readmePluginSnippet(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split(/^#+ /m).find((s) => s.startsWith('The validation plugin in your `cdk8s.yaml`\n'));
  const m = section && /^```yaml\n(validations:[\s\S]*?)^```$/m.exec(section);
  if (!m) throw new Error('README.md: no ```yaml validations block under "The validation plugin in your `cdk8s.yaml`"');
  return m[1];
}

const started = Date.now();
let project: StockProject;
let templateYaml: string;
let stub: string;

interface SynthRun { status: number | null; stdout: string; stderr: string; report?: any; npmCalls: string[]; pluginsDir: string[] } // eslint-disable-line @typescript-eslint/no-explicit-any

const timings: Record<string, number> = {};
let runs = 0;
/** `npx cdk8s synth` in the project with `validations` as given, offline, with a stand-in npm. */
function synth(validations: string, env: NodeJS.ProcessEnv = {}): SynthRun {
  const n = ++runs;
  fs.writeFileSync(path.join(project.dir, 'cdk8s.yaml'), `${templateYaml}${validations}`);
  const pluginsDir = path.join(stub, `plugins-${n}`);
  const npmLog = path.join(stub, `npm-${n}.log`);
  const reportFile = path.join(stub, `report-${n}.json`);
  fs.mkdirSync(pluginsDir);
  const start = Date.now();
  const r = project.run('npx', ['--offline', 'cdk8s', 'synth', '--app', 'node main.js', '--plugins-dir', pluginsDir, '--validation-reports-output-file', reportFile], {
    PATH: `${path.join(stub, 'bin')}${path.delimiter}${process.env.PATH}`,
    HOME: path.join(stub, 'home'),
    NPM_STUB_LOG: npmLog,
    npm_config_registry: 'http://127.0.0.1:9/',
    ...env,
  });
  timings[`synth ${n}`] = Date.now() - start;
  return {
    status: r.status, stdout: r.stdout, stderr: r.stderr,
    report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined,
    npmCalls: fs.existsSync(npmLog) ? fs.readFileSync(npmLog, 'utf8').trim().split('\n') : [],
    pluginsDir: fs.readdirSync(pluginsDir),
  };
}

beforeAll(() => {
  project = createStockProject({ mainTs: MAIN_TS, cdk8sCli: true });
  project.tsc({ emitOnError: true });
  templateYaml = fs.readFileSync(path.join(project.dir, 'cdk8s.yaml'), 'utf8');
  stub = path.join(path.dirname(project.dir), 'plugin-test');
  fs.mkdirSync(path.join(stub, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(stub, 'home'));
  // `npx` is its own script (it does not go through `npm` on PATH); cdk8s-cli's `npm install` does.
  fs.writeFileSync(path.join(stub, 'bin', 'npm'), '#!/bin/sh\necho "$*" >> "$NPM_STUB_LOG"\necho "npm stand-in: no network here" >&2\nexit 1\n', { mode: 0o755 });
});

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`stock project plugin (${project?.dir}): ${JSON.stringify({ ...project?.timings, ...timings, total: Date.now() - started })} ms`);
  project?.cleanup();
});

describe('the README cdk8s.yaml snippet in a cdk8s init typescript-app project', () => {
  let run: SynthRun;
  beforeAll(() => { run = synth(readmePluginSnippet()); });

  it('loads the installed package: no npm install, nothing in the plugins directory', () => {
    expect(readmePluginSnippet()).toMatch(/^validations:\n {2}- package: \.\/node_modules\/kimia-bundles\n/);
    expect(run.npmCalls).toEqual([]);
    expect(run.pluginsDir).toEqual([]);
    expect(run.stdout).not.toContain('Installing validation plugin');
    // The report is labelled with the path cdk8s-cli required.
    expect(run.report.reports[0].title).toBe(`Validation Report (${fs.realpathSync(project.dir)}/node_modules/kimia-bundles@0.1.0)`);
  });

  it('fails the synth on two KimiaBuildJobs of one build name, naming both construct paths', () => {
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Validation failed');
    const [report] = run.report.reports;
    expect(report.summary).toMatchObject({ status: 'failure', metadata: { findings: '0', duplicates: '1' } });
    expect(report.violations).toHaveLength(1);
    const [v] = report.violations;
    expect(v.ruleName).toMatch(/^duplicate object: 2 definitions of Job\/myapp in namespace default \(API group batch\)/);
    const manifest = path.join(fs.realpathSync(project.dir), 'dist', 'builds.k8s.yaml');
    expect(v.violatingConstructs).toEqual([
      { resourceName: 'Job/myapp', manifestPath: manifest, locations: ['Job/myapp (batch/v1), document 1 of builds.k8s.yaml, construct path builds/first/Job/Resource'] },
      { resourceName: 'myapp', manifestPath: manifest, constructPath: 'builds/second/Job/Resource', locations: ['Job/myapp (batch/v1), document 2 of builds.k8s.yaml, construct path builds/second/Job/Resource'] },
    ]);
    // The printed report: the recorded path as cdk8s-cli's "Construct Path", both in the locations.
    expect(run.stdout).toContain('    - Construct Path: builds/second/Job/Resource\n');
    expect(run.stdout).toContain('construct path builds/first/Job/Resource');
    expect(run.stdout).toContain('    - Construct Path: N/A\n');
  });

  it('passes when the builds have their own names', () => {
    const clean = synth(readmePluginSnippet(), { SECOND_BUILD: 'other' });
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('Validations ended succesfully');
    expect(clean.report.reports[0].summary).toMatchObject({ status: 'success', metadata: { findings: '0', duplicates: '0' } });
    expect(clean.npmCalls).toEqual([]);
  });
});

describe('control: package: kimia-bundles', () => {
  it('makes cdk8s-cli run npm install into the plugins directory (what the snippet avoids)', () => {
    const r = synth(readmePluginSnippet().replace('./node_modules/kimia-bundles', 'kimia-bundles'));
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('Installing validation plugin: kimia-bundles@0.1.0');
    expect(r.npmCalls).toEqual([expect.stringMatching(/^install kimia-bundles@0\.1\.0 --no-save --prefix .*\/plugins-\d+\/kimia-bundles\/0\.1\.0$/)]);
  });
});
