import { Chart } from 'cdk8s';
import type { Engine, RenderedFile } from '../spec';
import { KimiaBuildTask } from './task';
import { KimiaBuildPipeline } from './pipeline';
import { catalogTestRun, PRE_APPLY_HOOK, PRE_APPLY_HOOK_VALUES, preApplyHookValues, samplePipelineRun, sampleTaskRun } from './samples';
import { tektonOptions } from './catalog';
import { catalogReadme } from './docs';

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
    const files: RenderedFile[] = [
      { path: `${dir('task')}/${spec.name}.yaml`, documents: [taskDoc], release: { bundle: `tekton/task/${spec.name}`, version: spec.version } },
      { path: `${dir('task')}/README.md`, text: catalogReadme(task.spec, 'task', taskDoc, taskRun) },
      { path: `${dir('task')}/samples/taskrun.yaml`, documents: [taskRun] },
      { path: `${dir('task')}/samples/pipelinerun.yaml`, documents: [pipelineRun] },
      { path: `${dir('task')}/tests/run.yaml`, documents: [catalogTestRun(task.spec, task.interface, pipelineDoc.spec, true)] },
      { path: `${dir('task')}/tests/pre-apply-task-hook.sh`, text: PRE_APPLY_HOOK },
      { path: `${dir('task')}/tests/${PRE_APPLY_HOOK_VALUES}`, text: preApplyHookValues(task.spec, 'task', tektonOptions(task.spec).gitCloneVersion) },
      { path: `${dir('pipeline')}/${spec.name}.yaml`, documents: [pipelineDoc], release: { bundle: `tekton/pipeline/${spec.name}`, version: spec.version } },
      { path: `${dir('pipeline')}/README.md`, text: catalogReadme(task.spec, 'pipeline', pipelineDoc, pipelineRun) },
      { path: `${dir('pipeline')}/samples/pipelinerun.yaml`, documents: [pipelineRun] },
      { path: `${dir('pipeline')}/tests/run.yaml`, documents: [catalogTestRun(task.spec, task.interface, pipelineDoc.spec, false)] },
      { path: `${dir('pipeline')}/tests/pre-apply-task-hook.sh`, text: PRE_APPLY_HOOK },
      { path: `${dir('pipeline')}/tests/${PRE_APPLY_HOOK_VALUES}`, text: preApplyHookValues(task.spec, 'pipeline', tektonOptions(task.spec).gitCloneVersion) },
    ];
    return files;
  },
};
