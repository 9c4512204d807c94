/**
 * src/spec/argv.ts with literal expectations, for the mutants the mutation run left alive: every
 * flag kimiaFlags emits, its value and the spec field it names (rules.ts reports a refused flag at
 * that field, so a wrong path is a wrong error message), and attestValue's `--attest` text.
 *
 * Upstream facts (kimia v1.0.25, shared/kimia/v1.0.25/src):
 * - cmd/kimia/args.go parses each flag below by its name, `--flag=value` or `--flag value`;
 * - cmd/kimia/help.go lists the `--attest` keys: type=sbom with generator, scan-context, scan-stage;
 *   type=provenance with mode, builder-id, reproducible, inline-only, version, filename;
 * - internal/build/builder.go:1661-1668 turns scan-context/scan-stage into
 *   BUILDKIT_SBOM_SCAN_*=1 only when the value is "true", so a false one is left out;
 * - kimia keeps one value per repeated scalar flag and a list for --destination, --build-arg,
 *   --label, --insecure-registry, --buildkit-opt, --buildah-opt, --attest (shared/reference/kimia.md §1).
 */
import { parseBuildSpec, type BuildSpecInput } from '../src/spec';
import { attestValue, kimiaArgs, kimiaFlags } from '../src/spec/argv';

const flags = (spec: unknown) => kimiaFlags(parseBuildSpec(spec as BuildSpecInput)).map((f) => [f.flag, f.value, f.path.join('.')]);

const BUILDKIT_FULL = {
  name: 'app',
  context: { git: { url: 'https://github.com/o/a.git', revision: 'abc123', branch: 'main', tokenUser: 'x-access-token' } },
  contextSubPath: 'svc',
  dockerfile: 'build/Dockerfile',
  target: 'runtime',
  destinations: ['registry.io/a:v1', 'registry.io/b:v1'],
  platform: 'linux/arm64',
  digestFile: '/home/kimia/d',
  imageNameWithDigestFile: '/home/kimia/n',
  registry: { insecure: true, insecureRegistries: ['r1.local:5000'] },
  reproducible: { enabled: true, timestamp: '1609459200' },
  attestation: {
    attest: [
      { type: 'sbom', generator: 'docker/buildkit-syft-scanner:1', scanContext: true, scanStage: false },
      { type: 'provenance', mode: 'max', builderId: 'https://ci/b', reproducible: true, inlineOnly: false, version: 'v1', filename: 'prov.json', extra: { z: '1', a: '2' } },
    ],
  },
  buildkitOpts: ['--opt'],
  signing: { in: 'builder', key: { secretName: 'k', key: 'cosign.key' }, password: { secretName: 'k', key: 'p' }, passwordEnv: 'COSIGN_PW' },
  buildArgs: { Z: '1', A: '2' },
  labels: { 'org.b': 'x', 'org.a': 'y' },
  verbosity: 'debug',
};

describe('kimiaFlags: each flag with its value and the spec field it came from (kimia args.go)', () => {
  it('BuildKit, every field set: flags in a fixed order, a branch beside a revision left out, keys sorted', () => {
    expect(flags(BUILDKIT_FULL)).toEqual([
      ['--context', 'https://github.com/o/a.git', 'context.git.url'],
      ['--git-revision', 'abc123', 'context.git.revision'],
      ['--git-token-user', 'x-access-token', 'context.git.tokenUser'],
      ['--context-sub-path', 'svc', 'contextSubPath'],
      ['--dockerfile', 'build/Dockerfile', 'dockerfile'],
      ['--target', 'runtime', 'target'],
      ['--destination', 'registry.io/a:v1', 'destinations.0'],
      ['--destination', 'registry.io/b:v1', 'destinations.1'],
      ['--custom-platform', 'linux/arm64', 'platform'],
      ['--digest-file', '/home/kimia/d', 'digestFile'],
      ['--image-name-with-digest-file', '/home/kimia/n', 'imageNameWithDigestFile'],
      ['--insecure', undefined, 'registry.insecure'],
      ['--insecure-registry', 'r1.local:5000', 'registry.insecureRegistries.0'],
      ['--reproducible', undefined, 'reproducible'],
      ['--timestamp', '1609459200', 'reproducible.timestamp'],
      ['--attest', 'type=sbom,generator=docker/buildkit-syft-scanner:1,scan-context=true', 'attestation.attest.0'],
      ['--attest', 'type=provenance,mode=max,builder-id=https://ci/b,reproducible=true,inline-only=false,version=v1,filename=prov.json,a=2,z=1', 'attestation.attest.1'],
      ['--buildkit-opt', '--opt', 'buildkitOpts.0'],
      ['--sign', undefined, 'signing'],
      ['--cosign-key', '/secrets/cosign.key', 'signing.key'],
      ['--cosign-password-env', 'COSIGN_PW', 'signing.passwordEnv'],
      ['--build-arg', 'A=2', 'buildArgs.A'],
      ['--build-arg', 'Z=1', 'buildArgs.Z'],
      ['--label', 'org.a=y', 'labels.org.a'],
      ['--label', 'org.b=x', 'labels.org.b'],
      ['--verbosity', 'debug', 'verbosity'],
    ]);
  });

  it('kimia-bud: the branch beside the revision (it clones and falls back to the branch), Buildah-only flags, no push with a tar', () => {
    expect(
      flags({
        name: 'app',
        variant: 'kimia-bud',
        context: { git: { url: 'https://github.com/o/a.git', revision: 'abc123', branch: 'main' } },
        destinations: ['registry.io/a:v1'],
        push: false,
        tarPath: '/home/kimia/output/out.tar',
        tarClaimName: 'out',
        storageDriver: 'overlay',
        registry: { pushRetry: 3, downloadRetry: 2, insecurePull: true, certificatesSecret: 'certs' },
        buildahOpts: ['--format=oci', '--jobs=2'],
      }),
    ).toEqual([
      ['--context', 'https://github.com/o/a.git', 'context.git.url'],
      ['--git-branch', 'main', 'context.git.branch'],
      ['--git-revision', 'abc123', 'context.git.revision'],
      ['--destination', 'registry.io/a:v1', 'destinations.0'],
      ['--no-push', undefined, 'push'],
      ['--tar-path', '/home/kimia/output/out.tar', 'tarPath'],
      ['--storage-driver', 'overlay', 'storageDriver'],
      ['--insecure-pull', undefined, 'registry.insecurePull'],
      ['--registry-certificate', '/etc/kimia/certs', 'registry.certificatesSecret'],
      ['--push-retry', '3', 'registry.pushRetry'],
      ['--image-download-retry', '2', 'registry.downloadRetry'],
      ['--buildah-opt', '--format=oci', 'buildahOpts.0'],
      ['--buildah-opt', '--jobs=2', 'buildahOpts.1'],
    ]);
  });

  it('a local context and a cache: --context from context.local.path, --cache=true, exports and imports each at their index', () => {
    expect(
      flags({
        name: 'app',
        context: { local: { path: '/workspace', claimName: 'src' } },
        destinations: ['registry.io/a:v1'],
        cache: { enabled: true, export: ['type=registry,ref=registry.io/a:cache'], import: ['type=registry,ref=registry.io/a:c1', 'type=registry,ref=registry.io/a:c2'] },
      }),
    ).toEqual([
      ['--context', '/workspace', 'context.local.path'],
      ['--destination', 'registry.io/a:v1', 'destinations.0'],
      ['--cache', 'true', 'cache.enabled'],
      ['--export-cache', 'type=registry,ref=registry.io/a:cache', 'cache.export.0'],
      ['--import-cache', 'type=registry,ref=registry.io/a:c1', 'cache.import.0'],
      ['--import-cache', 'type=registry,ref=registry.io/a:c2', 'cache.import.1'],
    ]);
  });

  it('a git branch without a revision is passed to BuildKit (it gets URL#branch)', () => {
    expect(flags({ name: 'app', context: { git: { url: 'https://github.com/o/a.git', branch: 'dev' } }, destinations: ['registry.io/a:v1'] })).toEqual([
      ['--context', 'https://github.com/o/a.git', 'context.git.url'],
      ['--git-branch', 'dev', 'context.git.branch'],
      ['--destination', 'registry.io/a:v1', 'destinations.0'],
    ]);
  });

  it('kimiaArgs writes presence flags bare and value flags as one --flag=value element', () => {
    expect(kimiaArgs(parseBuildSpec({ name: 'app', context: { git: { url: 'https://github.com/o/a.git' } }, destinations: ['registry.io/a:v1'], registry: { insecure: true } } as BuildSpecInput))).toEqual([
      '--context=https://github.com/o/a.git',
      '--destination=registry.io/a:v1',
      '--insecure',
    ]);
  });
});

describe('attestValue: one --attest entry (kimia help.go; builder.go:1661 scan-* only when "true")', () => {
  it('sbom: scan-context and scan-stage written only when true', () => {
    expect(attestValue({ type: 'sbom', scanContext: false, scanStage: true } as never)).toBe('type=sbom,scan-stage=true');
    expect(attestValue({ type: 'sbom', scanContext: true, scanStage: true } as never)).toBe('type=sbom,scan-context=true,scan-stage=true');
    expect(attestValue({ type: 'sbom' } as never)).toBe('type=sbom');
  });
  it('provenance: each key under its kimia name, extra keys sorted after them', () => {
    expect(attestValue({ type: 'provenance', reproducible: false, inlineOnly: true, version: 'v0.2', filename: 'p.json', extra: { b: '2', a: '1' } } as never)).toBe(
      'type=provenance,reproducible=false,inline-only=true,version=v0.2,filename=p.json,a=1,b=2',
    );
  });
});
