/**
 * The Tekton webhook-style rules (src/validate/tekton.ts), called directly through
 * checkTektonRules on hand-built tekton.dev/v1 Task, Pipeline, TaskRun and PipelineRun documents,
 * with literal expectations: the cases the mutation run left untested. Upstream facts used
 * (tektoncd/pipeline v1.15.0, pkg/apis/…; ../shared/reference/tekton.md §0-§1):
 * - validate/metadata.go ObjectMetadata: metadata.name is a DNS-1123 subdomain of at most 63
 *   characters (validation.DNS1123LabelMaxLength);
 * - pipeline/v1/param_types.go SetDefaults: a param without a type takes it from its default (an
 *   array, an object, else string); ValidateType: a declared type must match the default's type;
 * - pipeline/v1/task_validation.go: param names ^[_a-zA-Z][_a-zA-Z0-9.-]*$ (ValidateNameFormat),
 *   at least one step (ErrMissingField "steps"), unique workspace/volume/step names (an unnamed step
 *   is no duplicate), every $(params.x) in a step's name, image, workingDir, script, command, args,
 *   env values, volumeMounts and onError declared (validateStepVariables), $(results.x.path) in a
 *   script declared (validateTaskResultsVariables), arrays only as an isolated $(params.a[*])
 *   element of command or args (validateStepArrayUsage);
 * - pkg/substitution/substitution.go: $(params.x), $(params.o.key), $(params.a[1]),
 *   $(params['x']) and $(params["x"]) all name the param before the dot or index;
 * - pipeline/v1/resultref.go ResultNameFormat: ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$;
 * - pipeline/v1/container_validation.go Step.Validate: image required (after the stepTemplate
 *   merge, task_validation.go MergeStepsWithStepTemplate), step names DNS-1123 labels, onError
 *   continue | stopAndFail | a $(params…) reference, no volumeMount under /tekton/ except
 *   /tekton/home (a prefix test);
 * - the v1 CRD schema requires steps[].name (tekton.md §0);
 * - pipeline/v1/pipeline_validation.go: pipeline task names DNS-1123 labels and unique, no
 *   runAfter under finally (validateFinalTasks), a workspace binding without `workspace` binds the
 *   pipeline workspace of its own name (validateWorkspaces), pipeline task param values may use the
 *   prefixes params, tasks, finally, context, workspaces and results
 *   (validateVarSubstitutionExpressions), pipeline results name existing tasks
 *   (validatePipelineResults "referencing a nonexistent task");
 * - docs/workspaces.md, docs/variables.md: the webhook leaves $(workspaces.x.path) unchecked (an
 *   undeclared one stays literal), so the generator checks it, in sidecars and the stepTemplate too.
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const task = (spec: Doc, metadata: Doc | null = { name: 'hello' }): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', ...(metadata && { metadata }), spec });
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'hello' }, spec });
const ptask = (name: string | undefined, extra: Doc = {}): Doc => ({ ...(name !== undefined && { name }), taskRef: { name: 'hello' }, ...extra });
const DNS_SUBDOMAIN = 'must be a DNS-1123 subdomain of at most 63 characters';

describe('which documents are checked', () => {
  it('an empty YAML document (null) has no Tekton issues', () => {
    expect(checkTektonRules(null as unknown as Doc)).toEqual([]);
  });
  it('a tekton.dev/v1beta1 Task is not checked', () => {
    expect(checkTektonRules({ apiVersion: 'tekton.dev/v1beta1', kind: 'Task', metadata: { name: 'Bad_Name' }, spec: {} })).toEqual([]);
  });
  it('a v1 TaskRun is not checked, not even a pipelineSpec in it', () => {
    expect(checkTektonRules({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'Bad_Name' },
      spec: { pipelineSpec: { tasks: [ptask('Bad')] } },
    })).toEqual([]);
  });
  it('a v1beta1 PipelineRun\'s pipelineSpec is not checked', () => {
    expect(checkTektonRules({
      apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'run' },
      spec: { pipelineSpec: { tasks: [ptask('Bad')] } },
    })).toEqual([]);
  });
  it('a v1 PipelineRun with a pipelineRef or without a spec has nothing inline to check', () => {
    expect(checkTektonRules({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'run' }, spec: { pipelineRef: { name: 'hello' } } })).toEqual([]);
    expect(checkTektonRules({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'run' } })).toEqual([]);
  });
  it('a v1 PipelineRun\'s inline pipelineSpec is checked at spec.pipelineSpec (pipelinerun_validation.go)', () => {
    expect(checkTektonRules({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'run' },
      spec: { pipelineSpec: { tasks: [ptask('Bad')] } },
    })).toEqual([{ path: 'spec.pipelineSpec.tasks[0].name', message: 'task name "Bad" must be a DNS-1123 label' }]);
  });
});

describe('metadata.name is a DNS-1123 subdomain of at most 63 characters (validate/metadata.go)', () => {
  it('accepts a one-character name, dots and dashes inside, and exactly 63 characters', () => {
    for (const name of ['a', 'a.b-c', 'a'.repeat(63)]) {
      expect({ name, issues: checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, { name })) }).toEqual({ name, issues: [] });
    }
  });
  it('refuses a capital letter, a trailing dash and 64 characters', () => {
    const long = 'a'.repeat(64);
    for (const name of ['Hello', 'hello-', long]) {
      expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, { name }))).toEqual([
        { path: 'metadata.name', message: `"${name}" ${DNS_SUBDOMAIN}` },
      ]);
    }
  });
  it('refuses a missing name, with or without metadata', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, null))).toEqual([{ path: 'metadata.name', message: `"" ${DNS_SUBDOMAIN}` }]);
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, {}))).toEqual([{ path: 'metadata.name', message: `"" ${DNS_SUBDOMAIN}` }]);
  });
});

describe('Task params: type and default (param_types.go SetDefaults, ValidateType)', () => {
  it('a param without a type takes it from its default: array, object, string; none is a string', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'LIST', default: ['a'] }, { name: 'OBJ', default: { k: 'v' } }, { name: 'STR', default: 'x' }, { name: 'NONE' }],
      steps: [{ name: 's', image: IMG, command: ['echo'], args: ['$(params.LIST[*])', '$(params.OBJ.k)', '$(params.STR)', '$(params.NONE)'] }],
      // OBJ is an object by its default, and an object needs properties (task_validation.go ValidateObjectParamsHaveProperties).
    }))).toEqual([{ path: 'spec.params[1].properties', message: 'object param OBJ needs properties' }]);
  });
  it('a default whose type differs from the declared one is reported, "an array" and "an object" with their article', () => {
    expect(checkTektonRules(task({
      params: [
        { name: 'A', type: 'string', default: ['a'] },
        { name: 'O', type: 'string', default: { k: 'v' } },
        { name: 'L', type: 'array', default: ['a'] },
        { name: 'M', type: 'object', properties: { k: { type: 'string' } }, default: { k: 'v' } },
        { name: 'S', type: 'string', default: 'x' },
      ],
      steps: [{ name: 's', image: IMG }],
    }))).toEqual([
      { path: 'spec.params[0].default', message: 'default is an array but the param type is string' },
      { path: 'spec.params[1].default', message: 'default is an object but the param type is string' },
    ]);
  });
});

describe('param and result names (task_validation.go ValidateNameFormat, resultref.go ResultNameFormat)', () => {
  it('param names start with a letter or _ and hold only letters, digits, _, . and -', () => {
    expect(checkTektonRules(task({
      params: [{ name: '_a.b-c', type: 'string' }, { name: '1x', type: 'string' }, { name: 'has space', type: 'string' }],
      steps: [{ name: 's', image: IMG }],
    }))).toEqual([
      { path: 'spec.params[1].name', message: '"1x" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
      { path: 'spec.params[2].name', message: '"has space" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
    ]);
  });
  it('result names may be one character and start and end with a letter or digit', () => {
    expect(checkTektonRules(task({
      results: [{ name: 'A' }, { name: '-a' }, { name: 'a-' }, { name: 'IMAGE_DIGEST' }],
      steps: [{ name: 's', image: IMG }],
    }))).toEqual([
      { path: 'spec.results[1].name', message: '"-a" is not a valid result name' },
      { path: 'spec.results[2].name', message: '"a-" is not a valid result name' },
    ]);
  });
  it('a Pipeline without params has no invalid param name', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a')] }))).toEqual([]);
  });
});

describe('unique names', () => {
  it('two Task results of one name: the second is reported (the validator\'s own rule: both would be /tekton/results/<name>)', () => {
    expect(checkTektonRules(task({ results: [{ name: 'OUT' }, { name: 'OUT' }], steps: [{ name: 's', image: IMG }] }))).toEqual([
      { path: 'spec.results[1].name', message: 'duplicate result name "OUT"' },
    ]);
  });
  it('unnamed steps are no duplicates of each other (task_validation.go StepList.Validate skips empty names); a missing name is reported (the v1 CRD schema requires the key), an empty one is not (container_validation.go: if s.Name != "")', () => {
    expect(checkTektonRules(task({ steps: [{ image: IMG }, { image: IMG }] }))).toEqual([
      { path: 'spec.steps[0].name', message: 'step name "" must be a DNS-1123 label' },
      { path: 'spec.steps[1].name', message: 'step name "" must be a DNS-1123 label' },
    ]);
    expect(checkTektonRules(task({ steps: [{ name: '', image: IMG }, { name: '', image: IMG }] }))).toEqual([]);
  });
  it('Pipeline params, workspaces and tasks must be unique (param_types.go ValidateNoDuplicateNames, pipeline_validation.go), results too (the validator\'s own rule)', () => {
    expect(checkTektonRules(pipeline({
      params: [{ name: 'p', type: 'string' }, { name: 'p', type: 'string' }],
      workspaces: [{ name: 'w' }, { name: 'w' }],
      results: [{ name: 'r', value: '$(tasks.a.results.x)' }, { name: 'r', value: '$(tasks.a.results.x)' }],
      tasks: [ptask('a'), ptask('a')],
    }))).toEqual([
      { path: 'spec.params[1].name', message: 'duplicate param name "p"' },
      { path: 'spec.workspaces[1].name', message: 'duplicate workspace name "w"' },
      { path: 'spec.results[1].name', message: 'duplicate result name "r"' },
      { path: 'spec.tasks[1].name', message: 'duplicate task name "a"' },
    ]);
  });
});

describe('Task volumes, workspaces and mounts', () => {
  it('a volume without a name is no crash of the tekton-internal- rule', () => {
    expect(checkTektonRules(task({ volumes: [{ emptyDir: {} }], steps: [{ name: 's', image: IMG }] }))).toEqual([]);
  });
  it('a Task without workspaces reserves no /workspace/<name> mount path', () => {
    expect(checkTektonRules(task({
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [{ name: 's', image: IMG, volumeMounts: [{ name: 'v', mountPath: '/workspace/undefined' }] }],
    }))).toEqual([]);
  });
  it('a volumeMount under /tekton/home is allowed (container_validation.go: a prefix test), one without mountPath is no crash', () => {
    expect(checkTektonRules(task({
      volumes: [{ name: 'home', emptyDir: {} }, { name: 'v', emptyDir: {} }],
      steps: [{ name: 's', image: IMG, volumeMounts: [{ name: 'home', mountPath: '/tekton/home/.docker' }, { name: 'v' }] }],
    }))).toEqual([]);
  });
});

describe('Task steps (task_validation.go, container_validation.go)', () => {
  it('a Task needs at least one step: steps missing or empty', () => {
    expect(checkTektonRules(task({}))).toEqual([{ path: 'spec.steps', message: 'a Task needs at least one step' }]);
    expect(checkTektonRules(task({ steps: [] }))).toEqual([{ path: 'spec.steps', message: 'a Task needs at least one step' }]);
  });
  it('step names are DNS-1123 labels; one character is one', () => {
    expect(checkTektonRules(task({
      steps: [{ name: 'Build', image: IMG }, { name: '-s', image: IMG }, { name: 's-', image: IMG }, { name: 'a', image: IMG }],
    }))).toEqual([
      { path: 'spec.steps[0].name', message: 'step name "Build" must be a DNS-1123 label' },
      { path: 'spec.steps[1].name', message: 'step name "-s" must be a DNS-1123 label' },
      { path: 'spec.steps[2].name', message: 'step name "s-" must be a DNS-1123 label' },
    ]);
  });
  it('a step needs an image, which the stepTemplate may give', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's' }] }))).toEqual([{ path: 'spec.steps[0].image', message: 'a step needs an image' }]);
    expect(checkTektonRules(task({ stepTemplate: { image: IMG }, steps: [{ name: 's' }] }))).toEqual([]);
  });
  it('onError may be continue, stopAndFail or a param reference', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'MODE', type: 'string', default: 'continue' }],
      steps: [{ name: 'a', image: IMG, onError: 'continue' }, { name: 'b', image: IMG, onError: 'stopAndFail' }, { name: 'c', image: IMG, onError: '$(params.MODE)' }],
    }))).toEqual([]);
  });
  it('an array param may be a whole $(params.a[*]) element of command, as of args', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'CMD', type: 'array' }],
      steps: [{ name: 's', image: IMG, command: ['$(params.CMD[*])'], args: ['$(params.CMD[*])'] }],
    }))).toEqual([]);
  });
  it('one element $(params.a[0]) is a string, allowed in env, image and inside a longer arg (substitution.go trims only [*] before its array check)', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'ARR', type: 'array' }],
      steps: [{ name: 's', image: 'busybox:$(params.ARR[1])', env: [{ name: 'X', value: '$(params.ARR[0])' }], args: ['--x=$(params.ARR[12])'] }],
    }))).toEqual([]);
    expect(checkTektonRules(task({ params: [{ name: 'ARR', type: 'array' }], steps: [{ name: 's', image: IMG, env: [{ name: 'X', value: '$(params.ARR)' }] }] }))).toEqual([
      { path: 'spec.steps[0].env[0].value', message: 'array param ARR may only be used as a whole "$(params.ARR[*])" element of command or args, or one element $(params.ARR[0])' },
    ]);
  });
  it('a script that is not a string is left to the schema: no script-injection finding', () => {
    expect(checkTektonRules(task({ params: [{ name: 'X', type: 'string' }], steps: [{ name: 's', image: IMG, script: ['echo $(params.X)'] }] }))).toEqual([]);
  });
});

describe('param references in steps are declared (task_validation.go validateStepVariables)', () => {
  it('in each step field the webhook checks: name, image, workingDir, command, args, env, volumeMounts, onError, script', () => {
    expect(checkTektonRules(task({
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [
        {
          name: '$(params.P1)', image: '$(params.P2)', workingDir: '$(params.P3)', command: ['$(params.P4)'], args: ['$(params.P5)'],
          env: [{ name: 'E', value: '$(params.P6)' }], volumeMounts: [{ name: 'v', mountPath: '/mnt/$(params.P7)' }], onError: '$(params.P8)',
        },
        { name: 'b', image: IMG, script: 'echo $(params.P9)' },
      ],
    }))).toEqual([
      { path: 'spec.steps[0].name', message: 'step name "$(params.P1)" must be a DNS-1123 label' },
      { path: 'spec.steps[0].name', message: '$(params.P1) is not a declared param' },
      { path: 'spec.steps[0].image', message: '$(params.P2) is not a declared param' },
      { path: 'spec.steps[0].workingDir', message: '$(params.P3) is not a declared param' },
      { path: 'spec.steps[0].command[0]', message: '$(params.P4) is not a declared param' },
      { path: 'spec.steps[0].args[0]', message: '$(params.P5) is not a declared param' },
      { path: 'spec.steps[0].env[0].value', message: '$(params.P6) is not a declared param' },
      { path: 'spec.steps[0].volumeMounts[0].mountPath', message: '$(params.P7) is not a declared param' },
      { path: 'spec.steps[0].onError', message: '$(params.P8) is not a declared param' },
      { path: 'spec.steps[1].script', message: '$(params.P9) is not a declared param' },
      { path: 'spec.steps[1].script', message: 'params must not be pasted into script text (script injection): pass them through env or args' },
    ]);
  });
  it('every reference form names its param: dot, [\'…\'], ["…"], an index [12], an object key (substitution.go)', () => {
    expect(checkTektonRules(task({
      steps: [{ name: 's', image: IMG, command: ['echo'], args: ['$(params.NOPE)', "$(params['dotted.name'])", '$(params["other.name"])', '$(params.LIST[12])', '$(params.OBJ.key)'] }],
    }))).toEqual([
      { path: 'spec.steps[0].args[0]', message: '$(params.NOPE) is not a declared param' },
      { path: 'spec.steps[0].args[1]', message: '$(params.dotted.name) is not a declared param' },
      { path: 'spec.steps[0].args[2]', message: '$(params.other.name) is not a declared param' },
      { path: 'spec.steps[0].args[3]', message: '$(params.LIST) is not a declared param' },
      { path: 'spec.steps[0].args[4]', message: '$(params.OBJ) is not a declared param' },
    ]);
  });
  it('a dotted param name is declared when used in the bracket form', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'dotted.name', type: 'string' }],
      steps: [{ name: 's', image: IMG, env: [{ name: 'A', value: "$(params['dotted.name'])" }, { name: 'B', value: '$(params["dotted.name"])' }] }],
    }))).toEqual([]);
  });
});

describe('result and workspace references in steps', () => {
  it('$(results.x.path) in a script names a declared result (task_validation.go validateTaskResultsVariables)', () => {
    expect(checkTektonRules(task({
      results: [{ name: 'OUT' }],
      steps: [{ name: 's', image: IMG, script: 'printf done > $(results.NOPE.path)\nprintf done > $(results.OUT.path)\n' }],
    }))).toEqual([{ path: 'spec.steps[0].script', message: '$(results.NOPE.path) is not a declared result' }]);
  });
  it('$(workspaces.x.path) in a step names a declared workspace (unchecked by the webhook: it would stay literal)', () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'source' }],
      steps: [{ name: 's', image: IMG, command: ['ls'], args: ['$(workspaces.cache.path)', '$(workspaces.source.path)'] }],
    }))).toEqual([{ path: 'spec.steps[0].args[0]', message: '$(workspaces.cache.path) is not a declared workspace' }]);
  });
  it('in the stepTemplate a declared param is fine; in a sidecar an undeclared workspace is reported, a declared one not', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'IMAGE', type: 'string' }],
      workspaces: [{ name: 'source' }],
      stepTemplate: { env: [{ name: 'A', value: '$(params.IMAGE)' }] },
      sidecars: [{ name: 'sc', image: IMG, args: ['$(workspaces.nope.path)', '$(workspaces.source.path)'] }],
      steps: [{ name: 's', image: IMG }],
    }))).toEqual([{ path: 'spec.sidecars[0].args[0]', message: '$(workspaces.nope.path) is not a declared workspace' }]);
  });
});

describe('Pipeline tasks (pipeline_validation.go)', () => {
  it('pipeline task names are DNS-1123 labels; a missing one is reported as ""', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('Build'), ptask(undefined), ptask('-b'), ptask('b-'), ptask('c')] }))).toEqual([
      { path: 'spec.tasks[0].name', message: 'task name "Build" must be a DNS-1123 label' },
      { path: 'spec.tasks[1].name', message: 'task name "" must be a DNS-1123 label' },
      { path: 'spec.tasks[2].name', message: 'task name "-b" must be a DNS-1123 label' },
      { path: 'spec.tasks[3].name', message: 'task name "b-" must be a DNS-1123 label' },
    ]);
  });
  it('finally tasks cannot use runAfter (validateFinalTasks)', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a')], finally: [ptask('f', { runAfter: ['a'] })] }))).toEqual([
      { path: 'spec.finally[0].runAfter', message: 'finally tasks cannot use runAfter' },
    ]);
  });
  it('a workspace binding without `workspace` binds the pipeline workspace of its name (validateWorkspaces)', () => {
    expect(checkTektonRules(pipeline({ workspaces: [{ name: 'source' }], tasks: [ptask('a', { workspaces: [{ name: 'source' }] })] }))).toEqual([]);
  });
  it('task params may use each prefix validateVarSubstitutionExpressions allows', () => {
    expect(checkTektonRules(pipeline({
      params: [{ name: 'x', type: 'string' }],
      workspaces: [{ name: 'source' }],
      tasks: [ptask('a'), ptask('b', {
        params: [
          { name: 'p', value: '$(params.x)' }, { name: 't', value: '$(tasks.a.results.r)' }, { name: 'f', value: '$(finally.f.results.r)' },
          { name: 'c', value: '$(context.pipelineRun.name)' }, { name: 'w', value: '$(workspaces.source.bound)' }, { name: 'r', value: '$(results.r)' },
        ],
      })],
    }))).toEqual([]);
  });
  it('$(params.9x) is not the declared param x', () => {
    expect(checkTektonRules(pipeline({ params: [{ name: 'x', type: 'string' }], tasks: [ptask('a', { params: [{ name: 'v', value: '$(params.9x)' }] })] }))).toEqual([
      { path: 'spec.tasks[0].params[0].value', message: '$(params.9x) is not a declared pipeline param' },
    ]);
  });
  it('$(tasks.<name>.results.<r>) in a task param names a task of the pipeline', () => {
    expect(checkTektonRules(pipeline({ tasks: [ptask('a'), ptask('b', { params: [{ name: 'v', value: '$(tasks.nope.results.r)' }] })] }))).toEqual([
      { path: 'spec.tasks[1].params[0].value', message: '$(tasks.nope.results.r) names unknown task "nope"' },
    ]);
  });
  it('pipeline result values name tasks of the pipeline (validatePipelineResults)', () => {
    expect(checkTektonRules(pipeline({
      results: [{ name: 'IMAGE_URL', value: '$(tasks.nope.results.IMAGE_URL)' }, { name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' }],
      tasks: [ptask('build')],
    }))).toEqual([{ path: 'spec.results[0].value', message: 'names unknown task "nope"' }]);
  });
});

describe('fixes the triage found (each was refused or accepted against Tekton\'s own validation)', () => {
  const pipe = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec });
  it('a step that runs a StepAction (ref) needs no image, and may not set image, command, args or script (container_validation.go Step.Validate)', () => {
    expect(checkTektonRules(task({ steps: [{ name: 's', ref: { name: 'git-clone' } }] }))).toEqual([]);
    expect(checkTektonRules(task({ steps: [{ name: 's', ref: { name: 'git-clone' }, image: IMG, command: ['sh'], args: ['-c'], script: 'echo' }] }))).toEqual([
      { path: 'spec.steps[0].image', message: 'image cannot be used with ref' },
      { path: 'spec.steps[0].command', message: 'command cannot be used with ref' },
      { path: 'spec.steps[0].args', message: 'args cannot be used with ref' },
      { path: 'spec.steps[0].script', message: 'script cannot be used with ref' },
    ]);
  });
  it('a number or boolean default of a string param is a string (param_types.go ParamValue.UnmarshalJSON); of an array param it is still refused', () => {
    expect(checkTektonRules(task({ params: [{ name: 'N', type: 'string', default: 5 }, { name: 'B', default: true }], steps: [{ name: 's', image: IMG }] }))).toEqual([]);
    expect(checkTektonRules(task({ params: [{ name: 'A', type: 'array', default: 5 }], steps: [{ name: 's', image: IMG }] }))).toEqual([
      { path: 'spec.params[0].default', message: 'default is a string but the param type is array' },
    ]);
  });
  it('metadata.name is dot-separated DNS labels: an empty label or one ending in "-" is refused (IsDNS1123Subdomain)', () => {
    const nameIssue = (name: string) => [{ path: 'metadata.name', message: `"${name}" must be a DNS-1123 subdomain of at most 63 characters` }];
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, { name: 'a..b' }))).toEqual(nameIssue('a..b'));
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, { name: 'a-.b' }))).toEqual(nameIssue('a-.b'));
    expect(checkTektonRules(task({ steps: [{ name: 's', image: IMG }] }, { name: 'a.b-c' }))).toEqual([]);
  });
  it('a finally task named like a task is reported at spec.finally[i].name (was: spec.tasks[<index past the tasks>].name)', () => {
    expect(checkTektonRules(pipe({ tasks: [{ name: 'a', taskRef: { name: 't' } }], finally: [{ name: 'b', taskRef: { name: 't' } }, { name: 'a', taskRef: { name: 't' } }] }))).toEqual([
      { path: 'spec.finally[1].name', message: 'duplicate task name "a"' },
    ]);
  });
});

describe('an inline taskSpec sees its Pipeline\'s params (pipeline_validation.go validateUsageOfDeclaredPipelineTaskParameters)', () => {
  const pipe = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec });
  it('$(params.IMAGE) of the Pipeline in an inline step is declared; an undeclared one is still refused; an array one keeps its type', () => {
    const step = (args: string[]) => pipe({ params: [{ name: 'IMAGE', type: 'string' }, { name: 'FLAGS', type: 'array' }], tasks: [{ name: 'a', taskSpec: { steps: [{ name: 's', image: IMG, args }] } }] });
    expect(checkTektonRules(step(['$(params.IMAGE)', '$(params.FLAGS[*])']))).toEqual([]);
    expect(checkTektonRules(step(['$(params.OTHER)']))).toEqual([{ path: 'spec.tasks[0].taskSpec.steps[0].args[0]', message: '$(params.OTHER) is not a declared param' }]);
  });
});

describe('a Pipeline\'s own param and result names are not format-checked (ValidateNameFormat runs for Task params only, resultNameFormat for Task and Step results: task_validation.go, result_validation.go)', () => {
  it('"9lives", "a b" and "IMAGE URL" pass the rules; a Task param of the same name does not', () => {
    expect(checkTektonRules(pipeline({ params: [{ name: '9lives', type: 'string' }, { name: 'a b', type: 'string' }], results: [{ name: 'IMAGE URL', value: '$(tasks.a.results.x)' }], tasks: [ptask('a')] }))).toEqual([]);
    expect(checkTektonRules(task({ params: [{ name: '9lives', type: 'string' }], steps: [{ name: 's', image: IMG }] }))).toEqual([
      { path: 'spec.params[0].name', message: '"9lives" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
    ]);
  });
});

describe('a Task param or result without a name is reported (was: tested as the text "undefined", which passes)', () => {
  it('params[0] and results[0] without name', () => {
    const doc = task({ params: [{ type: 'string' }], results: [{ description: 'r' }], steps: [{ name: 's', image: IMG }] });
    expect(checkTektonRules(doc).filter((i) => /params\[0\]\.name|results\[0\]\.name/.test(i.path))).toEqual([
      { path: 'spec.params[0].name', message: '"undefined" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)' },
      { path: 'spec.results[0].name', message: '"undefined" is not a valid result name' },
    ]);
  });
});
