/**
 * Issue 15 item 4: property tests that state which outcome is right for the value, on generators
 * that reach rendering (a valid example build with one field changed), instead of accepting
 * "refused or rendered" alike.
 *
 * The oracle is kimia's own parser, not ours: kimia v1.0.25 internal/validation/validation.go:334
 * ValidateBuildctlArg refuses an argument holding any of `; & | \` $ ( ) < > \n \r` (BuildKit
 * builds; builder.go:569 runs it on every buildctl argument), so a build whose label or build-arg
 * value holds one can never run and must be refused at parse time naming the field; any other
 * printable value must render as exactly one `--label=k=<value>` / `--build-arg=K=<value>` argument.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { loadConfig, parseBuildSpec, renderBundle, SpecError } from '../src/internal';
import { parse } from 'yaml';
import { cli } from './helpers';
import { kimiaStatus } from './conformance/kimia-binary';
import { kimiaValidation } from './conformance/validation-oracle';

fc.configureGlobal({ seed: Number(process.env.KIMIA_PROPERTY_SEED ?? 20261202), numRuns: Number(process.env.KIMIA_PROPERTY_RUNS ?? 120) });

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
/** A Job-only BuildKit build: no engine syntax rules apply to its values. */
const base = JSON.parse(JSON.stringify(examples.builds.find((b) => b.name === 'nginx-basic')!)) as Record<string, unknown>;
const KIMIA_DANGEROUS = [';', '&', '|', '`', '$', '(', ')', '<', '>', '\n', '\r'];
const BENIGN = 'abcXYZ0189 ._-:/=@+,%'.split('');

/** Values mixing benign characters with, sometimes, one of kimia's dangerous ones. */
const value = fc.tuple(
  fc.string({ unit: fc.constantFrom(...BENIGN), minLength: 1, maxLength: 16 }),
  fc.option(fc.constantFrom(...KIMIA_DANGEROUS), { freq: 2 }),
  fc.nat(16),
).map(([s, bad, at]) => (bad === null ? s : s.slice(0, at) + bad + s.slice(at)))
  .filter((v) => v.trim() !== '' && v.trim() === v);

function jobArgs(build: Record<string, unknown>): string[] {
  const spec = parseBuildSpec(build);
  const files = renderBundle({ builds: [spec] });
  const file = [...files.keys()].find((f) => f.startsWith('job/'))!;
  const job = parse(files.get(file)!.replace(/^#.*\n/, ''));
  return job.spec.template.spec.containers.find((c: { name: string }) => c.name === 'kimia').args;
}

function outcome(build: Record<string, unknown>): { refused: string[] } | { args: string[] } {
  try {
    return { args: jobArgs(build) };
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return { refused: e.issues.map((i) => i.path.join('.')) };
  }
}

describe.each([
  ['labels', (v: string) => ({ ...base, labels: { note: v } }), 'labels.note', (v: string) => `--label=note=${v}`],
  ['buildArgs', (v: string) => ({ ...base, buildArgs: { NOTE: v } }), 'buildArgs.NOTE', (v: string) => `--build-arg=NOTE=${v}`],
] as const)('%s under BuildKit', (_what, place, field, arg) => {
  it('a value with one of kimia\'s dangerous characters is refused naming the field; any other renders as exactly one argument', () => {
    let refused = 0;
    let rendered = 0;
    fc.assert(fc.property(value, (v) => {
      const r = outcome(place(v));
      if (KIMIA_DANGEROUS.some((c) => v.includes(c))) {
        refused += 1;
        expect({ v, r }).toEqual({ v, r: { refused: expect.arrayContaining([field]) } });
      } else {
        rendered += 1;
        expect({ v, r }).toEqual({ v, r: { args: expect.arrayContaining([arg(v)]) } });
        const prefix = arg('');
        expect((r as { args: string[] }).args.filter((a) => a.startsWith(prefix))).toEqual([arg(v)]);
      }
    }));
    // The generator reaches both outcomes (a property that only ever refuses proves little).
    expect(refused).toBeGreaterThan(10);
    expect(rendered).toBeGreaterThan(10);
  });
});

/**
 * Destinations, with kimia's own validation as the oracle (test/conformance/validation-oracle.ts):
 * kimia v1.0.25 builder.go validateCommonBuildInputs runs validation.ValidateImageName on every
 * --destination (it strips the tag), and the tag must match ValidateImageTag's pattern, the same
 * as distribution's reference grammar BuildKit parses the pushed name with (`[\w][\w.-]{0,127}`).
 * A destination kimia refuses must be refused at parse time naming it; one it accepts must render
 * as exactly one `--destination=<it>`.
 */
describe('destinations, against kimia\'s own ValidateImageName and ValidateImageTag', () => {
  const status = kimiaStatus();
  // Mostly valid characters, so both outcomes are common; separators and uppercase now and then.
  const UNIT = fc.oneof({ arbitrary: fc.constantFrom(...'abz09'.split('')), weight: 10 }, { arbitrary: fc.constantFrom('.', '_', '-', 'A'), weight: 2 });
  const component = fc.string({ unit: UNIT, minLength: 1, maxLength: 7 });
  const destination = fc.record({
    // Hosts: kimia takes the first component as one when it holds '.' or ':' or is localhost (ValidateImageName).
    host: fc.option(fc.oneof(
      fc.constantFrom('registry.io', 'localhost', 'localhost:5000', '10.0.0.1:5000', 'My-Registry.example.com'),
      fc.tuple(fc.string({ unit: fc.constantFrom(...'az09.-'.split('')), minLength: 1, maxLength: 8 }), fc.option(fc.constantFrom(':5000', ':x', ':123456'))).map(([h, p]) => `${h}${p ?? ''}`),
    ), { freq: 3 }),
    path: fc.array(component, { minLength: 1, maxLength: 3 }),
    tag: fc.option(fc.string({ unit: fc.oneof(UNIT, fc.constantFrom('T', '.')), maxLength: 8 }), { freq: 3 }),
  }).map(({ host, path: p, tag }) => ({ ref: `${host === null ? '' : `${host}/`}${p.join('/')}${tag === null ? '' : `:${tag}`}`, tag }));

  (status.ok ? it : it.skip)(`kimia refuses it <=> it is refused naming destinations[0]; else one --destination${status.ok ? '' : ` (skipped: ${status.reason})`}`, () => {
    const oracle = kimiaValidation();
    const cases = fc.sample(destination, { numRuns: 400, seed: 20261202 });
    const names = oracle('image-name', cases.map((c) => c.ref));
    const tags = oracle('image-tag', cases.map((c) => c.tag ?? 'latest'));
    let refused = 0;
    let rendered = 0;
    cases.forEach((c, i) => {
      const kimia = names[i] ?? (c.tag !== null ? tags[i] : undefined);
      const r = outcome({ ...base, destinations: [c.ref] });
      if (kimia !== undefined) {
        refused += 1;
        expect({ ref: c.ref, kimia, r }).toEqual({ ref: c.ref, kimia, r: { refused: expect.arrayContaining(['destinations.0']) } });
      } else {
        rendered += 1;
        expect({ ref: c.ref, r }).toEqual({ ref: c.ref, r: { args: expect.arrayContaining([`--destination=${c.ref}`]) } });
      }
    });
    expect(refused).toBeGreaterThan(40);
    expect(rendered).toBeGreaterThan(40);
  });
});

/**
 * The CLI on configs that differ from a valid one in one destination: `validate --config` and
 * `render` exit 0 (render printing the Job with that destination) exactly when kimia accepts it,
 * else exit 2 with one line naming `builds[0].destinations[0]` at its line and column, and no stack
 * trace. The oracle is kimia's validation again, so "either outcome" is never accepted.
 */
describe('the CLI, one destination changed, against kimia\'s own validation', () => {
  // The destination is the only thing that varies, so every line of a refusal must name it.
  const status = kimiaStatus();
  const ref = fc.tuple(
    fc.constantFrom('registry.io', 'localhost:5000', 'Reg.example.com', '.bad', 'ok-'),
    fc.string({ unit: fc.oneof({ arbitrary: fc.constantFrom(...'abz09'.split('')), weight: 8 }, { arbitrary: fc.constantFrom('.', '_', '-', 'A', '/'), weight: 2 }), minLength: 1, maxLength: 10 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'aZ09._-'.split('')), maxLength: 6 })),
  ).map(([h, p, t]) => `${h}/${p}${t === null ? '' : `:${t}`}`);

  (status.ok ? it : it.skip)(`exit 0 with the destination rendered <=> kimia accepts it; else exit 2 naming the field${status.ok ? '' : ` (skipped: ${status.reason})`}`, () => {
    const oracle = kimiaValidation();
    const cases = fc.sample(ref, { numRuns: 60, seed: 20261203 });
    const tagOf = (r: string) => { const last = r.slice(r.lastIndexOf('/') + 1); return last.includes(':') ? last.slice(last.indexOf(':') + 1) : undefined; };
    const names = oracle('image-name', cases);
    const tags = oracle('image-tag', cases.map((c) => tagOf(c) ?? 'latest'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-prop-cli-'));
    let ok = 0;
    let refused = 0;
    try {
      cases.forEach((c, i) => {
        const kimia = names[i] ?? (tagOf(c) !== undefined ? tags[i] : undefined);
        const file = path.join(dir, 'c.yaml');
        fs.writeFileSync(file, `builds:\n  - name: app\n    outputs: [job]\n    context: {git: {url: https://github.com/o/a.git}}\n    destinations:\n      - ${JSON.stringify(c)}\n`);
        const v = cli('validate', '--config', file);
        const r = cli('render', '--build', 'app', '--config', file);
        for (const x of [v, r]) expect(x.err).not.toMatch(/\n\s+at |internal error/);
        if (kimia === undefined) {
          ok += 1;
          expect({ c, v: v.code, r: r.code }).toEqual({ c, v: 0, r: 0 });
          expect(r.out).toContain(`- --destination=${c}\n`);
        } else {
          refused += 1;
          expect({ c, kimia, v: v.code, r: r.code }).toEqual({ c, kimia, v: 2, r: 2 });
          // One line per problem, each at the field's line and column, naming it.
          expect(r.err).toMatch(new RegExp(`^(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:9: builds\\[0\\]\\.destinations\\[0\\]: [^\\n]+\\n)+$`));
        }
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(ok).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});
