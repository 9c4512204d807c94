/**
 * Argo Workflows' own validation (argo.md §2, workflow/validate/validate.go), which runs in
 * argo-server, the CLI and the controller as a Workflow starts (workflow/controller/operator.go
 * validates each new Workflow and the templates it references), never at apply time; plus the
 * catalog conventions (argo.md §0.7, §5).
 */
import { formatPath } from '../spec/errors';
import { isMastermindsConstraint } from '../spec/values';
import { eachString } from '../spec/walk';
import { checkCatalogLayout, isMutableImage } from './catalog';
import type { DocumentIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = Array<string | number>;

const KINDS = ['WorkflowTemplate', 'ClusterWorkflowTemplate'];
/** Argo's validation also runs on Workflows (our samples): the same spec, but no catalog rules. */
const RULE_KINDS = [...KINDS, 'Workflow'];
const TEMPLATE_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const PARAM_NAME = /^[-a-zA-Z0-9_]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const TEMPLATE_TYPES = ['container', 'script', 'steps', 'dag', 'resource', 'suspend', 'containerSet', 'data', 'http', 'plugin'];
const SCOPED_PREFIXES = ['item.', 'steps.', 'inputs.', 'outputs.', 'pod.', 'workflow.', 'tasks.'];
/** What decides whether a workflow variable is in scope (validate.go Workflow(), v4.1.2). */
interface Globals {
  /** A WorkflowTemplate or ClusterWorkflowTemplate: validated with WorkflowTemplateValidation (l.413, l.431). */
  readonly templateValidation: boolean;
  /** spec.arguments.parameters is not empty (l.209-212). */
  readonly hasParams: boolean;
  /** spec.priority is set (l.253-255). */
  readonly hasPriority: boolean;
  /** The template makes a pod (container, containerSet, script, resource, data: IsPodType, workflow_types.go:3513): {{pod.name}} (l.516-518). */
  readonly podType: boolean;
  /**
   * spec.onExit is set and the entrypoint does not reach the template: {{workflow.failures}} joins the
   * globals after the entrypoint's templates are validated (l.295-296), and tctx.results (l.579-584)
   * keeps those from being validated again, so only the others (the exit handler's, l.329, and every
   * template left, l.362-367) have it.
   */
  readonly failures: boolean;
}
/**
 * The variables a template may use whatever it declares, in one table: the globals validate.go puts
 * in scope (newTemplateValidationCtx l.71-75; Workflow() l.209-257), matched exactly, some only when
 * the document has what they name, and the runtime values resolveAllVariables accepts by prefix
 * (l.821-828: creationTimestamp and its formats, scheduledTime from a CronWorkflow, duration,
 * tasks.name, steps.name, and in a WorkflowTemplate any workflow.parameters…, which the Workflow
 * using it may pass). {{pod.name}} is exact, in a pod-type template (l.516-518).
 */
const WORKFLOW_VARIABLES: ReadonlyArray<readonly [tag: string, match: 'exact' | 'prefix', when?: (g: Globals) => boolean]> = [
  ['workflow.name', 'exact'], ['workflow.namespace', 'exact'], ['workflow.uid', 'exact'], ['workflow.serviceAccountName', 'exact'],
  ['workflow.mainEntrypoint', 'exact'], ['workflow.status', 'exact'], ['pod.name', 'exact', (g) => g.podType],
  ['workflow.failures', 'exact', (g) => g.failures],
  ['workflow.priority', 'exact', (g) => g.hasPriority],
  ['workflow.labels', 'exact'], ['workflow.labels.json', 'exact'], ['workflow.annotations', 'exact'], ['workflow.annotations.json', 'exact'],
  ['workflow.parameters', 'exact', (g) => g.hasParams], ['workflow.parameters.json', 'exact', (g) => g.hasParams],
  ['workflow.parameters', 'prefix', (g) => g.templateValidation],
  ['workflow.creationTimestamp', 'prefix'], ['workflow.scheduledTime', 'prefix'], ['workflow.duration', 'prefix'],
  ['tasks.name', 'prefix'], ['steps.name', 'prefix'],
];
const isWorkflowVariable = (tag: string, g: Globals) =>
  WORKFLOW_VARIABLES.some(([v, match, when]) => (match === 'exact' ? tag === v : tag.startsWith(v)) && (when?.(g) ?? true));
/** A `{{workflow.parameters.X}}` tag (trimmed, as tagsOf gives it): X. */
const WORKFLOW_PARAM_TAG = /^workflow\.parameters\.([^.]+)$/;
/** validate.go validateOutputParameter: the valueFrom sources of an output parameter (non-empty strings, or `supplied` given). */
const OUTPUT_SOURCES = ['path', 'jqFilter', 'jsonPath', 'parameter', 'expression'];

/** The `{{tag}}`s of a string; reports an unclosed `{{`. */
function tagsOf(s: string, onUnclosed: () => void): string[] {
  const tags: string[] = [];
  let i = 0;
  while ((i = s.indexOf('{{', i)) >= 0) {
    const end = s.indexOf('}}', i + 2);
    if (end < 0) { onUnclosed(); break; }
    tags.push(s.slice(i + 2, end).trim());
    i = end + 2;
  }
  return tags;
}

/** Reports names missing, not matching `pattern`, or already in `seen` (shared by lists whose names must be unique together). */
function uniqueNames(list: unknown, at: Path, what: string, pattern: RegExp | undefined, add: (at: Path, m: string) => void, seen = new Set<string>()) {
  if (!Array.isArray(list)) return;
  list.forEach((item: Obj, i) => {
    const n = item?.name;
    if (typeof n !== 'string' || n === '') { add([...at, i, 'name'], `${what} name is required`); return; }
    if (pattern && !pattern.test(n)) add([...at, i, 'name'], `${what} name "${n}" must match ${pattern.source}`);
    if (seen.has(n)) add([...at, i, 'name'], `duplicate ${what} name "${n}"`);
    seen.add(n);
  });
}

/** A dependency cycle among DAG tasks (its names, first repeated at the end), or undefined. */
function dependencyCycle(tasks: ReadonlyMap<string, Obj>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done' || !tasks.has(n)) return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const d of dependsOn(tasks.get(n)!)) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...tasks.keys()].sort()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

/** workflow/common/ancestry.go (v4.1.2): a `depends` item is `task` or `task.Result`, Result capitalised. */
const DEPENDS_ITEM = /([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)/g;
/** ancestry.go ValidateTaskResults: the results a `depends` item may name. */
const TASK_RESULTS = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'];

/** `task.Result` items of a `depends` expression (ancestry.go taskResultRegex). */
function dependsResults(depends: string): Array<{ task: string; result: string }> {
  return [...depends.matchAll(DEPENDS_ITEM)].filter((m) => m[1] !== undefined).map((m) => {
    const [task, result] = m[1].split('.');
    return { task, result };
  });
}

/**
 * Names of the tasks a DAG task depends on (from `depends` or `dependencies`), as ancestry.go
 * GetTaskDependencies reads them: a word that is no `task.Result` is a task name, so a bare
 * `Succeeded` or the `succeeded` of `a.succeeded` names a task.
 */
function dependsOn(task: Obj): string[] {
  if (Array.isArray(task.dependencies)) return task.dependencies;
  if (typeof task.depends !== 'string') return [];
  return [...task.depends.matchAll(DEPENDS_ITEM)].map((m) => (m[1] !== undefined ? m[1].split('.')[0] : m[2]));
}

/** validate.go validateItems: how many of withItems (non-empty), withParam (non-empty) and withSequence a task or step sets. */
const LOOPS_MESSAGE = 'only one of withItems, withParam, withSequence can be specified';
function loopsOf(x: Obj): number {
  return [Array.isArray(x?.withItems) && x.withItems.length > 0, typeof x?.withParam === 'string' && x.withParam !== '', x?.withSequence !== undefined && x?.withSequence !== null].filter(Boolean).length;
}

/**
 * The templates Argo validates from the entrypoint (validate.go Workflow() l.263-276, none when the
 * entrypoint is empty: IgnoreEntrypoint, l.411): the entrypoint and, at any depth, the named
 * templates its steps and DAG tasks call, inline templates' calls included (validateSteps l.1091,
 * validateDAG l.1480). Lifecycle hooks' templates are not among them (validateHooks reads only
 * their expressions, l.143-150), nor templateRef ones (another document's).
 */
function reachedFromEntrypoint(entrypoint: unknown, byName: ReadonlyMap<string, Obj>): Set<Obj> {
  const reached = new Set<Obj>();
  const visit = (t: Obj | undefined) => {
    if (!t || reached.has(t)) return;
    reached.add(t);
    const calls: Obj[] = [...(Array.isArray(t.dag?.tasks) ? t.dag.tasks : []), ...(Array.isArray(t.steps) ? t.steps.flatMap((g: unknown) => (Array.isArray(g) ? g : [])) : [])];
    for (const call of calls) {
      if (call?.inline) visit(call.inline);
      else if (typeof call?.template === 'string' && !call.templateRef) visit(byName.get(call.template));
    }
  };
  if (typeof entrypoint === 'string') visit(byName.get(entrypoint));
  return reached;
}

/** Argo's semantic validation of a WorkflowTemplate / ClusterWorkflowTemplate. */
export function checkArgoRules(doc: Obj): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  if (doc?.apiVersion !== 'argoproj.io/v1alpha1' || !RULE_KINDS.includes(doc.kind)) return issues;
  const add = (path: Path, message: string) => issues.push({ path: formatPath(path), message });
  const name = doc.metadata?.name;
  const generated = doc.kind === 'Workflow' && name === undefined && typeof doc.metadata?.generateName === 'string';
  if (!generated && (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name) || name.length > 63)) add(['metadata', 'name'], `"${name ?? ''}" must be a DNS-1123 subdomain of at most 63 characters`);
  const spec: Obj = doc.spec ?? {};
  const templates: Obj[] = Array.isArray(spec.templates) ? spec.templates : [];
  const byName = new Map<string, Obj>(templates.map((t) => [t.name, t]));
  uniqueNames(templates, ['spec', 'templates'], 'template', TEMPLATE_NAME, add);
  templates.forEach((t, i) => { if (typeof t.name === 'string' && t.name.length > 128) add(['spec', 'templates', i, 'name'], 'template names are at most 128 characters'); });
  uniqueNames(spec.arguments?.parameters, ['spec', 'arguments', 'parameters'], 'parameter', PARAM_NAME, add);
  // A Workflow from a workflowTemplateRef takes its templates from the referenced one.
  if (spec.entrypoint !== undefined && !byName.has(spec.entrypoint) && !spec.workflowTemplateRef) add(['spec', 'entrypoint'], `template name '${spec.entrypoint}' undefined`);
  // validate.go ValidateWorkflow: spec.onExit names a template (of the referenced one for a workflowTemplateRef).
  if (typeof spec.onExit === 'string' && spec.onExit !== '' && !byName.has(spec.onExit) && !spec.workflowTemplateRef) add(['spec', 'onExit'], `template name '${spec.onExit}' undefined`);
  const workflowParams = new Set<string>((spec.arguments?.parameters ?? []).map((p: Obj) => p.name));
  const exitHandler = typeof spec.onExit === 'string' && spec.onExit !== '';
  const reached = exitHandler ? reachedFromEntrypoint(spec.entrypoint, byName) : new Set<Obj>();
  const globals: Omit<Globals, 'podType' | 'failures'> = {
    // A Workflow from a workflowTemplateRef also has the referenced template's parameters (l.191-194), not seen here.
    templateValidation: KINDS.includes(doc.kind) || spec.workflowTemplateRef !== undefined,
    hasParams: workflowParams.size > 0,
    hasPriority: spec.priority !== undefined && spec.priority !== null,
  };
  (spec.arguments?.parameters ?? []).forEach((p: Obj, i: number) => {
    if (p.enum === undefined) return;
    if (!Array.isArray(p.enum) || p.enum.length === 0) add(['spec', 'arguments', 'parameters', i, 'enum'], 'enum must list at least one value');
    else if (p.value !== undefined && !p.enum.includes(p.value)) add(['spec', 'arguments', 'parameters', i, 'value'], `"${p.value}" is not in enum`);
  });

  templates.forEach((t, ti) => {
    const tp: Path = ['spec', 'templates', ti];
    const types = TEMPLATE_TYPES.filter((k) => t[k] !== undefined);
    if (types.length !== 1) add(tp, `a template needs exactly one type (${TEMPLATE_TYPES.join(', ')}); found ${types.length ? types.join(', ') : 'none'}`);
    uniqueNames(t.inputs?.parameters, [...tp, 'inputs', 'parameters'], 'parameter', PARAM_NAME, add);
    uniqueNames(t.inputs?.artifacts, [...tp, 'inputs', 'artifacts'], 'artifact', PARAM_NAME, add);
    // IsPodType and IsLeaf (workflow_types.go:3513, :3522).
    const podType = ['container', 'containerSet', 'script', 'resource', 'data'].some((k) => t[k] !== undefined);
    const leafType = podType || t.http !== undefined || t.plugin !== undefined;
    // validateInputs l.765-767, validateOutputs l.1269-1271: an artifact path only in a leaf template.
    for (const where of ['inputs', 'outputs']) {
      (Array.isArray(t[where]?.artifacts) ? t[where].artifacts : []).forEach((a: Obj, ai: number) => {
        if (!leafType && typeof a?.path === 'string' && a.path !== '') add([...tp, where, 'artifacts', ai, 'path'], 'an artifact path is only valid in container/script templates');
      });
    }
    uniqueNames(t.outputs?.parameters, [...tp, 'outputs', 'parameters'], 'parameter', PARAM_NAME, add);
    const leaf = t.container ?? t.script;
    // validate.go validateLeaf (v4.1.2 l.879-892, 962-977): a Workflow's or WorkflowTemplate's spec.templateDefaults
    // may give the image; a ClusterWorkflowTemplate's may not.
    const kind = t.container ? 'container' : 'script';
    const defaulted = doc.kind !== 'ClusterWorkflowTemplate' && spec.templateDefaults?.[kind]?.image;
    if (leaf && !leaf.image && !defaulted) add([...tp, kind, 'image'], 'image is required');
    // Leaf pods: the executor reports results with a token; without one of its own, the pod's must stay mounted.
    const automount = t.automountServiceAccountToken ?? spec.automountServiceAccountToken;
    if (!t.steps && !t.dag && automount === false && !t.executor?.serviceAccountName && !spec.executor?.serviceAccountName) {
      add([...tp, 'executor', 'serviceAccountName'], 'must not be empty if automountServiceAccountToken is false (Argo\'s executor needs a token)');
    }
    const mounts = new Set<string>();
    (leaf?.volumeMounts ?? []).forEach((m: Obj, mi: number) => {
      if (mounts.has(m.mountPath)) add([...tp, t.container ? 'container' : 'script', 'volumeMounts', mi, 'mountPath'], `duplicate mountPath ${m.mountPath}`);
      mounts.add(m.mountPath);
    });
    (t.outputs?.parameters ?? []).forEach((o: Obj, oi: number) => {
      const op = [...tp, 'outputs', 'parameters', oi];
      if ((o.value !== undefined) === (o.valueFrom !== undefined)) { add(op, 'an output parameter needs exactly one of value and valueFrom'); return; }
      if (!o.valueFrom) return;
      const kinds = [...OUTPUT_SOURCES.filter((k) => o.valueFrom[k] !== undefined && o.valueFrom[k] !== ''), ...(o.valueFrom.supplied !== undefined ? ['supplied'] : [])];
      if (kinds.length !== 1) add([...op, 'valueFrom'], `valueFrom needs exactly one source; found ${kinds.join(', ') || 'none'}`);
      if ((t.container || t.script || t.containerSet) && !o.valueFrom.path) add([...op, 'valueFrom'], 'container and script outputs need valueFrom.path');
      // validateOutputs l.1292-1295.
      if (t.resource && !o.valueFrom.jqFilter && !o.valueFrom.jsonPath) add([...op, 'valueFrom'], 'resource outputs need valueFrom.jqFilter or jsonPath');
      if ((t.steps || t.dag) && !o.valueFrom.parameter && !o.valueFrom.expression) add([...op, 'valueFrom'], 'steps and dag outputs need valueFrom.parameter or expression');
      if (o.globalName !== undefined && !o.globalName.includes('{{') && !PARAM_NAME.test(o.globalName)) add([...op, 'globalName'], `globalName "${o.globalName}" must match ${PARAM_NAME.source}`);
    });
    if (t.script && typeof t.script.source === 'string' && t.script.source.includes('{{')) {
      add([...tp, 'script', 'source'], 'no {{...}} tag may be pasted into script source (script injection): pass values through env');
    }

    // Variables in scope for this template.
    const inputs = new Set<string>((t.inputs?.parameters ?? []).map((p: Obj) => p.name));
    const inputArtifacts = new Set<string>((t.inputs?.artifacts ?? []).map((a: Obj) => a.name));
    const templateGlobals: Globals = { ...globals, podType, failures: exitHandler && !reached.has(t) };
    const outputs = new Set<string>((t.outputs?.parameters ?? []).map((p: Obj) => p.name));
    const dagTasks: Obj[] = t.dag?.tasks ?? [];
    const taskByName = new Map<string, Obj>(dagTasks.map((d) => [d.name, d]));
    const ancestors = (n: string, seen = new Set<string>()): Set<string> => {
      for (const d of dependsOn(taskByName.get(n) ?? {})) if (!seen.has(d)) { seen.add(d); ancestors(d, seen); }
      return seen;
    };
    // Steps: a step sees the steps of the groups before its own.
    const stepGroups: Obj[][] = Array.isArray(t.steps) ? t.steps : [];
    // Each step by name with the index of its group (step names are unique in a valid template).
    const stepByName = new Map<string, { step: Obj; group: number }>();
    stepGroups.forEach((g, gi) => (Array.isArray(g) ? g : []).forEach((x) => { if (!stepByName.has(x?.name)) stepByName.set(x?.name, { step: x, group: gi }); }));
    /** A tag in the template; in a DAG task (`currentTask`) or a step (`step`, of group `group`) that task's or step's scope too. */
    const check = (tag: string, at: Path, currentTask?: string, group?: number, step?: Obj) => {
      if (tag.startsWith('=') || !SCOPED_PREFIXES.some((p) => tag.startsWith(p))) return;
      // validate.go addItemsToScope: a task or step with withItems, withParam or withSequence has {{item…}}.
      const loop = currentTask !== undefined ? taskByName.get(currentTask) : step;
      if ((tag === 'item' || tag.startsWith('item.')) && loop && (loop.withItems !== undefined || loop.withParam !== undefined || loop.withSequence !== undefined)) return;
      const fail = () => add(at, `failed to resolve {{${tag}}}`);
      let m: RegExpExecArray | null;
      // validate.go validateInputs (l.739-766): each input, the whole set when there is one, an artifact's path in a leaf.
      if (tag === 'inputs.parameters') { if (inputs.size === 0) fail(); return; }
      if ((m = /^inputs\.parameters\.([^.]+)$/.exec(tag))) { if (!inputs.has(m[1])) fail(); return; }
      if ((m = /^inputs\.artifacts\.([^.]+)(\.path)?$/.exec(tag))) { if (!inputArtifacts.has(m[1]) || (m[2] && !leafType)) fail(); return; }
      if ((m = /^outputs\.parameters\.([^.]+)(\.path)?$/.exec(tag))) { if (!outputs.has(m[1])) fail(); return; }
      // validate.go resolveAllVariables accepts any other outputs. tag (a template's own outputs, e.g. in its metrics):
      // {{outputs.result}}, {{outputs.artifacts.sbom.path}}. A named output parameter we still want declared.
      if (tag.startsWith('outputs.')) return;
      if (isWorkflowVariable(tag, templateGlobals)) return;
      if (tag === 'workflow.failures') { add(at, 'failed to resolve {{workflow.failures}} (only an exit handler has it: set spec.onExit, in a template the entrypoint does not call)'); return; }
      if ((m = WORKFLOW_PARAM_TAG.exec(tag))) { if (!workflowParams.has(m[1])) fail(); return; }
      if ((m = /^workflow\.outputs\.parameters\.([^.]+)$/.exec(tag))) return;
      // A label's or annotation's key (l.225-251) may come from the controller's workflowDefaults,
      // which no file shows: any key is taken.
      if (/^workflow\.(labels|annotations)\./.test(tag)) return;
      if ((m = /^tasks\.([^.]+)\.(outputs\.parameters\.([^.]+)|outputs\.artifacts\.[^.]+|status|id|startedAt|finishedAt|exitCode|ip|outputs\.result)$/.exec(tag))) {
        const ref = taskByName.get(m[1]);
        if (!ref) { fail(); return; }
        if (currentTask !== undefined && m[2].startsWith('outputs') && !ancestors(currentTask).has(m[1])) {
          add(at, `{{${tag}}}: task "${currentTask}" must depend on "${m[1]}" to use its outputs (missing dependency)`);
          return;
        }
        const target = byName.get(ref.template);
        if (m[3] && target && !(target.outputs?.parameters ?? []).some((p: Obj) => p.name === m![3])) fail();
        return;
      }
      if ((m = /^steps\.([^.]+)\.(outputs\.parameters\.([^.]+)|outputs\.artifacts\.[^.]+|outputs\.result|status|id|startedAt|finishedAt|exitCode|ip)$/.exec(tag)) && t.steps) {
        // Inside a group: the steps of earlier groups; elsewhere in the template (its outputs): every step.
        const found = stepByName.get(m[1]);
        const step = found && found.group < (group ?? stepGroups.length) ? found.step : undefined;
        if (!step) { add(at, `failed to resolve {{${tag}}}${group !== undefined ? ' (only steps of earlier groups are in scope)' : ''}`); return; }
        const target = step.template ? byName.get(step.template) : undefined;
        if (m[3] && target && !(target.outputs?.parameters ?? []).some((p: Obj) => p.name === m![3])) fail();
        return;
      }
      fail();
    };
    const { dag: _dag, steps: _steps, ...rest } = t;
    eachString(rest, tp, (s, at) => tagsOf(s, () => add(at, 'unclosed {{ in a string')).forEach((tag) => check(tag, at)));

    uniqueNames(dagTasks, [...tp, 'dag', 'tasks'], 'task', TEMPLATE_NAME, add);
    const cycle = dependencyCycle(taskByName);
    if (cycle) add([...tp, 'dag', 'tasks', dagTasks.findIndex((d) => d.name === cycle[0]), 'depends'], `dependency cycle: ${cycle.join(' -> ')}`);
    // validateDAGTargets: each space-separated target is a task of the DAG or a {{parameter}} (validate.go isParameter).
    if (typeof t.dag?.target === 'string' && t.dag.target !== '') {
      for (const target of t.dag.target.split(' ')) {
        if (!/\{\{[-a-zA-Z0-9]+(\.[-a-zA-Z0-9_]+)*\}\}/.test(target) && !taskByName.has(target)) add([...tp, 'dag', 'target'], `target '${target}' is not defined`);
      }
    }
    const usingDepends = dagTasks.some((d) => typeof d.depends === 'string' && d.depends !== '');
    if (t.dag && dagTasks.length === 0) add([...tp, 'dag', 'tasks'], 'a DAG needs at least one task');
    dagTasks.forEach((d, di) => {
      const dp = [...tp, 'dag', 'tasks', di];
      // validate.go validateDAG (v4.1.2 l.1441-1478): once any task of the DAG uses depends, every task name is checked.
      if (loopsOf(d) > 1) add(dp, LOOPS_MESSAGE);
      const listsDependencies = Array.isArray(d.dependencies) && d.dependencies.length > 0;
      if ((usingDepends || listsDependencies) && /^[0-9]/.test(d.name ?? '')) add([...dp, 'name'], 'task names may not start with a digit when dependencies are used');
      if (usingDepends && listsDependencies) add([...dp, 'dependencies'], 'a DAG cannot use both depends and dependencies: write this task\'s dependencies as depends');
      if (usingDepends && d.continueOn !== undefined) add([...dp, 'continueOn'], 'a DAG using depends cannot use continueOn: depend on "<task>.Failed" or "<task>.Errored" instead');
      for (const dep of new Set(dependsOn(d))) if (!taskByName.has(dep)) add([...dp, 'depends'], `depends on unknown task "${dep}"`);
      if (typeof d.depends === 'string') {
        for (const r of dependsResults(d.depends)) if (!TASK_RESULTS.includes(r.result)) add([...dp, 'depends'], `task result '${r.result}' for task '${r.task}' is invalid (${TASK_RESULTS.join(', ')})`);
      }
      if (d.template && !byName.has(d.template)) add([...dp, 'template'], `template name '${d.template}' undefined`);
      if (d.templateRef && (!d.templateRef.name || !d.templateRef.template)) add([...dp, 'templateRef'], 'templateRef needs name and template');
      const target = d.template ? byName.get(d.template) : undefined;
      (d.arguments?.parameters ?? []).forEach((p: Obj, pi: number) => {
        if (p.value === undefined && p.valueFrom === undefined) add([...dp, 'arguments', 'parameters', pi], `argument "${p.name}" needs a value`);
        if (target && !(target.inputs?.parameters ?? []).some((ip: Obj) => ip.name === p.name)) add([...dp, 'arguments', 'parameters', pi, 'name'], `template "${target.name}" has no input "${p.name}"`);
      });
      if (target) {
        (target.inputs?.parameters ?? []).forEach((ip: Obj) => {
          const given = (d.arguments?.parameters ?? []).some((p: Obj) => p.name === ip.name);
          if (!given && ip.value === undefined && ip.default === undefined) add([...dp, 'arguments'], `input "${ip.name}" of template "${target.name}" has no value`);
        });
      }
      eachString(d, dp, (s, at) => tagsOf(s, () => add(at, 'unclosed {{ in a string')).forEach((tag) => check(tag, at, d.name)));
    });
    // validate.go validateSteps: step names are unique across all groups of the template.
    const stepNamesSeen = new Set<string>();
    (t.steps ?? []).forEach((group: Obj[], gi: number) => {
      uniqueNames(group, [...tp, 'steps', gi], 'step', TEMPLATE_NAME, add, stepNamesSeen);
      (Array.isArray(group) ? group : []).forEach((st: Obj, si: number) => {
        if (loopsOf(st) > 1) add([...tp, 'steps', gi, si], LOOPS_MESSAGE);
        eachString(st, [...tp, 'steps', gi, si], (s, at) => tagsOf(s, () => add(at, 'unclosed {{ in a string')).forEach((tag) => check(tag, at, undefined, gi, st)));
      });
    });
  });
  eachString({ arguments: spec.arguments, workflowMetadata: spec.workflowMetadata }, ['spec'], (s, at) => {
    tagsOf(s, () => add(at, 'unclosed {{ in a string'));
  });
  return issues;
}

/**
 * A Workflow run by `workflowTemplateRef` against the template it names (argo-workflows v4.1.2):
 * the reference names it (`clusterScope` for a ClusterWorkflowTemplate), and at submit every
 * argument of the merged spec (the Workflow's over the template's: workflow/util/merge.go:274-311)
 * has a value (workflow/validate/validate.go:205, 1016-1023: empty values are allowed only when
 * linting or validating a template).
 */
export function checkWorkflowTemplateRef(workflow: Obj, template: Obj): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const ref = workflow?.spec?.workflowTemplateRef;
  if (workflow?.kind !== 'Workflow' || !ref) return issues;
  const add = (path: Path, message: string) => issues.push({ path: formatPath(path), message });
  if (ref.name !== template?.metadata?.name) add(['spec', 'workflowTemplateRef', 'name'], `names "${ref.name}", not the template "${template?.metadata?.name}"`);
  if (!!ref.clusterScope !== (template?.kind === 'ClusterWorkflowTemplate')) add(['spec', 'workflowTemplateRef', 'clusterScope'], `must be ${template?.kind === 'ClusterWorkflowTemplate'} for a ${template?.kind}`);
  const given: Obj[] = workflow.spec.arguments?.parameters ?? [];
  const declared: Obj[] = template?.spec?.arguments?.parameters ?? [];
  const hasValue = (p: Obj | undefined) => p !== undefined && (p.value !== undefined || p.valueFrom !== undefined);
  declared.forEach((p) => {
    if (!hasValue(given.find((g) => g.name === p.name)) && !hasValue(p)) add(['spec', 'arguments', 'parameters'], `spec.arguments.${p.name}.value or spec.arguments.${p.name}.valueFrom is required`);
  });
  given.forEach((g, i) => { if (!hasValue(g)) add(['spec', 'arguments', 'parameters', i], `spec.arguments.${g.name}.value or spec.arguments.${g.name}.valueFrom is required`); });
  return issues;
}

/** `[…/]workflowtemplate|clusterworkflowtemplate/<name>/<version>/<name>.yaml`. */
const LAYOUT = /(?:^|\/)(workflowtemplate|clusterworkflowtemplate)\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/;

/** Catalog conventions for a template found at `file` (bundle-relative). */
export function checkArgoCatalogRules(doc: Obj, file: string): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const m = LAYOUT.exec(file);
  if (!m || doc?.apiVersion !== 'argoproj.io/v1alpha1' || !KINDS.includes(doc.kind)) return issues;
  const [, kindDir, dirName, version, fileName] = m;
  const add = (path: string, message: string) => issues.push({ path, message });
  checkCatalogLayout(doc, kindDir, dirName, version, fileName, add);
  const ann = doc.metadata?.annotations ?? {};
  const a = (k: string) => `metadata.annotations["workflows.argoproj.io/${k}"]`;
  const description = ann['workflows.argoproj.io/description'];
  if (!description) add(a('description'), 'is required by the Argo catalog');
  else if (!String(description).trim().endsWith('.')) add(a('description'), 'must end with "."');
  const constraint = ann['workflows.argoproj.io/version'];
  if (!constraint) add(a('version'), 'is required: the minimum Argo version as a semver constraint, e.g. ">= 3.6.0"');
  // argo-workflows-catalog hack/main.go reads it with Masterminds/semver NewConstraint (values.ts isMastermindsConstraint).
  else if (!isMastermindsConstraint(String(constraint))) add(a('version'), `"${constraint}" is not a semver constraint`);
  const maintainer = ann['workflows.argoproj.io/maintainer'];
  if (!maintainer || !String(maintainer).startsWith('@')) add(a('maintainer'), 'is required and must start with "@"');
  const tags = String(ann['workflows.argoproj.io/tags'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (!tags.length) add(a('tags'), 'needs at least one comma-separated tag');
  if (!ann['workflows.argoproj.io/title']) add(a('title'), 'is expected (shown in the Argo UI)');
  (doc.spec?.templates ?? []).forEach((t: Obj, i: number) => {
    const leaf = t.container ? 'container' : t.script ? 'script' : undefined;
    const image = leaf ? t[leaf].image : undefined;
    if (typeof image === 'string' && !image.includes('{{') && isMutableImage(image)) add(`spec.templates[${i}].${leaf}.image`, `image "${image}" must be pinned (not :latest or untagged)`);
  });
  // Argo takes any {{workflow.parameters.X}} in a WorkflowTemplate (validate.go:828): the Workflow
  // using it may pass X. One that does not is refused at submission ("failed to resolve", the
  // Workflow is validated without WorkflowTemplateValidation), so a catalog template declares
  // every workflow parameter it uses.
  const declared = new Set((doc.spec?.arguments?.parameters ?? []).map((p: Obj) => p?.name));
  // (An unclosed `{{` is checkArgoRules' finding.)
  eachString(doc.spec, ['spec'], (text, at) => tagsOf(text, () => undefined).forEach((tag) => {
    const m = WORKFLOW_PARAM_TAG.exec(tag);
    if (m && !declared.has(m[1])) add(formatPath(at), `{{workflow.parameters.${m[1]}}} is not declared in spec.arguments.parameters: a Workflow that does not pass it is refused ("failed to resolve"); a catalog template declares the workflow parameters it uses`);
  }));
  (doc.spec?.arguments?.parameters ?? []).forEach((p: Obj, i: number) => {
    if (/IMAGE$/.test(p.name) && typeof p.value === 'string' && isMutableImage(p.value)) add(`spec.arguments.parameters[${i}].value`, `image "${p.value}" must be pinned (not :latest or untagged)`);
  });
  return issues;
}
