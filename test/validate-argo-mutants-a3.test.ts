/**
 * Argo's variable scoping (src/validate/argo.ts, the `check` of each `{{tag}}`), called directly
 * through checkArgoRules on hand-built WorkflowTemplates and Workflows, with literal expectations:
 * the cases the mutation run left untested. Upstream facts used (argo-workflows v4.1.2,
 * workflow/validate/validate.go; ../shared/reference/argo.md §1-§2):
 * - resolveAllVariables: only tags starting with a root of common.GlobalVarValidWorkflowVariablePrefix
 *   (item., steps., inputs., outputs., pod., workflow., tasks.) are checked; `{{foo}}` and `{{=expr}}`
 *   are left alone; a checked tag must be a key of the scope (no prefix matching) or fails with
 *   "failed to resolve {{tag}}";
 * - validateInputs: inputs.parameters.<name>, inputs.artifacts.<name> and, in leaf templates,
 *   inputs.artifacts.<name>.path are in scope;
 * - validateTemplate: outputs.parameters.<name>.path is in scope for leaf templates, pod.name for pod
 *   templates; resolveAllVariables accepts any `outputs.` tag ("self referencing for metric emission");
 * - newTemplateValidationCtx / Workflow: workflow.name (and namespace, uid, …) are global, and so
 *   is workflow.labels.<key> for the keys of metadata.labels; workflow.parameters.<name> for each
 *   argument (a Workflow, not a template, has nothing else under workflow.parameters.);
 * - addOutputsToScope: tasks.<t>.outputs.parameters.<p> / .outputs.artifacts.<a> for the outputs
 *   its template declares (likewise steps.<s>.…), and workflow.outputs.parameters.<g> for each
 *   literal globalName;
 * - addItemsToScope: withItems puts the keys of its maps in scope as item.<key>; withParam allows
 *   any item.<key>; a task without a loop has no item;
 * - validateSteps: a step without a name, or a name used twice, is an error of its own.
 */
import { checkArgoRules } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const wt = (templates: Doc[], spec: Doc = {}, metadata: Doc = { name: 'hello' }): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata, spec: { ...spec, templates },
});
const unresolved = (path: string, tag: string) => ({ path, message: `failed to resolve {{${tag}}}` });
/** A container template taking input `x` and artifact `src`, its args the given strings. */
const leaf = (args: string[], extra: Doc = {}): Doc => ({
  name: 'c',
  inputs: { parameters: [{ name: 'x' }], artifacts: [{ name: 'src', path: '/src' }] },
  container: { image: IMG, args },
  ...extra,
});
const ARGS = 'spec.templates[0].container.args';
/** A producer with output parameter `digest` (exported as a global) and output artifact `img`. */
const gen: Doc = {
  name: 'gen',
  container: { image: IMG },
  outputs: {
    parameters: [{ name: 'digest', globalName: 'digest', valueFrom: { path: '/tmp/digest' } }],
    artifacts: [{ name: 'img', path: '/tmp/img' }],
  },
};
const bare: Doc = { name: 'bare', container: { image: IMG } };
const use: Doc = { name: 'use', inputs: { parameters: [{ name: 'd' }], artifacts: [{ name: 'img', path: '/img' }] }, container: { image: IMG } };
/** A DAG `main` (templates[0]): task a runs `aTemplate`, task b runs `use` with argument d = `value`. */
const dag = (value: string, b: Doc = {}, aTemplate = 'gen'): Doc => wt([
  { name: 'main', dag: { tasks: [
    { name: 'a', template: aTemplate },
    { name: 'b', template: 'use', depends: 'a', arguments: { parameters: [{ name: 'd', value }] }, ...b },
  ] } },
  gen, use, bare,
]);
const B_VALUE = 'spec.templates[0].dag.tasks[1].arguments.parameters[0].value';

describe('which tags are checked (resolveAllVariables, checkValidWorkflowVariablePrefix)', () => {
  it('a tag with no Argo root and an expression tag are left alone', () => {
    expect(checkArgoRules(wt([leaf(['{{foo}}', '{{=inputs.parameters.nope}}', '{{= sprig.upper(inputs.parameters.x) }}'])]))).toEqual([]);
  });
  it('only a leading = makes an expression: a scoped tag ending in = is checked', () => {
    expect(checkArgoRules(wt([leaf(['{{inputs.parameters.x=}}'])]))).toEqual([unresolved(`${ARGS}[0]`, 'inputs.parameters.x=')]);
  });
});

describe('inputs (validateInputs)', () => {
  it('declared input parameters and artifacts (with or without .path) resolve', () => {
    expect(checkArgoRules(wt([leaf(['{{inputs.parameters.x}}', '{{inputs.artifacts.src}}', '{{inputs.artifacts.src.path}}'])]))).toEqual([]);
  });
  it('an undeclared artifact, and fields the scope does not have, fail', () => {
    expect(checkArgoRules(wt([leaf(['{{inputs.artifacts.nope.path}}', '{{inputs.parameters.x.value}}', '{{inputs.artifacts.src.url}}'])]))).toEqual([
      unresolved(`${ARGS}[0]`, 'inputs.artifacts.nope.path'),
      unresolved(`${ARGS}[1]`, 'inputs.parameters.x.value'),
      unresolved(`${ARGS}[2]`, 'inputs.artifacts.src.url'),
    ]);
  });
  it('a scope nested under another root is not that scope', () => {
    const doc = wt([leaf([
      '{{workflow.inputs.parameters.x}}', '{{workflow.inputs.artifacts.src}}', '{{inputs.workflow.parameters.p}}',
      '{{inputs.workflow.outputs.parameters.digest}}', '{{pod.workflow.labels.team}}',
    ])], { arguments: { parameters: [{ name: 'p', value: 'v' }] } }, { name: 'hello', labels: { team: 'a' } });
    expect(checkArgoRules(doc)).toEqual([
      unresolved(`${ARGS}[0]`, 'workflow.inputs.parameters.x'),
      unresolved(`${ARGS}[1]`, 'workflow.inputs.artifacts.src'),
      unresolved(`${ARGS}[2]`, 'inputs.workflow.parameters.p'),
      unresolved(`${ARGS}[3]`, 'inputs.workflow.outputs.parameters.digest'),
      unresolved(`${ARGS}[4]`, 'pod.workflow.labels.team'),
    ]);
  });
});

describe('outputs, pod and workflow globals (validateTemplate, newTemplateValidationCtx)', () => {
  it('a leaf template may use its own output parameter, bare or as .path (e.g. in its metrics)', () => {
    const t = {
      name: 'c',
      container: { image: IMG, args: ['--size-file={{outputs.parameters.size.path}}'] },
      outputs: { parameters: [{ name: 'size', valueFrom: { path: '/tmp/size' } }] },
      metrics: { prometheus: [{ name: 'image_size', help: 'Image size', gauge: { value: '{{outputs.parameters.size}}' } }] },
    };
    expect(checkArgoRules(wt([t]))).toEqual([]);
  });
  it('workflow.name, pod.name and a declared workflow label resolve', () => {
    expect(checkArgoRules(wt([leaf(['{{workflow.name}}', '{{pod.name}}', '{{workflow.labels.team}}'])], {}, { name: 'hello', labels: { team: 'a' } }))).toEqual([]);
  });
  it('in a Workflow, workflow.parameters.<name> has no fields', () => {
    const doc = { ...wt([leaf(['{{workflow.parameters.p}}', '{{workflow.parameters.p.value}}'])], { arguments: { parameters: [{ name: 'p', value: 'v' }] } }), kind: 'Workflow' };
    expect(checkArgoRules(doc)).toEqual([unresolved(`${ARGS}[1]`, 'workflow.parameters.p.value')]);
  });
  it('an exported globalName resolves as workflow.outputs.parameters.<name>, without fields', () => {
    expect(checkArgoRules(dag('{{workflow.outputs.parameters.digest}}'))).toEqual([]);
    expect(checkArgoRules(dag('{{workflow.outputs.parameters.digest.value}}'))).toEqual([unresolved(B_VALUE, 'workflow.outputs.parameters.digest.value')]);
  });
});

describe('loop items in DAG tasks (addItemsToScope)', () => {
  it('withItems puts the keys of its maps in scope', () => {
    expect(checkArgoRules(dag('{{item.name}}', { withItems: [{ name: 'x' }, { name: 'y' }] }))).toEqual([]);
  });
  it('withParam allows any item key', () => {
    expect(checkArgoRules(dag('{{item.name}}', { withParam: '{{tasks.a.outputs.result}}' }))).toEqual([]);
  });
  it('a task without a loop has no item', () => {
    expect(checkArgoRules(dag('{{item.name}}'))).toEqual([unresolved(B_VALUE, 'item.name')]);
  });
  it('a loop brings items only: other tags of the task are still checked', () => {
    expect(checkArgoRules(dag('{{inputs.parameters.nope}}', { withItems: [{ name: 'x' }] }))).toEqual([unresolved(B_VALUE, 'inputs.parameters.nope')]);
  });
});

describe('tasks.<t>.… (addOutputsToScope)', () => {
  it('an output artifact the task\'s template declares resolves', () => {
    expect(checkArgoRules(dag('v', { arguments: { parameters: [{ name: 'd', value: 'v' }], artifacts: [{ name: 'img', from: '{{tasks.a.outputs.artifacts.img}}' }] } }))).toEqual([]);
  });
  it('an output parameter has no fields', () => {
    expect(checkArgoRules(dag('{{tasks.a.outputs.parameters.digest.value}}'))).toEqual([unresolved(B_VALUE, 'tasks.a.outputs.parameters.digest.value')]);
  });
  it('a task whose template has no outputs has no output parameters', () => {
    expect(checkArgoRules(dag('{{tasks.a.outputs.parameters.digest}}', {}, 'bare'))).toEqual([unresolved(B_VALUE, 'tasks.a.outputs.parameters.digest')]);
  });
  it('tasks nested under another root are not tasks', () => {
    expect(checkArgoRules(dag('{{workflow.tasks.a.status}}'))).toEqual([unresolved(B_VALUE, 'workflow.tasks.a.status')]);
  });
});

describe('steps.<s>.… (validateSteps, addOutputsToScope)', () => {
  const steps = (value: string, groups: Doc[][] = []): Doc => wt([
    { name: 'main', steps: [[{ name: 'build', template: 'gen' }], [{ name: 'push', template: 'use', arguments: { parameters: [{ name: 'd', value }] } }], ...groups] },
    gen, use,
  ]);
  const PUSH = 'spec.templates[0].steps[1][0].arguments.parameters[0].value';
  it('an earlier step\'s output parameter resolves', () => {
    expect(checkArgoRules(steps('{{steps.build.outputs.parameters.digest}}'))).toEqual([]);
  });
  it('an output parameter has no fields, and steps nested under another root are not steps', () => {
    expect(checkArgoRules(steps('{{steps.build.outputs.parameters.digest.value}}'))).toEqual([unresolved(PUSH, 'steps.build.outputs.parameters.digest.value')]);
    expect(checkArgoRules(steps('{{workflow.steps.build.status}}'))).toEqual([unresolved(PUSH, 'workflow.steps.build.status')]);
  });
  it('a step name used twice in a group is reported as such, and no other error follows from it', () => {
    const doc = steps('{{steps.build.outputs.parameters.digest}}');
    doc.spec.templates[0].steps[0].push({ name: 'build', template: 'bare' });
    doc.spec.templates.push(bare);
    expect(checkArgoRules(doc)).toEqual([{ path: 'spec.templates[0].steps[0][1].name', message: 'duplicate step name "build"' }]);
  });
  it('an empty (null) step is reported as unnamed', () => {
    expect(checkArgoRules(steps('{{steps.build.outputs.parameters.digest}}', [[null as unknown as Doc]]))).toEqual([
      { path: 'spec.templates[0].steps[2][0].name', message: 'step name is required' },
    ]);
  });
});
