/**
 * Issue 11, item 4: what the real kimia 1.0.25 does with the containers we render, for the
 * defects it found (unit checks of the same cases: test/issue11-defects.test.ts). Each case
 * renders a spec with the product (Job, Tekton Task, Argo WorkflowTemplate), turns the builder
 * container into a ContainerDesc here (a small extractor for these cases only) and runs it.
 * A spec the product now refuses at parse time passes only by being refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { KimiaBuildTask, KimiaWorkflowTemplate, kimiaArgs, parseBuildSpec, SpecError, type BuildSpecInput } from '../../src/internal';
import { BASE, synthJob } from '../helpers';
import { kimiaBinary } from './kimia-binary';
import { describeConformance, runContainer, type RunResult, type VolumeMount } from './pod';

jest.setTimeout(60_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const GIT = 'https://github.com/myorg/myapp.git';
const REV = '0123456789abcdef0123456789abcdef01234567';
const tmpDirs: string[] = [];

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-defects-ws-'));
  tmpDirs.push(dir);
  fs.chmodSync(dir, 0o777);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\n');
  return dir;
}
afterAll(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

function expectClean(r: RunResult): void {
  if (r.code !== 0) throw new Error(`${r.name} exited ${r.code}:\n${r.output}`);
  expect(r.output).not.toMatch(/\[FATAL\]|\[ERROR\]|Unknown option/);
}

/** The spec's refusal, or undefined when the spec is accepted. */
function refusal(render: () => unknown): string | undefined {
  try { render(); return undefined; } catch (e) { if (e instanceof SpecError) return e.message; throw e; }
}

/** Kubernetes volumes -> harness mounts: a PVC is a prepared workspace, a Secret's items are files. */
function mountsOf(volumes: Obj[] = [], volumeMounts: Obj[] = [], secrets: Record<string, string> = {}, claims: Record<string, string> = {}): VolumeMount[] {
  return volumeMounts.map((m) => {
    const v = volumes.find((x) => x.name === m.name)!;
    let source: VolumeMount['source'];
    if (v.persistentVolumeClaim) source = { hostDir: claims[v.persistentVolumeClaim.claimName] };
    else if (v.emptyDir) source = { emptyDir: {} };
    else if (v.secret) {
      source = {
        kind: 'secret', defaultMode: v.secret.defaultMode,
        files: Object.fromEntries((v.secret.items ?? []).map((i: Obj) => [i.path, secrets[`${v.secret.secretName}/${i.key}`] ?? 'x'])),
      };
    } else throw new Error(`volume ${m.name}: not handled here`);
    return { mountPath: m.mountPath, ...(m.subPath ? { subPath: m.subPath } : {}), ...(m.readOnly ? { readOnly: true } : {}), source };
  });
}

/** The Job's builder container, run as the pod would run it. */
async function runJob(spec: BuildSpecInput, opts: { secrets?: Record<string, string>; claims?: Record<string, string>; fakes?: Obj } = {}) {
  const { pod, container } = synthJob(spec);
  return runContainer({
    name: 'job', variant: container.image.includes('kimia-bud') ? 'kimia-bud' : 'kimia',
    runAsUser: pod.securityContext.runAsUser, runAsGroup: pod.securityContext.runAsGroup, fsGroup: pod.securityContext.fsGroup,
    args: container.args, env: Object.fromEntries((container.env ?? []).map((e: Obj) => [e.name, e.value ?? 'secret-value'])),
    mounts: mountsOf(pod.volumes, container.volumeMounts, opts.secrets, opts.claims), fakes: opts.fakes,
  });
}

/** The Argo build template's container, `{{inputs.parameters.*}}` bound to their defaults or `values`. */
function argoBuild(spec: BuildSpecInput, values: Record<string, string> = {}) {
  const chart = Testing.chart();
  new KimiaWorkflowTemplate(chart, 'wt', { spec });
  const [doc] = Testing.synth(chart);
  const t = doc.spec.templates.find((x: Obj) => x.name === 'build');
  const bound: Record<string, string> = Object.fromEntries((t.inputs.parameters as Obj[]).map((p) => [p.name, values[p.name] ?? p.default]));
  const sub = (s: string) => s.replace(/\{\{inputs\.parameters\.([A-Za-z0-9_-]+)\}\}/g, (_, n) => bound[n]);
  return { template: t, command: (t.container.command as string[]).map(sub), args: (t.container.args as string[]).map(sub) };
}

/** The Tekton Task's build step: its script, args and env with Tekton's variables substituted. */
function tektonBuild(spec: BuildSpecInput) {
  const chart = Testing.chart();
  new KimiaBuildTask(chart, 'task', { spec });
  const [task] = Testing.synth(chart);
  const step = task.spec.steps.find((s: Obj) => s.name === 'build');
  const params: Obj[] = task.spec.params;
  const ws: Obj[] = task.spec.workspaces;
  const one = (s: string) => s
    .replace(/\$\(results\.([A-Za-z0-9_-]+)\.path\)/g, '/tekton/results/$1')
    .replace(/\$\(workspaces\.([A-Za-z0-9_-]+)\.path\)/g, (_, n) => ws.find((w) => w.name === n)!.mountPath)
    .replace(/\$\(params\.([A-Za-z0-9_-]+)\)/g, (_, n) => params.find((p) => p.name === n)!.default);
  const args = (step.args as string[]).flatMap((a) => {
    const arr = /^\$\(params\.([A-Za-z0-9_-]+)\[\*\]\)$/.exec(a);
    return arr ? params.find((p) => p.name === arr[1])!.default as string[] : [one(a)];
  });
  const env = Object.fromEntries((step.env ?? []).map((e: Obj) => [e.name, one(e.value)]));
  return { task, step, script: step.script as string, args, env };
}

describeConformance('issue 11 defects, through the real kimia', () => {
  beforeAll(() => { kimiaBinary(); }, 600_000);

  describe('1. a Job with context.local', () => {
    it('without a claim: refused, since the Job would mount nothing where kimia looks for the context', async () => {
      const spec = { ...BASE, context: { local: { path: '/home/kimia/workspace' } } };
      const why = refusal(() => synthJob(spec));
      if (why === undefined) {
        // Rendered: kimia must find its context (it does not: nothing is mounted).
        expectClean(await runJob(spec));
      } else {
        expect(why).toContain('context.local.claimName: a Job mounts nothing at /home/kimia/workspace');
      }
      // What kimia does with exactly that container (context.go:185-188).
      const r = await runContainer({ variant: 'kimia', args: kimiaArgs(parseBuildSpec({ ...spec, outputs: ['tekton'] })) });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('[FATAL] failed to prepare build context: context path does not exist: stat /home/kimia/workspace');
    });
    it('with a claim: the claim is mounted at the context path and kimia builds it', async () => {
      const ws = workspace();
      const r = await runJob({ ...BASE, context: { local: { claimName: 'src' } } }, { claims: { src: ws } });
      expectClean(r);
      expect(r.call('buildctl', 'build').fact('context_listing')).toBe('./Dockerfile');
    });
  });

  describe('2. kimia-bud with git.tokenSecret', () => {
    const spec: BuildSpecInput = { ...BASE, variant: 'kimia-bud', context: { git: { url: GIT, tokenSecret: { secretName: 'git', key: 'token' } } } };
    it('is refused: kimia clones the token-bearing URL into the build context (.git/config)', async () => {
      const why = refusal(() => synthJob(spec));
      if (why === undefined) {
        const r = await runJob(spec, { secrets: { 'git/token': 'TOKEN123\n' } });
        expectClean(r);
        expect(r.call('buildah', 'bud').fact('context_git_config')).not.toContain('TOKEN123');
      } else {
        expect(why).toContain('context.git.tokenSecret: kimia-bud (Buildah) clones into the build context with the token in the URL');
      }
    });
    it('what kimia does with the flags it would get: the token lands in the context buildah builds', async () => {
      // Built by hand: the product no longer emits --git-token-file (tokenSecret is refused in both variants).
      const args = [...kimiaArgs(parseBuildSpec({ ...BASE, variant: 'kimia-bud', context: { git: { url: GIT } } })), '--git-token-file=/etc/kimia/git/token'];
      const r = await runContainer({
        variant: 'kimia-bud', fsGroup: 1000, args,
        mounts: [{ mountPath: '/etc/kimia/git', readOnly: true, source: { kind: 'secret', defaultMode: 0o400, files: { token: 'TOKEN123\n' } } }],
      });
      expectClean(r);
      const bud = r.call('buildah', 'bud');
      expect(bud.argv[bud.argv.length - 1]).toMatch(/^\/home\/kimia\/workspace\/kimia-build-\d+$/); // context.go:108, 136
      expect(bud.fact('context_git_config')).toContain('url = https://oauth2:TOKEN123@github.com/myorg/myapp.git');
    });
  });

  describe('3. a user\'s digestFile / imageNameWithDigestFile', () => {
    const spec: BuildSpecInput = {
      ...BASE, outputs: ['tekton', 'argo'], context: { local: { path: '/home/kimia/workspace' } },
      digestFile: '/home/kimia/workspace/digest', imageNameWithDigestFile: '/home/kimia/workspace/image',
    };
    it('Argo: kimia writes the user\'s files and the outputs read the same files', async () => {
      const { template, command, args } = argoBuild(spec);
      const r = await runContainer({ variant: 'kimia', fsGroup: 1000, command, args, mounts: [{ mountPath: '/home/kimia/workspace', source: { hostDir: workspace() } }] });
      expectClean(r);
      const digest = r.files.read('/home/kimia/workspace/digest');
      expect(digest).toMatch(DIGEST);
      expect(r.files.read('/home/kimia/workspace/image')).toBe(`registry.io/myapp@${digest}`);
      for (const o of template.outputs.parameters as Obj[]) expect(r.files.exists(o.valueFrom.path)).toBe(true);
      expect(r.files.read((template.outputs.parameters as Obj[]).find((o) => o.name === 'IMAGE_DIGEST')!.valueFrom.path)).toBe(digest);
    });
    it('Tekton: kimia writes the user\'s file and the step publishes the same digest as IMAGE_DIGEST', async () => {
      const { script, args, env, task } = tektonBuild(spec);
      const source = task.spec.workspaces.find((w: Obj) => w.name === 'source').mountPath;
      const r = await runContainer({
        variant: 'kimia', fsGroup: 1000, script, args, env,
        mounts: [{ mountPath: source, source: { hostDir: workspace() } }, { mountPath: '/tekton/results', source: { emptyDir: {} } }],
      });
      expectClean(r);
      const digest = r.files.read('/home/kimia/workspace/digest');
      expect(digest).toMatch(DIGEST);
      expect(r.files.read('/tekton/results/IMAGE_DIGEST')).toBe(digest);
      expect(r.files.read('/tekton/results/IMAGE_URL')).toBe('registry.io/myapp:v1');
      expect(r.files.read('/home/kimia/workspace/image')).toBe(`registry.io/myapp@${digest}`);
    });
  });

  describe('4. builds that do not push publish no digest', () => {
    for (const [what, extra] of [['push: false', { push: false }], ['tarPath', { tarPath: '/home/kimia/out/image.tar' }]] as const) {
      it(`Argo (${what}): kimia would write a digest for the unpushed image; no output and no digest file`, async () => {
        const { template, command, args } = argoBuild({ ...BASE, outputs: ['argo'], ...extra });
        // The archive's directory is the template's emptyDir (kimia never creates it).
        const mounts = 'tarPath' in extra ? [{ mountPath: '/home/kimia/out', source: { emptyDir: {} } }] : [];
        const r = await runContainer({ variant: 'kimia', fsGroup: 1000, command, args, mounts });
        expectClean(r);
        expect(r.call('buildctl', 'build').argv.join(' ')).not.toContain('push=true');
        expect(template.outputs?.parameters).toBeUndefined();
        // The archive leaves the pod as an output artifact, stored as it is.
        expect(template.outputs?.artifacts).toEqual('tarPath' in extra ? [{ name: 'image-archive', path: '/home/kimia/out/image.tar', archive: { none: {} } }] : undefined);
        if ('tarPath' in extra) expect(r.files.exists('/home/kimia/out/image.tar')).toBe(true);
        expect(r.files.exists('/tmp/kimia-digest')).toBe(false);
        expect(r.files.exists('/tmp/kimia-image')).toBe(false);
      });
    }
    it('what kimia does: with --no-push it still writes the digest file (kimia.md §4)', async () => {
      const r = await runContainer({ variant: 'kimia', args: [...kimiaArgs(parseBuildSpec({ ...BASE, push: false })), '--digest-file=/tmp/d'] });
      expectClean(r);
      expect(r.files.read('/tmp/d')).toMatch(DIGEST);
    });
    it('Tekton (push: false): the step succeeds and leaves no IMAGE_DIGEST result', async () => {
      const { script, args, env } = tektonBuild({ ...BASE, outputs: ['tekton'], push: false });
      const r = await runContainer({ variant: 'kimia', fsGroup: 1000, script, args, env, mounts: [{ mountPath: '/tekton/results', source: { emptyDir: {} } }] });
      expectClean(r);
      expect(r.files.list('/tekton/results')).toEqual([]);
    });
  });

  describe('5. kimia-bud digest files', () => {
    it('hold the config digest buildah printed on push, not a manifest digest', async () => {
      const r = await runContainer({ variant: 'kimia-bud', fsGroup: 1000, args: kimiaArgs(parseBuildSpec({ ...BASE, variant: 'kimia-bud', digestFile: '/home/kimia/digest' })) });
      expectClean(r);
      expect(r.files.read('/home/kimia/digest')).toBe(r.call('buildah', 'push').fact('config_digest'));
    });
    it('Argo kimia-bud: no digest files nothing reads', async () => {
      const { template, command, args } = argoBuild({ ...BASE, variant: 'kimia-bud', outputs: ['argo'] });
      const r = await runContainer({ variant: 'kimia-bud', fsGroup: 1000, command, args });
      expectClean(r);
      expect(template.outputs).toBeUndefined();
      expect(r.files.exists('/tmp/kimia-digest')).toBe(false);
      expect(r.files.exists('/tmp/kimia-image')).toBe(false);
    });
  });

  describe('6. git branch and revision', () => {
    const git = { url: GIT, branch: 'main', revision: REV };
    it('BuildKit: kimia builds URL#revision, so no --git-branch is passed beside a revision', async () => {
      const r = await runJob({ ...BASE, context: { git } });
      expectClean(r);
      expect(r.call('buildctl', 'build').fact('context_url')).toBe(`${GIT}#${REV}`); // context.go:559-564
      expect(r.argv.filter((a) => a.startsWith('--git-branch'))).toEqual([]);
    });
    it('kimia-bud: the branch is used beside the revision (fallback checkout, on-branch check)', async () => {
      const r = await runJob({ ...BASE, variant: 'kimia-bud', context: { git } }, { fakes: { gitUnknownRevs: [REV] } });
      expectClean(r);
      // context.go:140-152: the revision is unknown, kimia falls back to the branch.
      expect(r.callsOf('git', 'checkout').map((c) => c.fact('rev'))).toEqual([REV, 'main']);
      expect(r.stderr).toContain(`Revision ${REV} not found, falling back to branch main`);
    });
  });
});
