/**
 * The Tekton renderer (src/tekton: engine, Pipeline, Task, samples, README), pinned by rendered
 * output, for mutants the mutation run left alive in src/tekton. Upstream facts:
 * - Tekton v1 Task workspaces are mounted by Tekton itself (tektoncd/pipeline v1.15.0
 *   pkg/apis/pipeline/v1/workspace_types.go WorkspaceDeclaration.MountPath), so a build whose
 *   source is a workspace mounts no volume of its own there;
 * - the bundles resolver parses `bundle` with go-containerregistry's name.ParseReference
 *   (tektoncd/pipeline pkg/resolution/resolver/bundle): REPO:TAG or REPO@sha256:…;
 * - tektoncd/catalog test/e2e-common.sh: the runner applies task/<name>/<version>/tests/*.yaml only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  KimiaBuildPipeline, KimiaBuildTask, parseBuildSpec, renderBundle, tektonEngine, type BuildSpecInput,
} from '../src/internal';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A build the catalog runner can test: local context, the registry from ${IMAGE}. */
const LOCAL: BuildSpecInput = {
  name: 'app', version: '0.1', context: { local: { path: '/home/kimia/workspace' } }, outputs: ['tekton'],
  params: { IMAGE: { description: 'image' } }, destinations: ['${IMAGE}'],
};
const render = (over: Partial<BuildSpecInput> = {}) => renderBundle({ builds: [parseBuildSpec({ ...LOCAL, ...over } as BuildSpecInput)] });
const doc = (files: ReadonlyMap<string, string>, file: string): Obj => parse(files.get(file)!);

describe('engine: README of a bundle-repository build rendered without a bundle digest (RenderOptions.bundleDigest unset)', () => {
  it('names the tag in the bundles-resolver reference and says the push prints the digest to pin', () => {
    const files = tektonEngine.render(Testing.app(), parseBuildSpec({ ...LOCAL, tekton: { bundleRepository: 'ghcr.io/myorg/catalog' } } as BuildSpecInput), { params: {} });
    const readme = files.find((f) => f.path === 'tekton/task/app/0.1/README.md') as { text: string };
    expect(readme.text).toContain('From the bundle, without installing (bundles resolver). Publish it from the catalog\'s root directory with '
      + '`kimia-bundles bundle --dir tekton/task/app/0.1 --out app-task.oci` and `kimia-bundles push --layout app-task.oci ghcr.io/myorg/catalog/tasks/app:0.1`'
      + ', which prints the digest to pin with `@sha256:…`.');
    // name.ParseReference reads REPO:TAG (tektoncd/pipeline pkg/resolution/resolver/bundle).
    expect(readme.text).toContain('    - name: bundle\n      value: ghcr.io/myorg/catalog/tasks/app:0.1\n');
  });
});

describe('engine: which files of a kept release are carried over', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-kept-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('drops only tekton/pipeline/<name>/<version>/tests at the bundle root, not a tests path under another directory', () => {
    const rel = 'argo/tekton/pipeline/app/0.1/tests/run.yaml';
    fs.mkdirSync(path.join(root, 'argo/tekton/pipeline/app/0.1/tests'), { recursive: true });
    fs.writeFileSync(path.join(root, rel), 'x\n');
    expect(tektonEngine.keepsReleasedFile!(rel, path.join(root, ...rel.split('/')))).toBe(true);
  });
});

describe('KimiaBuildPipeline at the Task\'s own version', () => {
  it('carries the Task\'s parsed spec itself (frozen, as parseBuildSpec returns it), not a copy', () => {
    const chart = Testing.chart();
    const task = new KimiaBuildTask(chart, 'task', { spec: LOCAL });
    const pipeline = new KimiaBuildPipeline(chart, 'pipeline', { task, version: '0.1' });
    expect(pipeline.spec).toBe(task.spec);
    expect(Object.isFrozen(pipeline.spec)).toBe(true);
  });
});

describe('Task: a local context on a claim (context.local.claimName) is the source workspace, not a volume', () => {
  it('the build step mounts no volume and the Task declares none; source is a workspace at the context path', () => {
    const task = doc(render({ context: { local: { path: '/home/kimia/workspace', claimName: 'src' } } } as Partial<BuildSpecInput>), 'tekton/task/app/0.1/app.yaml');
    const build = task.spec.steps.find((s: Obj) => s.name === 'build');
    expect(build.volumeMounts).toBeUndefined();
    expect(task.spec.volumes).toBeUndefined();
    expect(task.spec.workspaces.find((w: Obj) => w.name === 'source')).toEqual({
      name: 'source', description: 'The build context (a checked-out repository). Mounted where kimia accepts a local context.', mountPath: '/home/kimia/workspace',
    });
  });
});

describe('samples: the catalog test of a tar build (tests/run.yaml)', () => {
  it('drops only the dockerconfig credentials workspace: the image-archive workspace stays bound', () => {
    const run = doc(render({ tarPath: '/home/kimia/output/image.tar', registry: { credentialsSecret: 'creds' } } as Partial<BuildSpecInput>), 'tekton/task/app/0.1/tests/run.yaml');
    expect(run.spec.workspaces).toEqual([
      { name: 'shared', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
      { name: 'image-archive', persistentVolumeClaim: { claimName: 'image-archive' } },
    ]);
  });
  it('without credentials, dockerconfig is left out and image-archive kept', () => {
    const run = doc(render({ tarPath: '/home/kimia/output/image.tar' } as Partial<BuildSpecInput>), 'tekton/task/app/0.1/tests/run.yaml');
    expect(run.spec.workspaces.map((w: Obj) => w.name)).toEqual(['shared', 'image-archive']);
  });
});
