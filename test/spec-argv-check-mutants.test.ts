/**
 * parseKimiaArgv / checkKimiaArgv (src/spec/argv-check.ts), the survivors of its mutation run
 * (reports/MUTATION.md). Every expectation is what kimia v1.0.25's own parser does with the argv:
 * src/cmd/kimia/args.go (../shared/kimia/v1.0.25/src), checked against the real binary built from
 * it (`go build ./cmd/kimia`, run with no builder on PATH so only parsing and validation run).
 */
import { checkKimiaArgv, parseKimiaArgv } from '../src/spec/argv-check';

const BASE = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
const LOCAL_CONTEXT_HELP = 'fails under kimia (BuildKit): use /workspace, /home/kimia/workspace or a path under /home/kimia';

describe('parseKimiaArgv reads an argv as kimia args.go parseArgs does', () => {
  it('elements that are no flag take nothing and are strays (args.go:400-405: "Unexpected argument: stray", "Unknown option: -"); a Tekton array param is skipped', () => {
    // real kimia: `--no-push stray -` warns "Unexpected argument: stray" and "Unknown option: -", both ignored
    expect(parseKimiaArgv(['--no-push', 'stray', '-', '$(params.EXTRA_ARGS[*])'])).toStrictEqual({
      flags: [{ flag: '--no-push', index: 0, valueIndex: 0, form: 'bare', known: true }],
      strays: [{ index: 1, text: 'stray' }, { index: 2, text: '-' }],
    });
  });

  it('an unknown flag takes no value, so the element after it is a stray (args.go:400-405 default case has no i++)', () => {
    // real kimia: `--platform linux/amd64` warns "Unknown option: --platform" then "Unexpected argument: linux/amd64"
    expect(parseKimiaArgv(['--platform', 'linux/amd64', '--platform=linux/arm64'])).toStrictEqual({
      flags: [
        { flag: '--platform', index: 0, valueIndex: 0, form: 'bare', known: false },
        { flag: '--platform', index: 2, valueIndex: 2, form: 'bare', known: false },
      ],
      strays: [{ index: 1, text: 'linux/amd64' }],
    });
  });

  it('short flags map to their long flag in every form and keep the name as written (args.go:49 -h, :57 -f, :65 -c, :88 -d)', () => {
    expect(parseKimiaArgv(['-c', '/home/kimia/workspace', '-d=registry.io/app:v1', '-x', '-h', '-f']).flags).toStrictEqual([
      { flag: '--context', value: '/home/kimia/workspace', index: 0, valueIndex: 1, form: 'split', known: true, short: '-c' },
      { flag: '--destination', value: 'registry.io/app:v1', index: 2, valueIndex: 2, form: 'joined', known: true, short: '-d' },
      { flag: '-x', index: 3, valueIndex: 3, form: 'bare', known: false, short: '-x' },
      { flag: '--help', index: 4, valueIndex: 4, form: 'bare', known: true, short: '-h' },
      // args.go:60: the last element has no next one to take (i+1 < len(args) fails)
      { flag: '--dockerfile', index: 5, valueIndex: 5, form: 'bare', known: true, short: '-f' },
    ]);
  });

  it('a presence flag keeps the =value it ignores, and has none without one (args.go:162 --no-push, :365 --sign set true whatever the value)', () => {
    expect(parseKimiaArgv(['--no-push=false', '--sign']).flags).toStrictEqual([
      { flag: '--no-push', index: 0, valueIndex: 0, form: 'bare', known: true, ignoredValue: 'false' },
      { flag: '--sign', index: 1, valueIndex: 1, form: 'bare', known: true },
    ]);
  });

  it('--flag= with an empty value takes the next element (args.go:58-63 --dockerfile, :174-179 --digest-file)', () => {
    expect(parseKimiaArgv(['--dockerfile=', 'Dockerfile.x', '--digest-file=']).flags).toStrictEqual([
      { flag: '--dockerfile', value: 'Dockerfile.x', index: 0, valueIndex: 1, form: 'empty', known: true },
      { flag: '--digest-file', index: 2, valueIndex: 2, form: 'empty', known: true },
    ]);
  });

  it('--cache, --attestation and --context-sub-path take the next element when it does not start with - (args.go:79, :101, :321)', () => {
    expect(parseKimiaArgv(['--cache', 'false', '--attestation', 'max', '--context-sub-path', 'app', '--cache', '--no-push']).flags.map((a) => [a.flag, a.value, a.form])).toEqual([
      ['--cache', 'false', 'split'],
      ['--attestation', 'max', 'split'],
      ['--context-sub-path', 'app', 'split'],
      ['--cache', undefined, 'bare'],
      ['--no-push', undefined, 'bare'],
    ]);
  });
});

describe('--context-sub-path\'s empty forms (args.go:73-86): "" (two quote characters) is empty, an empty next element is not taken', () => {
  const sub = (args: string[]) => parseKimiaArgv(args).flags.map((f) => [f.flag, f.value, f.form]);
  it('--context-sub-path="" counts as --context-sub-path= and takes the next element; --context-sub-path=app is a value', () => {
    expect(sub(['--context-sub-path=""', 'app'])).toEqual([['--context-sub-path', 'app', 'empty']]);
    expect(sub(['--context-sub-path=app'])).toEqual([['--context-sub-path', 'app', 'joined']]);
    expect(sub(['--dockerfile=""'])).toEqual([['--dockerfile', '""', 'joined']]);
  });
  it('a taken "" leaves the sub-path empty; another flag keeps "" as its value', () => {
    expect(sub(['--context-sub-path', '""'])).toEqual([['--context-sub-path', '', 'split']]);
    expect(sub(['--dockerfile', '""'])).toEqual([['--dockerfile', '""', 'split']]);
  });
  it('an empty next element: --context-sub-path does not take it, --dockerfile does (args.go:58-63 takes args[i+1] whatever it is)', () => {
    expect(sub(['--context-sub-path', ''])).toEqual([['--context-sub-path', undefined, 'bare']]);
    expect(sub(['--dockerfile', ''])).toEqual([['--dockerfile', '', 'split']]);
  });
});

describe('checkKimiaArgv reports each problem at its element', () => {
  it('a stray element (args.go:401-402 "Unexpected argument")', () => {
    expect(checkKimiaArgv([...BASE, 'stray'], 'kimia')).toEqual([
      { index: 2, message: '"stray" is not a flag: kimia takes values as --flag=value in one element' },
    ]);
  });

  it('short flags, known and unknown, once each; a split short flag is not also told to use =value (args.go:49-88, :404)', () => {
    expect(checkKimiaArgv(['-c', '/home/kimia/workspace', '-d=registry.io/app:v1', '-x'], 'kimia')).toEqual([
      { index: 0, message: 'short flag -c: write --context=value as one element' },
      { index: 2, message: 'short flag -d: write --destination=value as one element' },
      { index: 3, message: 'short flag -x: write --flag=value as one element' },
    ]);
  });

  it('a value flag with nothing to take; bare --cache (= true, args.go:104-105) and bare --attestation (= min, args.go:324-327) are fine', () => {
    expect(checkKimiaArgv([...BASE, '--cache', '--attestation', '--dockerfile'], 'kimia')).toEqual([
      { index: 4, message: '--dockerfile has no value: write --dockerfile=value in one element' },
    ]);
  });

  it('issues come in argv order, strays among the flags, then the required flags (main.go:81-86, :103-109 exit 1)', () => {
    expect(checkKimiaArgv(['-x', 'stray', '--platform=linux/amd64'], 'kimia')).toEqual([
      { index: 0, message: 'short flag -x: write --flag=value as one element' },
      { index: 1, message: '"stray" is not a flag: kimia takes values as --flag=value in one element' },
      { index: 2, message: '--platform is not a kimia flag: kimia only warns and ignores it' },
      { index: 0, message: '--context is required (kimia exits 1 without it)' },
      { index: 0, message: 'at least one --destination is required, even without a push' },
    ]);
  });

  it('an empty argv: kimia prints its help and exits 0 (args.go:29-33), one issue on the args as a whole (index -1)', () => {
    expect(checkKimiaArgv([], 'kimia')).toEqual([
      { index: -1, message: 'no arguments: kimia prints its help and exits 0 without building (--context and at least one --destination are required)' },
    ]);
  });

  it('BuildKit: a build arg without = or with an empty value fails; "=" is a value (builder.go:943-947 emits build-arg:KEY, validation.go:348-350 needs key=value)', () => {
    expect(checkKimiaArgv([...BASE, '--build-arg=A', '--build-arg=B=', '--build-arg=C=='], 'kimia')).toEqual([
      { index: 2, message: '--build-arg needs KEY=VALUE with a value under kimia (BuildKit); only kimia-bud takes a bare KEY from the environment' },
      { index: 3, message: '--build-arg needs KEY=VALUE with a value under kimia (BuildKit); only kimia-bud takes a bare KEY from the environment' },
    ]);
    // Buildah takes a bare KEY (or KEY=) from the environment (builder.go:186-193 passes --build-arg KEY).
    expect(checkKimiaArgv([...BASE, '--build-arg=A', '--build-arg=B='], 'kimia-bud')).toEqual([]);
  });

  it('BuildKit: a label needs key=value (args.go:479-485 parseLabel is fatal) and a lowercase key (validation.go:667-669); a templated key is not judged', () => {
    expect(checkKimiaArgv([...BASE, '--label=foo', '--label=Foo=1', '--label=$(params.KEY)=v', '--label=org.opencontainers.image.title=x'], 'kimia')).toEqual([
      { index: 2, message: '--label needs key=value' },
      { index: 3, message: 'label key "Foo" must be lowercase (^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$)' },
    ]);
  });

  it('Buildah: any label key, but still key=value (builder.go:404-418 checks only length and NUL; args.go:479-485 in both variants)', () => {
    expect(checkKimiaArgv([...BASE, '--label=Foo=1', '--label=foo'], 'kimia-bud')).toEqual([
      { index: 3, message: '--label needs key=value' },
    ]);
  });

  it('BuildKit: one --custom-platform (builder.go:971-973 --opt platform=, validation.go:417-432 ValidatePlatform)', () => {
    expect(checkKimiaArgv([...BASE, '--custom-platform=linux/amd64,linux/arm64'], 'kimia')).toEqual([
      { index: 2, message: 'one platform per build: kimia rejects lists' },
    ]);
  });

  it('--sign is satisfied by --attest as by --attestation (args.go:419-421)', () => {
    expect(checkKimiaArgv([...BASE, '--sign', '--attest=type=sbom'], 'kimia')).toEqual([]);
    expect(checkKimiaArgv([...BASE, '--sign'], 'kimia')).toEqual([
      { index: 2, message: '--sign needs --attestation or --attest: kimia exits 1 otherwise' },
    ]);
  });
});

describe('checkKimiaArgv: BuildKit local contexts (builder.go:678 copies /workspace and $HOME/workspace, :485 ValidatePathWithinBase($HOME))', () => {
  const DEST = '--destination=registry.io/app:v1';
  it('/workspace and /home/kimia/workspace pass; a templated context is not judged', () => {
    expect(checkKimiaArgv([DEST, '--context=/workspace'], 'kimia')).toEqual([]);
    expect(checkKimiaArgv([DEST, '--context=/home/kimia/workspace'], 'kimia')).toEqual([]);
    expect(checkKimiaArgv([DEST, '--context=$(params.CONTEXT)'], 'kimia')).toEqual([]);
  });
  it('another path fails, reported at --context; Buildah has no such rule', () => {
    expect(checkKimiaArgv([DEST, '--context=/workspace/source'], 'kimia')).toEqual([
      { index: 1, message: `local context "/workspace/source" ${LOCAL_CONTEXT_HELP}` },
    ]);
    expect(checkKimiaArgv([DEST, '--context=/workspace/source'], 'kimia-bud')).toEqual([]);
  });
  it('--context-sub-path is joined first (main.go:155-184 sets ctx.Path to the joined path), a templated one too', () => {
    expect(checkKimiaArgv([DEST, '--context=/workspace', '--context-sub-path=app'], 'kimia')).toEqual([
      { index: 1, message: `local context "/workspace/app" ${LOCAL_CONTEXT_HELP}` },
    ]);
    expect(checkKimiaArgv([DEST, '--context=/workspace', '--context-sub-path=$(params.SUB)'], 'kimia')).toEqual([
      { index: 1, message: `local context "/workspace/x" ${LOCAL_CONTEXT_HELP}` },
    ]);
  });
});

describe('values kimia checks once the builder is found (validation.go, builder.go), from the table rules.ts uses too', () => {
  const BASE2 = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
  it('a cache spec of an unknown type, without key=value pairs or with a tab is refused at its element; a templated one is not judged', () => {
    expect(checkKimiaArgv([...BASE2, '--export-cache=type=foo', '--import-cache=ref=x', '--import-cache=type=registry,ref=a\tb', '--export-cache=$(params.CACHE)'], 'kimia')).toEqual([
      { index: 2, message: '"type=foo" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs' },
      { index: 3, message: '"ref=x" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs' },
      { index: 4, message: '"type=registry,ref=a\tb" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs' },
    ]);
  });
  it('a label or build-arg over the byte limits, a sub-path leaving the context (main.go:173)', () => {
    expect(checkKimiaArgv([...BASE2, `--label=k=${'é'.repeat(2049)}`, '--context-sub-path=../x'], 'kimia')).toEqual([
      { index: 2, message: 'label value must be at most 4096 bytes (UTF-8)' },
      { index: 3, message: 'the sub-path leaves the context: kimia stops with "context sub-path attempts to escape build context" (main.go:173)' },
    ]);
  });
  it('--context=/workspace/. or //workspace without a sub-path fails (builder.go:677 compares strings); /workspace with sub-path . is /workspace', () => {
    const at = (ctx: string, ...more: string[]) => checkKimiaArgv([`--context=${ctx}`, '--destination=registry.io/app:v1', ...more], 'kimia');
    expect(at('/workspace/.')).toEqual([{ index: 0, message: 'local context "/workspace/." fails under kimia (BuildKit): use /workspace, /home/kimia/workspace or a path under /home/kimia' }]);
    expect(at('//workspace')).toEqual([{ index: 0, message: 'local context "//workspace" fails under kimia (BuildKit): use /workspace, /home/kimia/workspace or a path under /home/kimia' }]);
    expect(at('/workspace', '--context-sub-path=.')).toEqual([]);
  });
});

describe('the shell-metacharacter check covers what reaches buildctl only (builder.go:1107-1111 ValidateBuildctlArg over the buildctl argv)', () => {
  const BASE3 = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
  it('digest files, cosign\'s password env and the log level never reach buildctl: no finding', () => {
    expect(checkKimiaArgv([...BASE3, '--digest-file=/home/kimia/d(1)', '--image-name-with-digest-file=/home/kimia/n;1', '--cosign-password-env=A$B', '--attestation=min', '--sign'], 'kimia')).toEqual([]);
  });
  it('a build arg or a destination does: refused', () => {
    expect(checkKimiaArgv([...BASE3, '--build-arg=A=x;y'], 'kimia')).toEqual([
      { index: 2, message: 'contains ";": kimia (BuildKit) rejects ; & | ` $ ( ) < > CR and LF' },
    ]);
  });
});
