import type { Engine } from '../spec';
import { clusterImagePolicy, kyvernoPolicy, signedRepositories } from './admission';

/** Renders admission policies next to each build that signs images with literal repositories. */
export const policyEngine: Engine = {
  name: 'policies',
  applies: (spec) => !!spec.signing && spec.push && signedRepositories(spec).length > 0,
  render(_scope, spec) {
    const repos = signedRepositories(spec);
    return [
      { path: `policies/${spec.name}/kyverno-clusterpolicy.yaml`, documents: [kyvernoPolicy(spec, repos)] },
      { path: `policies/${spec.name}/policy-controller-clusterimagepolicy.yaml`, documents: [clusterImagePolicy(spec, repos)] },
    ];
  },
};
