import { Chart } from 'cdk8s';
import type { Engine } from '../spec';
import { KimiaBuildJob } from './job';

/** Renders a build as one Job manifest, versioned like the catalog: `job/<build>/<version>/<build>.yaml`. */
export const jobEngine: Engine = {
  name: 'job',
  render(scope, spec, options) {
    const chart = new Chart(scope, `job-${spec.name}`, { disableResourceNameHashes: true });
    new KimiaBuildJob(chart, 'build', { spec, params: options.params });
    return [{ path: `job/${spec.name}/${spec.version}/${spec.name}.yaml`, documents: chart.toJson(), release: { bundle: `job/${spec.name}`, version: spec.version } }];
  },
};
