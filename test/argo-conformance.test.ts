/**
 * Issue 14 item 3 acceptance (Argo): the Argo templates as this tree renders them now (examples and
 * every Argo build of the conformance matrix), walked as Argo runs a `workflowTemplateRef`
 * Workflow (test/conformance/extract.ts planWorkflow: the template's entrypoint, the Workflow's
 * arguments over the template's, spec.arguments as the entrypoint's arguments), every container
 * through the real kimia 1.0.25 or its helper fakes (test/conformance/), with the private-registry
 * path: the registry Secret REGISTRY_SECRET names reaches kimia and every helper that talks to the
 * registry.
 *
 * Needs root, Go and the kimia source, like test/conformance/ (reported as skipped otherwise).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { renderBundle } from '../src/bundle';
import { loadConfig, parseConfigText, type BuildSpec, type Config } from '../src/spec';
import { kimiaBinary } from './conformance/kimia-binary';
import { describeConformance } from './conformance/pod';
import { removeHostDirs, sources, TEST_DOCKER_CONFIG, type Outcome } from './conformance/extract';
import { counts, defineSource, FAKES, notRun } from './conformance/suite';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..');
const examples = loadConfig(path.join(ROOT, 'examples', 'kimia-bundles.yaml'));
/** The matrix's Argo builds, rendered for Argo only (their other engines' options left out). */
function matrixArgo(): Config {
  const raw = YAML.parse(fs.readFileSync(path.join(ROOT, 'test', 'conformance', 'matrix.yaml'), 'utf8')) as { builds: Array<Record<string, unknown>> };
  const builds = raw.builds
    .filter((b) => (b.outputs as string[] | undefined)?.includes('argo'))
    .map((b) => { const { tekton: _t, job: _j, ...rest } = b; return { ...rest, outputs: ['argo'] }; }); // eslint-disable-line @typescript-eslint/no-unused-vars
  return parseConfigText(YAML.stringify({ builds }));
}
const configs = [
  { ...examples, builds: examples.builds.filter((b) => b.outputs.includes('argo')).map((b) => ({ ...b, outputs: ['argo' as const] })) },
  matrixArgo(),
];
const byName = new Map<string, BuildSpec>(configs.flatMap((c) => c.builds.map((b) => [b.name, b] as [string, BuildSpec])));
const spec = (name: string) => {
  const b = byName.get(name);
  if (!b) throw new Error(`no Argo build ${name}`);
  return b;
};
const DOCKERFILE = 'FROM alpine:3.20 AS runtime\nCOPY . /app\n';

/**
 * The private-registry path. kimia reads $DOCKER_CONFIG/config.json, default
 * /home/kimia/.docker/config.json, and logs the auths it found (kimia v1.0.25
 * src/internal/auth/docker.go:66-72, 163-206); cosign and crane read $DOCKER_CONFIG/config.json
 * (go-containerregistry's default keychain), which the helpers' env points at.
 */
function registryCredentials(o: Outcome, b: BuildSpec): void {
  if (!o.result || !o.desc) return;
  const registrySecret = typeof o.params.REGISTRY_SECRET === 'string' ? o.params.REGISTRY_SECRET : undefined;
  const task = o.node.meta.task;
  // A build that pushes nothing (push: false, tarPath) and names no Secret has no REGISTRY_SECRET.
  if (!(b.push && !b.tarPath) && !b.registry?.credentialsSecret) {
    expect(registrySecret).toBeUndefined();
    return;
  }
  if (task === 'build') {
    // The input is bound to the template's default: the spec's Secret, else registry-credentials.
    expect(registrySecret).toBe(b.registry?.credentialsSecret ?? 'registry-credentials');
    expect(o.result.output).toContain('Authentication configured: 1 direct auths');
  }
  if (task === 'index' || task === 'sign' || task === 'verify') {
    expect(registrySecret).toBe(b.registry?.credentialsSecret ?? 'registry-credentials');
    const calls = [...o.result.callsOf('crane'), ...o.result.callsOf('cosign')];
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.env.DOCKER_CONFIG).toBe('/etc/kimia/docker');
  }
}

describeConformance('Argo templates as rendered now, through the real kimia (workflowTemplateRef samples, private registry)', () => {
  beforeAll(() => { kimiaBinary(); }, 600_000);
  afterAll(() => {
    removeHostDirs();
    process.stdout.write(`conformance Argo: containers run per source:\n${Object.entries(counts).map(([k, v]) => `  ${v}  ${k}`).join('\n')}\n`
      + `not run:\n${notRun.map((n) => `  - ${n}`).join('\n') || '  (none)'}\n`);
  });
  it('the fake registry config has one auth (what kimia reports)', () => {
    expect(Object.keys(JSON.parse(TEST_DOCKER_CONFIG).auths)).toHaveLength(1);
  });
  for (const config of configs) {
    for (const src of sources(renderBundle(config)).filter((s) => s.engine === 'argo')) {
      defineSource(src, {
        spec,
        planOptions: (s) => {
          const b = spec(s.build);
          const df = `${b.contextSubPath && !b.contextSubPath.includes('$') ? `${b.contextSubPath}/` : ''}${b.dockerfile && !b.dockerfile.includes('$') ? b.dockerfile : 'Dockerfile'}`;
          return { files: () => ({ [df]: DOCKERFILE }), fakes: FAKES };
        },
        extraAll: (_src, o, b) => registryCredentials(o, b),
      });
    }
  }
});
