import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import {
  SIGN_ARGS_MARKER, SIGN_SCRIPT,
  BUILD_ARGS_MARKER, BUILD_SCRIPT, containerSecurityContext, EPOCH_SCRIPT, EXTRA_ARGS_MARKER, KimiaBuildPipeline,
  KimiaBuildTask, loadConfig, parseBuildSpec, renderBundle, stepSecurityContext, type BuildSpecInput,
} from '../src/internal';
import { BASE, synthJob } from './helpers';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const catalogSpec = examples.builds.find((b) => b.name === 'kimia-build')!;
/** The Artifact Hub annotations of the example's tekton.maintainers and tekton.catalogUrl. */
const EXPECTED_AH = {
  'artifacthub.io/links': '- name: "source"\n  url: "https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist"',
  'artifacthub.io/maintainers': '- name: "kimia-bundles maintainers"\n  email: "maintainers@example.com"',
};
const V = catalogSpec.version;

function synthTekton(spec: BuildSpecInput) {
  const chart = Testing.chart();
  const task = new KimiaBuildTask(chart, 'task', { spec });
  new KimiaBuildPipeline(chart, 'pipeline', { task });
  const [taskDoc, pipelineDoc] = Testing.synth(chart);
  const steps = taskDoc.spec.steps;
  return { taskDoc, pipelineDoc, steps, build: steps.find((s: { name: string }) => s.name === 'build') };
}

const names = (list: Array<{ name: string }> = []) => list.map((x) => x.name);

describe('KimiaBuildTask (catalog example)', () => {
  let { taskDoc, steps, build } = {} as ReturnType<typeof synthTekton>;
  beforeEach(() => ({ taskDoc, steps, build } = synthTekton(catalogSpec)));

  it('is a tekton.dev/v1 Task with catalog metadata', () => {
    expect(taskDoc.apiVersion).toBe('tekton.dev/v1');
    expect(taskDoc.kind).toBe('Task');
    expect(taskDoc.metadata).toEqual({
      name: 'kimia-build',
      labels: { 'app.kubernetes.io/version': V },
      annotations: {
        'tekton.dev/pipelines.minVersion': '0.50.0',
        'tekton.dev/categories': 'Image Build',
        'tekton.dev/tags': 'image-build, kimia, buildkit, rootless',
        'tekton.dev/displayName': 'kimia kimia-build',
        'tekton.dev/platforms': 'linux/amd64,linux/arm64',
        // Artifact Hub's Tekton annotations (tektoncd-catalog/git-clone v1.7.0 git-clone.yaml carries the same keys).
        'artifacthub.io/license': 'Apache-2.0',
        'artifacthub.io/category': 'integration-delivery',
        ...EXPECTED_AH,
        'container.apparmor.security.beta.kubernetes.io/step-build': 'unconfined',
      },
    });
    expect(taskDoc.spec.description).toMatch(/^Build, attest and sign a container image/);
  });
  it('declares the catalog params, each with a description and no enum', () => {
    expect(names(taskDoc.spec.params)).toEqual(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS', 'CHAINS-GIT_URL', 'CHAINS-GIT_COMMIT', 'SOURCE_DATE_EPOCH']);
    for (const p of taskDoc.spec.params) {
      expect(p.description).toEqual(expect.any(String));
      expect(p.enum).toBeUndefined();
    }
    const byName = Object.fromEntries(taskDoc.spec.params.map((p: { name: string }) => [p.name, p]));
    expect(byName.BUILD_ARGS).toMatchObject({ type: 'array', default: [] });
    expect(byName.EXTRA_ARGS).toMatchObject({ type: 'array', default: [] });
    expect(byName.BUILDER_IMAGE.default).toBe('ghcr.io/rapidfort/kimia:1.0.25');
    expect(byName.IMAGE.default).toBeUndefined();
  });
  it('mounts the source where kimia accepts a local context, with optional dockerconfig; the signing Secrets are volumes, not a workspace', () => {
    expect(taskDoc.spec.workspaces.map((w: Record<string, unknown>) => ({ name: w.name, mountPath: w.mountPath, optional: w.optional, readOnly: w.readOnly }))).toEqual([
      { name: 'source', mountPath: '/home/kimia/workspace', optional: undefined, readOnly: undefined },
      { name: 'dockerconfig', mountPath: '/home/kimia/.docker', optional: true, readOnly: true },
    ]);
    // The Secrets the example's signing block names (examples/kimia-bundles.yaml: cosign-keys).
    expect(taskDoc.spec.volumes).toEqual([
      { name: 'cosign-key', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.key', path: 'cosign.key' }], defaultMode: 0o440 } },
      { name: 'cosign-password', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.password', path: 'password' }], defaultMode: 0o440 } },
    ]);
  });
  it('reports IMAGE_DIGEST, IMAGE_URL and SOURCE_DATE_EPOCH for Chains and provenance', () => {
    expect(names(taskDoc.spec.results)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'SOURCE_DATE_EPOCH']);
    expect(build.args).toContain('--digest-file=$(results.IMAGE_DIGEST.path)');
    expect(build.env).toEqual(expect.arrayContaining([
      { name: 'KIMIA_IMAGE_URL', value: '$(params.IMAGE)' },
      { name: 'KIMIA_IMAGE_URL_FILE', value: '$(results.IMAGE_URL.path)' },
    ]));
  });
  it('computes SOURCE_DATE_EPOCH from the last commit in a step before the build', () => {
    expect(names(steps)).toEqual(['source-date-epoch', 'build', 'sign']);
    // The builder's own image (git 2.52, uid 1000): no second image to pull, one BUILDER_IMAGE override or mirror for both.
    expect(steps[0]).toMatchObject({ image: '$(params.BUILDER_IMAGE)', script: EPOCH_SCRIPT });
    expect(steps[0].env).toEqual([
      { name: 'SOURCE_DIR', value: '$(workspaces.source.path)' },
      { name: 'EPOCH_FILE', value: '$(results.SOURCE_DATE_EPOCH.path)' },
      { name: 'EPOCH_OVERRIDE', value: '$(params.SOURCE_DATE_EPOCH)' },
    ]);
    expect(taskDoc.spec.params.find((p: { name: string }) => p.name === 'SOURCE_DATE_EPOCH')).toMatchObject({ type: 'string', default: '' });
    expect(build.env).toContainEqual({ name: 'KIMIA_EPOCH_FILE', value: '$(results.SOURCE_DATE_EPOCH.path)' });
  });
  it('the epoch step: the param when given (digits only), else the last commit time', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-epoch-'));
    try {
      const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { env: { ...process.env, GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0000' } });
      git('init', '-q');
      git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'x');
      const run = (override: string) => {
        const file = path.join(dir, `epoch-${override.length}`);
        const r = spawnSync('sh', ['-c', EPOCH_SCRIPT], { encoding: 'utf8', env: { PATH: process.env.PATH, SOURCE_DIR: dir, EPOCH_FILE: file, EPOCH_OVERRIDE: override } });
        return { code: r.status, epoch: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined, err: r.stderr };
      };
      expect(run('')).toMatchObject({ code: 0, epoch: '1700000000' });
      expect(run('1600000000')).toMatchObject({ code: 0, epoch: '1600000000' });
      expect(run('$(id)')).toMatchObject({ code: 2, epoch: undefined, err: 'kimia-bundles: SOURCE_DATE_EPOCH must be Unix seconds (digits only)\n' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('runs kimia with params only in args and env, arrays as whole [*] elements', () => {
    expect(build.image).toBe('$(params.BUILDER_IMAGE)');
    expect(build.script).toBe(BUILD_SCRIPT);
    expect(build.command).toBeUndefined();
    expect(build.args).toEqual([
      '--context=/home/kimia/workspace',
      '--context-sub-path=$(params.CONTEXT)',
      '--dockerfile=$(params.DOCKERFILE)',
      '--destination=$(params.IMAGE)',
      '--reproducible',
      '--attestation=max',
      '--digest-file=$(results.IMAGE_DIGEST.path)',
      BUILD_ARGS_MARKER, '$(params.BUILD_ARGS[*])',
      EXTRA_ARGS_MARKER, '$(params.EXTRA_ARGS[*])',
    ]);
  });
  it('signs in a later step that alone mounts the key and password volumes (signing.in: isolated)', () => {
    const sign = steps.find((st: { name: string }) => st.name === 'sign');
    expect(sign).toMatchObject({ image: '$(params.BUILDER_IMAGE)', script: SIGN_SCRIPT });
    expect(sign.workspaces).toBeUndefined();
    expect(sign.volumeMounts).toEqual([
      { name: 'cosign-key', mountPath: '/secrets', readOnly: true },
      { name: 'cosign-password', mountPath: '/etc/kimia/cosign-password', readOnly: true },
    ]);
    expect(sign.args).toEqual(['--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false', SIGN_ARGS_MARKER, '$(params.IMAGE)']);
    expect(sign.env).toEqual([
      { name: 'KIMIA_DIGEST_FILE', value: '$(results.IMAGE_DIGEST.path)' },
      { name: 'COSIGN_KEY_FILE', value: '/secrets/cosign.key' },
      { name: 'COSIGN_PASSWORD_FILE', value: '/etc/kimia/cosign-password/password' },
      { name: 'HOME', value: '/home/kimia' },
      { name: 'TUF_ROOT', value: '/home/kimia/.sigstore/root' },
    ]);
    expect(sign.securityContext).toMatchObject({ runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // The build step gets neither key nor password.
    expect(JSON.stringify([build.args, build.env, build.volumeMounts ?? []])).not.toMatch(/cosign|PASSWORD/i);
    expect(build.workspaces).toEqual([{ name: 'source', mountPath: '/home/kimia/workspace' }]);
    // Step-level workspaces: beta and on by default since Tekton v0.50.0.
    expect(Number(taskDoc.metadata.annotations['tekton.dev/pipelines.minVersion'].split('.')[1])).toBeGreaterThanOrEqual(50);
  });
  it('puts kimia\'s security context on the build step and shared settings in stepTemplate', () => {
    const { appArmorProfile, ...rest } = containerSecurityContext(parseBuildSpec(catalogSpec));
    expect(appArmorProfile).toEqual({ type: 'Unconfined' });
    // appArmorProfile travels as the pod annotation: older Tekton webhooks reject the field.
    expect(build.securityContext).toEqual(rest);
    expect(build.securityContext).toEqual(stepSecurityContext(parseBuildSpec(catalogSpec)));
    expect(taskDoc.spec.stepTemplate).toEqual({ securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 } });
    expect(build.computeResources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '8Gi' } });
  });
});

describe('KimiaBuildPipeline', () => {
  let { pipelineDoc } = {} as ReturnType<typeof synthTekton>;
  let tasks: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeEach(() => {
    ({ pipelineDoc } = synthTekton(catalogSpec));
    tasks = Object.fromEntries(pipelineDoc.spec.tasks.map((t: { name: string }) => [t.name, t]));
  });

  it('clones with git-clone from its maintained home by the bundles resolver, builds, then verifies', () => {
    expect(Object.keys(tasks)).toEqual(['clone', 'build', 'verify']);
    // tektoncd-catalog/git-clone release.yaml: `tkn bundle push "${REGISTRY}/bundle:${GIT_TAG}"` (REGISTRY=ghcr.io/<repo>); README: bundle:v1.7.0.
    expect(tasks.clone.taskRef).toEqual({
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0' },
        { name: 'name', value: 'git-clone' }, { name: 'kind', value: 'task' },
      ],
    });
    expect(tasks.build.runAfter).toEqual(['clone']);
    expect(tasks.build.workspaces).toEqual([
      { name: 'source', workspace: 'shared' }, { name: 'dockerconfig', workspace: 'dockerconfig' },
    ]);
    expect(tasks.build.params).toEqual(expect.arrayContaining([
      { name: 'CHAINS-GIT_URL', value: '$(tasks.clone.results.url)' },
      { name: 'CHAINS-GIT_COMMIT', value: '$(tasks.clone.results.commit)' },
      { name: 'BUILD_ARGS', value: ['$(params.BUILD_ARGS[*])'] },
      // The commit time from git-clone's committer-date result (catalog 0.9+): the epoch step runs no git.
      { name: 'SOURCE_DATE_EPOCH', value: '$(tasks.clone.results.committer-date)' },
    ]));
    expect(pipelineDoc.spec.params.map((p: { name: string }) => p.name)).not.toContain('SOURCE_DATE_EPOCH');
  });

  it('refuses a git-clone release without a bundle (tektoncd-catalog/git-clone pushes bundles from v1.5.0)', () => {
    expect(() => synthTekton({ ...catalogSpec, tekton: { gitCloneVersion: '1.4.0' } })).toThrow(/git-clone 1\.4\.0 has no bundle/);
    expect(() => synthTekton({ ...catalogSpec, tekton: { gitCloneVersion: '0.9' } })).toThrow(/gitCloneVersion: must be a tektoncd-catalog\/git-clone release/);
  });
  it('verifies the pushed digest with the public key', () => {
    expect(tasks.verify.params).toEqual([{ name: 'IMAGE_REF', value: '$(tasks.build.results.IMAGE_URL)@$(tasks.build.results.IMAGE_DIGEST)' }]);
    expect(tasks.verify.taskSpec.steps[0]).toMatchObject({
      image: 'ghcr.io/rapidfort/kimia:1.0.25',
      command: ['/usr/local/bin/cosign'],
      args: ['verify', '--key', '/etc/kimia/cosign-pub/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', '$(params.IMAGE_REF)'],
    });
    // The public key of the example's signing Secret (no signing.publicKey: cosign.pub beside the key), never the private key.
    expect(tasks.verify.taskSpec.volumes).toEqual([
      { name: 'cosign-pub', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.pub', path: 'cosign.pub' }], defaultMode: 0o444 } },
      { name: 'tuf-cache', emptyDir: {} },
    ]);
    expect(tasks.verify.taskSpec.steps[0].env).toEqual([
      { name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' },
      { name: 'DOCKER_CONFIG', value: '$(workspaces.dockerconfig.path)' },
    ]);
    expect(tasks.verify.taskSpec.steps[0].script).toBeUndefined();
    expect(tasks.verify.when).toEqual([{ input: '$(params.VERIFY)', operator: 'in', values: ['true'] }]);
  });
  it('surfaces the image results and shares one workspace', () => {
    expect(pipelineDoc.spec.results).toEqual([
      expect.objectContaining({ name: 'IMAGE_URL', value: '$(tasks.build.results.IMAGE_URL)' }),
      expect.objectContaining({ name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' }),
    ]);
    expect(names(pipelineDoc.spec.workspaces)).toEqual(['shared', 'dockerconfig']);
    expect(names(pipelineDoc.spec.params).slice(0, 2)).toEqual(['GIT_URL', 'GIT_REVISION']);
  });
  it('can skip the verify task and pick the git-clone version', () => {
    const { pipelineDoc: p } = synthTekton({ ...catalogSpec, tekton: { verify: false, gitCloneVersion: '1.6.0' } });
    expect(names(p.spec.tasks)).toEqual(['clone', 'build']);
    expect(p.spec.tasks[0].taskRef.params).toContainEqual({ name: 'bundle', value: 'ghcr.io/tektoncd-catalog/git-clone/bundle:v1.6.0' });
  });
});

describe('the same spec as a Job and as a Task', () => {
  const spec: BuildSpecInput = {
    ...BASE,
    params: {
      TAG: { description: 'tag', default: 'v1' },
      EPOCH: { description: 'epoch', default: '1700000000' },
    },
    destinations: ['registry.io/myapp:${TAG}', 'registry.io/mirror/myapp:${TAG}'],
    buildArgs: { VERSION: '${TAG}' },
    labels: { 'org.opencontainers.image.version': '${TAG}' },
    reproducible: { sourceDateEpoch: '${EPOCH}' },
    attestation: 'max',
    // kimia's own --sign: the same argv, env and mounts in both engines.
    signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' }, in: 'builder' },
  };
  const values = { TAG: 'v2.3', EPOCH: '1710000000' };
  const bind = (s: string) => s.replace(/\$\(params\.([A-Z_]+)\)/g, (_m, n: keyof typeof values) => values[n]);
  let job = undefined as unknown as ReturnType<typeof synthJob>;
  beforeEach(() => { job = synthJob(spec, values); });
  let { build, taskDoc } = {} as ReturnType<typeof synthTekton>;
  beforeEach(() => ({ build, taskDoc } = synthTekton(spec)));

  it('gives kimia the same argv, written literally per engine (kimia-flags.json), not compared with each other', () => {
    // Destinations in order, --reproducible with SOURCE_DATE_EPOCH in env, --attestation=max, --sign with
    // the key file and the password env var's name, then build args and labels as kimia's parser takes them.
    const argv = (tag: string) => [
      '--context=https://github.com/myorg/myapp.git',
      `--destination=registry.io/myapp:${tag}`, `--destination=registry.io/mirror/myapp:${tag}`,
      '--reproducible', '--attestation=max', '--sign', '--cosign-key=/secrets/cosign.key', '--cosign-password-env=COSIGN_PASSWORD',
      `--build-arg=VERSION=${tag}`, `--label=org.opencontainers.image.version=${tag}`,
    ];
    expect(job.container.args).toEqual(argv('v2.3'));
    expect(build.args.slice(0, build.args.indexOf(BUILD_ARGS_MARKER))).toEqual([...argv('$(params.TAG)'), '--digest-file=$(results.IMAGE_DIGEST.path)']);
  });
  it('gives the same kimia env: the password by secretKeyRef of the Secret the spec names (signing.in: builder), the COSIGN_* env', () => {
    const expected = [
      { name: 'COSIGN_PASSWORD', valueFrom: { secretKeyRef: { name: 'cosign-keys', key: 'password' } } },
      { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' },
      { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' },
      { name: 'COSIGN_TLOG_UPLOAD', value: 'false' },
      { name: 'SOURCE_DATE_EPOCH', value: '1710000000' },
    ];
    const taskEnv = build.env.filter((e: { name: string }) => !e.name.startsWith('KIMIA_')).map((e: { value?: string }) => (e.value ? { ...e, value: bind(e.value) } : e));
    expect(taskEnv).toEqual(expected);
    expect(job.container.env).toEqual(expected);
    expect(JSON.stringify(build.env)).not.toContain('workspaces.cosign');
  });
  it('puts the registry config and cosign key at the same paths', () => {
    const jobMounts = Object.fromEntries(job.container.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
    const ws = Object.fromEntries(taskDoc.spec.workspaces.map((w: { name: string; mountPath: string }) => [w.name, w.mountPath]));
    expect(jobMounts['cosign-key']).toBe('/secrets');
    expect(build.volumeMounts).toContainEqual({ name: 'cosign-key', mountPath: '/secrets', readOnly: true });
    expect(taskDoc.spec.volumes).toContainEqual({ name: 'cosign-key', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.key', path: 'cosign.key' }], defaultMode: 0o400 } });
    expect(build.args).toContain('--cosign-key=/secrets/cosign.key');
    expect(job.container.args).toContain('--cosign-key=/secrets/cosign.key');
    const withCreds = synthJob({ ...spec, registry: { credentialsSecret: 'regcred' } }, values);
    expect(withCreds.container.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: `${ws.dockerconfig}/config.json` }));
  });
  it('lists every destination by digest in IMAGES', () => {
    expect(names(taskDoc.spec.results)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'IMAGES']);
    expect(build.env).toContainEqual({ name: 'KIMIA_DESTINATIONS', value: 'registry.io/myapp:$(params.TAG)\nregistry.io/mirror/myapp:$(params.TAG)' });
  });
});

describe('hostile values never reach a script', () => {
  const HOSTILE = ['a"; rm -rf / #', "x'$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)'", '`id`', 'line1\nline2', '$(params.IMAGE)'];
  it('params with hostile defaults and examples stay out of every script', () => {
    const { taskDoc, pipelineDoc } = synthTekton({
      ...catalogSpec,
      variant: 'kimia-bud',
      attestation: undefined,
      signing: undefined,
      params: { ...catalogSpec.params, IMAGE: { description: 'image', example: HOSTILE[0] }, DOCKERFILE: { description: HOSTILE[1], default: HOSTILE[2] }, CONTEXT: { description: 'c', default: HOSTILE[3] } },
    } as BuildSpecInput);
    const scripts: string[] = [];
    const collect = (v: unknown, key?: string) => {
      if (key === 'script' && typeof v === 'string') scripts.push(v);
      else if (Array.isArray(v)) v.forEach((x) => collect(x));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => collect(x, k));
    };
    collect(taskDoc);
    collect(pipelineDoc);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const s of scripts) {
      expect([BUILD_SCRIPT, EPOCH_SCRIPT]).toContain(s);
      for (const h of HOSTILE) expect(s).not.toContain(h);
      expect(s).not.toContain('$(params.');
    }
  });
});

describe('the build step wrapper, run with a stand-in kimia', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-wrapper-'));
    // Records its argv (one per line, NUL-free) and env, and writes the digest file like kimia.
    fs.writeFileSync(path.join(dir, 'kimia'), [
      '#!/bin/bash',
      'printf "%s\\0" "$@" > "$OUT/argv"',
      'printf "%s" "${COSIGN_PASSWORD:-}" > "$OUT/password"',
      'printf "%s" "${SOURCE_DATE_EPOCH:-}" > "$OUT/epoch"',
      '[ -z "${KIMIA_DIGEST_FILE:-}" ] || printf "sha256:%064d" 0 > "$KIMIA_DIGEST_FILE"',
    ].join('\n'), { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], env: Record<string, string> = {}) => {
    const script = path.join(dir, 'build.sh');
    fs.writeFileSync(script, BUILD_SCRIPT);
    const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH!, OUT: dir, KIMIA_BIN: path.join(dir, 'kimia'), ...env } });
    const argvFile = path.join(dir, 'argv');
    const argv = fs.existsSync(argvFile) ? fs.readFileSync(argvFile, 'utf8').split('\0').slice(0, -1) : undefined;
    return { ...r, argv };
  };
  const HOSTILE = 'x"; touch /tmp/pwned; echo "$(id)`id`\nnext';

  it('passes hostile BUILD_ARGS and EXTRA_ARGS items to kimia as single, unmodified arguments', () => {
    const r = run(['--destination=r.io/a:v1', '--context-sub-path=', BUILD_ARGS_MARKER, `NOTE=${HOSTILE}`, '', EXTRA_ARGS_MARKER, `--label=note=${HOSTILE}`]);
    expect(r.status).toBe(0);
    expect(r.argv).toEqual(['--destination=r.io/a:v1', `--build-arg=NOTE=${HOSTILE}`, `--label=note=${HOSTILE}`]);
    expect(r.stderr).toContain('skipping --context-sub-path (empty value)');
  });
  it('refuses EXTRA_ARGS that would change what is pushed or reported', () => {
    for (const bad of ['--no-push', '--destination=evil.io/x:1', '--digest-file=/tmp/x', '-d', '--tar-path=']) {
      const r = run(['--destination=r.io/a:v1', BUILD_ARGS_MARKER, EXTRA_ARGS_MARKER, bad]);
      expect(r.status).toBe(2);
      expect(r.argv).toBeUndefined();
    }
    expect(run([BUILD_ARGS_MARKER, 'NOVALUE', EXTRA_ARGS_MARKER]).stderr).toBe('kimia-bundles: BUILD_ARGS item must be KEY=VALUE with a value\n');
  });
  it('writes IMAGE_URL and IMAGES, exports the epoch, passes the password env on, and fails without a digest', () => {
    fs.writeFileSync(path.join(dir, 'epoch-in'), '1700000000');
    const env = {
      KIMIA_EPOCH_FILE: path.join(dir, 'epoch-in'),
      COSIGN_PASSWORD: 's3cret',
      KIMIA_DIGEST_FILE: path.join(dir, 'digest'), KIMIA_IMAGE_URL: 'r.io/a:v1', KIMIA_IMAGE_URL_FILE: path.join(dir, 'url'),
      KIMIA_DESTINATIONS: 'r.io/a:v1\nlocalhost:5000/b', KIMIA_IMAGES_FILE: path.join(dir, 'images'),
    };
    const r = run([BUILD_ARGS_MARKER, EXTRA_ARGS_MARKER], env);
    expect(r.status).toBe(0);
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(fs.readFileSync(path.join(dir, 'url'), 'utf8')).toBe('r.io/a:v1');
    expect(fs.readFileSync(path.join(dir, 'images'), 'utf8')).toBe(`r.io/a@${digest}\nlocalhost:5000/b@${digest}\n`);
    expect(fs.readFileSync(path.join(dir, 'epoch'), 'utf8')).toBe('1700000000');
    expect(fs.readFileSync(path.join(dir, 'password'), 'utf8')).toBe('s3cret');
    fs.writeFileSync(path.join(dir, 'kimia'), '#!/bin/bash\nexit 0\n', { mode: 0o755 });
    fs.rmSync(path.join(dir, 'digest'));
    const none = run([BUILD_ARGS_MARKER, EXTRA_ARGS_MARKER], env);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('kimia finished without reporting an image digest');
  });
});

describe('the catalog layout in dist/', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(examples, { builds: ['kimia-build'] }); });
  it('has Task and Pipeline with README, samples, OWNERS and Artifact Hub metadata; tests only where the catalog runner runs them (task/*/*/tests)', () => {
    expect([...files.keys()].filter((f) => f.startsWith('tekton/'))).toEqual([
      'tekton/pipeline/artifacthub-repo.yml',
      `tekton/pipeline/kimia-build/${V}/README.md`,
      `tekton/pipeline/kimia-build/${V}/kimia-build.yaml`,
      `tekton/pipeline/kimia-build/${V}/samples/pipelinerun.yaml`,
      'tekton/pipeline/kimia-build/OWNERS',
      'tekton/task/artifacthub-repo.yml',
      `tekton/task/kimia-build/${V}/README.md`,
      `tekton/task/kimia-build/${V}/kimia-build.yaml`,
      `tekton/task/kimia-build/${V}/samples/pipelinerun.yaml`,
      `tekton/task/kimia-build/${V}/samples/taskrun.yaml`,
      `tekton/task/kimia-build/${V}/tests/pre-apply-task-hook.sh`,
      `tekton/task/kimia-build/${V}/tests/run.yaml`,
      `tekton/task/kimia-build/${V}/tests/test-key-secret.yaml`,
      'tekton/task/kimia-build/OWNERS',
    ]);
    expect(files.get('tekton/task/kimia-build/OWNERS')).toMatch(/\napprovers:\n  - kimia-bundles\nreviewers:\n  - kimia-bundles\n$/);
    expect(files.get('tekton/task/artifacthub-repo.yml')).toMatch(/\nowners:\n  - name: "kimia-bundles maintainers"\n    email: "maintainers@example.com"\n$/);
  });
  it('installs in one copy-paste command from where the catalog is served, and names the bundle', () => {
    const task = files.get(`tekton/task/kimia-build/${V}/README.md`)!;
    expect(task).toContain(`kubectl apply -f https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist/tekton/task/kimia-build/${V}/kimia-build.yaml`);
    // Pinned by digest: the one `kimia-bundles bundle` gives (test/oci-registry.test.ts pushes it to a real registry and compares).
    expect(task).toMatch(/\n {6}value: ghcr\.io\/kimia-bundles\/catalog\/tasks\/kimia-build@sha256:[0-9a-f]{64}\n/);
    expect(task).toContain(`\`kimia-bundles bundle --dir tekton/task/kimia-build/${V} --out kimia-build-task.oci\` and \`kimia-bundles push --layout kimia-build-task.oci ghcr.io/kimia-bundles/catalog/tasks/kimia-build:${V}\``);
    expect(task).toContain(`  resolver: hub\n  params:\n    - name: type\n      value: artifact\n    - name: catalog\n      value: kimia-bundles\n    - name: kind\n      value: task\n    - name: name\n      value: kimia-build\n    - name: version\n      value: "${V}"`);
    const pipeline = files.get(`tekton/pipeline/kimia-build/${V}/README.md`)!;
    expect(pipeline).toContain(`kubectl apply -f https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist/tekton/pipeline/kimia-build/${V}/kimia-build.yaml`);
    expect(pipeline).toContain('ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0');
  });
  it('documents params, workspaces, results, platforms, security and usage in the README', () => {
    const readme = files.get(`tekton/task/kimia-build/${V}/README.md`)!;
    for (const section of ['## Install', '## Parameters', '## Workspaces', '## Results', '## Platforms', '## Security', '## Usage']) expect(readme).toContain(section);
    expect(readme).toContain('| IMAGE | string | Reference of the image to build and push (repository:tag). | (required) |');
    expect(readme).toContain('**privileged**');
    expect(readme).toContain('kind: TaskRun');
  });
  it('gives sample runs only declared params, with the declared types', () => {
    const { parse } = require('yaml') as typeof import('yaml');
    const doc = (f: string) => parse(files.get(f)!.replace(/^#.*\n/, ''));
    const pipeline = doc(`tekton/pipeline/kimia-build/${V}/kimia-build.yaml`);
    const task = doc(`tekton/task/kimia-build/${V}/kimia-build.yaml`);
    const runs: Array<[string, { spec: { params: Array<{ name: string; type?: string; default?: unknown }> } }]> = [
      [`tekton/task/kimia-build/${V}/samples/taskrun.yaml`, task],
      [`tekton/task/kimia-build/${V}/samples/pipelinerun.yaml`, pipeline],
      [`tekton/task/kimia-build/${V}/tests/run.yaml`, pipeline],
    ];
    for (const [file, target] of runs) {
      const declared = new Map(target.spec.params.map((p) => [p.name, p]));
      for (const p of doc(file).spec.params) {
        expect(declared.has(p.name)).toBe(true);
        expect(Array.isArray(p.value)).toBe(declared.get(p.name)!.type === 'array');
      }
      const given = new Set(doc(file).spec.params.map((p: { name: string }) => p.name));
      for (const [name, p] of declared) if (p.default === undefined) expect(given.has(name)).toBe(true);
    }
  });
  it('tests run against the registry sidecar, without credentials or verify, with a throwaway key', () => {
    const { parse } = require('yaml') as typeof import('yaml');
    const taskTest = parse(files.get(`tekton/task/kimia-build/${V}/tests/run.yaml`)!.replace(/^#.*\n/, ''));
    expect(taskTest.spec.params).toEqual(expect.arrayContaining([
      { name: 'IMAGE', value: 'localhost:5000/kimia-build:test' }, { name: 'EXTRA_ARGS', value: ['--insecure'] }, { name: 'GIT_REVISION', value: 'master' },
    ]));
    expect(taskTest.spec.pipelineSpec.tasks.map((t: { name: string }) => t.name)).toEqual(['clone', 'build']);
    expect(taskTest.spec.workspaces.map((w: { name: string }) => w.name)).toEqual(['shared']);
    // The build Task by name (the runner creates it from its file), not from the bundle.
    expect(taskTest.spec.pipelineSpec.tasks[1].taskRef).toEqual({ name: 'kimia-build', kind: 'Task' });
    expect(JSON.stringify(taskTest)).not.toContain('VERIFY');
    const hook = files.get(`tekton/task/kimia-build/${V}/tests/pre-apply-task-hook.sh`)!;
    expect(hook.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['add_sidecar_registry "${TMPF}"']);
    // The Secret the Task mounts (signing.key/password of the example), with cosign's own test key (password "hello").
    const secrets = require('yaml').parseAllDocuments(files.get(`tekton/task/kimia-build/${V}/tests/test-key-secret.yaml`)!).map((d: { toJS(): unknown }) => d.toJS());
    expect(secrets).toEqual([{
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: { name: 'cosign-keys', labels: { 'app.kubernetes.io/part-of': 'kimia-bundles-catalog-test' } },
      stringData: { 'cosign.key': expect.stringMatching(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnsibmFtZSI6InNjcnlwdCIs/), 'cosign.password': 'hello' },
    }]);
  });
  it('fills required params in the samples', () => {
    const taskRun = files.get(`tekton/task/kimia-build/${V}/samples/taskrun.yaml`)!;
    expect(taskRun).toContain('value: registry.example.com/team/app:v1');
    expect(taskRun).toContain('fsGroup: 1000');
  });
});
