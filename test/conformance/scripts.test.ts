/**
 * Issue 11 item 3: every script body the project emits runs under the shell its image really has,
 * with fake tools, through its failure paths, and passes shellcheck.
 *
 * - The scripts are collected from what renderBundle emits (examples/kimia-bundles.yaml and the
 *   EXTRA config below, which switches on every script-producing feature): every Tekton step
 *   `script`, every Argo `script.source`, every `tests/*.sh`. A script nobody runs here fails
 *   the inventory test, so a new one cannot slip in untested.
 * - Each is matched with its image's shells (reference/kimia.md §6, "Other images"): the kimia
 *   images have bash (/bin/bash) and busybox ash (/bin/sh) and run the SOURCE_DATE_EPOCH steps too
 *   (git 2.52); crane/debug has only /busybox/sh; the distroless cosign image has no shell. The
 *   table of images is src/spec/images.ts (test/images.test.ts: nothing else is emitted).
 * - Runs are direct: `busybox sh <script>` (ash, as the images have it) or bash, with env -i, a
 *   PATH of busybox applets plus the fakes in ./fakes (nothing else of the host), as the step's
 *   user (setpriv, when running as root: uid 1000 for every helper step, which all run as 1000).
 * - shellcheck with the dialect of the shell that runs it (sh for busybox ash, bash for bash).
 *
 * Needs bash, busybox, shellcheck (Debian packages bash busybox shellcheck) and util-linux's
 * setpriv for the user switch: skipped visibly when missing, failing when CI is set.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, parseConfigText } from '../../src/spec/config';
import { renderBundle } from '../../src/bundle/render';
import { BUILD_SCRIPT, EPOCH_SCRIPT } from '../../src/tekton/scripts';
import { EPOCH_SOURCE } from '../../src/argo/scripts';
import { INDEX_SCRIPT, REVISION_SCRIPT } from '../../src/spec/platforms';
import { SIGN_ARGS_MARKER, SIGN_SCRIPT } from '../../src/spec/sigstore';
import { PRE_APPLY_HOOK } from '../../src/tekton/samples';
import { type FakeCall, readCalls } from './pod';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
const FAKES = path.join(__dirname, 'fakes');

// ---------------------------------------------------------------------------------------------
// What is emitted
// ---------------------------------------------------------------------------------------------

/** Features examples/kimia-bundles.yaml leaves out: kimia-bud, three platforms, two destinations, insecure registry. */
const EXTRA = `
builds:
  - name: bud-local
    description: Buildah from the source workspace, two destinations, reproducible from git.
    outputs: [tekton, argo]
    variant: kimia-bud
    params:
      TAG: { description: Tag., example: v1 }
    context:
      local: { path: /home/kimia/workspace }
    destinations: ["registry.io/app:\${TAG}", "mirror.io:5000/team/app:\${TAG}"]
    reproducible: { sourceDateEpoch: { fromGit: true } }
    registry: { credentialsSecret: regcreds }
  - name: kit-multi
    description: BuildKit multi-arch, three platforms, two destinations, insecure, signed, epoch from git.
    outputs: [tekton, argo]
    context:
      local: { path: /home/kimia/workspace }
    destinations: ["registry.io/app:v1", "mirror.io:5000/team/app:v1"]
    platforms: [linux/amd64, linux/arm64, linux/arm/v7]
    reproducible: { sourceDateEpoch: { fromGit: true } }
    attestation: max
    registry: { insecure: true }
    signing:
      key: { secretName: keys, key: cosign.key }
      password: { secretName: keys, key: pw }
`;

type Shell = 'bash' | 'busybox';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The images steps run in, with the shells they have (path -> which shell) and their default user. */
const IMAGES: Array<{ match: RegExp; name: string; shells: Record<string, Shell>; user: number }> = [
  // Alpine 3.23: bash installed, /bin/sh is busybox ash (kimia.md §6).
  { match: /^ghcr\.io\/rapidfort\/kimia(-bud)?:/, name: 'kimia', shells: { '/bin/bash': 'bash', '/bin/sh': 'busybox', sh: 'busybox', bash: 'bash' }, user: 1000 },
  // distroless base:debug: /busybox/sh only, no /bin/sh; root.
  { match: /\/go-containerregistry\/crane\/debug:/, name: 'crane/debug', shells: { '/busybox/sh': 'busybox', sh: 'busybox' }, user: 0 },
  // distroless static nonroot: no shell at all.
  { match: /^ghcr\.io\/sigstore\/cosign\/cosign:v[\d.]+$/, name: 'cosign (distroless)', shells: {}, user: 65532 },
];

interface Emitted {
  text: string;
  /** file:field path */
  where: string;
  /** The image reference, params resolved to their defaults; 'runner' for the catalog hook. */
  image: string;
  /** What runs the text: the shebang (Tekton), command[0] (Argo), bash (the hook, sourced). */
  interpreter: string;
  user?: number;
}

function render(): Map<string, string> {
  const files = new Map<string, string>();
  for (const b of [renderBundle(loadConfig(path.join(ROOT, 'examples', 'kimia-bundles.yaml'))), renderBundle(parseConfigText(EXTRA))]) {
    for (const [f, c] of b) files.set(f, c);
  }
  return files;
}

function collect(files: Map<string, string>): Emitted[] {
  const out: Emitted[] = [];
  const resolve = (image: string, scopes: Obj[][]) => image.replace(/\$\(params\.([A-Za-z0-9_-]+)\)/g, (m, name: string) => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const p = scopes[i].find((x) => x?.name === name && typeof x.default === 'string');
      if (p) return p.default;
    }
    return m;
  });
  const walk = (o: unknown, p: string, file: string, scopes: Obj[][], template: Obj | undefined, stepUser: number | undefined) => {
    if (Array.isArray(o)) { o.forEach((x, i) => walk(x, `${p}[${i}]`, file, scopes, template, stepUser)); return; }
    if (!o || typeof o !== 'object') return;
    const obj = o as Obj;
    const sc = Array.isArray(obj.params) ? [...scopes, obj.params as Obj[]] : scopes;
    const user = obj.stepTemplate?.securityContext?.runAsUser ?? stepUser;
    if (typeof obj.script === 'string' && typeof obj.image === 'string') {
      // A Tekton step: the script file runs by its shebang; Tekton prepends #!/bin/sh when it has none.
      const first = obj.script.startsWith('#!') ? obj.script.split('\n')[0].slice(2).trim().split(/\s+/)[0] : '/bin/sh';
      out.push({ text: obj.script, where: `${file}:${p}.script`, image: resolve(obj.image, sc), interpreter: first, user: obj.securityContext?.runAsUser ?? user });
    }
    if (obj.script && typeof obj.script === 'object' && typeof obj.script.source === 'string') {
      // An Argo script template: <command...> /argo/staging/script.
      const s = obj.script as Obj;
      // Its image by an input parameter (the builder's BUILDER_IMAGE): the input's default.
      const inputs = (obj.inputs?.parameters ?? []) as Obj[];
      const image = String(s.image).replace(/\{\{inputs\.parameters\.([A-Za-z0-9_-]+)\}\}/g, (m, n: string) => inputs.find((x) => x.name === n && typeof x.default === 'string')?.default ?? m);
      out.push({ text: s.source, where: `${file}:${p}.script.source`, image, interpreter: s.command?.[0] ?? '(none)', user: s.securityContext?.runAsUser ?? obj.securityContext?.runAsUser });
    }
    for (const [k, v] of Object.entries(obj)) walk(v, `${p}.${k}`, file, sc, template, user);
  };
  for (const [file, content] of files) {
    if (file.endsWith('.sh')) {
      // tests/*.sh: sourced by the Tekton catalog's e2e runner, a bash script.
      out.push({ text: content, where: file, image: 'runner', interpreter: 'bash' });
    } else if (file.endsWith('.yaml')) {
      for (const d of parseAllDocuments(content)) walk(d.toJS(), '', file, [], undefined, undefined);
    }
  }
  return out;
}

/** How each known script is run here; a script not listed fails the inventory. */
const KNOWN: Array<{ text: string; name: string; lint: Shell; exclude: string[] }> = [
  { text: EPOCH_SCRIPT, name: 'Tekton SOURCE_DATE_EPOCH step', lint: 'busybox', exclude: [] },
  { text: BUILD_SCRIPT, name: 'Tekton build wrapper', lint: 'bash', exclude: [] },
  // SC2020 (info): `tr '[],"' '\n\n\n\n'` maps a set of characters on purpose. The text lives in
  // src/spec/platforms.ts, outside what this suite may change.
  { text: INDEX_SCRIPT, name: 'multi-arch index step (Tekton and Argo)', lint: 'busybox', exclude: ['SC2020'] },
  { text: EPOCH_SOURCE, name: 'Argo SOURCE_DATE_EPOCH template', lint: 'busybox', exclude: [] },
  { text: REVISION_SCRIPT, name: 'multi-arch revision step (Tekton and Argo)', lint: 'busybox', exclude: [] },
  // The Job and Argo sign containers run the same text as `/bin/bash -c` (escaped for the kubelet).
  { text: SIGN_SCRIPT, name: 'isolated sign step (Tekton; Job and Argo by bash -c)', lint: 'bash', exclude: [] },
  // SC2154: tns is defined by the catalog e2e runner that sources the hook (add_task etc. too).
  { text: PRE_APPLY_HOOK, name: 'Tekton catalog test hook', lint: 'bash', exclude: ['SC2154'] },
];

// ---------------------------------------------------------------------------------------------
// Running scripts
// ---------------------------------------------------------------------------------------------

const which = (c: string) => { const r = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }); return r.status === 0 ? r.stdout.trim() : ''; };
const BUSYBOX = which('busybox') && fs.realpathSync(which('busybox'));
const BASH = which('bash');
const SHELLCHECK = which('shellcheck');
const ROOT_USER = process.getuid?.() === 0;
const SETPRIV = which('setpriv');

function toolsMissing(): string | undefined {
  const missing = [!BUSYBOX && 'busybox', !BASH && 'bash', !SHELLCHECK && 'shellcheck', ROOT_USER && !SETPRIV && 'setpriv (util-linux)'].filter(Boolean);
  return missing.length ? `missing ${missing.join(', ')} (Debian: apt-get install busybox bash shellcheck util-linux)` : undefined;
}

/** describe() when the tools are here; else a visible skip, or one failing test when CI is set (as describeConformance). */
function describeScripts(title: string, fn: () => void): void {
  const why = toolsMissing();
  if (!why) describe(title, fn);
  else if (process.env.CI) describe(title, () => { it('has what the script suite needs', () => { throw new Error(`script suite cannot run: ${why}`); }); });
  else { process.stderr.write(`script tests skipped: ${why}\n`); describe.skip(`${title} [skipped: ${why}]`, fn); }
}

const tmpDirs: string[] = [];
afterAll(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755);
  tmpDirs.push(d);
  return d;
}

interface Run { code: number; stdout: string; stderr: string; calls: FakeCall[]; callsOf(tool: string, sub?: string): FakeCall[]; dir: string; read(rel: string): string | undefined }

interface RunOptions {
  shell: Shell;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** Fakes from ./fakes put on PATH. */
  fakes?: string[];
  /** Extra executables (name -> sh text) on PATH. */
  stubs?: Record<string, string>;
  /** KIMIA_FAKE_FAIL entries and other fake.env settings. */
  fail?: string[];
  fakeEnv?: Record<string, string>;
  /** Run as this uid (and gid), when the suite runs as root. Default 1000. */
  uid?: number;
  /** Source the script from this bash text instead of running it (the catalog runner). */
  runner?: (scriptPath: string) => string;
  /** Where to write the script (relative to the run dir). */
  scriptPath?: string;
  prepare?: (dir: string) => void;
}

/**
 * Runs a script as its image would: env -i, PATH = a bin directory with busybox's applets (the
 * images' userland) and the fakes, the shell the image has, as the step's user.
 */
function run(o: RunOptions): Run {
  const dir = tmpDir('kimia-script-');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const list = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const a of list) if (!['sh', 'ash', 'date'].includes(a)) fs.symlinkSync(BUSYBOX, path.join(bin, a));
  // The fakes name their records by `date +%s%N`, which busybox date lacks: the host's date (coreutils).
  fs.symlinkSync(which('date'), path.join(bin, 'date'));
  for (const f of [...(o.fakes ?? []), '.kimia-fake-lib.sh']) fs.copyFileSync(path.join(FAKES, f), path.join(bin, f));
  for (const f of o.fakes ?? []) fs.chmodSync(path.join(bin, f), 0o755);
  for (const [n, t] of Object.entries(o.stubs ?? {})) fs.writeFileSync(path.join(bin, n), t, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'crane-state'), { mode: 0o777 });
  fs.chmodSync(path.join(dir, 'crane-state'), 0o777);
  const calls = path.join(dir, 'calls');
  fs.mkdirSync(calls, { mode: 0o1777 });
  fs.chmodSync(calls, 0o1777);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const uid = o.uid ?? 1000;
  if (ROOT_USER) fs.chownSync(home, uid, uid);
  const conf = { ...(o.fail ? { FAKE_FAIL: o.fail.join(' ') } : {}), ...(o.fakeEnv ?? {}) };
  fs.writeFileSync(path.join(dir, 'fake.env'), Object.entries(conf).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'\n`).join(''));
  const scriptFile = path.join(dir, o.scriptPath ?? 'script');
  fs.mkdirSync(path.dirname(scriptFile), { recursive: true });
  fs.writeFileSync(scriptFile, o.script, { mode: 0o755 });
  o.prepare?.(dir);
  let argv: string[];
  if (o.runner) {
    const r = path.join(dir, 'runner.bash');
    fs.writeFileSync(r, o.runner(scriptFile), { mode: 0o755 });
    argv = [BASH, r];
  } else {
    argv = o.shell === 'bash' ? [BASH, scriptFile] : [BUSYBOX, 'sh', scriptFile];
  }
  const env = {
    PATH: bin, HOME: home, KIMIA_FAKE_LOG: calls, KIMIA_FAKE_CONF: path.join(dir, 'fake.env'), FAKE_CRANE_STATE: path.join(dir, 'crane-state'),
    ...(o.env ?? {}),
  };
  const user = ROOT_USER ? [SETPRIV, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'] : [];
  const r = spawnSync('env', ['-i', '-C', dir, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...user, ...argv, ...(o.args ?? [])], { encoding: 'utf8', timeout: 30_000 });
  const recorded = readCalls(calls);
  return {
    code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr, calls: recorded, dir,
    callsOf: (tool, sub) => recorded.filter((c) => c.tool === tool && (sub === undefined || c.sub === sub)),
    read: (rel) => (fs.existsSync(path.join(dir, rel)) ? fs.readFileSync(path.join(dir, rel), 'utf8') : undefined),
  };
}

/** A results directory the step user can write (Tekton's /tekton/results, Argo's /tmp). */
function outDir(dir: string, name = 'out'): string {
  const p = path.join(dir, name);
  fs.mkdirSync(p, { recursive: true });
  fs.chmodSync(p, 0o777);
  return p;
}

/** A cloned repository as git-clone leaves it: owned by 65532 (git-clone's user). */
function repo(dir: string, owner = 65532): string {
  const p = path.join(dir, 'source');
  fs.mkdirSync(path.join(p, '.git'), { recursive: true });
  fs.writeFileSync(path.join(p, 'Dockerfile'), 'FROM scratch\n');
  if (ROOT_USER) spawnSync('chown', ['-R', `${owner}:${owner}`, p]);
  return p;
}

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

// ---------------------------------------------------------------------------------------------

const files = render();
const emitted = collect(files);

describe('every emitted script', () => {
  it('is one this suite runs, and every script this suite runs is emitted', () => {
    const unknown = emitted.filter((e) => !KNOWN.some((k) => k.text === e.text)).map((e) => e.where);
    expect(unknown).toEqual([]);
    for (const k of KNOWN) expect(emitted.filter((e) => e.text === k.text).map((e) => e.where)).not.toHaveLength(0);
  });

  it('names a shell its image has, and runs as uid 1000', () => {
    const rows = emitted.filter((e) => e.image !== 'runner').map((e) => {
      const img = IMAGES.find((i) => i.match.test(e.image));
      return { where: e.where, image: e.image, interpreter: e.interpreter, shell: img ? img.shells[e.interpreter] ?? 'NONE' : 'UNKNOWN IMAGE', user: e.user };
    });
    expect(rows.filter((r) => r.shell === 'NONE' || r.shell === 'UNKNOWN IMAGE')).toEqual([]);
    expect(rows.filter((r) => r.user !== 1000)).toEqual([]);
    // The lint dialect of each known script is the shell it gets.
    for (const r of rows) {
      const k = KNOWN.find((x) => x.text === emitted.find((e) => e.where === r.where)!.text)!;
      expect(`${r.where}: ${r.shell}`).toBe(`${r.where}: ${k.lint}`);
    }
  });

  it('is never given to the distroless cosign image (it has no shell): its steps run cosign itself', () => {
    const cosign = IMAGES.find((i) => i.name.startsWith('cosign'))!;
    expect(emitted.filter((e) => cosign.match.test(e.image)).map((e) => e.where)).toEqual([]);
  });
});

describeScripts('shellcheck', () => {
  it.each(KNOWN.map((k) => [k.name, k] as const))('%s: no findings in the dialect of its shell', (_n, k) => {
    const r = spawnSync(SHELLCHECK, ['-s', k.lint === 'bash' ? 'bash' : 'sh', '-S', 'style', '-f', 'gcc', ...(k.exclude.length ? ['-e', k.exclude.join(',')] : []), '-'], { input: k.text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the fakes are POSIX sh', () => {
    const fakes = fs.readdirSync(FAKES).map((f) => path.join(FAKES, f));
    const r = spawnSync(SHELLCHECK, ['-s', 'sh', '-S', 'warning', '-e', 'SC1091', '-f', 'gcc', ...fakes], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
  });
});

describeScripts('Tekton SOURCE_DATE_EPOCH step (the builder image: busybox sh, git 2.52, uid 1000)', () => {
  // The step's env as the Task sets it; run() is called inside so the paths exist first.
  const stepRun = (o: { fail?: string[]; fakeEnv?: Record<string, string>; owner?: number; noRepo?: boolean; override?: string }) => {
    const dir = tmpDir('kimia-epoch-');
    const out = outDir(dir);
    const src = o.noRepo ? outDir(dir, 'source') : repo(dir, o.owner);
    const r = run({
      shell: 'busybox', script: EPOCH_SCRIPT, fakes: ['git'], fail: o.fail, fakeEnv: { FAKE_GIT_COMMIT_TIME: '1612345678', ...(o.fakeEnv ?? {}) },
      env: { SOURCE_DIR: src, EPOCH_FILE: path.join(out, 'SOURCE_DATE_EPOCH'), EPOCH_OVERRIDE: o.override ?? '' },
    });
    return { ...r, epochFile: fs.existsSync(path.join(out, 'SOURCE_DATE_EPOCH')) ? fs.readFileSync(path.join(out, 'SOURCE_DATE_EPOCH'), 'utf8') : undefined };
  };

  it('writes the last commit time of a clone owned by git-clone (65532), read as 1000 with -c safe.directory', () => {
    const r = stepRun({});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.epochFile).toBe('1612345678');
    expect(r.callsOf('git', 'log')[0].uid).toBe(ROOT_USER ? 1000 : process.getuid?.());
  });

  it('takes the SOURCE_DATE_EPOCH param without calling git; refuses one that is not digits', () => {
    const ok = stepRun({ override: '1700000001' });
    expect([ok.code, ok.epochFile, ok.calls.length]).toEqual([0, '1700000001', 0]);
    const bad = stepRun({ override: '17e8' });
    expect(bad.code).toBe(2);
    expect(bad.epochFile).toBeUndefined();
  });

  it.each([
    ['a failing git', { fail: ['git:log'] }],
    ['no repository in the workspace', { noRepo: true }],
    ['git answering without a commit time', { fakeEnv: { FAKE_GIT_COMMIT_TIME: 'garbage' } }],
  ])('fails the step on %s and writes no epoch (never epoch 0 or empty)', (_n, o) => {
    const r = stepRun(o as Parameters<typeof stepRun>[0]);
    expect(r.code).not.toBe(0);
    expect(r.epochFile).toBeUndefined();
  });

  // Issue 12: the step used to run git-init v0.40.2 (a closed gcr.io repository, and a git older
  // than 2.38 that ignores `-c safe.directory`). It now runs the builder image: git 2.52 reads the
  // clone git-clone wrote as 65532 while the step runs as 1000.
  it('works in the default image (the builder\'s: git 2.52) on a clone owned by git-clone (65532)', () => {
    if (!ROOT_USER) throw new Error('needs root to own the clone as 65532');
    const r = stepRun({ fakeEnv: { FAKE_GIT_VERSION: '2.52.0' } });
    expect(r.stderr).toBe('');
    expect([r.code, r.epochFile]).toEqual([0, '1612345678']);
  });

  it('fails in a tekton.gitImage whose git is older than 2.38 (README: what that image must have)', () => {
    if (!ROOT_USER) throw new Error('needs root to own the clone as 65532');
    const r = stepRun({ fakeEnv: { FAKE_GIT_VERSION: '2.36.2' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('dubious ownership');
    expect(r.epochFile).toBeUndefined();
  });
});

describeScripts('multi-arch revision step (the builder image: busybox sh, git 2.52, uid 1000)', () => {
  const resolve = (o: { fail?: string[]; fakeEnv?: Record<string, string>; ref?: string; url?: string } = {}) => {
    const dir = tmpDir('kimia-revision-');
    const out = outDir(dir);
    const r = run({
      shell: 'busybox', script: REVISION_SCRIPT, fakes: ['git'], fail: o.fail, fakeEnv: o.fakeEnv,
      env: { GIT_URL: o.url ?? 'https://github.com/org/app.git', GIT_REF: o.ref ?? 'refs/heads/main', COMMIT_FILE: path.join(out, 'GIT_COMMIT') },
    });
    return { ...r, commit: fs.existsSync(path.join(out, 'GIT_COMMIT')) ? fs.readFileSync(path.join(out, 'GIT_COMMIT'), 'utf8') : undefined };
  };
  const COMMIT = 'c0ffee0000000000000000000000000000c0ffee';

  it('resolves the branch once with git ls-remote and writes the commit every platform builds', () => {
    const r = resolve({ fakeEnv: { FAKE_GIT_COMMIT: COMMIT } });
    expect(r.code).toBe(0);
    expect(r.commit).toBe(COMMIT);
    const ls = r.callsOf('git', 'ls-remote');
    expect(ls.map((c) => c.argv)).toEqual([['ls-remote', '--', 'https://github.com/org/app.git', 'refs/heads/main']]);
    expect(ls[0].uid).toBe(ROOT_USER ? 1000 : process.getuid?.());
  });

  it.each([
    ['a failing git ls-remote', { fail: ['git:ls-remote'] }],
    ['an answer that is not a commit', { fakeEnv: { FAKE_GIT_COMMIT: 'not-a-commit' } }],
    ['a short hash', { fakeEnv: { FAKE_GIT_COMMIT: 'c0ffee' } }],
  ])('fails the step on %s and writes no commit (the platforms never build an unpinned head)', (_n, o) => {
    const r = resolve(o as Parameters<typeof resolve>[0]);
    expect(r.code).toBe(1);
    expect(r.commit).toBeUndefined();
  });
});

describeScripts('Argo SOURCE_DATE_EPOCH template (the builder image, command /bin/sh: busybox ash, uid 1000)', () => {
  const COMMIT = 'c0ffee'.repeat(6) + 'c0ff';
  const argoRun = (o: { fail?: string[]; fakeEnv?: Record<string, string>; noRepo?: boolean }) => {
    const dir = tmpDir('kimia-argo-epoch-');
    const out = outDir(dir, 'tmp');
    // The git input artifact, written by Argo's init container (root), group fsGroup.
    const src = o.noRepo ? outDir(dir, 'src') : repo(dir, 0);
    const r = run({
      shell: 'busybox', script: EPOCH_SOURCE, fakes: ['git'], fail: o.fail,
      fakeEnv: { FAKE_GIT_COMMIT_TIME: '1612345678', FAKE_GIT_COMMIT: COMMIT, ...(o.fakeEnv ?? {}) },
      scriptPath: 'argo/staging/script',
      env: { SOURCE_DIR: src, EPOCH_FILE: path.join(out, 'source-date-epoch'), COMMIT_FILE: path.join(out, 'git-commit') },
    });
    const read = (n: string) => (fs.existsSync(path.join(out, n)) ? fs.readFileSync(path.join(out, n), 'utf8') : undefined);
    return { ...r, epoch: read('source-date-epoch'), commit: read('git-commit') };
  };

  it('writes the commit time and the commit id, without newlines', () => {
    const r = argoRun({});
    expect(r.stderr).toBe('');
    expect([r.code, r.epoch, r.commit]).toEqual([0, '1612345678', COMMIT]);
    expect(r.stdout).toBe(`SOURCE_DATE_EPOCH=1612345678 commit=${COMMIT}\n`);
  });

  // Issue 12: `git … | tr -d '\n' > file` without pipefail exited 0 with empty outputs when git
  // failed, and the build then ran the default branch with an empty epoch.
  it.each([
    ['git log fails', { fail: ['git:log'] }],
    ['git rev-parse fails', { fail: ['git:rev-parse'] }],
    ['the artifact is not a repository', { noRepo: true }],
    ['git answers without a commit time', { fakeEnv: { FAKE_GIT_COMMIT_TIME: 'garbage' } }],
  ])('fails when %s, and leaves no output parameter to build with', (_n, o) => {
    const r = argoRun(o as Parameters<typeof argoRun>[0]);
    expect(r.code).not.toBe(0);
    expect(r.epoch).toBeUndefined();
    expect(r.commit).toBeUndefined();
  });
});

/** A stand-in for kimia (the real one runs in harness.test.ts): records argv and env, writes the digest file. */
const FAKE_KIMIA = `#!/bin/sh
{ for a; do printf 'arg=%s\\n' "$a"; done; printf 'SOURCE_DATE_EPOCH=%s\\n' "\${SOURCE_DATE_EPOCH:-}"; printf 'COSIGN_PASSWORD=%s\\n' "\${COSIGN_PASSWORD:-<unset>}"; } > "$KIMIA_RECORD"
[ "\${FAKE_KIMIA_EXIT:-0}" = 0 ] || { echo "[ERROR] build failed (fake)" >&2; exit "$FAKE_KIMIA_EXIT"; }
for a; do
  case $a in --digest-file=*) [ "\${FAKE_KIMIA_DIGEST-x}" = none ] || printf '%s' "\${FAKE_KIMIA_DIGEST-${D1}}" > "\${a#*=}" ;; esac
done
exit 0
`;

describeScripts('isolated sign step (kimia image: bash, its cosign, uid 1000)', () => {
  const KEY = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nx\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
  const FLAGS = ['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false'];
  const sign = (o: { digest?: string | null; destinations?: string[]; password?: string | null; fail?: string[]; flags?: string[] } = {}) => {
    const dir = tmpDir('kimia-sign-');
    const res = outDir(dir, 'results');
    const secrets = outDir(dir, 'secrets');
    fs.writeFileSync(path.join(secrets, 'cosign.key'), KEY, { mode: 0o444 });
    const env: Record<string, string> = { COSIGN_BIN: 'cosign', COSIGN_KEY_FILE: path.join(secrets, 'cosign.key'), KIMIA_DIGEST_FILE: path.join(res, 'IMAGE_DIGEST') };
    if (o.digest !== null) fs.writeFileSync(env.KIMIA_DIGEST_FILE, o.digest ?? D1);
    if (o.password !== null) {
      fs.writeFileSync(path.join(secrets, 'password'), o.password ?? 'pw', { mode: 0o444 });
      env.COSIGN_PASSWORD_FILE = path.join(secrets, 'password');
    }
    const destinations = o.destinations ?? ['registry.io/team/app:v1', 'registry.io/team/app:latest', 'localhost:5000/app:v1', 'localhost:5000/app'];
    return run({ shell: 'bash', script: SIGN_SCRIPT, fakes: ['cosign'], fail: o.fail, env, fakeEnv: { FAKE_COSIGN_PASSWORD: o.password === null ? '' : o.password ?? 'pw' }, args: [...(o.flags ?? FLAGS), SIGN_ARGS_MARKER, ...destinations] });
  };

  it('signs every destination repository once, by the pushed digest, with the readable key and the password from its file', () => {
    const r = sign();
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    const calls = r.callsOf('cosign', 'sign');
    expect(calls.map((c) => c.argv.at(-1))).toEqual([`registry.io/team/app@${D1}`, `localhost:5000/app@${D1}`]);
    for (const c of calls) {
      expect(c.argv).toEqual(['sign', '--key', expect.stringMatching(/cosign\.key$/), ...FLAGS, c.argv.at(-1)]);
      expect(c.fact('key_readable')).toBe('yes');
      expect(c.env.COSIGN_PASSWORD).toBe('pw');
      expect(c.uid).toBe(1000);
    }
  });
  it('signs with an empty password when the key has none', () => {
    const r = sign({ password: null });
    expect(r.code).toBe(0);
    expect(r.callsOf('cosign', 'sign')[0].env.COSIGN_PASSWORD).toBe('');
  });
  it.each([
    ['a missing digest file', { digest: null }, 'no digest file'],
    ['a digest that is not sha256', { digest: 'sha512:abc' }, "is not sha256:<64 hex digits>"],
    ['a short digest', { digest: 'sha256:abc' }, "is not sha256:<64 hex digits>"],
    ['a destination that already names a digest', { destinations: [`registry.io/app@${D2}`] }, 'already names a digest'],
    ['no destination', { destinations: [] }, 'no destination to sign'],
    ['cosign failing', { fail: ['cosign:sign'] }, 'cosign sign registry.io/team/app@'],
  ] as const)('fails the step on %s, signing nothing after it', (_n, o, message) => {
    const r = sign(o as Parameters<typeof sign>[0]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    if (!('fail' in o)) expect(r.callsOf('cosign', 'sign')).toEqual([]);
    else expect(r.callsOf('cosign', 'sign')).toHaveLength(1);
  });
});

describeScripts('Tekton build wrapper (kimia image: bash, uid 1000)', () => {
  const build = (o: { args?: string[]; env?: Record<string, string> }) => {
    const dir = tmpDir('kimia-build-');
    const res = outDir(dir, 'results');
    const record = path.join(outDir(dir, 'rec'), 'kimia');
    const env: Record<string, string> = {
      KIMIA_BIN: 'kimia', KIMIA_RECORD: record, // the stub on PATH (the image's is /usr/local/bin/kimia)
      KIMIA_DIGEST_FILE: path.join(res, 'IMAGE_DIGEST'), KIMIA_IMAGE_URL: 'registry.io/app:v1', KIMIA_IMAGE_URL_FILE: path.join(res, 'IMAGE_URL'),
      ...(o.env ?? {}),
    };
    // DIGEST in an argument is the digest result's path (the Task passes --digest-file=$(results.IMAGE_DIGEST.path)).
    const args = (o.args ?? []).map((a) => a.replace('DIGEST', env.KIMIA_DIGEST_FILE || path.join(res, 'IMAGE_DIGEST')));
    const r = run({ shell: 'bash', script: BUILD_SCRIPT, stubs: { kimia: FAKE_KIMIA }, args, env });
    const rd = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
    const rec = rd(record);
    return {
      ...r, res: (n: string) => rd(path.join(res, n)),
      kimiaArgs: rec?.split('\n').filter((l) => l.startsWith('arg=')).map((l) => l.slice(4)),
      kimiaEnv: (k: string) => rec?.split('\n').find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1),
    };
  };
  const BA = '--kimia-bundles-build-args';
  const EA = '--kimia-bundles-extra-args';

  it('passes kimia its flags, drops empty ones, adds --build-arg per item, then EXTRA_ARGS; exports SOURCE_DATE_EPOCH', () => {
    const dir = tmpDir('kimia-epochfile-');
    fs.writeFileSync(path.join(dir, 'epoch'), '1612345678');
    const r = build({
      args: ['--context=/home/kimia/workspace', '--context-sub-path=', '--destination=registry.io/app:v1', '--digest-file=DIGEST', BA, 'A=1', '', 'B=x=y', EA, '--cache=true'],
      env: { KIMIA_EPOCH_FILE: path.join(dir, 'epoch') },
    });
    expect(r.code).toBe(0);
    expect(r.kimiaArgs).toEqual(['--context=/home/kimia/workspace', '--destination=registry.io/app:v1', expect.stringMatching(/^--digest-file=\//), '--build-arg=A=1', '--build-arg=B=x=y', '--cache=true']);
    expect(r.stderr).toBe('kimia-bundles: skipping --context-sub-path (empty value)\n');
    expect(r.kimiaEnv('SOURCE_DATE_EPOCH')).toBe('1612345678');
    expect(r.res('IMAGE_DIGEST')).toBe(D1);
    expect(r.res('IMAGE_URL')).toBe('registry.io/app:v1');
  });

  it('reports IMAGES: one repository@digest per destination (several destinations, multi-arch)', () => {
    const dir = tmpDir('kimia-images-');
    const images = path.join(outDir(dir), 'IMAGES');
    const r = build({
      args: ['--destination=registry.io/app:v1', '--digest-file=DIGEST'],
      env: { KIMIA_DESTINATIONS: 'registry.io/app:v1\nmirror.io:5000/team/app:v1\nregistry.io/plain', KIMIA_IMAGES_FILE: images },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(images, 'utf8')).toBe(`registry.io/app@${D1}\nmirror.io:5000/team/app@${D1}\nregistry.io/plain@${D1}\n`);
  });

  it.each([
    ['kimia wrote no digest file', { FAKE_KIMIA_DIGEST: 'none' }],
    ['kimia wrote an empty digest file', { FAKE_KIMIA_DIGEST: '' }],
  ])('fails the step when %s (kimia exits 0 then), and reports no IMAGE_URL', (_n, env) => {
    const r = build({ args: ['--digest-file=DIGEST'], env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('kimia finished without reporting an image digest');
    expect(r.res('IMAGE_URL')).toBeUndefined();
  });

  it('fails the step with kimia\'s status when kimia fails (set -e)', () => {
    const r = build({ args: ['--destination=registry.io/app:v1', '--digest-file=DIGEST'], env: { FAKE_KIMIA_EXIT: '3' } });
    expect(r.code).toBe(3);
    expect(r.res('IMAGE_URL')).toBeUndefined();
  });

  it.each([
    ['a BUILD_ARGS item without a value', [BA, 'NOVALUE']],
    ['a BUILD_ARGS item without a key', [BA, '=v']],
    ['an EXTRA_ARGS item that is not a flag', [EA, 'cache']],
    ['an EXTRA_ARGS flag with an empty value', [EA, '--cache-repo=']],
    ['an EXTRA_ARGS flag the Task sets', [EA, '--destination=evil.io/x:1']],
    ['an EXTRA_ARGS --sign', [EA, '--sign']],
  ])('refuses %s (exit 2) before kimia runs', (_n, args) => {
    const r = build({ args: ['--destination=registry.io/app:v1', ...args] });
    expect(r.code).toBe(2);
    expect(r.kimiaArgs).toBeUndefined();
  });

  it('signing.in: builder: hands kimia the password env the step got (a secretKeyRef, as in every engine) and reads no file', () => {
    const r = build({ args: ['--sign'], env: { KIMIA_DIGEST_FILE: '', COSIGN_PASSWORD: 's3cret' } });
    expect(r.code).toBe(0);
    expect(r.kimiaEnv('COSIGN_PASSWORD')).toBe('s3cret');
    expect(BUILD_SCRIPT).not.toMatch(/PASSWORD/);
  });
});

describeScripts('multi-arch index step (crane/debug: /busybox/sh, uid 1000)', () => {
  const index = (o: { args?: string[]; env?: Record<string, string>; fail?: string[] }) => {
    const dir = tmpDir('kimia-index-');
    const out = outDir(dir);
    const r = run({
      shell: 'busybox', script: INDEX_SCRIPT, fakes: ['crane'], fail: o.fail, args: o.args ?? [],
      env: {
        TARGET: 'registry.io/app:v1', EXTRA_DESTINATIONS: 'mirror.io:5000/team/app:v1\nregistry.io/app:latest',
        URL_FILE: path.join(out, 'IMAGE_URL'), DIGEST_FILE: path.join(out, 'IMAGE_DIGEST'), IMAGES_FILE: path.join(out, 'IMAGES'),
        ...(o.env ?? {}),
      },
    });
    const rd = (n: string) => (fs.existsSync(path.join(out, n)) ? fs.readFileSync(path.join(out, n), 'utf8') : undefined);
    return { ...r, res: rd };
  };
  const PLATFORM = [`registry.io/app:v1-linux-amd64@${D1}`, `registry.io/app:v1-linux-arm64@${D2}`];

  it('Tekton (IMAGES as arguments): appends every platform image by digest, copies to the other destinations, writes the results', () => {
    const r = index({ args: PLATFORM });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const append = r.callsOf('crane', 'index append')[0];
    expect(append.argv).toEqual(['index', 'append', '-m', PLATFORM[0], '-m', PLATFORM[1], '-t', 'registry.io/app:v1']);
    // IMAGE_URL as tagged, no digest: Chains records IMAGE_URL@IMAGE_DIGEST (issue 14: a digest in IMAGE_URL drops the pair).
    expect(r.res('IMAGE_URL')).toBe('registry.io/app:v1');
    const ref = append.fact('index')!;
    expect(ref).toMatch(/^registry\.io\/app@sha256:[0-9a-f]{64}$/);
    expect(r.res('IMAGE_DIGEST')).toBe(ref.slice(ref.indexOf('@') + 1));
    expect(r.callsOf('crane', 'copy').map((c) => c.argv)).toEqual([['copy', ref, 'mirror.io:5000/team/app:v1'], ['copy', ref, 'registry.io/app:latest']]);
    // The flattened index holds each platform's image manifest and its attestation manifest (fakes/crane);
    // IMAGES lists the index and the image manifests only, not the unknown/unknown attestations.
    const child = (kind: string, d: string) => `sha256:${createHash('sha256').update(`${kind}:${d}`).digest('hex')}`;
    expect(r.res('IMAGES')).toBe(`${ref}\nregistry.io/app@${child('image', D1)}\nregistry.io/app@${child('image', D2)}\n`);
    expect(r.res('IMAGES')).not.toContain(child('attestation', D1));
  });

  it('Argo (IMAGES as a JSON list in env), three platforms, INSECURE: --insecure on every crane call', () => {
    const list = JSON.stringify([...PLATFORM, `registry.io/app:v1-linux-arm-v7@${D3}`]);
    const r = index({ env: { IMAGES: list, INSECURE: 'true', EXTRA_DESTINATIONS: '' } });
    expect(r.code).toBe(0);
    expect(r.callsOf('crane', 'index append')[0].argv.filter((a) => a === '-m')).toHaveLength(3);
    expect(r.calls.map((c) => c.argv.includes('--insecure'))).toEqual([true, true]);
    expect(r.res('IMAGES')!.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it.each([
    ['one platform image', { args: [PLATFORM[0]] }],
    ['no image', { args: [] }],
    ['an image by tag', { args: [PLATFORM[0], 'registry.io/app:v1-linux-arm64'] }],
    ['an empty JSON list', { env: { IMAGES: '[]' } }],
  ])('refuses %s before calling crane', (_n, o) => {
    const r = index(o);
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.res('IMAGE_URL')).toBeUndefined();
  });

  it.each([
    ['crane index append', 'crane:index'],
    ['crane copy', 'crane:copy'],
  ])('fails the step when %s fails (set -e), and reports no index', (_n, fail) => {
    const r = index({ args: PLATFORM, fail: [fail] });
    expect(r.code).not.toBe(0);
    expect(r.res('IMAGE_URL')).toBeUndefined();
  });

  // Was `crane manifest … | grep | cut | sed` without pipefail: a failing `crane manifest` was
  // hidden and IMAGES listed the index alone. The manifest is now read into a variable first.
  it('fails the step when crane manifest fails', () => {
    const r = index({ args: PLATFORM, fail: ['crane:manifest'] });
    expect(r.code).not.toBe(0);
  });
});

describeScripts('Tekton catalog test hook (sourced by the e2e runner\'s bash under set -ex)', () => {
  /**
   * A stand-in for tektoncd/catalog test/e2e-tests.sh + e2e-common.sh test_resource_creation: `set -ex`,
   * `set -o pipefail`, the runner's add_sidecar_registry on ${TMPF} (the Task), then the hook sourced.
   */
  const runner = (calls: string) => (hook: string) => `#!/bin/bash
set -ex
set -o pipefail
tns=catalog-e2e-1234
TMPF=/tmp/catalog-task.yaml
add_sidecar_registry() { printf 'add_sidecar_registry %s\\n' "$*" >> ${calls}; [ -z "\${FAIL_SIDECAR:-}" ]; }
source ${JSON.stringify(hook)}
echo "runner continued"
`;
  const sourced = (rel: string, o: { env?: Record<string, string> } = {}) => {
    const dir = tmpDir('kimia-hook-');
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), files.get(rel)!);
    const calls = path.join(outDir(dir, 'rec'), 'calls');
    fs.writeFileSync(calls, '');
    fs.chmodSync(calls, 0o666);
    // No fake tool at all: the hook may run nothing the catalog runner lacks (it installs no cosign).
    const r = run({ shell: 'bash', script: '', fakes: [], env: o.env, runner: () => runner(calls)(path.join(dir, rel)) });
    return { ...r, fns: fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean) };
  };

  // The version the examples render now (released versions are kept beside it in dist/).
  const V = [...files.keys()].map((f) => /^tekton\/task\/kimia-build\/([^/]+)\/kimia-build\.yaml$/.exec(f)?.[1]).find(Boolean)!;
  const TASK = `tekton/task/kimia-build/${V}/tests/pre-apply-task-hook.sh`;

  it('adds the registry sidecar to the Task and nothing else: no cosign, kubectl or add_task', () => {
    const r = sourced(TASK);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('runner continued');
    expect(r.fns).toEqual(['add_sidecar_registry /tmp/catalog-task.yaml']);
    expect(r.calls).toEqual([]);
  });

  it('fails the test when add_sidecar_registry fails, as the runner\'s set -e means it to', () => {
    const r = sourced(TASK, { env: { FAIL_SIDECAR: '1' } });
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('runner continued');
  });

  it('the Pipeline has no tests of its own (the runner runs task/*/*/tests only; the Task test runs the Pipeline)', () => {
    expect([...files.keys()].filter((f) => /^tekton\/pipeline\/[^/]+\/[^/]+\/tests\//.test(f))).toEqual([]);
  });
});
