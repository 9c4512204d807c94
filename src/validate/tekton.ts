/**
 * Tekton rules the webhook enforces (tekton.md §1) and the ones it leaves to us
 * (workspace references, no params in scripts), for `tekton.dev/v1` Tasks and Pipelines.
 */
import { formatPath } from '../spec/errors';
import { eachString, goClean as cleanPath, isObject, objectsOf } from '../spec/walk';
import type { DocumentIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = Array<string | number>;

/** k8s.io/apimachinery IsDNS1123Subdomain: dot-separated DNS labels (so no empty label, none starting or ending with "-"). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** k8s.io/apimachinery IsDNS1123Label: one label of at most 63 characters (validation.go DNS1123LabelMaxLength). */
const isDnsLabel = (v: unknown) => typeof v === 'string' && v.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v);
/** task_validation.go stringAndArrayVariableNameFormat and objectVariableNameFormat (an object's name and keys have no dots). */
const PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const RESULT_PATH_REF = /\$\(results\.([^.)]+)\.path\)/g;
const WORKSPACE_REF = /\$\(workspaces\.([^.)]+)\.(path|bound|claim|volume)\)/g;
const STEP_FIELDS = ['name', 'image', 'workingDir', 'script', 'command', 'args', 'env', 'volumeMounts', 'onError'];
const PIPELINE_VALUE_PREFIXES = ['params', 'tasks', 'finally', 'context', 'workspaces', 'results'];

/** One `$(params…)` reference: the param it names, an object key, an array index (`[*]` or `[0]`), or why it is malformed. */
interface ParamRef { text: string; name: string; key?: string; index?: string; error?: string }

/**
 * The `$(params…)` references of a string as Tekton reads them, for Tasks and Pipelines alike
 * (tektoncd/pipeline v1.15.0 pkg/substitution/substitution.go ExtractVariablesFromString, braceMatchingRegex
 * and TrimArrayIndex; task_validation.go ValidateUsageOfDeclaredParameters and pipeline_validation.go both call
 * it with prefix "params"): `$(params.x)`, `$(params.x[*])`, `$(params.x[0])`, `$(params.obj.key)`,
 * `$(params["a.b"])`, `$(params['a.b'])`. The dot form names the part before its first dot (a dotted param
 * name needs the brackets) and allows two parts at most; `error` says so for more.
 */
function paramRefs(s: string): ParamRef[] {
  return [...s.matchAll(/\$\(params(?:\.(.*?)|\["(.*?)"\]|\['(.*?)'\])\)/g)].map((m) => {
    const trim = (v: string) => v.replace(/\[[0-9]*\*?\]/g, '');
    const indexOf = (v: string) => /\[[0-9]*\*?\]$/.exec(v)?.[0];
    if (m[1] === undefined) { const v = m[2] ?? m[3]; return { text: m[0], name: trim(v), index: indexOf(v) }; }
    const parts = m[1].split('.');
    if (parts.length > 2) return { text: m[0], name: trim(parts[0]), error: `${m[0]}: only two dot-separated parts may follow params (a param, or an object param and its key); name a param with dots as $(params["a.b"])` };
    return { text: m[0], name: trim(parts[0]), key: parts[1] === undefined ? undefined : trim(parts[1]), index: indexOf(parts[0]) };
  });
}


/** Reports each name already in `seen` (shared by lists whose names must be unique together, e.g. tasks and finally). */
function unique(list: unknown, at: Path, what: string, add: (at: Path, m: string) => void, seen = new Set<string>()) {
  if (!Array.isArray(list)) return;
  list.forEach((item: Obj, i) => {
    // Stryker disable next-line OptionalChaining: equivalent, a null item is refused first (CRD schema or badLists) and a direct call reads the item again anyway
    const n = item?.name;
    if (typeof n !== 'string') return;
    if (seen.has(n)) add([...at, i, 'name'], `duplicate ${what} name "${n}"`);
    seen.add(n);
  });
}

/**
 * A param's type: its own, else that of its default, where anything but an array or object is a
 * string, numbers and booleans included (tektoncd/pipeline pkg/apis/pipeline/v1/param_types.go
 * ParamValue.UnmarshalJSON: "By default we unmarshal to string").
 */
const valueType = (v: unknown) => (Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : 'string');
/** param_types.go ParamSpec.SetDefaults: the type given, else object when it has properties, else that of its default (none: string). */
const paramType = (p: Obj): string => p.type || (p.properties !== undefined && p.properties !== null ? 'object' : valueType(p.default));
/** Object param with properties -> its keys (param_types.go validateObjectVariable; no properties, no key check). */
// Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
const objectKeysOf = (params: unknown): Map<string, Set<string>> => new Map((Array.isArray(params) ? params : [])
  .filter((p: Obj) => paramType(p) === 'object' && p.properties).map((p: Obj) => [p.name, new Set(Object.keys(p.properties))]));

/**
 * The lists the rules walk must be lists of objects. A Task or Pipeline document has passed its CRD
 * schema first (gate.ts), but an inline taskSpec (the Pipeline CRD keeps it as unknown fields) and a
 * PipelineRun (no schema compiled) have not: their lists are checked here, a finding instead of a
 * crash (Tekton fails to decode them). True when the spec has such a list.
 */
function badLists(spec: Obj, at: Path, add: (at: Path, m: string) => void, fields: readonly string[], nested: Readonly<Record<string, readonly string[]>> = {}): boolean {
  let bad = false;
  for (const f of fields) {
    const v = spec[f];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || !v.every(isObject)) { add([...at, f], 'must be a list of objects'); bad = true; continue; }
    v.forEach((item: Obj, i: number) => { if (badLists(item, [...at, f, i], add, nested[f] ?? [])) bad = true; });
  }
  return bad;
}

/** param_types.go ParamSpec.ValidateType: a known type, a default of that type, object properties of type string. */
function checkParamTypes(params: unknown, at: Path, add: (at: Path, m: string) => void): void {
  (Array.isArray(params) ? params : []).forEach((p: Obj, i: number) => {
    const type = paramType(p);
    if (!['string', 'array', 'object'].includes(type)) { add([...at, i, 'type'], `"${type}" is not a param type (string, array or object)`); return; }
    // A null default is no default (param_types.go: Default is a *ParamValue).
    if (p.default !== undefined && p.default !== null) {
      const actual = valueType(p.default);
      if (actual !== type) add([...at, i, 'default'], `default is ${actual === 'array' || actual === 'object' ? `an ${actual}` : `a ${actual}`} but the param type is ${type}`);
    }
    // ValidateObjectType: a property without a type is a string (setDefaultsForProperties); no other type is allowed.
    for (const [k, ps] of Object.entries(isObject(p.properties) ? p.properties : {})) {
      const pt = (ps as Obj)?.type;
      if (pt !== undefined && pt !== 'string') add([...at, i, 'properties', k, 'type'], `object param key "${k}" must be of type string`);
    }
  });
}

/**
 * Rules for a TaskSpec (a Task's spec or, `inline`, a Pipeline task's taskSpec, which no schema
 * has checked).
 */
function checkTaskSpec(spec: Obj, at: Path, add: (at: Path, m: string) => void, inherited: ReadonlyMap<string, string> = new Map(), inline = false): void {
  // The Task CRD leaves volumes unchecked (its schema is `volumes: {}`); an inline taskSpec has no schema at all.
  const unchecked = inline ? ['params', 'results', 'workspaces', 'volumes', 'steps', 'sidecars'] : ['volumes'];
  if (badLists(spec, at, add, unchecked, inline ? { steps: ['volumeMounts', 'env'] } : {})) return;
  // An inline taskSpec also sees its Pipeline's params (tektoncd/pipeline pkg/apis/pipeline/v1/pipeline_validation.go
  // validateUsageOfDeclaredPipelineTaskParameters: the taskSpec's params plus the Pipeline's); its own win.
  const params = new Map<string, string>(inherited);
  (spec.params ?? []).forEach((p: Obj, i: number) => {
    const type = paramType(p);
    // task_validation.go ValidateNameFormat: string and array names may hold dots, an object's name and keys may not.
    if (type === 'object') {
      if (typeof p.name !== 'string' || !OBJECT_NAME.test(p.name)) add([...at, 'params', i, 'name'], `"${p.name}" is not a valid object param name (^[_a-zA-Z][_a-zA-Z0-9-]*$)`);
      for (const k of Object.keys(p.properties ?? {})) if (!OBJECT_NAME.test(k)) add([...at, 'params', i, 'properties', k], `"${k}" is not a valid object param key (^[_a-zA-Z][_a-zA-Z0-9-]*$)`);
    } else if (typeof p.name !== 'string' || !PARAM_NAME.test(p.name)) add([...at, 'params', i, 'name'], `"${p.name}" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)`);
    params.set(p.name, type);
    // task_validation.go ValidateObjectParamsHaveProperties.
    if (type === 'object' && (p.properties === undefined || p.properties === null)) add([...at, 'params', i, 'properties'], `object param ${p.name} needs properties`);
    if (p.enum !== undefined) add([...at, 'params', i, 'enum'], 'param enum needs the alpha feature flag enable-param-enum: validate values in the generator instead');
  });
  checkParamTypes(spec.params, [...at, 'params'], add);
  const results = new Set<string>();
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  (spec.results ?? []).forEach((r: Obj, i: number) => {
    if (typeof r.name !== 'string' || !RESULT_NAME.test(r.name)) add([...at, 'results', i, 'name'], `"${r.name}" is not a valid result name`);
    results.add(r.name);
  });
  const objectKeys = objectKeysOf(spec.params);
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  const workspaces = new Set<string>((spec.workspaces ?? []).map((w: Obj) => w.name));
  unique(spec.params, [...at, 'params'], 'param', add);
  unique(spec.results, [...at, 'results'], 'result', add);
  unique(spec.workspaces, [...at, 'workspaces'], 'workspace', add);
  unique(spec.volumes, [...at, 'volumes'], 'volume', add);
  // StepList.Validate: only named steps must be unique (`if s.Name != ""`).
  // Stryker disable next-line ArrayDeclaration,OptionalChaining: equivalent, a string step has no name; a null step is refused first (schema or badLists)
  unique((Array.isArray(spec.steps) ? spec.steps : []).map((st: Obj) => (st?.name === '' ? {} : st)), [...at, 'steps'], 'step', add);
  const mountPaths = new Map<string, string>();
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  (spec.volumes ?? []).forEach((v: Obj, i: number) => {
    if (typeof v.name === 'string' && v.name.startsWith('tekton-internal-')) add([...at, 'volumes', i, 'name'], 'volume names starting with tekton-internal- are reserved');
  });
  (spec.workspaces ?? []).forEach((w: Obj, i: number) => {
    const mp = typeof w.mountPath === 'string' && w.mountPath ? w.mountPath : `/workspace/${w.name}`;
    if (mp.startsWith('/tekton/')) add([...at, 'workspaces', i, 'mountPath'], 'workspaces may not be mounted under /tekton/');
    if (mountPaths.has(cleanPath(mp))) add([...at, 'workspaces', i, 'mountPath'], `mount path ${mp} is also used by workspace "${mountPaths.get(cleanPath(mp))}"`);
    mountPaths.set(cleanPath(mp), w.name);
  });
  // task_validation.go validateDeclaredWorkspaces compares filepath.Clean'd paths, the stepTemplate's mounts and each step's.
  const mountClash = (mounts: unknown, mp: Path) => {
    // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
    (Array.isArray(mounts) ? mounts : []).forEach((m: Obj, mi: number) => {
      const used = typeof m?.mountPath === 'string' ? mountPaths.get(cleanPath(m.mountPath)) : undefined;
      if (used !== undefined) add([...mp, 'volumeMounts', mi, 'mountPath'], `mount path ${m.mountPath} is also used by workspace "${used}"`);
    });
  };
  mountClash(spec.stepTemplate?.volumeMounts, [...at, 'stepTemplate']);
  // container_validation.go:200-207 on each step merged with the stepTemplate (task_validation.go:81
  // MergeStepsWithStepTemplate; steps with ref are not merged): the filepath.Clean'd path, tekton-internal- names.
  const reservedMounts = (mounts: unknown, mp: Path) => {
    // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
    (Array.isArray(mounts) ? mounts : []).forEach((m: Obj, mi: number) => {
      // Stryker disable next-line StringLiteral: equivalent, the fallback path of a mount without one never starts with /tekton/
      const clean = typeof m?.mountPath === 'string' ? cleanPath(m.mountPath) : '';
      if (clean.startsWith('/tekton/') && !clean.startsWith('/tekton/home')) add([...mp, 'volumeMounts', mi, 'mountPath'], 'volumes may not be mounted under /tekton/');
      if (typeof m?.name === 'string' && m.name.startsWith('tekton-internal-')) add([...mp, 'volumeMounts', mi, 'name'], 'volumeMount names starting with tekton-internal- are reserved');
    });
  };
  if ((Array.isArray(spec.steps) ? spec.steps : []).some((st: Obj) => st?.ref === undefined)) reservedMounts(spec.stepTemplate?.volumeMounts, [...at, 'stepTemplate']);
  if (!Array.isArray(spec.steps) || spec.steps.length === 0) add([...at, 'steps'], 'a Task needs at least one step');

  // Sidecars and the step template are not checked by the webhook: a typo there stays literal.
  for (const [field, value] of [['stepTemplate', spec.stepTemplate], ['sidecars', spec.sidecars]] as const) {
    eachString(value, [...at, field], (s, p) => {
      for (const r of paramRefs(s)) {
        if (r.error) add(p, r.error);
        else if (!params.has(r.name)) add(p, `$(params.${r.name}) is not a declared param`);
      }
      for (const m of s.matchAll(WORKSPACE_REF)) if (!workspaces.has(m[1])) add(p, `$(workspaces.${m[1]}.${m[2]}) is not a declared workspace`);
    });
  }
  (spec.steps ?? []).forEach((step: Obj, si: number) => {
    const sp = [...at, 'steps', si];
    // container_validation.go Step.Validate: a name is optional (`if s.Name != ""`), and a DNS-1123 label when given.
    // (The v1 CRD schema requires the key, so a missing name is reported as "".)
    // An inline taskSpec has no schema: a missing name is "" there, as Go decodes it.
    const stepName = inline ? (step.name ?? '') : step.name;
    if (stepName !== '' && !isDnsLabel(stepName)) add([...sp, 'name'], `step name "${stepName ?? ''}" must be a DNS-1123 label`);
    // A step runs a StepAction (ref) or an image of its own (container_validation.go Step.Validate: strings
    // set when not "", lists when not empty, env whenever present).
    const given = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
    if (step.ref !== undefined) {
      for (const f of ['image', 'command', 'args', 'script', 'workingDir', 'volumeMounts', 'results'] as const) if (given(step[f])) add([...sp, f], `${f} cannot be used with ref`);
      if (step.env !== undefined && step.env !== null) add([...sp, 'env'], 'env cannot be used with ref');
    } else {
      if (given(step.params)) add([...sp, 'params'], 'params cannot be used without ref');
      if (!step.image && !spec.stepTemplate?.image) add([...sp, 'image'], 'a step needs an image');
      if (given(step.script) && given(step.command ?? spec.stepTemplate?.command)) add([...sp, 'command'], 'a step with script cannot set command');
    }
    if (step.onError !== undefined && !['continue', 'stopAndFail'].includes(step.onError) && !String(step.onError).includes('$(')) {
      add([...sp, 'onError'], `onError must be continue or stopAndFail, not "${step.onError}"`);
    }
    mountClash(step.volumeMounts, sp);
    reservedMounts(step.volumeMounts, sp);
    for (const field of STEP_FIELDS) {
      eachString(step[field], [...sp, field], (s, p) => {
        for (const r of paramRefs(s)) {
          if (r.error) { add(p, r.error); continue; }
          const type = params.get(r.name);
          if (type === undefined) { add(p, `$(params.${r.name}) is not a declared param`); continue; }
          // substitution.go ValidateVariableReferenceIsIsolated: a whole array, $(params.a[*]) or $(params.a) (it trims
          // "[*]"; replacements.go ApplyArrayReplacements expands both), only as a command/args element of its own.
          const wholeArrayElement = (field === 'command' || field === 'args') && s === r.text && (r.index === '[*]' || (r.index === undefined && r.key === undefined));
          // One element, $(params.a[0]), is a string, allowed anywhere (substitution.go ValidateNoReferencesToProhibitedVariables
          // trims only "[*]", so "a[0]" is no array reference; the run checks the index, resources ValidateParamArrayIndex).
          const element = r.index !== undefined && r.index !== '[*]';
          if (type === 'array' && !wholeArrayElement && !element) add(p, `array param ${r.name} may only be used as a whole "$(params.${r.name}[*])" element of command or args, or one element $(params.${r.name}[0])`);
          if (type !== 'array' && r.index === '[*]') add(p, `$(params.${r.name}[*]) expands an array, but ${r.name} is a ${type}`);
          // task_validation.go validateObjectUsage: a key named must be one of the object's properties.
          if (r.key !== undefined && objectKeys.get(r.name)?.has(r.key) === false) add(p, `${r.text}: object param ${r.name} has no key "${r.key}"`);
        }
        for (const m of s.matchAll(RESULT_PATH_REF)) if (!results.has(m[1])) add(p, `$(results.${m[1]}.path) is not a declared result`);
        for (const m of s.matchAll(WORKSPACE_REF)) if (!workspaces.has(m[1])) add(p, `$(workspaces.${m[1]}.${m[2]}) is not a declared workspace`);
      });
    }
    if (typeof step.script === 'string' && /\$\(params[.[]/.test(step.script)) {
      add([...sp, 'script'], 'params must not be pasted into script text (script injection): pass them through env or args');
    }
  });
}

/**
 * Rules for a PipelineSpec. `run` is the PipelineRun that embeds it: then (pipelinerun_validation.go
 * validateInlineParameters) its params, and every pipeline task's params and inline taskSpec params,
 * are in scope beside the spec's own ("propagated parameters"), and the Pipeline's own usage check
 * (pipeline_validation.go validatePipelineParameterUsage, called from Pipeline.Validate only) does not run.
 */
function checkPipelineSpec(spec: Obj, at: Path, add: (at: Path, m: string) => void, run?: Obj): void {
  // pipeline_validation.go PipelineSpec.Validate ("expected at least one, got none": equality.Semantic.DeepEqual with an
  // empty spec, where empty and absent lists are equal) and validateTasksAndFinallySection.
  // Stryker disable next-line ConditionalExpression: equivalent through the gate, only a number or boolean tells them apart and the Pipeline schema refuses both first
  const blank = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);
  if (Object.values(spec).every(blank)) add(at, 'a pipeline needs at least one of description, params, tasks or workspaces');
  if ((spec.finally ?? []).length > 0 && (spec.tasks ?? []).length === 0) add([...at, 'finally'], `spec.tasks is empty but spec.finally has ${spec.finally.length} tasks`);
  unique(spec.params, [...at, 'params'], 'param', add);
  unique(spec.workspaces, [...at, 'workspaces'], 'workspace', add);
  unique(spec.results, [...at, 'results'], 'result', add);
  // pipeline_validation.go ValidatePipelineParameterVariables: ValidateParameterTypes.
  checkParamTypes(spec.params, [...at, 'params'], add);
  // No name format for a Pipeline's own params and results: ValidateNameFormat runs for Task params only
  // (task_validation.go ValidateParameterVariables), resultNameFormat for Task and Step results (result_validation.go).
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  const tasks = [...(spec.tasks ?? []), ...(spec.finally ?? [])];
  // Task names are unique across tasks and finally, each duplicate reported where it is (spec.finally[i].name for a finally task).
  const taskNamesSeen = new Set<string>();
  unique(spec.tasks, [...at, 'tasks'], 'task', add, taskNamesSeen);
  unique(spec.finally, [...at, 'finally'], 'task', add, taskNamesSeen);
  // Propagated from the run: its params and those of spec.tasks and their taskSpecs (validateInlineParameters reads
  // ps.PipelineSpec.Tasks only). It checks no finally task; a finally task here still sees its own list's params too.
  const fromTasks = (list: unknown): Array<[string, string]> => objectsOf(list).flatMap((t: Obj) => [
    ...objectsOf(t.params).map((p: Obj): [string, string] => [p.name, valueType(p.value)]),
    ...objectsOf(t.taskSpec?.params).map((p: Obj): [string, string] => [p.name, paramType(p)])]);
  const runParams: Array<[string, string]> = run === undefined ? [] : [
    // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
    ...(run.spec.params ?? []).map((p: Obj): [string, string] => [p.name, valueType(p.value)]), ...fromTasks(spec.tasks)];
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  const own = (spec.params ?? []).map((p: Obj): [string, string] => [p.name, paramType(p)]);
  const params = new Map<string, string>([...runParams, ...own]);
  const finallyParams = run === undefined ? params : new Map<string, string>([...runParams, ...fromTasks(spec.finally), ...own]);
  // Object param with properties -> its keys: `$(params.obj.key)` names one of them (pipeline_validation.go
  // validatePipelineTaskParameterUsage, param_types.go validateObjectVariable; no properties, no check).
  const objectKeys = objectKeysOf(spec.params);
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  const workspaces = new Set<string>([...(spec.workspaces ?? []), ...(run?.spec.workspaces ?? [])].map((w: Obj) => w.name));
  const taskNames = new Set<string>(tasks.map((t: Obj) => t.name));
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  const dagTaskNames = new Set<string>((spec.tasks ?? []).map((t: Obj) => t.name));
  for (const list of ['tasks', 'finally'] as const) {
    const scope = list === 'finally' ? finallyParams : params;
    (spec[list] ?? []).forEach((t: Obj, ti: number) => {
      const tp = [...at, list, ti];
      // pipeline_validation.go PipelineTask.ValidateName: IsDNS1123Label, so required and at most 63 characters.
      if (!isDnsLabel(t.name)) add([...tp, 'name'], `task name "${t.name ?? ''}" must be a DNS-1123 label`);
      if (list === 'finally' && t.runAfter) add([...tp, 'runAfter'], 'finally tasks cannot use runAfter');
      (t.runAfter ?? []).forEach((r: string, ri: number) => { if (!taskNames.has(r)) add([...tp, 'runAfter', ri], `runAfter names unknown task "${r}"`); });
      // pipeline_validation.go validateWorkspaces: binding names unique, and a binding without `workspace` binds the
      // pipeline workspace of its own name. In a PipelineRun the run's workspaces are in scope too (propagated).
      unique(t.workspaces, [...tp, 'workspaces'], 'workspace binding', add);
      // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
      (t.workspaces ?? []).forEach((w: Obj, wi: number) => {
        const bound = w.workspace || w.name;
        // Stryker disable next-line ConditionalExpression: equivalent through the gate, the Pipeline schema requires a string workspace name
        if (typeof bound === 'string' && !workspaces.has(bound)) add([...tp, 'workspaces', wi, w.workspace ? 'workspace' : 'name'], `pipeline workspace "${bound}" is not declared`);
      });
      eachString(t.params, [...tp, 'params'], (s, p) => {
        for (const m of s.matchAll(/\$\(([a-zA-Z]+)[.[]([^)]*)\)/g)) {
          if (!PIPELINE_VALUE_PREFIXES.includes(m[1])) add(p, `$(${m[1]}...) is not a variable a pipeline task param may use`);
          if (m[1] !== 'tasks') continue;
          // Execution status (pipeline_validation.go validateExecutionStatusVariables, containsExecutionStatusRef):
          // $(tasks.status) and $(tasks.<task>.status|reason) only in finally, naming a task of `tasks`.
          // Tekton skips this for a param whose value also refers to a result; we do not.
          const ref = m[2];
          if (!/^[^.]+\.results\./.test(ref) && (ref === 'status' || /\.(status|reason)$/.test(ref))) {
            if (list === 'tasks') add(p, `$(tasks.${ref}): only finally tasks can read the execution status of a task or the aggregate $(tasks.status)`);
            else if (ref !== 'status' && !dagTaskNames.has(ref.replace(/\.(status|reason)$/, ''))) {
              add(p, `$(tasks.${ref}): pipeline task ${ref.replace(/\.(status|reason)$/, '')} is not defined in the pipeline's tasks`);
            }
            continue;
          }
          const task = ref.split('.')[0];
          if (!taskNames.has(task)) add(p, `$(tasks.${ref}) names unknown task "${task}"`);
        }
        for (const r of paramRefs(s)) {
          if (r.error) add(p, r.error);
          else if (!scope.has(r.name)) add(p, `$(params.${r.name}) is not a declared pipeline param`);
          else if (r.key !== undefined && objectKeys.get(r.name)?.has(r.key) === false) add(p, `${r.text}: object param ${r.name} has no key "${r.key}"`);
        }
      });
      if (isObject(t.taskSpec)) checkTaskSpec(t.taskSpec, [...tp, 'taskSpec'], add, scope, true);
    });
  }
  // Stryker disable next-line ArrayDeclaration: equivalent, a string item has no name, type, value or mountPath, so it adds nothing a lookup by name finds
  (spec.results ?? []).forEach((r: Obj, i: number) => {
    eachString(r.value, [...at, 'results', i, 'value'], (s, p) => {
      for (const m of s.matchAll(/\$\(tasks\.([^.]+)\.results\.[^)]+\)/g)) if (!taskNames.has(m[1])) add(p, `names unknown task "${m[1]}"`);
    });
  });
}

/** Webhook-level rules for a `tekton.dev/v1` Task or Pipeline; other documents pass. */
export function checkTektonRules(doc: Obj): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const add = (path: Path, message: string) => issues.push({ path: formatPath(path), message });
  if (doc?.apiVersion === 'tekton.dev/v1' && doc.kind === 'PipelineRun' && doc.spec?.pipelineSpec) {
    // No PipelineRun schema is compiled: its lists, and those of the inline pipelineSpec the rules read, are checked here.
    if (badLists(doc.spec, ['spec'], add, ['params', 'workspaces'])) return issues;
    if (!isObject(doc.spec.pipelineSpec)) { add(['spec', 'pipelineSpec'], 'must be an object'); return issues; }
    if (badLists(doc.spec.pipelineSpec, ['spec', 'pipelineSpec'], add, ['params', 'workspaces', 'results', 'tasks', 'finally'], { tasks: ['params', 'workspaces'], finally: ['params', 'workspaces'] })) return issues;
    checkPipelineSpec(doc.spec.pipelineSpec, ['spec', 'pipelineSpec'], add, doc);
    return issues;
  }
  if (doc?.apiVersion !== 'tekton.dev/v1' || (doc.kind !== 'Task' && doc.kind !== 'Pipeline')) return issues;
  const name = doc.metadata?.name;
  if (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name) || name.length > 63) add(['metadata', 'name'], `"${name ?? ''}" must be a DNS-1123 subdomain of at most 63 characters`);
  if (doc.kind === 'Task') checkTaskSpec(doc.spec ?? {}, ['spec'], add);
  else checkPipelineSpec(doc.spec ?? {}, ['spec'], add);
  return issues;
}
