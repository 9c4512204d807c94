/**
 * Tekton webhook-style rules (src/validate/tekton.ts) through checkTektonRules on hand-built
 * tekton.dev/v1 documents: name formats, the step fields whose references are read, the pipeline
 * task param prefixes, params and steps the schema does not check (an inline taskSpec), and the
 * param scope of finally tasks. Expectations are literals from tektoncd/pipeline v1.15.0
 * (pkg/apis/pipeline/v1/…, pkg/substitution/…, docs/variables.md) and
 * k8s.io/apimachinery's DNS-1123 rules, cited per case.
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const task = (spec: Doc, name = 'hello'): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec });
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' }, spec });
/** A Pipeline whose one task runs an inline taskSpec (no schema checks it: the Pipeline CRD keeps it as unknown fields). */
const inline = (taskSpec: Doc): Doc => pipeline({ tasks: [{ name: 't', taskSpec }] });
const step = (extra: Doc = {}): Doc => ({ name: 's', image: IMG, ...extra });

describe('metadata.name (pkg/apis/validate/metadata.go ObjectMetadata: validation.IsDNS1123Subdomain, then at most 63 characters)', () => {
  it.each(['a', 'a.b', 'hello.world', 'kimia-build.v1-2', '0x'])('%s is a DNS-1123 subdomain: accepted', (name) => {
    expect(checkTektonRules(task({ steps: [step()] }, name))).toEqual([]);
  });

  it.each(['Hello', '_hello', 'hello_', '-hello', 'hello.', 'a..b'])('%s is no DNS-1123 subdomain: refused', (name) => {
    expect(checkTektonRules(task({ steps: [step()] }, name))).toEqual([
      { path: 'metadata.name', message: `"${name}" must be a DNS-1123 subdomain of at most 63 characters` },
    ]);
  });
});

describe('Task param, object param and result names (task_validation.go:40 stringAndArrayVariableNameFormat, :44 objectVariableNameFormat; resultref.go:51 ResultNameFormat)', () => {
  it('names of the right form are accepted: dotted string/array names, dashed object names and keys, one-character results', () => {
    expect(checkTektonRules(task({
      params: [
        { name: 'a.b-c_D9', type: 'string' },
        { name: '_list', type: 'array' },
        { name: 'my-obj', type: 'object', properties: { url: {}, '_k-2': {} } },
        { name: 'o', type: 'object', properties: { k: {} } },
      ],
      results: [{ name: 'a' }, { name: 'IMAGE_DIGEST' }, { name: 'a.b-c' }],
      steps: [step()],
    }))).toEqual([]);
  });

  it('string and array names must start with a letter or _ and hold only [_a-zA-Z0-9.-]', () => {
    expect(checkTektonRules(task({
      params: [{ name: '1abc', type: 'string' }, { name: 'a b', type: 'array' }],
      steps: [step()],
    }))).toEqual([
      { path: 'spec.params[0].name', message: '"1abc" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
      { path: 'spec.params[1].name', message: '"a b" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
    ]);
  });

  it('an object param name and its keys must start with a letter or _ and hold no dot', () => {
    expect(checkTektonRules(task({
      params: [
        { name: '1obj', type: 'object', properties: { k: {} } },
        { name: 'a.b', type: 'object', properties: { 'x.y': {}, '9k': {} } },
      ],
      steps: [step()],
    }))).toEqual([
      { path: 'spec.params[0].name', message: '"1obj" is not a valid object param name (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
      { path: 'spec.params[1].name', message: '"a.b" is not a valid object param name (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
      { path: 'spec.params[1].properties["x.y"]', message: '"x.y" is not a valid object param key (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
      { path: 'spec.params[1].properties["9k"]', message: '"9k" is not a valid object param key (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
    ]);
  });

  it('a result name must start and end with a letter or digit', () => {
    expect(checkTektonRules(task({ results: [{ name: '-digest' }, { name: 'digest-' }], steps: [step()] }))).toEqual([
      { path: 'spec.results[0].name', message: '"-digest" is not a valid result name' },
      { path: 'spec.results[1].name', message: '"digest-" is not a valid result name' },
    ]);
  });
});

describe('the step fields whose $(params…) are read (task_validation.go:518-537 validateStepVariables: name, image, workingDir, script, command, args, env values, volumeMounts, onError)', () => {
  it.each<[string, Doc, string]>([
    ['name', { name: '$(params.nope)' }, 'spec.steps[0].name'],
    ['image', { image: 'busybox:$(params.nope)' }, 'spec.steps[0].image'],
    ['workingDir', { workingDir: '/src/$(params.nope)' }, 'spec.steps[0].workingDir'],
    ['script', { script: 'echo $(params.nope)' }, 'spec.steps[0].script'],
    ['command', { command: ['$(params.nope)'] }, 'spec.steps[0].command[0]'],
    ['args', { args: ['--x=$(params.nope)'] }, 'spec.steps[0].args[0]'],
    ['env', { env: [{ name: 'A', value: '$(params.nope)' }] }, 'spec.steps[0].env[0].value'],
    ['volumeMounts', { volumeMounts: [{ name: 'v', mountPath: '/m/$(params.nope)' }] }, 'spec.steps[0].volumeMounts[0].mountPath'],
    ['onError', { onError: '$(params.nope)' }, 'spec.steps[0].onError'],
  ])('an undeclared param in %s is refused there', (_field, fields, path) => {
    const issues = checkTektonRules(task({ volumes: [{ name: 'v', emptyDir: {} }], steps: [step(fields)] }));
    expect(issues).toContainEqual({ path, message: '$(params.nope) is not a declared param' });
  });
});

describe('result and workspace references in steps', () => {
  it('$(results.<name>.path) in a script names a declared result (task_validation.go:367-374 validateTaskResultsVariables)', () => {
    const script = 'printf x > $(results.digest.path)';
    expect(checkTektonRules(task({ steps: [step({ script })] }))).toEqual([
      { path: 'spec.steps[0].script', message: '$(results.digest.path) is not a declared result' },
    ]);
    expect(checkTektonRules(task({ results: [{ name: 'digest' }], steps: [step({ script })] }))).toEqual([]);
  });

  it('$(workspaces.<name>.path|bound|claim|volume) names a declared workspace (docs/variables.md, Task variables; the webhook leaves it literal)', () => {
    const args = ['$(workspaces.source.path)', '$(workspaces.source.bound)', '$(workspaces.source.claim)', '$(workspaces.source.volume)'];
    expect(checkTektonRules(task({ steps: [step({ args })] }))).toEqual(args.map((a, i) => (
      { path: `spec.steps[0].args[${i}]`, message: `${a} is not a declared workspace` })));
    expect(checkTektonRules(task({ workspaces: [{ name: 'source' }], steps: [step({ args })] }))).toEqual([]);
  });
});

describe('pipeline task param prefixes (pipeline_validation.go:874 validateVarSubstitutionExpressions: params, tasks, finally, context, workspaces, results)', () => {
  it('every valid prefix is accepted; another one is refused', () => {
    expect(checkTektonRules(pipeline({
      workspaces: [{ name: 'src' }],
      tasks: [{
        name: 'build',
        taskRef: { name: 'hello' },
        params: [
          { name: 'f', value: '$(finally.report.results.out)' },
          { name: 'c', value: '$(context.pipelineRun.name)' },
          { name: 'w', value: '$(workspaces.src.bound)' },
          { name: 'r', value: '$(results.out)' },
          { name: 'i', value: '$(inputs.params.x)' },
        ],
      }],
    }))).toEqual([
      { path: 'spec.tasks[0].params[4].value', message: '$(inputs...) is not a variable a pipeline task param may use' },
    ]);
  });
});

describe('param types of params no schema checked (param_types.go:78-106 ParamSpec.SetDefaults)', () => {
  it('a default of null is no default (case pp.Default == nil): the param is a string, usable as one', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'x', default: null }],
      steps: [step({ env: [{ name: 'X', value: '$(params.x)' }] })],
    }))).toEqual([]);
  });

  it('properties: null are no properties (case pp.Properties != nil is false): an inline taskSpec\'s param is a string', () => {
    expect(checkTektonRules(inline({
      params: [{ name: 'x', properties: null }],
      steps: [step({ env: [{ name: 'X', value: '$(params.x)' }] })],
    }))).toEqual([]);
  });

  it('a string param with properties has no keys to check (task_validation.go:379-395 validateObjectUsage reads object params only; substitution.go ExtractVariablesFromString names "p")', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'p', type: 'string', properties: { a: {} } }],
      steps: [step({ env: [{ name: 'A', value: '$(params.p.b)' }] })],
    }))).toEqual([]);
  });
});

describe('an array index that does not end the name is no index of the reference (substitution.go:112 TrimSuffix(v, "[*]"), :82 TrimArrayIndex)', () => {
  it.each<[string, string, Doc]>([
    ['$(params.arr[*][0])', 'arr and one element of it', { name: 'arr', type: 'array' }],
    ['$(params.arr[*]x)', 'the string arrx, no array', { name: 'arrx', type: 'string' }],
  ])('%s names %s: accepted in env', (value, _what, param) => {
    expect(checkTektonRules(task({ params: [param], steps: [step({ env: [{ name: 'A', value }] })] }))).toEqual([]);
  });
});

describe('steps of an inline taskSpec, which no schema checked (container_validation.go Step.Validate)', () => {
  it('null image and env beside ref are not set (s.Image != "", s.Env != nil: JSON null decodes to "" and nil), nor null params without ref (len(s.Params) > 0)', () => {
    expect(checkTektonRules(inline({
      steps: [
        { name: 'a', ref: { name: 'git-clone' }, image: null, env: null },
        step({ name: 'b', params: null }),
      ],
    }))).toEqual([]);
  });

  it('a null step-template mount and a mount without a name break no rule and throw nothing (task_validation.go validateDeclaredWorkspaces, container_validation.go:200-207 read "" for both)', () => {
    expect(checkTektonRules(inline({
      workspaces: [{ name: 'src' }],
      stepTemplate: { volumeMounts: [null] },
      steps: [step({ volumeMounts: [{ mountPath: '/cache' }] })],
    }))).toEqual([]);
  });
});

describe('finally task params (pipeline_validation.go:426 validatePipelineTaskParameterUsage(ps.Finally, ps.Params))', () => {
  it('a Pipeline\'s finally task sees the Pipeline\'s params only, not the names of its own params', () => {
    expect(checkTektonRules(pipeline({
      tasks: [{ name: 'build', taskRef: { name: 'hello' } }],
      finally: [{ name: 'report', taskRef: { name: 'hello' }, params: [{ name: 'x', value: '$(params.x)' }] }],
    }))).toEqual([
      { path: 'spec.finally[0].params[0].value', message: '$(params.x) is not a declared pipeline param' },
    ]);
  });
});
