/**
 * Tekton rules corrected against tektoncd/pipeline v1.15.0 (pkg/apis/pipeline/v1/…), each with a
 * literal case: what the triage of the mutation run found our validator refusing that Tekton
 * accepts, accepting that Tekton refuses, or crashing on.
 */
import { checkTektonRules } from '../src/validate/tekton';
import { validateDocuments } from '../src/validate/gate';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const IMG = 'busybox:1.36';
const task = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'hello' }, spec });
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' }, spec });
const run = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' }, spec });
const ptask = (name: string, extra: Doc = {}): Doc => ({ name, taskRef: { name: 'hello' }, ...extra });
const L63 = `a${'b'.repeat(62)}`;
const L64 = `a${'b'.repeat(63)}`;

describe('the gate reads a PipelineRun\'s inline pipelineSpec as a Pipeline\'s schema does before its rules run', () => {
  it('a null task or workspace binding is a schema finding at spec.pipelineSpec…, not a crash', () => {
    const docs = [
      run({ pipelineSpec: { tasks: [null] } }),
      run({ pipelineSpec: { tasks: [ptask('a', { workspaces: [null] })] } }),
    ];
    expect(() => validateDocuments('r.yaml', docs)).not.toThrow();
    const found = validateDocuments('r.yaml', docs);
    expect(found.map((i) => [i.document, i.path])).toEqual([
      ['PipelineRun/r', 'spec.pipelineSpec.tasks[0]'],
      ['PipelineRun/r', 'spec.pipelineSpec.tasks[0].workspaces[0]'],
    ]);
    expect(found.every((i) => /object/.test(i.message))).toBe(true);
  });
  it('a well-formed inline pipelineSpec still gets the rules', () => {
    expect(validateDocuments('r.yaml', [run({ pipelineSpec: { tasks: [ptask('Bad')] } })]).map((i) => [i.path, i.message])).toEqual([
      ['spec.pipelineSpec.tasks[0].name', 'task name "Bad" must be a DNS-1123 label'],
    ]);
  });
});

describe('names are DNS-1123 labels of at most 63 characters (k8s IsDNS1123Label; container_validation.go:185, pipeline_validation.go ValidateName)', () => {
  it('a step or pipeline task name of 63 characters passes, 64 is refused', () => {
    expect(checkTektonRules(task({ steps: [{ name: L63, image: IMG }] }))).toEqual([]);
    expect(checkTektonRules(task({ steps: [{ name: L64, image: IMG }] }))).toEqual([
      { path: 'spec.steps[0].name', message: `step name "${L64}" must be a DNS-1123 label` },
    ]);
    expect(checkTektonRules(pipeline({ tasks: [ptask(L63)] }))).toEqual([]);
    expect(checkTektonRules(pipeline({ tasks: [ptask(L64)] }))).toEqual([
      { path: 'spec.tasks[0].name', message: `task name "${L64}" must be a DNS-1123 label` },
    ]);
  });
  it('an empty step name is allowed and no duplicate of another (Step.Validate and StepList.Validate: if s.Name != "")', () => {
    expect(checkTektonRules(task({ steps: [{ name: '', image: IMG }, { name: '', image: IMG }, { name: 'x', image: IMG }, { name: 'x', image: IMG }] }))).toEqual([
      { path: 'spec.steps[3].name', message: 'duplicate step name "x"' },
    ]);
  });
});

describe('a step with ref or without it (container_validation.go Step.Validate)', () => {
  it('beside ref: workingDir, env (even empty: a non-nil slice), volumeMounts and results are refused too', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', ref: { name: 'clone' }, workingDir: '/w', env: [], volumeMounts: [{ name: 'v', mountPath: '/v' }], results: [{ name: 'r' }] }], volumes: [{ name: 'v', emptyDir: {} }] }))).toEqual([
      { path: 'spec.steps[0].workingDir', message: 'workingDir cannot be used with ref' },
      { path: 'spec.steps[0].volumeMounts', message: 'volumeMounts cannot be used with ref' },
      { path: 'spec.steps[0].results', message: 'results cannot be used with ref' },
      { path: 'spec.steps[0].env', message: 'env cannot be used with ref' },
    ]);
  });
  it('beside ref, script with command gets the ref findings only (the script/command rule is in the no-ref branch)', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', ref: { name: 'clone' }, script: 'echo', command: ['sh'] }] }))).toEqual([
      { path: 'spec.steps[0].command', message: 'command cannot be used with ref' },
      { path: 'spec.steps[0].script', message: 'script cannot be used with ref' },
    ]);
  });
  it('without ref: params are refused; script with an empty command, or an empty script with a command, is fine', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG, params: [{ name: 'p', value: 'x' }] }] }))).toEqual([
      { path: 'spec.steps[0].params', message: 'params cannot be used without ref' },
    ]);
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG, script: 'echo', command: [] }, { name: 't', image: IMG, script: '', command: ['sh'] }] }))).toEqual([]);
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG, script: 'echo', command: ['sh'] }] }))).toEqual([
      { path: 'spec.steps[0].command', message: 'a step with script cannot set command' },
    ]);
  });
});

describe('step volumeMounts (container_validation.go:200-207: filepath.Clean, then the /tekton/ prefix; tekton-internal- names)', () => {
  const mounts = (...m: Doc[]) => task({ volumes: m.map((x) => ({ name: x.name, emptyDir: {} })), steps: [{ name: 's', image: IMG, volumeMounts: m }] });
  it('/tekton/ itself cleans to /tekton and passes, /x/../tekton/bin is under /tekton/, /tekton/home/x passes', () => {
    expect(checkTektonRules(mounts({ name: 'a', mountPath: '/tekton/' }, { name: 'c', mountPath: '/tekton/home/x' }))).toEqual([]);
    expect(checkTektonRules(mounts({ name: 'b', mountPath: '/x/../tekton/bin' }))).toEqual([
      { path: 'spec.steps[0].volumeMounts[0].mountPath', message: 'volumes may not be mounted under /tekton/' },
    ]);
  });
  it('a volumeMount named tekton-internal-… is refused', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG, volumeMounts: [{ name: 'tekton-internal-x', mountPath: '/x' }] }] }))).toEqual([
      { path: 'spec.steps[0].volumeMounts[0].name', message: 'volumeMount names starting with tekton-internal- are reserved' },
    ]);
  });
});

describe('Task param names and types (task_validation.go ValidateNameFormat, param_types.go SetDefaults)', () => {
  const STEP = { name: 's', image: IMG };
  it('an object param\'s name and keys have no dots (objectVariableNameFormat ^[_a-zA-Z][_a-zA-Z0-9-]*$); a string param\'s name may', () => {
    expect(checkTektonRules(task({ params: [{ name: 'a.b', type: 'object', properties: { 'k.x': {}, ok: {} } }, { name: 's.t', type: 'string' }], steps: [STEP] }))).toEqual([
      { path: 'spec.params[0].name', message: '"a.b" is not a valid object param name (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
      { path: 'spec.params[0].properties["k.x"]', message: '"k.x" is not a valid object param key (^[_a-zA-Z][_a-zA-Z0-9-]*$)' },
    ]);
  });
  it('a param with properties and no type is an object: its keys are checked where it is used', () => {
    expect(checkTektonRules(task({ params: [{ name: 'o', properties: { url: {} } }], steps: [{ name: 's', image: IMG, args: ['$(params.o.url)', '$(params.o.nope)'] }] }))).toEqual([
      { path: 'spec.steps[0].args[1]', message: '$(params.o.nope): object param o has no key "nope"' },
    ]);
  });
  it('default: null is no default, whatever the type', () => {
    expect(checkTektonRules(task({ params: [{ name: 'a', type: 'array', default: null }, { name: 'o', type: 'object', properties: { k: {} }, default: null }], steps: [STEP] }))).toEqual([]);
  });
});

describe('params propagated into a PipelineRun\'s inline pipelineSpec come from spec.tasks (pipelinerun_validation.go validateInlineParameters)', () => {
  const STEP = (ref: string) => ({ name: 's', image: IMG, args: [ref] });
  it('a param only a finally task declares does not reach a dag task', () => {
    expect(checkTektonRules(run({ pipelineSpec: {
      tasks: [{ name: 'a', taskSpec: { steps: [STEP('$(params.ONLY_FINALLY)')] } }],
      finally: [ptask('f', { params: [{ name: 'ONLY_FINALLY', value: 'x' }] })],
    } }))).toEqual([{ path: 'spec.pipelineSpec.tasks[0].taskSpec.steps[0].args[0]', message: '$(params.ONLY_FINALLY) is not a declared param' }]);
  });
  it('a finally task still sees its own list\'s params and those of spec.tasks', () => {
    expect(checkTektonRules(run({ pipelineSpec: {
      tasks: [ptask('a', { params: [{ name: 'FROM_DAG', value: 'x' }] })],
      finally: [{ name: 'f', params: [{ name: 'MINE', value: 'y' }], taskSpec: { steps: [STEP('$(params.MINE) $(params.FROM_DAG)')] } }],
    } }))).toEqual([]);
  });
});

describe('lists no schema has checked are lists of objects: a finding, never a crash (an inline taskSpec is unknown fields in the Pipeline CRD, no PipelineRun schema is compiled)', () => {
  const inline = (taskSpec: Doc) => pipeline({ tasks: [{ name: 'a', taskSpec }] });
  it.each([
    ['steps: [null]', inline({ steps: [null] }), 'spec.tasks[0].taskSpec.steps'],
    ['steps: {}', inline({ steps: {} }), 'spec.tasks[0].taskSpec.steps'],
    ['params: {}', inline({ params: {}, steps: [{ image: IMG }] }), 'spec.tasks[0].taskSpec.params'],
    ['a step\'s volumeMounts: [null]', inline({ steps: [{ image: IMG, volumeMounts: [null] }] }), 'spec.tasks[0].taskSpec.steps[0].volumeMounts'],
    ['a PipelineRun\'s params: [null]', run({ params: [null], pipelineSpec: { tasks: [ptask('a')] } }), 'spec.params'],
    ['a PipelineRun\'s workspaces: {}', run({ workspaces: {}, pipelineSpec: { tasks: [ptask('a')] } }), 'spec.workspaces'],
  ])('%s', (_n, doc, at) => {
    expect(() => validateDocuments('x.yaml', [doc])).not.toThrow();
    expect(validateDocuments('x.yaml', [doc]).map((i) => [i.path, i.message])).toEqual([[at, 'must be a list of objects']]);
  });
  it('a workspace mountPath that is no string is no crash (the default path applies)', () => {
    expect(() => checkTektonRules(inline({ workspaces: [{ name: 'w', mountPath: 5 }], steps: [{ image: IMG }] }))).not.toThrow();
  });
});

describe('an inline taskSpec step needs no name (no schema; Go decodes a missing name as "", container_validation.go:184)', () => {
  it('accepted inline; a Task document still reports the missing key its CRD requires', () => {
    expect(checkTektonRules(pipeline({ tasks: [{ name: 'a', taskSpec: { steps: [{ image: IMG }] } }] }))).toEqual([]);
    expect(checkTektonRules(task({ steps: [{ image: IMG }] }))).toEqual([{ path: 'spec.steps[0].name', message: 'step name "" must be a DNS-1123 label' }]);
  });
});

describe('steps are validated merged with the stepTemplate (task_validation.go:81 MergeStepsWithStepTemplate, then Step.Validate)', () => {
  it('a script beside the stepTemplate\'s command is refused', () => {
    expect(checkTektonRules(task({ stepTemplate: { command: ['sh'] }, steps: [{ name: 's', image: IMG, script: 'echo hi' }] }))).toEqual([
      { path: 'spec.steps[0].command', message: 'a step with script cannot set command' },
    ]);
  });
  it('the stepTemplate\'s mounts under /tekton/ or named tekton-internal- are refused when a step without ref gets them', () => {
    const tpl = { volumeMounts: [{ name: 'tekton-internal-x', mountPath: '/tekton/foo' }] };
    expect(checkTektonRules(task({ stepTemplate: tpl, volumes: [], steps: [{ name: 's', image: IMG }] }))).toEqual([
      { path: 'spec.stepTemplate.volumeMounts[0].mountPath', message: 'volumes may not be mounted under /tekton/' },
      { path: 'spec.stepTemplate.volumeMounts[0].name', message: 'volumeMount names starting with tekton-internal- are reserved' },
    ]);
    expect(checkTektonRules(task({ stepTemplate: tpl, steps: [{ name: 's', ref: { name: 'clone' } }] }))).toEqual([]);
  });
});

describe('param types (param_types.go ValidateType; Pipelines through ValidatePipelineParameterVariables -> ValidateParameterTypes)', () => {
  it('an unknown type, a property of another type than string, a Pipeline default of the wrong type are refused', () => {
    expect(checkTektonRules(task({ params: [{ name: 'n', type: 'int' }, { name: 'o', type: 'object', properties: { k: { type: 'array' }, ok: {} } }], steps: [{ name: 's', image: IMG }] }))).toEqual([
      { path: 'spec.params[0].type', message: '"int" is not a param type (string, array or object)' },
      { path: 'spec.params[1].properties.k.type', message: 'object param key "k" must be of type string' },
    ]);
    expect(checkTektonRules(pipeline({ params: [{ name: 'a', type: 'array', default: 'x' }], tasks: [ptask('t')] }))).toEqual([
      { path: 'spec.params[0].default', message: 'default is a string but the param type is array' },
    ]);
  });
  it('type: "" is no type: inferred from the default or the properties (SetDefaults: case pp.Type != "")', () => {
    expect(checkTektonRules(task({ params: [{ name: 'l', type: '', default: ['a'] }, { name: 'o', type: '', properties: { k: {} } }], steps: [{ name: 's', image: IMG, args: ['$(params.o.k)'] }] }))).toEqual([]);
  });
});
