import { kimiaArgs, parseBuildSpec, parseConfigText, SpecError } from '../src';
import { BASE, errorsOf } from './helpers';

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };

describe('kimia fidelity rules: each broken spec gets its exact error', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['never an empty value (flag string)', { dockerfile: '' },
      ['dockerfile: must not be empty: kimia would take the next argument as its value']],
    ['never an empty value (build arg)', { buildArgs: { VERSION: '' } },
      ['buildArgs.VERSION: must not be empty: kimia (BuildKit) needs KEY=VALUE and Buildah would read the value from its own env']],
    ['BuildKit local context outside /home/kimia', { context: { local: { path: '/workspace/source' } } },
      ['context.local.path: "/workspace/source" fails under kimia (BuildKit): the context must be /workspace, /home/kimia/workspace or a path under /home/kimia (mount the source at /home/kimia/workspace)']],
    ['BuildKit local context: sub-path is joined before the check', { context: { local: { path: '/workspace' } }, contextSubPath: 'app' },
      ['context.local.path: with contextSubPath it becomes "/workspace/app", which fails under kimia (BuildKit): the context must be /workspace, /home/kimia/workspace or a path under /home/kimia (mount the source at /home/kimia/workspace)']],
    ['tar path under /home/kimia', { tarPath: '/output/image.tar', push: false },
      ['tarPath: must be under /home/kimia/ (kimia refuses other tar paths)']],
    ['build-arg keys', { buildArgs: { http_proxy: 'http://proxy:3128' } },
      ['buildArgs.http_proxy: build-arg key "http_proxy" must match ^[A-Z_][A-Z0-9_]*$ (kimia rejects others)']],
    ['label keys lowercase', { labels: { 'Org.Team': 'core' } },
      ['labels["Org.Team"]: label key "Org.Team" must be lowercase and match ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$']],
    ['shell metacharacters rejected for BuildKit', { buildArgs: { BUILD_DATE: '$(date +%s)' } },
      ['buildArgs.BUILD_DATE: contains "$": kimia (BuildKit) rejects ; & | ` $ ( ) < > CR and LF in --build-arg']],
    ['LF rejected for BuildKit', { labels: { description: 'two\nlines' } },
      ['labels.description: contains LF: kimia (BuildKit) rejects ; & | ` $ ( ) < > CR and LF in --label']],
    ['one platform per build', { platform: 'linux/amd64,linux/arm64' },
      ['platform: "linux/amd64,linux/arm64" lists several platforms: kimia builds one platform per build; declare one build per platform']],
    ['one platform per build (buildkit-opt)', { buildkitOpts: ['platform=linux/amd64,linux/arm64'] },
      ['buildkitOpts[0]: "linux/amd64,linux/arm64" lists several platforms: kimia builds one platform per build; declare one build per platform']],
    ['lowercase repositories', { destinations: ['registry.io/MyApp:v1'] },
      ['destinations[0]: repository "registry.io/MyApp" must be lowercase']],
    ['BuildKit-only flags refused for kimia-bud', { variant: 'kimia-bud', attestation: 'max' },
      ['attestation.mode: --attestation only works with kimia (BuildKit); kimia-bud (Buildah) ignores it. Remove it or change variant']],
    ['Buildah-only flags refused for kimia', { registry: { pushRetry: 3 } },
      ['registry.pushRetry: --push-retry only works with kimia-bud (Buildah); kimia (BuildKit) ignores it. Remove it or change variant']],
    ['--sign needs an attestation setting', { signing: SIGNING },
      ['signing: signing needs an attestation setting (kimia exits 1 on --sign alone): set attestation to off, min or max, or list attest entries']],
    ['--sign needs a push', { signing: SIGNING, attestation: 'max', push: false },
      ['signing: signing needs a push: kimia skips --sign when push is false']],
    ['--attestation together with --attest is refused', { attestation: { mode: 'max', attest: [{ type: 'sbom' }] } },
      ['attestation: set either mode (--attestation) or attest (--attest), not both: kimia drops --attestation when --attest is given']],
    ['a literal password is refused', { attestation: 'max', signing: { ...SIGNING, password: 'hunter2' } },
      ['signing.password: literal cosign password refused: secrets are only accepted by reference, as {secretName, key}']],
    ['a secret-looking build arg is refused', { buildArgs: { NPM_TOKEN: 'abc' } },
      ['buildArgs.NPM_TOKEN: "NPM_TOKEN" looks like a secret: literal secrets are refused (values are recorded in the image and its provenance); reference a Secret instead']],
    ['credentials in a git URL are refused', { context: { git: { url: 'https://user:pass@github.com/myorg/myapp.git' } } },
      ['context.git.url: credentials in the URL are refused: use tokenSecret to reference a Secret']],
    ['git branch characters', { context: { git: { url: 'https://github.com/myorg/myapp.git', branch: '--upload-pack=x' } } },
      ['context.git.branch: "--upload-pack=x" is not a git branch kimia accepts: only A-Z a-z 0-9 / _ . -, no "..", no leading "-"']],
    ['reproducible builds run without cache', { reproducible: true, cache: { enabled: true } },
      ['cache: reproducible builds run without cache (kimia forces --no-cache and ignores cache import/export): remove cache']],
    ['SOURCE_DATE_EPOCH is Unix seconds', { reproducible: { sourceDateEpoch: '2021-01-01' } },
      ['reproducible.sourceDateEpoch: must be Unix seconds (digits only)']],
    ['cache specs', { cache: { import: ['registry.io/cache'] } },
      ['cache.import[0]: "registry.io/cache" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs']],
    ['storage driver affects Buildah only', { storageDriver: 'overlay' },
      ['storageDriver: --storage-driver only works with kimia-bud (Buildah); kimia (BuildKit) ignores it. Remove it or change variant']],
    ['--buildah-opt may not override kimia', { variant: 'kimia-bud', buildahOpts: ['--isolation=rootless'] },
      ['buildahOpts[0]: --isolation is set by kimia itself and refused in --buildah-opt']],
    ['builder image pinned', { builderImage: 'ghcr.io/rapidfort/kimia:latest' },
      ['builderImage: "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (not untagged or :latest)']],
    ['at least one destination', { destinations: [] },
      ['destinations: at least one destination is required (kimia needs one even with push: false)']],
    ['unknown field', { dockerFile: 'Dockerfile' }, ['unknown field "dockerFile"']],
    ['param referenced but not declared', { destinations: ['registry.io/myapp:${TAG}'] },
      ['destinations[0]: references ${TAG} but no param "TAG" is declared under params']],
    ['param declared but unused', { params: { TAG: { description: 'tag' } } },
      ['params.TAG: param "TAG" is declared but never used']],
    ['params only in templatable fields', { params: { P: { description: 'p' } }, platform: '${P}', destinations: ['registry.io/myapp:${P}'] },
      ['platform: params (${...}) are not allowed here; they work in: builderImage, context.git.url/branch/revision, contextSubPath, dockerfile, target, destinations, buildArgs, labels, reproducible.timestamp/sourceDateEpoch, job.name',
        'platform: "${P}" is not a platform kimia accepts (os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7)']],
  ];

  it.each(cases)('%s', (_name, patch, expected) => {
    expect(errorsOf({ ...BASE, ...patch })).toEqual(expected);
  });

  it('accepts the base spec and each fix', () => {
    expect(errorsOf(BASE)).toEqual([]);
    expect(errorsOf({ ...BASE, context: { local: { path: '/workspace' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, context: { local: { path: '/home/kimia/src' } }, contextSubPath: 'app' })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', context: { local: { path: '/workspace/source' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', buildArgs: { BUILD_DATE: '$(date +%s)' } })).toEqual([]);
    expect(errorsOf({ ...BASE, signing: SIGNING, attestation: 'off' })).toEqual([]);
    expect(errorsOf({ ...BASE, platform: 'linux/arm64' })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', storageDriver: 'overlay', registry: { pushRetry: 3 } })).toEqual([]);
  });

  it('reports every broken rule at once, each on its own field', () => {
    expect(errorsOf({ ...BASE, destinations: ['registry.io/MyApp:v1'], buildArgs: { lower: 'x' } })).toEqual([
      'buildArgs.lower: build-arg key "lower" must match ^[A-Z_][A-Z0-9_]*$ (kimia rejects others)',
      'destinations[0]: repository "registry.io/MyApp" must be lowercase',
    ]);
  });

  it('points config file errors at the build, field, line and column', () => {
    const yaml = ['builds:', '  - name: app', '    context: {git: {url: "https://github.com/o/a.git"}}', '    destinations:', '      - registry.io/UPPER:v1', ''].join('\n');
    let err: SpecError | undefined;
    try { parseConfigText(yaml); } catch (e) { err = e as SpecError; }
    expect(err).toBeInstanceOf(SpecError);
    expect(err!.message).toBe('5:9: builds[0].destinations[0]: repository "registry.io/UPPER" must be lowercase');
  });

  it('argv never holds an empty value or a separate value element', () => {
    const spec = parseBuildSpec({
      ...BASE, dockerfile: 'Dockerfile', target: 'release', push: false, digestFile: '/tmp/digest',
      buildArgs: { B: '2', A: '1' }, labels: { 'org.opencontainers.image.title': 'app' }, verbosity: 'debug',
      registry: { insecure: false, insecureRegistries: ['localhost:5000'] }, attestation: 'min', cache: { enabled: true },
    });
    for (const a of kimiaArgs(spec)) expect(a).toMatch(/^--[a-z-]+(=.+)?$/);
  });
});
