/**
 * Sample TaskRun / PipelineRun documents and the catalog test (tests/run.yaml) for a Task.
 */
import { PLATFORM_PARAMS, platformTargets, type BuildSpec } from '../spec';
import type { TaskInterface } from './task';
import { PIPELINE } from './pipeline';

type Doc = Record<string, unknown>;

/** The value a sample gives a Task param: its example, nothing when it has a default, else a placeholder. */
function sampleValue(spec: BuildSpec, param: TaskInterface['params'][number]): unknown {
  const example = spec.params[param.name]?.example;
  if (example !== undefined) return example;
  return param.default === undefined ? `REPLACE-${param.name}` : undefined;
}

const FS_GROUP = { securityContext: { fsGroup: 1000 } };
const EXAMPLE_GIT_URL = 'https://github.com/kelseyhightower/nocode';

function workspaceBindings(iface: TaskInterface, source: Doc) {
  return iface.workspaces.map((w) => {
    if (w.name === 'source') return { name: w.name, ...source };
    if (w.name === 'image-archive') return { name: w.name, persistentVolumeClaim: { claimName: 'image-archive' } };
    return { name: w.name, secret: { secretName: 'registry-credentials', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } };
  });
}

function params(spec: BuildSpec, iface: TaskInterface, overrides: Record<string, unknown> = {}, forPipeline = false) {
  const first = platformTargets(spec)[0];
  const perPlatform: Record<string, string> = first
    ? { [PLATFORM_PARAMS.platform]: first.platform, [PLATFORM_PARAMS.slug]: first.slug, [PLATFORM_PARAMS.arch]: first.arch }
    : {};
  return iface.params
    // The Pipeline's matrix binds the per-platform params; a TaskRun gets the first platform's.
    .filter((p) => !(forPipeline && p.name in perPlatform))
    .map((p) => (p.name in perPlatform && !(p.name in overrides) ? { ...p, example: perPlatform[p.name] } : p))
    .map((p) => ({ name: p.name, value: p.name in overrides ? overrides[p.name] : ('example' in p ? p.example : sampleValue(spec, p)) }))
    .filter((p) => p.value !== undefined);
}

/** A TaskRun of the Task, with every param without a default filled in. */
export function sampleTaskRun(spec: BuildSpec, iface: TaskInterface): Doc {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { generateName: `${spec.name}-` },
    spec: {
      taskRef: { name: spec.name, kind: 'Task' },
      params: params(spec, iface),
      workspaces: workspaceBindings(iface, { persistentVolumeClaim: { claimName: 'source' } }),
      // fsGroup lets UID 1000 read the mounted Secrets and write the workspace.
      podTemplate: FS_GROUP,
    },
  };
}

function pipelineRunSpec(spec: BuildSpec, iface: TaskInterface, overrides: Record<string, unknown>, withCredentials = true) {
  const clones = iface.workspaces.some((w) => w.name === 'source');
  const workspaces = workspaceBindings(iface, {}).filter((w) => w.name !== 'source' && (withCredentials || w.name !== 'dockerconfig'));
  if (clones) {
    workspaces.unshift({
      name: PIPELINE.shared,
      volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    } as never);
  }
  const ps = params(spec, iface, overrides, true).filter((p) => !(clones && p.name.startsWith('CHAINS-')));
  if (overrides[PIPELINE.verify] !== undefined) ps.push({ name: PIPELINE.verify, value: overrides[PIPELINE.verify] });
  if (clones) ps.unshift({ name: PIPELINE.gitUrl, value: EXAMPLE_GIT_URL });
  if (clones && overrides[PIPELINE.gitRevision] !== undefined) ps.splice(1, 0, { name: PIPELINE.gitRevision, value: overrides[PIPELINE.gitRevision] });
  // Multi-arch: each matrixed build runs natively on a node of its architecture.
  const taskRunSpecs = platformTargets(spec).length
    ? { taskRunSpecs: [{ pipelineTaskName: 'build', podTemplate: { ...FS_GROUP, nodeSelector: { 'kubernetes.io/arch': `$(params.${PLATFORM_PARAMS.arch})` } } }] }
    : {};
  return { params: ps, workspaces, taskRunTemplate: { podTemplate: FS_GROUP }, ...taskRunSpecs };
}

/** A PipelineRun of the Pipeline. */
export function samplePipelineRun(spec: BuildSpec, iface: TaskInterface): Doc {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { generateName: `${spec.name}-` },
    spec: { pipelineRef: { name: spec.name }, ...pipelineRunSpec(spec, iface, {}) },
  };
}

/**
 * The catalog e2e test: the Pipeline run against the registry sidecar that
 * pre-apply-task-hook.sh adds (localhost:5000, plain HTTP, hence --insecure).
 * In the Task's test the Pipeline is inline and without the verify task: the sidecar
 * registry is only reachable from the build pod.
 */
export function catalogTestRun(spec: BuildSpec, iface: TaskInterface, pipelineSpec: Record<string, any>, inline: boolean): Doc { // eslint-disable-line @typescript-eslint/no-explicit-any
  const overrides: Record<string, unknown> = { EXTRA_ARGS: ['--insecure'], [PIPELINE.gitRevision]: 'master' };
  for (const [name, p] of Object.entries(spec.params)) {
    if (/IMAGE/.test(name) && p.default === undefined) overrides[name] = `localhost:5000/${spec.name}:test`;
  }
  // The sidecar registry is reachable from the build pod only: no verify in tests.
  const verifies = (pipelineSpec.params ?? []).some((p: { name: string }) => p.name === PIPELINE.verify);
  if (verifies && !inline) overrides[PIPELINE.verify] = 'false';
  const target = inline
    ? { pipelineSpec: { ...pipelineSpec, params: pipelineSpec.params.filter((p: { name: string }) => p.name !== PIPELINE.verify), tasks: pipelineSpec.tasks.filter((t: { name: string }) => t.name !== 'verify') } }
    : { pipelineRef: { name: spec.name } };
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: `${spec.name}-test` },
    spec: { ...target, ...pipelineRunSpec(spec, iface, overrides, false) },
  };
}

/** The data file beside the test hook, read by {@link PRE_APPLY_HOOK}. */
export const PRE_APPLY_HOOK_VALUES = 'kimia-bundles-test.values';

/**
 * tests/pre-apply-task-hook.sh, sourced by the catalog e2e runner (its test namespace is $tns):
 * a registry sidecar, git-clone, the Task itself for the Pipeline's test, and a throwaway
 * cosign key pair in the Secrets the spec names when the build signs (no key is ever committed).
 *
 * The same text for every build and both kinds: nothing from the config is ever part of it.
 * What differs (the git-clone version, the Task file, the key pair's Secret and the password
 * key) is data in {@link PRE_APPLY_HOOK_VALUES} beside it, one `key=value` per line, which the
 * hook reads with `read -r` and only ever uses quoted, as arguments.
 */
export const PRE_APPLY_HOOK = `#!/bin/bash
# Sourced by the Tekton catalog e2e runner before the resources are applied (test namespace: \${tns}).
# The same script for every build: what differs is read as data from ${PRE_APPLY_HOOK_VALUES}
# beside it (one key=value per line), never pasted into this script.
kimia_values="$(dirname "\${BASH_SOURCE[0]}")/${PRE_APPLY_HOOK_VALUES}"
[ -f "\${kimia_values}" ] || { echo "kimia-bundles: \${kimia_values} is missing" >&2; exit 1; }
kimia_git_clone=; kimia_task=; kimia_cosign_secret=; kimia_cosign_patch=; kimia_password_secret=; kimia_password_key=
while IFS='=' read -r kimia_key kimia_value; do
  case "\${kimia_key}" in
    git-clone-version) kimia_git_clone="\${kimia_value}" ;;
    task) kimia_task="\${kimia_value}" ;;
    cosign-secret) kimia_cosign_secret="\${kimia_value}" ;;
    cosign-password-patch) kimia_cosign_patch="\${kimia_value}" ;;
    cosign-password-secret) kimia_password_secret="\${kimia_value}" ;;
    cosign-password-key) kimia_password_key="\${kimia_value}" ;;
  esac
done < "\${kimia_values}"
# Sourced, so no set -e here: every step that fails ends the run with exit 1 itself.
add_sidecar_registry "\${TMPF}" || { echo "kimia-bundles: add_sidecar_registry failed" >&2; exit 1; }
add_task git-clone "\${kimia_git_clone}" || { echo "kimia-bundles: add_task git-clone failed" >&2; exit 1; }
if [ -n "\${kimia_task}" ]; then
  # The Pipeline runs the Task of the same version by name.
  kubectl -n "\${tns}" apply -f "$(dirname "\${BASH_SOURCE[0]}")/\${kimia_task}" || { echo "kimia-bundles: applying \${kimia_task} failed" >&2; exit 1; }
fi
if [ -n "\${kimia_cosign_secret}" ]; then
  # A throwaway key pair for this test run only.
  command -v cosign >/dev/null || { echo "cosign is needed to create the test key pair" >&2; exit 1; }
  COSIGN_PASSWORD='test' cosign generate-key-pair "k8s://\${tns}/\${kimia_cosign_secret}" || { echo "kimia-bundles: cosign generate-key-pair failed" >&2; exit 1; }
  if [ -n "\${kimia_cosign_patch}" ]; then
    kubectl -n "\${tns}" patch secret "\${kimia_cosign_secret}" -p "\${kimia_cosign_patch}" || { echo "kimia-bundles: patching \${kimia_cosign_secret} failed" >&2; exit 1; }
  fi
  if [ -n "\${kimia_password_secret}" ]; then
    # The password in a Secret of its own (signing.password.secretName).
    kubectl -n "\${tns}" create secret generic "\${kimia_password_secret}" --from-literal="\${kimia_password_key}=test" || { echo "kimia-bundles: creating \${kimia_password_secret} failed" >&2; exit 1; }
  fi
fi
`;

/**
 * The data {@link PRE_APPLY_HOOK} reads: `key=value` lines. The Pipeline's test applies the Task
 * of the same version; a signing build gets a key pair in the Secret of `signing.key` (the Task
 * mounts the Secrets the spec names), plus the password under the build's own key when it is not
 * cosign's `cosign.password` (a JSON merge patch, written as JSON), or in a Secret of its own.
 * The key pair keeps cosign's key names (cosign.key, cosign.pub): a spec naming other keys gets
 * a test whose Secret lacks them (the Task then fails reading the key, saying which).
 */
export function preApplyHookValues(spec: BuildSpec, kind: 'task' | 'pipeline', gitCloneVersion: string): string {
  const entries: Array<[string, string]> = [['git-clone-version', gitCloneVersion]];
  if (kind === 'pipeline') entries.push(['task', `../../../../task/${spec.name}/${spec.version}/${spec.name}.yaml`]);
  // signing.in: chains: no key in the pod, so no test key pair.
  if (spec.signing && spec.signing.in !== 'chains') {
    const keySecret = spec.signing.key.secretName;
    entries.push(['cosign-secret', keySecret]);
    const pw = spec.signing.password;
    if (pw && pw.secretName !== keySecret) entries.push(['cosign-password-secret', pw.secretName], ['cosign-password-key', pw.key]);
    else if (pw && pw.key !== 'cosign.password') entries.push(['cosign-password-patch', JSON.stringify({ stringData: { [pw.key]: 'test' } })]);
  }
  for (const [key, value] of entries) {
    // One line per entry: the schema keeps these values on one line; never write one that is not.
    if (/[\r\n]/.test(value)) throw new Error(`internal: ${key} for the test hook spans lines`);
  }
  return entries.map(([k, v]) => `${k}=${v}\n`).join('');
}
