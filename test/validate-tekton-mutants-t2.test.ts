/**
 * Tekton webhook-style rules (src/validate/tekton.ts) called through checkTektonRules on
 * hand-built tekton.dev/v1 documents: cases the mutation run left untested in the second half of
 * the module (TaskSpec names and mounts, step refs, PipelineSpec checks). Expectations are
 * literals from tektoncd/pipeline v1.15.0 (pkg/apis/pipeline/v1/…, docs/…), cited per case.
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const task = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'hello' }, spec });
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' }, spec });
const ptask = (name: string, extra: Doc = {}): Doc => ({ name, taskRef: { name: 'hello' }, ...extra });
const EMPTY_PIPELINE = 'a pipeline needs at least one of description, params, tasks or workspaces';

describe('TaskSpec names (task_validation.go)', () => {
  it('duplicate workspace and volume names are reported at the second one (validateDeclaredWorkspaces "workspace name %q must be unique", ValidateVolumes "multiple volumes with same name")', () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'src' }, { name: 'src', mountPath: '/elsewhere' }],
      volumes: [{ name: 'cache', emptyDir: {} }, { name: 'cache', emptyDir: {} }],
      steps: [{ name: 's', image: IMG }],
    }))).toEqual([
      { path: 'spec.workspaces[1].name', message: 'duplicate workspace name "src"' },
      { path: 'spec.volumes[1].name', message: 'duplicate volume name "cache"' },
    ]);
  });
});

describe('volume mounts against workspace mount paths (task_validation.go validateDeclaredWorkspaces: filepath.Clean\'d paths of the stepTemplate and every step)', () => {
  it('only a mount on a workspace\'s path clashes; another path, or a mount without mountPath (Clean("") is "."), does not, and nothing throws', () => {
    const mounts = [{ name: 'other', mountPath: '/cache' }, { name: 'no-path' }, { name: 'clash', mountPath: '/workspace/src/' }];
    expect(checkTektonRules(task({
      workspaces: [{ name: 'src' }],
      volumes: [{ name: 'other', emptyDir: {} }, { name: 'no-path', emptyDir: {} }, { name: 'clash', emptyDir: {} }],
      stepTemplate: { volumeMounts: mounts },
      steps: [{ name: 's', image: IMG, volumeMounts: mounts }],
    }))).toEqual([
      { path: 'spec.stepTemplate.volumeMounts[2].mountPath', message: 'mount path /workspace/src/ is also used by workspace "src"' },
      { path: 'spec.steps[0].volumeMounts[2].mountPath', message: 'mount path /workspace/src/ is also used by workspace "src"' },
    ]);
  });
});

describe('a step with ref (container_validation.go Step.Validate: s.Image != "", len(s.Command) > 0, len(s.Args) > 0, s.Script != "")', () => {
  it('an empty image or script and empty command or args lists are not set, so they are allowed beside ref', () => {
    expect(checkTektonRules(task({
      steps: [
        { name: 'a', ref: { name: 'git-clone' }, image: '', command: [] },
        { name: 'b', ref: { name: 'git-clone' }, script: '', args: [] },
      ],
    }))).toEqual([]);
  });
});

describe('an empty Pipeline (pipeline_validation.go PipelineSpec.Validate: equality.Semantic.DeepEqual(ps, &PipelineSpec{}) -> "expected at least one, got none")', () => {
  it.each([
    ['an empty description (the zero value of the string)', { description: '' }],
    ['fields set to undefined (absent, as JSON drops them)', { description: undefined, tasks: undefined }],
  ])('%s: still empty', (_what, spec) => {
    expect(checkTektonRules(pipeline(spec))).toEqual([{ path: 'spec', message: EMPTY_PIPELINE }]);
  });
  it('a description alone is not empty', () => {
    expect(checkTektonRules(pipeline({ description: 'd' }))).toEqual([]);
  });
});

describe('a PipelineRun\'s inline pipelineSpec: a task\'s taskSpec params are in scope for every task (pipelinerun_validation.go validateInlineParameters: combineParamSpec over each pt.TaskSpec.Params, then ValidateUsageOfDeclaredParameters per task)', () => {
  it('a taskSpec step may read a param only a sibling taskSpec declares', () => {
    const step = { name: 's', image: IMG, args: ['$(params.greeting)'] };
    expect(checkTektonRules({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'run' },
      spec: {
        pipelineSpec: {
          tasks: [
            { name: 'a', taskSpec: { params: [{ name: 'greeting', type: 'string' }], steps: [step] } },
            { name: 'b', taskSpec: { steps: [step] } },
          ],
        },
      },
    })).toEqual([]);
  });
});

describe('execution status refs vs result refs and matrix lengths in pipeline task params (pipeline_validation.go containsExecutionStatusRef: prefix "tasks." and suffix ".status" or ".reason"; LooksLikeContainsResultRefs / resultref.go LooksLikeResultRef: tasks.<t>.results.<r>…)', () => {
  const scan = ptask('scan', { matrix: { params: [{ name: 'platform', value: ['linux/amd64', 'linux/arm64'] }] } });
  it.each([
    // a result named "status" is a result reference, not the task's execution status
    '$(tasks.scan.results.status)',
    // docs/variables.md: tasks.<taskName>.matrix.length and tasks.<taskName>.matrix.<resultName>.length
    '$(tasks.scan.matrix.length)',
    '$(tasks.scan.matrix.status-code.length)',
    '$(tasks.scan.matrix.reason.length)',
  ])('%s in a dag task: accepted', (value) => {
    expect(checkTektonRules(pipeline({ tasks: [scan, ptask('use', { params: [{ name: 'v', value }] })] }))).toEqual([]);
  });

  it.each([
    // "results" is not the second part, so no result ref (LooksLikeResultRef): a status ref naming "scan.x.results"
    ['$(tasks.scan.x.results.status)', '$(tasks.scan.x.results.status): pipeline task scan.x.results is not defined in the pipeline\'s tasks'],
    // only the final suffix is trimmed (strings.TrimSuffix(…, ".reason")): the task named is "scan.status"
    ['$(tasks.scan.status.reason)', '$(tasks.scan.status.reason): pipeline task scan.status is not defined in the pipeline\'s tasks'],
  ])('%s in a finally task names the task before the last suffix', (value, message) => {
    expect(checkTektonRules(pipeline({ tasks: [scan], finally: [ptask('report', { params: [{ name: 'v', value }] })] }))).toEqual([
      { path: 'spec.finally[0].params[0].value', message },
    ]);
  });

  it('the task name a finally status ref names is the expression less its last suffix alone (TrimSuffix), looked up as is', () => {
    // "a.reason" is no DNS-1123 label (reported), yet $(tasks.a.reason.status) names exactly it, so no status issue
    expect(checkTektonRules(pipeline({
      tasks: [ptask('a.reason')],
      finally: [ptask('report', { params: [{ name: 'v', value: '$(tasks.a.reason.status)' }] })],
    }))).toEqual([{ path: 'spec.tasks[0].name', message: 'task name "a.reason" must be a DNS-1123 label' }]);
  });
});
