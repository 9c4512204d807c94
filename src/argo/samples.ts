/**
 * Sample Workflow that uses a kimia WorkflowTemplate by templateRef.
 */
import type { BuildSpec } from '../spec';
import { ARGO } from './template';
import { argoOptions } from './catalog';

const EXAMPLE_GIT_URL = 'https://github.com/kelseyhightower/nocode';

/** Value a sample gives a parameter: example, else default, else a placeholder. */
function sampleValue(spec: BuildSpec, p: { name: string; default?: string }): string {
  if (p.name === ARGO.gitUrl) return EXAMPLE_GIT_URL;
  return spec.params[p.name]?.example ?? p.default ?? `REPLACE-${p.name}`;
}

/** A Workflow calling the template's entrypoint by templateRef, with every parameter declared. */
export function sampleWorkflow(spec: BuildSpec, parameters: ReadonlyArray<{ name: string; default?: string }>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: `${spec.name}-` },
    spec: {
      entrypoint: 'run',
      arguments: { parameters: parameters.map((p) => ({ name: p.name, value: sampleValue(spec, p) })) },
      templates: [{
        name: 'run',
        steps: [[{
          name: 'build',
          templateRef: { name: spec.name, template: ARGO.entrypoint, ...(argoOptions(spec).clusterScope ? { clusterScope: true } : {}) },
        }]],
      }],
    },
  };
}
