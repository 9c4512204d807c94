/**
 * Argo's semantic validation (src/validate/argo.ts, checkArgoRules) on hand-built documents, with
 * literal expectations: the DAG-task, step-group and spec-level cases the mutation run left
 * untested (argo.ts lines 181-222). Upstream facts used (argo-workflows workflow/validate/validate.go
 * unless noted; ../shared/reference/argo.md §2):
 * - validateSteps: step names are validated with isValidWorkflowFieldName and must be unique; each
 *   group sees only the outputs of earlier groups (addOutputsToScope after the group), and the
 *   template's own outputs are checked (validateOutputs) against the scope after every group, so a
 *   step that does not exist is "failed to resolve" there; addOutputsToScope adds only the output
 *   parameters the step's template declares;
 * - validateDAG: task names unique and isValidWorkflowFieldName (validateWorkflowFieldNames);
 *   `(usingDepends || len(task.Dependencies) > 0) && task.Name[0] is a digit` is rejected ("name
 *   cannot begin with a digit when using either 'depends' or 'dependencies'"); a DAG without any
 *   dependencies may use such names; each task's JSON goes through resolveAllVariables (fasttemplate:
 *   an unclosed `{{` is a parse error); validateArguments(…, false): every task argument needs a
 *   value or valueFrom; the task's template is validated again with the task's arguments
 *   (common.ProcessArgs: an input with no value, no default and no argument "was not supplied");
 * - validateTemplateHolder / templateresolution: a templateRef needs both name and template;
 * - workflow/controller/operator.go substituteGlobalVariables: at run time the spec (without its
 *   templates: arguments, workflowMetadata, …) is substituted with fasttemplate, where an unclosed
 *   `{{` is an error.
 */
import { checkArgoRules } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const wt = (templates: Doc[], spec: Doc = {}): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'demo' }, spec: { templates, ...spec },
});
/** A leaf template with one required input, IN. */
const echo: Doc = { name: 'echo', inputs: { parameters: [{ name: 'IN' }] }, container: { image: IMG, command: ['echo', '{{inputs.parameters.IN}}'] } };
/** A leaf template with no inputs and two outputs. */
const make: Doc = {
  name: 'make', container: { image: IMG, command: ['true'] },
  outputs: { parameters: [{ name: 'OUT', valueFrom: { path: '/tmp/out' } }, { name: 'LOG', valueFrom: { path: '/tmp/log' } }] },
};
const plain: Doc = { name: 'plain', container: { image: IMG, command: ['true'] } };
const task = (name: string, extra: Doc = {}): Doc => ({ name, template: 'plain', ...extra });
const dag = (tasks: Doc[], more: Doc[] = [plain]): Doc => wt([{ name: 'main', dag: { tasks } }, ...more]);
const steps = (groups: Doc[][], extra: Doc = {}): Doc => wt([{ name: 'main', steps: groups, ...extra }, make, plain, echo]);
const DIGIT = 'task names may not start with a digit when dependencies are used';

describe('steps: what a step name resolves to', () => {
  it('the template\'s outputs may not name a step that does not exist (no group suffix: they see every step)', () => {
    expect(checkArgoRules(steps([[{ name: 'a', template: 'make' }]], {
      outputs: { parameters: [{ name: 'R', valueFrom: { parameter: '{{steps.nope.outputs.parameters.OUT}}' } }] },
    }))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom.parameter', message: 'failed to resolve {{steps.nope.outputs.parameters.OUT}}' },
    ]);
  });
  it('a later group may use any one of the outputs the earlier step\'s template declares', () => {
    const use = (p: string) => ({ name: 'b', template: 'echo', arguments: { parameters: [{ name: 'IN', value: `{{steps.a.outputs.parameters.${p}}}` }] } });
    expect(checkArgoRules(steps([[{ name: 'a', template: 'make' }], [use('OUT')]]))).toEqual([]);
    expect(checkArgoRules(steps([[{ name: 'a', template: 'make' }], [use('LOG')]]))).toEqual([]);
  });
  it('a step whose template has no outputs at all offers no output parameters', () => {
    expect(checkArgoRules(steps([[{ name: 'a', template: 'plain' }],
      [{ name: 'b', template: 'echo', arguments: { parameters: [{ name: 'IN', value: '{{steps.a.outputs.parameters.OUT}}' }] } }]]))).toEqual([
      { path: 'spec.templates[0].steps[1][0].arguments.parameters[0].value', message: 'failed to resolve {{steps.a.outputs.parameters.OUT}}' },
    ]);
  });
  it('step names within a group are unique and follow the template-name pattern', () => {
    expect(checkArgoRules(steps([[{ name: 'a', template: 'plain' }, { name: 'a', template: 'plain' }, { name: 'b_c', template: 'plain' }]]))).toEqual([
      { path: 'spec.templates[0].steps[0][1].name', message: 'duplicate step name "a"' },
      { path: 'spec.templates[0].steps[0][2].name', message: 'step name "b_c" must match ^[a-zA-Z0-9][-a-zA-Z0-9]*$' },
    ]);
  });
  it('an unclosed {{ in a step is reported where it is', () => {
    expect(checkArgoRules(steps([[{ name: 'a', template: 'echo', arguments: { parameters: [{ name: 'IN', value: 'x {{inputs.parameters.IN' }] } }]]))).toEqual([
      { path: 'spec.templates[0].steps[0][0].arguments.parameters[0].value', message: 'unclosed {{ in a string' },
    ]);
  });
});

describe('DAG tasks', () => {
  it('task names are unique and follow the template-name pattern', () => {
    expect(checkArgoRules(dag([task('a'), task('a'), task('b.c')]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[1].name', message: 'duplicate task name "a"' },
      { path: 'spec.templates[0].dag.tasks[2].name', message: 'task name "b.c" must match ^[a-zA-Z0-9][-a-zA-Z0-9]*$' },
    ]);
  });
  it('a task using depends may not start with a digit', () => {
    expect(checkArgoRules(dag([task('a'), task('1b', { depends: 'a' })]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[1].name', message: DIGIT },
    ]);
  });
  it('a task using dependencies may not start with a digit', () => {
    expect(checkArgoRules(dag([task('a'), task('2b', { dependencies: ['a'] })]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[1].name', message: DIGIT },
    ]);
  });
  it('a digit is fine inside the name, and anywhere in a DAG without dependencies', () => {
    expect(checkArgoRules(dag([task('a'), task('b1', { depends: 'a' })]))).toEqual([]);
    expect(checkArgoRules(dag([task('3a'), task('4b')]))).toEqual([]);
  });
  it('a templateRef needs both name and template', () => {
    expect(checkArgoRules(dag([{ name: 'a', templateRef: { name: 'other' } }, { name: 'b', templateRef: { template: 'x' } },
      { name: 'c', templateRef: { name: 'other', template: 'x' } }]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].templateRef', message: 'templateRef needs name and template' },
      { path: 'spec.templates[0].dag.tasks[1].templateRef', message: 'templateRef needs name and template' },
    ]);
  });
  it('every task argument needs a value or a valueFrom', () => {
    expect(checkArgoRules(dag([task('a', { template: 'echo', arguments: { parameters: [{ name: 'IN' }] } }),
      task('b', { template: 'echo', arguments: { parameters: [{ name: 'IN', valueFrom: { supplied: {} } }] } })], [echo]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].arguments.parameters[0]', message: 'argument "IN" needs a value' },
    ]);
  });
  it('a task must supply each input of its template that has no value or default of its own', () => {
    const t: Doc = { name: 't', inputs: { parameters: [{ name: 'A' }, { name: 'B', value: 'fixed' }, { name: 'C', default: 'c' }] }, container: { image: IMG, command: ['true'] } };
    expect(checkArgoRules(dag([task('a', { template: 't' })], [t]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].arguments', message: 'input "A" of template "t" has no value' },
    ]);
  });
  it('passing an argument to a template without inputs does not crash the check', () => {
    expect(() => checkArgoRules(dag([task('a', { arguments: { parameters: [{ name: 'X', value: 'x' }] } })]))).not.toThrow();
  });
  it('an unclosed {{ in a task is reported where it is', () => {
    expect(checkArgoRules(dag([task('a', { template: 'echo', arguments: { parameters: [{ name: 'IN', value: '{{workflow.name' }] } })], [echo]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].arguments.parameters[0].value', message: 'unclosed {{ in a string' },
    ]);
  });
});

describe('spec-level strings', () => {
  it('an unclosed {{ in spec.arguments or spec.workflowMetadata is reported', () => {
    expect(checkArgoRules(wt([plain], {
      arguments: { parameters: [{ name: 'P', value: 'a {{workflow.name' }] },
      workflowMetadata: { labels: { team: '{{workflow.parameters.P' } },
    }))).toEqual([
      { path: 'spec.arguments.parameters[0].value', message: 'unclosed {{ in a string' },
      { path: 'spec.workflowMetadata.labels.team', message: 'unclosed {{ in a string' },
    ]);
  });
  it('closed tags there are fine', () => {
    expect(checkArgoRules(wt([plain], { arguments: { parameters: [{ name: 'P', value: '{{workflow.name}}' }] } }))).toEqual([]);
  });
});
