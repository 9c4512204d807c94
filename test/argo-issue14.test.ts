/**
 * Issue 14 item 3 (Argo): registry and git credentials, `main` with inputs, workflowTemplateRef
 * samples, deadlines and retries on every leaf, no rebuild on a missing digest, rbac.yaml, a
 * one-command install. Expectations are literal, from Argo's source (argo-workflows v4.1.2,
 * fetched as github:argoproj/argo-workflows) and argo-hub (codefresh-io/argo-hub).
 */
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { argoEngine, argoHubEngine, hubVersion, KimiaWorkflowTemplate, loadConfig, parseBuildSpec, renderBundle, type BuildSpecInput } from '../src/internal';
import { checkWorkflowTemplateRef } from '../src/validate/argo';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const kimiaBuild = examples.builds.find((b) => b.name === 'kimia-build')!;
const multiarch = examples.builds.find((b) => b.name === 'myapp-multiarch')!;

function synth(spec: BuildSpecInput) {
  const chart = Testing.chart();
  new KimiaWorkflowTemplate(chart, 'wt', { spec });
  const [doc] = Testing.synth(chart);
  const t = (name: string): Obj => doc.spec.templates.find((x: Obj) => x.name === name);
  return { doc, t };
}
const inputNames = (t: Obj) => (t.inputs?.parameters ?? []).map((p: Obj) => p.name);
const volume = (t: Obj, name: string) => (t.volumes ?? []).find((v: Obj) => v.name === name);
const REGISTRY_SECRET = '{{inputs.parameters.REGISTRY_SECRET}}';

describe('registry credentials: a REGISTRY_SECRET input names the Secret (Argo substitutes inputs into template volumes: workflow/common/util.go:273-280)', () => {
  it('defaults to registry-credentials when the spec names none, and is a parameter of the WorkflowTemplate', () => {
    const { doc } = synth(kimiaBuild);
    expect(doc.spec.arguments.parameters.find((p: Obj) => p.name === 'REGISTRY_SECRET').value).toBe('registry-credentials');
  });
  it('defaults to the spec\'s registry.credentialsSecret', () => {
    const { doc, t } = synth({ ...kimiaBuild, registry: { credentialsSecret: 'team-registry' } });
    expect(doc.spec.arguments.parameters.find((p: Obj) => p.name === 'REGISTRY_SECRET').value).toBe('team-registry');
    expect(t('build').inputs.parameters.find((p: Obj) => p.name === 'REGISTRY_SECRET').default).toBe('team-registry');
  });
  it('is mounted read-only in build (kimia\'s ~/.docker/config.json), sign and verify (DOCKER_CONFIG)', () => {
    const { t } = synth(kimiaBuild);
    expect(volume(t('build'), 'docker-config')).toEqual({ name: 'docker-config', secret: { secretName: REGISTRY_SECRET, items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o400 } });
    expect(t('build').container.volumeMounts).toEqual([{ name: 'docker-config', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json', readOnly: true }]);
    expect(volume(t('sign'), 'signer-docker-config')).toEqual({ name: 'signer-docker-config', secret: { secretName: REGISTRY_SECRET, items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o444 } });
    expect(t('sign').container.volumeMounts).toContainEqual({ name: 'signer-docker-config', mountPath: '/etc/kimia/docker', readOnly: true });
    expect(t('sign').container.env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' });
    expect(volume(t('verify'), 'docker-config')).toEqual({ name: 'docker-config', secret: { secretName: REGISTRY_SECRET, items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o444 } });
    expect(t('verify').container.volumeMounts).toContainEqual({ name: 'docker-config', mountPath: '/etc/kimia/docker', readOnly: true });
    for (const n of ['build', 'sign', 'verify']) expect(inputNames(t(n))).toContain('REGISTRY_SECRET');
    // The epoch step clones and reads git only: no registry.
    expect(inputNames(t('source-date-epoch'))).not.toContain('REGISTRY_SECRET');
  });
  it('is mounted in the multi-arch index step too, and every task gets it from main\'s input', () => {
    const { t } = synth(multiarch);
    expect(volume(t('index'), 'docker-config').secret.secretName).toBe(REGISTRY_SECRET);
    expect(t('index').script.env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' });
    // Every task but revision (git ls-remote: no registry).
    expect(t('main').dag.tasks.map((x: Obj) => x.name)).toEqual(['revision', 'build', 'index', 'sign', 'verify']);
    for (const task of t('main').dag.tasks.filter((x: Obj) => x.name !== 'revision')) {
      expect(task.arguments.parameters).toContainEqual({ name: 'REGISTRY_SECRET', value: REGISTRY_SECRET });
    }
  });
  it('is left out of a build that pushes nothing and names no Secret', () => {
    const { signing: _s, ...unsigned } = kimiaBuild; // eslint-disable-line @typescript-eslint/no-unused-vars
    const { doc } = synth({ ...unsigned, push: false });
    expect(JSON.stringify(doc)).not.toContain('REGISTRY_SECRET');
  });
});

describe('the git input artifact', () => {
  it('clones with depth 1: the depth is the clone\'s only, the revision is then fetched from refs/heads/* and resolved (workflow/artifacts/git/git.go:117-122, 172-188)', () => {
    const { t } = synth(kimiaBuild);
    for (const n of ['source-date-epoch', 'build']) {
      expect(t(n).inputs.artifacts[0].git).toEqual({ repo: '{{inputs.parameters.GIT_URL}}', revision: '{{inputs.parameters.GIT_REVISION}}', depth: 1 });
    }
  });
  it('takes credentials from the Secret the GIT_SECRET input names, with argo.gitCredentialsSecret (usernameSecret/passwordSecret: workflow/artifacts/artifacts.go:173-186)', () => {
    const { doc, t } = synth({ ...kimiaBuild, argo: { gitCredentialsSecret: 'git-credentials' } });
    expect(doc.spec.arguments.parameters.find((p: Obj) => p.name === 'GIT_SECRET').value).toBe('git-credentials');
    for (const n of ['source-date-epoch', 'build']) {
      expect(t(n).inputs.artifacts[0].git).toEqual({
        repo: '{{inputs.parameters.GIT_URL}}', revision: '{{inputs.parameters.GIT_REVISION}}', depth: 1,
        usernameSecret: { name: '{{inputs.parameters.GIT_SECRET}}', key: 'username' },
        passwordSecret: { name: '{{inputs.parameters.GIT_SECRET}}', key: 'password' },
      });
      expect(inputNames(t(n))).toContain('GIT_SECRET');
    }
  });
  it('is refused on a git context, naming the field: kimia clones that itself and the Secret would be ignored', () => {
    expect(() => parseBuildSpec({ ...multiarch, argo: { gitCredentialsSecret: 'git-credentials' } }))
      .toThrow(/argo\.gitCredentialsSecret: applies to a local context only .*kimia clones the repository itself/);
    expect(() => parseBuildSpec({ ...kimiaBuild, argo: { gitCredentialsSecret: 'git-credentials' } })).not.toThrow();
  });
});

describe('a multi-arch git build resolves its commit once (the revision step), so every platform builds it', () => {
  let { t } = {} as ReturnType<typeof synth>;
  beforeEach(() => ({ t } = synth(multiarch)));
  it('runs REVISION_SCRIPT in the builder image with values in env only, and publishes GIT_COMMIT', () => {
    expect(t('revision').script).toMatchObject({ image: '{{inputs.parameters.BUILDER_IMAGE}}', command: ['/bin/sh'] });
    expect(t('revision').script.source).not.toContain('{{');
    expect(t('revision').script.env).toEqual([
      { name: 'GIT_URL', value: 'https://github.com/myorg/myapp.git' }, { name: 'GIT_REF', value: 'HEAD' }, { name: 'COMMIT_FILE', value: '/tmp/git-commit' },
    ]);
    expect(t('revision').outputs.parameters).toEqual([{ name: 'GIT_COMMIT', valueFrom: { path: '/tmp/git-commit' } }]);
  });
  it('passes it to every platform build as --git-revision', () => {
    const build = t('main').dag.tasks.find((x: Obj) => x.name === 'build');
    expect(build.depends).toBe('revision');
    expect(build.arguments.parameters).toContainEqual({ name: 'GIT_COMMIT', value: '{{tasks.revision.outputs.parameters.GIT_COMMIT}}' });
    expect(t('build').container.args).toContain('--git-revision={{inputs.parameters.GIT_COMMIT}}');
  });
});

describe('main declares its inputs (the entrypoint gets spec.arguments: workflow/controller/operator.go:422; a templateRef caller\'s arguments are its inputs)', () => {
  let { doc, t } = {} as ReturnType<typeof synth>;
  beforeEach(() => ({ doc, t } = synth(kimiaBuild)));
  it('declares every WorkflowTemplate parameter as an input, with its default', () => {
    expect(t('main').inputs.parameters.map((p: Obj) => [p.name, p.default])).toEqual(
      doc.spec.arguments.parameters.map((p: Obj) => [p.name, p.value]),
    );
    expect(t('main').inputs.parameters.map((p: Obj) => p.name)).toEqual(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BUILDER_IMAGE', 'GIT_URL', 'GIT_REVISION', 'REGISTRY_SECRET']);
  });
  it('reads no workflow parameter anywhere', () => {
    expect(JSON.stringify(doc.spec.templates)).not.toContain('{{workflow.parameters.');
  });
});

describe('deadlines and retries on every leaf', () => {
  const BACKOFF = { duration: '10s', factor: 2, cap: '5m' };
  it('gives every helper a deadline and OnError retries with backoff (operator.go:1101-1128)', () => {
    const { t } = synth(multiarch);
    for (const n of ['index', 'sign', 'verify']) {
      expect(t(n).activeDeadlineSeconds).toBe(900);
      expect(t(n).retryStrategy).toEqual({ limit: 1, retryPolicy: 'OnError', backoff: BACKOFF });
    }
    const { t: t2 } = synth(kimiaBuild);
    expect(t2('source-date-epoch').activeDeadlineSeconds).toBe(900);
    expect(t2('source-date-epoch').retryStrategy).toEqual({ limit: 1, retryPolicy: 'OnError', backoff: BACKOFF });
  });
  it('gives the multi-arch revision step a deadline and retries too', () => {
    const { t } = synth(multiarch);
    expect(t('revision').activeDeadlineSeconds).toBe(900);
    expect(t('revision').retryStrategy).toEqual({ limit: 1, retryPolicy: 'OnError', backoff: BACKOFF });
  });
  it('does not retry the build once kimia exited 0 (a missing digest fails it, no second push): the expression stops retries (operator.go:1186-1194)', () => {
    const { t } = synth(kimiaBuild);
    expect(t('build').activeDeadlineSeconds).toBe(3600);
    expect(t('build').retryStrategy).toEqual({ limit: 1, retryPolicy: 'OnError', backoff: BACKOFF, expression: "lastRetry.exitCode != '0'" });
    // A missing digest file with no default is an error of the step (workflow/executor/executor.go:753-760).
    expect(t('build').outputs.parameters.map((p: Obj) => p.valueFrom)).toEqual([{ path: '/tmp/kimia-digest' }, { path: '/tmp/kimia-image' }]);
  });
  it('has a deadline and no retry with argo.retryLimit: 0', () => {
    const { doc } = synth({ ...kimiaBuild, argo: { retryLimit: 0 } });
    for (const l of doc.spec.templates.filter((x: Obj) => !x.dag)) {
      expect(l.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(l.retryStrategy).toBeUndefined();
    }
  });
});

describe('the bundle: sample, rbac.yaml, README', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(examples, { builds: ['kimia-build'] }); });
  const dir = `argo/workflowtemplate/kimia-build/${kimiaBuild.version}`;
  const yamlDocs = (p: string) => parseAllDocuments(files.get(p)!).map((d) => d.toJSON());
  it('samples by workflowTemplateRef, with only the fields templateReferencing: Strict allows (docs/workflow-restrictions.md:21-36)', () => {
    const sample = parse(files.get(`${dir}/samples/workflow.yaml`)!);
    const STRICT = ['arguments', 'entrypoint', 'shutdown', 'suspend', 'activeDeadlineSeconds', 'priority', 'ttlStrategy', 'podGC', 'volumeClaimGC', 'archiveLogs', 'workflowMetadata', 'workflowTemplateRef', 'metrics', 'artifactGC'];
    for (const k of Object.keys(sample.spec)) expect(STRICT).toContain(k);
    expect(sample.spec.workflowTemplateRef).toEqual({ name: 'kimia-build' });
    const arg = (n: string) => sample.spec.arguments.parameters.find((p: Obj) => p.name === n).value;
    // kelseyhightower/nocode has one branch, master.
    expect(arg('GIT_URL')).toBe('https://github.com/kelseyhightower/nocode');
    expect(arg('GIT_REVISION')).toBe('master');
  });
  it('a ClusterWorkflowTemplate sample refers to it with clusterScope', () => {
    const m = renderBundle({ ...examples, builds: [{ ...multiarch, argo: { ...multiarch.argo, clusterScope: true } }] });
    const p = [...m.keys()].find((f) => /^argo\/clusterworkflowtemplate\/myapp-multiarch\/[^/]+\/samples\/workflow\.yaml$/.test(f))!;
    expect(parse(m.get(p)!).spec.workflowTemplateRef).toEqual({ name: 'myapp-multiarch', clusterScope: true });
  });
  it('ships rbac.yaml: the executor\'s minimum, workflowtaskresults create and patch (docs/workflow-rbac.md:11-28), bound to the account the pods run as (default: docs/workflow-rbac.md:3-4)', () => {
    expect(yamlDocs(`${dir}/rbac.yaml`)).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
        metadata: { name: 'kimia-build-executor', labels: { 'app.kubernetes.io/name': 'kimia-build', 'app.kubernetes.io/managed-by': 'kimia-bundles' } },
        rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
        metadata: { name: 'kimia-build-executor', labels: { 'app.kubernetes.io/name': 'kimia-build', 'app.kubernetes.io/managed-by': 'kimia-bundles' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kimia-build-executor' },
        subjects: [{ kind: 'ServiceAccount', name: 'default' }],
      },
    ]);
  });
  it('binds the executor account, and creates it, with argo.executorServiceAccountName', () => {
    const m = renderBundle({ ...examples, builds: [{ ...kimiaBuild, argo: { ...kimiaBuild.argo, executorServiceAccountName: 'argo-executor' } }] });
    const docs = parseAllDocuments(m.get(`${dir}/rbac.yaml`)!).map((d) => d.toJSON());
    expect(docs.map((d: Obj) => `${d.kind}/${d.metadata.name}`)).toEqual(['ServiceAccount/argo-executor', 'Role/kimia-build-executor', 'RoleBinding/kimia-build-executor']);
    expect(docs[2].subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-executor' }]);
  });
  it('installs this version in one command from its README', () => {
    const readme = files.get(`${dir}/README.md`)!;
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Parameters'));
    const commands = /```sh\n([^`]*)```/.exec(install)![1].trim().split('\n');
    // argo.catalogUrl (the examples serve dist/ from GitHub): one kubectl apply of this version's two files by URL.
    const raw = 'https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist';
    expect(commands).toEqual([`kubectl apply -n NAMESPACE -f ${raw}/${dir}/rbac.yaml -f ${raw}/${dir}/kimia-build.yaml`]);
    const local = renderBundle({ ...examples, builds: [{ ...kimiaBuild, argo: { ...kimiaBuild.argo, catalogUrl: undefined } }] }).get(`${dir}/README.md`)!;
    expect(local).toContain('```sh\nkubectl apply -n NAMESPACE -f rbac.yaml -f kimia-build.yaml\n```');
    expect(local).toContain('Run it in this directory');
    expect(local).toContain('Set `argo.catalogUrl`');
    expect(readme).toContain('| registry-credentials (parameter REGISTRY_SECRET) | .dockerconfigjson | mounted read-only at /home/kimia/.docker/config.json in `build` |');
  });
});

describe('the optional argo-hub layout (codefresh-io/argo-hub workflows/<name>/versions/<semver>/)', () => {
  // Chosen per build by outputs: [argo, argo-hub] (test/argo-hub.test.ts).
  const withHub = { builds: examples.builds.map((b) => parseBuildSpec({ ...b, outputs: (b.outputs.includes('argo') ? [...b.outputs, 'argo-hub'] : b.outputs) as never })) };
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(withHub, { builds: ['kimia-build', 'myapp-multiarch'], engines: [argoEngine, argoHubEngine] }); });
  const hub = `argo-hub/workflows/kimia-build/versions/${kimiaBuild.version}.0`;
  it('writes workflowTemplate.yaml, rbac.yaml and docs/ per version, validated like the catalog layout', () => {
    expect([...files.keys()].filter((f) => f.startsWith('argo-hub/workflows/kimia-build/'))).toEqual([
      `${hub}/docs/README.md`, `${hub}/docs/workflow.yaml`, `${hub}/rbac.yaml`, `${hub}/workflowTemplate.yaml`,
    ]);
    expect(files.get(`${hub}/rbac.yaml`)).toBe(files.get(`argo/workflowtemplate/kimia-build/${kimiaBuild.version}/rbac.yaml`));
  });
  it('names each version apart, <name>.<semver>, as argo-hub does (argo-hub.kaniko.0.0.1: workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:4)', () => {
    const wt = parse(files.get(`${hub}/workflowTemplate.yaml`)!);
    expect(wt.metadata.name).toBe(`kimia-build.${kimiaBuild.version}.0`);
    expect(wt.metadata.annotations['argo-hub/version']).toBe(`${kimiaBuild.version}.0`);
    expect(wt.metadata.annotations['argo-hub/categories']).toBe('image-build,kimia,buildkit,rootless');
    // The same template otherwise.
    const catalog = parse(files.get(`argo/workflowtemplate/kimia-build/${kimiaBuild.version}/kimia-build.yaml`)!);
    expect(wt.spec).toEqual(catalog.spec);
    expect(parse(files.get(`${hub}/docs/workflow.yaml`)!).spec.workflowTemplateRef).toEqual({ name: `kimia-build.${kimiaBuild.version}.0` });
    const readme = files.get(`${hub}/docs/README.md`)!;
    const raw = 'https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist';
    expect(readme).toContain(`kubectl apply -n NAMESPACE -f ${raw}/${hub}/rbac.yaml -f ${raw}/${hub}/workflowTemplate.yaml`);
    expect(readme).toContain(`argo submit --from workflowtemplate/kimia-build.${kimiaBuild.version}.0`);
  });
  it('pads versions to semver', () => {
    expect(['0.6', '1', '1.2.3'].map(hubVersion)).toEqual(['0.6.0', '1.0.0', '1.2.3']);
  });
});

describe('Argo validation of a workflowTemplateRef Workflow against its template (merge.go:274-311; validate.go:205, 1016-1023)', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(examples, { builds: ['kimia-build'] }); });
  const dir = `argo/workflowtemplate/kimia-build/${kimiaBuild.version}`;
  let wt: Obj;
  beforeEach(() => { wt = parse(files.get(`${dir}/kimia-build.yaml`)!); });
  const sample = () => parse(files.get(`${dir}/samples/workflow.yaml`)!);
  it('passes for every rendered sample of the examples', () => {
    expect(checkWorkflowTemplateRef(sample(), wt)).toEqual([]);
    const all = renderBundle(examples);
    for (const [p, text] of all) {
      const m = /^(argo\/[^/]+\/([^/]+)\/[^/]+)\/samples\/workflow\.yaml$/.exec(p);
      if (!m) continue;
      expect({ p, issues: checkWorkflowTemplateRef(parse(text), parse(all.get(`${m[1]}/${m[2]}.yaml`)!)) }).toEqual({ p, issues: [] });
    }
  });
  it('finds a missing required value, a wrong name and a wrong scope', () => {
    const s = sample();
    s.spec.arguments.parameters = s.spec.arguments.parameters.filter((p: Obj) => p.name !== 'IMAGE');
    s.spec.workflowTemplateRef = { name: 'kimia-build-x', clusterScope: true };
    expect(checkWorkflowTemplateRef(s, wt).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'spec.workflowTemplateRef.name: names "kimia-build-x", not the template "kimia-build"',
      'spec.workflowTemplateRef.clusterScope: must be false for a WorkflowTemplate',
      'spec.arguments.parameters: spec.arguments.IMAGE.value or spec.arguments.IMAGE.valueFrom is required',
    ]);
  });
});
