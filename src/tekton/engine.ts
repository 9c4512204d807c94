import * as fs from 'node:fs';
import { Chart } from 'cdk8s';
import type { Engine, RenderedFile } from '../spec';
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
  render(scope, spec) {
    const chart = new Chart(scope, `tekton-${spec.name}`, { disableResourceNameHashes: true });
    const task = new KimiaBuildTask(chart, 'task', { spec });
    new KimiaBuildPipeline(chart, 'pipeline', { task });
    const [taskDoc, pipelineDoc] = chart.toJson();
    const taskRun = sampleTaskRun(task.spec, task.interface);
    const pipelineRun = samplePipelineRun(task.spec, task.interface);
    const dir = (kind: string) => `tekton/${kind}/${spec.name}/${spec.version}`;
    const test = catalogTest(task.spec, task.interface, pipelineDoc.spec);
    const owners = ownersFile(task.spec);
    const files: RenderedFile[] = [
      { path: `${dir('task')}/${spec.name}.yaml`, documents: [taskDoc], release: { bundle: `tekton/task/${spec.name}`, version: spec.version } },
      { path: `${dir('task')}/README.md`, text: catalogReadme(task.spec, 'task', taskDoc, taskRun) },
      { path: `${dir('task')}/samples/taskrun.yaml`, documents: [taskRun] },
      { path: `${dir('task')}/samples/pipelinerun.yaml`, documents: [pipelineRun] },
      // The catalog runner runs task/<name>/<version>/tests only: the Pipeline is tested there, inline.
      ...(test ? [
        { path: `${dir('task')}/tests/run.yaml`, documents: [test.run] },
        { path: `${dir('task')}/tests/pre-apply-task-hook.sh`, text: PRE_APPLY_HOOK },
        ...(test.secrets.length ? [{ path: `${dir('task')}/tests/test-key-secret.yaml`, documents: test.secrets }] : []),
      ] : []),
      { path: `${dir('pipeline')}/${spec.name}.yaml`, documents: [pipelineDoc], release: { bundle: `tekton/pipeline/${spec.name}`, version: spec.version } },
      { path: `${dir('pipeline')}/README.md`, text: catalogReadme(task.spec, 'pipeline', pipelineDoc, pipelineRun) },
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
