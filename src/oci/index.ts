/**
 * OCI publishing for kimia-bundles: deterministic tar/gzip, OCI image layouts, Tekton bundles,
 * whole-bundle artifacts, an OCI distribution client with referrers, and the CLI commands
 * `bundle`, `push`, `pull`, `list`, `describe`.
 * @packageDocumentation
 */
export * from './media-types';
export * from './errors';
export * from './digest';
export * from './tar';
export * from './image';
export * from './layout';
export * from './tekton-bundle';
export * from './artifact';
export * from './reference';
export * from './docker-config';
export * from './registry';
export * from './referrers';
export * from './transfer';
export { runOciCommand, resolverSnippets, OCI_USAGE, type OciCommand, type OciCommandIO, type OciCommandDeps, type OciValidationGate } from './cli';
