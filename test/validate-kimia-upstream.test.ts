/**
 * What reaches a kimia container, as Tekton and Argo build its pod (found by the mutation triage of
 * src/validate/kimia.ts, each rule read from upstream source), through checkKimiaContainers:
 * - tektoncd/pipeline v1.15.0 pkg/pod/pod.go:205 merges the stepTemplate into steps only
 *   (MergeStepsWithStepTemplate); :243 merges sidecars with the run's sidecarSpecs alone;
 * - v1/pipelinerun_types.go:690-712 GetTaskRunSpec: a pipeline task's taskRunSpecs[].podTemplate is
 *   merged over spec.taskRunTemplate.podTemplate (pod/template.go:210: its securityContext wins
 *   unless nil); v1beta1 names it taskPodTemplate (v1beta1/pipelinerun_types.go:623);
 * - argo-workflows v4.1.2 workflow/common/util.go:200-215 ProcessArgs: an input's value, else its
 *   default, replaced by what the caller passes (overwriteWithArguments, util.go:143-153: a passed
 *   value wins, a passed valueFrom clears the value);
 * - a reference has at most one digest, `name[:tag][@digest]` (distribution/reference grammar);
 * - kimia.md §9: every kimia image is pinned, whatever the container runs.
 */
import { KIMIA_ARGS as ARGS, KIMIA_CONTAINER_SC as CONTAINER_SC, KIMIA_NEEDED_SC as FULL_SC, KIMIA_POD_SC as POD_SC, KIMIA_REF as KIMIA, KIMIA_UID0 as UID0, kimiaBareFields as bareFields, kimiaLatest as latest, kimiaLines as lines, kimiaPaths as paths } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


describe('Tekton: the stepTemplate reaches steps, not sidecars (pkg/pod/pod.go:205, :243)', () => {
  const task = (sidecarSc?: Doc): Doc => ({
    apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
    spec: {
      stepTemplate: { securityContext: FULL_SC },
      steps: [{ name: 'build', image: KIMIA, args: ARGS }],
      sidecars: [{ name: 'build', image: KIMIA, args: ARGS, ...(sidecarSc ? { securityContext: sidecarSc } : {}) }],
    },
  });
  it('a kimia sidecar without its own securityContext gets every finding; the step is covered by the stepTemplate', () => {
    expect(paths(task())).toEqual(bareFields('spec.sidecars[0]'));
  });
  it('a kimia sidecar with its own full securityContext passes', () => {
    expect(lines(task(FULL_SC))).toEqual([]);
  });
});

describe('Tekton PipelineRun: a task\'s taskRunSpecs pod template wins over the run\'s (GetTaskRunSpec, pipelinerun_types.go:690)', () => {
  const run = (apiVersion: string, runLevel: Doc, taskRunSpecs: Doc[]): Doc => ({
    apiVersion, kind: 'PipelineRun', metadata: { name: 'r' },
    spec: {
      ...runLevel,
      taskRunSpecs,
      pipelineSpec: {
        tasks: ['a', 'b'].map((name) => ({ name, taskSpec: { steps: [{ name: 'build', image: KIMIA, args: ARGS, securityContext: CONTAINER_SC }] } })),
      },
    },
  });
  it('v1: task a\'s podTemplate fixes the run\'s UID 0 for a only; b keeps the run\'s', () => {
    const doc = run('tekton.dev/v1', { taskRunTemplate: { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } } },
      [{ pipelineTaskName: 'a', podTemplate: { securityContext: POD_SC } }]);
    expect(lines(doc)).toEqual([`spec.taskRunTemplate.podTemplate.securityContext.runAsUser: ${UID0}`]);
    const both = run('tekton.dev/v1', { taskRunTemplate: { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } } },
      [{ pipelineTaskName: 'a', podTemplate: { securityContext: POD_SC } }, { pipelineTaskName: 'b', podTemplate: { securityContext: POD_SC } }]);
    expect(lines(both)).toEqual([]);
  });
  it('v1: a task\'s UID 0 is reported at its taskRunSpecs entry, whatever the run sets', () => {
    const doc = run('tekton.dev/v1', { taskRunTemplate: { podTemplate: { securityContext: POD_SC } } },
      [{ pipelineTaskName: 'x', podTemplate: { securityContext: { runAsUser: 5 } } }, { pipelineTaskName: 'b', podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } }]);
    expect(lines(doc)).toEqual([`spec.taskRunSpecs[1].podTemplate.securityContext.runAsUser: ${UID0}`]);
  });
  it('v1: a taskRunSpecs entry without a securityContext (or a null one) leaves the run\'s', () => {
    const doc = run('tekton.dev/v1', { taskRunTemplate: { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } } },
      [{ pipelineTaskName: 'a', podTemplate: { nodeSelector: { k: 'v' } } }, { pipelineTaskName: 'b', podTemplate: { securityContext: null } }]);
    expect(paths(doc)).toEqual(['spec.taskRunTemplate.podTemplate.securityContext.runAsUser']);
  });
  it('v1beta1: the field is taskPodTemplate (v1beta1/pipelinerun_types.go:623); a v1 podTemplate key there is not read', () => {
    const fixed = run('tekton.dev/v1beta1', { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } },
      [{ pipelineTaskName: 'a', taskPodTemplate: { securityContext: POD_SC } }, { pipelineTaskName: 'b', taskPodTemplate: { securityContext: POD_SC } }]);
    expect(lines(fixed)).toEqual([]);
    const wrongKey = run('tekton.dev/v1beta1', { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } },
      [{ pipelineTaskName: 'a', podTemplate: { securityContext: POD_SC } }, { pipelineTaskName: 'b', podTemplate: { securityContext: POD_SC } }]);
    expect(paths(wrongKey)).toEqual(['spec.podTemplate.securityContext.runAsUser']);
  });
});

describe('Argo: what a caller passes replaces an input\'s value or default (ProcessArgs, common/util.go:200-215)', () => {
  const wf = (input: Doc, callerArg: Doc | undefined, extra: Doc = {}): Doc => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' },
    spec: {
      entrypoint: 'main',
      securityContext: POD_SC,
      ...extra,
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'b', template: 'build', ...(callerArg ? { arguments: { parameters: [callerArg] } } : {}) }] } },
        { name: 'build', inputs: { parameters: [{ name: 'image', ...input }] }, container: { image: '{{inputs.parameters.image}}', args: ARGS, securityContext: CONTAINER_SC } },
      ],
    },
  });
  it('a passed :latest over a pinned value is the image, reported at the argument', () => {
    expect(lines(wf({ value: KIMIA }, { name: 'image', value: 'ghcr.io/rapidfort/kimia:latest' })))
      .toEqual([`spec.templates[0].dag.tasks[0].arguments.parameters[0].value: ${latest('ghcr.io/rapidfort/kimia:latest')}; it is the image of spec.templates[1].container`]);
  });
  it('a passed pinned value over a :latest value is fine', () => {
    expect(lines(wf({ value: 'ghcr.io/rapidfort/kimia:latest' }, { name: 'image', value: KIMIA }))).toEqual([]);
  });
  it('a value nobody overrides is the image (reported at the value)', () => {
    expect(paths(wf({ value: 'ghcr.io/rapidfort/kimia:latest' }, { name: 'other', value: 'x' }))).toEqual(['spec.templates[1].inputs.parameters[0].value']);
  });
  it('a passed valueFrom leaves nothing known here: the :latest default is never used', () => {
    expect(lines(wf({ default: 'ghcr.io/rapidfort/kimia:latest' }, { name: 'image', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }))).toEqual([]);
  });
  it('on the entrypoint, the workflow argument replaces the input\'s value', () => {
    const doc: Doc = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' },
      spec: {
        entrypoint: 'build', securityContext: POD_SC,
        arguments: { parameters: [{ name: 'image', value: 'ghcr.io/rapidfort/kimia:latest' }] },
        templates: [{ name: 'build', inputs: { parameters: [{ name: 'image', value: KIMIA }] }, container: { image: '{{inputs.parameters.image}}', args: ARGS, securityContext: CONTAINER_SC } }],
      },
    };
    expect(paths(doc)).toEqual(['spec.arguments.parameters[0].value']);
  });
});

describe('a script names kimia as a command, not as a directory of a path', () => {
  const task = (script: string): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: KIMIA, script }] } });
  it('a helper step cloning into /home/kimia/workspace is a helper: only its image is checked', () => {
    expect(lines(task('#!/bin/sh\ngit clone "$URL" /home/kimia/workspace\n'))).toEqual([]);
    expect(lines(task('cd ~/kimia/ && ls'))).toEqual([]);
  });
  it('a script running kimia (by name or by path) gets kimia\'s security check', () => {
    expect(paths(task('#!/bin/sh\ncd /home/kimia/workspace\nkimia --context=. --no-push\n'))).toEqual(bareFields('spec.steps[0]'));
    expect(paths(task('exec /usr/local/bin/kimia "$@"'))).toEqual(bareFields('spec.steps[0]'));
  });
});

describe('a kimia reference has one digest', () => {
  const pod = (image: string): Doc => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: POD_SC, containers: [{ name: 'k', image, args: ARGS, securityContext: CONTAINER_SC }] } });
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([`ghcr.io/rapidfort/kimia@junk@${digest}`, `ghcr.io/rapidfort/kimia@${digest}@${digest}`])('%s is refused as an invalid digest', (image) => {
    expect(lines(pod(image))).toEqual([`spec.containers[0].image: kimia image "${image}" has an invalid digest (sha256:<64 hex>)`]);
  });
  it('tag and digest together are pinned', () => {
    expect(lines(pod(`ghcr.io/rapidfort/kimia:1.0.25@${digest}`))).toEqual([]);
  });
});

describe('every kimia image is pinned, whatever its container runs (kimia.md §9)', () => {
  it('a StepAction with a script and no args', () => {
    const doc = { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 's' }, spec: { image: 'ghcr.io/rapidfort/kimia:latest', script: 'git clone "$URL" /home/kimia/workspace' } };
    expect(lines(doc)).toEqual([`spec.image: ${latest('ghcr.io/rapidfort/kimia:latest')}`]);
  });
  it('an object of an unknown kind with an image and a command but no args', () => {
    const doc = { apiVersion: 'example.com/v1', kind: 'Builder', metadata: { name: 'b' }, spec: { runner: { image: 'ghcr.io/rapidfort/kimia-bud:latest', command: ['kimia-bud'] } } };
    expect(lines(doc)).toEqual([`spec.runner.image: ${latest('ghcr.io/rapidfort/kimia-bud:latest')}`]);
  });
  it('an image alone (nothing it runs is written) is no container here', () => {
    expect(lines({ apiVersion: 'example.com/v1', kind: 'Values', metadata: { name: 'v' }, spec: { builder: { image: 'ghcr.io/rapidfort/kimia:latest' } } })).toEqual([]);
  });
});

describe('the repository names the variant, not the tag (kimia.md, tag scheme)', () => {
  const pod = (image: string, args: string[]): Doc => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: POD_SC, containers: [{ name: 'k', image, args, securityContext: CONTAINER_SC }] } });
  it('kimia:kimia-bud-1 is BuildKit kimia: --storage-driver (a Buildah flag) is refused there', () => {
    expect(paths(pod('ghcr.io/rapidfort/kimia:kimia-bud-1', [...ARGS, '--storage-driver=vfs']))).toEqual(['spec.containers[0].args[2]']);
  });
  it('kimia-bud takes --storage-driver', () => {
    expect(lines(pod('ghcr.io/rapidfort/kimia-bud:1.0.25', [...ARGS, '--storage-driver=vfs']))).toEqual([]);
  });
});

describe('Tekton substitutes $(params["X"]) and $(params[\'X\']), quotes matching (apply.go:50-53 paramPatterns)', () => {
  const task = (image: string): Doc => ({
    apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
    spec: { params: [{ name: 'IMG', default: 'ghcr.io/rapidfort/kimia:latest' }], steps: [{ name: 's', image, args: ARGS, securityContext: FULL_SC }] },
  });
  it.each(['$(params["IMG"])', "$(params['IMG'])"])('%s is the param\'s default', (image) => {
    expect(paths(task(image))).toEqual(['spec.params[0].default']);
  });
  it.each(['$(params["IMG\'])', '$(params[\'IMG"])'])('%s (quotes that do not match) is no reference Tekton replaces: not the default', (image) => {
    expect(paths(task(image))).toEqual([]);
  });
});

describe('what only Buildah overlay storage needs is asked of kimia-bud alone (kimia.md §6)', () => {
  const pod = (image: string): Doc => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { securityContext: POD_SC, containers: [{ name: 'k', image, args: [...ARGS, '--storage-driver=overlay'], securityContext: CONTAINER_SC }] },
  });
  it('BuildKit kimia with --storage-driver=overlay: the flag is refused, MKNOD and DAC_OVERRIDE are not asked for', () => {
    expect(paths(pod(KIMIA))).toEqual(['spec.containers[0].args[2]']);
  });
  it('kimia-bud with overlay storage needs MKNOD and DAC_OVERRIDE too', () => {
    expect(paths(pod('ghcr.io/rapidfort/kimia-bud:1.0.25'))).toEqual(['spec.containers[0].securityContext.capabilities.add']);
  });
});

describe('a command is a shell script only when its command is sh or bash', () => {
  const task = (command: string[]): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: KIMIA, command }] } });
  it('shfmt -c "run kimia" is no shell running kimia: a helper, only its image is checked', () => {
    expect(lines(task(['shfmt', '-c', 'run kimia']))).toEqual([]);
  });
  it('sh -c kimia runs kimia: its security context is checked', () => {
    expect(paths(task(['sh', '-c', 'kimia --context=/home/kimia/workspace']))).toEqual(bareFields('spec.steps[0]'));
  });
});

describe('a literal image is reported as it is written', () => {
  it('no "resolves to it" for an image that is its own value', () => {
    const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: POD_SC, containers: [{ name: 'k', image: 'ghcr.io/rapidfort/kimia:latest', args: ARGS, securityContext: CONTAINER_SC }] } };
    expect(lines(doc)).toEqual([`spec.containers[0].image: ${latest('ghcr.io/rapidfort/kimia:latest')}`]);
  });
  it('a kimia image with a newline after its digest is not pinned', () => {
    const image = `ghcr.io/rapidfort/kimia@sha256:${'a'.repeat(64)}\nx`;
    expect(paths({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: POD_SC, containers: [{ name: 'k', image, args: ARGS, securityContext: CONTAINER_SC }] } })).toEqual(['spec.containers[0].image']);
  });
});

describe('Argo: a template\'s securityContext replaces the workflow\'s, it is not merged with it (workflowpod.go:1399-1404)', () => {
  const wt = (spec: Doc): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec: { entrypoint: 'build', ...spec } });
  const build = (podSc?: Doc): Doc => ({ name: 'build', ...(podSc ? { securityContext: podSc } : {}), container: { image: KIMIA, args: ARGS, securityContext: CONTAINER_SC } });
  const POD_FIELDS = ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'appArmorProfile'].map((f) => `spec.templates[0].container.securityContext.${f}`);

  it('the workflow\'s alone reaches the pod', () => {
    expect(lines(wt({ securityContext: POD_SC, templates: [build()] }))).toEqual([]);
  });
  it('a template securityContext with fsGroup only: the workflow\'s UID, GID and profiles do not reach the pod', () => {
    expect(paths(wt({ securityContext: POD_SC, templates: [build({ fsGroup: 1000 })] }))).toEqual(POD_FIELDS);
  });
  it('an empty template securityContext replaces it too (a non-nil PodSecurityContext)', () => {
    expect(paths(wt({ securityContext: POD_SC, templates: [build({})] }))).toEqual(POD_FIELDS);
  });
  it('templateDefaults\' securityContext is the template\'s (merged into it): it replaces the workflow\'s for every template', () => {
    expect(paths(wt({ securityContext: POD_SC, templateDefaults: { securityContext: { fsGroup: 1000 } }, templates: [build()] }))).toEqual(POD_FIELDS);
  });
  it('templateDefaults\' and the template\'s are merged field by field, the template\'s winning', () => {
    const { runAsUser: _u, ...noUid } = POD_SC; // eslint-disable-line @typescript-eslint/no-unused-vars
    expect(lines(wt({ securityContext: { runAsUser: 0 }, templateDefaults: { securityContext: noUid }, templates: [build({ runAsUser: 1000 })] }))).toEqual([]);
    expect(lines(wt({ templateDefaults: { securityContext: POD_SC }, templates: [build({ runAsUser: 0 })] }))).toEqual([`spec.templates[0].securityContext.runAsUser: ${UID0}`]);
  });
});

describe('Argo inline templates (a step\'s or DAG task\'s `inline`, workflow_types.go:1765, :3625) run as templates of their own', () => {
  const wt = (spec: Doc): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec: { entrypoint: 'main', ...spec } });
  const inline = (container: Doc, extra: Doc = {}): Doc => ({ ...extra, container: { image: KIMIA, args: ARGS, ...container } });
  const dag = (task: Doc): Doc => ({ name: 'main', dag: { tasks: [{ name: 'build', ...task }] } });
  const steps = (step: Doc): Doc => ({ name: 'main', steps: [[{ name: 'build', ...step }]] });

  it('the pod-level securityContext reaches a kimia container there: the workflow\'s, or the inline template\'s in its place', () => {
    expect(lines(wt({ securityContext: POD_SC, templates: [dag({ inline: inline({ securityContext: CONTAINER_SC }) })] }))).toEqual([]);
    expect(paths(wt({ securityContext: POD_SC, templates: [dag({ inline: inline({ securityContext: CONTAINER_SC }, { securityContext: { fsGroup: 1000 } }) })] })))
      .toEqual(['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'appArmorProfile'].map((f) => `spec.templates[0].dag.tasks[0].inline.container.securityContext.${f}`));
  });

  it('a kimia container there without any securityContext is reported at its own path (it was read only for image and argv)', () => {
    expect(paths(wt({ templates: [steps({ inline: inline({}) })] }))).toEqual(bareFields('spec.templates[0].steps[0][0].inline.container'));
  });

  it('templateDefaults reach it as any template', () => {
    expect(lines(wt({ templateDefaults: { securityContext: POD_SC, container: { securityContext: CONTAINER_SC } }, templates: [steps({ inline: inline({}) })] }))).toEqual([]);
  });

  it('its inputs take the arguments of the step or task that holds it (validate.go:1114, :1545)', () => {
    const withImage = (image: string) => wt({
      securityContext: POD_SC,
      templates: [dag({
        arguments: { parameters: [{ name: 'img', value: image }] },
        inline: inline({ image: '{{inputs.parameters.img}}', securityContext: CONTAINER_SC }, { inputs: { parameters: [{ name: 'img', default: KIMIA }] } }),
      })],
    });
    expect(lines(withImage('ghcr.io/rapidfort/kimia:latest'))).toEqual([
      `spec.templates[0].dag.tasks[0].arguments.parameters[0].value: ${latest('ghcr.io/rapidfort/kimia:latest')}; it is the image of spec.templates[0].dag.tasks[0].inline.container`,
    ]);
    expect(lines(withImage(KIMIA))).toEqual([]);
  });

  it('an inline template is not called by name: a named template of the same name does not pass it arguments', () => {
    const doc = wt({
      securityContext: POD_SC,
      templates: [
        { name: 'main', steps: [[{ name: 'a', template: 'x', arguments: { parameters: [{ name: 'img', value: 'ghcr.io/rapidfort/kimia:latest' }] } },
          { name: 'b', inline: inline({ image: '{{inputs.parameters.img}}', securityContext: CONTAINER_SC }, { name: 'x', inputs: { parameters: [{ name: 'img', default: KIMIA }] } }) }]] },
        { name: 'x', container: { image: 'alpine:3.20', command: ['true'] } },
      ],
    });
    expect(lines(doc)).toEqual([]);
  });

  it('a named template called from a step inside an inline template takes that step\'s arguments, resolved in the inline template\'s inputs', () => {
    // The inline template is a whole Template (workflow_types.go:1765): its steps call templates by
    // name like any other's, validated with its scope (validate.go:1114 validateTemplateHolder).
    const doc = (passed: string) => wt({
      securityContext: POD_SC,
      templates: [
        dag({
          arguments: { parameters: [{ name: 'outer', value: passed }] },
          inline: { inputs: { parameters: [{ name: 'outer' }] }, steps: [[{ name: 'kimia', template: 'build', arguments: { parameters: [{ name: 'img', value: '{{inputs.parameters.outer}}' }] } }]] },
        }),
        { name: 'build', inputs: { parameters: [{ name: 'img', default: KIMIA }] }, container: { image: '{{inputs.parameters.img}}', args: ARGS, securityContext: CONTAINER_SC } },
      ],
    });
    expect(lines(doc('ghcr.io/rapidfort/kimia:latest'))).toEqual([
      `spec.templates[0].dag.tasks[0].arguments.parameters[0].value: ${latest('ghcr.io/rapidfort/kimia:latest')}; it is the image of spec.templates[1].container`,
    ]);
    expect(lines(doc(KIMIA))).toEqual([]);
  });

  it('an inline template inside an inline template is a template too (its container checked at its own path)', () => {
    const doc = wt({ templates: [steps({ inline: { steps: [[{ name: 'inner', inline: inline({}) }]] } })] });
    expect(paths(doc)).toEqual(bareFields('spec.templates[0].steps[0][0].inline.steps[0][0].inline.container'));
  });
});
