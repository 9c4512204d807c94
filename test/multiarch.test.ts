import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  INDEX_SCRIPT, REVISION_SCRIPT, SIGN_ARGS_MARKER, SIGN_SCRIPT, signCommand, KimiaBuildPipeline, KimiaBuildTask, KimiaWorkflowTemplate, parseBuildSpec, renderBundle, type BuildSpecInput,
} from '../src/internal';
import { BASE, errorsOf } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const THREE: BuildSpecInput = {
  ...BASE,
  name: 'multi',
  destinations: ['registry.io/team/multi:v1', 'mirror.io/team/multi:v1'],
  platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  attestation: 'max',
  signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'cosign.password' } },
  outputs: ['tekton', 'argo'],
};
const doc = (files: Map<string, string>, f: string) => parse(files.get(f)!.replace(/^#.*\n/, ''));

describe('multi-arch fan-out', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle({ builds: [parseBuildSpec(THREE)] }); });

  it('Argo: one native build per platform, differing only in platform and node architecture', () => {
    const wt = doc(files, 'argo/workflowtemplate/multi/0.1/multi.yaml');
    const tasks = wt.spec.templates.find((t: Obj) => t.name === 'main').dag.tasks;
    // revision: the commit every platform builds, resolved once (platforms.ts resolvesRevision).
    expect(tasks.map((t: Obj) => t.name)).toEqual(['revision', 'build', 'index', 'sign', 'verify']);
    const task = (n: string) => tasks.find((t: Obj) => t.name === n);
    expect(task('build').depends).toBe('revision');
    expect(task('build').arguments.parameters).toContainEqual({ name: 'GIT_COMMIT', value: '{{tasks.revision.outputs.parameters.GIT_COMMIT}}' });
    expect(task('build').withItems).toEqual([
      { PLATFORM: 'linux/amd64', PLATFORM_TAG: 'linux-amd64', ARCH: 'amd64' },
      { PLATFORM: 'linux/arm64', PLATFORM_TAG: 'linux-arm64', ARCH: 'arm64' },
      { PLATFORM: 'linux/arm/v7', PLATFORM_TAG: 'linux-arm-v7', ARCH: 'arm' },
    ]);
    const build = wt.spec.templates.find((t: Obj) => t.name === 'build');
    expect(build.nodeSelector).toEqual({ 'kubernetes.io/arch': '{{inputs.parameters.ARCH}}' });
    expect(build.container.args).toEqual([
      '--context=https://github.com/myorg/myapp.git',
      '--git-revision={{inputs.parameters.GIT_COMMIT}}',
      '--destination=registry.io/team/multi:v1-{{inputs.parameters.PLATFORM_TAG}}',
      '--custom-platform={{inputs.parameters.PLATFORM}}',
      '--attestation=max',
      '--digest-file=/tmp/kimia-digest', '--image-name-with-digest-file=/tmp/kimia-image',
    ]);
    const index = wt.spec.templates.find((t: Obj) => t.name === 'index');
    expect(index.script.source).toBe(INDEX_SCRIPT);
    expect(index.script.env).toEqual(expect.arrayContaining([
      { name: 'TARGET', value: 'registry.io/team/multi:v1' }, { name: 'EXTRA_DESTINATIONS', value: 'mirror.io/team/multi:v1' },
    ]));
    expect(index.outputs.parameters.map((p: Obj) => p.globalName)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'IMAGES']);
    const sign = wt.spec.templates.find((t: Obj) => t.name === 'sign');
    // Signatures live per repository: every destination repository is signed at the index digest.
    // The sign script signs each repository once at the index digest, recursively (SIGN_SCRIPT: repo = destination less its tag).
    expect(sign.container.command).toEqual(signCommand());
    expect(sign.container.args).toEqual(['--recursive', '--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false',
      SIGN_ARGS_MARKER, 'registry.io/team/multi:v1', 'mirror.io/team/multi:v1']);
    expect(sign.container.env).toEqual([
      { name: 'KIMIA_DIGEST', value: '{{inputs.parameters.IMAGE_DIGEST}}' },
      { name: 'COSIGN_KEY_FILE', value: '/secrets/cosign.key' },
      { name: 'COSIGN_PASSWORD_FILE', value: '/etc/kimia/cosign-password/password' },
      { name: 'HOME', value: '/home/kimia' },
      { name: 'TUF_ROOT', value: '/home/kimia/.sigstore/root' },
      // Argo: the registry Secret the REGISTRY_SECRET input names (default registry-credentials), as DOCKER_CONFIG.
      { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' },
    ]);
    // The password is a file of the Secret the spec names, never a secretKeyRef env.
    expect(sign.volumes.map((v: Obj) => [v.name, v.secret.secretName, v.secret.items])).toEqual([
      ['cosign-key', 'cosign-keys', [{ key: 'cosign.key', path: 'cosign.key' }]], ['cosign-password', 'cosign-keys', [{ key: 'cosign.password', path: 'password' }]],
      ['signer-docker-config', '{{inputs.parameters.REGISTRY_SECRET}}', [{ key: '.dockerconfigjson', path: 'config.json' }]],
    ]);
    expect(sign.securityContext).toEqual({ fsGroup: 1000 });
    expect(task('sign').arguments.parameters).toEqual([
      // From main's inputs (a templateRef caller's arguments reach them: argo-workflows v4.1.2 workflow/controller/operator.go:422).
      { name: 'BUILDER_IMAGE', value: '{{inputs.parameters.BUILDER_IMAGE}}' }, { name: 'REGISTRY_SECRET', value: '{{inputs.parameters.REGISTRY_SECRET}}' },
      { name: 'IMAGE_DIGEST', value: '{{tasks.index.outputs.parameters.IMAGE_DIGEST}}' }]);
  });

  it('Tekton: a matrix over the platforms, an index task and a recursive sign', () => {
    const pipeline = doc(files, 'tekton/pipeline/multi/0.1/multi.yaml');
    const tasks = Object.fromEntries(pipeline.spec.tasks.map((t: Obj) => [t.name, t]));
    // A git context without a revision: the commit is resolved once, and every platform builds it (issue 14).
    expect(Object.keys(tasks)).toEqual(['revision', 'build', 'index', 'sign', 'verify']);
    expect(tasks.revision.taskSpec.steps[0]).toMatchObject({ image: '$(params.BUILDER_IMAGE)', script: REVISION_SCRIPT });
    expect(tasks.revision.taskSpec.steps[0].env).toEqual([
      { name: 'GIT_URL', value: 'https://github.com/myorg/myapp.git' },
      { name: 'GIT_REF', value: 'HEAD' },
      { name: 'COMMIT_FILE', value: '$(results.GIT_COMMIT.path)' },
    ]);
    expect(tasks.build.runAfter).toEqual(['revision']);
    expect(tasks.build.params).toEqual(expect.arrayContaining([
      { name: 'GIT_COMMIT', value: '$(tasks.revision.results.GIT_COMMIT)' },
      { name: 'CHAINS-GIT_COMMIT', value: '$(tasks.revision.results.GIT_COMMIT)' },
      { name: 'CHAINS-GIT_URL', value: 'https://github.com/myorg/myapp.git' },
    ]));
    expect(pipeline.spec.params.map((p: Obj) => p.name)).not.toEqual(expect.arrayContaining(['GIT_COMMIT']));
    expect(tasks.build.matrix.include).toEqual([
      { name: 'linux-amd64', params: [{ name: 'PLATFORM', value: 'linux/amd64' }, { name: 'PLATFORM_TAG', value: 'linux-amd64' }, { name: 'ARCH', value: 'amd64' }] },
      { name: 'linux-arm64', params: [{ name: 'PLATFORM', value: 'linux/arm64' }, { name: 'PLATFORM_TAG', value: 'linux-arm64' }, { name: 'ARCH', value: 'arm64' }] },
      { name: 'linux-arm-v7', params: [{ name: 'PLATFORM', value: 'linux/arm/v7' }, { name: 'PLATFORM_TAG', value: 'linux-arm-v7' }, { name: 'ARCH', value: 'arm' }] },
    ]);
    expect(tasks.index.params).toEqual([{ name: 'IMAGES', value: ['$(tasks.build.results.IMAGES[*])'] }]);
    expect(tasks.index.taskSpec.steps[0].script).toBe(INDEX_SCRIPT);
    expect(tasks.sign.taskSpec.steps[0]).toMatchObject({ image: '$(params.BUILDER_IMAGE)', script: SIGN_SCRIPT });
    expect(tasks.sign.taskSpec.steps[0].args).toEqual(['--recursive', '--yes', '--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false',
      SIGN_ARGS_MARKER, 'registry.io/team/multi:v1', 'mirror.io/team/multi:v1']);
    expect(tasks.sign.taskSpec.steps[0].env).toContainEqual({ name: 'KIMIA_DIGEST', value: '$(params.IMAGE_DIGEST)' });
    expect(tasks.sign.taskSpec.steps[0].env.map((e: Obj) => e.name)).not.toContain('COSIGN_PASSWORD');
    // No credentials Secret in the spec: every helper reads the Pipeline's optional dockerconfig workspace, sign included.
    for (const t of ['index', 'sign', 'verify']) {
      expect({ t, ws: tasks[t].workspaces }).toEqual({ t, ws: [{ name: 'dockerconfig', workspace: 'dockerconfig' }] });
      expect({ t, ws: tasks[t].taskSpec.workspaces }).toEqual({ t, ws: [{ name: 'dockerconfig', optional: true, readOnly: true, description: 'Registry credentials (config.json).' }] });
      expect(tasks[t].taskSpec.steps[0].env).toContainEqual({ name: 'DOCKER_CONFIG', value: '$(workspaces.dockerconfig.path)' });
    }
    expect(tasks.sign.params).toEqual([
      { name: 'BUILDER_IMAGE', value: '$(params.BUILDER_IMAGE)' }, { name: 'IMAGE_DIGEST', value: '$(tasks.index.results.IMAGE_DIGEST)' }]);
    expect(tasks.verify.params).toEqual([{ name: 'IMAGE_REF', value: '$(tasks.index.results.IMAGE_URL)@$(tasks.index.results.IMAGE_DIGEST)' }]);
    expect(pipeline.spec.results.map((r: Obj) => r.value)).toEqual(['$(tasks.index.results.IMAGE_URL)', '$(tasks.index.results.IMAGE_DIGEST)', '$(tasks.index.results.IMAGES)']);
    expect(pipeline.metadata.annotations['tekton.dev/pipelines.minVersion']).toBe('1.3.0');
    const run = doc(files, 'tekton/pipeline/multi/0.1/samples/pipelinerun.yaml');
    expect(run.spec.taskRunSpecs).toEqual([{ pipelineTaskName: 'build', podTemplate: { securityContext: { fsGroup: 1000 }, nodeSelector: { 'kubernetes.io/arch': '$(params.ARCH)' } } }]);
  });

  it('Tekton: the Task is one unsigned per-platform build reporting IMAGES by digest', () => {
    const chart = Testing.chart();
    const task = new KimiaBuildTask(chart, 't', { spec: THREE });
    new KimiaBuildPipeline(chart, 'p', { task });
    const taskDoc = Testing.synth(chart)[0];
    const build = taskDoc.spec.steps.find((s: Obj) => s.name === 'build');
    expect(build.args.slice(0, 5)).toEqual([
      '--context=https://github.com/myorg/myapp.git', '--git-revision=$(params.GIT_COMMIT)', '--destination=registry.io/team/multi:v1-$(params.PLATFORM_TAG)',
      '--custom-platform=$(params.PLATFORM)', '--attestation=max',
    ]);
    expect(build.args).not.toContain('--sign');
    expect(taskDoc.spec.results.map((r: Obj) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'IMAGES']);
  });

  it('helpers read registry credentials one way: the dockerconfigjson Secret at /etc/kimia/docker', () => {
    const withCreds = renderBundle({ builds: [parseBuildSpec({ ...THREE, registry: { credentialsSecret: 'regcreds' } })] });
    const wt = doc(withCreds, 'argo/workflowtemplate/multi/0.1/multi.yaml');
    const pipeline = doc(withCreds, 'tekton/pipeline/multi/0.1/multi.yaml');
    const helpers = [
      ...['index', 'sign', 'verify'].map((n) => wt.spec.templates.find((t: Obj) => t.name === n)),
      // Not the revision task: it talks to git, not to the registry.
      ...pipeline.spec.tasks.filter((t: Obj) => t.taskSpec && t.name !== 'revision').map((t: Obj) => ({ ...t.taskSpec, container: t.taskSpec.steps[0] })),
    ];
    expect(helpers).toHaveLength(6);
    for (const h of helpers) {
      const c = h.container ?? h.script;
      expect(c.env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' });
      // The sign step's volume has a name of its own: in a Tekton Task it shares the pod with the builder's subPath mount.
      const vol = h.name === 'sign' || c.name === 'cosign-sign' ? 'signer-docker-config' : 'docker-config';
      expect(c.volumeMounts).toContainEqual({ name: vol, mountPath: '/etc/kimia/docker', readOnly: true });
      // Argo names the Secret by its REGISTRY_SECRET input (default: the spec's), Tekton by the spec.
      const secretName = h.container?.name === 'main' || h.script ? '{{inputs.parameters.REGISTRY_SECRET}}' : 'regcreds';
      expect(h.volumes).toContainEqual({ name: vol, secret: { secretName, items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o444 } });
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    // Only the sign step reads the builder's 0400 key volume, so only it needs fsGroup.
    expect(wt.spec.templates.find((t: Obj) => t.name === 'index').securityContext).toBeUndefined();
    // The builder keeps its own subPath mount, so ~/.docker stays writable for kimia.
    const build = wt.spec.templates.find((t: Obj) => t.name === 'build');
    expect(build.container.volumeMounts).toContainEqual({ name: 'docker-config', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json', readOnly: true });
  });

  it('the index step is told when the spec allows insecure registries (INSECURE=true), and only then', () => {
    const index = (spec: BuildSpecInput) => {
      const b = renderBundle({ builds: [parseBuildSpec(spec)] });
      const wt = doc(b, 'argo/workflowtemplate/multi/0.1/multi.yaml').spec.templates.find((t: Obj) => t.name === 'index').script.env;
      const tk = doc(b, 'tekton/pipeline/multi/0.1/multi.yaml').spec.tasks.find((t: Obj) => t.name === 'index').taskSpec.steps[0].env;
      return [wt, tk];
    };
    for (const env of index({ ...THREE, registry: { insecureRegistries: ['registry.io'] } })) expect(env).toContainEqual({ name: 'INSECURE', value: 'true' });
    for (const env of index(THREE)) expect(env.map((e: Obj) => e.name)).not.toContain('INSECURE');
  });

  it('takes pinned, configurable tool images', () => {
    const chart = Testing.chart();
    new KimiaWorkflowTemplate(chart, 'wt', { spec: { ...THREE, argo: { craneImage: 'registry.io/tools/crane:v1', cosignImage: 'registry.io/tools/cosign:v3' } } });
    const templates = Testing.synth(chart)[0].spec.templates;
    expect(templates.find((t: Obj) => t.name === 'index').script.image).toBe('registry.io/tools/crane:v1');
    // cosignImage is the verify step's; the sign step runs the builder image (its script needs bash and /usr/local/bin/cosign).
    expect(templates.find((t: Obj) => t.name === 'verify').container.image).toBe('registry.io/tools/cosign:v3');
    expect(templates.find((t: Obj) => t.name === 'sign').container.image).toBe('{{inputs.parameters.BUILDER_IMAGE}}');
    const p = doc(renderBundle({ builds: [parseBuildSpec({ ...THREE, tekton: { craneImage: 'registry.io/tools/crane:v1' } })] }), 'tekton/pipeline/multi/0.1/multi.yaml');
    expect(p.spec.tasks.find((t: Obj) => t.name === 'index').taskSpec.steps[0].image).toBe('registry.io/tools/crane:v1');
    expect(p.spec.tasks.find((t: Obj) => t.name === 'sign').taskSpec.steps[0].image).toBe('$(params.BUILDER_IMAGE)');
  });

  it('refuses what a fan-out cannot do', () => {
    expect(errorsOf({ ...THREE, outputs: ['job'] })).toEqual(['outputs: a Job builds one platform: render multi-arch builds as tekton or argo (outputs: [tekton, argo])']);
    expect(errorsOf({ ...THREE, platform: 'linux/amd64' })).toEqual(['platforms: set either platform or platforms, not both']);
    expect(errorsOf({ ...THREE, platforms: ['linux/amd64', 'linux/amd64,linux/arm64'] })).toEqual([
      'platforms[1]: "linux/amd64,linux/arm64" lists several platforms: kimia builds one platform per build; declare one build per platform']);
    expect(errorsOf({ ...THREE, push: false, signing: undefined })).toEqual(['platforms: multi-arch pushes the per-platform images and the index: push must be on and tarPath unset']);
    expect(errorsOf({ ...THREE, platforms: ['linux/amd64'] })).toEqual(['platforms: list at least two platforms (use platform for one)']);
  });
});

describe('the index script, run with a stand-in crane', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const path = require('node:path') as typeof import('node:path');
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  it('appends every platform image by digest, copies to the other destinations and writes the results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-index-'));
    try {
      fs.writeFileSync(path.join(dir, 'crane'), [
        '#!/bin/sh', 'echo "$@" >> "$OUT/calls"',
        '[ "$1" = index ] && echo "registry.io/a@sha256:$(printf "%064d" 9)"',
        // A flattened index as crane returns it: two image manifests and an attestation manifest (unknown/unknown).
        '[ "$1" = manifest ] && printf \'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"m","digest":"sha256:%064d","platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"m","digest":"sha256:%064d","platform":{"architecture":"arm64","os":"linux"}},{"mediaType":"m","digest":"sha256:%064d","annotations":{"vnd.docker.reference.digest":"sha256:%064d","vnd.docker.reference.type":"attestation-manifest"},"platform":{"architecture":"unknown","os":"unknown"}}]}\' 5 6 7 5',
        'exit 0', ''].join('\n'), { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'index.sh'), INDEX_SCRIPT.replace('#!/busybox/sh', '#!/bin/sh'));
      const d = (n: number) => `registry.io/a@sha256:${String(n).padStart(64, '0')}`;
      const r = spawnSync('sh', [path.join(dir, 'index.sh')], {
        encoding: 'utf8',
        env: { PATH: `${dir}:${process.env.PATH}`, OUT: dir, IMAGES: JSON.stringify([d(1), d(2)]), TARGET: 'registry.io/a:v1', EXTRA_DESTINATIONS: 'mirror.io/a:v1\nmirror.io/b:v1 *',
          URL_FILE: path.join(dir, 'url'), DIGEST_FILE: path.join(dir, 'digest'), IMAGES_FILE: path.join(dir, 'images') },
      });
      expect(r.status).toBe(0);
      // Newline-separated lists: a value with a space or a glob stays one argument.
      expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8')).toBe(
        `index append -m ${d(1)} -m ${d(2)} -t registry.io/a:v1\ncopy ${d(9)} mirror.io/a:v1\ncopy ${d(9)} mirror.io/b:v1 *\nmanifest ${d(9)}\n`);
      // As tagged: Chains records IMAGE_URL@IMAGE_DIGEST, so the digest is not in the URL.
      expect(fs.readFileSync(path.join(dir, 'url'), 'utf8')).toBe('registry.io/a:v1');
      expect(fs.readFileSync(path.join(dir, 'digest'), 'utf8')).toBe(`sha256:${'0'.repeat(63)}9`);
      // No attestation manifest (7) among the images.
      expect(fs.readFileSync(path.join(dir, 'images'), 'utf8')).toBe(`${d(9)}\n${d(5)}\n${d(6)}\n`);
      // Tekton passes IMAGES as arguments (array param items, each may end with a newline).
      fs.rmSync(path.join(dir, 'calls'));
      const r2 = spawnSync('sh', [path.join(dir, 'index.sh'), `${d(1)}\n`, `${d(2)}\n`], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, OUT: dir, TARGET: 'registry.io/a:v1',
        URL_FILE: path.join(dir, 'url'), DIGEST_FILE: path.join(dir, 'digest'), IMAGES_FILE: path.join(dir, 'images') } });
      expect(r2.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8').split('\n')[0]).toBe(`index append -m ${d(1)} -m ${d(2)} -t registry.io/a:v1`);
      // A spec that allows insecure registries: every crane call gets --insecure.
      fs.rmSync(path.join(dir, 'calls'));
      const r3 = spawnSync('sh', [path.join(dir, 'index.sh')], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, OUT: dir, IMAGES: JSON.stringify([d(1), d(2)]), TARGET: 'registry.io/a:v1',
        EXTRA_DESTINATIONS: 'mirror.io/a:v1', INSECURE: 'true', URL_FILE: path.join(dir, 'url'), DIGEST_FILE: path.join(dir, 'digest'), IMAGES_FILE: path.join(dir, 'images') } });
      expect(r3.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8')).toBe(
        `index append --insecure -m ${d(1)} -m ${d(2)} -t registry.io/a:v1\ncopy --insecure ${d(9)} mirror.io/a:v1\nmanifest --insecure ${d(9)}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
