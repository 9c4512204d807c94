/**
 * Argo's own semantic validation (src/validate/argo.ts, checkArgoRules), lines 1-95: document
 * selection, metadata.name, names in lists, `{{…}}` tag scanning, DAG cycles; called directly on
 * hand-built documents with literal expectations: the cases the mutation run left untested.
 * Upstream facts used (argoproj/argo-workflows v4.1.2; ../shared/reference/argo.md §2):
 * - workflow/validate/validate.go WorkflowTemplate / ClusterWorkflowTemplate / Workflow: the name
 *   is at most 63 characters (maxCharsInObjectName); the Kubernetes API server (apimachinery
 *   ValidateObjectMeta, NameIsDNSSubdomain) requires a DNS-1123 subdomain, or a generateName;
 *   WorkflowTemplate() and ClusterWorkflowTemplate() both run Workflow() on the spec;
 * - validate.go validateWorkflowFieldNames: every name in a list is non-empty ("[i].name is
 *   required"), unique, and matches ^[a-zA-Z0-9][-a-zA-Z0-9]*$ with at most 128 characters
 *   (isValidWorkflowFieldName, workflowFieldMaxLength) for templates, steps and tasks, or
 *   ^[-a-zA-Z0-9_]+$ for parameters and artifacts (isValidParamOrArtifactName);
 * - validate.go resolveAllVariables: the template's JSON is scanned with fasttemplate (an unclosed
 *   `{{` fails), each tag is trimmed (strings.TrimSpace), only tags with a prefix of
 *   common.GlobalVarValidWorkflowVariablePrefix (item. steps. inputs. outputs. pod. workflow.
 *   tasks.) are resolved, others stay literal; workflow.name, namespace, mainEntrypoint,
 *   serviceAccountName, uid and status are always global (validate.go:71-75, 257) and
 *   workflow.creationTimestamp and workflow.duration are allowed by prefix;
 * - validate.go validateOutputParameter: jqFilter, jsonPath, expression and supplied each count as
 *   the one valueFrom source;
 * - validate.go verifyNoCycles: a dependency cycle among DAG tasks is rejected; validateDAG: a
 *   dependency must name a task of the DAG.
 */
import { checkArgoRules } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const wt = (spec: Doc, metadata: Doc | null = { name: 'hello' }, kind = 'WorkflowTemplate'): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1', kind, ...(metadata && { metadata }), spec,
});
/** One container template `main` whose args are `args`. */
const withArgs = (...args: string[]): Doc => wt({ templates: [{ name: 'main', container: { image: IMG, args } }] });
const DNS = 'must be a DNS-1123 subdomain of at most 63 characters';

describe('which documents are checked', () => {
  it('a ClusterWorkflowTemplate gets the same rules as a WorkflowTemplate', () => {
    expect(checkArgoRules(wt({ templates: [] }, { name: 'My_Template' }, 'ClusterWorkflowTemplate'))).toEqual([
      { path: 'metadata.name', message: `"My_Template" ${DNS}` },
    ]);
  });
});

describe('metadata.name', () => {
  it('a template without metadata (or without a name) is reported, not a crash', () => {
    expect(checkArgoRules(wt({ templates: [] }, null))).toEqual([{ path: 'metadata.name', message: `"" ${DNS}` }]);
    expect(checkArgoRules(wt({ templates: [] }, {}))).toEqual([{ path: 'metadata.name', message: `"" ${DNS}` }]);
  });
  it('a Workflow without metadata, or with neither name nor generateName, is reported', () => {
    expect(checkArgoRules(wt({ templates: [] }, null, 'Workflow'))).toEqual([{ path: 'metadata.name', message: `"" ${DNS}` }]);
    expect(checkArgoRules(wt({ templates: [] }, { labels: { a: 'b' } }, 'Workflow'))).toEqual([{ path: 'metadata.name', message: `"" ${DNS}` }]);
  });
  it('generateName stands in for the name of a Workflow only, and only when there is no name', () => {
    expect(checkArgoRules(wt({ templates: [] }, { generateName: 'run-' }, 'Workflow'))).toEqual([]);
    expect(checkArgoRules(wt({ templates: [] }, { generateName: 'hello-' }))).toEqual([{ path: 'metadata.name', message: `"" ${DNS}` }]);
    expect(checkArgoRules(wt({ templates: [] }, { name: 'Run', generateName: 'run-' }, 'Workflow'))).toEqual([
      { path: 'metadata.name', message: `"Run" ${DNS}` },
    ]);
  });
  it('a name that is not a string is reported', () => {
    expect(checkArgoRules(wt({ templates: [] }, { name: 123 }))).toEqual([{ path: 'metadata.name', message: `"123" ${DNS}` }]);
  });
  it('the name must be a DNS-1123 subdomain as a whole: no upper case, no "_", first and last alphanumeric', () => {
    for (const name of ['My-app', 'my-apP', 'my_app', '-app', 'app-', 'app.']) {
      expect(checkArgoRules(wt({ templates: [] }, { name }))).toEqual([{ path: 'metadata.name', message: `"${name}" ${DNS}` }]);
    }
  });
  it('one character, dots and exactly 63 characters are fine', () => {
    for (const name of ['a', '1', 'a.b-c', 'x'.repeat(63)]) expect(checkArgoRules(wt({ templates: [] }, { name }))).toEqual([]);
    expect(checkArgoRules(wt({ templates: [] }, { name: 'x'.repeat(64) }))).toEqual([{ path: 'metadata.name', message: `"${'x'.repeat(64)}" ${DNS}` }]);
  });
});

describe('names in lists (validateWorkflowFieldNames)', () => {
  const TEMPLATE_NAME = '^[a-zA-Z0-9][-a-zA-Z0-9]*$';
  const PARAM_NAME = '^[-a-zA-Z0-9_]+$';
  it('a template name must match as a whole (upper case and digits first are fine)', () => {
    expect(checkArgoRules(wt({ templates: [{ name: 'Build-2', suspend: {} }, { name: '1st', suspend: {} }] }))).toEqual([]);
    for (const name of ['-main', 'main_x', 'main.x']) {
      expect(checkArgoRules(wt({ templates: [{ name, suspend: {} }] }))).toEqual([
        { path: 'spec.templates[0].name', message: `template name "${name}" must match ${TEMPLATE_NAME}` },
      ]);
    }
  });
  it('a template name has at most 128 characters', () => {
    expect(checkArgoRules(wt({ templates: [{ name: 'T'.repeat(128), suspend: {} }] }))).toEqual([]);
    expect(checkArgoRules(wt({ templates: [{ name: 'T'.repeat(129), suspend: {} }] }))).toEqual([
      { path: 'spec.templates[0].name', message: 'template names are at most 128 characters' },
    ]);
  });
  it('a missing or empty step name is required, not a crash (an empty YAML list item is null)', () => {
    const doc = wt({ templates: [
      { name: 'main', steps: [[{ name: 'a', template: 'leaf' }, null, { template: 'leaf' }, { name: '', template: 'leaf' }]] },
      { name: 'leaf', suspend: {} },
    ] });
    expect(checkArgoRules(doc)).toEqual([
      { path: 'spec.templates[0].steps[0][1].name', message: 'step name is required' },
      { path: 'spec.templates[0].steps[0][2].name', message: 'step name is required' },
      { path: 'spec.templates[0].steps[0][3].name', message: 'step name is required' },
    ]);
  });
  it('a workflow parameter name must match as a whole, and be unique; issues point into spec.arguments', () => {
    const doc = wt({ arguments: { parameters: [{ name: 'a.b', value: 'x' }, { name: 'my_P-1', value: 'x' }, { name: 'my_P-1', value: 'y' }, { name: 'c d', value: 'x' }] }, templates: [] });
    expect(checkArgoRules(doc)).toEqual([
      { path: 'spec.arguments.parameters[0].name', message: `parameter name "a.b" must match ${PARAM_NAME}` },
      { path: 'spec.arguments.parameters[2].name', message: 'duplicate parameter name "my_P-1"' },
      { path: 'spec.arguments.parameters[3].name', message: `parameter name "c d" must match ${PARAM_NAME}` },
    ]);
  });
});

describe('{{…}} tags (resolveAllVariables)', () => {
  it('tags without a workflow variable prefix stay literal and are not checked', () => {
    expect(checkArgoRules(withArgs('{{foo}}', '{{.Config.Labels}}', '{{ item }}', '{{input.parameters.x}}'))).toEqual([]);
  });
  it('a tag is trimmed before it is resolved', () => {
    expect(checkArgoRules(withArgs('{{ inputs.parameters.nope }}'))).toEqual([
      { path: 'spec.templates[0].container.args[0]', message: 'failed to resolve {{inputs.parameters.nope}}' },
    ]);
  });
  it('adjacent tags and an empty tag are scanned one after the other', () => {
    const doc = wt({ templates: [{
      name: 'main', inputs: { parameters: [{ name: 'registry' }, { name: 'image' }] },
      container: { image: IMG, args: ['{{inputs.parameters.registry}}{{inputs.parameters.image}}', '{{}}', '{{inputs.parameters.registry}}{{inputs.parameters.nope}}'] },
    }] });
    expect(checkArgoRules(doc)).toEqual([
      { path: 'spec.templates[0].container.args[2]', message: 'failed to resolve {{inputs.parameters.nope}}' },
    ]);
  });
  it('an unclosed {{ after a closed tag is reported', () => {
    expect(checkArgoRules(withArgs('{{workflow.name}}{{workflow.name'))).toEqual([
      { path: 'spec.templates[0].container.args[0]', message: 'unclosed {{ in a string' },
    ]);
  });
  it('the workflow globals always in scope resolve', () => {
    const globals = ['name', 'namespace', 'uid', 'serviceAccountName', 'mainEntrypoint', 'creationTimestamp', 'duration', 'status'];
    expect(checkArgoRules(withArgs(...globals.map((g) => `{{workflow.${g}}}`)))).toEqual([]);
    expect(checkArgoRules(withArgs('{{workflow.nope}}'))).toEqual([
      { path: 'spec.templates[0].container.args[0]', message: 'failed to resolve {{workflow.nope}}' },
    ]);
  });
});

describe('output parameter sources (validateOutputParameter)', () => {
  it('jqFilter, jsonPath, expression and supplied each count as the one source', () => {
    const doc = wt({ templates: [
      { name: 'get', resource: { action: 'get', manifest: 'kind: ConfigMap' }, outputs: { parameters: [
        { name: 'a', valueFrom: { jqFilter: '.metadata.name' } },
        { name: 'b', valueFrom: { jsonPath: '{.metadata.name}' } },
      ] } },
      { name: 'main', steps: [[{ name: 's', template: 'get' }]], outputs: { parameters: [
        { name: 'c', valueFrom: { expression: 'steps.s.status' } },
      ] } },
      { name: 'approve', suspend: {}, outputs: { parameters: [{ name: 'd', valueFrom: { supplied: {} } }] } },
    ] });
    expect(checkArgoRules(doc)).toEqual([]);
  });
});

describe('DAG dependency cycles (verifyNoCycles)', () => {
  const dag = (tasks: Doc[]) => wt({ templates: [{ name: 'main', dag: { tasks } }, { name: 'leaf', suspend: {} }] });
  it('a cycle not reachable from the first task is found', () => {
    expect(checkArgoRules(dag([
      { name: 'a', template: 'leaf' },
      { name: 'b', template: 'leaf', depends: 'c' },
      { name: 'c', template: 'leaf', depends: 'b' },
    ]))).toEqual([{ path: 'spec.templates[0].dag.tasks[1].depends', message: 'dependency cycle: b -> c -> b' }]);
  });
  it('the message names only the cycle, not the task that leads into it', () => {
    expect(checkArgoRules(dag([
      { name: 'a', template: 'leaf', depends: 'b' },
      { name: 'b', template: 'leaf', depends: 'c.Succeeded' },
      { name: 'c', template: 'leaf', depends: 'b' },
    ]))).toEqual([{ path: 'spec.templates[0].dag.tasks[1].depends', message: 'dependency cycle: b -> c -> b' }]);
  });
  it('a diamond is no cycle', () => {
    expect(checkArgoRules(dag([
      { name: 'a', template: 'leaf' },
      { name: 'b', template: 'leaf', depends: 'a' },
      { name: 'c', template: 'leaf', depends: 'a' },
      { name: 'd', template: 'leaf', depends: 'b && c' },
    ]))).toEqual([]);
  });
});
