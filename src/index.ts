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

// Constructs
export { KimiaBuildJob, type KimiaBuildJobProps } from './job/job';
export { CosignVerifyJob, type CosignVerifyJobProps } from './job/verify';
export { KimiaBuildTask, type KimiaBuildTaskProps, type TaskInterface } from './tekton/task';
export { KimiaBuildPipeline, type KimiaBuildPipelineProps } from './tekton/pipeline';
export { KimiaWorkflowTemplate, type KimiaWorkflowTemplateProps } from './argo/template';
export { KimiaBundle, type KimiaBundleProps } from './bundle/construct';

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
export { renderBundle, type Bundle, type RenderBundleOptions } from './bundle/render';
export { synthesize, prepareSynth, type SynthOptions, type SynthResult, type PreparedSynth } from './bundle/synth';
export {
  readLock, writeLock, recordReleases, withdrawReleases, checkReleasedFile, lockPathFor, type LockFile, type Release,
} from './bundle/lock';
export { writeBundle } from './bundle/write';
export { toYaml } from './bundle/yaml';
export { yamlText } from './spec/yaml-text';
export { BundleWriteError, OutputRefusedError } from './output/owned';

// Validation (what `kimia-bundles validate` and the cdk8s plugin run)
export { validateFiles, validateTexts, packagingGate } from './validate/files';
export { validateDocuments } from './validate/gate';
export { BundleValidationError, type BundleIssue } from './validate/issues';
export { checkTektonRules } from './validate/tekton';
export { checkArgoRules } from './validate/argo';
export { checkKimiaContainers } from './validate/kimia';
export { parseKimiaArgv, checkKimiaArgv } from './spec/argv-check';
export { KimiaBundlesValidation } from './cdk8s-plugin';

// The CLI, in-process
export { run as runCli, runAsync as runCliAsync } from './cli/main';
