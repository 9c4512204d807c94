/**
 * kimia's check of each --destination (validation.go ValidateImageName, run by builder.go:437-441
 * before building) as both kimia checkers apply it: imageNameProblem (src/spec/kimia-values.ts), the
 * argv checker on `--destination=<ref>` and the spec's destinations rule. The oracle is kimia's own
 * function, compiled from its source (validation-oracle.ts), not ours.
 */
import * as fc from 'fast-check';
import { checkKimiaArgv } from '../../src/spec/argv-check';
import { imageNameProblem } from '../../src/spec/kimia-values';
import { kimiaStatus } from './kimia-binary';
import { kimiaValidation } from './validation-oracle';

jest.setTimeout(120_000);

const st = kimiaStatus();
const suite = st.ok ? describe : process.env.CI ? describe : describe.skip;

const CRAFTED = [
  'registry.io/app:v1', 'registry.io/app', 'app', 'library/app:1', 'localhost/app', 'localhost:5000/app:v1',
  'Registry.IO/app', 'registry.io/App', 'registry.io/a..b', 'registry.io/a__b', 'registry.io/a---b', 'registry.io/a._b',
  'registry.io:abc/app', ':5000/app', 'reg_istry.io/app', '-reg.io/app', 'registry.io/', 'registry.io/:v1',
  'a:b/c', 'registry.io/a:b/c', 'registry.io/app@sha256:abc', 'registry.io/app:v1@sha256:abc', '/app', 'app/',
  'registry.io/app\u0000', `registry.io/${'a'.repeat(243)}`, `registry.io/${'a'.repeat(244)}`,
  `${'h'.repeat(253)}.io/app`.slice(3), `${'h'.repeat(251)}.io/app`, `registry.io/${'é'.repeat(122)}`,
];

suite(`kimia's ValidateImageName, the oracle for every destination ${st.ok ? '' : `[kimia unavailable: ${st.reason}]`}`, () => {
  const random = fc.sample(fc.string({
    unit: fc.oneof({ arbitrary: fc.constantFrom(...'abz09'.split('')), weight: 8 }, { arbitrary: fc.constantFrom('.', '_', '-', 'A', '/', ':', '@'), weight: 3 }),
    minLength: 1, maxLength: 14,
  }), { numRuns: 120, seed: 20261203 });
  const names = [...CRAFTED, ...random];

  it('imageNameProblem refuses exactly what kimia refuses', () => {
    const kimia = kimiaValidation()('image-name', names);
    const ours = names.map((n) => imageNameProblem(n));
    const disagree = names.map((n, i) => ({ n, kimia: kimia[i], ours: ours[i] })).filter((d) => (d.kimia === undefined) !== (d.ours === undefined));
    expect(disagree).toEqual([]);
    // Both outcomes are exercised.
    expect(kimia.filter((k) => k === undefined).length).toBeGreaterThan(20);
    expect(kimia.filter((k) => k !== undefined).length).toBeGreaterThan(20);
  });

  it('the argv checker reports a --destination (or -d) at its element exactly when kimia refuses it', () => {
    const kimia = kimiaValidation()('image-name', CRAFTED);
    CRAFTED.forEach((n, i) => {
      for (const args of [['--context=/home/kimia/workspace', `--destination=${n}`], ['--context=/home/kimia/workspace', '-d', n]]) {
        const at = args.length - 1;
        const issues = checkKimiaArgv(args, 'kimia-bud').filter((x) => x.message.includes('ValidateImageName'));
        expect({ n, refused: issues.length > 0, at: issues.map((x) => x.index) }).toEqual({ n, refused: kimia[i] !== undefined, at: kimia[i] !== undefined ? [at] : [] });
      }
    });
  });
});
