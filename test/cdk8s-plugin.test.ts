/**
 * The cdk8s validation plugin (issue 13 item 5) against cdk8s-cli's own ValidationContext
 * (`cdk8s-cli/plugins`, what `cdk8s synth` hands a plugin), fed with manifests and
 * construct-metadata.json that cdk8s's App writes for a real app (recordConstructMetadata, what
 * cdk8s-cli turns on through CDK8S_RECORD_CONSTRUCT_METADATA when validations are configured).
 * The report's JSON is what `cdk8s synth --validation-reports-output-file` writes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { KimiaBundlesValidation, constructPathFromAddrLabel, type Cdk8sValidationContext } from '../src/cdk8s-plugin';
import { KimiaBuildJob } from '../src/job';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as { ValidationContext: new (...args: unknown[]) => Cdk8sValidationContext & { report: { toJson(): Report } } };

interface Report {
  summary: { status: string; metadata?: Record<string, string> };
  violations: Array<{ ruleName: string; violatingConstructs: Array<{ resourceName: string; manifestPath: string; constructPath?: string; locations: string[] }> }>;
}

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-plugin-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = (name: string, extra: Record<string, unknown> = {}) => ({
  name, context: { git: { url: 'https://github.com/myorg/myapp.git' } }, destinations: ['registry.io/myapp:v1'], ...extra,
});

/** Synthesizes an app the way `cdk8s synth` runs it, then validates it the way cdk8s-cli does. */
async function synthAndValidate(build: (app: App) => void): Promise<{ report: Report; outdir: string }> {
  const outdir = path.join(tmp, 'out');
  const app = new App({ outdir, recordConstructMetadata: true });
  build(app);
  app.synth();
  const manifests = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => `${outdir}/${f}`);
  // cdk8s-cli plugins/validation.js:227-236 (loadConstructMetadata).
  const contents = JSON.parse(fs.readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8')) as { resources: Record<string, { path: string }> };
  const metadata = Object.fromEntries(Object.entries(contents.resources).map(([k, v]) => [k, { path: v.path }]));
  const context = new ValidationContext(manifests, 'kimia-bundles', '0.1.0', metadata, false);
  await new KimiaBundlesValidation().validate(context);
  return { report: context.report.toJson(), outdir };
}

describe('the cdk8s plugin with cdk8s-cli\'s ValidationContext', () => {
  it('reports two KimiaBuildJobs of one build name as a duplicate, with both construct paths', async () => {
    const { report, outdir } = await synthAndValidate((app) => {
      const chart = new Chart(app, 'builds');
      new KimiaBuildJob(chart, 'first', { spec: spec('myapp'), params: {} });
      new KimiaBuildJob(chart, 'second', { spec: spec('myapp'), params: {} });
    });
    // cdk8s itself records one path per metadata.name: the last one written.
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8')).resources).toEqual({ myapp: { path: 'builds/second/Job/Resource' } });
    expect(report.summary).toMatchObject({ status: 'failure', metadata: { findings: '0', duplicates: '1' } });
    expect(report.violations).toHaveLength(1);
    const [v] = report.violations;
    expect(v.ruleName).toMatch(/^duplicate object: 2 definitions of Job\/myapp in namespace default \(API group batch\)/);
    const manifest = path.join(outdir, 'builds.k8s.yaml');
    expect(v.violatingConstructs).toEqual([
      // cdk8s-cli shows a construct path only for the resource the recorded one belongs to …
      { resourceName: 'Job/myapp', manifestPath: manifest, constructPath: undefined,
        locations: ['Job/myapp (batch/v1), document 1 of builds.k8s.yaml, construct path builds/first/Job/Resource'] },
      { resourceName: 'myapp', manifestPath: manifest, constructPath: 'builds/second/Job/Resource',
        locations: ['Job/myapp (batch/v1), document 2 of builds.k8s.yaml, construct path builds/second/Job/Resource'] },
    ]);
  });

  it('tells apart namespaces, kinds and API groups, and treats no namespace as default', async () => {
    const { report } = await synthAndValidate((app) => {
      const ci = new Chart(app, 'ci', { namespace: 'ci' });
      new KimiaBuildJob(ci, 'myapp', { spec: spec('myapp'), params: {} });           // Job/myapp in ci
      const builds = new Chart(app, 'builds');
      new KimiaBuildJob(builds, 'myapp', { spec: spec('myapp'), params: {} });       // Job/myapp, no namespace
      const other = new Chart(app, 'other', { namespace: 'default' });
      new KimiaBuildJob(other, 'myapp', { spec: spec('myapp'), params: {} });        // Job/myapp in default
      new ApiObject(other, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'myapp' } });
      new ApiObject(other, 'crd', { apiVersion: 'example.com/v1', kind: 'Job', metadata: { name: 'myapp' } });
    });
    const dups = report.violations.filter((v) => v.ruleName.startsWith('duplicate object'));
    expect(dups.map((v) => v.ruleName.split(':')[1])).toEqual([' 2 definitions of Job/myapp in namespace default (API group batch)']);
    expect(dups[0].violatingConstructs.map((c) => [path.basename(c.manifestPath), c.locations[0].replace(/^.*construct path /, '')]))
      .toEqual([['builds.k8s.yaml', 'builds/myapp/Job/Resource'], ['other.k8s.yaml', 'other/myapp/Job/Resource']]);
    // Every Job carries its pod label, so each one's path is known; the ConfigMap and the example.com Job
    // (written last, so cdk8s recorded the crd's path for "myapp") are no duplicates.
    expect(dups[0].violatingConstructs.every((c) => c.resourceName === 'Job/myapp' && c.constructPath === undefined)).toBe(true);
  });

  it('puts the construct path on ordinary findings and keeps the kind in the location', async () => {
    const { report } = await synthAndValidate((app) => {
      const chart = new Chart(app, 'builds');
      const job = new KimiaBuildJob(chart, 'myapp', { spec: spec('myapp'), params: {} });
      // Through the escape hatch, an argv the gate refuses (a kimia-bud-only flag).
      ApiObject.of(job.job).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/args/-', '--push-retry=3'));
    });
    expect(report.summary.status).toBe('failure');
    const v = report.violations.find((x) => x.ruleName.startsWith('--push-retry'));
    expect(v?.violatingConstructs).toEqual([expect.objectContaining({
      resourceName: 'myapp', constructPath: 'builds/myapp/Job/Resource',
      locations: [expect.stringMatching(/^Job\/myapp: spec\.template\.spec\.containers\[0\]\.args\[\d+\]$/)],
    })]);
  });

  it('passes a clean app', async () => {
    const { report } = await synthAndValidate((app) => {
      const chart = new Chart(app, 'builds');
      new KimiaBuildJob(chart, 'a', { spec: spec('a'), params: {} });
      new KimiaBuildJob(chart, 'b', { spec: spec('b'), params: {} });
    });
    expect(report).toMatchObject({ summary: { status: 'success', metadata: { findings: '0', duplicates: '0' } }, violations: [] });
  });
});

describe('a context without construct metadata (a caller that passes none)', () => {
  it('names resources Kind/name and still finds duplicates by document', async () => {
    const file = path.join(tmp, 'app.k8s.yaml');
    fs.writeFileSync(file, [
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: x}\nspec: {steps: [{name: s, image: "alpine:3.20@sha256:' + 'a'.repeat(64) + '", script: "echo hi"}]}',
      'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: x, namespace: default}\nspec: {steps: [{name: s, image: "alpine:3.20@sha256:' + 'a'.repeat(64) + '", script: "echo hi"}]}',
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: x, namespace: ci}\nspec: {steps: [{name: s, image: "alpine:3.20@sha256:' + 'a'.repeat(64) + '", script: "echo hi"}]}',
    ].join('\n---\n'));
    const { parseAllDocuments } = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
    const violations: Array<{ ruleName: string; violatingResources: Array<{ resourceName: string; locations: string[] }> }> = [];
    let status = '';
    await new KimiaBundlesValidation().validate({
      manifests: [file],
      parseManifest: (p) => parseAllDocuments(fs.readFileSync(p, 'utf8')).map((d) => d.toJS()),
      report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } },
    });
    expect(status).toBe('failure');
    const dup = violations.filter((v) => v.ruleName.startsWith('duplicate object'));
    expect(dup).toHaveLength(1);
    expect(dup[0].ruleName).toContain('2 definitions of Task/x in namespace default (API group tekton.dev)');
    expect(dup[0].violatingResources).toEqual([
      { resourceName: 'Task/x', manifestPath: file, locations: ['Task/x (tekton.dev/v1), document 1 of app.k8s.yaml, construct path unknown (cdk8s records one per name)'] },
      { resourceName: 'Task/x', manifestPath: file, locations: ['Task/x (tekton.dev/v1beta1), document 2 of app.k8s.yaml, construct path unknown (cdk8s records one per name)'] },
    ]);
  });
});

describe('constructPathFromAddrLabel', () => {
  it('recovers the path cdk8s-plus encodes in cdk8s.io/metadata.addr, dashes in ids included', () => {
    const app = new App();
    for (const p of ['builds/a/Job', 'my-chart/my-build/Job', 'x/with-many-dash-es/Deploy-ment']) {
      let scope: Construct = app;
      for (const id of p.split('/')) scope = new Construct(scope, id);
      expect(constructPathFromAddrLabel(Names.toLabelValue(scope))).toBe(p);
    }
  });
  it('gives up rather than guess', () => {
    expect(constructPathFromAddrLabel('builds-a-Job-c8000000')).toBeUndefined();
    expect(constructPathFromAddrLabel('plain-value')).toBeUndefined();
  });
});
