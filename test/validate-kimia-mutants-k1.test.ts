/**
 * kimia's container rules (src/validate/kimia.ts, checkKimiaContainers), lines 1-160: which
 * containers are kimia's (image or command), and how a param reference in the image is resolved
 * before the pin rule judges it (Tekton params and bindings, Argo inputs, callers and workflow
 * arguments). Called directly on hand-built documents with literal expectations: the cases the
 * mutation run left untested.
 * Upstream facts used:
 * - kimia release.yml (../shared/reference/kimia.md, "Tag scheme"): the images are
 *   ghcr.io/rapidfort/kimia and ghcr.io/rapidfort/kimia-bud, tagged X.Y.Z and `latest`; an
 *   untagged reference means `latest`; kimia's binary is /usr/local/bin/kimia;
 * - tektoncd/pipeline v1.15.0 pkg/reconciler/taskrun/resources/apply.go:50-53 (paramPatterns): a
 *   param is referenced as `$(params.X)`, `$(params["X"])` or `$(params['X'])`; dotted names need
 *   the bracket form (tekton.md "Params"); a TaskRun's or a pipeline task's `params` bind the
 *   value, else the param's `default` applies; arrays are not substituted into an image;
 * - argoproj/argo-workflows v4.1.2 util/template/simple_template.go:18: a `{{ tag }}` is looked up
 *   after strings.TrimSpace, so spaces inside the braces are allowed; an input is given by the
 *   caller's arguments (steps or DAG tasks, not a templateRef), its `default` applies only when
 *   the caller passes nothing; `{{workflow.parameters.X}}` is the workflow's `arguments`, whose
 *   value may be left to submission time.
 */
import { checkKimiaContainers } from '../src/validate/kimia';
import { KIMIA_ARGS as ARGS, KIMIA_FULL_SC, kimiaLatest as latest } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The container securityContext kimia's docs/security.md lists (kimia.md §6). */
const SC = KIMIA_FULL_SC;
const KIMIA_CMD = ['/usr/local/bin/kimia'];

const LATEST = 'ghcr.io/rapidfort/kimia:latest';
const untagged = (image: string) => `kimia image "${image}" must be pinned to a version tag or digest (untagged means :latest moves with every kimia release)`;
const NO_UID = 'runAsUser not set: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)';

const pod = (container: Doc): Doc => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'kimia', args: ARGS, securityContext: SC, ...container }] },
});
const task = (params: Doc[], ...steps: Doc[]): Doc => ({
  apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'build' },
  spec: { params, steps: steps.map((s, i) => ({ name: `s${i}`, args: ARGS, securityContext: SC, ...s })) },
});
const wt = (spec: Doc): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec });
/** An Argo container template running kimia on `image`, with the given input parameters. */
const build = (image: string, inputs: Doc[] = [{ name: 'image' }], name: string | null = 'build'): Doc => ({
  ...(name !== null && { name }),
  inputs: { parameters: inputs },
  container: { image, command: KIMIA_CMD, args: ARGS, securityContext: SC },
});
const pass = (params: Record<string, string>) => ({ parameters: Object.entries(params).map(([name, value]) => ({ name, value })) });

describe('which containers are kimia (images ghcr.io/rapidfort/kimia[-bud], binary kimia: kimia.md)', () => {
  it.each([
    ['the Docker Hub short form', 'rapidfort/kimia:latest', [latest('rapidfort/kimia:latest')]],
    ['kimia at :latest', LATEST, [latest(LATEST)]],
    ['kimia-bud at :latest', 'ghcr.io/rapidfort/kimia-bud:latest', [latest('ghcr.io/rapidfort/kimia-bud:latest')]],
    ['kimia untagged', 'ghcr.io/rapidfort/kimia', [untagged('ghcr.io/rapidfort/kimia')]],
    ['a mirror of kimia-bud untagged', 'registry.local:5000/rapidfort/kimia-bud', [untagged('registry.local:5000/rapidfort/kimia-bud')]],
    ['a longer name is another image', 'ghcr.io/rapidfort/kimiax:latest', []],
    ['kimia-bundles is another image', 'ghcr.io/rapidfort/kimia-bundles:latest', []],
  ])('%s (%s)', (_what, image, messages) => {
    expect(checkKimiaContainers(pod({ image }))).toEqual(messages.map((message) => ({ path: 'spec.containers[0].image', message })));
  });

  it('a container whose command is kimia (bare or by path) is checked whatever its image', () => {
    const { runAsUser, ...noUid } = SC; // eslint-disable-line @typescript-eslint/no-unused-vars
    for (const command of [['kimia'], KIMIA_CMD]) {
      expect(checkKimiaContainers(pod({ image: 'registry.io/tools/builder:1', command, securityContext: noUid }))).toEqual([
        { path: 'spec.containers[0].securityContext.runAsUser', message: NO_UID },
      ]);
    }
    expect(checkKimiaContainers(pod({ image: 'registry.io/tools/builder:1', command: ['/usr/bin/kimia-bundles'], securityContext: noUid }))).toEqual([]);
  });
});

describe('Tekton param references in a kimia image (tektoncd/pipeline apply.go:50-53)', () => {
  it('$(params.X) resolves to the default of the param named X, reported where the default is written', () => {
    const doc = task([{ name: 'TAG', default: '1.0.25' }, { name: 'BUILDER_IMAGE', default: LATEST }], { image: '$(params.BUILDER_IMAGE)' });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.params[1].default', message: `${latest(LATEST)}; it is the image of spec.steps[0]` },
    ]);
  });

  it('the bracket forms $(params["X"]) and $(params[\'X\']) resolve too, dotted names included', () => {
    const doc = task(
      [{ name: 'TAG', default: '1.0.25' }, { name: 'kimia.image', default: LATEST }],
      { image: '$(params["kimia.image"])' },
      { image: "$(params['kimia.image'])" },
    );
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.params[1].default', message: `${latest(LATEST)}; it is the image of spec.steps[0]` },
      { path: 'spec.params[1].default', message: `${latest(LATEST)}; it is the image of spec.steps[1]` },
    ]);
  });

  it('a reference inside a longer image is substituted in place, each literal part kept', () => {
    const doc = task(
      [{ name: 'TAG', default: 'latest' }, { name: 'NAME', default: 'kimia-bud' }],
      { image: 'ghcr.io/rapidfort/kimia:$(params.TAG)' },
      { image: 'ghcr.io/rapidfort/$(params.NAME):$(params.TAG)' },
    );
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.steps[0].image', message: `${latest(LATEST)}; "ghcr.io/rapidfort/kimia:$(params.TAG)" resolves to it` },
      { path: 'spec.steps[1].image', message: `${latest('ghcr.io/rapidfort/kimia-bud:latest')}; "ghcr.io/rapidfort/$(params.NAME):$(params.TAG)" resolves to it` },
    ]);
  });

  it('a reference with no known value stays as written: still a kimia image, not yet judged for pinning', () => {
    const { runAsUser, ...noUid } = SC; // eslint-disable-line @typescript-eslint/no-unused-vars
    const doc = task([{ name: 'TAG' }], { image: 'ghcr.io/rapidfort/kimia:$(params.TAG)', securityContext: noUid });
    expect(checkKimiaContainers(doc)).toEqual([{ path: 'spec.steps[0].securityContext.runAsUser', message: NO_UID }]);
  });

  it('an undeclared param, or an array param (never substituted into an image), gives the image no value', () => {
    expect(checkKimiaContainers(task([{ name: 'TAG', default: '1.0.25' }], { image: '$(params.NOPE)', command: KIMIA_CMD }))).toEqual([]);
    expect(checkKimiaContainers(task([{ name: 'IMAGES', type: 'array', default: [LATEST] }], { image: '$(params.IMAGES)' }))).toEqual([]);
  });

  it("a TaskRun's params bind the value (the binding of that name wins over the default)", () => {
    const doc = {
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'run' },
      spec: {
        params: [{ name: 'TAG', value: '1.0.25' }, { name: 'BUILDER_IMAGE', value: LATEST }],
        taskSpec: {
          params: [{ name: 'BUILDER_IMAGE', default: 'ghcr.io/rapidfort/kimia:1.0.25' }],
          steps: [{ name: 'build', image: '$(params.BUILDER_IMAGE)', args: ARGS, securityContext: SC }],
        },
      },
    };
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.params[1].value', message: `${latest(LATEST)}; it is the image of spec.taskSpec.steps[0]` },
    ]);
  });

  it("a pipeline task binding an array value gives the image no value (and is no crash)", () => {
    const doc = {
      apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' },
      spec: {
        tasks: [{
          name: 'build',
          params: [{ name: 'IMG', value: [LATEST] }],
          taskSpec: { params: [{ name: 'IMG' }], steps: [{ name: 'build', image: '$(params.IMG)', args: ARGS, securityContext: SC }] },
        }],
      },
    };
    expect(checkKimiaContainers(doc)).toEqual([]);
  });
});

describe('Argo parameter references in a kimia image (argo-workflows util/template)', () => {
  it('{{inputs.parameters.X}} resolves to the input default, with or without spaces in the braces (simple_template.go:18)', () => {
    const doc = wt({
      templates: [
        build('{{inputs.parameters.builder-image}}', [{ name: 'tag', default: '1.0.25' }, { name: 'builder-image', default: LATEST }]),
        build('{{ inputs.parameters.builder-image }}', [{ name: 'builder-image', default: 'ghcr.io/rapidfort/kimia' }], 'build2'),
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[0].inputs.parameters[1].default', message: `${latest(LATEST)}; it is the image of spec.templates[0].container` },
      { path: 'spec.templates[1].inputs.parameters[0].default', message: `${untagged('ghcr.io/rapidfort/kimia')}; it is the image of spec.templates[1].container` },
    ]);
  });

  it('an input takes what DAG tasks and steps calling the template pass, reported at that argument', () => {
    const doc = wt({
      entrypoint: 'main',
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'b', template: 'build', arguments: pass({ image: LATEST }) }] } },
        {
          name: 'seq',
          steps: [
            [{ name: 'lint', template: 'lint', arguments: pass({ image: 'ghcr.io/rapidfort/kimia-bud:latest' }) }],
            [{ name: 'b', template: 'build', arguments: pass({ image: 'ghcr.io/rapidfort/kimia' }) }],
          ],
        },
        build('{{inputs.parameters.image}}'),
        { name: 'lint', inputs: { parameters: [{ name: 'image' }] }, container: { image: 'alpine:3.20' } },
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].arguments.parameters[0].value', message: `${latest(LATEST)}; it is the image of spec.templates[2].container` },
      { path: 'spec.templates[1].steps[1][0].arguments.parameters[0].value', message: `${untagged('ghcr.io/rapidfort/kimia')}; it is the image of spec.templates[2].container` },
    ]);
  });

  it('a template without a name has no callers: a task naming no template (an inline one) passes it nothing', () => {
    const doc = wt({
      entrypoint: 'main',
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'x', inline: { container: { image: 'alpine:3.20' } }, arguments: pass({ image: LATEST }) }] } },
        build('{{inputs.parameters.image}}', [{ name: 'image' }], null),
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('a caller passing a value known only at submission ({{workflow.parameters.X}} without a value): the default is not used', () => {
    const doc = wt({
      entrypoint: 'main',
      arguments: { parameters: [{ name: 'image' }] },
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'b', template: 'build', arguments: pass({ image: '{{workflow.parameters.image}}' }) }] } },
        build('{{inputs.parameters.image}}', [{ name: 'image', default: LATEST }]),
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it("{{workflow.parameters.X}} is the workflow's argument named X", () => {
    const doc = wt({
      arguments: { parameters: [{ name: 'tag', value: '1.0.25' }, { name: 'builder-image', value: LATEST }] },
      templates: [build('{{workflow.parameters.builder-image}}')],
    });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.arguments.parameters[1].value', message: `${latest(LATEST)}; it is the image of spec.templates[0].container` },
    ]);
  });

  it.each([
    ['no arguments at all', undefined],
    ['no argument of that name', { parameters: [{ name: 'tag', value: '1.0.25' }] }],
    ['an argument whose value is given at submission', { parameters: [{ name: 'builder-image' }] }],
  ])('{{workflow.parameters.X}} with %s has no value yet (and is no crash)', (_what, args) => {
    const doc = wt({ ...(args && { arguments: args }), templates: [build('{{workflow.parameters.builder-image}}')] });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('a value passed down through seven nested steps templates is followed to its source', () => {
    // c7 (the entrypoint) passes the image to c6, …, c1 passes it to build.
    const levels = [7, 6, 5, 4, 3, 2, 1].map((k) => ({
      name: `c${k}`,
      ...(k < 7 && { inputs: { parameters: [{ name: 'image' }] } }),
      steps: [[{ name: 'next', template: k === 1 ? 'build' : `c${k - 1}`, arguments: pass({ image: k === 7 ? LATEST : '{{inputs.parameters.image}}' }) }]],
    }));
    const doc = wt({ entrypoint: 'c7', templates: [...levels, build('{{inputs.parameters.image}}')] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[0].steps[0][0].arguments.parameters[0].value', message: `${latest(LATEST)}; it is the image of spec.templates[7].container` },
    ]);
  });

  it('a recursive template passing its input on (Argo allows recursion) ends: the value from the entrypoint is found, no stack overflow', () => {
    const doc = wt({
      entrypoint: 'loop',
      arguments: { parameters: [{ name: 'image', value: LATEST }] },
      templates: [
        {
          name: 'loop',
          inputs: { parameters: [{ name: 'image' }] },
          steps: [
            [{ name: 'build', template: 'build', arguments: pass({ image: '{{inputs.parameters.image}}' }) }],
            [{ name: 'again', template: 'loop', arguments: pass({ image: '{{inputs.parameters.image}}' }) }],
          ],
        },
        build('{{inputs.parameters.image}}'),
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.arguments.parameters[0].value', message: `${latest(LATEST)}; it is the image of spec.templates[1].container` },
    ]);
  });

  it('a recursive template extending its input each round ends too; only the entrypoint value is unpinned', () => {
    const doc = wt({
      entrypoint: 'loop',
      arguments: { parameters: [{ name: 'tag', value: 'latest' }] },
      templates: [
        {
          name: 'loop',
          inputs: { parameters: [{ name: 'tag' }] },
          steps: [
            [{ name: 'build', template: 'build', arguments: pass({ tag: '{{inputs.parameters.tag}}' }) }],
            [{ name: 'again', template: 'loop', arguments: pass({ tag: '{{inputs.parameters.tag}}-rc' }) }],
          ],
        },
        build('ghcr.io/rapidfort/kimia:{{inputs.parameters.tag}}', [{ name: 'tag' }]),
      ],
    });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[1].container.image', message: `${latest(LATEST)}; "ghcr.io/rapidfort/kimia:{{inputs.parameters.tag}}" resolves to it` },
    ]);
  });

  it('the values of one image are capped at 32, however many callers pass one', () => {
    // 33 tasks each pass their own invalid digest to a whole-value reference: only the first 32 are judged.
    const tasks = Array.from({ length: 33 }, (_, i) => ({ name: `t${i}`, template: 'build', arguments: pass({ image: `ghcr.io/rapidfort/kimia@sha256:t${i}` }) }));
    const doc = wt({ entrypoint: 'main', templates: [{ name: 'main', dag: { tasks } }, build('{{inputs.parameters.image}}')] });
    const issues = checkKimiaContainers(doc);
    expect(issues).toHaveLength(32);
    expect(issues[31]).toEqual({
      path: 'spec.templates[0].dag.tasks[31].arguments.parameters[0].value',
      message: 'kimia image "ghcr.io/rapidfort/kimia@sha256:t31" has an invalid digest (sha256:<64 hex>); it is the image of spec.templates[1].container',
    });
  });

  it('the values of one image are capped at 32 (combinations of references multiply)', () => {
    // Six tasks each pass a and b: 6 x 6 = 36 combinations, each an invalid digest.
    const tasks = [0, 1, 2, 3, 4, 5].map((i) => ({ name: `t${i}`, template: 'build', arguments: pass({ a: `a${i}`, b: `b${i}` }) }));
    const image = 'ghcr.io/rapidfort/kimia@sha256:{{inputs.parameters.a}}{{inputs.parameters.b}}';
    const doc = wt({ entrypoint: 'main', templates: [{ name: 'main', dag: { tasks } }, build(image, [{ name: 'a' }, { name: 'b' }])] });
    const issues = checkKimiaContainers(doc);
    expect(issues).toHaveLength(32);
    expect(issues[0]).toEqual({
      path: 'spec.templates[1].container.image',
      message: `kimia image "ghcr.io/rapidfort/kimia@sha256:a0b0" has an invalid digest (sha256:<64 hex>); "${image}" resolves to it`,
    });
  });
});
