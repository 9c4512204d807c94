/**
 * KimiaBuildPipeline (src/tekton/pipeline.ts), with literal expectations, for the rules the
 * mutation run found untested: the Pipeline's version, which helper tasks (revision, index, sign,
 * verify) a build gets, the params and images those helpers use, their registry credentials,
 * the Pipeline results, and the tekton.dev/pipelines.minVersion floor of a matrix Pipeline.
 * Upstream facts:
 * - Tekton matrix results consumed as arrays need TEP-0140, and per-combination params in
 *   taskRunSpecs pod templates tektoncd/pipeline#8599 (v1.3): hence the 1.3.0 floor;
 * - a Pipeline task's embedded taskSpec sees only the params the Pipeline task passes to it.
 */
import { Testing } from 'cdk8s';
import { KimiaBuildPipeline, KimiaBuildTask, parseBuildSpec, type BuildSpecInput } from '../src/internal';
import { BASE } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const LOCAL = { local: { path: '/home/kimia/workspace' } };
const DOCKERCONFIG_BINDING = [{ name: 'dockerconfig', workspace: 'dockerconfig' }];
const DOCKERCONFIG_DECLARATION = [{ name: 'dockerconfig', optional: true, readOnly: true, description: 'Registry credentials (config.json).' }];
const DOCKERCONFIG_ENV = { name: 'DOCKER_CONFIG', value: '$(workspaces.dockerconfig.path)' };

/** Synthesizes a Task and its Pipeline for BASE (version 0.3, Tekton) with `over`. */
function synth(over: Partial<BuildSpecInput> = {}, version?: string) {
  const chart = Testing.chart();
  const task = new KimiaBuildTask(chart, 'task', { spec: parseBuildSpec({ ...BASE, version: '0.3', outputs: ['tekton'], ...over } as BuildSpecInput) });
  const construct = new KimiaBuildPipeline(chart, 'pipeline', { task, version });
  const [, pipeline] = Testing.synth(chart);
  const tasks: Obj = Object.fromEntries(pipeline.spec.tasks.map((t: Obj) => [t.name, t]));
  return { construct, pipeline, tasks, taskNames: pipeline.spec.tasks.map((t: Obj) => t.name), paramNames: pipeline.spec.params.map((p: Obj) => p.name) };
}
const minVersion = (over: Partial<BuildSpecInput>) => synth(over).pipeline.metadata.annotations['tekton.dev/pipelines.minVersion'];

describe('Pipeline version: its own when given, else the Task\'s', () => {
  it('no version: the Pipeline is labelled and specced at the Task\'s version 0.3', () => {
    const { construct, pipeline } = synth();
    expect(pipeline.metadata.labels).toEqual({ 'app.kubernetes.io/version': '0.3' });
    expect(construct.spec.version).toBe('0.3');
  });
  it('version 0.4: the Pipeline is labelled 0.4, its build task still runs the Task by name', () => {
    const { construct, pipeline, tasks } = synth({}, '0.4');
    expect(pipeline.metadata.labels).toEqual({ 'app.kubernetes.io/version': '0.4' });
    expect(construct.spec.version).toBe('0.4');
    expect(tasks.build.taskRef).toEqual({ name: 'app', kind: 'Task' });
  });
});

describe('helper tasks by signing mode: only a key signature gets sign and verify', () => {
  it('single-arch, no signing: the build alone, no VERIFY param', () => {
    const { taskNames, paramNames } = synth();
    expect(taskNames).toEqual(['build']);
    expect(paramNames).toEqual(['BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS', 'CHAINS-GIT_URL', 'CHAINS-GIT_COMMIT']);
  });
  it('single-arch, signing.in chains: Tekton Chains signs after the TaskRun, so no verify task and no VERIFY param', () => {
    const { taskNames, paramNames } = synth({ attestation: 'max', signing: { ...SIGNING, in: 'chains' } } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['build']);
    expect(paramNames).not.toContain('VERIFY');
  });
  it('single-arch, key signing: build then verify, VERIFY defaulting to "true"', () => {
    const { taskNames, pipeline, tasks } = synth({ attestation: 'max', signing: SIGNING } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['build', 'verify']);
    expect(tasks.verify.runAfter).toEqual(['build']);
    expect(pipeline.spec.params.find((p: Obj) => p.name === 'VERIFY')).toMatchObject({ type: 'string', default: 'true' });
  });
  it('multi-arch, no signing: revision, build and index; no sign, no verify', () => {
    const { taskNames, paramNames } = synth({ platforms: PLATFORMS });
    expect(taskNames).toEqual(['revision', 'build', 'index']);
    expect(paramNames).toEqual(['BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS']);
  });
  it('multi-arch, signing.in chains: revision, build and index; Chains signs the index results, no sign or verify task', () => {
    const { taskNames, paramNames } = synth({ platforms: PLATFORMS, attestation: 'max', signing: { ...SIGNING, in: 'chains' } } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['revision', 'build', 'index']);
    expect(paramNames).toEqual(['BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS']);
  });
  it('multi-arch, key signing: sign after index, verify after sign', () => {
    const { taskNames, tasks } = synth({ platforms: PLATFORMS, attestation: 'max', signing: SIGNING } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['revision', 'build', 'index', 'sign', 'verify']);
    expect(tasks.sign.runAfter).toEqual(['index']);
    expect(tasks.verify.runAfter).toEqual(['sign']);
  });
});

describe('Pipeline results: only when the build publishes a digest', () => {
  it('kimia-bud (no Chains digest) with a commit-time epoch: the Task has only a SOURCE_DATE_EPOCH result, the Pipeline none', () => {
    const { pipeline, taskNames } = synth({ variant: 'kimia-bud', context: LOCAL, reproducible: { sourceDateEpoch: { fromGit: true } } } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['clone', 'build']);
    expect(pipeline.spec.results).toBeUndefined();
  });
  it('kimia (BuildKit), pushed: IMAGE_URL and IMAGE_DIGEST from the build', () => {
    const { pipeline } = synth();
    expect(pipeline.spec.results.map((r: Obj) => [r.name, r.value])).toEqual([
      ['IMAGE_URL', '$(tasks.build.results.IMAGE_URL)'], ['IMAGE_DIGEST', '$(tasks.build.results.IMAGE_DIGEST)']]);
  });
});

describe('helper registry credentials: the optional dockerconfig workspace, also beside a cloned source', () => {
  it('multi-arch local context, no credentials Secret: index, sign and verify bind and read dockerconfig', () => {
    const { taskNames, pipeline, tasks } = synth({ context: LOCAL, platforms: PLATFORMS, attestation: 'max', signing: SIGNING } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['clone', 'build', 'index', 'sign', 'verify']);
    expect(pipeline.spec.workspaces.map((w: Obj) => w.name)).toEqual(['shared', 'dockerconfig']);
    for (const t of ['index', 'sign', 'verify']) {
      expect({ t, ws: tasks[t].workspaces }).toEqual({ t, ws: DOCKERCONFIG_BINDING });
      expect({ t, ws: tasks[t].taskSpec.workspaces }).toEqual({ t, ws: DOCKERCONFIG_DECLARATION });
      expect({ t, env: tasks[t].taskSpec.steps[0].env }).toEqual({ t, env: expect.arrayContaining([DOCKERCONFIG_ENV]) });
    }
  });
  it('single-arch local context, key signing: verify binds and reads dockerconfig', () => {
    const { taskNames, tasks } = synth({ context: LOCAL, attestation: 'max', signing: SIGNING } as Partial<BuildSpecInput>);
    expect(taskNames).toEqual(['clone', 'build', 'verify']);
    expect(tasks.verify.workspaces).toEqual(DOCKERCONFIG_BINDING);
    expect(tasks.verify.taskSpec.workspaces).toEqual(DOCKERCONFIG_DECLARATION);
    expect(tasks.verify.taskSpec.steps[0].env).toContainEqual(DOCKERCONFIG_ENV);
  });
  it('credentials Secret: no dockerconfig workspace anywhere, no DOCKER_CONFIG pointing at one', () => {
    const { pipeline, tasks } = synth({ registry: { credentialsSecret: 'regcred' }, platforms: PLATFORMS, attestation: 'max', signing: SIGNING } as Partial<BuildSpecInput>);
    expect(pipeline.spec.workspaces).toEqual([]);
    for (const t of ['index', 'sign', 'verify']) {
      expect({ t, ws: tasks[t].workspaces }).toEqual({ t, ws: undefined });
      expect({ t, env: tasks[t].taskSpec.steps[0].env }).toEqual({ t, env: expect.not.arrayContaining([DOCKERCONFIG_ENV]) });
    }
  });
});

describe('multi-arch minVersion: raised to 1.3.0 (matrix results as arrays, TEP-0140; taskRunSpecs params, pipeline#8599), never lowered', () => {
  const multi = (v: string) => minVersion({ platforms: PLATFORMS, tekton: { minPipelinesVersion: v } } as Partial<BuildSpecInput>);
  it('default 0.50.0 is raised to 1.3.0', () => {
    expect(minVersion({ platforms: PLATFORMS })).toBe('1.3.0');
  });
  it('1.2.0 (same major, lower minor) is raised to 1.3.0', () => {
    expect(multi('1.2.0')).toBe('1.3.0');
  });
  it('1.3.0 stays 1.3.0', () => {
    expect(multi('1.3.0')).toBe('1.3.0');
  });
  it('1.03.0 (numerically 1.3.0) is kept as written', () => {
    expect(multi('1.03.0')).toBe('1.03.0');
  });
  it('1.3.1, 1.10.0 and 2.0.0 (later) are kept', () => {
    expect(multi('1.3.1')).toBe('1.3.1');
    expect(multi('1.10.0')).toBe('1.10.0');
    expect(multi('2.0.0')).toBe('2.0.0');
  });
  it('single-arch: 1.2.0 is kept (no matrix)', () => {
    expect(minVersion({ tekton: { minPipelinesVersion: '1.2.0' } } as Partial<BuildSpecInput>)).toBe('1.2.0');
  });
});

describe('revision task: passes the params the git URL and branch use, and BUILDER_IMAGE', () => {
  it('url ${ORG}, branch ${BR}: revision gets ORG, BR and BUILDER_IMAGE, declared with their defaults', () => {
    const { tasks } = synth({
      params: { ORG: { description: 'Org.', default: 'myorg' }, BR: { description: 'Branch.' } },
      context: { git: { url: 'https://github.com/${ORG}/app.git', branch: '${BR}' } },
      platforms: PLATFORMS,
    } as Partial<BuildSpecInput>);
    expect(tasks.revision.params).toEqual([
      { name: 'ORG', value: '$(params.ORG)' }, { name: 'BR', value: '$(params.BR)' }, { name: 'BUILDER_IMAGE', value: '$(params.BUILDER_IMAGE)' }]);
    expect(tasks.revision.taskSpec.params).toEqual([
      { name: 'ORG', type: 'string', description: 'Org.', default: 'myorg' },
      { name: 'BR', type: 'string', description: 'Branch.' },
      { name: 'BUILDER_IMAGE', type: 'string', description: 'The kimia builder image (BuildKit), pinned.', default: 'ghcr.io/rapidfort/kimia:1.0.25' },
    ]);
    expect(tasks.revision.taskSpec.steps[0].image).toBe('$(params.BUILDER_IMAGE)');
    expect(tasks.revision.taskSpec.steps[0].env).toEqual([
      { name: 'GIT_URL', value: 'https://github.com/$(params.ORG)/app.git' },
      { name: 'GIT_REF', value: 'refs/heads/$(params.BR)' },
      { name: 'COMMIT_FILE', value: '$(results.GIT_COMMIT.path)' },
    ]);
  });
  it('url ${ORG}, no branch: revision gets ORG and BUILDER_IMAGE', () => {
    const { tasks } = synth({
      params: { ORG: { description: 'Org.', default: 'myorg' } },
      context: { git: { url: 'https://github.com/${ORG}/app.git' } },
      platforms: PLATFORMS,
    } as Partial<BuildSpecInput>);
    expect(tasks.revision.params).toEqual([{ name: 'ORG', value: '$(params.ORG)' }, { name: 'BUILDER_IMAGE', value: '$(params.BUILDER_IMAGE)' }]);
  });
});

describe('templated builderImage: revision and sign run it, with the params it uses', () => {
  const templated = () => synth({
    params: { TEAM: { description: 'Team.', default: 'core' } },
    builderImage: 'registry.io/${TEAM}/kimia:1.0.25',
    platforms: PLATFORMS, attestation: 'max', signing: SIGNING,
  } as Partial<BuildSpecInput>);
  it('no BUILDER_IMAGE param; revision and sign run registry.io/$(params.TEAM)/kimia:1.0.25', () => {
    const { tasks, paramNames } = templated();
    expect(paramNames).toEqual(['TEAM', 'BUILD_ARGS', 'EXTRA_ARGS', 'VERIFY']);
    expect(tasks.revision.taskSpec.steps[0].image).toBe('registry.io/$(params.TEAM)/kimia:1.0.25');
    expect(tasks.sign.taskSpec.steps[0].image).toBe('registry.io/$(params.TEAM)/kimia:1.0.25');
  });
  it('TEAM (in the image only, not the git URL) is passed to revision and sign and declared with its default', () => {
    const { tasks } = templated();
    expect(tasks.revision.params).toEqual([{ name: 'TEAM', value: '$(params.TEAM)' }]);
    expect(tasks.revision.taskSpec.params).toEqual([{ name: 'TEAM', type: 'string', description: 'Team.', default: 'core' }]);
    expect(tasks.sign.params).toEqual([{ name: 'TEAM', value: '$(params.TEAM)' }, { name: 'IMAGE_DIGEST', value: '$(tasks.index.results.IMAGE_DIGEST)' }]);
  });
});

describe('index task: the params any destination uses, and every destination after the first', () => {
  const indexed = () => synth({
    params: { TEAM: { description: 'Team.', default: 'core' } },
    destinations: ['registry.io/${TEAM}/multi:v1', 'mirror.io/multi:v1', 'backup.io/${TEAM}/multi:v1'],
    platforms: PLATFORMS,
  } as Partial<BuildSpecInput>);
  it('TEAM (used by some destinations, not all) is passed and declared', () => {
    const { tasks } = indexed();
    expect(tasks.index.params).toEqual([{ name: 'TEAM', value: '$(params.TEAM)' }, { name: 'IMAGES', value: ['$(tasks.build.results.IMAGES[*])'] }]);
    expect(tasks.index.taskSpec.params).toEqual([
      { name: 'TEAM', type: 'string', description: 'Team.', default: 'core' },
      { name: 'IMAGES', type: 'array', description: 'The per-platform images by digest.' },
    ]);
  });
  it('TARGET is the first destination, EXTRA_DESTINATIONS the others one per line, params as $(params.X)', () => {
    const { tasks } = indexed();
    const env = tasks.index.taskSpec.steps[0].env;
    expect(env).toContainEqual({ name: 'TARGET', value: 'registry.io/$(params.TEAM)/multi:v1' });
    expect(env).toContainEqual({ name: 'EXTRA_DESTINATIONS', value: 'mirror.io/multi:v1\nbackup.io/$(params.TEAM)/multi:v1' });
  });
});
