/**
 * Issue 11, item 4: defects found by running our output through the real kimia
 * (test/conformance/defects.test.ts runs the same cases in the emulated pod). Here: what the
 * spec accepts and what the engines render.
 */
import { Testing } from 'cdk8s';
import {
  KimiaBuildPipeline, KimiaBuildTask, KimiaWorkflowTemplate, kimiaArgs, parseBuildSpec, renderBundle,
  type BuildSpecInput,
} from '../src/internal';
import { BuildSpecShape } from '../src/spec/schema';
import { BASE, errorsOf, synthJob } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synthTekton(spec: BuildSpecInput) {
  const chart = Testing.chart();
  const task = new KimiaBuildTask(chart, 'task', { spec });
  new KimiaBuildPipeline(chart, 'pipeline', { task });
  const [taskDoc, pipelineDoc] = Testing.synth(chart);
  return { taskDoc, pipelineDoc, build: taskDoc.spec.steps.find((s: Obj) => s.name === 'build') };
}

function synthArgo(spec: BuildSpecInput) {
  const chart = Testing.chart();
  new KimiaWorkflowTemplate(chart, 'wt', { spec });
  const [doc] = Testing.synth(chart);
  return { doc, build: doc.spec.templates.find((t: Obj) => t.name === 'build') };
}

const LOCAL = { local: { path: '/home/kimia/workspace' } };
const GIT = 'https://github.com/myorg/myapp.git';

describe('issue 11: a Job with a local context needs a claim', () => {
  it('refuses context.local without claimName when the build renders as a Job', () => {
    expect(errorsOf({ ...BASE, context: LOCAL })).toEqual([
      'context.local.claimName: a Job mounts nothing at /home/kimia/workspace without a claim, so kimia fails with "context path does not exist": name the PersistentVolumeClaim that holds the source, or render the build as tekton or argo only (outputs), whose source workspace or git artifact is mounted there',
    ]);
    expect(() => synthJob({ ...BASE, context: LOCAL })).toThrow('context.local.claimName: a Job mounts nothing');
  });
  it('accepts it for tekton and argo outputs, and with a claim for a Job', () => {
    expect(errorsOf({ ...BASE, context: LOCAL, outputs: ['tekton', 'argo'] })).toEqual([]);
    const { pod, container } = synthJob({ ...BASE, context: { local: { claimName: 'src' } } });
    expect(container.volumeMounts).toEqual([{ name: 'source', mountPath: '/home/kimia/workspace', readOnly: false }]);
    expect(pod.volumes).toEqual([{ name: 'source', persistentVolumeClaim: { claimName: 'src', readOnly: false } }]);
  });
});

describe('issue 11: a git token is refused with kimia-bud too', () => {
  it('refuses git.tokenSecret for kimia-bud: the clone keeps the token in .git/config inside the build context', () => {
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', context: { git: { url: GIT, tokenSecret: { secretName: 'git', key: 'token' } } } })).toEqual([
      'context.git.tokenSecret: kimia-bud (Buildah) clones into the build context with the token in the URL, so .git/config holds the token and COPY . bakes it into the image: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context',
    ]);
  });
  it('says what to do instead of a URL with credentials', () => {
    expect(errorsOf({ ...BASE, context: { git: { url: 'https://user:pass@github.com/myorg/myapp.git' } } })).toEqual([
      'context.git.url: credentials in the URL are refused: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context',
    ]);
  });
});

describe('issue 11: the user\'s digest files are honoured by Tekton and Argo', () => {
  const spec: BuildSpecInput = { ...BASE, context: LOCAL, outputs: ['tekton', 'argo'], digestFile: '/home/kimia/workspace/digest', imageNameWithDigestFile: '/home/kimia/workspace/image' };

  it('Tekton: kimia writes the user\'s file (one --digest-file), the step copies it into IMAGE_DIGEST', () => {
    const { build } = synthTekton(spec);
    expect(build.args.filter((a: string) => a.startsWith('--digest-file='))).toEqual(['--digest-file=/home/kimia/workspace/digest']);
    expect(build.args.filter((a: string) => a.startsWith('--image-name-with-digest-file='))).toEqual(['--image-name-with-digest-file=/home/kimia/workspace/image']);
    expect(build.env).toEqual(expect.arrayContaining([
      { name: 'KIMIA_DIGEST_FILE', value: '/home/kimia/workspace/digest' },
      { name: 'KIMIA_DIGEST_RESULT', value: '$(results.IMAGE_DIGEST.path)' },
    ]));
  });
  it('Tekton without a user digest file: kimia writes the result itself', () => {
    const { build } = synthTekton({ ...spec, digestFile: undefined, imageNameWithDigestFile: undefined });
    expect(build.args.filter((a: string) => a.startsWith('--digest-file='))).toEqual(['--digest-file=$(results.IMAGE_DIGEST.path)']);
    expect(build.env).toEqual(expect.arrayContaining([{ name: 'KIMIA_DIGEST_FILE', value: '$(results.IMAGE_DIGEST.path)' }]));
    expect(build.env.map((e: Obj) => e.name)).not.toContain('KIMIA_DIGEST_RESULT');
  });
  it('Argo: one --digest-file and --image-name-with-digest-file each, the user\'s; the outputs read them', () => {
    const { build } = synthArgo(spec);
    const args: string[] = build.container.args;
    expect(args.filter((a) => a.startsWith('--digest-file='))).toEqual(['--digest-file=/home/kimia/workspace/digest']);
    expect(args.filter((a) => a.startsWith('--image-name-with-digest-file='))).toEqual(['--image-name-with-digest-file=/home/kimia/workspace/image']);
    expect(build.outputs.parameters.map((p: Obj) => [p.name, p.valueFrom.path])).toEqual([
      ['IMAGE_DIGEST', '/home/kimia/workspace/digest'], ['IMAGE_URL', '/home/kimia/workspace/image'],
    ]);
  });
  it('Argo kimia-bud: no digest files nothing reads', () => {
    const { build } = synthArgo({ ...BASE, variant: 'kimia-bud', outputs: ['argo'] });
    expect(build.outputs).toBeUndefined();
    expect(build.container.args.filter((a: string) => /^--(digest-file|image-name-with-digest-file)=/.test(a))).toEqual([]);
  });
  it('Argo kimia-bud: a user\'s digest file is still passed (nothing else is)', () => {
    const { build } = synthArgo({ ...BASE, variant: 'kimia-bud', outputs: ['argo'], digestFile: '/home/kimia/digest' });
    expect(build.container.args.filter((a: string) => /^--(digest-file|image-name-with-digest-file)=/.test(a))).toEqual(['--digest-file=/home/kimia/digest']);
  });
});

describe('issue 11: no digest outputs for an image that is not pushed', () => {
  for (const [what, extra] of [['push: false', { push: false }], ['tarPath', { tarPath: '/home/kimia/out/image.tar' }]] as const) {
    it(`Argo (${what}): no IMAGE_URL/IMAGE_DIGEST outputs and no digest flags`, () => {
      const { build } = synthArgo({ ...BASE, outputs: ['argo'], ...extra });
      expect(build.outputs?.parameters).toBeUndefined();
      expect(build.container.args.filter((a: string) => /^--(digest-file|image-name-with-digest-file)=/.test(a))).toEqual([]);
    });
    it(`Tekton (${what}): no results, no digest flag, no Chains note in the README`, () => {
      const { taskDoc, pipelineDoc, build } = synthTekton({ ...BASE, outputs: ['tekton'], ...extra });
      expect(taskDoc.spec.results).toBeUndefined();
      expect(pipelineDoc.spec.results).toBeUndefined();
      expect(build.args.filter((a: string) => a.startsWith('--digest-file='))).toEqual([]);
      const files = renderBundle({ builds: [parseBuildSpec({ ...BASE, outputs: ['tekton', 'argo'], ...extra })] });
      const readme = (p: string) => files.get(p)!;
      expect(readme('tekton/task/app/0.1/README.md')).not.toContain('Tekton Chains signs');
      expect(readme('argo/workflowtemplate/app/0.1/README.md')).not.toMatch(/\| IMAGE_DIGEST \|/);
    });
  }
});

describe('issue 11: kimia-bud digest files hold the config digest', () => {
  it('the schema says so', () => {
    for (const f of ['digestFile', 'imageNameWithDigestFile'] as const) {
      expect(BuildSpecShape.shape[f].description).toMatch(/kimia-bud.*config digest/);
    }
  });
  it('Tekton and Argo publish no IMAGE_DIGEST for kimia-bud, and their READMEs say why', () => {
    const { taskDoc, build } = synthTekton({ ...BASE, variant: 'kimia-bud', outputs: ['tekton'] });
    expect(taskDoc.spec.results).toBeUndefined();
    expect(build.args.filter((a: string) => a.startsWith('--digest-file='))).toEqual([]);
    const files = renderBundle({ builds: [parseBuildSpec({ ...BASE, variant: 'kimia-bud', outputs: ['tekton', 'argo'] })] });
    const readme = (p: string) => files.get(p)!;
    expect(readme('tekton/task/app/0.1/README.md')).toContain('config digest');
    expect(readme('argo/workflowtemplate/app/0.1/README.md')).toContain('config digest');
  });
});

describe('issue 11: --git-branch beside --git-revision', () => {
  const git = { url: GIT, branch: 'main', revision: '0123456789abcdef0123456789abcdef01234567' };
  it('BuildKit: only --git-revision (BuildKit builds URL#revision and ignores the branch)', () => {
    const args = kimiaArgs(parseBuildSpec({ ...BASE, context: { git } }));
    expect(args.filter((a) => a.startsWith('--git-'))).toEqual(['--git-revision=0123456789abcdef0123456789abcdef01234567']);
    expect(kimiaArgs(parseBuildSpec({ ...BASE, context: { git: { url: GIT, branch: 'main' } } }))).toContain('--git-branch=main');
  });
  it('kimia-bud: both (kimia checks out the revision, falls back to the branch, warns when the revision is not on it)', () => {
    const args = kimiaArgs(parseBuildSpec({ ...BASE, variant: 'kimia-bud', context: { git } }));
    expect(args.filter((a) => a.startsWith('--git-'))).toEqual(['--git-branch=main', '--git-revision=0123456789abcdef0123456789abcdef01234567']);
  });
  it('the schema says so', () => {
    const d = (BuildSpecShape.shape.context.options[0].shape.git.shape.branch.description ?? '');
    expect(d).toMatch(/kimia \(BuildKit\).*not passed.*revision/);
  });
});

describe('issue 11: a tarPath archive has a directory, and outlives the pod', () => {
  const TAR = { push: false, tarPath: '/home/kimia/out/image.tar' };
  it('refuses an archive directly in /home/kimia or a hidden directory (its volume would hide kimia files)', () => {
    for (const tarPath of ['/home/kimia/image.tar', '/home/kimia/.cache/x/image.tar']) {
      expect(errorsOf({ ...BASE, outputs: ['argo'], push: false, tarPath })).toEqual([
        expect.stringMatching(/^tarPath: must be in a directory of its own under \/home\/kimia \(e\.g\. \/home\/kimia\/output\/image\.tar\): kimia does not create the directory/),
      ]);
    }
  });
  it('refuses an archive directory that overlaps the local context', () => {
    expect(errorsOf({ ...BASE, outputs: ['tekton'], context: LOCAL, push: false, tarPath: '/home/kimia/workspace/out/image.tar' }))
      .toEqual([expect.stringMatching(/^tarPath: its directory \/home\/kimia\/workspace\/out overlaps the local context \/home\/kimia\/workspace/)]);
  });
  it('a Job needs tarClaimName, and tarClaimName needs tarPath', () => {
    expect(errorsOf({ ...BASE, ...TAR })).toEqual([expect.stringMatching(/^tarClaimName: a Job keeps the archive only on a PersistentVolumeClaim: name the claim to mount at \/home\/kimia\/out/)]);
    expect(errorsOf({ ...BASE, tarClaimName: 'archive' })).toEqual(['tarClaimName: only takes effect with tarPath']);
  });
  it('Job: the claim is mounted at the archive directory', () => {
    const { pod, container } = synthJob({ ...BASE, ...TAR, tarClaimName: 'archive' });
    expect(pod.volumes).toContainEqual({ name: 'image-archive', persistentVolumeClaim: { claimName: 'archive', readOnly: false } });
    expect(container.volumeMounts).toContainEqual({ name: 'image-archive', mountPath: '/home/kimia/out', readOnly: false });
    expect(container.args).toContain('--tar-path=/home/kimia/out/image.tar');
  });
  it('Tekton: an image-archive workspace at the archive directory, bound to a claim in the samples', () => {
    const { taskDoc } = synthTekton({ ...BASE, outputs: ['tekton'], ...TAR });
    expect(taskDoc.spec.workspaces).toContainEqual(expect.objectContaining({ name: 'image-archive', mountPath: '/home/kimia/out' }));
    expect(JSON.stringify(taskDoc.spec.volumes ?? [])).not.toContain('image-archive');
    const files = renderBundle({ builds: [parseBuildSpec({ ...BASE, outputs: ['tekton'], ...TAR })] });
    const run = [...files.entries()].find(([f]) => f.endsWith('samples/taskrun.yaml'))![1];
    expect(run).toContain('name: image-archive\n      persistentVolumeClaim:\n        claimName: image-archive');
  });
  it('Argo: an emptyDir at the directory and an image-archive output artifact, or the claim without one', () => {
    const { build } = synthArgo({ ...BASE, outputs: ['argo'], ...TAR });
    expect(build.volumes).toContainEqual({ name: 'image-archive', emptyDir: {} });
    expect(build.container.volumeMounts).toContainEqual({ name: 'image-archive', mountPath: '/home/kimia/out' });
    expect(build.outputs).toEqual({ artifacts: [{ name: 'image-archive', path: '/home/kimia/out/image.tar', archive: { none: {} } }] });
    const claimed = synthArgo({ ...BASE, outputs: ['argo'], ...TAR, tarClaimName: 'archive' }).build;
    expect(claimed.volumes).toContainEqual({ name: 'image-archive', persistentVolumeClaim: { claimName: 'archive' } });
    expect(claimed.outputs).toBeUndefined();
  });
});

describe('issue 12: kimia-bud cannot sign', () => {
  it('is refused in every signing mode: its digest is the config digest and its image has no cosign', () => {
    for (const mode of ['isolated', 'builder', 'chains'] as const) {
      const errors = errorsOf({ ...BASE, variant: 'kimia-bud', outputs: ['tekton'], signing: { in: mode, key: { secretName: 'k', key: 'cosign.key' } } });
      expect(errors).toContainEqual(expect.stringMatching(/^signing: kimia-bud cannot sign: its digest files hold the config digest/));
    }
  });
});
