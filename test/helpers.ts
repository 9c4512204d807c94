import { Testing } from 'cdk8s';
import { KimiaBuildJob, parseBuildSpec, runCli, SpecError, type BuildSpecInput, type ParamValues } from '../src/internal';
import { checkKimiaContainers } from '../src/validate/kimia';

export { SHARED } from './helpers/shared';

/** A minimal valid build: BuildKit, git context, one destination. */
export const BASE: BuildSpecInput = {
  name: 'app',
  context: { git: { url: 'https://github.com/myorg/myapp.git' } },
  destinations: ['registry.io/myapp:v1'],
};

/** The error lines a spec gets (empty when valid). */
export function errorsOf(spec: unknown): string[] {
  try {
    parseBuildSpec(spec);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.message.split('\n');
    throw e;
  }
}

/** Synthesizes one KimiaBuildJob and returns the Job manifest and its builder container. */
export function synthJob(spec: BuildSpecInput, params?: ParamValues) {
  const chart = Testing.chart();
  new KimiaBuildJob(chart, 'build', { spec, params });
  const docs = Testing.synth(chart);
  const job = docs.find((d) => d.kind === 'Job')!;
  const pod = job.spec.template.spec;
  const container = [...(pod.initContainers ?? []), ...pod.containers].find((c: { name: string }) => c.name === 'kimia');
  return { docs, job, pod, container };
}

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
export function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** The version a build of examples/kimia-bundles.yaml renders now (released versions may be withdrawn). */
export function exampleVersion(build: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require('../src') as typeof import('../src');
  const b = loadConfig(require('node:path').join(__dirname, '..', 'examples', 'kimia-bundles.yaml')).builds.find((x: { name: string }) => x.name === build);
  if (!b) throw new Error(`no example build ${build}`);
  return b.version;
}

/**
 * The securityContext kimia needs (kimia.md §6, kimia's docs/security.md): the container-only
 * fields, those a PodSecurityContext can carry too, and both as the container's own.
 */
export const KIMIA_CONTAINER_SC = { readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, capabilities: { add: ['SETUID', 'SETGID'] } };
export const KIMIA_POD_SC = { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' } };
export const KIMIA_FULL_SC = { ...KIMIA_CONTAINER_SC, ...KIMIA_POD_SC, capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] } };
/** The fields every unset requirement of kimia.md §6 is reported at, for a container at `c` (in validate's order). */
export const kimiaBareFields = (c: string) => ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'capabilities.add', 'seccompProfile', 'appArmorProfile']
  .map((f) => `${c}.securityContext.${f}`);
/** What kimia needs and nothing more: KIMIA_CONTAINER_SC and KIMIA_POD_SC as the container's own (no capabilities drop). */
export const KIMIA_NEEDED_SC = { ...KIMIA_CONTAINER_SC, ...KIMIA_POD_SC };
/** A pinned kimia image and the least argv kimia builds with, for containers the validate tests make. */
export const KIMIA_REF = 'ghcr.io/rapidfort/kimia:1.0.25';
export const KIMIA_ARGS = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
/** validate's words for a kimia container run as root, and for a kimia image on a moving tag (kimia.md §6). */
export const KIMIA_UID0 = 'runAsUser is 0: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)';
export const kimiaLatest = (image: string) => `kimia image "${image}" must be pinned to a version tag or digest (:latest moves with every kimia release)`;
/** checkKimiaContainers' findings of a document, as "path: message" lines and as paths. */
export const kimiaLines = (doc: Record<string, unknown>) => checkKimiaContainers(doc).map((i) => `${i.path}: ${i.message}`);
export const kimiaPaths = (doc: Record<string, unknown>) => checkKimiaContainers(doc).map((i) => i.path);
