/**
 * kimia's rules for every kimia container found in a document (Job, Pod, Tekton step, Argo
 * template): the builder is recognised by its image (after resolving param references) or its
 * command. Three checks:
 * - the image is pinned: a version tag or a digest, never `:latest` or untagged;
 * - the security context kimia needs (kimia.md §6), wherever Kubernetes, Tekton or Argo let it come from;
 * - kimia's argv rules (../spec/argv-check.ts).
 */
import { parse as parseYaml } from 'yaml';
import { checkKimiaArgv, parseKimiaArgv } from '../spec/argv-check';
import { KIMIA_GID, KIMIA_UID } from '../spec/defaults';
import { formatPath } from '../spec/errors';
import { objectsOf } from '../spec/walk';
import type { DocumentIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = Array<string | number>;

const KIMIA_IMAGE = /(^|\/)rapidfort\/kimia(-bud)?([:@]|$)/;
const KIMIA_COMMAND = /(^|\/)kimia$/;
/** An engine reference left in a value: nothing can be said about it before run time. */
const UNRESOLVED = /\$\(|\{\{/;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
/** The objects of a list (a null item or a string in a list no schema checked is no container: the Tekton rules report the list). */
const list = objectsOf;

/** One value an image may take, with the field that supplies it. */
interface Candidate {
  readonly value: string;
  readonly path: Path;
}

/** How a param reference is looked up: each match gives the values it may take. */
type Lookup = (m: RegExpExecArray, depth: number) => Candidate[];

const MAX_DEPTH = 6;
const MAX_CANDIDATES = 32;

/**
 * The values `text` (at `path`) may take once the references `pattern` matches are replaced: a
 * reference that is the whole value takes the places of its sources (a param default, an argument);
 * one inside a longer value is substituted there. A reference without a known value stays as it is.
 */
function substitute(text: string, path: Path, pattern: RegExp, lookup: Lookup, depth: number): Candidate[] {
  const matches = [...text.matchAll(new RegExp(pattern.source, 'g'))] as RegExpExecArray[];
  if (!matches.length || depth > MAX_DEPTH) return [{ value: text, path }];
  if (matches[0][0] === text) {
    const found = lookup(matches[0], depth + 1);
    // Stryker disable next-line ArrayDeclaration: equivalent, a reference left as written is no kimia image, so no candidate and that one judge alike
    return found.length ? found.slice(0, MAX_CANDIDATES) : [{ value: text, path }];
  }
  let values = [''];
  let last = 0;
  for (const m of matches) {
    const literal = text.slice(last, m.index);
    const found = lookup(m, depth + 1).map((c) => c.value);
    const options = found.length ? found : [m[0]];
    values = values.flatMap((v) => options.map((o) => v + literal + o)).slice(0, MAX_CANDIDATES);
    last = m.index + m[0].length;
  }
  return [...new Set(values)].map((v) => ({ value: v + text.slice(last), path }));
}

// ---------------------------------------------------------------------------------------------
// Tekton: `$(params.X)` (or `$(params["X"])`) resolves to what binds X (a TaskRun's or a pipeline
// task's params), else to the param's default.

// apply.go:50-53 paramPatterns: params.%s, params[%q], params['%s'] (the quotes match).
const TEKTON_PARAM = /\$\(params(?:\.([A-Za-z0-9_-]+)|\["([^"\]]+)"\]|\['([^'\]]+)'\])\)/;

interface TektonScope {
  readonly params: unknown;
  readonly paramsPath: Path;
  /** Values given for the params by whoever runs this spec, and the scope they are written in. */
  readonly bindings?: { readonly params: unknown; readonly path: Path; readonly scope?: TektonScope };
}

function tektonValues(text: string, path: Path, scope: TektonScope | undefined, depth = 0): Candidate[] {
  if (!scope) return [{ value: text, path }];
  return substitute(text, path, TEKTON_PARAM, (m, d) => {
    const name = m[1] ?? m[2] ?? m[3];
    const b = scope.bindings;
    const bound = list(b?.params).findIndex((p) => p.name === name);
    if (b && bound >= 0) {
      const value = list(b.params)[bound].value;
      return typeof value === 'string' ? tektonValues(value, [...b.path, bound, 'value'], b.scope, d) : [];
    }
    const declared = list(scope.params).findIndex((p) => p.name === name);
    const def = declared >= 0 ? list(scope.params)[declared].default : undefined;
    return typeof def === 'string' ? [{ value: def, path: [...scope.paramsPath, declared, 'default'] }] : [];
  }, depth);
}

// ---------------------------------------------------------------------------------------------
// Argo: `{{inputs.parameters.X}}` resolves to the input's fixed value, else to what every caller in
// the document passes (and the default where one passes nothing); `{{workflow.parameters.X}}` to
// the workflow's arguments.

const ARGO_PARAM = /\{\{\s*(inputs|workflow)\.parameters\.([A-Za-z0-9_.-]+?)\s*\}\}/;

interface ArgoScope {
  readonly wf: Obj;
  readonly wfPath: Path;
  readonly template: Obj;
  readonly templatePath: Path;
  /**
   * An inline template's one caller, the step or DAG task that holds it (WorkflowStep/DAGTask
   * `inline`, workflow_types.go:1765, :3625; GetTemplate returns it): no other template or
   * entrypoint calls it. Undefined for a named template (its callers are looked up by name).
   */
  readonly callers?: ReadonlyArray<{ call: Obj; path: Path; scope: ArgoScope }>;
}

/** The DAG tasks and steps of template `t` (at `templatePath`): each call it makes, and where. */
function templateCalls(t: Obj, templatePath: Path): Array<{ call: Obj; path: Path }> {
  const out = list(t.dag?.tasks).map((call, ci) => ({ call, path: [...templatePath, 'dag', 'tasks', ci] }));
  // Stryker disable next-line ArrayDeclaration: equivalent, a string step group holds no calls (list() of a string is empty)
  (Array.isArray(t.steps) ? t.steps : []).forEach((group: unknown, gi: number) => {
    list(group).forEach((call, ci) => out.push({ call, path: [...templatePath, 'steps', gi, ci] }));
  });
  return out;
}

/**
 * Every template of the workflow with its scope: the named ones (spec.templates) and, inside each,
 * the inline templates its steps and DAG tasks hold, at any depth (an inline template is a whole
 * Template, steps and dag included: workflow_types.go:1765, :3625; validate.go:1114, :1545 validate
 * them with the holding call as their caller).
 */
function argoScopes(wf: Obj, wfPath: Path): ArgoScope[] {
  const out: ArgoScope[] = [];
  const walk = (scope: ArgoScope) => {
    out.push(scope);
    for (const { call, path } of templateCalls(scope.template, scope.templatePath)) {
      if (isObj(call.inline)) walk({ wf, wfPath, template: call.inline, templatePath: [...path, 'inline'], callers: [{ call, path, scope }] });
    }
  };
  list(wf.templates).forEach((t, ti) => walk({ wf, wfPath, template: t, templatePath: [...wfPath, 'templates', ti] }));
  return out;
}

/** The steps and DAG tasks of the workflow, inline templates' included, that call template `name`, with the scope they are in. */
function argoCallers(wf: Obj, wfPath: Path, name: unknown): Array<{ call: Obj; path: Path; scope: ArgoScope }> {
  if (typeof name !== 'string') return [];
  return argoScopes(wf, wfPath).flatMap((scope) =>
    templateCalls(scope.template, scope.templatePath).filter(({ call }) => call.template === name && !call.templateRef).map((c) => ({ ...c, scope })));
}

function argoValues(text: string, path: Path, scope: ArgoScope, depth = 0): Candidate[] {
  return substitute(text, path, ARGO_PARAM, (m, d) => {
    const [, where, name] = m;
    if (where === 'workflow') {
      const args = list(scope.wf.arguments?.parameters);
      const i = args.findIndex((p) => p.name === name);
      const value = i >= 0 ? args[i].value : undefined;
      return typeof value === 'string' ? argoValues(value, [...scope.wfPath, 'arguments', 'parameters', i, 'value'], scope, d) : [];
    }
    const inputs = list(scope.template.inputs?.parameters);
    const i = inputs.findIndex((p) => p.name === name);
    if (i < 0) return [];
    const inputPath = [...scope.templatePath, 'inputs', 'parameters', i];
    // Argo's ProcessArgs (workflow/common/util.go:200-215): the input's value, else its default,
    // unless the caller passes the parameter: a passed value replaces it, a passed valueFrom leaves
    // no value known here (overwriteWithArguments, util.go:143-153).
    const own = (): Candidate[] => typeof inputs[i].value === 'string'
      ? argoValues(inputs[i].value, [...inputPath, 'value'], scope, d)
      : typeof inputs[i].default === 'string' ? [{ value: inputs[i].default, path: [...inputPath, 'default'] }] : [];
    const out: Candidate[] = [];
    let unpassed = false;
    let called = false;
    const passed = (args: Obj[], at: Path, callerScope: ArgoScope | undefined) => {
      called = true;
      const a = args.findIndex((p) => p.name === name);
      if (a < 0) unpassed = true;
      else if (typeof args[a].value === 'string') {
        const valuePath = [...at, 'arguments', 'parameters', a, 'value'];
        out.push(...(callerScope ? argoValues(args[a].value, valuePath, callerScope, d) : [{ value: args[a].value, path: valuePath }]));
      }
    };
    for (const c of scope.callers ?? argoCallers(scope.wf, scope.wfPath, scope.template.name)) passed(list(c.call.arguments?.parameters), c.path, c.scope);
    if (!scope.callers && scope.wf.entrypoint === scope.template.name) passed(list(scope.wf.arguments?.parameters), scope.wfPath, undefined);
    if (unpassed || !called) out.push(...own());
    return out; // substitute keeps the first MAX_CANDIDATES
  }, depth);
}

// ---------------------------------------------------------------------------------------------
// Where kimia containers sit, and what reaches their pod.

/** A securityContext and where it is written (for messages). */
interface Layer {
  readonly sc: Obj;
  readonly path: Path;
}

/** What reaches a container from its pod and its engine, lowest priority first. */
interface PodContext {
  /** Pod-level securityContexts (runAsUser, runAsGroup, runAsNonRoot, seccomp and AppArmor profiles reach containers). */
  readonly pod: readonly Layer[];
  /** Container-level defaults below the container's own (Tekton stepTemplate, Argo templateDefaults). */
  readonly defaults: readonly Layer[];
  /** Container-level settings above the container's own (Argo podSpecPatch). */
  readonly overrides: readonly Layer[];
  /** Annotation maps that reach the pod. */
  readonly annotations: readonly unknown[];
  /** False when a part cannot be read here (a podSpecPatch that is not YAML): the security context is not judged. */
  readonly known: boolean;
}

interface Found {
  readonly container: Obj;
  readonly path: Path;
  /** The container's name in the pod (Tekton prefixes `step-`, Argo names the main container `main`). */
  readonly podName: string;
  readonly images: readonly Candidate[];
  /** Undefined: not a position whose pod is known (only image and argv are checked). */
  readonly context?: PodContext;
}

const layer = (sc: unknown, path: Path): Layer[] => (isObj(sc) ? [{ sc, path }] : []);
// Stryker disable next-line ArrayDeclaration: equivalent, every use of EMPTY sets its own annotations
const EMPTY: PodContext = { pod: [], defaults: [], overrides: [], annotations: [], known: true };

/** Containers of a Kubernetes pod template (`{metadata, spec: {containers}}`) anywhere in a document. */
function podContainers(doc: Obj, out: Found[]): void {
  const at: Path = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach((n, i) => { at.push(i); visit(n); at.pop(); }); return; }
    if (!isObj(node)) return;
    if (isObj(node.spec) && Array.isArray(node.spec.containers)) {
      const context: PodContext = {
        ...EMPTY,
        pod: layer(node.spec.securityContext, [...at, 'spec', 'securityContext']),
        annotations: [node.metadata?.annotations],
      };
      for (const key of ['initContainers', 'containers']) {
        list(node.spec[key]).forEach((c, i) => {
          const path = [...at, 'spec', key, i];
          out.push({ container: c, path, podName: String(c.name ?? ''), images: typeof c.image === 'string' ? [{ value: c.image, path: [...path, 'image'] }] : [], context });
        });
      }
      return;
    }
    for (const k of Object.keys(node)) { at.push(k); visit(node[k]); at.pop(); }
  };
  visit(doc);
}

/** Steps of a Tekton task spec, with the scope its params resolve in. */
function tektonTaskSpec(spec: unknown, path: Path, scope: TektonScope, parent: PodContext, out: Found[]): void {
  if (!isObj(spec)) return;
  const sidecarContext: PodContext = { ...parent, annotations: [...parent.annotations, spec.metadata?.annotations] };
  // The stepTemplate reaches steps only: pkg/pod/pod.go:205 merges it into the steps
  // (MergeStepsWithStepTemplate), :243 merges sidecars with the run's sidecarSpecs alone.
  const stepContext: PodContext = {
    ...sidecarContext,
    defaults: [...parent.defaults, ...layer(spec.stepTemplate?.securityContext, [...path, 'stepTemplate', 'securityContext'])],
  };
  const templateImage = spec.stepTemplate?.image;
  for (const [key, prefix] of [['steps', 'step'], ['sidecars', 'sidecar']] as const) {
    const context = key === 'steps' ? stepContext : sidecarContext;
    list(spec[key]).forEach((s, i) => {
      const at = [...path, key, i];
      const image = typeof s.image === 'string' ? s.image : key === 'steps' && typeof templateImage === 'string' ? templateImage : undefined;
      const imagePath = typeof s.image === 'string' ? [...at, 'image'] : [...path, 'stepTemplate', 'image'];
      out.push({
        container: s,
        path: at,
        podName: `${prefix}-${s.name ?? `unnamed-${i}`}`,
        images: image === undefined ? [] : tektonValues(image, imagePath, scope),
        context,
      });
    });
  }
}

function tektonPipelineSpec(spec: unknown, path: Path, scope: TektonScope, contextOf: (task: Obj) => PodContext, out: Found[]): void {
  if (!isObj(spec)) return;
  for (const key of ['tasks', 'finally']) {
    list(spec[key]).forEach((t, i) => {
      const at = [...path, key, i];
      if (!isObj(t.taskSpec)) return;
      const taskScope: TektonScope = { params: t.taskSpec.params, paramsPath: [...at, 'taskSpec', 'params'], bindings: { params: t.params, path: [...at, 'params'], scope } };
      tektonTaskSpec(t.taskSpec, [...at, 'taskSpec'], taskScope, contextOf(t), out);
    });
  }
}

function tektonContainers(doc: Obj, out: Found[]): void {
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith('tekton.dev/') || !isObj(doc.spec)) return;
  // Task, TaskRun, Pipeline and PipelineRun annotations all reach the pod (Tekton propagates them).
  const base: PodContext = { ...EMPTY, annotations: [doc.metadata?.annotations] };
  const spec = doc.spec;
  switch (doc.kind) {
    case 'Task':
    case 'ClusterTask':
      tektonTaskSpec(spec, ['spec'], { params: spec.params, paramsPath: ['spec', 'params'] }, base, out);
      break;
    case 'TaskRun':
      if (isObj(spec.taskSpec)) {
        const context = { ...base, pod: layer(spec.podTemplate?.securityContext, ['spec', 'podTemplate', 'securityContext']) };
        tektonTaskSpec(spec.taskSpec, ['spec', 'taskSpec'], { params: spec.taskSpec.params, paramsPath: ['spec', 'taskSpec', 'params'], bindings: { params: spec.params, path: ['spec', 'params'] } }, context, out);
      }
      break;
    case 'Pipeline':
      tektonPipelineSpec(spec, ['spec'], { params: spec.params, paramsPath: ['spec', 'params'] }, () => base, out);
      break;
    case 'PipelineRun':
      if (isObj(spec.pipelineSpec)) {
        const podTemplate = spec.taskRunTemplate?.podTemplate ?? spec.podTemplate;
        const podPath = spec.taskRunTemplate?.podTemplate ? ['spec', 'taskRunTemplate', 'podTemplate'] : ['spec', 'podTemplate'];
        // A task's own pod template (v1 taskRunSpecs[].podTemplate, v1beta1 taskPodTemplate) wins
        // where it sets a securityContext: GetTaskRunSpec (v1/pipelinerun_types.go:690-712) merges it
        // over the run's with MergePodTemplateWithDefault (pod/template.go:210, nil takes the default).
        const ownKey = doc.apiVersion === 'tekton.dev/v1beta1' ? 'taskPodTemplate' : 'podTemplate';
        const contextOf = (task: Obj): PodContext => {
          let pod = layer(podTemplate?.securityContext, [...podPath, 'securityContext']);
          list(spec.taskRunSpecs).forEach((r, ri) => {
            const own = r.pipelineTaskName === task.name && isObj(r[ownKey]) ? r[ownKey].securityContext : undefined;
            if (own !== undefined && own !== null) pod = layer(own, ['spec', 'taskRunSpecs', ri, ownKey, 'securityContext']);
          });
          return { ...base, pod };
        };
        const scope: TektonScope = { params: spec.pipelineSpec.params, paramsPath: ['spec', 'pipelineSpec', 'params'], bindings: { params: spec.params, path: ['spec', 'params'] } };
        tektonPipelineSpec(spec.pipelineSpec, ['spec', 'pipelineSpec'], scope, contextOf, out);
      }
      break;
  }
}

/**
 * An Argo podSpecPatch (a string holding a strategic-merge patch of the pod spec, argo.md): its
 * pod securityContext and the securityContext it gives the container `name`.
 */
function readPodSpecPatch(patch: unknown, path: Path, name: string): { pod: Layer[]; container: Layer[]; known: boolean } {
  if (patch === undefined) return { pod: [], container: [], known: true };
  let parsed: unknown;
  try { parsed = typeof patch === 'string' ? parseYaml(patch) : undefined; } catch { /* not YAML: parsed stays undefined */ }
  if (!isObj(parsed)) return { pod: [], container: [], known: false };
  const c = list(parsed.containers).find((x) => x.name === name);
  return { pod: layer(parsed.securityContext, path), container: layer(c?.securityContext, path), known: true };
}

function argoContainers(doc: Obj, out: Found[]): void {
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith('argoproj.io/')) return;
  const wf = doc.kind === 'CronWorkflow' ? doc.spec?.workflowSpec : doc.spec;
  const wfPath: Path = doc.kind === 'CronWorkflow' ? ['spec', 'workflowSpec'] : ['spec'];
  if (!isObj(wf)) return;
  const defaults = isObj(wf.templateDefaults) ? wf.templateDefaults : {};
  const defaultsPath = [...wfPath, 'templateDefaults'];
  const visit = (scope: ArgoScope) => {
    const { template: t, templatePath } = scope;
    const one = (c: unknown, path: Path, podName: string, defaultKey?: string) => {
      if (!isObj(c)) return;
      const wfPatch = readPodSpecPatch(wf.podSpecPatch, [...wfPath, 'podSpecPatch'], podName);
      const tPatch = readPodSpecPatch(t.podSpecPatch, [...templatePath, 'podSpecPatch'], podName);
      // Spec- and template-level securityContext are pod-level (argo.md). templateDefaults' is
      // merged into the template's field by field (operator.go:4649 mergedTemplateDefaultsInto, a
      // strategic merge), and a template securityContext, even {}, then replaces the workflow's
      // whole (workflowpod.go:1399-1404: `if tmpl.SecurityContext != nil { … } else if wfSpec…`).
      const templateLevel = [
        ...layer(defaults.securityContext, [...defaultsPath, 'securityContext']),
        ...layer(t.securityContext, [...templatePath, 'securityContext']),
      ];
      const context: PodContext = {
        pod: [
          ...(templateLevel.length > 0 ? templateLevel : layer(wf.securityContext, [...wfPath, 'securityContext'])),
          ...wfPatch.pod, ...tPatch.pod,
        ],
        defaults: defaultKey ? layer(defaults[defaultKey]?.securityContext, [...defaultsPath, defaultKey, 'securityContext']) : [],
        overrides: [...wfPatch.container, ...tPatch.container],
        annotations: [wf.podMetadata?.annotations, defaults.metadata?.annotations, t.metadata?.annotations],
        known: wfPatch.known && tPatch.known,
      };
      out.push({ container: c, path, podName, images: typeof c.image === 'string' ? argoValues(c.image, [...path, 'image'], scope) : [], context });
    };
    one(t.container, [...templatePath, 'container'], 'main', 'container');
    one(t.script, [...templatePath, 'script'], 'main', 'script');
    list(t.containerSet?.containers).forEach((c, i) => one(c, [...templatePath, 'containerSet', 'containers', i], String(c.name ?? '')));
  };
  // Inline templates run as templates of their own, with templateDefaults and the workflow's
  // settings (operator.go executeTemplate resolves them, then mergedTemplateDefaultsInto), the
  // step's or task's arguments as their inputs (validate.go:1114, :1545).
  argoScopes(wf, wfPath).forEach(visit);
}

// ---------------------------------------------------------------------------------------------
// The checks.

/** Everything after the first `@` (a reference has one digest: `name[:tag][@digest]`). */
const digestOf = (image: string) => (image.includes('@') ? image.slice(image.indexOf('@') + 1) : undefined);

/** Why a kimia image reference is not pinned, or undefined when it is (or cannot be known yet). */
function pinProblem(image: string): string | undefined {
  if (UNRESOLVED.test(image)) return undefined;
  const digest = digestOf(image);
  if (digest !== undefined) return /^sha256:[a-f0-9]{64}$/.test(digest) ? undefined : `kimia image "${image}" has an invalid digest (sha256:<64 hex>)`;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : undefined;
  if (tag === undefined || tag === 'latest') {
    // kimia.md §9: every release moves `latest`; an untagged reference means `latest`.
    return `kimia image "${image}" must be pinned to a version tag or digest (${tag === undefined ? 'untagged means :latest' : ':latest'} moves with every kimia release)`;
  }
  return undefined;
}

const CAP = (c: unknown) => String(c).toUpperCase().replace(/^CAP_/, '');

/** The effective value of a field over layers (a later layer wins), with the layer it came from. */
function effective(layers: readonly Layer[], field: string): { value: unknown; path?: Path } {
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i].sc[field] !== undefined) return { value: layers[i].sc[field], path: [...layers[i].path, field] };
  }
  return { value: undefined };
}

const shown = (v: unknown) => (v === undefined ? 'not set' : `is ${JSON.stringify(v)}`);

/**
 * The security context kimia needs (kimia.md §6, from kimia's docs/security.md, "ALL settings
 * required", and check-environment): UID/GID 1000 and runAsNonRoot, allowPrivilegeEscalation
 * (newuidmap/newgidmap are setuid), SETUID+SETGID (plus MKNOD and DAC_OVERRIDE for Buildah overlay
 * storage), seccomp and AppArmor Unconfined (rootlesskit and Buildah mount and unshare; without them
 * "rootlesskit: failed to share mount point"), a writable root filesystem. Each must be set: left
 * out, the node's or an admission policy's default applies (kubelet --seccomp-default, the runtime's
 * AppArmor profile, "set if absent" mutating policies, an assigned UID).
 * Accepted wherever Kubernetes and the engines take it from: the container, then the pod (UID, GID,
 * runAsNonRoot, profiles), Tekton's stepTemplate and TaskRun podTemplate, Argo's spec/template
 * securityContext, templateDefaults and podSpecPatch, and for AppArmor the pod annotation
 * `container.apparmor.security.beta.kubernetes.io/<container>` (what our Tekton Task uses: older
 * webhooks reject the field). `privileged: true` lifts seccomp, AppArmor, capabilities and
 * privilege escalation. Not checked: fsGroup (a Task cannot carry it; it concerns mounted volumes)
 * and `drop: [ALL]` (hardening, not a need).
 */
function checkSecurity(f: Found, variant: string, args: unknown, add: (path: Path, message: string) => void): void {
  const ctx = f.context!;
  const own = layer(f.container.securityContext, [...f.path, 'securityContext']);
  const containerLayers = [...ctx.defaults, ...own, ...ctx.overrides];
  const ownPath = (field: string): Path => [...f.path, 'securityContext', field];
  const podField = (field: string) => {
    const c = effective(containerLayers, field);
    return c.value !== undefined ? c : effective(ctx.pod, field);
  };
  const need = (field: string, ok: (v: unknown) => boolean, reason: string, from = podField(field)) => {
    if (!ok(from.value)) add(from.path ?? ownPath(field), `${field} ${shown(from.value)}: kimia needs ${reason} (kimia.md §6)`);
  };
  need('runAsUser', (v) => v === KIMIA_UID, `${KIMIA_UID}: its $HOME, subuid/subgid range and image files belong to UID ${KIMIA_UID}`);
  need('runAsGroup', (v) => v === KIMIA_GID, `${KIMIA_GID}: its files and runtime directory belong to GID ${KIMIA_GID}`);
  need('runAsNonRoot', (v) => v === true, 'true: it must never run as root (check-environment refuses UID 0)');
  const privileged = effective(containerLayers, 'privileged').value === true;
  need('readOnlyRootFilesystem', (v) => v === false, 'false: it writes under $HOME, /tmp and /run/user/1000', effective(containerLayers, 'readOnlyRootFilesystem'));
  if (privileged) return;
  need('allowPrivilegeEscalation', (v) => v === true, 'true: newuidmap/newgidmap are setuid binaries it runs for its user namespace', effective(containerLayers, 'allowPrivilegeEscalation'));
  const caps = effective(containerLayers, 'capabilities');
  // Stryker disable next-line ArrayDeclaration: equivalent, the sets are only asked about capability names
  const added = new Set(Array.isArray((caps.value as Obj | undefined)?.add) ? (caps.value as Obj).add.map(CAP) : []);
  // Stryker disable next-line ArrayDeclaration: equivalent, the sets are only asked about capability names
  const dropped = new Set(Array.isArray((caps.value as Obj | undefined)?.drop) ? (caps.value as Obj).drop.map(CAP) : []);
  const required = ['SETUID', 'SETGID'];
  // Stryker disable next-line ArrayDeclaration: equivalent, a one-element argv of no flag sets no storage driver
  const storage = parseKimiaArgv(Array.isArray(args) ? args : []).flags.filter((a) => a.flag === '--storage-driver').pop()?.value;
  if (variant === 'kimia-bud' && storage?.toLowerCase() === 'overlay') required.push('MKNOD', 'DAC_OVERRIDE');
  const missing = required.filter((c) => !(added.has(c) || added.has('ALL')) || dropped.has(c));
  if (missing.length) {
    const capsPath = caps.path ?? ownPath('capabilities');
    add([...capsPath, 'add'], `capabilities.add must include ${missing.join(', ')}: kimia needs ${required.join(', ')} (newuidmap/newgidmap${required.length > 2 ? '; MKNOD and DAC_OVERRIDE for Buildah overlay storage' : ''}) and nothing may drop them (kimia.md §6)`);
  }
  const seccomp = podField('seccompProfile');
  if ((seccomp.value as Obj | undefined)?.type !== 'Unconfined') {
    add(seccomp.path ?? ownPath('seccompProfile'), `seccompProfile ${shown((seccomp.value as Obj | undefined)?.type)}: kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)`);
  }
  const apparmor = podField('appArmorProfile');
  const annotationKey = `container.apparmor.security.beta.kubernetes.io/${f.podName}`;
  const annotation = ctx.annotations.map((a) => (isObj(a) ? a[annotationKey] : undefined)).filter((v) => v !== undefined).pop();
  const apparmorType = (apparmor.value as Obj | undefined)?.type ?? (annotation === 'unconfined' ? 'Unconfined' : annotation);
  if (apparmorType !== 'Unconfined') {
    add(apparmor.path ?? ownPath('appArmorProfile'), `AppArmor ${shown(apparmorType)}: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation ${annotationKey}: unconfined); the runtime's default profile blocks its mounts (kimia.md §6)`);
  }
}

export interface KimiaCheckOptions {
  /** Fields whose image another rule already reports as unpinned (the catalog rule): not reported twice. */
  readonly pinReported?: ReadonlySet<string>;
}

/** Checks every kimia container in a document: pinned image, security context, argv. */
export function checkKimiaContainers(doc: Obj, options: KimiaCheckOptions = {}): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const seen = new Set<string>();
  const add = (path: Path, message: string) => {
    const p = formatPath(path);
    const key = `${p}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ path: p, message });
  };
  if (!isObj(doc)) return issues;
  const found: Found[] = [];
  podContainers(doc, found);
  tektonContainers(doc, found);
  argoContainers(doc, found);
  const placed = new Set(found.map((f) => f.container));
  fallbackContainers(doc, placed, found);

  for (const f of found) {
    const c = f.container;
    // Stryker disable next-line ConditionalExpression: equivalent, every collector above pushes objects only (objectsOf, Argo's one(), the fallback's isObj)
    if (!isObj(c)) continue;
    const byImage = f.images.some((i) => KIMIA_IMAGE.test(i.value));
    const byCommand = Array.isArray(c.command) && c.command.some((x: unknown) => typeof x === 'string' && KIMIA_COMMAND.test(x));
    if (!byImage && !byCommand) continue;
    // A helper step in a kimia image (it has git and cosign: images.ts): its script or command runs
    // something else, so kimia's security context and argv do not apply; its image must still be pinned.
    const helper = !byCommand && runsOtherThanKimia(c);
    // The repository names the variant (kimia.md, tag scheme), never the tag: ghcr.io/rapidfort/kimia:kimia-bud-1 is BuildKit.
    const variant = f.images.some((i) => KIMIA_IMAGE.exec(i.value)?.[2] === '-bud') ? 'kimia-bud' : 'kimia';
    for (const image of f.images) {
      if (!KIMIA_IMAGE.test(image.value)) continue;
      const problem = pinProblem(image.value);
      if (!problem) continue;
      const at = formatPath(image.path);
      if (options.pinReported?.has(at)) continue;
      const imageField = formatPath([...f.path, 'image']);
      if (at !== imageField) add(image.path, `${problem}; it is the image of ${formatPath(f.path)}`);
      else add(image.path, c.image !== image.value ? `${problem}; "${c.image}" resolves to it` : problem);
    }
    if (helper) continue;
    if (f.context?.known) checkSecurity(f, variant, c.args, add);
    if (Array.isArray(c.args)) {
      for (const i of checkKimiaArgv(c.args, variant)) add(i.index >= 0 ? [...f.path, 'args', i.index] : [...f.path, 'args'], i.message);
    }
  }
  return issues;
}

/**
 * `kimia` run as a command in a script: the word, not part of a longer name such as kimia-bundles,
 * nor a directory of a path such as /home/kimia/workspace.
 */
const KIMIA_IN_SCRIPT = /(^|[^\w.-])kimia(?![\w./-])/m;

/**
 * A container of a kimia image that does not run kimia: a script (Tekton `script`, Argo `source`)
 * that never names kimia, or a command that is neither kimia nor a shell.
 */
function runsOtherThanKimia(c: Obj): boolean {
  const script = typeof c.script === 'string' ? c.script : typeof c.source === 'string' ? c.source : shellCommandScript(c.command);
  if (script !== undefined) return !KIMIA_IN_SCRIPT.test(script);
  const first = Array.isArray(c.command) ? c.command[0] : undefined;
  return typeof first === 'string' && !/(^|\/)(ba)?sh$/.test(first) && !KIMIA_COMMAND.test(first);
}

/** The script of a `command: [<shell>, -c, <script>, …]` (the isolated sign container), else undefined. */
function shellCommandScript(command: unknown): string | undefined {
  if (!Array.isArray(command)) return undefined;
  const [shell, flag, script] = command;
  return typeof shell === 'string' && /(^|\/)(ba)?sh$/.test(shell) && flag === '-c' && typeof script === 'string' ? script : undefined;
}

/**
 * Containers elsewhere (a StepAction, an unknown kind): any object that runs something (args, a
 * command or a script) with an image or a command, with the param references of its nearest template resolved as far as they can be. Their
 * pod is not known here, so only the image and the argv are checked.
 */
function fallbackContainers(doc: Obj, placed: ReadonlySet<unknown>, out: Found[]): void {
  const at: Path = [];
  const visit = (node: unknown, scope: Obj | undefined) => {
    if (Array.isArray(node)) { node.forEach((n, i) => { at.push(i); visit(n, scope); at.pop(); }); return; }
    if (!isObj(node)) return;
    const nextScope = node.inputs && (node.container || node.script) ? node : scope;
    // Something a container runs (args, a command, a StepAction's script); one with no image and no command is no kimia's (skipped below).
    const runs = Array.isArray(node.args) || Array.isArray(node.command) || typeof node.script === 'string';
    if (!placed.has(node) && runs) {
      const images: Candidate[] = [];
      if (typeof node.image === 'string') {
        const imagePath = [...at, 'image'];
        const tekton = doc.kind === 'StepAction' ? tektonValues(node.image, imagePath, { params: doc.spec?.params, paramsPath: ['spec', 'params'] }) : undefined;
        const argo = /^\{\{inputs\.parameters\.([^}]+)\}\}$/.exec(node.image);
        const argoDefault = argo ? list(nextScope?.inputs.parameters).find((p) => p.name === argo[1])?.default : undefined;
        images.push(...(tekton ?? (typeof argoDefault === 'string' ? [{ value: argoDefault, path: imagePath }] : [{ value: node.image, path: imagePath }])));
      }
      // Stryker disable next-line LogicalOperator,StringLiteral: equivalent, podName is read only with a pod context, which the fallback never has
      out.push({ container: node, path: [...at], podName: String(node.name ?? ''), images });
    }
    for (const k of Object.keys(node)) {
      if (k === 'args') continue;
      at.push(k);
      visit(node[k], nextScope);
      at.pop();
    }
  };
  visit(doc, undefined);
}
