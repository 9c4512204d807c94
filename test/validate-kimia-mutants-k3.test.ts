/**
 * Survivors of the mutation run on src/validate/kimia.ts (where a kimia container's pod context comes
 * from in Tekton TaskRuns/PipelineRuns/ClusterTasks and Argo templates, and the fields findings
 * name), called through checkKimiaContainers on hand-built documents. Upstream facts:
 * - kimia.md §6 (kimia's docs/security.md): UID/GID 1000, runAsNonRoot, allowPrivilegeEscalation,
 *   SETUID+SETGID, seccomp and AppArmor Unconfined, a writable root filesystem;
 * - tektoncd/pipeline v1.15.0 pkg/apis/pipeline/v1/taskrun_types.go:67 `PodTemplate`
 *   (TaskRun spec.podTemplate), v1/pipelinerun_types.go:286/717 `TaskRunTemplate.PodTemplate`
 *   (PipelineRun spec.taskRunTemplate.podTemplate), v1beta1/pipelinerun_types.go:299 `PodTemplate`
 *   (v1beta1 PipelineRun spec.podTemplate); v0.50.0 v1beta1/cluster_task_types.go:44 `Spec TaskSpec`
 *   (a ClusterTask's spec is a Task spec);
 * - argo-workflows v4.1.2 workflow/common/common.go:15 MainContainerName = "main";
 *   workflow/controller/workflowpod.go:299 processPodSpecPatch (spec-level then template-level
 *   podSpecPatch), workflow/util/util.go:1679 ApplyPodSpecPatch (a strategic merge of the pod spec:
 *   containers merge by name); workflow/controller/operator.go:4649 mergedTemplateDefaultsInto
 *   (templateDefaults merged into each template, the container/script default only into its type);
 *   argo.md: spec- and template-level securityContext are pod-level; CronWorkflow spec.workflowSpec.
 */
import { checkKimiaContainers } from '../src/validate/kimia';
import { KIMIA_ARGS as ARGS, KIMIA_CONTAINER_SC as CONTAINER_SC, KIMIA_NEEDED_SC as FULL_SC, KIMIA_POD_SC as POD_SC, KIMIA_REF as KIMIA, KIMIA_UID0 as UID0, kimiaBareFields, kimiaLines as lines, kimiaPaths as paths } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const { runAsUser: _u, ...FULL_BUT_UID } = FULL_SC; // eslint-disable-line @typescript-eslint/no-unused-vars
const { allowPrivilegeEscalation: _e, ...FULL_BUT_APE } = FULL_SC; // eslint-disable-line @typescript-eslint/no-unused-vars

const APE_UNSET = 'allowPrivilegeEscalation not set: kimia needs true: newuidmap/newgidmap are setuid binaries it runs for its user namespace (kimia.md §6)';
const LATEST = 'kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)';
const UNTAGGED = 'kimia image "ghcr.io/rapidfort/kimia" must be pinned to a version tag or digest (untagged means :latest moves with every kimia release)';

/** The fields every unset requirement of kimia.md §6 is reported at, for a container at `c`. */
const bareFields = kimiaBareFields;

// ---------------------------------------------------------------------------------------------
// Tekton

describe('Tekton documents: only tekton.dev/ apiVersions, metadata optional', () => {
  const steps = [{ name: 'build', image: KIMIA, args: ARGS }];
  it('a tekton.dev/v1 Task without metadata: its step gets the whole security check', () => {
    expect(paths({ apiVersion: 'tekton.dev/v1', kind: 'Task', spec: { steps } })).toEqual(bareFields('spec.steps[0]'));
  });
  it('kind Task under another API group is no Tekton Task: its pod is unknown, only image and argv are checked', () => {
    expect(paths({ apiVersion: 'example.com/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps } })).toEqual([]);
  });
  it('a ClusterTask (v1beta1, spec is a TaskSpec: cluster_task_types.go:44 in v0.50.0) is checked like a Task', () => {
    expect(paths({ apiVersion: 'tekton.dev/v1beta1', kind: 'ClusterTask', metadata: { name: 't' }, spec: { steps } })).toEqual(bareFields('spec.steps[0]'));
  });
});

describe('TaskRun: podTemplate.securityContext is the pod level, params bind the taskSpec (taskrun_types.go:67)', () => {
  const taskRun = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r' }, spec });
  it('a wrong pod-level UID is reported at spec.podTemplate.securityContext', () => {
    expect(lines(taskRun({
      podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } },
      taskSpec: { steps: [{ name: 'build', image: KIMIA, args: ARGS, securityContext: CONTAINER_SC }] },
    }))).toEqual([`spec.podTemplate.securityContext.runAsUser: ${UID0}`]);
  });
  it('the pod template supplies the pod-level settings', () => {
    expect(lines(taskRun({
      podTemplate: { securityContext: POD_SC },
      taskSpec: { steps: [{ name: 'build', image: KIMIA, args: ARGS, securityContext: CONTAINER_SC }] },
    }))).toEqual([]);
  });
  it('without podTemplate, an unpinned taskSpec param default is reported at spec.taskSpec.params', () => {
    expect(lines(taskRun({
      taskSpec: {
        params: [{ name: 'BUILDER', type: 'string', default: 'ghcr.io/rapidfort/kimia:latest' }],
        steps: [{ name: 'build', image: '$(params.BUILDER)', args: ARGS, securityContext: FULL_BUT_APE }],
      },
    }))).toEqual([
      `spec.taskSpec.params[0].default: ${LATEST}; it is the image of spec.taskSpec.steps[0]`,
      `spec.taskSpec.steps[0].securityContext.allowPrivilegeEscalation: ${APE_UNSET}`,
    ]);
  });
  it('a TaskRun param value overrides the default and is reported at spec.params', () => {
    expect(lines(taskRun({
      params: [{ name: 'BUILDER', value: 'ghcr.io/rapidfort/kimia' }],
      taskSpec: {
        params: [{ name: 'BUILDER', type: 'string', default: KIMIA }],
        steps: [{ name: 'build', image: '$(params.BUILDER)', args: ARGS, securityContext: FULL_SC }],
      },
    }))).toEqual([`spec.params[0].value: ${UNTAGGED}; it is the image of spec.taskSpec.steps[0]`]);
  });
});

describe('PipelineRun: the pod template (v1 taskRunTemplate.podTemplate, v1beta1 podTemplate) and params', () => {
  const pipelineSpec = (step: Doc, params?: Doc[]): Doc => ({
    ...(params ? { params } : {}),
    tasks: [{ name: 'build', params: [{ name: 'BUILDER', value: '$(params.BUILDER)' }], taskSpec: { params: [{ name: 'BUILDER', type: 'string' }], steps: [step] } }],
  });
  const step = { name: 'build', image: KIMIA, args: ARGS, securityContext: { readOnlyRootFilesystem: false, capabilities: { add: ['SETUID', 'SETGID'] } } };
  it('v1: spec.taskRunTemplate.podTemplate.securityContext is the pod level (pipelinerun_types.go:286, 717)', () => {
    expect(lines({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' },
      spec: { taskRunTemplate: { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } } }, pipelineSpec: pipelineSpec(step) },
    })).toEqual([
      `spec.taskRunTemplate.podTemplate.securityContext.runAsUser: ${UID0}`,
      `spec.pipelineSpec.tasks[0].taskSpec.steps[0].securityContext.allowPrivilegeEscalation: ${APE_UNSET}`,
    ]);
  });
  it('v1beta1: spec.podTemplate.securityContext is the pod level (v1beta1/pipelinerun_types.go:299)', () => {
    expect(lines({
      apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'r' },
      spec: { podTemplate: { securityContext: { ...POD_SC, runAsUser: 0 } }, pipelineSpec: pipelineSpec(step) },
    })).toEqual([
      `spec.podTemplate.securityContext.runAsUser: ${UID0}`,
      `spec.pipelineSpec.tasks[0].taskSpec.steps[0].securityContext.allowPrivilegeEscalation: ${APE_UNSET}`,
    ]);
  });
  const imageStep = { name: 'build', image: '$(params.BUILDER)', args: ARGS, securityContext: FULL_SC };
  it('an image from the pipelineSpec param default is reported at spec.pipelineSpec.params', () => {
    expect(lines({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' },
      spec: { pipelineSpec: pipelineSpec(imageStep, [{ name: 'BUILDER', type: 'string', default: 'ghcr.io/rapidfort/kimia:latest' }]) },
    })).toEqual([`spec.pipelineSpec.params[0].default: ${LATEST}; it is the image of spec.pipelineSpec.tasks[0].taskSpec.steps[0]`]);
  });
  it('a PipelineRun param value overrides the default and is reported at spec.params', () => {
    expect(lines({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' },
      spec: {
        params: [{ name: 'BUILDER', value: 'ghcr.io/rapidfort/kimia' }],
        pipelineSpec: pipelineSpec(imageStep, [{ name: 'BUILDER', type: 'string', default: KIMIA }]),
      },
    })).toEqual([`spec.params[0].value: ${UNTAGGED}; it is the image of spec.pipelineSpec.tasks[0].taskSpec.steps[0]`]);
  });
});

// ---------------------------------------------------------------------------------------------
// Argo

const ARGO = 'argoproj.io/v1alpha1';
const wt = (spec: Doc): Doc => ({ apiVersion: ARGO, kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec });
const build = (container: Doc, extra: Doc = {}): Doc => ({ name: 'build', ...extra, container: { image: KIMIA, args: ARGS, ...container } });

describe('Argo documents: only argoproj.io/ apiVersions; CronWorkflow spec.workflowSpec', () => {
  it('a bare kimia container of a WorkflowTemplate gets the whole security check', () => {
    expect(paths(wt({ templates: [build({})] }))).toEqual(bareFields('spec.templates[0].container'));
  });
  it('the same shape under another API group is no Argo template: only image and argv are checked', () => {
    expect(paths({ apiVersion: 'example.com/v1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec: { templates: [build({})] } })).toEqual([]);
  });
  it('a CronWorkflow template sits under spec.workflowSpec', () => {
    expect(lines({
      apiVersion: ARGO, kind: 'CronWorkflow', metadata: { name: 'c' },
      spec: { schedule: '0 * * * *', workflowSpec: { entrypoint: 'build', templates: [build({ securityContext: FULL_BUT_APE })] } },
    })).toEqual([`spec.workflowSpec.templates[0].container.securityContext.allowPrivilegeEscalation: ${APE_UNSET}`]);
  });
  it('a CronWorkflow or Workflow without spec has no containers (and does not throw)', () => {
    expect(checkKimiaContainers({ apiVersion: ARGO, kind: 'CronWorkflow', metadata: { name: 'c' } })).toEqual([]);
    expect(checkKimiaContainers({ apiVersion: ARGO, kind: 'Workflow', metadata: { name: 'w' } })).toEqual([]);
  });
});

describe('Argo pod-level securityContexts: spec, templateDefaults, template (argo.md; operator.go:4649)', () => {
  it.each([
    ['spec.securityContext', { securityContext: { ...POD_SC, runAsUser: 0 }, templates: [build({ securityContext: CONTAINER_SC })] }],
    ['spec.templateDefaults.securityContext', { templateDefaults: { securityContext: { ...POD_SC, runAsUser: 0 } }, templates: [build({ securityContext: CONTAINER_SC })] }],
    ['spec.templates[0].securityContext', { templates: [build({ securityContext: CONTAINER_SC }, { securityContext: { ...POD_SC, runAsUser: 0 } })] }],
  ])('a UID of 0 from %s is reported there', (at, spec) => {
    expect(lines(wt(spec))).toEqual([`${at}.runAsUser: ${UID0}`]);
  });
  it('templateDefaults.container.securityContext is a container default of a container template', () => {
    expect(lines(wt({
      templateDefaults: { container: { securityContext: { runAsUser: 0 } } },
      templates: [build({ securityContext: FULL_BUT_UID }, { securityContext: POD_SC })],
    }))).toEqual([`spec.templateDefaults.container.securityContext.runAsUser: ${UID0}`]);
  });
  it('a container matched by its command, its image from templateDefaults (argo.md: image may come from templateDefaults)', () => {
    expect(lines(wt({
      templateDefaults: { container: { image: KIMIA } },
      templates: [{ name: 'build', container: { command: ['/usr/local/bin/kimia'], args: ARGS, securityContext: FULL_BUT_APE } }],
    }))).toEqual([`spec.templates[0].container.securityContext.allowPrivilegeEscalation: ${APE_UNSET}`]);
  });
  it('an unpinned container image is reported at the container image field', () => {
    expect(lines(wt({ templates: [build({ image: 'ghcr.io/rapidfort/kimia:latest', securityContext: FULL_SC })] })))
      .toEqual([`spec.templates[0].container.image: ${LATEST}`]);
  });
});

describe('Argo script templates: the main container (common.go:15 MainContainerName = "main")', () => {
  const script = (sc: Doc): Doc => ({ name: 'build', script: { image: KIMIA, args: ARGS, source: 'exec /usr/local/bin/kimia "$@"', securityContext: sc } });
  it('the AppArmor annotation for container "main" in the template metadata is accepted; the script field is named', () => {
    const { appArmorProfile: _a, ...sc } = FULL_BUT_APE; // eslint-disable-line @typescript-eslint/no-unused-vars
    expect(lines(wt({
      templates: [{ ...script(sc), metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' } } }],
    }))).toEqual([`spec.templates[0].script.securityContext.allowPrivilegeEscalation: ${APE_UNSET}`]);
  });
  it('templateDefaults.script.securityContext is a container default of a script template', () => {
    expect(lines(wt({
      templateDefaults: { script: { securityContext: { runAsUser: 0 } } },
      templates: [script(FULL_BUT_UID)],
    }))).toEqual([`spec.templateDefaults.script.securityContext.runAsUser: ${UID0}`]);
  });
});

describe('Argo podSpecPatch (workflowpod.go:299 processPodSpecPatch, util.go:1679 ApplyPodSpecPatch)', () => {
  const patch = [
    'securityContext: {runAsUser: 0}',
    'containers:',
    '- name: wait',
    '  securityContext: {allowPrivilegeEscalation: false}',
    '- name: main',
    '  securityContext: {readOnlyRootFilesystem: true}',
  ].join('\n');
  it('a template patch: its pod securityContext and the "main" container entry apply, another container\'s entry does not', () => {
    expect(lines(wt({ templates: [build({ securityContext: FULL_BUT_UID }, { podSpecPatch: patch })] }))).toEqual([
      `spec.templates[0].podSpecPatch.runAsUser: ${UID0}`,
      'spec.templates[0].podSpecPatch.readOnlyRootFilesystem: readOnlyRootFilesystem is true: kimia needs false: it writes under $HOME, /tmp and /run/user/1000 (kimia.md §6)',
    ]);
  });
  it('a spec-level patch applies to every template', () => {
    expect(lines(wt({ podSpecPatch: 'securityContext: {runAsUser: 0}', templates: [build({ securityContext: FULL_BUT_UID })] })))
      .toEqual([`spec.podSpecPatch.runAsUser: ${UID0}`]);
  });
  it.each([
    ['a YAML scalar', 'not a pod spec'],
    ['YAML that does not parse', '{securityContext: [unclosed'],
  ])('a template patch that is %s cannot be read: the security context is not judged', (_what, podSpecPatch) => {
    expect(lines(wt({ templates: [build({}, { podSpecPatch })] }))).toEqual([]);
  });
});
