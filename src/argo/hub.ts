/**
 * The optional argo-hub layout (codefresh-io/argo-hub): `argo-hub/workflows/<name>/versions/<semver>/`
 * with `workflowTemplate.yaml`, `rbac.yaml` and `docs/` (argo-hub workflows/kaniko/versions/0.0.1/).
 * Rendered for builds whose `outputs` list `argo-hub` (beside `argo`).
 *
 * Each version's template is named `<name>.<semver>`, as argo-hub names them
 * (`argo-hub.kaniko.0.0.1`: workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:4), so every kept
 * version can be applied side by side without two of them sharing one `metadata.name`.
 */
import { Chart } from 'cdk8s';
import { atBundleVersion, type BuildSpec, type Engine } from '../spec';
import { KimiaWorkflowTemplate } from './template';
import { sampleWorkflow } from './samples';
import { argoReadme } from './docs';
import { argoBundle, argoDescription } from './catalog';
import { argoRbac } from './rbac';

/** `0.6` -> `0.6.0`: argo-hub's version directories are full semvers. */
export function hubVersion(version: string): string {
  const parts = version.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

/** The per-version template name in the argo-hub layout: `<name>.<semver>`. */
export function hubTemplateName(spec: BuildSpec): string {
  return `${spec.name}.${hubVersion(spec.version)}`;
}

/** Renders a build in the argo-hub layout (see the module comment). */
export const argoHubEngine: Engine = {
  name: 'argo-hub',
  render(scope, build, options) {
    // The hub layout follows the Argo template's version.
    const spec = atBundleVersion(build, options, argoBundle(build));
    // Stryker disable next-line BooleanLiteral,ObjectLiteral: equivalent, the chart's one object is named explicitly (argoMetadata), then renamed to hubTemplateName
    const chart = new Chart(scope, `argo-hub-${spec.name}`, { disableResourceNameHashes: true });
    const t = new KimiaWorkflowTemplate(chart, 'template', { spec });
    const [doc] = chart.toJson();
    const name = hubTemplateName(t.spec);
    const semver = hubVersion(t.spec.version);
    const tags = doc.metadata.annotations['workflows.argoproj.io/tags'];
    const template = {
      ...doc,
      metadata: {
        ...doc.metadata,
        name,
        // argo-hub's own annotations (workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:5-13), beside the Argo catalog's.
        annotations: { ...doc.metadata.annotations, 'argo-hub/version': semver, 'argo-hub/description': argoDescription(t.spec), 'argo-hub/categories': tags },
      },
    };
    const base = sampleWorkflow(t.spec, t.parameters);
    const sample = { ...base, spec: { ...base.spec, workflowTemplateRef: { ...base.spec.workflowTemplateRef, name } } };
    const dir = `argo-hub/workflows/${t.spec.name}/versions/${semver}`;
    return [
      { path: `${dir}/workflowTemplate.yaml`, documents: [template] },
      { path: `${dir}/rbac.yaml`, documents: argoRbac(t.spec) },
      { path: `${dir}/docs/README.md`, text: argoReadme(t.spec, template, sample, { name, file: 'workflowTemplate.yaml', versioned: true, dir }) },
      { path: `${dir}/docs/workflow.yaml`, documents: [sample] },
    ];
  },
};
