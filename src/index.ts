/**
 * kimia-bundles: typed cdk8s constructs that turn one engine-neutral kimia build spec into
 * Kubernetes Jobs, Tekton Tasks and Pipelines and Argo WorkflowTemplates, and the versioned,
 * validated bundle of a whole config.
 *
 * The public surface, by name (test/public-api.test.ts pins it; README "Library API" documents
 * it). Internals stay importable by path in this repository, not from the package.
 * Layers, imported one way: cli/app -> bundle -> engines -> spec.
 * @packageDocumentation
 */

// What `new KimiaBuildJob(...)` needs is loaded with the package root: the Job constructs, the spec's
// types and parsers and its pure pieces (spec/, cdk8s-plus-28, zod, yaml). Everything else (the
// Tekton and Argo constructs with their CRD imports, bundles, output, validators, the cdk8s plugin,
// the CLI with its OCI client and policies) is a getter that loads its module on first use (issue 13
// item 8: a user's `ts-node` synth should not pay for what it does not use). The names, types and
// values are the same either way; test/lazy-load.test.ts checks what `require('kimia-bundles')` loads.

// Constructs
export { KimiaBuildJob, type KimiaBuildJobProps } from './job/job';
export { CosignVerifyJob, type CosignVerifyJobProps } from './job/verify';
import type * as tektonTask from './tekton/task';
import type * as tektonPipeline from './tekton/pipeline';
import type * as argoTemplate from './argo/template';
import type * as bundleConstruct from './bundle/construct';
export type { KimiaBuildTaskProps, TaskInterface } from './tekton/task';
export type { KimiaBuildPipelineProps } from './tekton/pipeline';
export type { KimiaWorkflowTemplateProps } from './argo/template';
export type { KimiaBundleProps } from './bundle/construct';
export type KimiaBuildTask = tektonTask.KimiaBuildTask;
export declare const KimiaBuildTask: typeof tektonTask.KimiaBuildTask;
export type KimiaBuildPipeline = tektonPipeline.KimiaBuildPipeline;
export declare const KimiaBuildPipeline: typeof tektonPipeline.KimiaBuildPipeline;
export type KimiaWorkflowTemplate = argoTemplate.KimiaWorkflowTemplate;
export declare const KimiaWorkflowTemplate: typeof argoTemplate.KimiaWorkflowTemplate;
export type KimiaBundle = bundleConstruct.KimiaBundle;
export declare const KimiaBundle: typeof bundleConstruct.KimiaBundle;
// The build spec: plain interfaces generated from the one schema, and its parsers
export type {
  BuildSpec, BuildSpecInput, Config, ConfigInput,
  Context, ContextInput, GitContext, LocalContext, Cache, CacheInput, Attestation, AttestationInput,
  Signing, SigningInput, TransparencyLog, SecretKeyRef, Reproducible, ReproducibleInput, Registry, RegistryInput,
  Resources, ResourcesInput, JobOptions, JobOptionsInput, TektonOptions, TektonOptionsInput,
  ArgoOptions, ArgoOptionsInput, CiOptions, CiOptionsInput,
} from './spec/types';
export { parseBuildSpec, parseConfig, parseConfigText, loadConfig, configJsonSchema } from './spec/config';
export { SpecError, formatIssue, type SpecIssue } from './spec/errors';
export { resolveParams, type ParamValues } from './spec/resolve';
export { parseTemplate, renderTemplate, paramsIn } from './spec/template';
export { applyProfile, profileForRef, tagsFor, type CiRun, type Profile } from './spec/profiles';

// Pure pieces of a spec, for your own constructs
export { kimiaArgs, kimiaFlags } from './spec/argv';
export {
  kimiaEnv, kimiaVolumes, podVolumes, volumeMounts, podSecurityContext, containerSecurityContext, kimiaResources, builderImage,
  type EnvVar, type KimiaVolume, type VolumeSource,
} from './spec/pod';

// Bundles: render, lock, write
import type * as bundleRender from './bundle/render';
import type * as bundleSynth from './bundle/synth';
import type * as bundleLock from './bundle/lock';
import type * as bundleWrite from './bundle/write';
import type * as bundleYaml from './bundle/yaml';
import type * as outputOwned from './output/owned';
export type { Bundle, RenderBundleOptions } from './bundle/render';
export type { SynthOptions, SynthResult, PreparedSynth } from './bundle/synth';
export type { LockFile, Release } from './bundle/lock';
export declare const renderBundle: typeof bundleRender.renderBundle;
export declare const synthesize: typeof bundleSynth.synthesize;
export declare const prepareSynth: typeof bundleSynth.prepareSynth;
export declare const readLock: typeof bundleLock.readLock;
export declare const writeLock: typeof bundleLock.writeLock;
export declare const recordReleases: typeof bundleLock.recordReleases;
export declare const withdrawReleases: typeof bundleLock.withdrawReleases;
export declare const checkReleasedFile: typeof bundleLock.checkReleasedFile;
export declare const lockPathFor: typeof bundleLock.lockPathFor;
export declare const writeBundle: typeof bundleWrite.writeBundle;
export declare const toYaml: typeof bundleYaml.toYaml;
export { yamlText } from './spec/yaml-text';
export type BundleWriteError = outputOwned.BundleWriteError;
export declare const BundleWriteError: typeof outputOwned.BundleWriteError;
export type OutputRefusedError = outputOwned.OutputRefusedError;
export declare const OutputRefusedError: typeof outputOwned.OutputRefusedError;

// Validation (what `kimia-bundles validate` and the cdk8s plugin run)
import type * as validateFilesModule from './validate/files';
import type * as validateGate from './validate/gate';
import type * as validateIssues from './validate/issues';
import type * as validateTekton from './validate/tekton';
import type * as validateArgo from './validate/argo';
import type * as validateKimia from './validate/kimia';
import type * as plugin from './cdk8s-plugin';
export type { BundleIssue } from './validate/issues';
export declare const validateFiles: typeof validateFilesModule.validateFiles;
export declare const validateTexts: typeof validateFilesModule.validateTexts;
export declare const packagingGate: typeof validateFilesModule.packagingGate;
export declare const validateDocuments: typeof validateGate.validateDocuments;
export type BundleValidationError = validateIssues.BundleValidationError;
export declare const BundleValidationError: typeof validateIssues.BundleValidationError;
export declare const checkTektonRules: typeof validateTekton.checkTektonRules;
export declare const checkArgoRules: typeof validateArgo.checkArgoRules;
export declare const checkKimiaContainers: typeof validateKimia.checkKimiaContainers;
export { parseKimiaArgv, checkKimiaArgv } from './spec/argv-check';
export type KimiaBundlesValidation = plugin.KimiaBundlesValidation;
export declare const KimiaBundlesValidation: typeof plugin.KimiaBundlesValidation;

// The CLI, in-process
import type * as cli from './cli/main';
export declare const runCli: typeof cli.run;
export declare const runCliAsync: typeof cli.runAsync;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Defines each name as an enumerable getter of the module's exports that requires its module on
 * first use (require caches it). `module.exports`, not `exports`: esbuild-based loaders (tsx) give
 * an ES module's CommonJS form a new exports object, and `module.exports` is that object there
 * too; with tsc's CommonJS output the two are the same object.
 */
function lazy<M>(load: () => M, names: { readonly [exported: string]: keyof M & string }): void {
  for (const [exported, name] of Object.entries(names)) {
    Object.defineProperty(module.exports, exported, { enumerable: true, get: () => load()[name] });
  }
}
lazy(() => require('./tekton/task') as typeof tektonTask, { KimiaBuildTask: 'KimiaBuildTask' });
lazy(() => require('./tekton/pipeline') as typeof tektonPipeline, { KimiaBuildPipeline: 'KimiaBuildPipeline' });
lazy(() => require('./argo/template') as typeof argoTemplate, { KimiaWorkflowTemplate: 'KimiaWorkflowTemplate' });
lazy(() => require('./bundle/construct') as typeof bundleConstruct, { KimiaBundle: 'KimiaBundle' });
lazy(() => require('./bundle/render') as typeof bundleRender, { renderBundle: 'renderBundle' });
lazy(() => require('./bundle/synth') as typeof bundleSynth, { synthesize: 'synthesize', prepareSynth: 'prepareSynth' });
lazy(() => require('./bundle/lock') as typeof bundleLock, {
  readLock: 'readLock', writeLock: 'writeLock', recordReleases: 'recordReleases', withdrawReleases: 'withdrawReleases',
  checkReleasedFile: 'checkReleasedFile', lockPathFor: 'lockPathFor',
});
lazy(() => require('./bundle/write') as typeof bundleWrite, { writeBundle: 'writeBundle' });
lazy(() => require('./bundle/yaml') as typeof bundleYaml, { toYaml: 'toYaml' });
lazy(() => require('./output/owned') as typeof outputOwned, { BundleWriteError: 'BundleWriteError', OutputRefusedError: 'OutputRefusedError' });
lazy(() => require('./validate/files') as typeof validateFilesModule, { validateFiles: 'validateFiles', validateTexts: 'validateTexts', packagingGate: 'packagingGate' });
lazy(() => require('./validate/gate') as typeof validateGate, { validateDocuments: 'validateDocuments' });
lazy(() => require('./validate/issues') as typeof validateIssues, { BundleValidationError: 'BundleValidationError' });
lazy(() => require('./validate/tekton') as typeof validateTekton, { checkTektonRules: 'checkTektonRules' });
lazy(() => require('./validate/argo') as typeof validateArgo, { checkArgoRules: 'checkArgoRules' });
lazy(() => require('./validate/kimia') as typeof validateKimia, { checkKimiaContainers: 'checkKimiaContainers' });
lazy(() => require('./cdk8s-plugin') as typeof plugin, { KimiaBundlesValidation: 'KimiaBundlesValidation' });
lazy(() => require('./cli/main') as typeof cli, { runCli: 'run', runCliAsync: 'runAsync' });
