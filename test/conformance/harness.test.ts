/**
 * Smoke test of the conformance harness (issue 11): the real kimia 1.0.25 (built from
 * ../shared/kimia) runs in an emulated pod with fake back-end tools, on hand-written containers.
 * Expectations are literal values from kimia's source, cited as file:line of
 * ../shared/kimia/v1.0.25/src (B = internal/build/builder.go); nothing here uses the product's
 * own helpers. Needs root, util-linux, busybox and Go (skipped, visibly, elsewhere; failing in CI).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kimiaBinary } from './kimia-binary';
import { describeConformance, Pod, RunResult, runContainer, VolumeMount } from './pod';

jest.setTimeout(60_000);

const KEY = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nZmFrZQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const tmpDirs: string[] = [];

/** A host directory holding a build context, readable by the container user (as a PVC would be). */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-ws-'));
  tmpDirs.push(dir);
  fs.chmodSync(dir, 0o755);
  for (const [n, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), c);
  }
  return dir;
}

/** No [FATAL]/[ERROR] (logger.go:32-33) and no "Unknown option" warning (cmd/kimia/args.go:404). */
function expectClean(r: RunResult): void {
  if (r.code !== 0) throw new Error(`${r.name} exited ${r.code}:\n${r.output}`);
  expect(r.output).not.toMatch(/\[FATAL\]|\[ERROR\]|Unknown option/);
}

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describeConformance('conformance harness: real kimia, emulated pod, fake tools', () => {
  let ws: string;
  beforeAll(() => {
    kimiaBinary(); // built once per source hash, shared by workers
    ws = workspace({ Dockerfile: 'FROM alpine:3.20\nCOPY . /app\n', 'app/main.sh': 'echo hi\n' });
  }, 600_000);

  const workspaceMount = (): VolumeMount => ({ mountPath: '/home/kimia/workspace', source: { hostDir: ws } });
  const keyMount: VolumeMount = {
    mountPath: '/secrets/cosign',
    source: { files: { 'cosign.key': { content: KEY, mode: 0o400 } }, kind: 'secret' },
  };
  const signedArgs = [
    '--context=/home/kimia/workspace', '--destination=registry.io/x:1', '--digest-file=/tekton/results/IMAGE_DIGEST',
    '--attestation=max', '--sign', '--cosign-key=/secrets/cosign/cosign.key', '--cosign-password-env=COSIGN_PASSWORD',
  ];

  it('BuildKit: builds, writes the digest file and signs by digest with the Secret key (fsGroup 1000)', async () => {
    const r = await runContainer({
      variant: 'kimia', runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000,
      args: signedArgs, env: { COSIGN_PASSWORD: 'pw-123' },
      mounts: [workspaceMount(), { mountPath: '/tekton/results', source: { emptyDir: {} } }, keyMount],
    });
    expectClean(r);
    expect(r.stdout).toContain('[INFO] Detected builder: BUILDKIT'); // main.go:116, B:86-92 (buildkitd+buildctl on PATH)
    expect(r.stdout).toContain('[INFO] Build completed successfully!'); // main.go:128

    // The daemon: B:819-828 argv, B:830-834 env.
    const rk = r.call('rootlesskit');
    expect(rk.argv).toEqual(['--state-dir=/tmp/run/rk-buildkit', '--net=host', '--copy-up=/home', '--disable-host-loopback',
      'buildkitd', '--config=/home/kimia/.config/buildkit/buildkitd.toml', '--addr=unix:///tmp/run/buildkitd.sock']);
    expect(rk.env).toMatchObject({ HOME: '/home/kimia', XDG_RUNTIME_DIR: '/tmp/run', DOCKER_CONFIG: '/home/kimia/.docker' });
    const bkd = r.call('buildkitd');
    expect(bkd.read('buildkitd.toml')).toBe(fs.readFileSync(path.join(__dirname, 'image/buildkit/buildkitd.toml'), 'utf8'));
    expect(r.call('buildctl', 'debug').argv).toEqual(['--addr=unix:///tmp/run/buildkitd.sock', 'debug', 'info']); // B:861

    // The build: B:891-1101.
    const b = r.call('buildctl', 'build');
    const ctx = b.fact('context_dir')!;
    expect(ctx).toMatch(/^\/home\/kimia\/\.cache\/buildkit\/context-\d+$/); // B:683-690: bind mount copied under $HOME
    expect(b.argv).toEqual(['build', '--frontend', 'dockerfile.v0', '--opt', 'filename=Dockerfile', // B:891, 917
      '--local', `context=${ctx}`, '--local', `dockerfile=${ctx}`, // B:929-930
      '--no-cache', // B:992-993 (--cache not given)
      '--output', 'type=image,name=registry.io/x:1,push=true', // B:1048
      '--opt', 'attest:sbom=true', '--opt', 'attest:provenance=mode=max']); // B:1637-1639, 1088-1090
    expect(b.fact('context_listing')!.split('\n')).toEqual(['./Dockerfile', './app', './app/main.sh']); // copyDir B:704
    expect(b.read('Dockerfile')).toBe('FROM alpine:3.20\nCOPY . /app\n');
    expect(b.env).toMatchObject({ BUILDKIT_HOST: 'unix:///tmp/run/buildkitd.sock', DOCKER_CONFIG: '/home/kimia/.docker' }); // B:1191, 1195
    expect([b.uid, b.gid, b.groups]).toEqual([1000, 1000, [1000]]);

    // Digest: the first "exporting manifest list" (B:1236-1252), written without newline (B:1485).
    const digest = r.files.read('/tekton/results/IMAGE_DIGEST');
    expect(digest).toMatch(DIGEST);
    expect(digest).toBe(b.fact('index'));
    expect(r.files.where('/tekton/results/IMAGE_DIGEST').persistence).toBe('pod');
    expect(r.stdout).toContain('[INFO] Digest saved to: /tekton/results/IMAGE_DIGEST'); // B:1488

    // Signing: tag stripped, digest appended (B:1316-1322); B:1778-1787 argv; B:1796, 1800-1804 env.
    const c = r.call('cosign', 'sign');
    expect(c.argv).toEqual(['sign', '--key', '/secrets/cosign/cosign.key', `registry.io/x@${digest}`]);
    expect(c.env).toMatchObject({ COSIGN_PASSWORD: 'pw-123', COSIGN_EXPERIMENTAL: '1' });
    expect(c.fact('key_readable')).toBe('yes');
    expect(r.stdout).toContain(`[INFO] Successfully signed: registry.io/x@${digest}`); // B:1338
  });

  it('BuildKit: the same Secret without fsGroup is root-owned 0400, so cosign cannot read the key and kimia fails', async () => {
    const r = await runContainer({
      variant: 'kimia', runAsUser: 1000,
      args: signedArgs, env: { COSIGN_PASSWORD: 'pw-123' },
      mounts: [workspaceMount(), { mountPath: '/tekton/results', source: { emptyDir: {} } }, keyMount],
    });
    expect(r.code).toBe(1); // logger.Fatal, logger.go:78-79
    expect(r.files.stat('/secrets/cosign/cosign.key').mode & 0o7777).toBe(0o400);
    expect(r.call('cosign', 'sign').fact('key_readable')).toBe('no');
    expect(r.stderr).toMatch(/\[FATAL\] build failed: failed to sign image registry\.io\/x@sha256:[0-9a-f]{64}: cosign signing failed: exit status 1/); // main.go:234, B:1336, 1814
    expect(r.files.exists('/tekton/results/IMAGE_DIGEST')).toBe(false); // signing precedes SaveDigestInfo (B:1304-1350)
  });

  it('Buildah (kimia-bud): bud, then one push per destination; digest files from the first push', async () => {
    const r = await runContainer({
      variant: 'kimia-bud', runAsUser: 1000, fsGroup: 1000,
      args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1', '--destination=registry.io/x:latest',
        '--digest-file=/tekton/results/IMAGE_DIGEST', '--image-name-with-digest-file=/tekton/results/IMAGE_URL'],
      mounts: [workspaceMount(), { mountPath: '/tekton/results', source: { emptyDir: {} } }],
    });
    expectClean(r);
    expect(r.stdout).toContain('[INFO] Detected builder: BUILDAH'); // B:94-97 (no buildkitd in this image)
    expect(r.callsOf('buildctl')).toHaveLength(0);
    const bud = r.call('buildah', 'bud');
    expect(bud.argv).toEqual(['bud', '-f', '/home/kimia/workspace/Dockerfile', // B:160-173
      '--no-cache', // B:229-231
      '-t', 'registry.io/x:1', '-t', 'registry.io/x:latest', // B:265-271 (sorted)
      '/home/kimia/workspace']); // B:289
    expect(bud.env).toMatchObject({ BUILDAH_ISOLATION: 'chroot', DOCKER_CONFIG: '/home/kimia/.docker', BUILDAH_LOG_LEVEL: 'error',
      HOME: '/home/kimia', XDG_RUNTIME_DIR: '/run/user/1000' }); // B:309-318; image env (kimia.md §6)
    expect(r.callsOf('buildah', 'push').map((c) => c.argv)).toEqual([['push', 'registry.io/x:1'], ['push', 'registry.io/x:latest']]); // push.go:38-94
    // push.go:170, 285-299: the digest is buildah's "Copying config sha256:…" (the config digest) of the
    // first destination (B:1473).
    const first = r.callsOf('buildah', 'push')[0];
    const digest = r.files.read('/tekton/results/IMAGE_DIGEST');
    expect(digest).toMatch(DIGEST);
    expect(digest).toBe(first.fact('config_digest'));
    expect(r.files.read('/tekton/results/IMAGE_URL')).toBe(`registry.io/x@${digest}`); // B:1494-1502
  });

  it('Buildah: a git context is cloned by kimia with the token in the URL, and that .git/config reaches buildah', async () => {
    const r = await runContainer({
      variant: 'kimia-bud', fsGroup: 1000,
      args: ['--context=https://github.com/org/app.git', '--git-token-file=/secrets/git/token', '--destination=registry.io/x:1'],
      mounts: [{ mountPath: '/secrets/git', source: { files: { token: 'TOKEN123\n' } } }],
    });
    expectClean(r);
    const clone = r.call('git', 'clone');
    // context.go:290-317 and addGitToken :338-360 (user "oauth2", token trimmed); --depth 1 without branch/revision.
    expect(clone.argv).toEqual(['clone', '--depth', '1', 'https://oauth2:TOKEN123@github.com/org/app.git', expect.stringMatching(/^\/home\/kimia\/workspace\/kimia-build-\d+$/)]);
    const bud = r.call('buildah', 'bud');
    expect(bud.argv[bud.argv.length - 1]).toBe(clone.argv[4]);
    expect(bud.fact('context_git_config')).toContain('url = https://oauth2:TOKEN123@github.com/org/app.git');
  });

  it('fails like kimia when the context path is not mounted (issue 11: Job with context.local and no claim)', async () => {
    const r = await runContainer({ variant: 'kimia', args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1'] });
    expect(r.code).toBe(1);
    // context.go:185-188 wrapped by main.go:146, printed by logger.Fatal (main.go:125).
    expect(r.stderr).toContain('[FATAL] failed to prepare build context: context path does not exist: stat /home/kimia/workspace: no such file or directory');
    expect(r.calls).toHaveLength(0);
  });

  it('fails the way the image does when run as another uid (the image\'s /home/kimia belongs to 1000)', async () => {
    const r = await runContainer({
      variant: 'kimia', runAsUser: 1001, runAsGroup: 1001,
      args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1'], mounts: [workspaceMount()],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[FATAL] build failed: failed to create cache directory: mkdir /home/kimia/.cache: permission denied'); // B:683-687
    expect(r.callsOf('rootlesskit')).toHaveLength(0);
  });

  it('a failing fake fails the build: buildctl build exits 1, kimia exits 1 and writes no digest file', async () => {
    const r = await runContainer({
      variant: 'kimia', fsGroup: 1000, fakes: { fail: ['buildctl:build'] },
      args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1', '--digest-file=/tekton/results/IMAGE_DIGEST'],
      mounts: [workspaceMount(), { mountPath: '/tekton/results', source: { emptyDir: {} } }],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[FATAL] build failed: buildkit build failed: exit status 1'); // B:1218-1219
    expect(r.call('buildctl', 'build').exit).toBe(1);
    expect(r.files.exists('/tekton/results/IMAGE_DIGEST')).toBe(false);
  });

  it('--tar-path: the fake writes the docker archive; under $HOME it lives in the container file system only', async () => {
    const r = await runContainer({
      variant: 'kimia', args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1', '--tar-path=/home/kimia/image.tar',
        '--insecure-registry=registry.io'],
      mounts: [workspaceMount()],
    });
    expectClean(r);
    expect(r.call('buildctl', 'build').argv).toContain('type=docker,dest=/home/kimia/image.tar'); // B:1037-1044
    expect(r.files.stat('/home/kimia/image.tar').size).toBeGreaterThan(0);
    expect(r.files.where('/home/kimia/image.tar').persistence).toBe('container');
    // B:727-799: --insecure-registry appends a registry section to the buildkitd.toml buildkitd gets.
    expect(r.call('buildkitd').read('buildkitd.toml')).toContain('\n[registry."registry.io"]\n  http = true\n  insecure = true\n');
  });

  it('runs Tekton and Argo scripts as they do, in the image\'s shell, sharing pod volumes between steps', async () => {
    const pod = new Pod({ fsGroup: 1000, volumes: { results: { emptyDir: {} } } });
    try {
      // Tekton: no shebang, so "#!/bin/sh\nset -e\n" is prepended (pkg/pod/script.go); args are $1…
      const t = await pod.run({
        variant: 'kimia', script: 'printf "%s" "$1" > /tekton/results/IMAGE_URL\nfalse\necho not reached\n',
        args: ['registry.io/x:1'], mounts: [{ mountPath: '/tekton/results', volume: 'results' }],
      });
      expect(t.code).toBe(1);
      expect(t.stdout).not.toContain('not reached');
      expect(t.argv).toEqual([expect.stringMatching(/^\/tekton\/scripts\/script-0-[0-9a-f]{5}$/), 'registry.io/x:1']);
      // Argo: command + args + /argo/staging/script (workflow/controller/operator.go executeScript).
      const a = await pod.run({
        variant: 'kimia', scriptStyle: 'argo', command: ['sh'], script: 'cat /tekton/results/IMAGE_URL; sh --help 2>&1 | head -n 1\n',
        mounts: [{ mountPath: '/tekton/results', volume: 'results', readOnly: true }],
      });
      expect(a.code).toBe(0);
      expect(a.argv).toEqual(['sh', '/argo/staging/script']);
      expect(a.stdout).toMatch(a.shell === 'busybox' ? /^registry\.io\/x:1BusyBox v/ : /^registry\.io\/x:1/);
    } finally {
      pod.cleanup();
    }
  });
});
