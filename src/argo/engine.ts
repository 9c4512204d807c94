import { Chart } from 'cdk8s';
import { atBundleVersion, type Engine } from '../spec';
import { KimiaWorkflowTemplate } from './template';
import { sampleWorkflow } from './samples';
import { argoReadme } from './docs';
import { argoBundle, argoDir } from './catalog';
import { argoRbac } from './rbac';

/** Renders a build as an Argo catalog template: `argo/<kind>/<name>/<version>/{<name>.yaml,rbac.yaml,README.md,samples/}`. */
export const argoEngine: Engine = {
  name: 'argo',
  render(scope, build, options) {
    const bundle = argoBundle(build);
    const spec = atBundleVersion(build, options, bundle);
    // Stryker disable next-line BooleanLiteral,ObjectLiteral: equivalent, the chart's one object is named explicitly (argoMetadata), so no name is hashed
    const chart = new Chart(scope, `argo-${spec.name}`, { disableResourceNameHashes: true });
    const t = new KimiaWorkflowTemplate(chart, 'template', { spec });
    const [doc] = chart.toJson();
    const sample = sampleWorkflow(t.spec, t.parameters);
    const dir = argoDir(t.spec);
    return [
      { path: `${dir}/${spec.name}.yaml`, documents: [doc], release: { bundle, version: spec.version } },
      { path: `${dir}/rbac.yaml`, documents: argoRbac(t.spec) },
      { path: `${dir}/README.md`, text: argoReadme(t.spec, doc, sample, { dir }) },
      { path: `${dir}/samples/workflow.yaml`, documents: [sample] },
    ];
  },
};
