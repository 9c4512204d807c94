import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkKimiaArgv } from '../src/internal';
import { cli } from './helpers';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-vf-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
};

const DOC_JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: kimia-build-signed}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: kimia
          image: ghcr.io/rapidfort/kimia:latest
          securityContext:
            runAsUser: 1000
            runAsGroup: 1000
            runAsNonRoot: true
            allowPrivilegeEscalation: true
            readOnlyRootFilesystem: false
            capabilities: {drop: [ALL], add: [SETUID, SETGID]}
          args:
            - --context=https://github.com/myorg/myapp.git
            - --destination=registry.io/myapp:v1
            - --sign
            - --build-arg
            - VERSION=1
            - --no-push=false
            - --tar-path=/output/image.tar
`;
const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: broken}
spec:
  params: [{name: IMAGE, type: string}]
  steps:
    - name: build
      image: ghcr.io/rapidfort/kimia:1.0.25
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
        runAsNonRoot: true
        allowPrivilegeEscalation: true
        readOnlyRootFilesystem: false
        capabilities: {drop: [ALL], add: [SETUID, SETGID]}
        seccompProfile: {type: Unconfined}
        appArmorProfile: {type: Unconfined}
      script: |
        kimia --destination=$(params.IMAGE)
`;

describe('kimia-bundles validate PATH', () => {
  it('reports every finding with file, document and path, and exits 1', () => {
    write('jobs/doc-job.yaml', DOC_JOB);
    write('tekton/task.yaml', TASK);
    write('bad.yaml', 'kind: [\n');
    const r = cli('validate', tmp);
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n')).toEqual([
      'bad.yaml:2:1: document #1: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].image: kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)',
      // kimia's docs examples leave out the Unconfined profiles (kimia.md §6).
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].securityContext.seccompProfile: seccompProfile not set: kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)',
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].securityContext.appArmorProfile: AppArmor not set: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation container.apparmor.security.beta.kubernetes.io/kimia: unconfined); the runtime\'s default profile blocks its mounts (kimia.md §6)',
      // The split form is read as kimia reads it: VERSION=1 is the value of --build-arg, not a stray element.
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].args[3]: --build-arg needs =value in the same element: in space form kimia takes the next argument',
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].args[5]: --no-push is a presence flag: any =value (even =false) still enables it; omit the flag to disable',
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].args[6]: --tar-path must be under /home/kimia/',
      'jobs/doc-job.yaml: Job/kimia-build-signed: spec.template.spec.containers[0].args[2]: --sign needs --attestation or --attest: kimia exits 1 otherwise',
      'tekton/task.yaml: Task/broken: spec.steps[0].script: params must not be pasted into script text (script injection): pass them through env or args',
    ]);
    expect(r.err).toBe('kimia-bundles: 9 findings in 3 files\n');
  });
  it('prints JSON with --format json', () => {
    write('task.yaml', TASK);
    const r = cli('validate', '--format', 'json', path.join(tmp, 'task.yaml'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      files: 1, documents: 1,
      findings: [{ file: path.join(tmp, 'task.yaml'), document: 'Task/broken', path: 'spec.steps[0].script', message: 'params must not be pasted into script text (script injection): pass them through env or args' }],
    });
  });
  it('passes the committed dist/ and exits 2 on usage errors', () => {
    expect(cli('validate', path.join(__dirname, '..', 'dist'))).toMatchObject({ code: 0, out: '' });
    expect(cli('validate')).toMatchObject({ code: 2, err: 'kimia-bundles: validate needs PATH... or --config FILE\nRun kimia-bundles validate --help for usage.\n' });
    expect(cli('validate', path.join(tmp, 'missing'))).toMatchObject({ code: 2 });
    expect(cli('validate', tmp, '--format', 'xml')).toMatchObject({ code: 2, err: 'kimia-bundles: --format must be human or json, not "xml"\nRun kimia-bundles validate --help for usage.\n' });
  });
});

describe('kimia argv rules on hand-written argv', () => {
  it('accepts a correct argv and engine placeholders', () => {
    expect(checkKimiaArgv(['--context=/home/kimia/workspace', '--destination=$(params.IMAGE)', '--build-arg=VERSION={{inputs.parameters.V}}', '--attestation=max', '--sign', '--cosign-key=/secrets/cosign.key'], 'kimia')).toEqual([]);
  });
  it('flags unknown flags, variant mismatches, empty values and local contexts', () => {
    expect(checkKimiaArgv(['--context=/workspace/source', '--destination=r.io/a:v1', '--platform=linux/amd64', '--push-retry=3', '--digest-file='], 'kimia').map((i) => i.message)).toEqual([
      '--platform is not a kimia flag: kimia only warns and ignores it',
      '--push-retry only works with kimia-bud; kimia ignores it',
      '--digest-file= has an empty value: kimia would take the next argument as its value',
      'local context "/workspace/source" fails under kimia (BuildKit): use /workspace, /home/kimia/workspace or a path under /home/kimia',
    ]);
  });
});

describe('cdk8s validation plugin', () => {
  const { KimiaBundlesValidation } = require('../src') as typeof import('../src');
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  it('fails the cdk8s report on a bad manifest and names the resource and field', async () => {
    write('chart.k8s.yaml', TASK);
    const violations: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let status = '';
    await new KimiaBundlesValidation().validate({
      manifests: [path.join(tmp, 'chart.k8s.yaml')],
      parseManifest: (p: string) => parseAllDocuments(fs.readFileSync(p, 'utf8')).map((d) => d.toJS()),
      report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } },
    });
    expect(status).toBe('failure');
    expect(violations).toEqual([expect.objectContaining({
      ruleName: 'params must not be pasted into script text (script injection): pass them through env or args',
      violatingResources: [{ resourceName: 'Task/broken', manifestPath: path.join(tmp, 'chart.k8s.yaml'), locations: ['spec.steps[0].script'] }],
    })]);
  });
});
