import * as fs from 'node:fs';
import { Chart } from 'cdk8s';
import { atBundleVersion, type Engine, type RenderedFile } from '../spec';
import { KimiaBuildTask } from './task';
import { KimiaBuildPipeline } from './pipeline';
import { catalogTest, ownersFile, PRE_APPLY_HOOK, samplePipelineRun, sampleTaskRun } from './samples';
import { catalogReadme } from './docs';
import { artifactHubRepoFile } from './catalog';

/**
 * Renders a build as a Tekton catalog Task and Pipeline:
 * `tekton/{task,pipeline}/<name>/<version>/{<name>.yaml,README.md,samples/,tests/}`.
 */
export const tektonEngine: Engine = {
  name: 'tekton',
  render(scope, build, options) {
    const bundles = { task: `tekton/task/${build.name}`, pipeline: `tekton/pipeline/${build.name}` };
    // The Task and the Pipeline may stay at different releases (RenderOptions.versions); the Pipeline runs the Task's.
    const spec = atBundleVersion(build, options, bundles.task);
    const pipelineVersion = atBundleVersion(build, options, bundles.pipeline).version;
    // Stryker disable next-line BooleanLiteral,ObjectLiteral: equivalent, every object sets metadata.name itself and cdk8s hashes only names it generates
  const chart = new Chart(scope, `tekton-${spec.name}`, { disableResourceNameHashes: true });
    const task = new KimiaBuildTask(chart, 'task', { spec });
    const pipeline = new KimiaBuildPipeline(chart, 'pipeline', { task, version: pipelineVersion });
    const [taskDoc, pipelineDoc] = chart.toJson();
    const taskRun = sampleTaskRun(task.spec, task.interface);
    const pipelineRun = samplePipelineRun(task.spec, task.interface);
    const dir = (kind: 'task' | 'pipeline') => `${bundles[kind]}/${kind === 'task' ? spec.version : pipelineVersion}`;
    const test = catalogTest(task.spec, task.interface, pipelineDoc.spec);
    const owners = ownersFile(task.spec);
    const digest = (doc: Record<string, unknown>, version: string) => (options.bundleDigest && spec.tekton.bundleRepository ? { digest: options.bundleDigest([doc], version) } : {});
    const files: RenderedFile[] = [
      { path: `${dir('task')}/${spec.name}.yaml`, documents: [taskDoc], release: { bundle: bundles.task, version: spec.version } },
      { path: `${dir('task')}/README.md`, text: catalogReadme(task.spec, 'task', taskDoc, taskRun, { ...digest(taskDoc, spec.version) }) },
      { path: `${dir('task')}/samples/taskrun.yaml`, documents: [taskRun] },
      { path: `${dir('task')}/samples/pipelinerun.yaml`, documents: [pipelineRun] },
      // The catalog runner runs task/<name>/<version>/tests only: the Pipeline is tested there, inline.
      ...(test ? [
        { path: `${dir('task')}/tests/run.yaml`, documents: [test.run] },
        { path: `${dir('task')}/tests/pre-apply-task-hook.sh`, text: PRE_APPLY_HOOK },
        ...(test.secrets.length ? [{ path: `${dir('task')}/tests/test-key-secret.yaml`, documents: test.secrets }] : []),
      ] : []),
      { path: `${dir('pipeline')}/${spec.name}.yaml`, documents: [pipelineDoc], release: { bundle: bundles.pipeline, version: pipelineVersion } },
      { path: `${dir('pipeline')}/README.md`, text: catalogReadme(pipeline.spec, 'pipeline', pipelineDoc, pipelineRun, { taskVersion: spec.version, ...digest(pipelineDoc, pipelineVersion) }) },
      { path: `${dir('pipeline')}/samples/pipelinerun.yaml`, documents: [pipelineRun] },
      ...(owners ? [{ path: `tekton/task/${spec.name}/OWNERS`, text: owners }, { path: `tekton/pipeline/${spec.name}/OWNERS`, text: owners }] : []),
    ];
    return files;
  },
  // Tests of kept versions written for the old catalog runner hook (it needed cosign and the
  // catalog's own git-clone, and aborts tektoncd/catalog's e2e run under set -e; pipeline tests the
  // runner never runs): not carried over. The released Task and Pipeline are.
  keepsReleasedFile(rel, abs) {
    if (/^tekton\/pipeline\/[^/]+\/[^/]+\/tests\//.test(rel)) return false;
    const m = /^(tekton\/task\/[^/]+\/[^/]+)\/tests\//.exec(rel);
    if (!m) return true;
    // Kept only when written for the runner as it is (the current static hook).
    const hook = `${abs.slice(0, abs.length - rel.length)}${m[1]}/tests/pre-apply-task-hook.sh`;
    return fs.existsSync(hook) && fs.readFileSync(hook, 'utf8') === PRE_APPLY_HOOK;
  },
  catalog(specs) {
    const repo = artifactHubRepoFile(specs);
    return repo ? [{ path: 'tekton/task/artifacthub-repo.yml', text: repo }, { path: 'tekton/pipeline/artifacthub-repo.yml', text: repo }] : [];
  },
};
