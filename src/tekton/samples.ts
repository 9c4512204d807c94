/**
 * Sample TaskRun / PipelineRun documents and the catalog test (tests/run.yaml) for a Task.
 */
import type { BuildSpec } from '../spec';
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
    if (w.name === 'dockerconfig') return { name: w.name, secret: { secretName: 'registry-credentials', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } };
    return { name: w.name, secret: { secretName: 'cosign-keys' } };
  });
}

function params(spec: BuildSpec, iface: TaskInterface, overrides: Record<string, unknown> = {}) {
  return iface.params
    .map((p) => ({ name: p.name, value: p.name in overrides ? overrides[p.name] : sampleValue(spec, p) }))
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

function pipelineRunSpec(spec: BuildSpec, iface: TaskInterface, overrides: Record<string, unknown>) {
  const clones = iface.workspaces.some((w) => w.name === 'source');
  const workspaces = workspaceBindings(iface, {}).filter((w) => w.name !== 'source');
  if (clones) {
    workspaces.unshift({
      name: PIPELINE.shared,
      volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    } as never);
  }
  const ps = params(spec, iface, overrides).filter((p) => !(clones && p.name.startsWith('CHAINS-')));
  if (clones) ps.unshift({ name: PIPELINE.gitUrl, value: EXAMPLE_GIT_URL });
  return { params: ps, workspaces, taskRunTemplate: { podTemplate: FS_GROUP } };
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
 */
export function catalogTestRun(spec: BuildSpec, iface: TaskInterface, pipelineSpec?: unknown): Doc {
  const overrides: Record<string, unknown> = { EXTRA_ARGS: ['--insecure'] };
  for (const [name, p] of Object.entries(spec.params)) {
    if (/IMAGE/.test(name) && p.default === undefined) overrides[name] = `localhost:5000/${spec.name}:test`;
  }
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: `${spec.name}-test` },
    // Inline in the Task's test (only the Task is installed there), by reference in the Pipeline's.
    spec: { ...(pipelineSpec ? { pipelineSpec } : { pipelineRef: { name: spec.name } }), ...pipelineRunSpec(spec, iface, overrides) },
  };
}

/** tests/pre-apply-task-hook.sh for the catalog e2e runner. */
export const PRE_APPLY_TASK_HOOK = `#!/bin/bash
# Sourced by the catalog e2e runner before the Task is applied.
add_sidecar_registry \${TMPF}
add_task git-clone latest
`;
