/**
 * Param names the engines declare themselves (src/spec/engine-params.ts).
 *
 * A Tekton Task/Pipeline has one `params` list and an Argo template one `inputs.parameters` list;
 * a name may appear once in each (Tekton: pkg/apis/pipeline/v1/param_types.go ValidateNoDuplicateNames
 * "parameter appears more than once"; Argo: workflow/validate/validate.go validateNonLeaf/
 * validateInputs "inputs.parameters... is not unique"). A build param with an engine's name was
 * merged with it or declared twice. The oracle here is the rendered documents, not the table: every
 * param an engine declares that the build did not must be one the spec refuses for that build.
 */
import { parseAllDocuments } from 'yaml';
import { builderImageSource, isEngineParamFor, parseBuildSpec, parseConfig, renderBundle, SpecError, type BuildSpecInput } from '../src/internal';
import { BASE, cli } from './helpers';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const LOCAL = { local: { path: '/home/kimia/workspace' } };
/** One build param of the build's own, used in a tag, so every build below declares one. */
const OWN = { params: { RELEASE: { description: 'Release tag.', default: 'v1' } }, destinations: ['registry.io/myapp:${RELEASE}'] };

/** Builds covering every helper each engine adds: fan-out, signing, a cloned local context, the commit time read from git, Buildah. */
const BUILDS: Record<string, Partial<BuildSpecInput>> = {
  'git context': {},
  'git fan-out (commit resolved first)': { platforms: PLATFORMS },
  'key signing': { signing: SIGNING },
  'signed fan-out': { platforms: PLATFORMS, signing: SIGNING },
  'local context, commit time from git, git credentials, own git image': { context: LOCAL, reproducible: { sourceDateEpoch: { fromGit: true } }, tekton: { gitImage: 'alpine/git:2.45.2' }, argo: { gitCredentialsSecret: 'git-creds', gitImage: 'alpine/git:2.45.2' } },
  'local signed fan-out, commit time from git': { context: LOCAL, platforms: PLATFORMS, signing: SIGNING, reproducible: { sourceDateEpoch: { fromGit: true } } },
  'Buildah': { variant: 'kimia-bud' },
} as Record<string, Partial<BuildSpecInput>>;

/** Every param name a Task, Pipeline or (Cluster)WorkflowTemplate declares, at any level (spec, taskSpec, template inputs, arguments). */
function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  const walk = (o: unknown, key: string) => {
    if (Array.isArray(o)) { for (const x of o) walk(x, key); return; }
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o as Obj)) {
      if ((k === 'params' && (key === 'spec' || key === 'taskSpec')) || (k === 'parameters' && (key === 'inputs' || key === 'arguments'))) {
        for (const p of v as Obj[]) names.add(p.name);
      }
      walk(v, k);
    }
  };
  for (const d of parseAllDocuments(text)) {
    const doc = d.toJS() as Obj | null;
    if (doc && ['Task', 'Pipeline', 'WorkflowTemplate', 'ClusterWorkflowTemplate'].includes(doc.kind)) walk(doc, '');
  }
  return names;
}

describe('the engines declare no param the spec would let a build declare too (rendered documents as the oracle)', () => {
  it.each(Object.keys(BUILDS))('%s: every engine-declared Tekton/Argo param is in ENGINE_PARAMS, declared for this build', (label) => {
    const input = { ...BASE, ...OWN, outputs: ['tekton', 'argo'], ...BUILDS[label] } as BuildSpecInput;
    const spec = parseBuildSpec(input);
    const bundle = renderBundle(parseConfig({ builds: [input] }));
    const engineNames = new Set<string>();
    for (const [file, text] of bundle) if (file.endsWith('.yaml')) for (const n of declaredNames(text)) if (!(n in spec.params)) engineNames.add(n);
    // Tekton Chains' type-hinted params are not valid build param names (PARAM_NAME has no "-"): no clash possible.
    const checked = [...engineNames].filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n));
    expect(checked.length).toBeGreaterThan(0);
    const unlisted = checked.filter((n) => !isEngineParamFor(n, spec));
    expect(unlisted).toEqual([]);
  });

  it('the signed local fan-out declares these engine params (literal)', () => {
    const input = { ...BASE, ...OWN, outputs: ['tekton', 'argo'], ...BUILDS['local signed fan-out, commit time from git'] } as BuildSpecInput;
    const names = new Set<string>();
    for (const [file, text] of renderBundle(parseConfig({ builds: [input] }))) if (file.endsWith('.yaml')) for (const n of declaredNames(text)) names.add(n);
    expect([...names].filter((n) => n !== 'RELEASE' && !n.startsWith('CHAINS-')).sort()).toEqual([
      'ARCH', 'BUILDER_IMAGE', 'BUILD_ARGS', 'EXTRA_ARGS', 'GIT_REVISION', 'GIT_URL', 'IMAGES', 'IMAGE_DIGEST', 'IMAGE_REF',
      'PLATFORM', 'PLATFORM_TAG', 'REGISTRY_SECRET', 'SOURCE_DATE_EPOCH', 'VERIFY',
    ]);
  });
});

/** The spec's error lines for BASE with `over` (empty when it parses). */
function errors(over: Partial<BuildSpecInput>): string[] {
  try {
    parseBuildSpec({ ...BASE, ...over } as BuildSpecInput);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.message.split('\n');
    throw e;
  }
}
const own = (name: string, extra: Partial<BuildSpecInput> = {}) => ({ params: { [name]: { description: 'Mine.', default: 'v1' } }, destinations: [`registry.io/myapp:\${${name}}`], ...extra }) as Partial<BuildSpecInput>;

describe('a build param with an engine\'s name is refused at params.<NAME>, saying what the engine uses it for', () => {
  it('VERIFY with key signing (was: the Pipeline declared VERIFY twice)', () => {
    expect(errors(own('VERIFY', { signing: SIGNING }))).toEqual([
      'params.VERIFY: "VERIFY" is a param the engines declare themselves: whether the Tekton Pipeline verifies the signature after the build. Give yours another name (and update its ${VERIFY} references)',
    ]);
  });
  it('BUILD_ARGS and EXTRA_ARGS (were: a string where the Task expands an array)', () => {
    expect(errors({ params: { BUILD_ARGS: { description: 'a', default: 'x' }, EXTRA_ARGS: { description: 'b', default: 'y' } }, destinations: ['registry.io/myapp:${BUILD_ARGS}${EXTRA_ARGS}'] } as Partial<BuildSpecInput>)).toEqual([
      'params.BUILD_ARGS: "BUILD_ARGS" is a param the engines declare themselves: the Tekton Task\'s array of extra --build-arg items. Give yours another name (and update its ${BUILD_ARGS} references)',
      'params.EXTRA_ARGS: "EXTRA_ARGS" is a param the engines declare themselves: the Tekton Task\'s array of extra kimia flags. Give yours another name (and update its ${EXTRA_ARGS} references)',
    ]);
  });
  it('REGISTRY_SECRET, IMAGES, IMAGE_REF, IMAGE_DIGEST: the Argo template\'s', () => {
    for (const n of ['REGISTRY_SECRET', 'IMAGES', 'IMAGE_REF', 'IMAGE_DIGEST']) expect(errors(own(n))).toEqual([expect.stringMatching(new RegExp(`^params\\.${n}: "${n}" is a param the engines declare themselves: the .*Argo`))]);
  });
  it('PLATFORM, PLATFORM_TAG, ARCH, GIT_COMMIT with platforms (the per-platform builds\' own); accepted without', () => {
    for (const n of ['PLATFORM', 'PLATFORM_TAG', 'ARCH', 'GIT_COMMIT']) {
      expect(errors(own(n, { platforms: PLATFORMS, outputs: ['tekton', 'argo'] }))).toEqual([expect.stringMatching(new RegExp(`^params\\.${n}: .*multi-arch fan-out`))]);
      expect(errors(own(n))).toEqual([]);
    }
  });
  it('GIT_URL, GIT_REVISION, GIT_SECRET with a local context (the clone\'s); a git context may use GIT_URL for its url', () => {
    for (const n of ['GIT_URL', 'GIT_REVISION', 'GIT_SECRET']) expect(errors(own(n, { context: LOCAL, outputs: ['tekton', 'argo'] }))).toEqual([expect.stringMatching(new RegExp(`^params\\.${n}: .*clone.* a local context`))]);
    expect(errors({ params: { GIT_URL: { description: 'Repository name.', default: 'myapp' } }, context: { git: { url: 'https://github.com/myorg/${GIT_URL}.git' } } } as Partial<BuildSpecInput>)).toEqual([]);
  });
  it('SOURCE_DATE_EPOCH with sourceDateEpoch {fromGit: true}; accepted as the param sourceDateEpoch names (README example)', () => {
    expect(errors(own('SOURCE_DATE_EPOCH', { context: LOCAL, outputs: ['tekton'], reproducible: { sourceDateEpoch: { fromGit: true } } }))).toEqual([expect.stringMatching(/^params\.SOURCE_DATE_EPOCH: .*fromGit/)]);
    expect(errors({ params: { SOURCE_DATE_EPOCH: { description: 'Commit time.', default: '1609459200' } }, reproducible: { sourceDateEpoch: '${SOURCE_DATE_EPOCH}' } } as Partial<BuildSpecInput>)).toEqual([]);
  });
  it('GIT_IMAGE with tekton.gitImage (the Task\'s git step); accepted without', () => {
    expect(errors(own('GIT_IMAGE', { context: LOCAL, outputs: ['tekton'], reproducible: { sourceDateEpoch: { fromGit: true } }, tekton: { gitImage: 'alpine/git:2.45.2' } }))).toEqual([expect.stringMatching(/^params\.GIT_IMAGE: .*tekton\.gitImage/)]);
    expect(errors({ params: { GIT_IMAGE: { description: 'Mine.', default: 'mirror.example.com/git:2.52' } }, labels: { git: '${GIT_IMAGE}' } } as Partial<BuildSpecInput>)).toEqual([]);
  });
  it('BUILDER_IMAGE only when builderImage uses it (then it is the same param); refused otherwise', () => {
    expect(errors({ builderImage: '${BUILDER_IMAGE}', params: { BUILDER_IMAGE: { description: 'Our mirror.', default: 'mirror.example.com/kimia:1.0.25' } } } as Partial<BuildSpecInput>)).toEqual([]);
    expect(errors({ params: { BUILDER_IMAGE: { description: 'a', default: 'mirror.example.com/kimia:1.0.25' } }, labels: { base: '${BUILDER_IMAGE}' } } as Partial<BuildSpecInput>))
      .toEqual([expect.stringMatching(/^params\.BUILDER_IMAGE: .*declare it yourself only to use it in builderImage/)]);
    // No engine declares BUILDER_IMAGE beside builderImage: mirror/kimia:${TAG}, but the name still means the builder
    // image (engine-params.ts): a BUILDER_IMAGE used for something else would mislead whoever sets it on a run.
    expect(errors({
      builderImage: 'mirror.example.com/kimia:${KIMIA_TAG}',
      params: { KIMIA_TAG: { description: 't', default: '1.0.25' }, BUILDER_IMAGE: { description: 'a', default: 'mirror.example.com/kimia:1.0.25' } },
      labels: { base: '${BUILDER_IMAGE}' },
    } as Partial<BuildSpecInput>)).toEqual([expect.stringMatching(/^params\.BUILDER_IMAGE: .*declare it yourself only to use it in builderImage/)]);
  });
  it('the CLI: exit 2, the error names builds[0].params.VERIFY, nothing written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-params-'));
    const config = path.join(dir, 'kimia-bundles.yaml');
    fs.writeFileSync(config, [
      'builds:', '  - name: app', '    context: {git: {url: https://github.com/myorg/myapp.git}}', '    destinations: ["registry.io/myapp:${VERIFY}"]',
      '    params: {VERIFY: {description: Tag., default: v1}}', '    outputs: [tekton]',
      '    signing: {key: {secretName: cosign-keys, key: cosign.key}, password: {secretName: cosign-keys, key: password}}', '',
    ].join('\n'));
    const r = cli('synth', '--config', config, '--out', path.join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('builds[0].params.VERIFY: "VERIFY" is a param the engines declare themselves');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the JSON Schema (what editors flag)', () => {
  it('refuses the names every Tekton/Argo rendering declares; leaves the conditional ones to the parser (PARSER_ONLY)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv');
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schema', 'kimia-bundles.schema.json'), 'utf8'));
    const names = new Ajv({ strict: false }).compile(schema.properties.builds.items.properties.params.propertyNames);
    expect(['BUILD_ARGS', 'EXTRA_ARGS', 'VERIFY', 'REGISTRY_SECRET', 'IMAGES', 'IMAGE_REF', 'IMAGE_DIGEST'].filter((n) => names(n))).toEqual([]);
    expect(['GIT_URL', 'GIT_REVISION', 'GIT_SECRET', 'PLATFORM', 'PLATFORM_TAG', 'ARCH', 'GIT_COMMIT', 'SOURCE_DATE_EPOCH', 'BUILDER_IMAGE', 'TAG'].filter((n) => !names(n))).toEqual([]);
  });
});

describe('builderImageSource: which params the builder image is made of, for every engine and helper step', () => {
  it('no builderImage, or a literal one: ${BUILDER_IMAGE}, declared by the engine', () => {
    expect(builderImageSource(parseBuildSpec(BASE))).toEqual({ template: '${BUILDER_IMAGE}', params: ['BUILDER_IMAGE'], declaresBuilderImage: true });
    expect(builderImageSource(parseBuildSpec({ ...BASE, builderImage: 'mirror.example.com/kimia:1.0.25' }))).toEqual({ template: '${BUILDER_IMAGE}', params: ['BUILDER_IMAGE'], declaresBuilderImage: true });
  });
  it('a builderImage made of the build\'s params: that template and those params, in order, nothing declared', () => {
    const spec = parseBuildSpec({ ...BASE, builderImage: '${MIRROR}/kimia:${KIMIA_TAG}', params: { MIRROR: { description: 'm', default: 'mirror.example.com' }, KIMIA_TAG: { description: 't', default: '1.0.25' } } } as BuildSpecInput);
    expect(builderImageSource(spec)).toEqual({ template: '${MIRROR}/kimia:${KIMIA_TAG}', params: ['MIRROR', 'KIMIA_TAG'], declaresBuilderImage: false });
  });
  it('the build\'s own BUILDER_IMAGE as builderImage: the same param, not declared again by the Tekton Task or the Argo template', () => {
    const input = { ...BASE, outputs: ['tekton', 'argo'], builderImage: '${BUILDER_IMAGE}', params: { BUILDER_IMAGE: { description: 'Our mirror.', default: 'mirror.example.com/kimia:1.0.25' } } } as BuildSpecInput;
    expect(builderImageSource(parseBuildSpec(input))).toEqual({ template: '${BUILDER_IMAGE}', params: ['BUILDER_IMAGE'], declaresBuilderImage: false });
    const bundle = renderBundle(parseConfig({ builds: [input] }));
    const task = parseAllDocuments(bundle.get('tekton/task/app/0.1/app.yaml')!)[0].toJS();
    expect(task.spec.params.filter((p: Obj) => p.name === 'BUILDER_IMAGE')).toEqual([{ name: 'BUILDER_IMAGE', type: 'string', description: 'Our mirror.', default: 'mirror.example.com/kimia:1.0.25' }]);
    expect(task.spec.steps.map((s: Obj) => s.image)).toEqual(['$(params.BUILDER_IMAGE)']);
  });
});
