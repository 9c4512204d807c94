/**
 * checkKimiaArgv (src/spec/argv-check.ts) against the real kimia 1.0.25 binary's argument parser
 * (cmd/kimia/args.go, main.go), for the argv shapes the checker must read as kimia does. Each case
 * runs the binary with no builder on PATH, so it parses, validates and stops at "No builder found"
 * (or earlier, at a [FATAL], its help or its version); what it printed is the oracle, and the
 * checker's issues are literals.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkKimiaArgv } from '../../src/spec/argv-check';
import { kimiaBinary, kimiaStatus } from './kimia-binary';

jest.setTimeout(120_000);

const BASE = ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'];
/** What kimia did with an argv: where it stopped and the options it did not consume. */
type Outcome = { stop: 'no-builder' | 'help' | 'version' | 'fatal' | 'error'; fatal?: string; unknown: string[] };

let home: string;
function kimia(args: readonly string[]): Outcome {
  const r = spawnSync(kimiaBinary(), args, { env: { HOME: home, PATH: '/nonexistent' }, encoding: 'utf8', timeout: 30_000 });
  const out = `${r.stdout}${r.stderr}`;
  const unknown = [...out.matchAll(/Unknown option: (\S+)/g)].map((m) => m[1]);
  const fatal = /\[FATAL\] (.*)/.exec(out)?.[1];
  if (fatal?.startsWith('No builder found')) return { stop: 'no-builder', unknown };
  if (fatal) return { stop: 'fatal', fatal, unknown };
  const error = /^Error: (.*)$/m.exec(out)?.[1]; // main.go's own refusals print "Error: …" and exit 1
  if (error && r.status === 1) return { stop: 'error', fatal: error, unknown };
  if (/^USAGE:/m.test(out)) return { stop: 'help', unknown };
  if (/1\.0\.25/.test(out) && r.status === 0) return { stop: 'version', unknown };
  throw new Error(`unexpected kimia output (exit ${r.status}):\n${out}`);
}

const st = kimiaStatus();
const suite = st.ok ? describe : process.env.CI ? describe : describe.skip;

suite(`checkKimiaArgv reads argv as the real kimia ${st.ok ? '' : `[kimia unavailable: ${st.reason}]`}`, () => {
  beforeAll(() => {
    if (!st.ok) throw new Error(`kimia binary unavailable: ${st.reason}`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-argv-home-'));
  });
  afterAll(() => { if (home) fs.rmSync(home, { recursive: true, force: true }); });

  it.each(['--export-cache', '--import-cache', '--attest', '--buildkit-opt', '--cosign-key', '--cosign-password-env'].map((f) => [f]))(
    '%s followed by a flag: kimia does not take it and stops (args.go HasPrefix "-" then logger.Fatal)', (flag) => {
    const args = [...BASE, flag, '--insecure'];
    expect(kimia(args)).toEqual({ stop: 'fatal', fatal: expect.stringMatching(new RegExp(`^${flag} requires a value`)), unknown: [] });
    expect(checkKimiaArgv(args, 'kimia')).toEqual([
      { index: 2, message: `${flag} has no value: kimia stops with "${flag} requires a value" (write ${flag}=value in one element)` },
    ]);
  });

  it('--buildah-opt takes the next element even when it starts with - (args.go:392 has no dash guard)', () => {
    const args = [...BASE, '--buildah-opt', '--format=oci'];
    expect(kimia(args)).toEqual({ stop: 'no-builder', unknown: [] });
    expect(checkKimiaArgv(args, 'kimia-bud')).toEqual([
      { index: 2, message: '--buildah-opt needs =value in the same element: in space form kimia takes the next argument' },
    ]);
    const last = [...BASE, '--buildah-opt'];
    expect(kimia(last)).toEqual({ stop: 'fatal', fatal: '--buildah-opt requires a value', unknown: [] });
    expect(checkKimiaArgv(last, 'kimia-bud')).toEqual([
      { index: 2, message: '--buildah-opt has no value: kimia stops with "--buildah-opt requires a value" (write --buildah-opt=value in one element)' },
    ]);
  });

  it('--help, -h and --version anywhere: kimia prints and exits 0 without building (args.go:49-55)', () => {
    for (const [flag, stop, what] of [['--help', 'help', 'its help'], ['-h', 'help', 'its help'], ['--version', 'version', 'its version']] as const) {
      const args = [...BASE, flag];
      expect(kimia(args)).toEqual({ stop, unknown: [] });
      expect(checkKimiaArgv(args, 'kimia')).toEqual([{ index: 2, message: `${flag} makes kimia print ${what} and exit 0 without building` }]);
    }
  });

  it('"help" or "version" as the first argument exits too (main.go:17-23); later they are strays', () => {
    const args = ['help', ...BASE];
    expect(kimia(args)).toEqual({ stop: 'help', unknown: [] });
    expect(checkKimiaArgv(args, 'kimia')).toEqual([
      { index: 0, message: '"help" as the first argument makes kimia print its help and exit 0 without building (main.go)' },
      { index: 0, message: '"help" is not a flag: kimia takes values as --flag=value in one element' },
    ]);
  });

  it('"check-environment" first runs the environment check and exits without building (main.go:29-32)', () => {
    const args = ['check-environment', ...BASE];
    const r = spawnSync(kimiaBinary(), args, { env: { HOME: home, PATH: '/nonexistent' }, encoding: 'utf8', timeout: 30_000 });
    expect(`${r.stdout}${r.stderr}`).toContain('Kimia Environment Check');
    expect(`${r.stdout}${r.stderr}`).not.toContain('No builder found');
    expect(checkKimiaArgv(args, 'kimia')).toEqual([
      { index: 0, message: '"check-environment" as the first argument makes kimia run its environment check and exit without building (main.go:29-32)' },
      { index: 0, message: '"check-environment" is not a flag: kimia takes values as --flag=value in one element' },
    ]);
  });

  it('no arguments: kimia prints its help (args.go:29-33)', () => {
    expect(kimia([])).toEqual({ stop: 'help', unknown: [] });
    expect(checkKimiaArgv([], 'kimia')).toEqual([
      { index: -1, message: 'no arguments: kimia prints its help and exits 0 without building (--context and at least one --destination are required)' },
    ]);
  });

  it.each([
    ['--cache=maybe', 'fatal', 'Invalid boolean value: maybe', '--cache takes true, false, yes, no, 1, 0, on or off: kimia stops with "Invalid boolean value" (args.go parseBool)'],
    ['--push-retry=abc', 'fatal', 'Invalid integer value: abc', '--push-retry takes an integer: kimia stops with "Invalid integer value" (args.go parseInt)'],
    ['--attestation=full', 'fatal', "--attestation must be 'off', 'min', or 'max', got: full", '--attestation takes off, min or max: kimia stops otherwise (args.go:331)'],
    ['--attest=type=foo', 'fatal', "--attest type must be 'sbom' or 'provenance', got: foo", '--attest needs type=sbom or type=provenance: kimia stops otherwise (args.go:516-521)'],
    ['--attest=sbom', 'fatal', 'Invalid attestation parameter: sbom (expected key=value)', '--attest part "sbom" is no key=value: kimia stops with "Invalid attestation parameter" (args.go:501)'],
    ['--storage-driver=zfs', 'error', "Invalid storage driver 'zfs'", '--storage-driver takes vfs, overlay or native: kimia exits 1 otherwise (main.go:47-66)'],
    ['--scan', 'error', '--scan is an enterprise-only feature', '--scan is an enterprise-only feature: the OSS kimia exits 1 (main.go:90-100)'],
  ])('%s: kimia refuses the value before any build, and so does the checker', (arg, stop, said, finding) => {
    const args = [...BASE, arg];
    expect(kimia(args)).toEqual({ stop, fatal: said, unknown: [] });
    const issues = checkKimiaArgv(args, arg.startsWith('--storage') || arg.startsWith('--push') ? 'kimia-bud' : 'kimia');
    expect(issues).toEqual([{ index: 2, message: finding }]);
  });

  it('--storage-driver with an empty value is no driver: kimia checks only a non-empty one (main.go:47) and goes on', () => {
    const args = [...BASE, '--storage-driver', ''];
    expect(kimia(args)).toEqual({ stop: 'no-builder', unknown: [] });
    expect(checkKimiaArgv(args, 'kimia-bud')).toEqual([
      { index: 2, message: '--storage-driver needs =value in the same element: in space form kimia takes the next argument' },
    ]);
  });

  it('--context=/home/kimia parses (the $HOME rule itself, builder.go:485 ValidatePathWithinBase, runs after the builder is found: unit-tested)', () => {
    const args = ['--context=/home/kimia', '--destination=registry.io/app:v1'];
    expect(kimia(args)).toEqual({ stop: 'no-builder', unknown: [] });
    expect(checkKimiaArgv(args, 'kimia')).toEqual([]);
  });

  it('--context-sub-path does not take an empty next element, and "" is empty (args.go:77-83)', () => {
    const args = [...BASE, '--context-sub-path', '', '--insecure'];
    expect(kimia(args)).toEqual({ stop: 'no-builder', unknown: [] });
    expect(checkKimiaArgv(args, 'kimia')).toEqual([
      { index: 2, message: '--context-sub-path has no value: write --context-sub-path=value in one element' },
      { index: 3, message: '"" is not a flag: kimia takes values as --flag=value in one element' },
    ]);
    expect(checkKimiaArgv([...BASE, '--context-sub-path=""', 'app'], 'kimia')).toEqual([
      { index: 2, message: '--context-sub-path= has an empty value: kimia would take the next argument as its value' },
    ]);
  });
});
