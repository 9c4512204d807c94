import * as path from 'node:path';
import { Testing } from 'cdk8s';
import {
  BUILD_ARGS_MARKER, BUILD_SCRIPT, containerSecurityContext, EPOCH_SCRIPT, EXTRA_ARGS_MARKER, KimiaBuildPipeline,
  KimiaBuildTask, loadConfig, parseBuildSpec, renderBundle, VERIFY_SCRIPT, type BuildSpecInput,
} from '../src';
import { BASE, synthJob } from './helpers';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const catalogSpec = examples.builds.find((b) => b.name === 'kimia-build')!;

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
  const { taskDoc, steps, build } = synthTekton(catalogSpec);

  it('is a tekton.dev/v1 Task with catalog metadata', () => {
    expect(taskDoc.apiVersion).toBe('tekton.dev/v1');
    expect(taskDoc.kind).toBe('Task');
    expect(taskDoc.metadata).toEqual({
      name: 'kimia-build',
      labels: { 'app.kubernetes.io/version': '0.1' },
      annotations: {
        'tekton.dev/pipelines.minVersion': '0.50.0',
        'tekton.dev/categories': 'Image Build',
        'tekton.dev/tags': 'image-build, kimia, buildkit, rootless',
        'tekton.dev/displayName': 'kimia kimia-build',
        'tekton.dev/platforms': 'linux/amd64,linux/arm64',
      },
    });
    expect(taskDoc.spec.description).toMatch(/^Build, attest and sign a container image/);
  });
  it('declares the catalog params, each with a description and no enum', () => {
    expect(names(taskDoc.spec.params)).toEqual(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS', 'CHAINS-GIT_URL', 'CHAINS-GIT_COMMIT', 'GIT_IMAGE']);
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
  it('mounts the source where kimia accepts a local context, with optional dockerconfig and a cosign workspace', () => {
    expect(taskDoc.spec.workspaces.map((w: Record<string, unknown>) => ({ name: w.name, mountPath: w.mountPath, optional: w.optional, readOnly: w.readOnly }))).toEqual([
      { name: 'source', mountPath: '/home/kimia/workspace', optional: undefined, readOnly: undefined },
      { name: 'dockerconfig', mountPath: '/home/kimia/.docker', optional: true, readOnly: true },
      { name: 'cosign', mountPath: '/secrets', optional: undefined, readOnly: true },
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
    expect(names(steps)).toEqual(['source-date-epoch', 'build']);
    expect(steps[0]).toMatchObject({ image: '$(params.GIT_IMAGE)', script: EPOCH_SCRIPT });
    expect(steps[0].env).toEqual([
      { name: 'SOURCE_DIR', value: '$(workspaces.source.path)' },
      { name: 'EPOCH_FILE', value: '$(results.SOURCE_DATE_EPOCH.path)' },
    ]);
    expect(build.env).toContainEqual({ name: 'KIMIA_EPOCH_FILE', value: '$(results.SOURCE_DATE_EPOCH.path)' });
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
      '--sign',
      '--cosign-key=/secrets/cosign.key',
      '--cosign-password-env=COSIGN_PASSWORD',
      '--digest-file=$(results.IMAGE_DIGEST.path)',
      BUILD_ARGS_MARKER, '$(params.BUILD_ARGS[*])',
      EXTRA_ARGS_MARKER, '$(params.EXTRA_ARGS[*])',
    ]);
  });
  it('puts kimia\'s security context on the build step and shared settings in stepTemplate', () => {
    expect(build.securityContext).toEqual(containerSecurityContext(parseBuildSpec(catalogSpec)));
    expect(taskDoc.spec.stepTemplate).toEqual({ securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 } });
    expect(build.computeResources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '8Gi' } });
  });
});

describe('KimiaBuildPipeline', () => {
  const { pipelineDoc } = synthTekton(catalogSpec);
  const tasks = Object.fromEntries(pipelineDoc.spec.tasks.map((t: { name: string }) => [t.name, t]));

  it('clones with the catalog git-clone by hub resolver, builds, then verifies', () => {
    expect(Object.keys(tasks)).toEqual(['clone', 'build', 'verify']);
    expect(tasks.clone.taskRef).toEqual({
      resolver: 'hub',
      params: [
        { name: 'catalog', value: 'tekton-catalog-tasks' }, { name: 'type', value: 'artifact' },
        { name: 'kind', value: 'task' }, { name: 'name', value: 'git-clone' }, { name: 'version', value: '0.9' },
      ],
    });
    expect(tasks.build.runAfter).toEqual(['clone']);
    expect(tasks.build.workspaces).toEqual([
      { name: 'source', workspace: 'shared' }, { name: 'dockerconfig', workspace: 'dockerconfig' }, { name: 'cosign', workspace: 'cosign' },
    ]);
    expect(tasks.build.params).toEqual(expect.arrayContaining([
      { name: 'CHAINS-GIT_URL', value: '$(tasks.clone.results.url)' },
      { name: 'CHAINS-GIT_COMMIT', value: '$(tasks.clone.results.commit)' },
      { name: 'BUILD_ARGS', value: ['$(params.BUILD_ARGS[*])'] },
    ]));
    expect(tasks.verify.params).toEqual([{ name: 'IMAGE_REF', value: '$(tasks.build.results.IMAGE_URL)@$(tasks.build.results.IMAGE_DIGEST)' }]);
    expect(tasks.verify.taskSpec.steps[0].script).toBe(VERIFY_SCRIPT);
  });
  it('surfaces the image results and shares one workspace', () => {
    expect(pipelineDoc.spec.results).toEqual([
      expect.objectContaining({ name: 'IMAGE_URL', value: '$(tasks.build.results.IMAGE_URL)' }),
      expect.objectContaining({ name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' }),
    ]);
    expect(names(pipelineDoc.spec.workspaces)).toEqual(['shared', 'dockerconfig', 'cosign']);
    expect(names(pipelineDoc.spec.params).slice(0, 2)).toEqual(['GIT_URL', 'GIT_REVISION']);
  });
  it('can skip the verify task and pick the git-clone version', () => {
    const { pipelineDoc: p } = synthTekton({ ...catalogSpec, tekton: { verify: false, gitCloneVersion: '0.10' } });
    expect(names(p.spec.tasks)).toEqual(['clone', 'build']);
    expect(p.spec.tasks[0].taskRef.params).toContainEqual({ name: 'version', value: '0.10' });
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
    signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } },
  };
  const values = { TAG: 'v2.3', EPOCH: '1710000000' };
  const bind = (s: string) => s.replace(/\$\(params\.([A-Z_]+)\)/g, (_m, n: keyof typeof values) => values[n]);
  const job = synthJob(spec, values);
  const { build, taskDoc } = synthTekton(spec);

  it('gives the same kimia argv', () => {
    const taskArgs = build.args.slice(0, build.args.indexOf(BUILD_ARGS_MARKER)).filter((a: string) => !a.startsWith('--digest-file=$(results.'));
    expect(taskArgs.map(bind)).toEqual(job.container.args);
  });
  it('gives the same kimia env', () => {
    const taskEnv = build.env.filter((e: { name: string }) => !e.name.startsWith('KIMIA_')).map((e: { value?: string }) => (e.value ? { ...e, value: bind(e.value) } : e));
    expect(taskEnv).toEqual(job.container.env);
  });
  it('puts the registry config and cosign key at the same paths', () => {
    const jobMounts = Object.fromEntries(job.container.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
    const ws = Object.fromEntries(taskDoc.spec.workspaces.map((w: { name: string; mountPath: string }) => [w.name, w.mountPath]));
    expect(jobMounts['cosign-key']).toBe(ws.cosign);
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
      expect([BUILD_SCRIPT, EPOCH_SCRIPT, VERIFY_SCRIPT]).toContain(s);
      for (const h of HOSTILE) expect(s).not.toContain(h);
      expect(s).not.toContain('$(params.');
    }
  });
  it('BUILD_ARGS and EXTRA_ARGS items arrive as whole arguments, not script text', () => {
    expect(BUILD_SCRIPT).toContain('for arg in "$@"');
    expect(BUILD_SCRIPT).not.toMatch(/eval|\$\(params/);
  });
});

describe('the catalog layout in dist/', () => {
  const files = renderBundle(examples, { builds: ['kimia-build'] });
  it('has Task and Pipeline with README, samples and tests', () => {
    expect([...files.keys()].filter((f) => f.startsWith('tekton/'))).toEqual([
      'tekton/pipeline/kimia-build/0.1/README.md',
      'tekton/pipeline/kimia-build/0.1/kimia-build.yaml',
      'tekton/pipeline/kimia-build/0.1/samples/pipelinerun.yaml',
      'tekton/pipeline/kimia-build/0.1/tests/run.yaml',
      'tekton/task/kimia-build/0.1/README.md',
      'tekton/task/kimia-build/0.1/kimia-build.yaml',
      'tekton/task/kimia-build/0.1/samples/pipelinerun.yaml',
      'tekton/task/kimia-build/0.1/samples/taskrun.yaml',
      'tekton/task/kimia-build/0.1/tests/pre-apply-task-hook.sh',
      'tekton/task/kimia-build/0.1/tests/run.yaml',
    ]);
  });
  it('documents params, workspaces, results, platforms, security and usage in the README', () => {
    const readme = files.get('tekton/task/kimia-build/0.1/README.md')!;
    for (const section of ['## Install', '## Parameters', '## Workspaces', '## Results', '## Platforms', '## Security', '## Usage']) expect(readme).toContain(section);
    expect(readme).toContain('| IMAGE | string | Reference of the image to build and push (repository:tag). | (required) |');
    expect(readme).toContain('**privileged**');
    expect(readme).toContain('kind: TaskRun');
  });
  it('gives sample runs only declared params, with the declared types', () => {
    const { parse } = require('yaml') as typeof import('yaml');
    const doc = (f: string) => parse(files.get(f)!.replace(/^#.*\n/, ''));
    const pipeline = doc('tekton/pipeline/kimia-build/0.1/kimia-build.yaml');
    const task = doc('tekton/task/kimia-build/0.1/kimia-build.yaml');
    const runs: Array<[string, { spec: { params: Array<{ name: string; type?: string; default?: unknown }> } }]> = [
      ['tekton/task/kimia-build/0.1/samples/taskrun.yaml', task],
      ['tekton/task/kimia-build/0.1/samples/pipelinerun.yaml', pipeline],
      ['tekton/task/kimia-build/0.1/tests/run.yaml', pipeline],
      ['tekton/pipeline/kimia-build/0.1/tests/run.yaml', pipeline],
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
  it('fills required params in the samples', () => {
    const taskRun = files.get('tekton/task/kimia-build/0.1/samples/taskrun.yaml')!;
    expect(taskRun).toContain('value: registry.example.com/team/app:v1');
    expect(taskRun).toContain('fsGroup: 1000');
  });
});
