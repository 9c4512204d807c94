/**
 * Issue 12 acceptance: no rendered container that is not the builder mounts the build's source and
 * the signing key together, and the builder gets neither key nor password unless signing.in is
 * builder. Walks every YAML document of the examples and of a matrix of signing configs, every engine.
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, parseBuildSpec, renderBundle, type BuildSpecInput } from '../src';

type Obj = Record<string, any>;

/** One container as the walk sees it: what it can read. */
interface Seen {
  readonly where: string;
  readonly builder: boolean;
  readonly source: boolean;
  readonly key: boolean;
  readonly password: boolean;
}

/** Secret items a volume projects, as `secret/key`. */
function secretKeys(volume: Obj | undefined): string[] {
  const s = volume?.secret;
  if (!s) return [];
  return (s.items ?? [{ key: '*' }]).map((i: Obj) => `${s.secretName}/${i.key}`);
}

function classify(where: string, builder: boolean, c: Obj, volumes: Obj[], extra: { source: boolean; key: boolean; password: boolean }, keyRefs: Set<string>, pwRefs: Set<string>): Seen {
  const mounted = (c.volumeMounts ?? []).map((m: Obj) => volumes.find((v) => v.name === m.name)).filter(Boolean);
  const items = mounted.flatMap(secretKeys);
  const env: Obj[] = c.env ?? [];
  const key = extra.key || items.some((i: string) => keyRefs.has(i)) || mounted.some((v: Obj) => v.name === 'cosign-key');
  const password = extra.password || items.some((i: string) => pwRefs.has(i))
    || env.some((e) => e.valueFrom?.secretKeyRef && pwRefs.has(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`))
    || env.some((e) => e.name === 'KIMIA_PASSWORD_FILE' || e.name === 'COSIGN_PASSWORD_FILE');
  const source = extra.source || mounted.some((v: Obj) => v.name === 'source' || v.persistentVolumeClaim);
  return { where, builder, source, key, password };
}

/** Every container of every document, with what it mounts. */
function walk(files: Map<string, string>, keyRefs: Set<string>, pwRefs: Set<string>): Seen[] {
  const out: Seen[] = [];
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    for (const d of parseAllDocuments(text)) {
      const doc = d.toJS() as Obj | null;
      if (!doc?.kind) continue;
      const at = `${file}: ${doc.kind}/${doc.metadata?.name}`;
      if (doc.kind === 'Job') {
        const pod = doc.spec.template.spec;
        for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
          out.push(classify(`${at} ${c.name}`, c.name === 'kimia', c, pod.volumes ?? [], { source: false, key: false, password: false }, keyRefs, pwRefs));
        }
      }
      const tasks: Array<[string, Obj]> = [];
      if (doc.kind === 'Task') tasks.push([at, doc.spec]);
      if (doc.kind === 'Pipeline' || doc.kind === 'PipelineRun') {
        const p = doc.kind === 'Pipeline' ? doc.spec : doc.spec.pipelineSpec;
        for (const t of [...(p?.tasks ?? []), ...(p?.finally ?? [])]) if (t.taskSpec) tasks.push([`${at} ${t.name}`, t.taskSpec]);
      }
      if (doc.kind === 'TaskRun' && doc.spec.taskSpec) tasks.push([at, doc.spec.taskSpec]);
      for (const [where, spec] of tasks) {
        const isolated = new Set<string>((spec.steps ?? []).flatMap((s: Obj) => (s.workspaces ?? []).map((w: Obj) => w.name)));
        const has = (s: Obj, name: string) => (spec.workspaces ?? []).some((w: Obj) => w.name === name)
          && (!isolated.has(name) || (s.workspaces ?? []).some((w: Obj) => w.name === name));
        for (const s of spec.steps ?? []) {
          // A Task's cosign workspace holds the key pair (and the password, when it has one).
          const cosign = has(s, 'cosign');
          out.push(classify(`${where} step ${s.name}`, s.name === 'build', s, spec.volumes ?? [], { source: has(s, 'source'), key: cosign && !/verify/.test(s.name), password: false }, keyRefs, pwRefs));
        }
      }
      if (doc.kind === 'WorkflowTemplate' || doc.kind === 'ClusterWorkflowTemplate' || doc.kind === 'Workflow') {
        for (const t of doc.spec.templates ?? []) {
          const c = t.container ?? t.script;
          if (!c) continue;
          const source = (t.inputs?.artifacts ?? []).some((a: Obj) => a.git);
          out.push(classify(`${at} template ${t.name}`, t.name === 'build', c, t.volumes ?? [], { source, key: false, password: false }, keyRefs, pwRefs));
        }
      }
    }
  }
  return out;
}

function check(files: Map<string, string>, keyRefs: Set<string>, pwRefs: Set<string>, builderMode: (where: string) => boolean) {
  const seen = walk(files, keyRefs, pwRefs);
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) {
    if (!s.builder) expect({ where: s.where, sourceAndKey: s.source && s.key }).toEqual({ where: s.where, sourceAndKey: false });
    else if (!builderMode(s.where)) expect({ where: s.where, key: s.key, password: s.password }).toEqual({ where: s.where, key: false, password: false });
  }
  return seen;
}

describe('no container but the builder mounts source and key together; the builder gets them only with signing.in: builder', () => {
  it('every rendered document of the examples', () => {
    const config = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
    const seen = check(renderBundle(config), new Set(['cosign-keys/cosign.key']), new Set(['cosign-keys/password', 'cosign-keys/cosign.password']), () => false);
    // The walk did find signers holding the key.
    expect(seen.some((s) => !s.builder && s.key)).toBe(true);
  });

  const base = (name: string, extra: Partial<BuildSpecInput>): BuildSpecInput => ({
    name, version: '0.1', destinations: ['registry.io/team/app:v1', 'registry.io/team/app:latest', 'mirror.io/app:v1'],
    context: { git: { url: 'https://github.com/myorg/app.git' } }, attestation: 'max', ...extra,
  });
  const key = { secretName: 'sk', key: 'cosign.key' };
  const password = { secretName: 'sp', key: 'pw' };
  const local = { local: { path: '/home/kimia/workspace' } };
  const matrix: Array<[string, BuildSpecInput]> = [];
  for (const tlog of ['none', 'public', { url: 'https://rekor.internal.example' }] as const) {
    for (const ctx of ['git', 'local'] as const) {
      const t = typeof tlog === 'string' ? tlog : 'private';
      const context = ctx === 'git' ? base('x', {}).context : local;
      matrix.push(
        [`isolated-${t}-${ctx}`, base(`iso-${t}-${ctx}`, { context, outputs: ctx === 'git' ? ['job', 'tekton', 'argo'] : ['tekton', 'argo'], signing: { key, password, transparencyLog: tlog } })],
        [`builder-${t}-${ctx}`, base(`bld-${t}-${ctx}`, { context, outputs: ctx === 'git' ? ['job', 'tekton', 'argo'] : ['tekton', 'argo'], signing: { key, password, transparencyLog: tlog, in: 'builder' } })],
      );
    }
  }
  matrix.push(
    ['chains', base('chains', { context: local, outputs: ['tekton'], signing: { key, in: 'chains' } })],
    ['multi-arch isolated', base('multi', { context: local, outputs: ['tekton', 'argo'], platforms: ['linux/amd64', 'linux/arm64'], signing: { key, password } })],
    ['credentials', base('creds', { context: local, outputs: ['tekton', 'argo'], registry: { credentialsSecret: 'regcred' }, signing: { key, password } })],
  );
  it.each(matrix)('%s', (name, spec) => {
    let files: Map<string, string>;
    try {
      files = renderBundle({ builds: [parseBuildSpec(spec)] });
    } catch (e) {
      // A spec the matrix gets wrong is a test bug, not a pass.
      throw new Error(`${name}: ${(e as Error).message}`);
    }
    const seen = check(files, new Set(['sk/cosign.key']), new Set(['sp/pw']), () => name.startsWith('builder'));
    // The walk sees the key where it is: in the builder for builder mode, else in a signer (none for chains).
    if (name.startsWith('builder')) expect(seen.some((s) => s.builder && s.key && s.password)).toBe(true);
    else if (name === 'chains') expect(seen.some((s) => s.key || s.password)).toBe(false);
    else expect(seen.some((s) => !s.builder && s.key)).toBe(true);
  });
});
