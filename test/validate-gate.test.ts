/**
 * The validation gate's kimia checks on hand-written YAML (a pinned image, the security context
 * kimia needs, the build-arg key in either argv form), and the same gate in `bundle` and `push`.
 * Fixtures are literal YAML; expectations are written out, not derived from the product.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildTektonBundle, checkKimiaArgv, formatBundleIssue, packagingGate, parseKimiaArgv, runCliAsync, runOciCommand, validateDocuments, writeLayout } from '../src/internal';
import { freePort } from './helpers/registry';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-gate-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (rel: string, text: string) => {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

/** The findings of one YAML text, as `validate` prints them. */
function findings(yaml: string, file = 'x.yaml'): string[] {
  const docs = parseAllDocuments(yaml).map((d) => d.toJS());
  return validateDocuments(file, docs).map(formatBundleIssue);
}

/** The container securityContext kimia's docs/security.md lists (kimia.md §6), as YAML lines. */
const KIMIA_SC = `
            runAsUser: 1000
            runAsGroup: 1000
            runAsNonRoot: true
            allowPrivilegeEscalation: true
            readOnlyRootFilesystem: false
            capabilities: {drop: [ALL], add: [SETUID, SETGID]}
            seccompProfile: {type: Unconfined}
            appArmorProfile: {type: Unconfined}`;

const job = (image: string, securityContext = KIMIA_SC, args = '[--context=https://github.com/o/app.git, --destination=registry.io/app:v1]') => `apiVersion: batch/v1
kind: Job
metadata: {name: build}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: kimia
          image: ${image}
          args: ${args}
          securityContext:${securityContext}
`;

const C = 'x.yaml: Job/build: spec.template.spec.containers[0]';

describe('pinned kimia images', () => {
  it('accepts a version tag and a digest', () => {
    expect(findings(job('ghcr.io/rapidfort/kimia:1.0.25'))).toEqual([]);
    expect(findings(job(`ghcr.io/rapidfort/kimia-bud@sha256:${'a'.repeat(64)}`))).toEqual([]);
    expect(findings(job(`ghcr.io/rapidfort/kimia:latest@sha256:${'b'.repeat(64)}`))).toEqual([]);
  });

  it('refuses :latest and untagged in a Job and a Pod', () => {
    expect(findings(job('ghcr.io/rapidfort/kimia:latest'))).toEqual([
      `${C}.image: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)`,
    ]);
    expect(findings(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: kimia
      image: registry.local:5000/mirror/rapidfort/kimia-bud
      args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
      securityContext:${KIMIA_SC.replace(/^ {4}/gm, '')}
`)).toEqual([
      'x.yaml: Pod/p: spec.containers[0].image: kimia image "registry.local:5000/mirror/rapidfort/kimia-bud" must be pinned to a version tag or digest (untagged means :latest moves with every kimia release)',
    ]);
    expect(findings(job('ghcr.io/rapidfort/kimia@sha256:abc'))).toEqual([
      `${C}.image: kimia image "ghcr.io/rapidfort/kimia@sha256:abc" has an invalid digest (sha256:<64 hex>)`,
    ]);
  });

  it('resolves a Tekton step image through its param default, and through a pipeline task binding', () => {
    const task = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
  annotations: {container.apparmor.security.beta.kubernetes.io/step-build: unconfined}
spec:
  params:
    - {name: BUILDER_IMAGE, type: string, default: "ghcr.io/rapidfort/kimia:latest"}
  stepTemplate:
    securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000}
  steps:
    - name: build
      image: $(params.BUILDER_IMAGE)
      args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
      script: exec /usr/local/bin/kimia "$@"
      securityContext:
        allowPrivilegeEscalation: true
        readOnlyRootFilesystem: false
        capabilities: {drop: [ALL], add: [SETUID, SETGID]}
        seccompProfile: {type: Unconfined}
`;
    expect(findings(task)).toEqual([
      'x.yaml: Task/build: spec.params[0].default: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release); it is the image of spec.steps[0]',
    ]);
    // In the catalog layout the catalog rule reports the same field: one finding, not two.
    expect(findings(task, 'tekton/task/build/0.1/build.yaml').filter((l) => l.includes('must be pinned'))).toEqual([
      'tekton/task/build/0.1/build.yaml: Task/build: spec.params[0].default: image "ghcr.io/rapidfort/kimia:latest" must be pinned: the catalog refuses :latest and untagged images',
    ]);
    const pipeline = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  params:
    - {name: KIMIA, type: string, default: ghcr.io/rapidfort/kimia}
  tasks:
    - name: build
      params:
        - {name: BUILDER_IMAGE, value: $(params.KIMIA)}
      taskSpec:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/step-build: unconfined}
        params:
          - {name: BUILDER_IMAGE, type: string, default: "ghcr.io/rapidfort/kimia:1.0.25"}
        steps:
          - name: build
            image: $(params.BUILDER_IMAGE)
            args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
            securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: {add: [SETUID, SETGID]}, seccompProfile: {type: Unconfined}}
`;
    expect(findings(pipeline)).toEqual([
      'x.yaml: Pipeline/p: spec.params[0].default: kimia image "ghcr.io/rapidfort/kimia" must be pinned to a version tag or digest (untagged means :latest moves with every kimia release); it is the image of spec.tasks[0].taskSpec.steps[0]',
    ]);
  });

  it('resolves an Argo template image through what its callers pass and the workflow arguments', () => {
    const wt = (value: string, inputDefault: string) => `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: w}
spec:
  entrypoint: main
  arguments:
    parameters:
      - {name: KIMIA, value: "${value}"}
  templates:
    - name: main
      dag:
        tasks:
          - name: build
            template: build
            arguments:
              parameters:
                - {name: BUILDER, value: "{{workflow.parameters.KIMIA}}"}
    - name: build
      inputs:
        parameters:
          - {name: BUILDER, default: "${inputDefault}"}
      metadata:
        annotations: {container.apparmor.security.beta.kubernetes.io/main: unconfined}
      container:
        image: "{{inputs.parameters.BUILDER}}"
        command: [/usr/local/bin/kimia]
        args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
        securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: {add: [SETUID, SETGID]}, seccompProfile: {type: Unconfined}}
`;
    expect(findings(wt('ghcr.io/rapidfort/kimia:1.0.25', 'ghcr.io/rapidfort/kimia:1.0.25'))).toEqual([]);
    // The default is pinned, but every caller passes the workflow argument, which is not.
    expect(findings(wt('ghcr.io/rapidfort/kimia:latest', 'ghcr.io/rapidfort/kimia:1.0.25'))).toEqual([
      'x.yaml: WorkflowTemplate/w: spec.arguments.parameters[0].value: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release); it is the image of spec.templates[1].container',
    ]);
  });

  it('leaves a reference without a known value alone (it is set at run time)', () => {
    expect(findings(job('ghcr.io/rapidfort/kimia:$(params.TAG)'))).toEqual([]);
  });
});

describe('the security context kimia needs', () => {
  it('reports every setting a bare kimia container lacks, at the field to set', () => {
    expect(findings(job('ghcr.io/rapidfort/kimia:1.0.25', ' {}'))).toEqual([
      `${C}.securityContext.runAsUser: runAsUser not set: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)`,
      `${C}.securityContext.runAsGroup: runAsGroup not set: kimia needs 1000: its files and runtime directory belong to GID 1000 (kimia.md §6)`,
      `${C}.securityContext.runAsNonRoot: runAsNonRoot not set: kimia needs true: it must never run as root (check-environment refuses UID 0) (kimia.md §6)`,
      `${C}.securityContext.readOnlyRootFilesystem: readOnlyRootFilesystem not set: kimia needs false: it writes under $HOME, /tmp and /run/user/1000 (kimia.md §6)`,
      `${C}.securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation not set: kimia needs true: newuidmap/newgidmap are setuid binaries it runs for its user namespace (kimia.md §6)`,
      `${C}.securityContext.capabilities.add: capabilities.add must include SETUID, SETGID: kimia needs SETUID, SETGID (newuidmap/newgidmap) and nothing may drop them (kimia.md §6)`,
      `${C}.securityContext.seccompProfile: seccompProfile not set: kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)`,
      `${C}.securityContext.appArmorProfile: AppArmor not set: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation container.apparmor.security.beta.kubernetes.io/kimia: unconfined); the runtime's default profile blocks its mounts (kimia.md §6)`,
    ]);
  });

  it('reports a wrong value where it is set, including at pod level', () => {
    const sc = KIMIA_SC.replace('runAsUser: 1000', 'runAsUser: 0').replace('add: [SETUID, SETGID]', 'add: [SETUID]').replace('seccompProfile: {type: Unconfined}', '');
    expect(findings(job('ghcr.io/rapidfort/kimia:1.0.25', sc).replace('      restartPolicy: Never', '      restartPolicy: Never\n      securityContext: {seccompProfile: {type: RuntimeDefault}}'))).toEqual([
      `${C}.securityContext.runAsUser: runAsUser is 0: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)`,
      `${C}.securityContext.capabilities.add: capabilities.add must include SETGID: kimia needs SETUID, SETGID (newuidmap/newgidmap) and nothing may drop them (kimia.md §6)`,
      'x.yaml: Job/build: spec.template.spec.securityContext.seccompProfile: seccompProfile is "RuntimeDefault": kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)',
    ]);
  });

  it('takes UID, GID, runAsNonRoot and the profiles from the pod, and AppArmor from the pod annotation', () => {
    expect(findings(`apiVersion: batch/v1
kind: Job
metadata: {name: build}
spec:
  template:
    metadata:
      annotations: {container.apparmor.security.beta.kubernetes.io/kimia: unconfined}
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: {type: Unconfined}}
      containers:
        - name: kimia
          image: ghcr.io/rapidfort/kimia:1.0.25
          args: [--context=https://github.com/o/app.git, --destination=registry.io/app:v1]
          securityContext: {allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: {drop: [ALL], add: [CAP_SETUID, SETGID]}}
`)).toEqual([]);
  });

  it('Buildah overlay storage needs MKNOD and DAC_OVERRIDE too (check-environment)', () => {
    const args = '[--context=/home/kimia/workspace, --destination=registry.io/app:v1, --storage-driver=overlay]';
    expect(findings(job('ghcr.io/rapidfort/kimia-bud:1.0.25', KIMIA_SC, args))).toEqual([
      `${C}.securityContext.capabilities.add: capabilities.add must include MKNOD, DAC_OVERRIDE: kimia needs SETUID, SETGID, MKNOD, DAC_OVERRIDE (newuidmap/newgidmap; MKNOD and DAC_OVERRIDE for Buildah overlay storage) and nothing may drop them (kimia.md §6)`,
    ]);
    expect(findings(job('ghcr.io/rapidfort/kimia-bud:1.0.25', KIMIA_SC.replace('add: [SETUID, SETGID]', 'add: [SETUID, SETGID, MKNOD, DAC_OVERRIDE]'), args))).toEqual([]);
  });

  it('Argo: a template securityContext is pod-level, and a podSpecPatch can carry the container settings', () => {
    expect(findings(`apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: w}
spec:
  entrypoint: build
  templates:
    - name: build
      securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
      podSpecPatch: |
        containers:
          - name: main
            securityContext:
              allowPrivilegeEscalation: true
              readOnlyRootFilesystem: false
              capabilities: {add: [SETUID, SETGID]}
              seccompProfile: {type: Unconfined}
              appArmorProfile: {type: Unconfined}
      container:
        image: ghcr.io/rapidfort/kimia:1.0.25
        command: [/usr/local/bin/kimia]
        args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
`)).toEqual([]);
  });

  it('Tekton: the AppArmor annotation names the step container (step-<name>)', () => {
    const task = (annotation: string) => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
  annotations: {${annotation}: unconfined}
spec:
  steps:
    - name: build
      image: ghcr.io/rapidfort/kimia:1.0.25
      args: [--context=/home/kimia/workspace, --destination=registry.io/app:v1]
      securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: {add: [SETUID, SETGID]}, seccompProfile: {type: Unconfined}}
`;
    expect(findings(task('container.apparmor.security.beta.kubernetes.io/step-build'))).toEqual([]);
    expect(findings(task('container.apparmor.security.beta.kubernetes.io/build'))).toEqual([
      'x.yaml: Task/t: spec.steps[0].securityContext.appArmorProfile: AppArmor not set: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation container.apparmor.security.beta.kubernetes.io/step-build: unconfined); the runtime\'s default profile blocks its mounts (kimia.md §6)',
    ]);
  });

  it('other containers are not kimia\'s business', () => {
    expect(findings(job('alpine:3.20', ' {}'))).toEqual([]);
  });
});

describe('build-arg keys in either argv form', () => {
  it('reads --flag value as kimia does: the value flag takes the next element', () => {
    expect(parseKimiaArgv(['--build-arg', 'http_proxy=x', '-v', '--no-push', '--cache', '--insecure']).flags.map((a) => [a.flag, a.value, a.form])).toEqual([
      ['--build-arg', 'http_proxy=x', 'split'],
      ['--verbosity', '--no-push', 'split'], // kimia.md §1: "-v --no-push sets verbosity to --no-push"
      ['--cache', undefined, 'bare'], // --cache takes the next element only when it does not start with -
      ['--insecure', undefined, 'bare'],
    ]);
  });

  it('checks a lowercase BuildKit key in the split form as in the joined form', () => {
    const base = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
    expect(checkKimiaArgv([...base, '--build-arg=http_proxy=http://proxy:3128'], 'kimia')).toEqual([
      { index: 2, message: 'build-arg key "http_proxy" must match ^[A-Z_][A-Z0-9_]*$' },
    ]);
    expect(checkKimiaArgv([...base, '--build-arg', 'http_proxy=http://proxy:3128'], 'kimia')).toEqual([
      { index: 2, message: '--build-arg needs =value in the same element: in space form kimia takes the next argument' },
      { index: 3, message: 'build-arg key "http_proxy" must match ^[A-Z_][A-Z0-9_]*$' },
    ]);
    // Buildah takes any key.
    expect(checkKimiaArgv([...base, '--build-arg', 'http_proxy=x'], 'kimia-bud').map((i) => i.message)).toEqual([
      '--build-arg needs =value in the same element: in space form kimia takes the next argument',
    ]);
  });

  it('validate reports the split form at the value element of a Job', () => {
    expect(findings(job('ghcr.io/rapidfort/kimia:1.0.25', KIMIA_SC, '[--context=https://github.com/o/app.git, --destination=registry.io/app:v1, --build-arg, http_proxy=x]'))).toEqual([
      `${C}.args[2]: --build-arg needs =value in the same element: in space form kimia takes the next argument`,
      `${C}.args[3]: build-arg key "http_proxy" must match ^[A-Z_][A-Z0-9_]*$`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

/** A Task that passes every rule (catalog layout included); `extra` goes into its step. */
const catalogTask = (stepExtra = '', image = 'alpine:3.20') => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
  labels: {app.kubernetes.io/version: "0.1"}
  annotations:
    tekton.dev/pipelines.minVersion: 0.50.0
    tekton.dev/categories: Build Tools
    tekton.dev/tags: test
    tekton.dev/displayName: hello
    tekton.dev/platforms: linux/amd64
spec:
  description: Says hello.
  steps:
    - name: hello
      image: ${image}
      script: echo hello
${stepExtra}`;

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCliAsync(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('bundle and push run the gate before writing or pushing', () => {
  it('bundle --dir: a valid Task is written; an unknown field refuses with exit 2 and no layout', async () => {
    const dir = path.dirname(write('task/hello/0.1/hello.yaml', catalogTask()));
    const ok = await cli('bundle', '--dir', dir, '--out', path.join(tmp, 'ok'));
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/^sha256:[a-f0-9]{64}\n$/) });
    expect(fs.existsSync(path.join(tmp, 'ok', 'index.json'))).toBe(true);

    write('task/hello/0.1/hello.yaml', catalogTask('      colour: blue\n'));
    const out = path.join(tmp, 'layout');
    const r = await cli('bundle', '--dir', dir, '--out', out);
    const file = path.join(dir, 'hello.yaml');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `${file}: Task/hello: spec.steps[0]: unknown field "colour"\nkimia-bundles: bundle refused: 1 finding; nothing was written\n`,
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('bundle --file: a :latest kimia builder refuses', async () => {
    const file = write('t.yaml', catalogTask(`      securityContext:${KIMIA_SC.replace(/^ {4}/gm, '')}\n`, 'ghcr.io/rapidfort/kimia:latest'));
    const out = path.join(tmp, 'layout');
    const r = await cli('bundle', '--file', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}: Task/hello: spec.steps[0].image: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)\n`
      + 'kimia-bundles: bundle refused: 1 finding; nothing was written\n');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('push --dir: every YAML file of the directory, before any request', async () => {
    const dir = path.join(tmp, 'bundle');
    write('bundle/hello.yaml', catalogTask());
    write('bundle/samples/job.yaml', job('ghcr.io/rapidfort/kimia:latest'));
    write('bundle/README.md', '# hello\n');
    const port = await freePort();
    const r = await cli('push', '--dir', dir, `127.0.0.1:${port}/kimia/hello:0.1`, '--insecure', '--retries', '0');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe('kimia-bundles: push refused: 1 finding; nothing was pushed');
    expect(lines.slice(0, -1)).toEqual([
      `${dir}/samples/job.yaml: Job/build: spec.template.spec.containers[0].image: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)`,
    ]);

    // No request at all: the same push through the library with a fetch that records calls.
    const calls: string[] = [];
    const code = await runOciCommand('push', ['--dir', dir, `127.0.0.1:${port}/kimia/hello:0.1`, '--insecure'], { out: () => undefined, err: () => undefined }, {
      env: { DOCKER_CONFIG: path.join(tmp, 'none') },
      fetch: (async (url: string) => { calls.push(String(url)); throw new Error('no network in this test'); }) as never,
      gate: packagingGate,
    });
    expect(code).toBe(2);
    expect(calls).toEqual([]);
  });

  it('push --layout: the Tekton layers of the layout, named by their blob', async () => {
    const layout = path.join(tmp, 'layout');
    const task = parseAllDocuments(catalogTask('      colour: blue\n'))[0].toJS();
    const image = buildTektonBundle([task]);
    writeLayout(layout, [{ image, refName: '0.1' }]);
    const port = await freePort();
    const r = await cli('push', '--layout', layout, `127.0.0.1:${port}/kimia/hello:0.1`, '--insecure', '--retries', '0');
    const [alg, hex] = image.manifest.layers[0].digest.split(':');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `${path.join(layout, 'blobs', alg, hex)}: Task/hello: spec.steps[0]: unknown field "colour"\nkimia-bundles: push refused: 1 finding; nothing was pushed\n`,
    });
  });
});
