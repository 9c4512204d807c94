/**
 * How the Pipeline checks read `$(params…)` and `$(tasks…)` in pipeline task params, as Tekton
 * v1.15.0 reads them (literal expectations, upstream cited per case):
 * - pkg/substitution/substitution.go ExtractVariablesFromString + TrimArrayIndex: `$(params.x)`,
 *   `$(params.x[*])`, `$(params.x[0])`, `$(params.o.key)`, `$(params["a.b"])`, `$(params['a.b'])`
 *   name the param before the first dot or index; more than two dot-separated parts is an error;
 * - pkg/apis/pipeline/v1/pipeline_validation.go validatePipelineTaskParameterUsage +
 *   param_types.go validateObjectVariable: `$(params.o.key)` names a key of o's properties;
 * - pipeline_validation.go validateExecutionStatusVariables / containsExecutionStatusRef:
 *   `$(tasks.status)`, `$(tasks.t.status)` and `$(tasks.t.reason)` only in finally, and t a task of
 *   `tasks` (PipelineTasksAggregateStatus = "tasks.status", pipeline_types.go).
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' }, spec });
const ptask = (name: string, extra: Doc = {}): Doc => ({ name, taskRef: { name: 'hello' }, ...extra });
const withValue = (value: string, params: Doc[] = []) => pipeline({ params, tasks: [ptask('a', { params: [{ name: 'v', value }] })] });

describe('$(params…) in a pipeline task param, read as substitution.go reads it', () => {
  const PARAMS = [
    { name: 'x', type: 'string' },
    { name: 'arr', type: 'array' },
    { name: 'a.b', type: 'string' },
    { name: 'obj', type: 'object', properties: { url: { type: 'string' }, rev: { type: 'string' } } },
    { name: 'loose', type: 'object' },
  ];
  it.each([
    '$(params.x)', '$(params.arr[*])', '$(params.arr[1])', '$(params.obj.url)', '$(params["a.b"])', "$(params['a.b'])", "$(params['x'])",
    '$(params.loose.anything)', 'pre-$(params.x)-$(params.obj.rev)',
  ])('%s names a declared param: accepted', (value) => {
    expect(checkTektonRules(withValue(value, PARAMS))).toEqual([]);
  });
  it.each([
    ['$(params.nope)', '$(params.nope) is not a declared pipeline param'],
    ['$(params.nope[*])', '$(params.nope) is not a declared pipeline param'],
    ['$(params["nope"])', '$(params.nope) is not a declared pipeline param'],
    // a dotted name needs the brackets: the dot form names "a"
    ['$(params.a.b)', '$(params.a) is not a declared pipeline param'],
    ['$(params.9x)', '$(params.9x) is not a declared pipeline param'],
    ['$(params.obj.sha)', '$(params.obj.sha): object param obj has no key "sha"'],
    ['$(params.obj.url.host)', '$(params.obj.url.host): only two dot-separated parts may follow params (a param, or an object param and its key); name a param with dots as $(params["a.b"])'],
  ])('%s is refused', (value, message) => {
    expect(checkTektonRules(withValue(value, PARAMS))).toEqual([{ path: 'spec.tasks[0].params[0].value', message }]);
  });
  it('an object param declared without properties has its keys left unchecked, as Tekton leaves them', () => {
    expect(checkTektonRules(withValue('$(params.loose.k)', [{ name: 'loose', type: 'object' }]))).toEqual([]);
  });
});

describe('execution status in pipeline task params (validateExecutionStatusVariables)', () => {
  const STATUS_REFS = ['$(tasks.status)', '$(tasks.a.status)', '$(tasks.a.reason)'];
  it.each(STATUS_REFS)('%s in a finally task: accepted', (value) => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a')], finally: [ptask('f', { params: [{ name: 'v', value }] })] }))).toEqual([]);
  });
  it.each(STATUS_REFS)('%s in a dag task: refused', (value) => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a'), ptask('b', { params: [{ name: 'v', value }] })] }))).toEqual([
      { path: 'spec.tasks[1].params[0].value', message: `${value}: only finally tasks can read the execution status of a task or the aggregate $(tasks.status)` },
    ]);
  });
  it('a finally task reads the status of a task of `tasks`, not of another finally task or an unknown one', () => {
    expect(checkTektonRules(pipeline({
      tasks: [ptask('a')],
      finally: [ptask('f'), ptask('g', { params: [{ name: 'v', value: '$(tasks.f.status)' }, { name: 'w', value: '$(tasks.nope.reason)' }] })],
    }))).toEqual([
      { path: 'spec.finally[1].params[0].value', message: '$(tasks.f.status): pipeline task f is not defined in the pipeline\'s tasks' },
      { path: 'spec.finally[1].params[1].value', message: '$(tasks.nope.reason): pipeline task nope is not defined in the pipeline\'s tasks' },
    ]);
  });
  it('a result named status is a result reference, not a status one', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a'), ptask('b', { params: [{ name: 'v', value: '$(tasks.a.results.status)' }] })] }))).toEqual([]);
  });
});

describe('a PipelineRun\'s inline pipelineSpec sees propagated params (pipelinerun_validation.go validateInlineParameters)', () => {
  const run = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' }, spec });
  const STEP = { name: 's', image: 'busybox:1.36', args: ['$(params.REV)'] };
  it('the run\'s params, undeclared in pipelineSpec, reach task params and inline taskSpec steps', () => {
    expect(checkTektonRules(run({
      params: [{ name: 'URL', value: 'https://x' }, { name: 'REV', value: 'main' }],
      pipelineSpec: { tasks: [ptask('a', { params: [{ name: 'u', value: '$(params.URL)' }] }), { name: 'b', taskSpec: { steps: [STEP] } }] },
    }))).toEqual([]);
  });
  it('a pipeline task\'s own params are in scope too (appendPipelineTaskParams)', () => {
    expect(checkTektonRules(run({
      pipelineSpec: { tasks: [ptask('a', { params: [{ name: 'REV', value: 'main' }] }), { name: 'b', taskSpec: { steps: [STEP] } }] },
    }))).toEqual([]);
  });
  it('a name in none of them is refused, in task params and in steps', () => {
    expect(checkTektonRules(run({
      params: [{ name: 'URL', value: 'https://x' }],
      pipelineSpec: { tasks: [ptask('a', { params: [{ name: 'u', value: '$(params.NOPE)' }] }), { name: 'b', taskSpec: { steps: [STEP] } }] },
    }))).toEqual([
      { path: 'spec.pipelineSpec.tasks[0].params[0].value', message: '$(params.NOPE) is not a declared pipeline param' },
      { path: 'spec.pipelineSpec.tasks[1].taskSpec.steps[0].args[0]', message: '$(params.REV) is not a declared param' },
    ]);
  });
  it('a Pipeline (not embedded in a run) gets no propagation: its task params name its own params only', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a', { params: [{ name: 'REV', value: 'main' }] }), ptask('b', { params: [{ name: 'v', value: '$(params.REV)' }] })] })))
      .toEqual([{ path: 'spec.tasks[1].params[0].value', message: '$(params.REV) is not a declared pipeline param' }]);
  });
});

describe('pipeline task workspace bindings (pipeline_validation.go validateWorkspaces)', () => {
  it('a binding without `workspace` binds the pipeline workspace of its own name, which must be declared', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a', { workspaces: [{ name: 'source' }] })] }))).toEqual([
      { path: 'spec.tasks[0].workspaces[0].name', message: 'pipeline workspace "source" is not declared' },
    ]);
    expect(checkTektonRules(pipeline({ workspaces: [{ name: 'shared' }], tasks: [ptask('a', { workspaces: [{ name: 'source', workspace: 'nope' }] })] }))).toEqual([
      { path: 'spec.tasks[0].workspaces[0].workspace', message: 'pipeline workspace "nope" is not declared' },
    ]);
  });
  it('binding names are unique within a task', () => {
    expect(checkTektonRules(pipeline({
      workspaces: [{ name: 'shared' }],
      tasks: [ptask('a', { workspaces: [{ name: 'source', workspace: 'shared' }, { name: 'source', workspace: 'shared' }] })],
    }))).toEqual([{ path: 'spec.tasks[0].workspaces[1].name', message: 'duplicate workspace binding name "source"' }]);
  });
  it('in a PipelineRun, the run\'s workspaces are in scope of its inline pipelineSpec', () => {
    const doc = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' }, spec: {
      workspaces: [{ name: 'source', emptyDir: {} }],
      pipelineSpec: { tasks: [ptask('a', { workspaces: [{ name: 'source' }] })] },
    } };
    expect(checkTektonRules(doc)).toEqual([]);
    expect(checkTektonRules({ ...doc, spec: { ...doc.spec, workspaces: [] } })).toEqual([
      { path: 'spec.pipelineSpec.tasks[0].workspaces[0].name', message: 'pipeline workspace "source" is not declared' },
    ]);
  });
});

describe('workspace mount paths compared as filepath.Clean leaves them (task_validation.go validateDeclaredWorkspaces)', () => {
  const task = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'hello' }, spec });
  it.each(['/workspace/source/', '/workspace//source', '/workspace/./source'])('a step mount at %s clashes with the workspace at /workspace/source', (mountPath) => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'source' }],
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [{ name: 's', image: 'busybox:1.36', volumeMounts: [{ name: 'v', mountPath }] }],
    }))).toEqual([{ path: 'spec.steps[0].volumeMounts[0].mountPath', message: `mount path ${mountPath} is also used by workspace "source"` }]);
  });
  it('two workspaces whose paths differ only by a trailing slash clash; an empty mountPath is the default /workspace/<name>', () => {
    expect(checkTektonRules(task({ workspaces: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data/' }], steps: [{ name: 's', image: 'busybox:1.36' }] }))).toEqual([
      { path: 'spec.workspaces[1].mountPath', message: 'mount path /data/ is also used by workspace "a"' },
    ]);
    expect(checkTektonRules(task({ workspaces: [{ name: 'a', mountPath: '' }, { name: 'b', mountPath: '/workspace/a' }], steps: [{ name: 's', image: 'busybox:1.36' }] }))).toEqual([
      { path: 'spec.workspaces[1].mountPath', message: 'mount path /workspace/a is also used by workspace "a"' },
    ]);
  });
  it('the stepTemplate\'s mounts count too', () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'source' }],
      volumes: [{ name: 'v', emptyDir: {} }],
      stepTemplate: { volumeMounts: [{ name: 'v', mountPath: '/workspace/source' }] },
      steps: [{ name: 's', image: 'busybox:1.36' }],
    }))).toEqual([{ path: 'spec.stepTemplate.volumeMounts[0].mountPath', message: 'mount path /workspace/source is also used by workspace "source"' }]);
  });
  it('distinct paths do not clash', () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'source' }],
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [{ name: 's', image: 'busybox:1.36', volumeMounts: [{ name: 'v', mountPath: '/workspace/source-cache' }] }],
    }))).toEqual([]);
  });
});

describe('a Pipeline with nothing in it (PipelineSpec.Validate, validateTasksAndFinallySection)', () => {
  it('an empty spec is refused', () => {
    expect(checkTektonRules(pipeline({}))).toEqual([{ path: 'spec', message: 'a pipeline needs at least one of description, params, tasks or workspaces' }]);
    expect(checkTektonRules(pipeline({ tasks: [], params: [] }))).toEqual([{ path: 'spec', message: 'a pipeline needs at least one of description, params, tasks or workspaces' }]);
    expect(checkTektonRules({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' } })).toEqual([
      { path: 'spec', message: 'a pipeline needs at least one of description, params, tasks or workspaces' },
    ]);
  });
  it('finally without tasks is refused; a description alone is a spec', () => {
    expect(checkTektonRules(pipeline({ finally: [ptask('f')] }))).toEqual([{ path: 'spec.finally', message: 'spec.tasks is empty but spec.finally has 1 tasks' }]);
    expect(checkTektonRules(pipeline({ description: 'd' }))).toEqual([]);
  });
});
