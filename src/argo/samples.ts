/**
 * Sample Workflow that runs a kimia WorkflowTemplate by workflowTemplateRef.
 */
import type { BuildSpec } from '../spec';
import { ARGO } from './template';
import { argoOptions } from './catalog';

const EXAMPLE_GIT_URL = 'https://github.com/kelseyhightower/nocode';
/** kelseyhightower/nocode has only a `master` branch (no `main`). */
const EXAMPLE_GIT_REVISION = 'master';

/** Value a sample gives a parameter: example, else default, else a placeholder. */
function sampleValue(spec: BuildSpec, p: { name: string; default?: string }): string {
  if (p.name === ARGO.gitUrl) return EXAMPLE_GIT_URL;
  if (p.name === ARGO.gitRevision) return EXAMPLE_GIT_REVISION;
  return spec.params[p.name]?.example ?? p.default ?? `REPLACE-${p.name}`;
}

/**
 * A Workflow that runs the whole template by `workflowTemplateRef`, with every parameter given.
 * The only form `templateReferencing: Strict/Secure` accepts (argo-workflows v4.1.2
 * docs/workflow-restrictions.md:12-17), and the one that applies the template's podGC, ttlStrategy and
 * workflowMetadata (a `templateRef` from inline templates takes only the one template).
 */
export function sampleWorkflow(spec: BuildSpec, parameters: ReadonlyArray<{ name: string; default?: string }>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: `${spec.name}-` },
    spec: {
      arguments: { parameters: parameters.map((p) => ({ name: p.name, value: sampleValue(spec, p) })) },
      workflowTemplateRef: { name: spec.name, ...(argoOptions(spec).clusterScope ? { clusterScope: true } : {}) },
    },
  };
}
