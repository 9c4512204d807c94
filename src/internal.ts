/**
 * Everything, for this repository's tests and tools: the package's public surface is index.ts,
 * curated by name; internals stay importable by path (this file is not in the package's exports).
 */
export * from './spec';
export * from './job';
export * from './bundle';
export { run as runCli, runAsync as runCliAsync } from './cli/main';
export * from './tekton';
export * from './validate';
export * from './argo';
export { KimiaBundlesValidation } from './cdk8s-plugin';
export * from './oci';
export * from './policies';
