/**
 * kimia-bundles: typed cdk8s constructs and helpers that turn one engine-neutral kimia
 * build spec into Kubernetes Jobs (and, through the same spec, Tekton and Argo bundles).
 *
 * Layers, imported one way: cli/app -> bundle -> engines (job) -> spec.
 * @packageDocumentation
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
