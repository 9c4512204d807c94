/**
 * checkKimiaContainers (src/validate/kimia.ts), called directly on hand-built documents with
 * literal expectations: which commands of a kimia-image container run kimia (a helper step only has
 * its image pinned), and the containers found outside a Job, Pod, Tekton Task/Pipeline or Argo
 * template (a StepAction, an Argo inline template, an unknown kind). Upstream facts used:
 * - kimia.md §9 (kimia .github/workflows/release.yml): every release moves `latest`, so a kimia
 *   image must carry a version tag or a digest;
 * - kimia v1.0.25 src/internal/build/context.go:182: kimia refuses to build without a context
 *   ("build context is required"), so an argv without --context is reported;
 * - Tekton v1.15.0 pkg/reconciler/taskrun/resources/apply.go:80-93 applyStepActionParameters:
 *   a StepAction's `$(params.X)` takes the default of its own `spec.params`
 *   (replacementsFromDefaultParams);
 * - Argo v4.1.2 pkg/apis/workflow/v1alpha1/workflow_types.go:1765 (WorkflowStep.Inline *Template)
 *   and workflow/common/util.go:200-210 ProcessArgs: a template's `{{inputs.parameters.X}}` is its
 *   OWN input, set from what the caller passes, else from the input's default; an inline
 *   template's inputs are its own, not those of the template whose steps hold it.
 */
import { checkKimiaContainers } from '../src/validate/kimia';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'ghcr.io/rapidfort/kimia:1.0.25';
const LATEST = 'ghcr.io/rapidfort/kimia:latest';
const LATEST_PROBLEM = 'kimia image "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (:latest moves with every kimia release)';
/** A complete kimia argv. */
const GOOD = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
/** An argv without --context (kimia's context.go:182 refuses it). */
const NO_CONTEXT_ARGS = ['--destination=registry.io/app:v1'];
const NO_CONTEXT = '--context is required (kimia exits 1 without it)';
/** The container securityContext kimia's docs/security.md lists (kimia.md §6): nothing to report there. */
const SC = {
  runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false,
  capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] }, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' },
};

describe('a kimia-image container whose command runs something else is a helper: its image is pinned, its argv is not kimia\'s', () => {
  const job = (command: unknown[], image = IMG): Doc => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'b' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'kimia', image, command, args: NO_CONTEXT_ARGS, securityContext: SC }] } } },
  });
  const KIMIA_RULES = [{ path: 'spec.template.spec.containers[0].args[0]', message: NO_CONTEXT }];

  it.each<[string, unknown[], boolean]>([
    // A shell without -c runs a script file: taken for kimia (its argv is checked).
    ['sh running a script file', ['sh', '/home/kimia/build.sh'], true],
    ['/bin/sh with a script file and an option after it', ['/bin/sh', '/home/kimia/build.sh', '--verbose'], true],
    ['bash alone', ['bash'], true],
    // `<shell> -c <script>`: the script decides.
    ['sh -c with a script that never names kimia (a signing step)', ['sh', '-c', 'cosign sign --yes "$IMAGE"'], false],
    ['/bin/bash -c with a script that never names kimia', ['/bin/bash', '-c', 'cosign sign --yes "$IMAGE"'], false],
    ['sh -c with a script that runs kimia', ['sh', '-c', 'exec kimia "$@"', 'sh'], true],
    ['sh -c whose script item is empty (null): the shell is taken for kimia', ['sh', '-c', null], true],
    // Neither a shell nor kimia: a helper, whatever its -c option holds.
    ['git -c <config> naming kimia\'s workspace', ['git', '-c', 'safe.directory=/home/kimia/workspace', 'clone', 'https://github.com/o/app.git'], false],
    ['sha256sum -c (a name starting with "sh")', ['/usr/bin/sha256sum', '-c', '/home/kimia/SHA256SUMS'], false],
    ['sha256sum alone', ['sha256sum'], false],
    ['cosign', ['/usr/bin/cosign', 'sign'], false],
    // A first item that is no string (a nested YAML list) names no program: kimia's rules apply.
    ['a nested list as the shell', [['sh'], '-c', 'cosign sign'], true],
    ['kimia itself', ['/usr/local/bin/kimia'], true],
  ])('%s', (_name, command, runsKimia) => {
    expect(checkKimiaContainers(job(command))).toEqual(runsKimia ? KIMIA_RULES : []);
  });

  it('a helper\'s image is still pinned (kimia.md §9)', () => {
    expect(checkKimiaContainers(job(['sh', '-c', 'cosign sign --yes "$IMAGE"'], LATEST))).toEqual([
      { path: 'spec.template.spec.containers[0].image', message: LATEST_PROBLEM },
    ]);
  });
});

describe('a Tekton StepAction: its image resolves through its own params (apply.go applyStepActionParameters)', () => {
  const stepAction = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'build' }, spec });

  it('an unpinned param default is reported at the default', () => {
    expect(checkKimiaContainers(stepAction({
      params: [{ name: 'context', default: '/home/kimia/workspace' }, { name: 'builder', default: LATEST }],
      image: '$(params.builder)',
      args: GOOD,
    }))).toEqual([{ path: 'spec.params[1].default', message: `${LATEST_PROBLEM}; it is the image of spec` }]);
  });

  it('a pinned default, and a literal image, are judged as they are; the argv is kimia\'s', () => {
    expect(checkKimiaContainers(stepAction({ params: [{ name: 'builder', default: IMG }], image: '$(params.builder)', args: GOOD }))).toEqual([]);
    expect(checkKimiaContainers(stepAction({ image: LATEST, args: NO_CONTEXT_ARGS }))).toEqual([
      { path: 'spec.image', message: LATEST_PROBLEM },
      { path: 'spec.args[0]', message: NO_CONTEXT },
    ]);
  });

  it('without an image, a kimia command makes it kimia\'s: its argv is checked', () => {
    expect(checkKimiaContainers(stepAction({ command: ['/usr/local/bin/kimia'], args: NO_CONTEXT_ARGS }))).toEqual([
      { path: 'spec.args[0]', message: NO_CONTEXT },
    ]);
  });

  it('a StepAction written without spec (its fields at the top) is still read', () => {
    expect(checkKimiaContainers({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'build' }, image: LATEST, args: GOOD })).toEqual([
      { path: 'image', message: LATEST_PROBLEM },
    ]);
  });
});

describe('containers of an unknown kind: any object with args and an image', () => {
  const recipe = (builder: Doc): Doc => ({ apiVersion: 'example.com/v1', kind: 'BuildRecipe', metadata: { name: 'r' }, spec: { builders: [builder] } });

  it('a container inside a list is found, at its own path', () => {
    expect(checkKimiaContainers(recipe({ name: 'b', image: LATEST, args: NO_CONTEXT_ARGS }))).toEqual([
      { path: 'spec.builders[0].image', message: LATEST_PROBLEM },
      { path: 'spec.builders[0].args[0]', message: NO_CONTEXT },
    ]);
  });

  it('the items of a container\'s args are its argv, never searched as containers', () => {
    const issues = checkKimiaContainers(recipe({ name: 'b', image: IMG, args: [...GOOD, { image: LATEST, args: GOOD }] }));
    expect(issues.map((i) => i.path)).toEqual(['spec.builders[0].args[2]']);
  });
});

describe('Argo: what an inline template resolves through its inputs, and what it leaves to the template rules (util.go ProcessArgs)', () => {
  const wt = (templates: Doc[]): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec: { entrypoint: 'main', templates } });
  const inline = (template: Doc): Doc => wt([{ name: 'main', steps: [[{ name: 'build', inline: template }]] }]);
  const AT = 'spec.templates[0].steps[0][0].inline.container';

  it('a default every caller overrides is never the image (reported once, from the template rules)', () => {
    const build = (args?: Doc) => wt([
      { name: 'main', steps: [[{ name: 'build', template: 'build', ...(args && { arguments: args }) }]] },
      { name: 'build', inputs: { parameters: [{ name: 'image', default: LATEST }] }, container: { image: '{{inputs.parameters.image}}', args: GOOD, securityContext: SC } },
    ]);
    expect(checkKimiaContainers(build({ parameters: [{ name: 'image', value: IMG }] }))).toEqual([]);
    // The caller passes nothing: the default applies (util.go:205-207).
    expect(checkKimiaContainers(build())).toEqual([
      { path: 'spec.templates[1].inputs.parameters[0].default', message: `${LATEST_PROBLEM}; it is the image of spec.templates[1].container` },
    ]);
  });

  it('an inline template\'s image resolves through its own input defaults, by name (it is a template: the default is reported where it is written)', () => {
    expect(checkKimiaContainers(inline({
      inputs: { parameters: [{ name: 'context', default: '/home/kimia/workspace' }, { name: 'image', default: LATEST }] },
      container: { image: '{{inputs.parameters.image}}', args: GOOD, securityContext: SC },
    }))).toEqual([{ path: 'spec.templates[0].steps[0][0].inline.inputs.parameters[1].default', message: `${LATEST_PROBLEM}; it is the image of ${AT}` }]);
  });

  it('an inline template without inputs does not see the inputs of the template holding it', () => {
    expect(checkKimiaContainers(wt([{
      name: 'main',
      inputs: { parameters: [{ name: 'image', default: LATEST }] },
      steps: [[{ name: 'build', inline: { container: { image: '{{inputs.parameters.image}}', args: GOOD } } }]],
    }]))).toEqual([]);
    // Nor does the containerSet of an inline template without inputs (a DAG task this time).
    expect(checkKimiaContainers(wt([{
      name: 'main',
      inputs: { parameters: [{ name: 'image', default: LATEST }] },
      dag: { tasks: [{ name: 'build', inline: { containerSet: { containers: [{ name: 'main', image: '{{inputs.parameters.image}}', args: GOOD }] } } }] },
    }]))).toEqual([]);
  });

  it('a reference that is only part of the image is not replaced by its default: the image stays kimia\'s', () => {
    expect(checkKimiaContainers(inline({
      inputs: { parameters: [{ name: 'tag', default: '1.0.25' }] },
      container: { image: 'ghcr.io/rapidfort/kimia:{{inputs.parameters.tag}}', args: NO_CONTEXT_ARGS, securityContext: SC },
    }))).toEqual([{ path: `${AT}.args[0]`, message: NO_CONTEXT }]);
    expect(checkKimiaContainers(inline({
      inputs: { parameters: [{ name: 'registry', default: 'ghcr.io' }] },
      container: { image: '{{inputs.parameters.registry}}/rapidfort/kimia:1.0.25', args: NO_CONTEXT_ARGS, securityContext: SC },
    }))).toEqual([{ path: `${AT}.args[0]`, message: NO_CONTEXT }]);
  });
});
