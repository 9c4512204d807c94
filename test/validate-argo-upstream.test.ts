/**
 * Where validate/argo.ts was stricter or looser than Argo (found by the mutation triage and a review
 * against argo-workflows v4.1.2 workflow/validate/validate.go), now as Argo decides:
 * - validateSteps (l.1067-1081): step names are unique across all groups of a template;
 * - addItemsToScope: a step with withItems / withParam / withSequence has {{item…}}, as a DAG task does;
 * - resolveAllVariables: any `outputs.` tag of a template's own is in scope (e.g. {{outputs.result}},
 *   {{outputs.artifacts.<a>.path}}); we still want a named output parameter declared;
 * - validateLeaf (l.879-892, 962-977): a Workflow's or WorkflowTemplate's spec.templateDefaults may
 *   give a container's or script's image, a ClusterWorkflowTemplate's may not;
 * - argo-workflows-catalog hack/main.go reads workflows.argoproj.io/version with Masterminds/semver
 *   NewConstraint: "1.2.34.5", ">= 3.6.0 4", ">=3.6<4" are refused there.
 */
import { checkArgoCatalogRules, checkArgoRules } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const IMG = 'busybox:1.36';
const wt = (templates: Doc[], extra: Doc = {}, kind = 'WorkflowTemplate'): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1', kind, metadata: { name: 'hello' }, spec: { entrypoint: templates[0].name, templates, ...extra },
});
const leaf = (name: string, extra: Doc = {}): Doc => ({ name, inputs: { parameters: [{ name: 'v', value: 'x' }] }, container: { image: IMG, args: ['{{inputs.parameters.v}}'] }, ...extra });

describe('steps', () => {
  it('a step name used in two groups is a duplicate (validateSteps checks the whole template)', () => {
    expect(checkArgoRules(wt([{ name: 'main', steps: [[{ name: 'a', template: 'make' }], [{ name: 'a', template: 'make' }]] }, leaf('make')]))).toEqual([
      { path: 'spec.templates[0].steps[1][0].name', message: 'duplicate step name "a"' },
    ]);
  });
  it.each([
    ['withItems', { withItems: [{ v: 'x' }, { v: 'y' }] }, '{{item.v}}'],
    ['withParam', { withParam: '["x","y"]' }, '{{item}}'],
    ['withSequence', { withSequence: { count: '3' } }, '{{item}}'],
  ])('a step with %s has {{item}} in scope', (_loop, loop, value) => {
    expect(checkArgoRules(wt([{ name: 'main', steps: [[{ name: 'a', template: 'make', arguments: { parameters: [{ name: 'v', value }] }, ...loop }]] }, leaf('make')]))).toEqual([]);
  });
  it('a step without a loop has no {{item.<key>}}', () => {
    expect(checkArgoRules(wt([{ name: 'main', steps: [[{ name: 'a', template: 'make', arguments: { parameters: [{ name: 'v', value: '{{item.v}}' }] } }]] }, leaf('make')]))).toEqual([
      { path: 'spec.templates[0].steps[0][0].arguments.parameters[0].value', message: 'failed to resolve {{item.v}}' },
    ]);
  });
});

describe('a template\'s own outputs', () => {
  it('{{outputs.result}} and {{outputs.artifacts.<a>.path}} are in scope; an undeclared output parameter is still refused', () => {
    const t = leaf('main', {
      outputs: { artifacts: [{ name: 'sbom', path: '/tmp/sbom.json' }] },
      container: { image: IMG, args: ['--sbom={{outputs.artifacts.sbom.path}}', '{{outputs.parameters.nope}}'] },
      metrics: { prometheus: [{ name: 'r', help: 'r', gauge: { value: '{{outputs.result}}' } }] },
    });
    expect(checkArgoRules(wt([t]))).toEqual([{ path: 'spec.templates[0].container.args[1]', message: 'failed to resolve {{outputs.parameters.nope}}' }]);
  });
});

describe('the image from spec.templateDefaults', () => {
  const noImage = { name: 'main', container: { args: ['x'] } };
  it.each(['WorkflowTemplate', 'Workflow'])('a %s may give containers their image', (kind) => {
    expect(checkArgoRules(wt([noImage], { templateDefaults: { container: { image: IMG } } }, kind))).toEqual([]);
  });
  it('a script\'s image from templateDefaults.script', () => {
    expect(checkArgoRules(wt([{ name: 'main', script: { source: 'echo hi' } }], { templateDefaults: { script: { image: IMG } } }))).toEqual([]);
    expect(checkArgoRules(wt([{ name: 'main', script: { source: 'echo hi' } }], { templateDefaults: { container: { image: IMG } } }))).toEqual([
      { path: 'spec.templates[0].script.image', message: 'image is required' },
    ]);
  });
  it('a ClusterWorkflowTemplate may not', () => {
    expect(checkArgoRules(wt([noImage], { templateDefaults: { container: { image: IMG } } }, 'ClusterWorkflowTemplate'))).toEqual([
      { path: 'spec.templates[0].container.image', message: 'image is required' },
    ]);
  });
});

describe('the catalog\'s version constraint, read as Masterminds/semver reads it', () => {
  const doc = (version: string): Doc => ({
    ...wt([leaf('main')]),
    metadata: {
      name: 'hello', labels: { 'app.kubernetes.io/version': '0.1' },
      annotations: {
        'workflows.argoproj.io/description': 'Says hello.', 'workflows.argoproj.io/version': version,
        'workflows.argoproj.io/maintainer': '@me', 'workflows.argoproj.io/tags': 'hello', 'workflows.argoproj.io/title': 'Hello',
      },
    },
  });
  const versionIssues = (version: string) => checkArgoCatalogRules(doc(version), 'workflowtemplate/hello/0.1/hello.yaml').filter((i) => i.path.includes('version'));
  it.each(['1.2.34.5', '>= 3.6.0 4', '>=3.6<4'])('%j is refused', (version) => {
    expect(versionIssues(version)).toEqual([{ path: 'metadata.annotations["workflows.argoproj.io/version"]', message: `"${version}" is not a semver constraint` }]);
  });
  it.each(['>= 3.6.0', '>= 3.6, < 4', '~3.6', '3.x'])('%j is accepted', (version) => {
    expect(versionIssues(version)).toEqual([]);
  });
});

describe('an output parameter\'s valueFrom sources (validateOutputParameter: path, jqFilter, jsonPath, parameter, expression when non-empty; supplied)', () => {
  const out = (valueFrom: Doc, t: Doc = { container: { image: IMG } }) => checkArgoRules(wt([{ name: 'main', ...t, outputs: { parameters: [{ name: 'o', valueFrom }] } }]));
  const AT = 'spec.templates[0].outputs.parameters[0].valueFrom';
  it('configMapKeyRef or event is no source: alone they are "none", beside path they do not count', () => {
    expect(out({ configMapKeyRef: { name: 'cm', key: 'k' } })).toEqual([
      { path: AT, message: 'valueFrom needs exactly one source; found none' },
      { path: AT, message: 'container and script outputs need valueFrom.path' },
    ]);
    expect(out({ path: '/tmp/o', configMapKeyRef: { name: 'cm', key: 'k' } })).toEqual([]);
    expect(out({ path: '/tmp/o', event: 'x' })).toEqual([]);
  });
  it('an empty string is no source', () => {
    expect(out({ path: '/tmp/o', jsonPath: '' })).toEqual([]);
  });
  it('supplied is a source, also when empty ({}), on a suspend template', () => {
    expect(out({ supplied: {} }, { suspend: {} })).toEqual([]);
    expect(out({ supplied: {}, expression: 'x' }, { suspend: {} })).toEqual([{ path: AT, message: 'valueFrom needs exactly one source; found expression, supplied' }]);
  });
  it('a resource template\'s output needs jqFilter or jsonPath (validateOutputs l.1292-1295)', () => {
    const resource = { resource: { action: 'get', manifest: 'kind: ConfigMap' } };
    expect(out({ jsonPath: '{.metadata.name}' }, resource)).toEqual([]);
    expect(out({ jqFilter: '.metadata.name' }, resource)).toEqual([]);
    expect(out({ expression: 'x' }, resource)).toEqual([{ path: AT, message: 'resource outputs need valueFrom.jqFilter or jsonPath' }]);
  });
});

describe('depends, read as workflow/common/ancestry.go reads it (GetTaskDependencies, ValidateTaskResults)', () => {
  const dagOf = (depends: string) => wt([{ name: 'main', dag: { tasks: [{ name: 'a', template: 'make' }, { name: 'b', template: 'make', depends }] } }, leaf('make')]);
  const AT = 'spec.templates[0].dag.tasks[1].depends';
  it.each(['a', 'a.Succeeded', 'a.Failed || a.Errored', '!a.Skipped && (a.Omitted || a.Daemoned)', 'a.AnySucceeded', 'a.AllFailed'])('%j is accepted', (depends) => {
    expect(checkArgoRules(dagOf(depends))).toEqual([]);
  });
  it('a misspelt result is refused, naming it', () => {
    expect(checkArgoRules(dagOf('a.Succeded'))).toEqual([
      { path: AT, message: "task result 'Succeded' for task 'a' is invalid (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed)" },
    ]);
  });
  it('a result in lower case is a second task name, as is a bare result word', () => {
    expect(checkArgoRules(dagOf('a.succeeded'))).toEqual([{ path: AT, message: 'depends on unknown task "succeeded"' }]);
    expect(checkArgoRules(dagOf('Succeeded'))).toEqual([{ path: AT, message: 'depends on unknown task "Succeeded"' }]);
  });
  it('an unknown task named twice is reported once', () => {
    expect(checkArgoRules(dagOf('x.Succeeded || x.Failed'))).toEqual([{ path: AT, message: 'depends on unknown task "x"' }]);
  });
});

describe('DAG rules of validateDAG (v4.1.2 l.1438-1478)', () => {
  const dagOf = (tasks: Doc[]) => wt([{ name: 'main', dag: { tasks } }, leaf('make')]);
  const T = (name: string, extra: Doc = {}) => ({ name, template: 'make', ...extra });
  const DIGIT = 'task names may not start with a digit when dependencies are used';
  it('once any task uses depends, a root task starting with a digit is refused too (Argo\'s TestDAGDependsDigit)', () => {
    expect(checkArgoRules(dagOf([T('5A'), T('b', { depends: '5A' })]))).toEqual([{ path: 'spec.templates[0].dag.tasks[0].name', message: DIGIT }]);
  });
  it('an empty depends or dependencies list is no dependency', () => {
    expect(checkArgoRules(dagOf([T('1a', { depends: '' }), T('2b', { dependencies: [] })]))).toEqual([]);
  });
  it('depends and dependencies in one DAG, and continueOn with depends, are refused', () => {
    expect(checkArgoRules(dagOf([T('a'), T('b', { depends: 'a' }), T('c', { dependencies: ['a'] }), T('d', { depends: 'a', continueOn: { failed: true } })]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[2].dependencies', message: 'a DAG cannot use both depends and dependencies: write this task\'s dependencies as depends' },
      { path: 'spec.templates[0].dag.tasks[3].continueOn', message: 'a DAG using depends cannot use continueOn: depend on "<task>.Failed" or "<task>.Errored" instead' },
    ]);
    expect(checkArgoRules(dagOf([T('a'), T('c', { dependencies: ['a'], continueOn: { failed: true } })]))).toEqual([]);
  });
  it('a DAG without tasks is refused', () => {
    expect(checkArgoRules(wt([{ name: 'main', dag: { tasks: [] } }]))).toEqual([{ path: 'spec.templates[0].dag.tasks', message: 'a DAG needs at least one task' }]);
  });
});

describe('what names a template or task, and loops (validate.go ValidateWorkflow, validateDAGTargets, validateItems)', () => {
  it('spec.onExit names a template of the document', () => {
    expect(checkArgoRules(wt([leaf('main')], { onExit: 'cleanup' }))).toEqual([{ path: 'spec.onExit', message: "template name 'cleanup' undefined" }]);
    expect(checkArgoRules(wt([leaf('main'), leaf('cleanup')], { onExit: 'cleanup' }))).toEqual([]);
  });
  it('dag.target names tasks of the DAG, or is a {{parameter}}', () => {
    const withTarget = (target: string) => wt([{ name: 'main', inputs: { parameters: [{ name: 't', value: 'a' }] }, dag: { target, tasks: [{ name: 'a', template: 'make' }, { name: 'b', template: 'make' }] } }, leaf('make')]);
    expect(checkArgoRules(withTarget('a b'))).toEqual([]);
    expect(checkArgoRules(withTarget('{{inputs.parameters.t}}'))).toEqual([]);
    expect(checkArgoRules(withTarget('a nope'))).toEqual([{ path: 'spec.templates[0].dag.target', message: "target 'nope' is not defined" }]);
  });
  it('one loop per task or step', () => {
    const both = { withItems: ['x'], withParam: '["y"]' };
    expect(checkArgoRules(wt([{ name: 'main', dag: { tasks: [{ name: 'a', template: 'make', ...both }] } }, leaf('make')]))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0]', message: 'only one of withItems, withParam, withSequence can be specified' },
    ]);
    expect(checkArgoRules(wt([{ name: 'main', steps: [[{ name: 'a', template: 'make', withItems: ['x'], withSequence: { count: '2' } }]] }, leaf('make')]))).toEqual([
      { path: 'spec.templates[0].steps[0][0]', message: 'only one of withItems, withParam, withSequence can be specified' },
    ]);
    expect(checkArgoRules(wt([{ name: 'main', steps: [[{ name: 'a', template: 'make', withItems: [], withParam: '["y"]' }]] }, leaf('make')]))).toEqual([]);
  });
});

describe('workflow variables resolveAllVariables accepts at run time (validate.go l.812-828)', () => {
  const using = (value: string, extra: Doc = {}, kind = 'WorkflowTemplate') =>
    wt([{ name: 'main', inputs: { parameters: [{ name: 'v', value }] }, container: { image: IMG, args: ['{{inputs.parameters.v}}'] } }], extra, kind);
  const refused = (value: string) => [{ path: 'spec.templates[0].inputs.parameters[0].value', message: `failed to resolve ${value}` }];
  it.each(['{{workflow.creationTimestamp}}', '{{workflow.creationTimestamp.RFC3339}}', '{{workflow.creationTimestamp.Y}}', '{{workflow.scheduledTime}}',
    '{{workflow.duration}}', '{{workflow.parameters}}', '{{workflow.parameters.json}}'])('%s is in scope', (value) => {
    expect(checkArgoRules(using(value))).toEqual([]);
  });
  it('in a WorkflowTemplate any workflow.parameters… tag is taken, declared or not: the Workflow using it may pass it (l.828, WorkflowTemplateValidation l.413)', () => {
    for (const value of ['{{workflow.parameters.nope}}', '{{workflow.parameters.json.x}}']) {
      expect(checkArgoRules(using(value))).toEqual([]);
      expect(checkArgoRules(using(value, {}, 'ClusterWorkflowTemplate'))).toEqual([]);
    }
  });
  it('in a Workflow only a declared parameter resolves, and the whole set only when there is one (l.209-220)', () => {
    const declared = { arguments: { parameters: [{ name: 'p', value: 'x' }] } };
    expect(checkArgoRules(using('{{workflow.parameters.nope}}', declared, 'Workflow'))).toEqual(refused('{{workflow.parameters.nope}}'));
    expect(checkArgoRules(using('{{workflow.parameters.json.x}}', declared, 'Workflow'))).toEqual(refused('{{workflow.parameters.json.x}}'));
    for (const value of ['{{workflow.parameters.p}}', '{{workflow.parameters}}', '{{workflow.parameters.json}}']) {
      expect(checkArgoRules(using(value, declared, 'Workflow'))).toEqual([]);
    }
    for (const value of ['{{workflow.parameters}}', '{{workflow.parameters.json}}']) expect(checkArgoRules(using(value, {}, 'Workflow'))).toEqual(refused(value));
  });
  it('a Workflow from a workflowTemplateRef also has the referenced template\'s parameters (l.191-194): an undeclared one is not refused', () => {
    expect(checkArgoRules(using('{{workflow.parameters.nope}}', { workflowTemplateRef: { name: 'base' } }, 'Workflow'))).toEqual([]);
  });
  // The globals validate.go puts in scope (newTemplateValidationCtx l.71-75, Workflow() l.245-257), {{pod.name}} (l.517), {{tasks.name}}, {{steps.name}}.
  it.each(['{{workflow.name}}', '{{workflow.namespace}}', '{{workflow.uid}}', '{{workflow.serviceAccountName}}', '{{workflow.mainEntrypoint}}',
    '{{workflow.status}}', '{{pod.name}}', '{{tasks.name}}', '{{steps.name}}',
    '{{workflow.labels}}', '{{workflow.labels.json}}', '{{workflow.annotations}}', '{{workflow.annotations.json}}'])('global %s is in scope', (value) => {
    expect(checkArgoRules(using(value))).toEqual([]);
  });
  it('{{workflow.labels.KEY}} and {{workflow.annotations.KEY}} are taken for any key (the controller\'s workflowDefaults may add keys, l.231-233)', () => {
    expect(checkArgoRules(using('{{workflow.labels.team}}'))).toEqual([]);
    expect(checkArgoRules(using('{{workflow.annotations.owner}}'))).toEqual([]);
  });
  it('{{workflow.priority}} resolves only when spec.priority is set (l.253-255)', () => {
    expect(checkArgoRules(using('{{workflow.priority}}'))).toEqual(refused('{{workflow.priority}}'));
    expect(checkArgoRules(using('{{workflow.priority}}', { priority: 0 }))).toEqual([]);
  });
  describe('{{workflow.failures}} joins the globals with spec.onExit, after the entrypoint\'s templates are validated (l.295-296; tctx.results l.579-584)', () => {
    const FAILURES = 'failed to resolve {{workflow.failures}} (only an exit handler has it: set spec.onExit, in a template the entrypoint does not call)';
    const report = (extra: Doc = {}) => ({ name: 'report', inputs: { parameters: [{ name: 'v', value: '{{workflow.failures}}' }] }, container: { image: IMG, args: ['{{inputs.parameters.v}}'] }, ...extra });
    const main = { name: 'main', steps: [[{ name: 'a', template: 'make' }]] };
    it('an exit handler has it', () => {
      expect(checkArgoRules(wt([main, leaf('make'), report()], { onExit: 'report' }))).toEqual([]);
      expect(checkArgoRules(wt([main, leaf('make'), report()], { onExit: 'report' }, 'Workflow'))).toEqual([]);
    });
    it('without spec.onExit no template has it', () => {
      expect(checkArgoRules(wt([main, leaf('make'), report()]))).toEqual([{ path: 'spec.templates[2].inputs.parameters[0].value', message: FAILURES }]);
      expect(checkArgoRules(wt([main, leaf('make'), report()], { onExit: '' }))).toEqual([{ path: 'spec.templates[2].inputs.parameters[0].value', message: FAILURES }]);
    });
    it('a template the entrypoint calls does not have it, even when the exit handler calls it too', () => {
      const exit = { name: 'exit', steps: [[{ name: 'r', template: 'report' }]] };
      const byStep = { name: 'main', steps: [[{ name: 'a', template: 'make' }, { name: 'r', template: 'report' }]] };
      expect(checkArgoRules(wt([byStep, leaf('make'), report(), exit], { onExit: 'exit' }))).toEqual([{ path: 'spec.templates[2].inputs.parameters[0].value', message: FAILURES }]);
      const byTask = { name: 'main', dag: { tasks: [{ name: 'r', template: 'report' }] } };
      expect(checkArgoRules(wt([byTask, report(), exit], { onExit: 'exit' }))).toEqual([{ path: 'spec.templates[1].inputs.parameters[0].value', message: FAILURES }]);
      expect(checkArgoRules(wt([report(), exit], { onExit: 'exit' }))).toEqual([{ path: 'spec.templates[0].inputs.parameters[0].value', message: FAILURES }]);
    });
    it('the entrypoint reaches through steps, inline templates and other templates at any depth, but not through hooks or templateRef', () => {
      const viaInline = { name: 'main', steps: [[{ name: 'i', inline: { steps: [[{ name: 'r', template: 'report' }]] } }]] };
      expect(checkArgoRules(wt([viaInline, report()], { onExit: 'report' }))).toEqual([{ path: 'spec.templates[1].inputs.parameters[0].value', message: FAILURES }]);
      const viaMid = { name: 'main', steps: [[{ name: 'm', template: 'mid' }]] };
      const mid = { name: 'mid', dag: { tasks: [{ name: 'r', template: 'report' }] } };
      expect(checkArgoRules(wt([viaMid, mid, report()], { onExit: 'report' }))).toEqual([{ path: 'spec.templates[2].inputs.parameters[0].value', message: FAILURES }]);
      const viaHook = { name: 'main', steps: [[{ name: 'a', template: 'make', hooks: { exit: { template: 'report' } } }]] };
      expect(checkArgoRules(wt([viaHook, leaf('make'), report()], { onExit: 'report' }))).toEqual([]);
      const viaRef = { name: 'main', steps: [[{ name: 'a', template: 'report', templateRef: { name: 'other', template: 'report' } }]] };
      expect(checkArgoRules(wt([viaRef, report()], { onExit: 'report' })).filter((i) => i.message === FAILURES)).toEqual([]);
    });
    it('with no entrypoint (IgnoreEntrypoint, l.411) every template is validated after it joins', () => {
      expect(checkArgoRules(wt([main, leaf('make'), report()], { onExit: 'report', entrypoint: undefined }))).toEqual([]);
    });
  });
  it.each(['{{retries}}', '{{lastRetry.exitCode}}', '{{lastRetry.status}}', '{{node.name}}', '{{node.anything}}'])(
    '%s is not checked: resolveAllVariables checks only tags with a root of GlobalVarValidWorkflowVariablePrefix (l.805-807; common.go:303 has no retries., lastRetry. or node.)', (value) => {
      expect(checkArgoRules(using(value))).toEqual([]);
    });
  it('{{tasks.name…}} and {{steps.name…}} are taken by prefix (l.825-826)', () => {
    expect(checkArgoRules(using('{{tasks.names}}'))).toEqual([]);
    expect(checkArgoRules(using('{{steps.name.x}}'))).toEqual([]);
  });
  it('{{pod.name}} is in scope in a pod-type template only (l.516-518, IsPodType): not in a steps template\'s own fields', () => {
    const stepsUsing = (value: string) => wt([
      { name: 'main', inputs: { parameters: [{ name: 'v', value }] }, steps: [[{ name: 'a', template: 'make' }]] }, leaf('make')]);
    expect(checkArgoRules(stepsUsing('{{pod.name}}'))).toEqual(refused('{{pod.name}}'));
    expect(checkArgoRules(stepsUsing('{{workflow.name}}'))).toEqual([]);
  });
  it('{{inputs.parameters}} (the whole set) is in scope when the template has an input parameter (validate.go validateInputs l.752-754)', () => {
    expect(checkArgoRules(using('{{inputs.parameters}}'))).toEqual([]);
    const none = wt([{ name: 'main', container: { image: IMG, args: ['{{inputs.parameters}}'] } }]);
    expect(checkArgoRules(none)).toEqual([{ path: 'spec.templates[0].container.args[0]', message: 'failed to resolve {{inputs.parameters}}' }]);
  });
  it('an input or output artifact path is only valid in a leaf template (validateInputs l.765-767, validateOutputs l.1269-1271)', () => {
    const steps = (io: Doc) => wt([{ name: 'main', ...io, steps: [[{ name: 'a', template: 'make' }]] }, leaf('make')]);
    expect(checkArgoRules(steps({ inputs: { artifacts: [{ name: 'src', path: '/src' }] } }))).toEqual([
      { path: 'spec.templates[0].inputs.artifacts[0].path', message: 'an artifact path is only valid in container/script templates' }]);
    expect(checkArgoRules(steps({ outputs: { artifacts: [{ name: 'out', path: '/out', from: '{{steps.a.outputs.artifacts.x}}' }] } }))).toEqual([
      { path: 'spec.templates[0].outputs.artifacts[0].path', message: 'an artifact path is only valid in container/script templates' }]);
    expect(checkArgoRules(steps({ inputs: { artifacts: [{ name: 'src' }] } }))).toEqual([]);
    expect(checkArgoRules(wt([{ name: 'main', inputs: { artifacts: [{ name: 'src', path: '/src' }] }, container: { image: IMG } }]))).toEqual([]);
  });
  it('{{inputs.artifacts.X.path}} is in scope in a leaf template only (l.759-764); {{inputs.artifacts.X}} in any', () => {
    const art = { artifacts: [{ name: 'src', path: '/src' }] };
    const inLeaf = wt([{ name: 'main', inputs: art, container: { image: IMG, args: ['{{inputs.artifacts.src.path}}', '{{inputs.artifacts.src}}'] } }]);
    expect(checkArgoRules(inLeaf)).toEqual([]);
    const inSteps = wt([
      { name: 'main', inputs: { artifacts: [{ name: 'src' }], parameters: [{ name: 'p', value: '{{inputs.artifacts.src.path}} {{inputs.artifacts.src}}' }] }, steps: [[{ name: 'a', template: 'make' }]] },
      leaf('make')]);
    expect(checkArgoRules(inSteps)).toEqual([{ path: 'spec.templates[0].inputs.parameters[0].value', message: 'failed to resolve {{inputs.artifacts.src.path}}' }]);
  });
  // Those are exact names; creationTimestamp, scheduledTime, duration, tasks.name, steps.name (and workflow.parameters in a template) go by prefix.
  it.each(['{{workflow.names}}', '{{workflow.uid.x}}', '{{workflow.statuses}}', '{{pod.namespace}}', '{{workflow.servic}}', '{{workflow.labelsx}}'])(
    '%s is not a global: refused', (value) => {
      expect(checkArgoRules(using(value))).toEqual(refused(value));
    });
});
