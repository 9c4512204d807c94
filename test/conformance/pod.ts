/**
 * Runs one kimia container "as the pod would have it" (issue 11), on this machine, as root:
 *
 * - A private mount + PID namespace (`unshare --mount --pid --fork --kill-child --propagation
 *   private`) whose PID 1 is a generated sh launcher. Nothing it mounts is visible outside, and
 *   when the container's process exits every process left in the namespace is killed (as when a
 *   container's PID 1 exits). The host's /home, /tekton, /workspace… are never touched.
 * - The container's root file system is a fresh host temp directory (kept after the run, so a
 *   test can look at what the container left anywhere, including what is lost with the pod):
 *   the image's files and ownership from the v1.0.25 Dockerfiles (kimia.md §6 and its
 *   correction; see IMAGES below), the host's /usr (read-only: tools and libraries), /bin/sh =
 *   busybox ash as in the Alpine image, /etc = the image's passwd/group/subuid plus the host's
 *   other files, a minimal /dev, a fresh /proc.
 * - /usr/local/bin holds the real kimia binary and the fakes the variant's image has in place of
 *   the real tools (kimia: rootlesskit, buildkitd, buildctl, cosign, git; kimia-bud: buildah,
 *   git). Host binaries of the same tools are hidden, so kimia's `exec.LookPath` back-end
 *   detection (builder.go:86-100) sees exactly what the image has.
 * - Volumes the way the kubelet lays them out: emptyDir (0777, with fsGroup 2777 root:fsGroup),
 *   Secret/ConfigMap/projected files (AtomicWriter layout `..data` -> `..<timestamp>`, modes from
 *   items/defaultMode, with fsGroup group-owned and `mode|0440`, mounted read-only), a host
 *   directory (a prepared workspace or PVC; fsGroup applied only when asked), `subPath` (created
 *   in the volume when missing, symlinks resolved inside the volume), mounts ordered parents
 *   first (as containerd sorts them).
 * - The process: image env + container env (Kubernetes `$(VAR)` expansion in env, command and
 *   args), command/args with the image's ENTRYPOINT/CMD rules, Tekton and Argo `script`s
 *   written where they write them and run as they run them, runAsUser/runAsGroup/fsGroup/
 *   supplementalGroups via `setpriv`, workingDir (default the image's WORKDIR).
 *
 * What it cannot emulate: user namespaces, capabilities and seccomp/AppArmor (the fakes do not
 * need them), networking, a registry, a real BuildKit or Buildah.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kimiaBinary, kimiaStatus } from './kimia-binary';
import { DEFAULT_CRANE_IMAGE } from '../../src/spec/images';

/**
 * The image: kimia (BuildKit) and kimia-bud (Buildah); `crane` is the helper image
 * gcr.io/go-containerregistry/crane/debug (busybox at /busybox, crane a fake) that the project's
 * multi-arch index step runs in.
 */
export type Variant = 'kimia' | 'kimia-bud' | 'crane';

/** A projected file (Secret/ConfigMap key): content, and its mode (items[].mode / defaultMode). */
export interface ProjectedFile { content: string | Buffer; mode?: number }

export type VolumeSource =
  /** An emptyDir; `medium: 'Memory'` makes its root 1777 as a tmpfs is. */
  | { emptyDir: { medium?: 'Memory' } }
  /**
   * Secret, ConfigMap, projected or downwardAPI files, keyed by their path in the volume.
   * `mode` per file (items[].mode), else `defaultMode`, else 0644. Mounted read-only.
   */
  | { files: Record<string, ProjectedFile | string>; defaultMode?: number; kind?: 'secret' | 'configMap' | 'projected' | 'downwardAPI' }
  /**
   * An existing host directory (a prepared workspace, a PVC, a hostPath), bound as is. With
   * `fsGroupOwnership` the pod's fsGroup is applied to it as the kubelet does for a PVC (rw).
   */
  | { hostDir: string; fsGroupOwnership?: boolean };

export interface VolumeMount {
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
  /** The volume: inline, or the name of one of the pod's volumes (`Pod` options). */
  source?: VolumeSource;
  volume?: string;
}

/** What the fakes do (written to /.kimia-harness/fake.env, sourced by every fake). */
export interface FakeOptions {
  /** Calls that fail like the real tool: "git", "git:clone", "buildctl:build", "cosign:sign", "buildah:push", … */
  fail?: string[];
  /** Digest lines buildctl prints: auto (index with attestations, else manifest), manifest, stdout, none. */
  buildctlDigest?: 'auto' | 'manifest' | 'stdout' | 'none';
  /** The password the fake cosign key needs (unset: any password, but COSIGN_PASSWORD must be set). */
  cosignPassword?: string;
  /** Files of the repository the fake `git clone` checks out (default: a Dockerfile). */
  gitFiles?: Record<string, string>;
  gitCommit?: string;
  gitCommitTime?: number;
  /** Revisions `git checkout` does not know. */
  gitUnknownRevs?: string[];
  /** Other settings for the fakes, written to fake.env as is (e.g. FAKE_CRANE_STATE). */
  extra?: Record<string, string>;
}

export interface ContainerDesc {
  /** For messages and the pod's HOSTNAME. */
  name?: string;
  /** The image: ghcr.io/rapidfort/kimia:1.0.25 (BuildKit) or ghcr.io/rapidfort/kimia-bud:1.0.25 (Buildah). */
  variant: Variant;
  command?: string[];
  args?: string[];
  /** Container env in declaration order (later entries may use `$(EARLIER)`). */
  env?: Record<string, string>;
  workingDir?: string;
  /** Default: the image's USER 1000:1000. */
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  supplementalGroups?: number[];
  readOnlyRootFilesystem?: boolean;
  mounts?: VolumeMount[];
  /**
   * A Tekton step or Argo script template body. Tekton (default): written to
   * /tekton/scripts/script-0-<id> (0755, `#!/bin/sh\nset -e\n` prepended when it has no shebang)
   * and run as `<file> <args…>`; `command` is not allowed. Argo: written to /argo/staging/script
   * (0755) and run as `<command…> <args…> /argo/staging/script`.
   */
  script?: string;
  scriptStyle?: 'tekton' | 'argo';
  fakes?: FakeOptions;
  /** Default 30 s; the container is then killed (code 137, timedOut). */
  timeoutMs?: number;
}

/** Where a container path lives, and what keeps it. */
export interface PathInfo {
  /** The host path of the file (after following the container's symlinks and mounts). */
  hostPath: string;
  /** The mountPath of the volume holding it, if any. */
  mountPath?: string;
  /**
   * container: the container's own file system (lost with the container);
   * pod: an emptyDir or projected volume (shared by the pod's containers, lost with the pod);
   * host: a host directory / PVC (outlives the pod);
   * image: the read-only image/host tools (/usr).
   */
  persistence: 'container' | 'pod' | 'host' | 'image';
}

export interface ContainerFiles {
  where(p: string): PathInfo;
  exists(p: string): boolean;
  read(p: string): string;
  readBuffer(p: string): Buffer;
  stat(p: string): fs.Stats;
  /** Entry names of a directory, sorted. */
  list(p: string): string[];
}

/** One recorded call of a fake tool (see fakes/.kimia-fake-lib.sh). */
export interface FakeCall {
  tool: string;
  /** argv[1…] as the tool got them. */
  argv: string[];
  /** The subcommand the fake identified (build, bud, push, sign, clone, debug…), if any. */
  sub?: string;
  /** The exact environment it was given. */
  env: Record<string, string>;
  cwd: string;
  umask: string;
  uid: number;
  gid: number;
  groups: number[];
  /** What the fake saw or answered, by name, in order (e.g. context_listing, digest, key_readable). */
  facts: Record<string, string[]>;
  /** The first value of a fact. */
  fact(name: string): string | undefined;
  /** Attachments (copied files/dirs: buildkitd.toml, Dockerfile, context, docker-config.json): host paths. */
  attachments: Record<string, string>;
  /** An attachment's content (utf8). */
  read(name: string): string;
  /** The status the fake exited with, when it exited by itself (not recorded for exec/kill). */
  exit?: number;
  /** The call's record directory on the host. */
  dir: string;
}

export interface RunResult {
  name: string;
  /** The container's exit code (128+n when killed by signal n, as the kubelet reports it). */
  code: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
  /** Every fake call, in order. */
  calls: FakeCall[];
  callsOf(tool: string, sub?: string): FakeCall[];
  /** The only call of tool (and sub); throws if there is none or more than one. */
  call(tool: string, sub?: string): FakeCall;
  files: ContainerFiles;
  /** What was executed (after image defaults, script placement and $(VAR) expansion). */
  argv: string[];
  env: Record<string, string>;
  uid: number;
  gid: number;
  groups: number[];
  /** The shell behind /bin/sh: busybox (as in the image) or the host's. */
  shell: 'busybox' | 'host';
  durationMs: number;
  /** The run's host directory (rootfs, volumes, fake records); removed by cleanup() or at exit. */
  stageDir: string;
  /** Host directories backing the container's volumes, by mountPath (reuse them with `{hostDir}`). */
  volumeDirs: Record<string, string>;
  cleanup(): void;
}

// ---------------------------------------------------------------------------------------------
// The images (ghcr.io/rapidfort/kimia{,-bud}:1.0.25, built from the Dockerfiles at tag v1.0.25,
// github.com/rapidfort/kimia d240120; reference/kimia.md §6 with its correction).
// ---------------------------------------------------------------------------------------------
const KIMIA_UID = 1000;
const ALPINE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const IMAGE_DIR = path.join(__dirname, 'image');
const FAKES_DIR = path.join(__dirname, 'fakes');

interface ImageEntry { path: string; type: 'dir' | 'file'; mode: number; uid: number; gid: number; content?: string }
interface ImageSpec {
  ref: string;
  env: Array<[string, string]>;
  workdir: string;
  entrypoint: string[];
  cmd: string[];
  /** Fakes installed in /usr/local/bin (the real tools' names). */
  tools: string[];
  entries: ImageEntry[];
  /** Symlinks [container path, target] ('@busybox' = the busybox binary, else the host sh). */
  links?: Array<[string, string]>;
}

const d = (p: string, mode: number, uid = 0, gid = uid): ImageEntry => ({ path: p, type: 'dir', mode, uid, gid });
const f = (p: string, mode: number, uid: number, content: string): ImageEntry => ({ path: p, type: 'file', mode, uid, gid: uid, content });
const imageFile = (rel: string) => fs.readFileSync(path.join(IMAGE_DIR, rel), 'utf8');

/** Directories the Alpine base has. */
const ALPINE_DIRS: ImageEntry[] = [
  d('/root', 0o700), d('/tmp', 0o1777), d('/run', 0o755), d('/var', 0o755), d('/var/lib', 0o755),
  d('/var/tmp', 0o1777), d('/home', 0o755), d('/mnt', 0o755), d('/opt', 0o755), d('/srv', 0o755),
  d('/media', 0o755), d('/sys', 0o555), d('/proc', 0o555), d('/dev', 0o755),
];

function images(): Record<Variant, ImageSpec> {
  return {
    // Dockerfile.buildkit@v1.0.25: adduser -D kimia (home 02755, busybox adduser), .config/buildkit
    // with configs/buildkit/buildkitd.toml and .docker chowned to kimia, /tmp/work and /tmp/run
    // owned by kimia, /run/buildkit and /var/lib/buildkit 0777; USER 1000:1000, WORKDIR /tmp/work,
    // ENV PATH=/usr/local/bin:$PATH XDG_RUNTIME_DIR=/tmp/run HOME=/home/kimia.
    kimia: {
      ref: 'ghcr.io/rapidfort/kimia:1.0.25',
      env: [['PATH', `/usr/local/bin:${ALPINE_PATH}`], ['XDG_RUNTIME_DIR', '/tmp/run'], ['HOME', '/home/kimia']],
      workdir: '/tmp/work',
      entrypoint: ['/usr/local/bin/kimia'],
      cmd: ['--help'],
      tools: ['rootlesskit', 'buildkitd', 'buildctl', 'cosign', 'git'],
      entries: [
        ...ALPINE_DIRS,
        d('/home/kimia', 0o2755, KIMIA_UID),
        d('/home/kimia/.config', 0o2755, KIMIA_UID),
        d('/home/kimia/.config/buildkit', 0o2755, KIMIA_UID),
        f('/home/kimia/.config/buildkit/buildkitd.toml', 0o644, KIMIA_UID, imageFile('buildkit/buildkitd.toml')),
        d('/home/kimia/.docker', 0o2755, KIMIA_UID),
        d('/tmp/work', 0o755, KIMIA_UID), d('/tmp/run', 0o755, KIMIA_UID),
        d('/run/buildkit', 0o777), d('/var/lib/buildkit', 0o777),
      ],
    },
    // Dockerfile.buildah@v1.0.25: ~/.local/share/containers/storage, ~/.config/containers with
    // configs/buildah/*, ~/.docker, all chowned -R to kimia; /tmp/lock 1777; /run/user/1000 owned
    // by kimia; ENV BUILDAH_LOG_LEVEL=error HOME DOCKER_CONFIG XDG_RUNTIME_DIR=/run/user/1000
    // NETAVARK_LOCK_PATH; USER 1000:1000, WORKDIR /home/kimia, PATH=/home/kimia/rapidfort:$PATH.
    'kimia-bud': {
      ref: 'ghcr.io/rapidfort/kimia-bud:1.0.25',
      env: [
        ['PATH', `/home/kimia/rapidfort:${ALPINE_PATH}`], ['BUILDAH_LOG_LEVEL', 'error'], ['HOME', '/home/kimia'],
        ['DOCKER_CONFIG', '/home/kimia/.docker'], ['XDG_RUNTIME_DIR', '/run/user/1000'],
        ['NETAVARK_LOCK_PATH', '/tmp/lock/netavark.lock'],
      ],
      workdir: '/home/kimia',
      entrypoint: ['/usr/local/bin/kimia'],
      cmd: ['--help'],
      tools: ['buildah', 'git'],
      entries: [
        ...ALPINE_DIRS,
        d('/home/kimia', 0o2755, KIMIA_UID),
        d('/home/kimia/.local', 0o2755, KIMIA_UID),
        d('/home/kimia/.local/share', 0o2755, KIMIA_UID),
        d('/home/kimia/.local/share/containers', 0o2755, KIMIA_UID),
        d('/home/kimia/.local/share/containers/storage', 0o2755, KIMIA_UID),
        d('/home/kimia/.config', 0o2755, KIMIA_UID),
        d('/home/kimia/.config/containers', 0o2755, KIMIA_UID),
        ...['storage.conf', 'registries.conf', 'policy.json', 'containers.conf'].map((n) =>
          f(`/home/kimia/.config/containers/${n}`, 0o644, KIMIA_UID, imageFile(`buildah/${n}`))),
        d('/home/kimia/.docker', 0o2755, KIMIA_UID),
        d('/tmp/lock', 0o1777),
        d('/run/user', 0o755), d('/run/user/1000', 0o755, KIMIA_UID),
      ],
    },
    // gcr.io/go-containerregistry/crane/debug (ko on distroless base:debug): busybox applets in
    // /busybox (on PATH), crane at /ko-app/crane (ENTRYPOINT), WORKDIR /, root unless the pod
    // says otherwise. Only crane is faked; the shell is busybox as in the image.
    crane: {
      ref: DEFAULT_CRANE_IMAGE,
      env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox'], ['HOME', '/home/nonroot'],
        ['SSL_CERT_FILE', '/etc/ssl/certs/ca-certificates.crt']],
      workdir: '/',
      entrypoint: ['/ko-app/crane'],
      cmd: [],
      tools: ['crane'],
      entries: [...ALPINE_DIRS, d('/home/nonroot', 0o700, 65532), d('/busybox', 0o755), d('/ko-app', 0o755)],
      links: [['/busybox/sh', '@busybox'], ['/ko-app/crane', '/usr/local/bin/crane']],
    },
  };
}

/** /etc files of both images (Alpine 3.23 + adduser/addgroup kimia + the subuid/subgid lines). */
const ETC: Record<string, string> = {
  passwd: 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\n'
    + 'nobody:x:65534:65534:nobody:/:/sbin/nologin\nkimia:x:1000:1000:Linux User,,,:/home/kimia:/bin/sh\n',
  group: 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nnogroup:x:65533:\nnobody:x:65534:\nkimia:x:1000:\n',
  subuid: 'kimia:100000:65536\n',
  subgid: 'kimia:100000:65536\n',
  shadow: '', gshadow: '',
};
const PASSWD: Array<{ name: string; uid: number; gid: number }> = ETC.passwd.trim().split('\n').map((l) => {
  const [name, , uid, gid] = l.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
});
/** Host binaries hidden from the container (the image has none of these, or has a fake instead). */
const HIDDEN_TOOLS = ['buildkitd', 'buildctl', 'rootlesskit', 'buildah', 'cosign', 'crane', 'regctl', 'skopeo', 'oras',
  'podman', 'docker', 'runc', 'kimia'];

// ---------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------
export type HarnessStatus = { ok: true; shell: 'busybox' | 'host' } | { ok: false; reason: string };
let harness: HarnessStatus | undefined;
let busyboxPath: string | undefined;

/** Can containers run here? root, util-linux (unshare, setpriv, mount), coreutils (env -C, chroot), busybox, and kimia. */
export function harnessStatus(): HarnessStatus {
  if (harness) return harness;
  harness = computeHarnessStatus();
  return harness;
}

function computeHarnessStatus(): HarnessStatus {
  if (process.platform !== 'linux') return { ok: false, reason: 'needs Linux (mount namespaces)' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (unshare -m, mount, setpriv); CI runs as root' };
  const missing = ['unshare', 'mount', 'setpriv', 'chroot', 'env', 'sha256sum', 'tar', 'find', 'sed', 'sleep', 'date', 'cp', 'sort']
    .filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
  if (missing.length) return { ok: false, reason: `missing commands: ${missing.join(', ')} (Debian: util-linux coreutils findutils sed tar)` };
  const probe = spawnSync('unshare', ['--mount', '--pid', '--fork', '--kill-child', '--propagation', 'private', 'env', '-C', '/', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, reason: `unshare --mount --pid --fork --kill-child (or env -C) does not work here: ${(probe.stderr || String(probe.error)).trim()}` };
  const kimia = kimiaStatus();
  if (!kimia.ok) return { ok: false, reason: kimia.reason };
  // The container's root file system and /usr/local live under stageBase(): it must allow exec.
  try {
    fs.mkdirSync(stageBase(), { recursive: true });
    const probeDir = fs.mkdtempSync(path.join(stageBase(), 'kimia-probe-'));
    try {
      fs.writeFileSync(path.join(probeDir, 'x'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      if (spawnSync(path.join(probeDir, 'x')).status !== 0) return { ok: false, reason: `${stageBase()} does not allow executing files (noexec?): set KIMIA_HARNESS_TMP` };
    } finally {
      fs.rmSync(probeDir, { recursive: true, force: true });
    }
  } catch (e) {
    return { ok: false, reason: `cannot use ${stageBase()} for container files: ${String(e)}` };
  }
  const bb = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' });
  if (bb.status === 0 && bb.stdout.trim()) {
    busyboxPath = fs.realpathSync(bb.stdout.trim());
    return { ok: true, shell: 'busybox' };
  }
  if (process.env.CI) return { ok: false, reason: 'no busybox: the kimia images\' /bin/sh is busybox ash (Debian: apt-get install busybox)' };
  return { ok: true, shell: 'host' };
}

let warned = false;
/**
 * describe() when containers can run here; otherwise a visible skip (the title says why), or,
 * when process.env.CI is set, one failing test saying what is missing.
 */
export function describeConformance(title: string, fn: () => void): void {
  const st = harnessStatus();
  if (st.ok) {
    describe(title, fn);
  } else if (process.env.CI) {
    describe(title, () => {
      it('has what the conformance suite needs', () => {
        throw new Error(`conformance suite cannot run: ${st.reason}`);
      });
    });
  } else {
    if (!warned) { warned = true; process.stderr.write(`conformance tests skipped: ${st.reason}\n`); }
    describe.skip(`${title} [skipped: ${st.reason}]`, fn);
  }
}

// ---------------------------------------------------------------------------------------------
// Pods and containers
// ---------------------------------------------------------------------------------------------
interface PreparedVolume {
  hostDir: string;
  readOnly: boolean;
  persistence: PathInfo['persistence'];
}

export interface PodOptions {
  name?: string;
  fsGroup?: number;
  supplementalGroups?: number[];
  /** The pod's volumes, by name, prepared once and shared by every container run in the pod. */
  volumes?: Record<string, VolumeSource>;
}

// Every run's files are removed after the test file (jest) or at exit, unless KIMIA_HARNESS_KEEP is set.
const stages = new Set<string>();
function removeStages(): void {
  if (process.env.KIMIA_HARNESS_KEEP) {
    if (stages.size) process.stderr.write(`KIMIA_HARNESS_KEEP: kept ${[...stages].join(' ')}\n`);
    return;
  }
  for (const s of stages) fs.rmSync(s, { recursive: true, force: true });
  stages.clear();
}
if (typeof afterAll === 'function') afterAll(removeStages);
process.on('exit', removeStages);

/** A pod: shared volumes (and fsGroup) for several containers run one after another, like Tekton steps. */
export class Pod {
  readonly name: string;
  readonly fsGroup?: number;
  readonly supplementalGroups: number[];
  private readonly dir: string;
  private readonly volumes = new Map<string, PreparedVolume>();
  private count = 0;

  constructor(opts: PodOptions = {}) {
    this.name = opts.name ?? 'kimia-conformance';
    this.fsGroup = opts.fsGroup;
    this.supplementalGroups = opts.supplementalGroups ?? [];
    this.dir = fs.mkdtempSync(path.join(stageBase(), 'kimia-pod-'));
    stages.add(this.dir);
    for (const [name, src] of Object.entries(opts.volumes ?? {})) {
      this.volumes.set(name, prepareVolume(src, path.join(this.dir, 'volumes', safeName(name)), this.fsGroup));
    }
  }

  /** The host directory backing one of the pod's volumes. */
  volumeDir(name: string): string {
    const v = this.volumes.get(name);
    if (!v) throw new Error(`pod ${this.name} has no volume ${name}`);
    return v.hostDir;
  }

  async run(desc: ContainerDesc): Promise<RunResult> {
    if (desc.fsGroup !== undefined && desc.fsGroup !== this.fsGroup) throw new Error('fsGroup is a pod setting: give it to the Pod');
    const stage = path.join(this.dir, `c${this.count++}-${safeName(desc.name ?? 'container')}`);
    fs.mkdirSync(stage);
    return runIn(stage, this, { ...desc, fsGroup: this.fsGroup, supplementalGroups: [...this.supplementalGroups, ...(desc.supplementalGroups ?? [])] },
      (name) => this.volumes.get(name));
  }

  /** Remove the pod's files (volumes, root file systems, records). */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    stages.delete(this.dir);
  }
}

/**
 * Run one container in a pod of its own (its mounts' inline sources are the pod's volumes).
 *
 * @example
 *   const r = await runContainer({
 *     variant: 'kimia', runAsUser: 1000, fsGroup: 1000,
 *     args: ['--context=/home/kimia/workspace', '--destination=registry.io/x:1'],
 *     mounts: [{ mountPath: '/home/kimia/workspace', source: { hostDir: ws } }],
 *   });
 *   r.code; r.call('buildctl', 'build').argv; r.files.read('/tekton/results/IMAGE_DIGEST');
 */
export async function runContainer(desc: ContainerDesc): Promise<RunResult> {
  const pod = new Pod({ name: desc.name, fsGroup: desc.fsGroup, supplementalGroups: desc.supplementalGroups });
  return pod.run({ ...desc, supplementalGroups: [] });
}

/** Where runs are staged: KIMIA_HARNESS_TMP, else os.tmpdir(). */
function stageBase(): string {
  return process.env.KIMIA_HARNESS_TMP ?? os.tmpdir();
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'x';
}

/** Lay a volume out on the host as the kubelet would (before fsGroup is applied by setVolumeOwnership). */
function prepareVolume(src: VolumeSource, dir: string, fsGroup: number | undefined): PreparedVolume {
  if ('hostDir' in src) {
    const real = fs.realpathSync(src.hostDir);
    if (!fs.statSync(real).isDirectory()) throw new Error(`hostDir ${src.hostDir} is not a directory`);
    if (src.fsGroupOwnership && fsGroup !== undefined) setVolumeOwnership(real, fsGroup, false);
    return { hostDir: real, readOnly: false, persistence: 'host' };
  }
  fs.mkdirSync(dir, { recursive: true });
  if ('emptyDir' in src) {
    // emptydir/empty_dir.go setupDir: 0777 (a Memory medium is a tmpfs, whose root is 1777).
    fs.chmodSync(dir, src.emptyDir?.medium === 'Memory' ? 0o1777 : 0o777);
    if (fsGroup !== undefined) setVolumeOwnership(dir, fsGroup, false);
    return { hostDir: dir, readOnly: false, persistence: 'pod' };
  }
  // Secret/ConfigMap/projected/downwardAPI: a wrapped emptyDir (Memory for all but ConfigMap)
  // written by the AtomicWriter: files in ..<timestamp>/ (0755), ..data -> it, and one symlink
  // per top-level name -> ..data/<name>; then SetVolumeOwnership with the read-only mask.
  fs.chmodSync(dir, src.kind === 'configMap' ? 0o777 : 0o1777);
  const ts = `..${new Date().toISOString().replace(/[-:]/g, '_').replace('T', '_').replace(/\..*/, '')}.${crypto.randomInt(1e9)}`;
  fs.mkdirSync(path.join(dir, ts), { mode: 0o755 });
  fs.chmodSync(path.join(dir, ts), 0o755);
  const top = new Set<string>();
  for (const [name, entry] of Object.entries(src.files)) {
    const rel = path.posix.normalize(name);
    if (!rel || rel.startsWith('..') || path.posix.isAbsolute(rel) || rel.split('/').some((c) => c.startsWith('..'))) {
      throw new Error(`invalid projected file path ${JSON.stringify(name)}`);
    }
    const e = typeof entry === 'string' ? { content: entry } : entry;
    const p = path.join(dir, ts, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, e.content);
    fs.chmodSync(p, e.mode ?? src.defaultMode ?? 0o644);
    top.add(rel.split('/')[0]);
  }
  fs.symlinkSync(ts, path.join(dir, '..data'));
  for (const t of top) fs.symlinkSync(path.posix.join('..data', t), path.join(dir, t));
  if (fsGroup !== undefined) setVolumeOwnership(dir, fsGroup, true);
  return { hostDir: dir, readOnly: true, persistence: 'pod' };
}

/** pkg/volume/volume_linux.go changeFilePermission over the whole volume: group fsGroup, mode|0660 (ro: 0440), dirs also setgid and g+x. */
function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): void {
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    fs.lchownSync(p, st.uid, fsGroup);
    if (st.isSymbolicLink()) return;
    let mask = readOnly ? 0o440 : 0o660;
    if (st.isDirectory()) mask |= 0o2000 | 0o110;
    fs.chmodSync(p, (st.mode & 0o7777) | mask);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
}

interface Bind {
  /** Container path. */
  target: string;
  /** Host path (a directory or a file). */
  source: string;
  file: boolean;
  readOnly: boolean;
  persistence: PathInfo['persistence'];
  /** A volume's mountPath (for PathInfo). */
  mountPath?: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const depth = (p: string) => p.split('/').filter(Boolean).length;

/** Kubernetes $(VAR) expansion (third_party/forked/golang/expansion): $$ -> $, $(NAME) -> value if defined. */
export function expandK8s(s: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$' || i + 1 >= s.length) { out += s[i]; continue; }
    const n = s[i + 1];
    if (n === '$') { out += '$'; i++; continue; }
    if (n === '(') {
      const end = s.indexOf(')', i + 2);
      if (end === -1) { out += s.slice(i); break; }
      const name = s.slice(i + 2, end);
      out += Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : `$(${name})`;
      i = end;
      continue;
    }
    out += '$';
  }
  return out;
}

async function runIn(stage: string, pod: Pod, desc: ContainerDesc, podVolume: (name: string) => PreparedVolume | undefined): Promise<RunResult> {
  const st = harnessStatus();
  if (!st.ok) throw new Error(`cannot run containers here: ${st.reason}`);
  const kimia = kimiaBinary();
  const image = images()[desc.variant];
  if (!image) throw new Error(`unknown variant ${String(desc.variant)}`);
  const shell = st.shell;
  const name = desc.name ?? pod.name;
  const root = path.join(stage, 'root');
  const hidden = path.join(stage, 'hidden');
  const harnessDir = path.join(stage, 'harness');
  const usrLocal = path.join(stage, 'usr-local');

  // ---- the process: user, groups, env, argv ----
  const uid = desc.runAsUser ?? KIMIA_UID;
  const gid = desc.runAsGroup ?? (desc.runAsUser === undefined ? KIMIA_UID : PASSWD.find((p) => p.uid === uid)?.gid ?? 0);
  const groups = [...new Set([...(desc.fsGroup !== undefined ? [desc.fsGroup] : []), ...(desc.supplementalGroups ?? [])])];
  const declared: Record<string, string> = {};
  for (const [k, v] of Object.entries(desc.env ?? {})) declared[k] = expandK8s(v, declared);
  const env: Record<string, string> = { ...Object.fromEntries(image.env), HOSTNAME: name, ...declared };
  const ex = (a: string[]) => a.map((s) => expandK8s(s, declared));
  let argv: string[];
  let script: { path: string; content: string } | undefined;
  if (desc.script !== undefined) {
    if ((desc.scriptStyle ?? 'tekton') === 'tekton') {
      if (desc.command) throw new Error('a Tekton step cannot have both script and command');
      const content = desc.script.trim().startsWith('#!') ? desc.script : `#!/bin/sh\nset -e\n${desc.script}`;
      script = { path: `/tekton/scripts/script-0-${crypto.randomBytes(3).toString('hex').slice(0, 5)}`, content };
      argv = [script.path, ...ex(desc.args ?? [])];
    } else {
      if (!desc.command?.length) throw new Error('an Argo script template needs a command');
      script = { path: '/argo/staging/script', content: desc.script };
      argv = [...ex(desc.command), ...ex(desc.args ?? []), script.path];
    }
  } else if (desc.command) {
    argv = [...ex(desc.command), ...ex(desc.args ?? [])];
  } else {
    argv = [...image.entrypoint, ...(desc.args ? ex(desc.args) : image.cmd)];
  }
  const workdir = desc.workingDir ?? image.workdir;
  const result = (code: number, stdout: string, stderr: string, started: number, timedOut: boolean, binds: Bind[]): RunResult => {
    const calls = readCalls(path.join(harnessDir, 'calls'));
    const files = containerFiles(binds);
    const callsOf = (tool: string, sub?: string) => calls.filter((c) => c.tool === tool && (sub === undefined || c.sub === sub));
    return {
      name, code, timedOut, stdout, stderr, output: stdout + stderr, calls, callsOf,
      call(tool, sub) {
        const m = callsOf(tool, sub);
        if (m.length !== 1) throw new Error(`expected one ${tool}${sub ? ` ${sub}` : ''} call, got ${m.length} (calls: ${calls.map((c) => `${c.tool} ${c.sub ?? ''}`.trim()).join(', ') || 'none'})`);
        return m[0];
      },
      files, argv, env, uid, gid, groups, shell, durationMs: Date.now() - started, stageDir: stage,
      volumeDirs: Object.fromEntries(binds.filter((b) => b.mountPath).map((b) => [b.mountPath!, b.source])),
      cleanup: () => pod.cleanup(),
    };
  };
  const started = Date.now();
  if (desc.runAsNonRoot && uid === 0) {
    // kubelet refuses to create the container (CreateContainerConfigError).
    return result(-1, '', 'Error: container has runAsNonRoot and image will run as root', started, false,
      [{ target: '/', source: root, file: false, readOnly: false, persistence: 'container' }]);
  }

  // ---- the root file system: the image ----
  fs.mkdirSync(root, { mode: 0o755 });
  for (const e of image.entries) {
    const p = path.join(root, e.path);
    if (e.type === 'dir') fs.mkdirSync(p, { recursive: true });
    else fs.writeFileSync(p, e.content ?? '');
    fs.chownSync(p, e.uid, e.gid);
    fs.chmodSync(p, e.mode);
  }
  for (const [p, target] of image.links ?? []) {
    fs.symlinkSync(target === '@busybox' ? (shell === 'busybox' && busyboxPath ? busyboxPath : '/bin/sh') : target, path.join(root, p));
  }
  for (const top of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const host = `/${top}`;
    let lst: fs.Stats;
    try { lst = fs.lstatSync(host); } catch { continue; }
    if (lst.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(host), path.join(root, top));
    else fs.mkdirSync(path.join(root, top));
  }
  fs.mkdirSync(path.join(root, 'usr'));
  // /etc: the image's account files; everything else from the host (mounted at /.kimia-host-etc).
  fs.mkdirSync(path.join(root, 'etc'), { mode: 0o755 });
  fs.mkdirSync(path.join(root, '.kimia-host-etc'));
  for (const n of fs.readdirSync('/etc')) {
    if (n in ETC || n === 'hostname' || n === 'hosts') continue;
    fs.symlinkSync(`/.kimia-host-etc/${n}`, path.join(root, 'etc', n));
  }
  for (const [n, content] of Object.entries(ETC)) {
    fs.writeFileSync(path.join(root, 'etc', n), content);
    fs.chmodSync(path.join(root, 'etc', n), n.endsWith('shadow') ? 0o640 : 0o644);
  }
  fs.writeFileSync(path.join(root, 'etc', 'hostname'), `${name}\n`);
  fs.writeFileSync(path.join(root, 'etc', 'hosts'), `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.0.10\t${name}\n`);
  // /dev: the runtime's minimal set.
  const devs = ['null', 'zero', 'full', 'random', 'urandom', 'tty'].filter((n) => fs.existsSync(`/dev/${n}`));
  for (const n of devs) fs.writeFileSync(path.join(root, 'dev', n), '');
  fs.mkdirSync(path.join(root, 'dev', 'shm'));
  fs.symlinkSync('/proc/self/fd', path.join(root, 'dev', 'fd'));
  ['stdin', 'stdout', 'stderr'].forEach((n, i) => fs.symlinkSync(`/proc/self/fd/${i}`, path.join(root, 'dev', n)));
  // The script, where Tekton's place-scripts / Argo's executor writes it.
  if (script) {
    const p = path.join(root, script.path);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, script.content, { mode: 0o755 });
    fs.chmodSync(p, 0o755);
  }

  // ---- /usr/local: kimia and the fakes this image has ----
  fs.mkdirSync(path.join(usrLocal, 'bin'), { recursive: true });
  try { fs.linkSync(kimia, path.join(usrLocal, 'bin', 'kimia')); } catch { fs.copyFileSync(kimia, path.join(usrLocal, 'bin', 'kimia')); }
  fs.chmodSync(path.join(usrLocal, 'bin', 'kimia'), 0o755);
  for (const t of [...image.tools, '.kimia-fake-lib.sh']) {
    fs.copyFileSync(path.join(FAKES_DIR, t), path.join(usrLocal, 'bin', t));
    fs.chmodSync(path.join(usrLocal, 'bin', t), t.startsWith('.') ? 0o644 : 0o755);
  }
  fs.writeFileSync(hidden, '');
  fs.chmodSync(hidden, 0o644);

  // ---- the harness directory: fake records and configuration ----
  fs.mkdirSync(path.join(harnessDir, 'calls'), { recursive: true });
  fs.chmodSync(path.join(harnessDir, 'calls'), 0o1777);
  fs.mkdirSync(path.join(root, '.kimia-harness'));
  const fk = desc.fakes ?? {};
  const conf: Array<[string, string | undefined]> = [
    ['FAKE_FAIL', fk.fail?.join(' ')],
    ['FAKE_BUILDCTL_DIGEST', fk.buildctlDigest],
    ['FAKE_COSIGN_PASSWORD', fk.cosignPassword],
    ['FAKE_GIT_COMMIT', fk.gitCommit],
    ['FAKE_GIT_COMMIT_TIME', fk.gitCommitTime?.toString()],
    ['FAKE_GIT_UNKNOWN_REVS', fk.gitUnknownRevs?.join(' ')],
    ...Object.entries(fk.extra ?? {}),
  ];
  fs.writeFileSync(path.join(harnessDir, 'fake.env'), conf.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${q(v!)}\n`).join(''));
  const gitSrc = path.join(harnessDir, 'git-source');
  fs.mkdirSync(gitSrc);
  for (const [n, c] of Object.entries(fk.gitFiles ?? { Dockerfile: 'FROM alpine:3.20\nCOPY . /src\n' })) {
    fs.mkdirSync(path.dirname(path.join(gitSrc, n)), { recursive: true });
    fs.writeFileSync(path.join(gitSrc, n), c);
  }
  spawnSync('chmod', ['-R', 'a+rX', harnessDir]);

  // ---- mounts ----
  const binds: Bind[] = [
    { target: '/', source: root, file: false, readOnly: !!desc.readOnlyRootFilesystem, persistence: 'container' },
    { target: '/usr', source: '/usr', file: false, readOnly: true, persistence: 'image' },
    { target: '/usr/local', source: usrLocal, file: false, readOnly: true, persistence: 'image' },
    { target: '/.kimia-host-etc', source: '/etc', file: false, readOnly: true, persistence: 'image' },
    { target: '/.kimia-harness', source: harnessDir, file: false, readOnly: false, persistence: 'host' },
  ];
  for (const top of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    try { if (fs.lstatSync(`/${top}`).isDirectory()) binds.push({ target: `/${top}`, source: `/${top}`, file: false, readOnly: true, persistence: 'image' }); } catch { /* absent */ }
  }
  const overlays: Bind[] = [];
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    for (const t of HIDDEN_TOOLS) {
      let isFile = false;
      try { isFile = !fs.statSync(path.join(dir, t)).isDirectory(); } catch { /* absent */ }
      if (isFile) overlays.push({ target: path.join(dir, t), source: hidden, file: true, readOnly: true, persistence: 'image' });
    }
  }
  if (fs.existsSync('/usr/bin/git')) {
    // The kimia images' git is the fake; an image without git (crane) does not see the host's.
    const src = image.tools.includes('git') ? path.join(usrLocal, 'bin', 'git') : hidden;
    overlays.push({ target: '/usr/bin/git', source: src, file: true, readOnly: true, persistence: 'image' });
  }
  if (shell === 'busybox' && busyboxPath) overlays.push({ target: '/usr/bin/sh', source: busyboxPath, file: true, readOnly: true, persistence: 'image' });
  // Only paths that resolve inside /usr (merged-usr hosts have /bin -> usr/bin).
  const seen = new Set<string>();
  for (const o of overlays) {
    const real = realHostPath(o.target);
    if (!real || seen.has(real)) continue;
    seen.add(real);
    binds.push({ ...o, target: real });
  }
  for (const n of devs) binds.push({ target: `/dev/${n}`, source: `/dev/${n}`, file: true, readOnly: false, persistence: 'image' });

  const volMounts: Bind[] = [];
  const mountPaths = new Set<string>();
  let inline = 0;
  for (const m of desc.mounts ?? []) {
    const mp = path.posix.normalize(m.mountPath);
    if (!path.posix.isAbsolute(mp)) throw new Error(`mountPath ${m.mountPath} must be absolute`);
    if (mountPaths.has(mp)) throw new Error(`duplicate mountPath ${mp}`);
    mountPaths.add(mp);
    let vol: PreparedVolume | undefined;
    if (m.volume) {
      vol = podVolume(m.volume);
      if (!vol) throw new Error(`mount ${mp}: the pod has no volume ${m.volume}`);
    } else if (m.source) {
      vol = prepareVolume(m.source, path.join(stage, 'volumes', `${inline++}-${safeName(mp)}`), desc.fsGroup);
    } else {
      throw new Error(`mount ${mp}: needs a source or a volume`);
    }
    let source = vol.hostDir;
    if (m.subPath) {
      const sp = path.posix.normalize(m.subPath);
      if (path.posix.isAbsolute(sp) || sp.startsWith('..')) throw new Error(`subPath ${m.subPath} must be a relative path inside the volume`);
      const p = path.join(vol.hostDir, sp);
      if (!fs.existsSync(p)) {
        // kubelet_pods.go makeMounts: SafeMakeDir with the volume root's mode (and its group via setgid).
        const rootSt = fs.statSync(vol.hostDir);
        fs.mkdirSync(p, { recursive: true });
        fs.chownSync(p, 0, rootSt.gid);
        fs.chmodSync(p, rootSt.mode & 0o7777);
      }
      source = fs.realpathSync(p);
      const volReal = fs.realpathSync(vol.hostDir);
      if (source !== volReal && !source.startsWith(`${volReal}/`)) throw new Error(`subPath ${m.subPath} resolves outside its volume`);
    }
    volMounts.push({
      target: mp, source, file: !fs.statSync(source).isDirectory(), readOnly: vol.readOnly || !!m.readOnly,
      persistence: vol.persistence, mountPath: mp,
    });
  }
  // containerd sorts mounts parents first (fewest path components first), stably.
  volMounts.sort((a, b) => depth(a.target) - depth(b.target));
  binds.push(...volMounts);

  // ---- the launcher (PID 1 of the namespace) ----
  const R = root;
  const lines: string[] = [
    '#!/bin/sh',
    '# Generated by test/conformance/pod.ts: sets up the container\'s mounts, runs it, kills what is left.',
    'set -eu',
    `S=${q(stage)}; R=${q(R)}`,
    'exec 3>&1 4>&2 1>>"$S/setup.log" 2>&1',
    'mount --bind "$R" "$R"',
    'mount -t proc proc "$R/proc"',
    'mount -t sysfs -o ro sysfs "$R/sys" 2>/dev/null || :',
    'mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"',
  ];
  for (const b of binds.slice(1)) {
    const t = `"$R"${q(b.target)}`;
    lines.push(b.file ? `[ -e ${t} ] || { mkdir -p "$(dirname ${t})"; : > ${t}; }` : `mkdir -p ${t}`);
    lines.push(`mount --bind ${q(b.source)} ${t}`);
    if (b.readOnly) lines.push(`mount -o remount,bind,ro ${t}`);
  }
  lines.push(`mkdir -p "$R"${q(workdir)}`);
  if (desc.readOnlyRootFilesystem) lines.push('mount -o remount,bind,ro "$R"');
  const setpriv = ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${gid}`, groups.length ? `--groups=${groups.join(',')}` : '--clear-groups', '--'];
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  lines.push(
    'exec 1>&3 2>&4 3>&- 4>&-',
    'set +e',
    `chroot "$R" /usr/bin/env -i -C ${q(workdir)} ${envArgs.map(q).join(' ')} ${[...setpriv, ...argv].map(q).join(' ')} </dev/null &`,
    'pid=$!',
    'wait "$pid"; rc=$?',
    'kill -KILL -1 2>/dev/null',
    'echo "$rc" > "$S/exit"',
    'exit 0',
  );
  const launcher = path.join(stage, 'launcher.sh');
  fs.writeFileSync(launcher, `${lines.join('\n')}\n`, { mode: 0o755 });

  const timeoutMs = desc.timeoutMs ?? 30_000;
  const out = await new Promise<{ stdout: string; stderr: string; timedOut: boolean }>((resolve, reject) => {
    const child = spawn('unshare', ['--mount', '--pid', '--fork', '--kill-child', '--propagation', 'private', '/bin/sh', launcher], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    const o: Buffer[] = [];
    const e: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => o.push(b));
    child.stderr.on('data', (b: Buffer) => e.push(b));
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(o).toString('utf8'), stderr: Buffer.concat(e).toString('utf8'), timedOut });
    });
  });
  const exitFile = path.join(stage, 'exit');
  if (!fs.existsSync(exitFile)) {
    if (out.timedOut) return result(137, out.stdout, out.stderr, started, true, binds);
    const log = fs.existsSync(path.join(stage, 'setup.log')) ? fs.readFileSync(path.join(stage, 'setup.log'), 'utf8') : '';
    throw new Error(`container ${name}: the harness failed to start it:\n${log}${out.stderr}`);
  }
  return result(Number(fs.readFileSync(exitFile, 'utf8').trim()), out.stdout, out.stderr, started, out.timedOut, binds);
}

/** The host path a host file resolves to (symlinks followed), or undefined if it does not exist. */
function realHostPath(p: string): string | undefined {
  try { return fs.realpathSync(p); } catch { return undefined; }
}

function containerFiles(binds: Bind[]): ContainerFiles {
  const sorted = [...binds].sort((a, b) => b.target.length - a.target.length);
  const mountOf = (cp: string) => sorted.find((b) => cp === b.target || b.target === '/' || cp.startsWith(`${b.target}/`))!;
  const toHost = (cp: string) => {
    const b = mountOf(cp);
    return { bind: b, host: path.join(b.source, path.posix.relative(b.target, cp)) };
  };
  const resolve = (p: string): { bind: Bind; host: string } => {
    if (!path.posix.isAbsolute(p)) throw new Error(`container path ${p} must be absolute`);
    let parts = path.posix.normalize(p).split('/').filter(Boolean);
    let cur = '/';
    let hops = 0;
    while (parts.length) {
      const next = path.posix.join(cur, parts.shift()!);
      const { host } = toHost(next);
      let lst: fs.Stats | undefined;
      try { lst = fs.lstatSync(host); } catch { /* does not exist: map the rest as is */ }
      if (lst?.isSymbolicLink() && !binds.some((b) => b.target === next)) {
        if (++hops > 40) throw new Error(`too many symlinks resolving ${p}`);
        const t = fs.readlinkSync(host);
        const joined = path.posix.isAbsolute(t) ? t : path.posix.join(cur, t);
        parts = [...path.posix.normalize(joined).split('/').filter(Boolean), ...parts];
        cur = '/';
        continue;
      }
      cur = next;
    }
    return toHost(cur);
  };
  return {
    where(p) {
      const { bind, host } = resolve(p);
      return { hostPath: host, mountPath: bind.mountPath, persistence: bind.persistence };
    },
    exists: (p) => fs.existsSync(resolve(p).host),
    read: (p) => fs.readFileSync(resolve(p).host, 'utf8'),
    readBuffer: (p) => fs.readFileSync(resolve(p).host),
    stat: (p) => fs.statSync(resolve(p).host),
    list: (p) => fs.readdirSync(resolve(p).host).sort(),
  };
}

/** Parse the fakes' records (fakes/.kimia-fake-lib.sh), in call order. */
export function readCalls(dir: string): FakeCall[] {
  if (!fs.existsSync(dir)) return [];
  const names = fs.readdirSync(dir).filter((n) => /^\d+\.\d+\.[^/]+$/.test(n));
  const key = (n: string) => { const [t, p] = n.split('.'); return [BigInt(t), Number(p)] as const; };
  names.sort((a, b) => { const [ta, pa] = key(a); const [tb, pb] = key(b); return ta < tb ? -1 : ta > tb ? 1 : pa - pb; });
  return names.map((n) => {
    const cdir = path.join(dir, n);
    const rec = fs.existsSync(path.join(cdir, 'record')) ? fs.readFileSync(path.join(cdir, 'record'), 'utf8').split('\0') : [];
    const argv: string[] = [];
    const facts: Record<string, string[]> = {};
    const attachments: Record<string, string> = {};
    let tool = n.split('.').slice(2).join('.');
    let cwd = '';
    let umask = '';
    let exit: number | undefined;
    for (let i = 0; i + 1 < rec.length; i += 2) {
      const [k, v] = [rec[i], rec[i + 1]];
      if (k === 'tool') tool = v;
      else if (k === 'arg') argv.push(v);
      else if (k === 'cwd') cwd = v;
      else if (k === 'umask') umask = v;
      else if (k === 'exit') exit = Number(v);
      else if (k.startsWith('fact:')) (facts[k.slice(5)] ??= []).push(v);
      else if (k.startsWith('file:')) attachments[k.slice(5)] = path.join(cdir, v);
    }
    const env: Record<string, string> = {};
    if (fs.existsSync(path.join(cdir, 'environ'))) {
      for (const kv of fs.readFileSync(path.join(cdir, 'environ'), 'utf8').split('\0')) {
        const i = kv.indexOf('=');
        if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    const status = fs.existsSync(path.join(cdir, 'status')) ? fs.readFileSync(path.join(cdir, 'status'), 'utf8') : '';
    const field = (f: string) => new RegExp(`^${f}:\\s*(.*)$`, 'm').exec(status)?.[1].trim().split(/\s+/).filter(Boolean).map(Number) ?? [];
    return {
      tool, argv, sub: facts.subcommand?.[0] || undefined, env, cwd, umask,
      uid: field('Uid')[0] ?? -1, gid: field('Gid')[0] ?? -1, groups: field('Groups'),
      facts, fact: (k: string) => facts[k]?.[0], attachments,
      read: (a: string) => {
        if (!attachments[a]) throw new Error(`${tool} call has no attachment ${a} (has: ${Object.keys(attachments).join(', ') || 'none'})`);
        return fs.readFileSync(attachments[a], 'utf8');
      },
      exit, dir: cdir,
    };
  });
}
