/**
 * Issue 13 item 3: the package root exports a curated surface, by name. A change to it is
 * deliberate: this list changes with it (and README "Library API" documents every name).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as api from '../src';
import { generateSpecTypes } from '../scripts/type-gen';

/** The runtime names of the package root (types are checked by the stock project's compile). */
const PUBLIC = [
  'BundleValidationError', 'BundleWriteError', 'CosignVerifyJob', 'KimiaBuildJob', 'KimiaBuildPipeline', 'KimiaBuildTask',
  'KimiaBundle', 'KimiaBundlesValidation', 'KimiaWorkflowTemplate', 'OutputRefusedError', 'SpecError',
  'applyProfile', 'builderImage', 'checkArgoRules', 'checkKimiaArgv', 'checkKimiaContainers', 'checkReleasedFile', 'checkTektonRules',
  'configJsonSchema', 'containerSecurityContext', 'formatIssue', 'kimiaArgs', 'kimiaEnv', 'kimiaFlags', 'kimiaResources', 'kimiaVolumes',
  'loadConfig', 'lockPathFor', 'packagingGate', 'paramsIn', 'parseBuildSpec', 'parseConfig', 'parseConfigText', 'parseKimiaArgv',
  'parseTemplate', 'podSecurityContext', 'podVolumes', 'prepareSynth', 'profileForRef', 'readLock', 'recordReleases', 'renderBundle',
  'renderTemplate', 'resolveParams', 'runCli', 'runCliAsync', 'synthesize', 'tagsFor', 'toYaml', 'validateDocuments', 'validateFiles',
  'validateTexts', 'volumeMounts', 'withdrawReleases', 'writeBundle', 'writeLock', 'yamlText',
];

describe('the public API', () => {
  it('exports exactly the curated names', () => {
    expect(Object.keys(api).sort()).toEqual([...PUBLIC].sort());
  });
  it('documents every runtime name in the README Library API section', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library API'), readme.indexOf('\n## ', readme.indexOf('## Library API') + 5));
    const missing = PUBLIC.filter((n) => !section.includes(`\`${n}`));
    expect(missing).toEqual([]);
  });
  it('src/spec/types.ts is what `npm run types` generates from the schema now', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', 'src', 'spec', 'types.ts'), 'utf8')).toBe(generateSpecTypes());
  });
  it('types the user-facing fields that used to be `unknown` (attestation, reproducible, signing.password)', () => {
    const types = generateSpecTypes();
    const input = types.slice(types.indexOf('export interface BuildSpecInput'), types.indexOf('export interface BuildSpec {'));
    expect(input).not.toMatch(/:\s*unknown\b/);
    expect(input).toMatch(/export type AttestationInput = "off" \| "min" \| "max" \| \{/);
    expect(input).toMatch(/export type ReproducibleInput = boolean \| \{/);
    expect(input).toMatch(/readonly password\?: \{\n\s+\/\*\* Name of the Secret\. \*\/\n\s+readonly secretName: string;/);
  });
});
