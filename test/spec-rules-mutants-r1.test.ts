/**
 * src/spec/rules.ts (lines up to 300), the survivors of its mutation run: each rule's exact error
 * (field path and words) and the inputs at its edges. Upstream facts: kimia v1.0.25
 * src/internal/build/builder.go validateCommonBuildInputs (:383-418, build-arg key ≤128, value ≤4096),
 * builder.go:1156-1160 (label keys checked only on buildctl arguments, i.e. BuildKit),
 * shared/reference/kimia.md §2 (:24-28 local context and --tar-path under $HOME) and :100 (the
 * writable $HOME directories kimia uses: .cache, .local/share, .config/buildkit, .docker).
 */
import { BASE, errorsOf } from './helpers';

const errors = (over: Record<string, unknown>) => errorsOf({ ...BASE, ...over });
const local = (path: string) => ({ context: { local: { claimName: 'src', path } } });
const tar = (tarPath: string) => ({ tarPath, push: false, tarClaimName: 'archive' });

const HIDE = (p: string) =>
  `context.local.path: "${p}" would hide kimia's own files (/home/kimia, ~/.config, ~/.local, ~/.cache, ~/.docker): use /home/kimia/workspace`;
const TAR_HIDES = (dir: string) =>
  `tarPath: must be in a directory of its own under /home/kimia (e.g. /home/kimia/output/image.tar): kimia does not create the directory, so it gets a volume there, and a volume on ${dir} would hide kimia's own files`;
const TAR_OVERLAPS = (dir: string, ctx: string) =>
  `tarPath: its directory ${dir} overlaps the local context ${ctx}: the archive would land in the build context (or hide it); use a directory of its own such as /home/kimia/output`;
const URL_CREDENTIALS = 'context.git.url: credentials in the URL are refused: clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context';

describe('build args: kimia builder.go validateCommonBuildInputs limits (key > 128, value > 4096 fail)', () => {
  it('a key of 129 characters is refused in both variants, 128 is accepted', () => {
    const k129 = 'A'.repeat(129);
    expect(errors({ buildArgs: { [k129]: 'x' } })).toEqual([`buildArgs.${k129}: build-arg key must be at most 128 bytes (UTF-8)`]);
    const b129 = 'a'.repeat(129);
    expect(errors({ variant: 'kimia-bud', buildArgs: { [b129]: 'x' } })).toEqual([`buildArgs.${b129}: build-arg key must be at most 128 bytes (UTF-8)`]);
    expect(errors({ buildArgs: { ['A'.repeat(128)]: 'x' } })).toEqual([]);
    expect(errors({ variant: 'kimia-bud', buildArgs: { ['a'.repeat(128)]: 'x' } })).toEqual([]);
  });
  it('a value of 4097 characters is refused, 4096 is accepted', () => {
    expect(errors({ buildArgs: { VERSION: 'x'.repeat(4097) } })).toEqual(['buildArgs.VERSION: build-arg value must be at most 4096 bytes (UTF-8)']);
    expect(errors({ variant: 'kimia-bud', buildArgs: { VERSION: 'x'.repeat(4097) } })).toEqual(['buildArgs.VERSION: build-arg value must be at most 4096 bytes (UTF-8)']);
    expect(errors({ buildArgs: { VERSION: 'x'.repeat(4096) } })).toEqual([]);
  });
});

describe('kimia counts bytes (Go len) and limits labels as it limits build args (builder.go validateCommonBuildInputs:386-416)', () => {
  it('a build-arg value of 4096 characters but 6000 bytes is refused; 2048 two-byte characters pass', () => {
    expect(errors({ buildArgs: { V: '\u00e9'.repeat(3000) } })).toEqual(['buildArgs.V: build-arg value must be at most 4096 bytes (UTF-8)']);
    expect(errors({ buildArgs: { V: '\u00e9'.repeat(2048) } })).toEqual([]);
  });
  it('a label key over 128 bytes or a value over 4096 bytes is refused in both variants', () => {
    const key = `a${'b'.repeat(128)}`;
    for (const variant of ['kimia', 'kimia-bud']) {
      expect(errors({ variant, labels: { [key]: 'x', b: 'y'.repeat(4097) } })).toEqual([
        `labels.${key}: label key must be at most 128 bytes (UTF-8)`,
        'labels.b: label value must be at most 4096 bytes (UTF-8)',
      ]);
      expect(errors({ variant, labels: { [key.slice(1)]: 'x', b: 'y'.repeat(4096) } })).toEqual([]);
    }
  });
  it('a tab in a cache spec is refused (validation.go ValidateBuildKitCacheSpec)', () => {
    expect(errors({ cache: { export: ['type=registry,ref=a\tb'] } })).toEqual([
      'cache.export[0]: "type=registry,ref=a\\tb" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs',
    ]);
  });
});

describe('labels', () => {
  it('an empty label value is refused at the label (kimia reads --label=k= as a missing value)', () => {
    expect(errors({ labels: { team: '' } })).toEqual(['labels.team: must not be empty']);
  });
  it('label keys are checked for kimia only: builder.go:1159 ValidateLabelKeyValue runs on buildctl arguments', () => {
    expect(errors({ labels: { 'Org.Team': 'core' } })).toEqual([
      'labels["Org.Team"]: label key "Org.Team" must be lowercase and match ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$',
    ]);
    expect(errors({ variant: 'kimia-bud', labels: { 'Org.Team': 'core' } })).toEqual([]);
  });
});

describe('literal secrets', () => {
  it('a secret-looking --buildkit-opt key is reported at that option', () => {
    expect(errors({ buildkitOpts: ['image-resolve-mode=default', 'secret_token=1'] })).toEqual([
      'buildkitOpts[1]: "secret_token" looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead',
    ]);
  });
  it('userinfo in an http:// or https:// git URL is a credential, even without a password', () => {
    expect(errors({ context: { git: { url: 'http://token@github.com/myorg/myapp.git' } } })).toEqual([URL_CREDENTIALS]);
    expect(errors({ context: { git: { url: 'https://token@github.com/myorg/myapp.git' } } })).toEqual([URL_CREDENTIALS]);
  });
  it('an ssh:// user is no credential, whatever the path holds', () => {
    expect(errors({ context: { git: { url: 'ssh://git@github.com/myorg/myapp.git' } } })).toEqual([]);
    expect(errors({ context: { git: { url: 'ssh://git@github.com/myorg/https:x.git' } } })).toEqual([]);
  });
  it('only the userinfo right after scheme:// counts: a "x://tok@" later in the path is no credential', () => {
    expect(errors({ context: { git: { url: 'https://github.com/myorg/x://tok@y.git' } } })).toEqual([]);
    expect(errors({ context: { git: { url: 'git@github.com:myorg/ssh://tok@y.git' } } })).toEqual([]);
  });
});

describe('BuildKit local context path (kimia.md §2 :24-25, writable $HOME dirs :100)', () => {
  it('a relative path is refused as such', () => {
    expect(errors(local('workspace'))).toEqual(['context.local.path: must be an absolute path']);
    expect(errors({ ...local('src'), variant: 'kimia-bud' })).toEqual(['context.local.path: must be an absolute path']);
  });
  it.each([
    '/home/kimia', '/home/kimia/', '/home/kimia/.config', '/home/kimia/.config/', '/home/kimia/.config/buildkit',
    '/home/kimia/.local', '/home/kimia/.local/share', '/home/kimia/.cache', '/home/kimia/.cache/x', '/home/kimia/.docker',
  ])('%s would hide kimia\'s own files', (p) => {
    expect(errors(local(p))).toEqual([HIDE(p)]);
  });
  it('a directory beside them is fine', () => {
    expect(errors(local('/home/kimia/src'))).toEqual([]);
    expect(errors(local('/home/kimia/.configs'))).toEqual([]);
  });
  it('contextSubPath must be relative: a leading "/" is refused, a trailing one is not', () => {
    expect(errors({ ...local('/home/kimia/workspace'), contextSubPath: '/app' })).toEqual([
      'contextSubPath: must be a relative path inside the context (no leading "/" and no "..")',
    ]);
    expect(errors({ ...local('/home/kimia/workspace'), contextSubPath: 'app/' })).toEqual([]);
  });
});

describe('tarPath: under /home/kimia, in a directory of its own (kimia.md §2 :28, :100)', () => {
  it.each(['/home/kimia/.config', '/home/kimia/.local', '/home/kimia/.cache', '/home/kimia/.docker'])(
    'an archive directly in %s would hide kimia\'s own files', (dir) => {
      expect(errors(tar(`${dir}/image.tar`))).toEqual([TAR_HIDES(dir)]);
    });
  it('a directory that is the local context, is inside it or holds it overlaps the context', () => {
    expect(errors({ ...local('/home/kimia/workspace'), ...tar('/home/kimia/workspace/image.tar') }))
      .toEqual([TAR_OVERLAPS('/home/kimia/workspace', '/home/kimia/workspace')]);
    expect(errors({ ...local('/home/kimia/workspace/'), ...tar('/home/kimia/workspace/image.tar') }))
      .toEqual([TAR_OVERLAPS('/home/kimia/workspace', '/home/kimia/workspace')]);
    expect(errors({ ...local('/home/kimia/src/'), ...tar('/home/kimia/src/out/image.tar') }))
      .toEqual([TAR_OVERLAPS('/home/kimia/src/out', '/home/kimia/src')]);
    expect(errors({ ...local('/home/kimia/src/app'), ...tar('/home/kimia/src/image.tar') }))
      .toEqual([TAR_OVERLAPS('/home/kimia/src', '/home/kimia/src/app')]);
    expect(errors({ ...local('/home/kimia/workspace'), ...tar('/home/kimia/output/image.tar') })).toEqual([]);
  });
});

describe('platforms', () => {
  it('a platform listed twice is reported at platforms', () => {
    expect(errors({ platforms: ['linux/amd64', 'linux/amd64'], outputs: ['tekton'] })).toEqual(['platforms: platforms must be unique']);
  });
});

describe('destinations: [registry[:port]/]repository[:tag] (kimia validation.go imageNamePattern, tag ≤128)', () => {
  it('an empty first component is no registry: "/myapp" is no image reference', () => {
    expect(errors({ destinations: ['/myapp:v1'] })).toEqual(['destinations[0]: "/myapp:v1" is not an image reference ([registry[:port]/]repository[:tag])']);
    expect(errors({ destinations: ['localhost/myapp:v1', 'localhost:5000/myapp:v1'] })).toEqual([]);
  });
  it('an empty repository before the ":" is no image reference, and the tag after it is still checked', () => {
    expect(errors({ destinations: ['registry.io/:V1'] })).toEqual(['destinations[0]: "registry.io/:V1" is not an image reference ([registry[:port]/]repository[:tag])']);
    expect(errors({ destinations: ['registry.io/:-x'] })).toEqual([
      'destinations[0]: "registry.io/:-x" is not an image reference ([registry[:port]/]repository[:tag])',
      'destinations[0]: tag "-x" must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}',
    ]);
  });
  it('without a ":" there is no tag: a repository name longer than a tag may be is fine', () => {
    expect(errors({ destinations: [`registry.io/${'a'.repeat(129)}`] })).toEqual([]);
  });
  it('a malformed repository names the destination as written', () => {
    expect(errors({ destinations: ['registry.io/my..app:v1'] })).toEqual(['destinations[0]: "registry.io/my..app:v1" is not an image reference ([registry[:port]/]repository[:tag])']);
  });
});

describe('rules found by a review against kimia v1.0.25, shared with the argv checker (src/spec/kimia-values.ts)', () => {
  it('a target over 128 bytes is refused at target (builder.go validateCommonBuildInputs)', () => {
    expect(errors({ target: 't'.repeat(129) })).toEqual(['target: target must be at most 128 bytes (UTF-8; builder.go validateCommonBuildInputs)']);
    expect(errors({ target: 't'.repeat(128) })).toEqual([]);
  });
  it('a sub-path "..app" leaves the context as kimia reads it (main.go:173: the cleaned relative path starts with "..")', () => {
    expect(errors({ context: { local: { path: '/home/kimia/workspace', claimName: 'src' } }, contextSubPath: '..app' })).toEqual([
      'contextSubPath: must be a relative path inside the context (no leading "/" and no "..")',
    ]);
    expect(errors({ context: { local: { path: '/home/kimia/workspace', claimName: 'src' } }, contextSubPath: 'app..' })).toEqual([]);
  });
  it('/workspace/. is no /workspace to kimia without a sub-path (builder.go:677 compares the strings, then :485 finds it outside $HOME)', () => {
    expect(errors({ context: { local: { path: '/workspace/.', claimName: 'src' } } })).toEqual([
      'context.local.path: "/workspace/." fails under kimia (BuildKit): the context must be /workspace, /home/kimia/workspace or a path under /home/kimia (mount the source at /home/kimia/workspace)',
    ]);
    expect(errors({ context: { local: { path: '/workspace', claimName: 'src' } } })).toEqual([]);
    expect(errors({ context: { local: { path: '/home/kimia/workspace/./app', claimName: 'src' } } })).toEqual([]);
  });
});
