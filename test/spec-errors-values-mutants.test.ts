/**
 * Survivors of the mutation run in src/spec/errors.ts (positions of issues in config files, SpecError)
 * and src/spec/kimia-values.ts (kimia's checks of one flag's value). The kimia expectations are what
 * kimia v1.0.25 does (../shared/kimia/v1.0.25/src): cmd/kimia/args.go parseInt (strconv.Atoi) and
 * parseAttestationConfig, cmd/kimia/main.go:47-66 (storage drivers), internal/build/builder.go:386-414
 * (build-arg and label value lengths).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { formatIssue, SpecError } from '../src/spec/errors';
import { flagValueProblem } from '../src/spec/kimia-values';

const realFs = require('node:fs') as typeof import('node:fs'); // eslint-disable-line @typescript-eslint/no-require-imports

let dir: string;
beforeAll(() => { dir = realFs.mkdtempSync(path.join(os.tmpdir(), 'spec-errors-')); });
afterAll(() => { realFs.rmSync(dir, { recursive: true, force: true }); });
afterEach(() => { jest.restoreAllMocks(); });

const MiB16 = 16 * 1024 * 1024;
/** A YAML file of exactly `size` bytes: `a.b` on line 2 (its value at column 6), then a comment filling the rest. */
function sizedYaml(name: string, size: number): string {
  const head = 'a:\n  b: 1\n#';
  const file = path.join(dir, name);
  realFs.writeFileSync(file, `${head}${'x'.repeat(size - head.length - 1)}\n`);
  expect(realFs.statSync(file).size).toBe(size);
  return file;
}

describe('formatIssue / SpecError place an issue in its file', () => {
  it('an issue that has its line keeps it and gets no column from the file', () => {
    const file = path.join(dir, 'line-only.yaml');
    realFs.writeFileSync(file, 'a:\n  b: 1\n');
    expect(formatIssue({ path: ['a', 'b'], message: 'bad', line: 3 }, file)).toBe(`${file}:3: a.b: bad`);
    // without a line, the field's own position in the file
    expect(formatIssue({ path: ['a', 'b'], message: 'bad' }, file)).toBe(`${file}:2:6: a.b: bad`);
  });

  it('no position from what is no regular file (a device, a directory)', () => {
    expect(formatIssue({ path: ['a'], message: 'bad' }, '/dev/null')).toBe('/dev/null: a: bad');
    expect(formatIssue({ path: ['a'], message: 'bad' }, dir)).toBe(`${dir}: a: bad`);
  });

  it('a file of 16 MiB is read for positions, one byte more is not', () => {
    const atLimit = sizedYaml('at-limit.yaml', MiB16);
    const over = sizedYaml('over-limit.yaml', MiB16 + 1);
    expect(formatIssue({ path: ['a', 'b'], message: 'bad' }, atLimit)).toBe(`${atLimit}:2:6: a.b: bad`);
    expect(formatIssue({ path: ['a', 'b'], message: 'bad' }, over)).toBe(`${over}: a.b: bad`);
    expect(new SpecError([{ path: ['b'], message: 'bad' }], { file: atLimit, prefix: ['a'] }).message).toBe(`${atLimit}:2:6: a.b: bad`);
    expect(new SpecError([{ path: ['b'], message: 'bad' }], { file: over, prefix: ['a'] }).message).toBe(`${over}: a.b: bad`);
  });

  it('a file that changed is read again: the positions are those of its new text', () => {
    const file = path.join(dir, 'changing.yaml');
    realFs.writeFileSync(file, 'a: 1\n');
    expect(formatIssue({ path: ['a'], message: 'bad' }, file)).toBe(`${file}:1:4: a: bad`);
    realFs.writeFileSync(file, 'x: 0\n\nlonger: 2\na: 1\n');
    expect(formatIssue({ path: ['a'], message: 'bad' }, file)).toBe(`${file}:4:4: a: bad`);
    realFs.writeFileSync(file, 'a:\n  - 1\n');
    expect(formatIssue({ path: ['a', 0], message: 'bad' }, file)).toBe(`${file}:2:5: a[0]: bad`);
  });

  it('an unchanged file is read once for all its issues', () => {
    const file = path.join(dir, 'read-once.yaml');
    realFs.writeFileSync(file, 'a: 1\nb: 2\n');
    const read = jest.spyOn(realFs, 'readFileSync');
    expect(formatIssue({ path: ['a'], message: 'bad' }, file)).toBe(`${file}:1:4: a: bad`);
    expect(formatIssue({ path: ['b'], message: 'bad' }, file)).toBe(`${file}:2:4: b: bad`);
    expect(new SpecError([{ path: ['a'], message: 'x' }, { path: ['b'], message: 'y' }], { file }).message)
      .toBe(`${file}:1:4: a: x\n${file}:2:4: b: y`);
    expect(read.mock.calls.filter((c) => c[0] === file)).toHaveLength(1);
  });

  it('SpecError is named SpecError', () => {
    const e = new SpecError([{ path: ['builds', 0, 'name'], message: 'bad' }]);
    expect(e.name).toBe('SpecError');
    expect(String(e)).toBe('SpecError: builds[0].name: bad');
  });
});

describe('flagValueProblem: kimia v1.0.25 refuses these values', () => {
  const INT = (flag: string) => `${flag} takes an integer: kimia stops with "Invalid integer value" (args.go parseInt)`;

  it.each(['--push-retry', '--image-download-retry'])('%s is read by strconv.Atoi: optional sign, decimal digits, nothing else (args.go:205-219, :461-467)', (flag) => {
    for (const ok of ['0', '3', '12', '+3', '-1', '007']) expect([ok, flagValueProblem(flag, ok)]).toEqual([ok, undefined]);
    for (const bad of ['', 'a1', '1a', 'x12', '12x', '+', '1.5', ' 1', '1 ', '--1', '1_0']) expect([bad, flagValueProblem(flag, bad)]).toEqual([bad, INT(flag)]);
  });

  it('--storage-driver takes vfs, overlay or native in any case (main.go:47-66 validDrivers, strings.ToLower)', () => {
    for (const ok of ['vfs', 'overlay', 'native', 'NATIVE', 'Overlay']) expect([ok, flagValueProblem('--storage-driver', ok)]).toEqual([ok, undefined]);
    expect(flagValueProblem('--storage-driver', 'btrfs')).toBe('--storage-driver takes vfs, overlay or native: kimia exits 1 otherwise (main.go:47-66)');
  });

  it('--attest: key=value parts, keys and values trimmed, type sbom or provenance (args.go:497-521 parseAttestationConfig)', () => {
    const NEEDS_TYPE = '--attest needs type=sbom or type=provenance: kimia stops otherwise (args.go:516-521)';
    for (const ok of [
      'type=sbom', 'type=provenance', 'type=provenance,mode=max', 'type=sbom,generator=img:v1',
      'mode=max,type=provenance', ' type =sbom', 'type= provenance ', 'type=sbom,x=',
    ]) expect([ok, flagValueProblem('--attest', ok)]).toEqual([ok, undefined]);
    for (const bad of ['type=spdx', 'mode=max', 'type=sbom,type=x', 'typ=sbom']) expect([bad, flagValueProblem('--attest', bad)]).toEqual([bad, NEEDS_TYPE]);
    // "=sbom" splits into two parts (SplitN, :499-502), an empty key: it is the missing type that stops kimia (:516)
    expect(flagValueProblem('--attest', '=sbom')).toBe(NEEDS_TYPE);
    expect(flagValueProblem('--attest', 'type=sbom,bare')).toBe('--attest part "bare" is no key=value: kimia stops with "Invalid attestation parameter" (args.go:501)');
  });

  it.each([['--build-arg', 'build-arg'], ['--label', 'label']])('%s: the value after the first = counts every byte, later = included (args.go:469-486 SplitN 2, builder.go:396/:412 at most 4096)', (flag, what) => {
    expect(flagValueProblem(flag, `K=${'a'.repeat(4095)}=`)).toBeUndefined();
    expect(flagValueProblem(flag, `K=${'a'.repeat(4096)}=`)).toBe(`${what} value must be at most 4096 bytes (UTF-8)`);
    expect(flagValueProblem(flag, `K=${'='.repeat(4097)}`)).toBe(`${what} value must be at most 4096 bytes (UTF-8)`);
  });
});
