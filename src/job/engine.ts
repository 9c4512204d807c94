import { Chart } from 'cdk8s';
import type { Engine } from '../spec';
import { KimiaBuildJob } from './job';

/** Renders a build as one Job manifest: `job/<build>.yaml`. */
export const jobEngine: Engine = {
  name: 'job',
  render(scope, spec, options) {
    const chart = new Chart(scope, `job-${spec.name}`, { disableResourceNameHashes: true });
    new KimiaBuildJob(chart, 'build', { spec, params: options.params });
    return [{ path: `job/${spec.name}.yaml`, documents: chart.toJson(), release: { bundle: `job/${spec.name}`, version: spec.version } }];
  },
};
