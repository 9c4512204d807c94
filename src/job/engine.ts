import { Chart } from 'cdk8s';
import { atBundleVersion, type Engine } from '../spec';
import { KimiaBuildJob } from './job';

/** Renders a build as one Job manifest, versioned like the catalog: `job/<build>/<version>/<build>.yaml`. */
export const jobEngine: Engine = {
  name: 'job',
  render(scope, build, options) {
    const bundle = `job/${build.name}`;
    const spec = atBundleVersion(build, options, bundle);
    // Stryker disable next-line BooleanLiteral,ObjectLiteral: equivalent, every object of the chart has an explicit name, so no name is hashed
    const chart = new Chart(scope, `job-${spec.name}`, { disableResourceNameHashes: true });
    new KimiaBuildJob(chart, 'build', { spec, params: options.params });
    return [{ path: `${bundle}/${spec.version}/${spec.name}.yaml`, documents: chart.toJson(), release: { bundle, version: spec.version } }];
  },
};
