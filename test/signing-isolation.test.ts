/**
 * Issue 12 acceptance: no rendered container that is not the builder mounts the build's source and
 * the signing key together, and the builder gets neither key nor password unless signing.in is
 * builder. Walks every YAML document of the examples and of a matrix of signing configs, every engine.
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, parseBuildSpec, renderBundle, type BuildSpecInput } from '../src/internal';

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

/**
 * Issue 12 item 2: one route for every secret. Whatever the engine, the document (Task, Pipeline
 * and its multi-arch sign and verify tasks, samples, tests, Job, Argo) or the mode, the signing
 * Secrets reach a container in one shape each: the key as `cosign.key` of the Secret signing.key
 * names, the password as the file `password` of signing.password's Secret (an env secretKeyRef only
 * with signing.in: builder, where kimia reads it from env), the public key as `cosign.pub` of
 * signing.publicKey. No cosign workspace, no fixed Secret name.
 */
describe('one route for the signing Secrets, in every document', () => {
  const key = { secretName: 'sk', key: 'release.key' };
  const password = { secretName: 'sp', key: 'pw' };
  const publicKey = { secretName: 'spub', key: 'release.pub' };
  const base = (name: string, extra: Partial<BuildSpecInput>): BuildSpecInput => ({
    name, version: '0.1', destinations: ['registry.io/team/app:v1', 'mirror.io/app:v1'],
    context: { local: { path: '/home/kimia/workspace' } }, outputs: ['tekton', 'argo'], attestation: 'max', ...extra,
  });
  /** Every `secret` volume source and `secretKeyRef`, with where it is. */
  function refs(node: unknown, at: string, out: Array<{ at: string; secret?: Obj; keyRef?: Obj }>): void {
    if (Array.isArray(node)) { node.forEach((n, i) => refs(n, `${at}[${i}]`, out)); return; }
    if (!node || typeof node !== 'object') return;
    const o = node as Obj;
    if (o.secret && typeof o.secret === 'object' && 'secretName' in o.secret) out.push({ at, secret: o.secret });
    if (o.secretKeyRef) out.push({ at, keyRef: o.secretKeyRef });
    for (const [k, v] of Object.entries(o)) refs(v, `${at}.${k}`, out);
  }
  const specs: Array<[string, BuildSpecInput]> = [
    ['isolated', base('iso', { signing: { key, password, publicKey } })],
    ['isolated, private log with trusted root', base('iso-log', { signing: { key, password, publicKey, transparencyLog: { url: 'https://rekor.internal.example', trustedRoot: { configMapName: 'trust', key: 'root.json' } } } })],
    ['builder', base('bld', { signing: { key, password, publicKey, in: 'builder' } })],
    ['multi-arch', base('multi', { platforms: ['linux/amd64', 'linux/arm64'], signing: { key, password, publicKey } })],
    ['job', base('job', { outputs: ['job'], context: { git: { url: 'https://github.com/o/a.git' } }, signing: { key, password, publicKey } })],
  ];
  it.each(specs)('%s', (name, spec) => {
    const files = renderBundle({ builds: [parseBuildSpec(spec)] });
    const found: Array<{ at: string; secret?: Obj; keyRef?: Obj }> = [];
    for (const [file, text] of files) {
      if (!/\.ya?ml$/.test(file)) continue;
      expect({ file, cosignWorkspace: /\bworkspaces\.cosign\b|name: cosign\n/.test(text) }).toEqual({ file, cosignWorkspace: false });
      for (const d of parseAllDocuments(text)) refs(d.toJS(), file, found);
    }
    const shapes = new Set<string>();
    for (const f of found) {
      if (f.secret) {
        const s = f.secret;
        if ([key, password, publicKey].some((k) => k.secretName === s.secretName)) {
          const items = JSON.stringify(s.items);
          shapes.add(`${s.secretName} ${items}`);
          expect({ at: f.at, items }).toEqual({
            at: f.at,
            items: s.secretName === 'sk' ? JSON.stringify([{ key: 'release.key', path: 'cosign.key' }])
              : s.secretName === 'sp' ? JSON.stringify([{ key: 'pw', path: 'password' }])
              : JSON.stringify([{ key: 'release.pub', path: 'cosign.pub' }]),
          });
        }
      } else if (f.keyRef && f.keyRef.name === 'sp') {
        // Only kimia's own --sign reads the password from env.
        expect({ at: f.at, builder: name === 'builder' }).toEqual({ at: f.at, builder: true });
        expect(f.keyRef.key).toBe('pw');
      }
    }
    // The key is reached, and (verify steps) the public key: by exactly these names.
    expect([...shapes].some((s) => s.startsWith('sk '))).toBe(true);
    if (name !== 'builder') expect([...shapes].some((s) => s.startsWith('sp '))).toBe(true);
    if (name !== 'job') expect([...shapes].some((s) => s.startsWith('spub '))).toBe(true);
  });
});
