import { Chart } from 'cdk8s';
import type { Engine } from '../spec';
import { KimiaWorkflowTemplate } from './template';
import { sampleWorkflow } from './samples';
import { argoReadme } from './docs';
import { argoDir } from './catalog';
import { argoRbac } from './rbac';

/** Renders a build as an Argo catalog template: `argo/<kind>/<name>/<version>/{<name>.yaml,rbac.yaml,README.md,samples/}`. */
export const argoEngine: Engine = {
  name: 'argo',
  render(scope, spec) {
    const chart = new Chart(scope, `argo-${spec.name}`, { disableResourceNameHashes: true });
    const t = new KimiaWorkflowTemplate(chart, 'template', { spec });
    const [doc] = chart.toJson();
    const sample = sampleWorkflow(t.spec, t.parameters);
    const dir = argoDir(t.spec);
    return [
      { path: `${dir}/${spec.name}.yaml`, documents: [doc], release: { bundle: dir.slice(0, dir.lastIndexOf('/')), version: spec.version } },
      { path: `${dir}/rbac.yaml`, documents: argoRbac(t.spec) },
      { path: `${dir}/README.md`, text: argoReadme(t.spec, doc, sample) },
      { path: `${dir}/samples/workflow.yaml`, documents: [sample] },
    ];
  },
};
