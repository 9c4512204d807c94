/**
 * Survivors of the mutation run on src/validate/kimia.ts (how an image reference is resolved in
 * Argo and Tekton, where kimia containers sit in a pod, the stepTemplate), called through
 * checkKimiaContainers on hand-built documents. Expectations are literals from upstream:
 * - Argo v4.1.2 workflow/common/util.go ProcessArgs (:200): an input takes its `value`, else its
 *   `default` (overwriteWithDefaultParams :137-141), then what the caller passes (overwriteWithArguments
 *   :143-153); a caller that passes nothing for it leaves the default. The entrypoint gets the
 *   workflow's `spec.arguments`;
 * - Tekton v1.15.0 pkg/pod/pod.go:205 merges the stepTemplate into the steps only (sidecars are merged
 *   with the TaskRun's sidecarSpecs, :243); pkg/pod/entrypoint.go:397-402 StepName names a nameless
 *   step `step-unnamed-<index>`; a Pipeline's `finally` tasks run like its `tasks`;
 * - kimia.md §6 (kimia docs/security.md): the security context kimia needs, UID 1000 among it; §9:
 *   `latest` moves with every release.
 */
import { checkKimiaContainers } from '../src/validate/kimia';
import { KIMIA_FULL_SC } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The container securityContext kimia's docs/security.md lists (kimia.md §6). */
const SC: Doc = KIMIA_FULL_SC;
const without = (field: string): Doc => Object.fromEntries(Object.entries(SC).filter(([k]) => k !== field));
const ARGS = ['--context=https://github.com/o/app.git', '--destination=registry.io/app:v1'];

const LATEST = 'ghcr.io/rapidfort/kimia:latest';
const PINNED = 'ghcr.io/rapidfort/kimia:1.0.25';
const unpinned = (image: string, of?: string) =>
  `kimia image "${image}" must be pinned to a version tag or digest (:latest moves with every kimia release)${of ? `; it is the image of ${of}` : ''}`;
const RUN_AS_USER_UNSET = 'runAsUser not set: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)';

// ---------------------------------------------------------------------------------------------
// Argo

const wft = (spec: Doc): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec });
/** The build template: a kimia container whose image is a reference. */
const build = (inputs: Doc | undefined, image = '{{inputs.parameters.img}}'): Doc => ({
  name: 'build',
  ...(inputs === undefined ? {} : { inputs }),
  container: { image, args: ARGS, securityContext: SC },
});
/** A dag entrypoint calling `build` once per task given. */
const dag = (...tasks: Doc[]): Doc => ({ name: 'main', dag: { tasks: tasks.map((t, i) => ({ name: `b${i}`, template: 'build', ...t })) } });
const passes = (value: unknown, name = 'img'): Doc => ({ arguments: { parameters: [{ name, ...(value === undefined ? {} : { value }) }] } });

describe('Argo {{inputs.parameters.X}} (workflow/common/util.go ProcessArgs :200, overwriteWithDefaultParams :137)', () => {
  it('a template without inputs, or without the named input, leaves the reference unresolved (not a kimia image yet)', () => {
    expect(checkKimiaContainers(wft({ entrypoint: 'build', templates: [build(undefined)] }))).toEqual([]);
    expect(checkKimiaContainers(wft({ entrypoint: 'other', templates: [build({ parameters: [{ name: 'other', default: LATEST }] })] }))).toEqual([]);
  });

  it('the default of the input named (not another input) applies when nothing calls the template', () => {
    const doc = wft({ entrypoint: 'other', templates: [build({ parameters: [{ name: 'other', default: 'alpine:3.20' }, { name: 'img', default: LATEST }] })] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[0].inputs.parameters[1].default', message: unpinned(LATEST, 'spec.templates[0].container') },
    ]);
  });

  it('an input\'s value wins over its default (overwriteWithDefaultParams sets Value from Default only when Value is nil)', () => {
    const doc = wft({ entrypoint: 'other', templates: [build({ parameters: [{ name: 'img', value: LATEST, default: PINNED }] })] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.templates[0].inputs.parameters[0].value', message: unpinned(LATEST, 'spec.templates[0].container') },
    ]);
  });

  it('what every caller passes replaces the default (overwriteWithArguments :143-147)', () => {
    // the only caller passes a pinned image: the unpinned default never reaches the pod
    expect(checkKimiaContainers(wft({ entrypoint: 'main', templates: [dag(passes(PINNED)), build({ parameters: [{ name: 'img', default: LATEST }] })] }))).toEqual([]);
    // the caller's value is the one reported, at its own field
    expect(checkKimiaContainers(wft({ entrypoint: 'main', templates: [dag(passes(LATEST)), build({ parameters: [{ name: 'img', default: PINNED }] })] }))).toEqual([
      { path: 'spec.templates[0].dag.tasks[0].arguments.parameters[0].value', message: unpinned(LATEST, 'spec.templates[1].container') },
    ]);
  });

  it('a caller that passes nothing (no arguments, or other parameters) leaves the default, even when another caller passes a value', () => {
    for (const silent of [{}, passes('x', 'other')]) {
      const doc = wft({ entrypoint: 'main', templates: [dag(passes(PINNED), silent), build({ parameters: [{ name: 'img', default: LATEST }] })] });
      expect(checkKimiaContainers(doc)).toEqual([
        { path: 'spec.templates[1].inputs.parameters[0].default', message: unpinned(LATEST, 'spec.templates[1].container') },
      ]);
    }
  });

  it('a caller passing the input by valueFrom gives no value known here: the reference stays unresolved', () => {
    const doc = wft({ entrypoint: 'main', templates: [dag({ arguments: { parameters: [{ name: 'img', valueFrom: { configMapKeyRef: { name: 'cm', key: 'img' } } }] } }), build({ parameters: [{ name: 'img' }] })] });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('an input with neither default nor a passed value stays a reference inside a longer image (no "undefined" digest)', () => {
    const image = 'ghcr.io/rapidfort/kimia@{{inputs.parameters.digest}}';
    // nothing calls it
    expect(checkKimiaContainers(wft({ entrypoint: 'other', templates: [build({ parameters: [{ name: 'digest' }] }, image)] }))).toEqual([]);
    // the entrypoint, with a workflow argument of that name that has no value
    expect(checkKimiaContainers(wft({ entrypoint: 'build', arguments: { parameters: [{ name: 'digest' }] }, templates: [build({ parameters: [{ name: 'digest' }] }, image)] }))).toEqual([]);
  });
});

describe('Argo: the entrypoint template takes the workflow\'s spec.arguments (ProcessArgs with the workflow arguments)', () => {
  it('the workflow argument of that name is the image, reported at spec.arguments', () => {
    const doc = wft({ entrypoint: 'build', arguments: { parameters: [{ name: 'img', value: LATEST }] }, templates: [build({ parameters: [{ name: 'img' }] })] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.arguments.parameters[0].value', message: unpinned(LATEST, 'spec.templates[0].container') },
    ]);
  });

  it('a template that is not the entrypoint does not see the workflow arguments', () => {
    const doc = wft({
      entrypoint: 'main',
      arguments: { parameters: [{ name: 'img', value: LATEST }] },
      templates: [dag(passes(PINNED)), build({ parameters: [{ name: 'img' }] })],
    });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('workflow arguments that do not name the input, or none at all, leave the default', () => {
    const withOther = wft({ entrypoint: 'build', arguments: { parameters: [{ name: 'other', value: 'x' }] }, templates: [build({ parameters: [{ name: 'img', default: LATEST }] })] });
    expect(checkKimiaContainers(withOther)).toEqual([
      { path: 'spec.templates[0].inputs.parameters[0].default', message: unpinned(LATEST, 'spec.templates[0].container') },
    ]);
    // no spec.arguments, and another template also calls it with a pinned value: the default still applies to the run as entrypoint
    const noArgs = wft({ entrypoint: 'build', templates: [dag(passes(PINNED)), build({ parameters: [{ name: 'img', default: LATEST }] })] });
    expect(checkKimiaContainers(noArgs)).toEqual([
      { path: 'spec.templates[1].inputs.parameters[0].default', message: unpinned(LATEST, 'spec.templates[1].container') },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes pods

const pod = (spec: Doc, metadata: Doc = { name: 'p' }): Doc => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
const job = (container: Doc): Doc => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'build' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } },
});

describe('kimia containers of a pod get the security-context check (kimia.md §6)', () => {
  it('a Job\'s container, an item of a List, and an init container', () => {
    const c = { name: 'kimia', image: PINNED, args: ARGS, securityContext: without('runAsUser') };
    expect(checkKimiaContainers(job(c))).toEqual([
      { path: 'spec.template.spec.containers[0].securityContext.runAsUser', message: RUN_AS_USER_UNSET },
    ]);
    expect(checkKimiaContainers({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap' }, job(c)] })).toEqual([
      { path: 'items[1].spec.template.spec.containers[0].securityContext.runAsUser', message: RUN_AS_USER_UNSET },
    ]);
    expect(checkKimiaContainers(pod({ initContainers: [c], containers: [{ name: 'app', image: 'alpine:3.20' }] }))).toEqual([
      { path: 'spec.initContainers[0].securityContext.runAsUser', message: RUN_AS_USER_UNSET },
    ]);
  });

  it('a nameless container: the AppArmor annotation it is told about has an empty container name', () => {
    expect(checkKimiaContainers(pod({ containers: [{ image: PINNED, args: ARGS, securityContext: without('appArmorProfile') }] }))).toEqual([{
      path: 'spec.containers[0].securityContext.appArmorProfile',
      message: 'AppArmor not set: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation container.apparmor.security.beta.kubernetes.io/: unconfined); the runtime\'s default profile blocks its mounts (kimia.md §6)',
    }]);
  });

  it('an image that is not a string is no kimia image', () => {
    expect(checkKimiaContainers(pod({ containers: [{ name: 'kimia', image: [LATEST], args: ARGS }] }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Tekton

const task = (spec: Doc, metadata: Doc = { name: 't' }): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata, spec });
const pipeline = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'pl' }, spec });

describe('Tekton stepTemplate (pkg/pod/pod.go:205 MergeStepsWithStepTemplate: steps only)', () => {
  it('its securityContext is the steps\' default, reported where it is written', () => {
    const doc = task({ stepTemplate: { securityContext: { runAsUser: 0 } }, steps: [{ name: 'build', image: PINNED, args: ARGS, securityContext: without('runAsUser') }] });
    expect(checkKimiaContainers(doc)).toEqual([{
      path: 'spec.stepTemplate.securityContext.runAsUser',
      message: 'runAsUser is 0: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)',
    }]);
  });

  it('its image is the image of a step that has none, reported at stepTemplate.image', () => {
    const doc = task({ stepTemplate: { image: LATEST }, steps: [{ name: 'build', args: ARGS, securityContext: SC }] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.stepTemplate.image', message: unpinned(LATEST, 'spec.steps[0]') },
    ]);
  });

  it('its image is not a sidecar\'s (sidecars are merged with sidecarSpecs only, pod.go:243)', () => {
    const doc = task({
      stepTemplate: { image: LATEST },
      steps: [{ name: 'app', image: 'alpine:3.20', script: 'true' }],
      sidecars: [{ name: 's', command: ['kimia'], args: ARGS, securityContext: SC }],
    });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('a stepTemplate image that is not a string gives the step no image', () => {
    const doc = task({ stepTemplate: { image: 42 }, steps: [{ name: 'build', command: ['kimia'], args: ARGS, securityContext: SC }] });
    expect(checkKimiaContainers(doc)).toEqual([]);
  });

  it('a nameless step is step-unnamed-<index> in the pod (pkg/pod/entrypoint.go:397-402 StepName): its AppArmor annotation', () => {
    const doc = task(
      { steps: [{ image: PINNED, args: ARGS, securityContext: without('appArmorProfile') }] },
      { name: 't', annotations: { 'container.apparmor.security.beta.kubernetes.io/step-unnamed-0': 'unconfined' } },
    );
    expect(checkKimiaContainers(doc)).toEqual([]);
  });
});

describe('Tekton Pipeline embedded tasks', () => {
  const step = (image: string, securityContext = SC) => ({ name: 'build', image, args: ARGS, securityContext });

  it('a finally task\'s steps get the security-context check like a task\'s', () => {
    const doc = pipeline({ tasks: [], finally: [{ name: 'f', taskSpec: { steps: [step(PINNED, without('runAsUser'))] } }] });
    expect(checkKimiaContainers(doc)).toEqual([
      { path: 'spec.finally[0].taskSpec.steps[0].securityContext.runAsUser', message: RUN_AS_USER_UNSET },
    ]);
  });

  it('$(params.X): the embedded task\'s own default, or the value the pipeline task binds, at its field', () => {
    const byDefault = pipeline({ tasks: [{ name: 'b', taskSpec: { params: [{ name: 'img', default: LATEST }], steps: [step('$(params.img)')] } }] });
    expect(checkKimiaContainers(byDefault)).toEqual([
      { path: 'spec.tasks[0].taskSpec.params[0].default', message: unpinned(LATEST, 'spec.tasks[0].taskSpec.steps[0]') },
    ]);
    const bound = pipeline({ tasks: [{ name: 'b', params: [{ name: 'img', value: LATEST }], taskSpec: { params: [{ name: 'img' }], steps: [step('$(params.img)')] } }] });
    expect(checkKimiaContainers(bound)).toEqual([
      { path: 'spec.tasks[0].params[0].value', message: unpinned(LATEST, 'spec.tasks[0].taskSpec.steps[0]') },
    ]);
  });
});
