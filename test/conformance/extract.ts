/**
 * Extractors (issue 11): turn our rendered YAML (Jobs, Tekton Tasks/Pipelines with their sample
 * runs, Argo WorkflowTemplates with their sample Workflows) into the containers each engine
 * really runs, and run them through the harness (pod.ts) in order, the way the engine would:
 *
 * - Job: the pod template's initContainers then containers, in one Pod (volumes, fsGroup).
 * - Tekton TaskRun: every step in one Pod sharing /tekton/results, /workspace and the bound
 *   workspaces; stepTemplate merged; `$(params.X)`, `$(params.X[*])` (spread into several
 *   args), `$(results.X.path)`, `$(workspaces.W.path|bound|claim|volume)`, `$(context.…)`
 *   substituted; a `script` written to a file and run with the step's args; a failing step stops
 *   the TaskRun. PipelineRun: pipeline tasks in dependency order, each a TaskRun with the params
 *   the Pipeline passes (`$(tasks.T.results.R)`, `[*]` of a matrixed task's results), every
 *   matrix combination, `when` expressions; a catalog Task from a resolver (git-clone) is not
 *   ours and is emulated (its workspace holds the checkout, its results are given).
 * - Argo Workflow: walked from the sample Workflow's entrypoint (templateRef into the
 *   WorkflowTemplate), steps and DAG tasks in dependency order, `withItems` fan-out,
 *   `{{inputs.parameters.X}}` from the caller's arguments or defaults, `{{workflow.parameters.X}}`,
 *   `{{item…}}`, `{{steps|tasks.X.outputs.parameters.Y}}` from the earlier template's output files
 *   (a fanned-out task: a JSON list), input git artifacts (a prepared checkout at the path),
 *   container and script templates (one Pod each), securityContext and podSpecPatch.
 *
 * A node is one container; the list of nodes is known before anything runs (for test names);
 * what a node runs (its params, its inputs) is resolved when it runs, from what ran before it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { ContainerDesc, FakeOptions, Pod, RunResult, Variant, VolumeMount, VolumeSource } from './pod';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;
export type Engine = 'job' | 'tekton' | 'argo';
/** What a container is, by its image. */
export type ToolKind = 'kimia' | 'git' | 'cosign' | 'crane' | 'other';

// ---------------------------------------------------------------------------------------------
// The fake cluster: Secret values, prepared checkouts
// ---------------------------------------------------------------------------------------------
export const TEST_COSIGN_KEY = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nZmFrZS1rZXk=\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
export const TEST_COSIGN_PUB = '-----BEGIN PUBLIC KEY-----\nZmFrZS1wdWI=\n-----END PUBLIC KEY-----\n';
export const TEST_COSIGN_PASSWORD = 'cosign-pw-for-tests';
export const TEST_GIT_TOKEN = 'git-token-for-tests';
export const TEST_CA = '-----BEGIN CERTIFICATE-----\nZmFrZS1jYQ==\n-----END CERTIFICATE-----\n';
export const TEST_DOCKER_CONFIG = '{"auths":{"registry.io":{"auth":"dXNlcjpwYXNz"}}}';
/** The commit and commit time of every fake repository (fakes/git: FAKE_GIT_COMMIT, FAKE_GIT_COMMIT_TIME). */
export const TEST_COMMIT = 'c0ffee0000000000000000000000000000c0ffee';
export const TEST_COMMIT_TIME = 1700000000;

/** The value of key `key` of the fake Secret `name` (every fake Secret has every key). */
export function secretValue(name: string, key: string): string {
  if (key === '.dockerconfigjson' || key === 'config.json') return TEST_DOCKER_CONFIG;
  if (key === 'cosign.pub' || key.endsWith('.pub')) return TEST_COSIGN_PUB;
  if (key === 'cosign.key' || key.endsWith('.key')) return TEST_COSIGN_KEY;
  if (/password/i.test(key)) return TEST_COSIGN_PASSWORD;
  if (/token/i.test(key)) return `${TEST_GIT_TOKEN}\n`;
  if (key.endsWith('.crt') || key.endsWith('.pem')) return TEST_CA;
  return `value of ${name}/${key}`;
}
/** The keys a fake Secret has when mounted without items. */
const SECRET_KEYS = ['cosign.key', 'cosign.pub', 'cosign.password', 'password', '.dockerconfigjson', 'token', 'ca.crt'];

const tmpDirs: string[] = [];
/** A host directory (a PVC, a checkout) holding files, readable by the container user. */
export function hostDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(process.env.KIMIA_HARNESS_TMP ?? os.tmpdir(), 'kimia-extract-'));
  tmpDirs.push(dir);
  fs.chmodSync(dir, 0o755);
  for (const [n, c] of Object.entries(files)) {
    const p = path.join(dir, n);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, c);
  }
  return dir;
}
/** A git checkout: the files plus a .git the fake git recognises. */
export function checkoutFiles(files: Record<string, string>): Record<string, string> {
  return { ...files, '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '[core]\n\tbare = false\n' };
}
export function removeHostDirs(): void {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------
/** kimia or kimia-bud, from a kimia image reference; undefined for any other image. */
export function kimiaVariant(image: string): 'kimia' | 'kimia-bud' | undefined {
  const m = /^ghcr\.io\/rapidfort\/(kimia|kimia-bud)(?=[:@]|$)/.exec(image);
  return m ? (m[1] as 'kimia' | 'kimia-bud') : undefined;
}
export function toolKind(image: string): ToolKind {
  if (kimiaVariant(image)) return 'kimia';
  if (/\/crane(\/|:|@|$)/.test(image)) return 'crane';
  if (/cosign/.test(image)) return 'cosign';
  if (/git-init|\/git(-clone)?(:|@|$)|alpine\/git/.test(image)) return 'git';
  return 'other';
}
/** The emulated image of a container and its ENTRYPOINT when the container gives no command. */
function imageOf(image: string, kind: ToolKind): { variant: Variant; entrypoint?: string[] } {
  const v = kimiaVariant(image);
  if (v) return { variant: v };
  // Helper images run on the kimia image's file system (busybox sh, fake git/cosign on PATH);
  // crane's debug image has its own (busybox in /busybox, crane as ENTRYPOINT).
  if (kind === 'crane') return { variant: 'crane' };
  if (kind === 'cosign') return { variant: 'kimia', entrypoint: ['cosign'] };
  if (kind === 'git') return { variant: 'kimia', entrypoint: ['git'] };
  return { variant: 'kimia', entrypoint: ['/bin/sh'] };
}

// ---------------------------------------------------------------------------------------------
// Nodes and plans
// ---------------------------------------------------------------------------------------------
export interface NodeMeta {
  engine: Engine;
  /** The build (spec name) and version the source was rendered from. */
  build: string;
  version: string;
  /** Tekton: pipeline task / step; Argo: template; Job: container. */
  task?: string;
  step?: string;
  /** The matrix combination / withItems item of this run. */
  item?: Record<string, string>;
}

export interface Prepared {
  pod: Pod;
  desc: ContainerDesc & { image?: string };
  /** Param / input values this container was resolved with. */
  params: Record<string, string | string[]>;
  /** What the container publishes: result / output parameter name -> container path. */
  publishes: Record<string, string>;
}

export interface Outcome {
  node: Node;
  desc?: ContainerDesc & { image?: string };
  result?: RunResult;
  params: Record<string, string | string[]>;
  publishes: Record<string, string>;
  /** The published values (Tekton results, Argo output parameters) after the run. */
  published: Record<string, string>;
  /** Why it did not run (a skipped `when`, an earlier failing step, an extraction error). */
  notRun?: string;
}

export interface Node {
  id: number;
  label: string;
  image: string;
  kind: ToolKind;
  meta: NodeMeta;
  /** Not one of our containers (a catalog Task), emulated: never run. */
  emulated?: string;
  prepare(): Prepared | { notRun: string };
  /** Called with the outcome (also when it did not run), in order. */
  after(o: Outcome): void;
}

export interface PlanOptions {
  /** Files of the source checkout (a PVC, a workspace, a git artifact, the fake remote) for a build. */
  files: (build: string) => Record<string, string>;
  fakes?: FakeOptions;
}

export class Plan {
  readonly nodes: Node[] = [];
  /** Pipeline / workflow level published values (PipelineRun results), after run(). */
  readonly published: Record<string, string> = {};
  /** Computed after the run (e.g. Pipeline results from task results). */
  readonly finishers: Array<() => void> = [];
  private readonly pods: Pod[] = [];
  private outcomes?: Outcome[];
  constructor(readonly source: string) {}

  add(n: Omit<Node, 'id'>): Node {
    const node = { ...n, id: this.nodes.length } as Node;
    this.nodes.push(node);
    return node;
  }

  pod(p: Pod): Pod { this.pods.push(p); return p; }

  /** Runs every node in order (once). */
  async run(): Promise<Outcome[]> {
    if (this.outcomes) return this.outcomes;
    const out: Outcome[] = [];
    for (const node of this.nodes) {
      let o: Outcome;
      if (node.emulated) {
        o = { node, params: {}, publishes: {}, published: {}, notRun: node.emulated };
      } else {
        let p: Prepared | { notRun: string };
        try { p = node.prepare(); } catch (e) { p = { notRun: `extraction failed: ${(e as Error).message}` }; }
        if (!('notRun' in p) && p.desc.image) { node.image = p.desc.image; node.kind = toolKind(p.desc.image); }
        if ('notRun' in p) {
          o = { node, params: {}, publishes: {}, published: {}, notRun: p.notRun };
        } else {
          const result = await p.pod.run(p.desc);
          const published: Record<string, string> = {};
          for (const [k, cp] of Object.entries(p.publishes)) {
            try { if (result.files.exists(cp)) published[k] = result.files.read(cp); } catch { /* unreadable: not published */ }
          }
          o = { node, desc: p.desc, result, params: p.params, publishes: p.publishes, published };
        }
      }
      try { node.after(o); } catch (e) { o.notRun ??= `collecting outputs failed: ${(e as Error).message}`; }
      out.push(o);
    }
    for (const f of this.finishers) { try { f(); } catch { /* a missing result: the test says */ } }
    this.outcomes = out;
    return out;
  }

  cleanup(): void {
    for (const p of this.pods) p.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects -> harness
// ---------------------------------------------------------------------------------------------
/** A pod volume as the kubelet lays it out (Secrets from the fake store; PVCs as prepared checkouts). */
export function volumeSource(v: Obj, pvc: (claim: string) => string): VolumeSource {
  if (v.emptyDir) return { emptyDir: { medium: v.emptyDir.medium === 'Memory' ? 'Memory' : undefined } };
  if (v.secret || v.configMap) {
    const s = v.secret ?? v.configMap;
    const name = s.secretName ?? s.name;
    const items: Obj[] = s.items ?? SECRET_KEYS.map((k) => ({ key: k, path: k }));
    const files: Record<string, { content: string; mode?: number }> = {};
    for (const it of items) files[it.path] = { content: secretValue(name, it.key), mode: it.mode };
    return { files, defaultMode: s.defaultMode ?? 0o644, kind: v.secret ? 'secret' : 'configMap' };
  }
  if (v.projected) {
    const files: Record<string, { content: string; mode?: number }> = {};
    for (const src of v.projected.sources ?? []) {
      const s = src.secret ?? src.configMap;
      if (!s) continue;
      for (const it of s.items ?? SECRET_KEYS.map((k) => ({ key: k, path: k }))) files[it.path] = { content: secretValue(s.name, it.key), mode: it.mode };
    }
    return { files, defaultMode: v.projected.defaultMode ?? 0o644, kind: 'projected' };
  }
  if (v.persistentVolumeClaim) return { hostDir: pvc(v.persistentVolumeClaim.claimName), fsGroupOwnership: true };
  if (v.hostPath) return { hostDir: hostDir({}) };
  throw new Error(`volume ${v.name ?? ''}: unsupported source ${Object.keys(v).filter((k) => k !== 'name').join(',')}`);
}

/** A container (after engine substitution) as a ContainerDesc; mounts name pod volumes. */
export function containerDesc(c: Obj, podSc: Obj, extraMounts: VolumeMount[] = [], fakes?: FakeOptions): ContainerDesc {
  const image = String(c.image ?? '');
  const kind = toolKind(image);
  const { variant, entrypoint } = imageOf(image, kind);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) env[e.name] = secretValue(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    else if (e.valueFrom?.configMapKeyRef) env[e.name] = secretValue(e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key);
    else if (e.valueFrom?.fieldRef) env[e.name] = `fieldref:${e.valueFrom.fieldRef.fieldPath}`;
    else env[e.name] = '';
  }
  const sc = { ...(podSc ?? {}), ...(c.securityContext ?? {}) };
  const mounts: VolumeMount[] = [
    ...(c.volumeMounts ?? []).map((m: Obj) => ({ mountPath: m.mountPath, subPath: m.subPath || undefined, readOnly: !!m.readOnly, volume: m.name })),
    ...extraMounts,
  ];
  const desc: ContainerDesc & { image?: string } = {
    name: c.name, image, variant, env, mounts, workingDir: c.workingDir || undefined,
    runAsUser: sc.runAsUser, runAsGroup: sc.runAsGroup, runAsNonRoot: sc.runAsNonRoot,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem, fakes,
  };
  if (c.script !== undefined) {
    desc.script = c.script;
    desc.scriptStyle = c.scriptStyle ?? 'tekton';
    if (desc.scriptStyle === 'argo') desc.command = c.command ?? ['sh'];
    desc.args = c.args ?? [];
  } else {
    desc.command = c.command ?? entrypoint;
    desc.args = c.args;
  }
  return desc;
}

function podOptions(podSc: Obj | undefined): { fsGroup?: number; supplementalGroups?: number[] } {
  return { fsGroup: podSc?.fsGroup, supplementalGroups: podSc?.supplementalGroups };
}

/** Parse all YAML documents of a file (comments and empty documents dropped). */
export function docs(text: string): Obj[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d && typeof d === 'object');
}

// ---------------------------------------------------------------------------------------------
// Job
// ---------------------------------------------------------------------------------------------
export function planJob(source: string, text: string, meta: Pick<NodeMeta, 'build' | 'version'>, opts: PlanOptions): Plan {
  const plan = new Plan(source);
  for (const job of docs(text).filter((d) => d.kind === 'Job')) {
    const spec = job.spec.template.spec;
    const all: Obj[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    let pod: Pod | undefined;
    let failed = false;
    for (const c of all) {
      plan.add({
        label: `${source} Job ${job.metadata.name} container ${c.name}`, image: c.image, kind: toolKind(c.image),
        meta: { engine: 'job', ...meta, step: c.name },
        prepare: () => {
          if (failed) return { notRun: 'an earlier (init) container failed' };
          if (!pod) {
            const volumes: Record<string, VolumeSource> = {};
            for (const v of spec.volumes ?? []) volumes[v.name] = volumeSource(v, () => hostDir(opts.files(meta.build)));
            pod = plan.pod(new Pod({ name: job.metadata.name, ...podOptions(spec.securityContext), volumes }));
          }
          return { pod, desc: containerDesc(c, spec.securityContext, [], opts.fakes), params: {}, publishes: {} };
        },
        after: (o) => { if (!o.result || o.result.code !== 0) failed = true; },
      });
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Tekton
// ---------------------------------------------------------------------------------------------
type Values = Record<string, string | string[]>;
const TEKTON_VAR = /\$\(((?:params|results|workspaces|context|tasks|steps)(?:\.[^()\s]*?|\[[^\]]*\][^()\s]*?))\)/g;
/** params['X'] / params["X"] -> params.X */
const normTekton = (k: string) => k.replace(/\[['"]([^'"]+)['"]\]/g, '.$1');

/** Substitute Tekton variables in a string; an unknown params/results/workspaces/tasks variable throws. */
export function tektonString(s: string, vars: Values): string {
  return s.replace(TEKTON_VAR, (all, key: string) => {
    const k = normTekton(key);
    const v = vars[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) throw new Error(`${all}: an array used as a string`);
    const idx = /^(.*)\[(\d+)\]$/.exec(k);
    if (idx && Array.isArray(vars[`${idx[1]}[*]`])) return (vars[`${idx[1]}[*]`] as string[])[Number(idx[2])] ?? '';
    throw new Error(`unresolved ${all}`);
  });
}
/** Substitute in a list: an item that is exactly `$(X[*])` spreads into the array's items. */
export function tektonList(list: unknown[] | undefined, vars: Values): string[] | undefined {
  if (!list) return undefined;
  const out: string[] = [];
  for (const item of list) {
    const s = String(item);
    const m = /^\$\(([^()]+\[\*\])\)$/.exec(s);
    if (m) {
      const v = vars[normTekton(m[1])];
      if (!Array.isArray(v)) throw new Error(`unresolved ${s}`);
      out.push(...v);
    } else {
      out.push(tektonString(s, vars));
    }
  }
  return out;
}
function tektonDeep<T>(x: T, vars: Values): T {
  if (typeof x === 'string') return tektonString(x, vars) as T;
  if (Array.isArray(x)) return x.map((i) => tektonDeep(i, vars)) as T;
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, tektonDeep(v, vars)])) as T;
  return x;
}

/** Tekton merges the stepTemplate into each step (step fields win; env and volumeMounts by name). */
function mergeStepTemplate(tpl: Obj | undefined, step: Obj): Obj {
  if (!tpl) return step;
  const out: Obj = { ...tpl, ...step };
  out.securityContext = { ...(tpl.securityContext ?? {}), ...(step.securityContext ?? {}) };
  const byName = (a: Obj[] = [], b: Obj[] = [], key: string) => {
    const m = new Map<string, Obj>();
    for (const x of [...a, ...b]) m.set(x[key], x);
    return [...m.values()];
  };
  out.env = byName(tpl.env, step.env, 'name');
  out.volumeMounts = byName(tpl.volumeMounts, step.volumeMounts, 'mountPath');
  return out;
}

interface TaskRunInput {
  label: string;
  task: Obj; // a Task (kind Task) or a taskSpec
  /** Values given by the run (or the Pipeline); resolved when the first step runs. */
  params: () => Values;
  /** Workspace bindings by workspace name (TaskRun/PipelineRun binding objects). */
  workspaces: Record<string, Obj>;
  podTemplate?: Obj;
  meta: NodeMeta;
  /** Receives the TaskRun's results (also partial ones when a step failed). */
  results: (r: Record<string, string>) => void;
  /** Host directory of a PVC / volumeClaimTemplate workspace binding. */
  pvc: (ws: string) => string;
}

/** Values of the Task's params: given ones over the defaults; a missing required param throws. */
function taskParams(spec: Obj, given: Values): Values {
  const out: Values = {};
  for (const p of spec.params ?? []) {
    const v = given[p.name] ?? p.default;
    if (v === undefined) throw new Error(`param ${p.name} has no value and no default`);
    out[p.name] = (p.type === 'array' && !Array.isArray(v)) ? [String(v)] : v;
  }
  return out;
}

export function planTaskRun(plan: Plan, t: TaskRunInput, opts: PlanOptions): void {
  const spec = t.task.spec ?? t.task;
  const steps: Obj[] = spec.steps ?? [];
  let ctx: { pod: Pod; vars: Values; params: Values; mounts: VolumeMount[] } | undefined;
  let failed: string | undefined;
  const results: Record<string, string> = {};
  steps.forEach((step, i) => {
    plan.add({
      label: `${t.label} step ${step.name}`, image: step.image, kind: toolKind(staticImage(step.image, spec)), meta: { ...t.meta, step: step.name },
      prepare: () => {
        if (failed) return { notRun: failed };
        if (!ctx) {
          const params = taskParams(spec, t.params());
          const vars: Values = {};
          for (const [k, v] of Object.entries(params)) {
            if (Array.isArray(v)) vars[`params.${k}[*]`] = v; else vars[`params.${k}`] = v;
          }
          for (const r of spec.results ?? []) vars[`results.${r.name}.path`] = `/tekton/results/${r.name}`;
          const volumes: Record<string, VolumeSource> = { 'tekton-internal-results': { emptyDir: {} }, 'tekton-internal-workspace': { emptyDir: {} } };
          const mounts: VolumeMount[] = [
            { mountPath: '/tekton/results', volume: 'tekton-internal-results' },
            { mountPath: '/workspace', volume: 'tekton-internal-workspace' },
          ];
          for (const w of spec.workspaces ?? []) {
            const b = t.workspaces[w.name];
            const mp = w.mountPath ?? `/workspace/${w.name}`;
            vars[`workspaces.${w.name}.bound`] = b ? 'true' : 'false';
            vars[`workspaces.${w.name}.path`] = b ? mp : '';
            vars[`workspaces.${w.name}.claim`] = b?.persistentVolumeClaim?.claimName ?? '';
            vars[`workspaces.${w.name}.volume`] = b ? `ws-${w.name}` : '';
            if (!b) {
              if (!w.optional) throw new Error(`workspace ${w.name} is not bound`);
              continue;
            }
            let src: VolumeSource;
            if (b.persistentVolumeClaim || b.volumeClaimTemplate) src = { hostDir: t.pvc(b.persistentVolumeClaim?.claimName ?? w.name), fsGroupOwnership: true };
            else src = volumeSource(b, (c) => t.pvc(c));
            volumes[`ws-${w.name}`] = src;
            mounts.push({ mountPath: mp, volume: `ws-${w.name}`, subPath: b.subPath, readOnly: !!w.readOnly });
          }
          vars['context.taskRun.name'] = t.label.replace(/[^a-z0-9-]/g, '-').slice(-50).replace(/^-+/, '');
          vars['context.taskRun.namespace'] = 'default';
          vars['context.taskRun.uid'] = '00000000-0000-0000-0000-000000000000';
          vars['context.task.name'] = t.task.metadata?.name ?? 'inline';
          vars['context.task.retry-count'] = '0';
          for (const v of spec.volumes ?? []) volumes[v.name] = volumeSource(tektonDeep(v, vars), (c) => t.pvc(c));
          const pod = plan.pod(new Pod({ name: vars['context.taskRun.name'] as string, ...podOptions(t.podTemplate?.securityContext), volumes }));
          ctx = { pod, vars, params, mounts };
        }
        const s = mergeStepTemplate(spec.stepTemplate, step);
        const c: Obj = {
          ...s, image: tektonString(s.image, ctx.vars),
          command: tektonList(s.command, ctx.vars), args: tektonList(s.args, ctx.vars),
          env: (s.env ?? []).map((e: Obj) => (e.value !== undefined ? { ...e, value: tektonString(String(e.value), ctx!.vars) } : e)),
          workingDir: s.workingDir ? tektonString(s.workingDir, ctx.vars) : undefined,
          script: s.script !== undefined ? tektonString(s.script, ctx.vars) : undefined,
          volumeMounts: s.volumeMounts,
        };
        // Every step gets the workspaces and Tekton's own volumes; the pod security context is the podTemplate's.
        const desc = containerDesc(c, t.podTemplate?.securityContext ?? {}, ctx.mounts.filter((m) => !(c.volumeMounts ?? []).some((v: Obj) => v.mountPath === m.mountPath)), opts.fakes);
        // Tekton scripts: place-scripts writes /tekton/scripts/script-<i>-<id>.
        const publishes = Object.fromEntries((spec.results ?? []).map((r: Obj) => [r.name, `/tekton/results/${r.name}`]));
        return { pod: ctx.pod, desc, params: ctx.params, publishes };
      },
      after: (o) => {
        if (o.result && o.result.code !== 0) failed = `step ${step.name} failed (exit ${o.result.code})`;
        else if (!o.result) failed ??= `step ${step.name} did not run: ${o.notRun}`;
        Object.assign(results, o.published);
        if (i === steps.length - 1) t.results({ ...results });
      },
    });
  });
}
/** An image reference with the Task's param defaults substituted (what the node is, before it runs). */
function staticImage(image: string, spec: Obj): string {
  return String(image ?? '').replace(/\$\(params\.([^)]+)\)/g, (all, n: string) => {
    const d = (spec.params ?? []).find((p: Obj) => p.name === n)?.default;
    return typeof d === 'string' ? d : all;
  });
}

/** Combinations of a pipeline task's matrix: the cross product of matrix.params, then include entries. */
function matrixCombos(matrix: Obj | undefined, vars: Values): Array<{ name: string; params: Values }> {
  if (!matrix) return [{ name: '', params: {} }];
  let combos: Array<Record<string, string>> = [{}];
  for (const p of matrix.params ?? []) {
    const vals = tektonList(p.value, vars) ?? [];
    combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [p.name]: v })));
  }
  if (!(matrix.params ?? []).length) combos = [];
  const out = combos.map((c) => ({ name: Object.values(c).join(','), params: c as Values }));
  for (const inc of matrix.include ?? []) {
    const ps: Record<string, string> = {};
    for (const p of inc.params ?? []) ps[p.name] = tektonString(String(p.value), vars);
    // An include whose params all match an existing combination adds to it; else it is a new one.
    out.push({ name: inc.name ?? Object.values(ps).join(','), params: ps });
  }
  return out;
}

function whenAllows(when: Obj[] | undefined, vars: Values): boolean {
  for (const w of when ?? []) {
    const input = tektonString(String(w.input), vars);
    const values = (w.values ?? []).map((v: string) => tektonString(String(v), vars));
    const has = values.includes(input);
    if (w.operator === 'in' ? !has : has) return false;
  }
  return true;
}

/** Pipeline tasks in dependency order (runAfter and result references), YAML order otherwise. */
function pipelineOrder(tasks: Obj[]): Obj[] {
  const names = new Set(tasks.map((t) => t.name));
  const deps = (t: Obj) => {
    const d = new Set<string>(t.runAfter ?? []);
    for (const m of JSON.stringify([t.params, t.when, t.matrix]).matchAll(/\$\(tasks\.([^.]+)\./g)) if (names.has(m[1])) d.add(m[1]);
    return d;
  };
  const done = new Set<string>();
  const out: Obj[] = [];
  while (out.length < tasks.length) {
    const next = tasks.find((t) => !done.has(t.name) && [...deps(t)].every((d) => done.has(d)));
    if (!next) throw new Error('pipeline tasks have a dependency cycle');
    done.add(next.name);
    out.push(next);
  }
  return out;
}

export interface PipelineRunInput {
  label: string;
  pipeline: Obj; // pipeline spec
  run: Obj; // the PipelineRun
  meta: Pick<NodeMeta, 'build' | 'version'>;
  /** Task objects by name (taskRef kind Task). */
  tasks: (name: string) => Obj | undefined;
}

export function planPipelineRun(plan: Plan, p: PipelineRunInput, opts: PlanOptions): void {
  const given: Values = {};
  for (const x of p.run.spec.params ?? []) given[x.name] = x.value;
  const pparams = taskParams(p.pipeline, given);
  const pvars: Values = {};
  for (const [k, v] of Object.entries(pparams)) {
    if (Array.isArray(v)) pvars[`params.${k}[*]`] = v; else pvars[`params.${k}`] = v;
  }
  pvars['context.pipelineRun.name'] = p.run.metadata?.name ?? 'run';
  pvars['context.pipelineRun.namespace'] = 'default';
  pvars['context.pipeline.name'] = p.run.spec.pipelineRef?.name ?? 'inline';
  /** Results of each pipeline task (one entry per matrix combination). */
  const taskResults = new Map<string, Array<Record<string, string>>>();
  const resultVars = (): Values => {
    const v: Values = { ...pvars };
    for (const [t, rs] of taskResults) {
      const keys = new Set(rs.flatMap((r) => Object.keys(r)));
      for (const k of keys) {
        if (rs.length === 1) v[`tasks.${t}.results.${k}`] = rs[0][k];
        // A matrixed task's results are arrays of every combination's value (TEP-0090).
        v[`tasks.${t}.results.${k}[*]`] = rs.map((r) => r[k]).filter((x) => x !== undefined);
      }
    }
    return v;
  };
  const bindings: Record<string, Obj> = {};
  for (const w of p.run.spec.workspaces ?? []) bindings[w.name] = w;
  const pvcDirs = new Map<string, string>();
  const pvc = (name: string) => {
    if (!pvcDirs.has(name)) pvcDirs.set(name, hostDir(checkoutFiles(opts.files(p.meta.build))));
    return pvcDirs.get(name)!;
  };
  const templ = p.run.spec.taskRunTemplate?.podTemplate ?? p.run.spec.podTemplate ?? {};
  for (const pt of [...pipelineOrder(p.pipeline.tasks ?? []), ...(p.pipeline.finally ?? [])]) {
    const trSpec = (p.run.spec.taskRunSpecs ?? []).find((s: Obj) => s.pipelineTaskName === pt.name);
    const podTemplate = { ...templ, ...(trSpec?.podTemplate ?? {}), securityContext: { ...(templ.securityContext ?? {}), ...(trSpec?.podTemplate?.securityContext ?? {}) } };
    const meta: NodeMeta = { engine: 'tekton', ...p.meta, task: pt.name };
    // Static `when` (params only) decides whether the task is planned at all.
    const staticWhen = !JSON.stringify(pt.when ?? []).includes('$(tasks.');
    if (staticWhen && !whenAllows(pt.when, pvars)) continue;
    const ref = pt.taskRef;
    // Our own Task from its bundle (tekton.bundleRepository: <repo>/tasks/<name>:<version>): the Task of this version.
    const param = (n: string) => (ref?.params ?? []).find((x: Obj) => x.name === n)?.value;
    const ownBundle = ref?.resolver === 'bundles' && /\/tasks\/[^/:]+:[^/@]+$/.test(String(param('bundle') ?? '')) && p.tasks(String(param('name')))
      ? String(param('name')) : undefined;
    if (!ownBundle && (ref?.resolver || (ref && !p.tasks(ref.name)))) {
      // A catalog Task (git-clone from the hub): not a container we emit. Emulated: the
      // workspace it writes is a prepared checkout; its results are what it would report.
      plan.add({
        label: `${p.label} task ${pt.name}`, image: `${ref.resolver ?? 'taskRef'}:${JSON.stringify(ref.params ?? ref.name)}`, kind: 'other', meta,
        emulated: `catalog Task ${pt.name} (${ref.resolver ? `${ref.resolver} resolver` : ref.name}) is not emitted by us: emulated by a prepared checkout in its workspace and its results url/commit/committer-date`,
        prepare: () => ({ notRun: 'emulated' }),
        after: () => {
          const v = resultVars();
          const ps: Record<string, string> = {};
          for (const x of pt.params ?? []) ps[x.name] = tektonString(String(x.value), v);
          // git-clone 0.9+ also reports committer-date (git log -1 --pretty=%ct), which the Pipeline reads.
          taskResults.set(pt.name, [{ url: ps.url ?? '', commit: TEST_COMMIT, 'committer-date': String(TEST_COMMIT_TIME) }]);
        },
      });
      continue;
    }
    const task = pt.taskSpec ? { spec: pt.taskSpec } : p.tasks(ownBundle ?? ref.name)!;
    const combos = matrixCombos(pt.matrix, pvars);
    for (const combo of combos) {
      const ws: Record<string, Obj> = {};
      for (const w of pt.workspaces ?? []) {
        const b = bindings[w.workspace];
        if (b) ws[w.name] = { ...b, subPath: w.subPath ?? b.subPath, persistentVolumeClaim: b.persistentVolumeClaim ?? (b.volumeClaimTemplate ? { claimName: w.workspace } : undefined) };
      }
      planTaskRun(plan, {
        label: `${p.label} task ${pt.name}${combo.name ? ` [${combo.name}]` : ''}`, task, workspaces: ws, podTemplate,
        meta: { ...meta, item: Object.keys(combo.params).length ? (combo.params as Record<string, string>) : undefined },
        pvc: (c) => pvc(Object.keys(bindings).find((n) => bindings[n].persistentVolumeClaim?.claimName === c) ?? c),
        params: () => {
          const v = resultVars();
          if (!staticWhen && !whenAllows(pt.when, v)) throw new Error('when expressions are false');
          const out: Values = {};
          for (const x of pt.params ?? []) out[x.name] = Array.isArray(x.value) ? tektonList(x.value, v)! : tektonString(String(x.value), v);
          return { ...out, ...combo.params };
        },
        results: (r) => {
          const list = taskResults.get(pt.name) ?? [];
          list.push(r);
          taskResults.set(pt.name, list);
        },
      }, opts);
    }
  }
  plan.finishers.push(() => {
    const v = resultVars();
    for (const r of p.pipeline.results ?? []) {
      try { plan.published[r.name] = Array.isArray(r.value) ? JSON.stringify(tektonList(r.value, v)) : tektonString(String(r.value), v); } catch { /* missing */ }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Argo
// ---------------------------------------------------------------------------------------------
const ARGO_VAR = /\{\{\s*([^{}\s]+)\s*\}\}/g;
export function argoString(s: string, vars: Record<string, string>, strict = true): string {
  return s.replace(ARGO_VAR, (all, key: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, key)) return vars[key];
    if (strict) throw new Error(`unresolved ${all}`);
    return all;
  });
}
function argoDeep<T>(x: T, vars: Record<string, string>): T {
  if (typeof x === 'string') return argoString(x, vars) as T;
  if (Array.isArray(x)) return x.map((i) => argoDeep(i, vars)) as T;
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, argoDeep(v, vars)])) as T;
  return x;
}

interface ArgoScope {
  /** Variables visible in this template's body (inputs, workflow, item, earlier steps' outputs). */
  vars: () => Record<string, string>;
}
interface ArgoOutputs { fanned: boolean; outs: Array<Record<string, string>> }

export interface WorkflowInput {
  label: string;
  workflow: Obj;
  /** WorkflowTemplates by name. */
  templates: Record<string, Obj>;
  meta: Pick<NodeMeta, 'build' | 'version'>;
}

export function planWorkflow(plan: Plan, w: WorkflowInput, opts: PlanOptions): void {
  const globals: Record<string, string> = { 'workflow.name': 'wf-conformance', 'workflow.namespace': 'default', 'workflow.uid': '00000000-0000-0000-0000-000000000000' };
  const refs = Object.values(w.templates);
  for (const wt of refs) for (const a of wt.spec.arguments?.parameters ?? []) if (a.value !== undefined) globals[`workflow.parameters.${a.name}`] = String(a.value);
  for (const a of w.workflow.spec.arguments?.parameters ?? []) if (a.value !== undefined) globals[`workflow.parameters.${a.name}`] = String(a.value);
  const find = (ref: { template?: string; templateRef?: Obj }, within: Obj[]): { tmpl: Obj; within: Obj[]; from: string } => {
    if (ref.templateRef) {
      const wt = w.templates[ref.templateRef.name];
      if (!wt) throw new Error(`templateRef ${ref.templateRef.name} not found`);
      const tmpl = wt.spec.templates.find((t: Obj) => t.name === ref.templateRef!.template);
      if (!tmpl) throw new Error(`template ${ref.templateRef.template} not in ${ref.templateRef.name}`);
      return { tmpl, within: wt.spec.templates, from: ref.templateRef.name };
    }
    const tmpl = within.find((t) => t.name === ref.template);
    if (!tmpl) throw new Error(`template ${ref.template} not found`);
    return { tmpl, within, from: '' };
  };
  /** Input values of `tmpl` called with `args` in the caller's scope. */
  const inputsOf = (tmpl: Obj, args: Obj[] | undefined, callerVars: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const ip of tmpl.inputs?.parameters ?? []) {
      const a = (args ?? []).find((x) => x.name === ip.name);
      const v = a?.value !== undefined ? argoString(String(a.value), callerVars) : ip.value ?? ip.default;
      if (v === undefined) throw new Error(`template ${tmpl.name}: input ${ip.name} has no value`);
      out[ip.name] = String(v);
    }
    return out;
  };
  const walk = (tmpl: Obj, within: Obj[], scope: ArgoScope, label: string, sink: (o: Record<string, string>) => void, item?: Record<string, string>) => {
    if (tmpl.steps || tmpl.dag) {
      const outputs = new Map<string, ArgoOutputs>();
      const childVars = () => {
        const v = { ...scope.vars() };
        const kind = tmpl.steps ? 'steps' : 'tasks';
        for (const [n, o] of outputs) {
          const keys = new Set(o.outs.flatMap((x) => Object.keys(x)));
          for (const k of keys) {
            v[`${kind}.${n}.outputs.parameters.${k}`] = o.fanned ? JSON.stringify(o.outs.map((x) => x[k])) : o.outs[0]?.[k] ?? '';
          }
          if (!o.fanned && o.outs[0]?.['.result'] !== undefined) v[`${kind}.${n}.outputs.result`] = o.outs[0]['.result'];
        }
        return v;
      };
      const entries: Obj[] = tmpl.steps ? (tmpl.steps as Obj[][]).flat() : dagOrder(tmpl.dag.tasks);
      for (const st of entries) {
        const target = find(st, within);
        const items: Array<Record<string, string> | undefined> = st.withItems ? st.withItems : [undefined];
        if (st.withParam) throw new Error(`${label}: withParam fan-out needs values known before the run (not supported statically)`);
        outputs.set(st.name, { fanned: !!st.withItems, outs: [] });
        items.forEach((it) => {
          const itemVars = (): Record<string, string> => {
            if (it === undefined) return {};
            if (typeof it !== 'object') return { item: String(it) };
            return { item: JSON.stringify(it), ...Object.fromEntries(Object.entries(it).map(([k, v]) => [`item.${k}`, String(v)])) };
          };
          const childScope: ArgoScope = {
            vars: () => {
              const caller = { ...childVars(), ...itemVars() };
              if (st.when && !argoWhen(argoString(st.when, caller))) throw new SkipError(`when "${st.when}" is false`);
              const ins = inputsOf(target.tmpl, st.arguments?.parameters, caller);
              return { ...globals, ...Object.fromEntries(Object.entries(ins).map(([k, v]) => [`inputs.parameters.${k}`, v])) };
            },
          };
          walk(target.tmpl, target.within, childScope, `${label} > ${st.name}${it ? ` (${Object.values(it).join(',')})` : ''}`,
            (o) => outputs.get(st.name)!.outs.push(o), it as Record<string, string> | undefined);
        });
      }
      return;
    }
    if (!tmpl.container && !tmpl.script) throw new Error(`${label}: template ${tmpl.name} is neither steps, dag, container nor script`);
    const c0: Obj = tmpl.container ?? tmpl.script;
    plan.add({
      label, image: c0.image,
      kind: toolKind(argoString(argoString(String(c0.image), Object.fromEntries((tmpl.inputs?.parameters ?? [])
        .filter((p: Obj) => p.default !== undefined || p.value !== undefined).map((p: Obj) => [`inputs.parameters.${p.name}`, String(p.value ?? p.default)])), false), globals, false)),
      meta: { engine: 'argo', ...w.meta, task: tmpl.name, item },
      prepare: () => {
        let vars: Record<string, string>;
        try { vars = scope.vars(); } catch (e) {
          if (e instanceof SkipError) return { notRun: e.message };
          throw e;
        }
        const t = argoDeep(tmpl, vars);
        const ins: Record<string, string> = {};
        for (const [k, v] of Object.entries(vars)) if (k.startsWith('inputs.parameters.')) ins[k.slice(18)] = v;
        let podSc: Obj = { ...(t.securityContext ?? {}) };
        let c: Obj = { ...(t.container ?? t.script) };
        if (t.podSpecPatch) {
          const patch = YAML.parse(t.podSpecPatch) as Obj;
          podSc = { ...podSc, ...(patch.securityContext ?? {}) };
          const main = (patch.containers ?? []).find((x: Obj) => x.name === (c.name ?? 'main'));
          if (main) c = { ...c, ...main, securityContext: { ...(c.securityContext ?? {}), ...(main.securityContext ?? {}) } };
        }
        if (t.script) { c.script = t.script.source; c.scriptStyle = 'argo'; }
        const volumes: Record<string, VolumeSource> = {};
        for (const v of t.volumes ?? []) volumes[v.name] = volumeSource(v, () => hostDir(checkoutFiles(opts.files(w.meta.build))));
        const extra: VolumeMount[] = [];
        for (const a of t.inputs?.artifacts ?? []) {
          if (!a.git) throw new Error(`input artifact ${a.name}: only git artifacts are emulated`);
          // Argo's init container checks the repository out into the artifact path (an emptyDir).
          volumes[`input-artifact-${a.name}`] = { hostDir: hostDir(checkoutFiles(opts.files(w.meta.build))), fsGroupOwnership: true };
          extra.push({ mountPath: a.path, volume: `input-artifact-${a.name}` });
        }
        const pod = plan.pod(new Pod({ name: tmpl.name, ...podOptions(podSc), volumes }));
        const desc = containerDesc(c, podSc, extra, opts.fakes);
        const publishes: Record<string, string> = {};
        for (const o of t.outputs?.parameters ?? []) if (o.valueFrom?.path) publishes[o.name] = o.valueFrom.path;
        return { pod, desc, params: ins, publishes };
      },
      after: (o) => {
        const outs: Record<string, string> = { ...o.published };
        if (tmpl.script && o.result) outs['.result'] = o.result.stdout.trim();
        if (o.result && o.result.code === 0) sink(outs);
      },
    });
  };
  // workflowTemplateRef: the WorkflowTemplate's spec with the Workflow's fields on top, its entrypoint
  // unless the Workflow names one, and the Workflow's arguments over the template's (argo-workflows
  // v4.1.2 workflow/util/merge.go:274-311 JoinWorkflowSpec); `argo submit --from` submits the same.
  const wtRef: Obj | undefined = w.workflow.spec.workflowTemplateRef;
  const base = wtRef ? w.templates[wtRef.name] : undefined;
  if (wtRef && !base) throw new Error(`workflowTemplateRef ${wtRef.name} not found`);
  const entry = w.workflow.spec.entrypoint ?? base?.spec.entrypoint;
  const own: Obj[] = w.workflow.spec.templates ?? [];
  const { tmpl, within } = own.some((t) => t.name === entry) ? find({ template: entry }, own) : find({ templateRef: { name: (base ?? refs[0]).metadata.name, template: entry } }, own);
  // The entrypoint is called with spec.arguments as its arguments (workflow/controller/operator.go:422), so an
  // entrypoint with inputs gets the Workflow's parameters, else its defaults.
  const args: Obj[] = [...(w.workflow.spec.arguments?.parameters ?? [])];
  for (const a of base?.spec.arguments?.parameters ?? []) if (!args.some((x) => x.name === a.name)) args.push(a);
  const entryVars = () => ({ ...globals, ...Object.fromEntries(Object.entries(inputsOf(tmpl, args, globals)).map(([k, v]) => [`inputs.parameters.${k}`, v])) });
  walk(tmpl, [...within], { vars: entryVars }, w.label, () => undefined);
}

class SkipError extends Error {}

/** A `when` after substitution: `a == b`, `a != b`, or true/false. */
function argoWhen(expr: string): boolean {
  const m = /^\s*(.*?)\s*(==|!=)\s*(.*?)\s*$/.exec(expr);
  const unq = (s: string) => s.replace(/^["']|["']$/g, '');
  if (m) return m[2] === '==' ? unq(m[1]) === unq(m[3]) : unq(m[1]) !== unq(m[3]);
  return expr.trim() === 'true';
}

/** DAG tasks in dependency order (`depends` / `dependencies`), YAML order otherwise. */
function dagOrder(tasks: Obj[]): Obj[] {
  const names = new Set(tasks.map((t) => t.name));
  const deps = (t: Obj) => new Set<string>([
    ...(t.dependencies ?? []),
    ...String(t.depends ?? '').split(/&&|\|\||[()!\s]/).map((s) => s.split('.')[0]).filter((s) => names.has(s)),
    ...[...JSON.stringify(t.arguments ?? {}).matchAll(/tasks\.([^.}]+)\./g)].map((m) => m[1]).filter((s) => names.has(s)),
  ]);
  const done = new Set<string>();
  const out: Obj[] = [];
  while (out.length < tasks.length) {
    const next = tasks.find((t) => !done.has(t.name) && [...deps(t)].every((d) => done.has(d)));
    if (!next) throw new Error('DAG has a dependency cycle');
    done.add(next.name);
    out.push(next);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sources: the runnable units of a rendered tree (dist/ or renderBundle's files)
// ---------------------------------------------------------------------------------------------
export interface Source {
  /** e.g. tekton/pipeline/kimia-build/0.3 (samples/pipelinerun.yaml) */
  label: string;
  engine: Engine;
  build: string;
  version: string;
  plan(opts: PlanOptions): Plan;
}

/**
 * Every runnable unit of a tree of rendered files (paths relative to its root): each Job file;
 * each Task with its samples/taskrun.yaml; each Task's and Pipeline's tests/run.yaml; each
 * Pipeline with its samples/pipelinerun.yaml; each (Cluster)WorkflowTemplate with its
 * samples/workflow.yaml.
 */
export function sources(files: ReadonlyMap<string, string>): Source[] {
  const out: Source[] = [];
  const get = (p: string) => files.get(p);
  const first = (text: string | undefined) => (text ? docs(text)[0] : undefined);
  const taskAt = (version: string) => (name: string) => first(get(`tekton/task/${name}/${version}/${name}.yaml`));
  for (const p of [...files.keys()].sort()) {
    let m = /^job\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/.exec(p);
    if (m) {
      const [, build, version] = m;
      out.push({ label: p, engine: 'job', build, version, plan: (o) => planJob(p, get(p)!, { build, version }, o) });
      continue;
    }
    m = /^tekton\/(task|pipeline)\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/.exec(p);
    if (m && m[2] === m[4]) {
      const [, kind, build, version] = m;
      const dir = `tekton/${kind}/${build}/${version}`;
      const obj = first(get(p))!;
      const sample = get(`${dir}/samples/${kind === 'task' ? 'taskrun' : 'pipelinerun'}.yaml`);
      if (sample) {
        out.push({
          label: `${dir} (samples/${kind === 'task' ? 'taskrun' : 'pipelinerun'}.yaml)`, engine: 'tekton', build, version,
          plan: (o) => {
            const plan = new Plan(p);
            const run = first(sample)!;
            if (kind === 'task') {
              const given: Values = {};
              for (const x of run.spec.params ?? []) given[x.name] = x.value;
              const ws: Record<string, Obj> = {};
              for (const x of run.spec.workspaces ?? []) ws[x.name] = x;
              const pvcs = new Map<string, string>();
              planTaskRun(plan, {
                label: `${dir} TaskRun`, task: obj, params: () => given, workspaces: ws, podTemplate: run.spec.podTemplate,
                meta: { engine: 'tekton', build, version, task: build },
                results: (r) => Object.assign(plan.published, r),
                pvc: (c) => { if (!pvcs.has(c)) pvcs.set(c, hostDir(checkoutFiles(o.files(build)))); return pvcs.get(c)!; },
              }, o);
            } else {
              planPipelineRun(plan, { label: `${dir} PipelineRun`, pipeline: obj.spec, run, meta: { build, version }, tasks: taskAt(version) }, o);
            }
            return plan;
          },
        });
      }
      const test = get(`${dir}/tests/run.yaml`);
      if (test) {
        out.push({
          label: `${dir} (tests/run.yaml)`, engine: 'tekton', build, version,
          plan: (o) => {
            const plan = new Plan(`${dir}/tests/run.yaml`);
            const run = first(test)!;
            const pipeline = run.spec.pipelineSpec ?? first(get(`tekton/pipeline/${run.spec.pipelineRef?.name}/${version}/${run.spec.pipelineRef?.name}.yaml`))?.spec;
            if (!pipeline) throw new Error(`${dir}/tests/run.yaml: no pipeline`);
            planPipelineRun(plan, { label: `${dir} tests PipelineRun`, pipeline, run, meta: { build, version }, tasks: taskAt(version) }, o);
            return plan;
          },
        });
      }
      continue;
    }
    m = /^argo\/(workflowtemplate|clusterworkflowtemplate)\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/.exec(p);
    if (m && m[2] === m[4]) {
      const [, kind, build, version] = m;
      const dir = `argo/${kind}/${build}/${version}`;
      const sample = get(`${dir}/samples/workflow.yaml`);
      if (!sample) continue;
      out.push({
        label: `${dir} (samples/workflow.yaml)`, engine: 'argo', build, version,
        plan: (o) => {
          const plan = new Plan(p);
          const wt = first(get(p))!;
          planWorkflow(plan, { label: `${dir} Workflow`, workflow: first(sample)!, templates: { [wt.metadata.name]: wt }, meta: { build, version } }, o);
          return plan;
        },
      });
    }
  }
  return out;
}

/** Every file under a directory, by path relative to it. */
export function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(root, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}
