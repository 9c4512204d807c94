/**
 * Issue 14 item 1: the Tekton catalog tests, as tektoncd/catalog's own e2e runner runs them
 * (test/e2e-tests.sh, test/e2e-common.sh at 55dd80ef), emulated offline for every task test the
 * examples and the conformance matrix render:
 * - only `task/*\/*\/tests` run (`all_tests=$(echo task/*\/*\/tests)`); the version directory must
 *   match `^[0-9]+\.[0-9]+$` (test_resource_creation: "version of the resource is not set properly");
 * - the Task goes through `kubectl create --dry-run=client -o yaml > ${TMPF}`, the hook is sourced
 *   under `set -ex` / `pipefail` and may call add_sidecar_registry (python3 appends
 *   `{image: registry, name: registry}` to spec.sidecars), then ${TMPF} and every tests/*.yaml are
 *   created, so every document there must be valid and everything the run needs must be in them;
 * - the runner has kubectl, python3 and the cluster, nothing else (no cosign), and a kind node of
 *   one architecture (amd64).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, renderBundle, validateDocuments } from '../src/internal';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ROOT = path.join(__dirname, '..');
const docsOf = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);

const bundles = [
  ['examples', renderBundle(loadConfig(path.join(ROOT, 'examples', 'kimia-bundles.yaml')))],
  ['matrix', renderBundle(loadConfig(path.join(ROOT, 'test', 'conformance', 'matrix.yaml')))],
] as const;
const tests = bundles.flatMap(([from, files]) => [...new Set([...files.keys()]
  .map((f) => /^(tekton\/task\/([^/]+)\/([^/]+))\/tests\//.exec(f))
  .filter((m): m is RegExpExecArray => !!m)
  .map((m) => m[1]))].map((dir) => [`${from}: ${dir}`, files, dir] as const));

/** add_sidecars of e2e-common.sh: appends each sidecar to data["spec"]["sidecars"]. */
function addSidecarRegistry(task: Obj): Obj {
  return { ...task, spec: { ...task.spec, sidecars: [...(task.spec.sidecars ?? []), { image: 'registry', name: 'registry' }] } };
}

it('renders task tests to emulate (the examples and the matrix have some)', () => {
  expect(tests.length).toBeGreaterThanOrEqual(3);
});

describe.each(tests)('%s', (_label, files, dir) => {
  const name = dir.split('/')[2];
  const version = dir.split('/')[3];
  const testFiles = [...files.keys()].filter((f) => f.startsWith(`${dir}/tests/`)).sort();
  const applied = testFiles.filter((f) => f.endsWith('.yaml'));
  const docs = applied.flatMap((f) => docsOf(files.get(f)!).map((d) => ({ f, d })));
  const task = docsOf(files.get(`${dir}/${name}.yaml`)!)[0];

  it('has a version directory the runner accepts and a hook the runner can source under set -ex with nothing installed', () => {
    expect(version).toMatch(/^[0-9]+\.[0-9]+$/);
    const hook = files.get(`${dir}/tests/pre-apply-task-hook.sh`)!;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-runner-'));
    try {
      const taskFile = path.join(tmp, 'tmpf.yaml');
      fs.writeFileSync(taskFile, files.get(`${dir}/${name}.yaml`)!);
      fs.writeFileSync(path.join(tmp, 'hook.sh'), hook);
      const r = spawnSync('/bin/bash', ['-c', [
        'set -ex', 'set -o pipefail', 'tns=kimia-test-0-1', `TMPF=${JSON.stringify(taskFile)}`,
        'add_sidecar_registry() { [ -f "$1" ] && echo "sidecar $1"; }', 'source "$0"', 'echo done',
      ].join('\n'), path.join(tmp, 'hook.sh')], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: `sidecar ${taskFile}\ndone\n` });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('gives the runner only valid documents: the Task with the registry sidecar, and every tests/*.yaml', () => {
    expect(validateDocuments(`${dir}/${name}.yaml (with the sidecar)`, [addSidecarRegistry(task)]).map((i) => i.message)).toEqual([]);
    for (const f of applied) expect(validateDocuments(f, docsOf(files.get(f)!)).map((i) => `${f}: ${i.message}`)).toEqual([]);
    expect(docs.map(({ d }) => d.kind).sort()).toEqual([...docs.filter(({ d }) => d.kind === 'Secret').map(() => 'Secret'), 'PipelineRun'].sort());
  });

  it('pushes every destination to the sidecar registry, runs one platform, verifies nothing and runs the Task the runner created', () => {
    const run = docs.find(({ d }) => d.kind === 'PipelineRun')!.d;
    const params = Object.fromEntries((run.spec.params ?? []).map((p: Obj) => [p.name, p.value]));
    const build = run.spec.pipelineSpec.tasks.find((t: Obj) => t.name === 'build');
    expect(build.taskRef).toEqual({ name, kind: 'Task' });
    expect(build.matrix).toBeUndefined();
    expect(run.spec.taskRunSpecs).toBeUndefined();
    expect(JSON.stringify(run)).not.toMatch(/VERIFY|linux\/arm64|"arm64"/);
    // Every --destination of the Task, with the run's params, is in localhost:5000.
    const args: string[] = task.spec.steps.find((s: Obj) => s.name === 'build').args;
    const dests = args.filter((a) => a.startsWith('--destination=')).map((a) => a.slice('--destination='.length));
    expect(dests.length).toBeGreaterThan(0);
    for (const d of dests) expect(d.replace(/\$\(params\.([A-Z_0-9]+)\)/g, (_m, p: string) => String(params[p] ?? ''))).toMatch(/^localhost:5000\//);
    expect(params.EXTRA_ARGS).toEqual(['--insecure']);
    // The clone pins the git-clone bundle; nothing is fetched from the runner's catalog checkout (no add_task).
    const clone = run.spec.pipelineSpec.tasks.find((t: Obj) => t.name === 'clone');
    expect(clone.taskRef.resolver).toBe('bundles');
  });

  it('ships every Secret the Task mounts, with the keys it projects (the throwaway test key pair)', () => {
    const secrets = new Map(docs.filter(({ d }) => d.kind === 'Secret').map(({ d }) => [d.metadata.name, d.stringData as Record<string, string>]));
    const needed = (task.spec.volumes ?? []).filter((v: Obj) => v.secret).filter((v: Obj) => /^cosign-/.test(v.name));
    for (const v of needed) {
      expect(secrets.has(v.secret.secretName)).toBe(true);
      for (const item of v.secret.items ?? []) expect(Object.keys(secrets.get(v.secret.secretName)!)).toContain(item.key);
    }
    for (const data of secrets.values()) {
      for (const [k, value] of Object.entries(data)) {
        // sigstore/cosign v3.0.2 pkg/cosign/keys_test.go: pemsigstorekey loads with the password "hello".
        if (value.includes('PRIVATE KEY')) expect(value).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n$/);
        else expect({ k, value }).toEqual({ k, value: 'hello' });
      }
    }
  });
});

describe('the committed dist/ as a catalog the runner runs in full (TEST_RUN_ALL_TESTS: every task/*/*/tests)', () => {
  const dist = path.join(ROOT, 'dist', 'tekton');
  const testDirs = (kind: string) => fs.readdirSync(path.join(dist, kind)).filter((n) => fs.statSync(path.join(dist, kind, n)).isDirectory())
    .flatMap((n) => fs.readdirSync(path.join(dist, kind, n)).filter((v) => fs.existsSync(path.join(dist, kind, n, v, 'tests'))).map((v) => `${kind}/${n}/${v}/tests`));
  it('keeps no test of a released version written for the old hook (cosign on the runner, add_task), and no pipeline tests', () => {
    expect(testDirs('pipeline')).toEqual([]);
    const tasks = testDirs('task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) {
      expect({ t, values: fs.existsSync(path.join(dist, t, 'kimia-bundles-test.values')) }).toEqual({ t, values: false });
      expect({ t, hook: fs.readFileSync(path.join(dist, t, 'pre-apply-task-hook.sh'), 'utf8') }).toEqual({ t, hook: expect.not.stringMatching(/cosign|add_task|kubectl/) });
    }
  });
});
