import { kimiaArgs, parseBuildSpec, parseConfigText, SpecError } from '../src/internal';
import { BASE, errorsOf } from './helpers';

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };

describe('kimia fidelity rules: each broken spec gets its exact error', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['never an empty value (flag string)', { dockerfile: '' },
      ['dockerfile: must not be empty: kimia would take the next argument as its value']],
    ['never an empty value (build arg)', { buildArgs: { VERSION: '' } },
      ['buildArgs.VERSION: must not be empty: kimia (BuildKit) needs KEY=VALUE and Buildah would read the value from its own env']],
    ['BuildKit local context outside /home/kimia', { context: { local: { claimName: 'src', path: '/workspace/source' } } },
      ['context.local.path: "/workspace/source" fails under kimia (BuildKit): the context must be /workspace, /home/kimia/workspace or a path under /home/kimia (mount the source at /home/kimia/workspace)']],
    ['BuildKit local context: sub-path is joined before the check', { context: { local: { claimName: 'src', path: '/workspace' } }, contextSubPath: 'app' },
      ['context.local.path: with contextSubPath it becomes "/workspace/app", which fails under kimia (BuildKit): the context must be /workspace, /home/kimia/workspace or a path under /home/kimia (mount the source at /home/kimia/workspace)']],
    ['tar path under /home/kimia', { tarPath: '/output/image.tar', push: false, tarClaimName: 'archive' },
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
    ['--sign needs an attestation setting', { signing: { ...SIGNING, in: 'builder' } },
      ['signing: signing needs an attestation setting (kimia exits 1 on --sign alone): set attestation to off, min or max, or list attest entries']],
    ['signing.in: chains only in Tekton', { signing: { ...SIGNING, in: 'chains' }, attestation: 'max', outputs: ['tekton', 'argo'] },
      ['signing.in: chains leaves signing to Tekton Chains, which only Tekton has: argo would not sign. Set outputs: [tekton], or signing.in: isolated']],
    ['--sign needs a push', { signing: SIGNING, attestation: 'max', push: false },
      ['signing: signing needs a push: kimia skips --sign when push is false']],
    ['--attestation together with --attest is refused', { attestation: { mode: 'max', attest: [{ type: 'sbom' }] } },
      ['attestation: set either mode (--attestation) or attest (--attest), not both: kimia drops --attestation when --attest is given']],
    ['a literal password is refused', { attestation: 'max', signing: { ...SIGNING, password: 'hunter2' } },
      ['signing.password: literal cosign password refused: secrets are only accepted by reference, as {secretName, key}']],
    ['a secret-looking build arg is refused', { buildArgs: { NPM_TOKEN: 'abc' } },
      ['buildArgs.NPM_TOKEN: "NPM_TOKEN" looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead']],
    ['credentials in a git URL are refused', { context: { git: { url: 'https://user:pass@github.com/myorg/myapp.git' } } },
      ['context.git.url: credentials in the URL are refused: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context']],
    ['git branch characters', { context: { git: { url: 'https://github.com/myorg/myapp.git', branch: '--upload-pack=x' } } },
      ['context.git.branch: "--upload-pack=x" is not a git branch kimia accepts: only A-Z a-z 0-9 / _ . -, no "..", no leading "-"']],
    ['reproducible builds run without cache', { reproducible: true, cache: { enabled: true } },
      ['cache: reproducible builds run without cache (kimia forces --no-cache and ignores cache import/export): remove cache']],
    ['SOURCE_DATE_EPOCH is Unix seconds', { reproducible: { sourceDateEpoch: '2021-01-01' } },
      ['reproducible.sourceDateEpoch: must be Unix seconds (digits only)']],
    ['SOURCE_DATE_EPOCH from git needs a checked-out source', { reproducible: { sourceDateEpoch: { fromGit: true } } },
      ['reproducible.sourceDateEpoch: fromGit reads the commit time from a checked-out source: use a local context (the Tekton source workspace, the Argo git artifact)']],
    ['cache specs', { cache: { import: ['registry.io/cache'] } },
      ['cache.import[0]: "registry.io/cache" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs']],
    ['storage driver affects Buildah only', { storageDriver: 'overlay' },
      ['storageDriver: --storage-driver only works with kimia-bud (Buildah); kimia (BuildKit) ignores it. Remove it or change variant']],
    ['--buildah-opt may not override kimia', { variant: 'kimia-bud', buildahOpts: ['--isolation=rootless'] },
      ['buildahOpts[0]: --isolation is set by kimia itself and refused in --buildah-opt']],
    ['the password env is not one kimia reads', { attestation: 'max', signing: { ...SIGNING, passwordEnv: 'SOURCE_DATE_EPOCH' } },
      ['signing.passwordEnv: SOURCE_DATE_EPOCH is read by kimia or its tools; pick another name for the password variable (default COSIGN_PASSWORD)']],
    ['registry credentials in --buildah-opt are refused', { variant: 'kimia-bud', buildahOpts: ['--creds=user:hunter2'] },
      ['buildahOpts[0]: --creds looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead; mount registry credentials with registry.credentialsSecret']],
    ['secrets in cache specs are refused', { cache: { export: ['type=s3,bucket=b,secret_access_key=abc'] } },
      ['cache.export[0]: "secret_access_key" looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead']],
    ['secrets in attest parameters are refused', { attestation: { attest: [{ type: 'sbom', extra: { password: 'x' } }] } },
      ['attestation.attest[0].extra.password: "password" looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead']],
    ['a git token with BuildKit would leak into logs', { context: { git: { url: 'https://github.com/myorg/private.git', tokenSecret: { secretName: 'git', key: 'token' } } } },
      ['context.git.tokenSecret: kimia (BuildKit) would put the token into the git URL it logs and records in provenance: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context']],
    ['a git URL kimia would read as a path', { context: { git: { url: 'http://gitea.local/o/r' } } },
      ['context.git.url: "http://gitea.local/o/r" is not recognised as git by kimia (git://…, git@…, …/*.git or https://host/path); kimia would treat it as a local path']],
    ['a local path kimia would read as git', { context: { local: { claimName: 'src', path: '/home/kimia/src/app.git' } } },
      ['context.local.path: "/home/kimia/src/app.git" looks like a git URL to kimia (it ends in .git or contains "git."); rename the directory']],
    ['a context that hides kimia\'s own files', { context: { local: { claimName: 'src', path: '/home/kimia/.config' } } },
      ['context.local.path: "/home/kimia/.config" would hide kimia\'s own files (/home/kimia, ~/.config, ~/.local, ~/.cache, ~/.docker): use /home/kimia/workspace']],
    ['a sub-path that escapes the context', { context: { local: { claimName: 'src' } }, contextSubPath: '../other' },
      ['contextSubPath: must be a relative path inside the context (no leading "/" and no "..")']],
    ['a destination with a digest', { destinations: ['registry.io/myapp@sha256:' + 'a'.repeat(64)] },
      [`destinations[0]: "registry.io/myapp@sha256:${'a'.repeat(64)}" has a digest: a destination is a repository with an optional tag (kimia pushes and reports the digest)`]],
    ['a destination with two tags', { destinations: ['registry.io/myapp:v1:v2'] },
      ['destinations[0]: tag "v1:v2" must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}']],
    ['insecure registries are hosts', { registry: { insecureRegistries: ['http://reg.local:5000'] } },
      ['registry.insecureRegistries[0]: "http://reg.local:5000" must be a registry host[:port], without scheme or path']],
    ['insecure registries are hosts as kimia ValidateRegistryHost reads a destination\'s (an empty label or a leading "-" never matches one)', { registry: { insecureRegistries: ['reg..local:5000', '-reg.local', 'reg_1.local', 'Reg.Local:5000'] } },
      ['registry.insecureRegistries[0]: "reg..local:5000" must be a registry host[:port], without scheme or path',
        'registry.insecureRegistries[1]: "-reg.local" must be a registry host[:port], without scheme or path',
        'registry.insecureRegistries[2]: "reg_1.local" must be a registry host[:port], without scheme or path']],
    ['attest parameters with their own field', { attestation: { attest: [{ type: 'provenance', extra: { type: 'sbom' } }] } },
      ['attestation.attest[0].extra.type: "type" has its own field; set it there']],
    ['attest: buildkit options bypass the attestation setting', { attestation: 'max', buildkitOpts: ['attest:sbom=true'] },
      ['buildkitOpts[0]: attestations belong in attestation (mode or attest); kimia sets attest: options itself']],
    ['builder image pinned', { builderImage: 'ghcr.io/rapidfort/kimia:latest' },
      ['builderImage: "ghcr.io/rapidfort/kimia:latest" must be pinned to a version tag or digest (not untagged or :latest)']],
    ['at least one destination', { destinations: [] },
      ['destinations: at least one destination is required (kimia needs one even with push: false)']],
    ['unknown field', { dockerFile: 'Dockerfile' }, ['unknown field "dockerFile"']],
    ['param referenced but not declared', { destinations: ['registry.io/myapp:${TAG}'] },
      ['destinations[0]: references ${TAG} but no param "TAG" is declared under params']],
    ['param declared but unused', { params: { TAG: { description: 'tag' } } },
      ['params.TAG: param "TAG" is declared but never used']],
    ['param defaults are in the param enum', { params: { TAG: { description: 't', default: 'dev', enum: ['stable', 'edge'] } }, destinations: ['registry.io/myapp:${TAG}'] },
      ['params.TAG.default: "dev" is not one of "stable", "edge"']],
    ['Argo template syntax in a value', { labels: { note: 'x{{workflow.name}}' }, outputs: ['argo'] },
      ['labels.note: contains "{{" or "}}": Argo would read it as a template tag (it has no escape); remove it or drop the argo output']],
    ['Tekton variable syntax in a value', { variant: 'kimia-bud', buildArgs: { NOTE: '$(params.IMAGE)' }, outputs: ['tekton'] },
      ['buildArgs.NOTE: contains a Tekton variable "$(…)": Tekton would substitute it; remove it or drop the tekton output']],
    ['params only in templatable fields', { params: { P: { description: 'p' } }, platform: '${P}', destinations: ['registry.io/myapp:${P}'] },
      ['platform: params (${...}) are not allowed here; they work in: builderImage, context.git.url/branch/revision, contextSubPath, dockerfile, target, destinations, buildArgs, labels, reproducible.timestamp/sourceDateEpoch, job.name',
        'platform: "${P}" is not a platform kimia accepts (os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7)']],
  ];

  it.each(cases)('%s', (_name, patch, expected) => {
    expect(errorsOf({ ...BASE, ...patch })).toEqual(expected);
  });

  it('accepts the base spec and each fix', () => {
    expect(errorsOf(BASE)).toEqual([]);
    expect(errorsOf({ ...BASE, context: { local: { claimName: 'src', path: '/workspace' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, context: { local: { claimName: 'src', path: '/home/kimia/src' } }, contextSubPath: 'app' })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', context: { local: { claimName: 'src', path: '/workspace/source' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', buildArgs: { BUILD_DATE: '$(date +%s)' } })).toEqual([]);
    expect(errorsOf({ ...BASE, signing: SIGNING, attestation: 'off' })).toEqual([]);
    // Isolated signing (the default) does not run kimia --sign, so it needs no attestation setting.
    expect(errorsOf({ ...BASE, signing: SIGNING })).toEqual([]);
    expect(errorsOf({ ...BASE, signing: { ...SIGNING, in: 'chains' }, outputs: ['tekton'] })).toEqual([]);
    expect(errorsOf({ ...BASE, platform: 'linux/arm64' })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', storageDriver: 'overlay', registry: { pushRetry: 3 } })).toEqual([]);
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', buildArgs: { http_proxy: 'http://proxy:3128' } })).toEqual([]);
    expect(errorsOf({ ...BASE, context: { git: { url: 'ssh://git@github.com/myorg/myapp.git' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, destinations: ['localhost:5000/team/app:v1', 'app', 'docker.io/library/app:1.0'] })).toEqual([]);
    expect(errorsOf({ ...BASE, buildArgs: { COMPASS_HEADING: 'north' } })).toEqual([]);
  });

  it('reports every broken rule at once, each on its own field', () => {
    expect(errorsOf({ ...BASE, destinations: ['registry.io/MyApp:v1'], buildArgs: { lower: 'x' } })).toEqual([
      'buildArgs.lower: build-arg key "lower" must match ^[A-Z_][A-Z0-9_]*$ (kimia rejects others)',
      'destinations[0]: repository "registry.io/MyApp" must be lowercase',
    ]);
  });

  it('reports an unresolved YAML alias as malformed YAML', () => {
    expect(() => parseConfigText('builds: *missing\n')).toThrow('malformed YAML: Unresolved alias');
  });

  it('points config file errors at the build, field, line and column', () => {
    const yaml = ['builds:', '  - name: app', '    context: {git: {url: "https://github.com/o/a.git"}}', '    destinations:', '      - registry.io/UPPER:v1', ''].join('\n');
    let err: SpecError | undefined;
    try { parseConfigText(yaml); } catch (e) { err = e as SpecError; }
    expect(err).toBeInstanceOf(SpecError);
    expect(err!.message).toBe('5:9: builds[0].destinations[0]: repository "registry.io/UPPER" must be lowercase');
  });

  it('emits sbom scan-* parameters only when true', () => {
    const spec = parseBuildSpec({ ...BASE, attestation: { attest: [{ type: 'sbom', scanContext: false, scanStage: true }, { type: 'provenance', mode: 'max', builderId: 'https://ci.example/builder' }] } });
    expect(kimiaArgs(spec).filter((a) => a.startsWith('--attest='))).toEqual([
      '--attest=type=sbom,scan-stage=true',
      '--attest=type=provenance,mode=max,builder-id=https://ci.example/builder',
    ]);
  });

  it('argv never holds an empty value or a separate value element', () => {
    const spec = parseBuildSpec({
      ...BASE, dockerfile: 'Dockerfile', target: 'release', push: false, digestFile: '/tmp/digest',
      buildArgs: { B: '2', A: '1' }, labels: { 'org.opencontainers.image.title': 'app' }, verbosity: 'debug',
      registry: { insecure: false, insecureRegistries: ['localhost:5000'] }, attestation: 'min', cache: { enabled: true },
    });
    for (const a of kimiaArgs(spec)) expect(a).toMatch(/^--[a-z-]+(=.+)?$/);
  });

  it('presence flags appear bare when true and not at all when false', () => {
    const flags = (over: Record<string, unknown>) => kimiaArgs(parseBuildSpec({ ...BASE, ...over })).filter((a) => !a.startsWith('--context=') && !a.startsWith('--destination='));
    expect(flags({ registry: { insecure: true }, reproducible: { enabled: true }, push: false })).toEqual(expect.arrayContaining(['--insecure', '--reproducible', '--no-push']));
    // --cache takes an optional value and would eat a following bare word: always --cache=true (kimia.md §1).
    expect(flags({ cache: { enabled: true } })).toContain('--cache=true');
    const off = flags({ registry: { insecure: false }, reproducible: { enabled: false }, cache: { enabled: false }, push: true });
    for (const f of ['--insecure', '--reproducible', '--cache', '--no-push']) expect(off.some((a) => a === f || a.startsWith(`${f}=`))).toBe(false);
  });
});

describe('error lines', () => {
  it('one issue is one line, whatever the quoted value holds', () => {
    const lines = errorsOf({ ...BASE, platform: '\n\r\t\u0001' });
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).not.toMatch(/[\n\r\t\u0001]/);
    expect(lines[0]).toContain('"\\n\\r\\t\\u0001"');
  });
});
