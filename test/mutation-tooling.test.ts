/**
 * The jest helpers `npm run mutation` runs Stryker's mutant runs through (test/helpers/mutation-*.js):
 * a mutant's run must still load every test file that covers it (else a killable mutant would be
 * reported as surviving), and everything Stryker cannot narrow down must run every file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const Sequencer = require('./helpers/mutation-sequencer.js');
const Runner = require('./helpers/mutation-runner.js');
const Environment = require('./helpers/mutation-env.js');

const ACTIVE = '__STRYKER_ACTIVE_MUTANT__';
let root: string;
const saved = process.env[ACTIVE];
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-mutation-')); });
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  if (saved === undefined) delete process.env[ACTIVE]; else process.env[ACTIVE] = saved;
  jest.resetModules();
});

/** Jest's Test objects, as the sequencer gets them. */
const tests = (...names: string[]) => names.map((n) => ({ path: path.join(root, 'test', n), duration: undefined, context: { config: { rootDir: root }, hasteFS: { getSize: () => 1 } } }));
function record(r: { static?: string[]; staticFiles?: Record<string, string[]>; durations?: Record<string, number>; files: Record<string, string[]> }) {
  fs.writeFileSync(path.join(root, Environment.RECORD_FILE), JSON.stringify({ static: [], durations: {}, ...r }));
}

describe('mutation-sequencer.js', () => {
  it('runs every file in the dry run (no active mutant) and before the record exists', () => {
    delete process.env[ACTIVE];
    expect(new Sequencer().sort(tests('a.test.ts', 'b.test.ts'))).toHaveLength(2);
    process.env[ACTIVE] = '7';
    expect(new Sequencer().sort(tests('a.test.ts', 'b.test.ts'))).toHaveLength(2);
  });

  it('in a mutant run keeps the files that cover it, fastest first; a static or unknown mutant runs every file', () => {
    record({ static: ['9'], durations: { 'test/a.test.ts': 900, 'test/c.test.ts': 5 }, files: { 7: ['test/a.test.ts', 'test/c.test.ts'], 9: ['test/a.test.ts'] } });
    jest.isolateModules(() => {
      const Fresh = require('./helpers/mutation-sequencer.js');
      process.env[ACTIVE] = '7';
      expect(new Fresh().sort(tests('a.test.ts', 'b.test.ts', 'c.test.ts')).map((t: { path: string }) => path.relative(root, t.path))).toEqual(['test/c.test.ts', 'test/a.test.ts']);
      process.env[ACTIVE] = '9';
      expect(new Fresh().sort(tests('a.test.ts', 'b.test.ts', 'c.test.ts'))).toHaveLength(3);
      process.env[ACTIVE] = '8';
      expect(new Fresh().sort(tests('a.test.ts', 'b.test.ts', 'c.test.ts'))).toHaveLength(3);
    });
  });

  it('a static mutant recorded with the files that ran it keeps those and its covering files, fastest first', () => {
    record({
      static: ['5', '6'], staticFiles: { 5: ['test/a.test.ts', 'test/b.test.ts'] },
      durations: { 'test/a.test.ts': 900, 'test/b.test.ts': 20, 'test/c.test.ts': 5 }, files: { 5: ['test/c.test.ts'] },
    });
    jest.isolateModules(() => {
      const Fresh = require('./helpers/mutation-sequencer.js');
      const order = () => new Fresh().sort(tests('a.test.ts', 'b.test.ts', 'c.test.ts', 'd.test.ts')).map((t: { path: string }) => path.relative(root, t.path));
      process.env[ACTIVE] = '5';
      expect(order()).toEqual(['test/c.test.ts', 'test/b.test.ts', 'test/a.test.ts']);
      process.env[ACTIVE] = '6'; // static, files not recorded: every file
      expect(order()).toHaveLength(4);
    });
  });
});

describe('mutation-env.js and mutation-runner.js', () => {
  const env = (testFile: string) => new Environment(
    { projectConfig: { rootDir: root, testEnvironmentOptions: {} }, globalConfig: {} },
    { testPath: path.join(root, testFile), console, docblockPragmas: {} },
  );
  const test = (name: string, parents: string[] = []) => {
    let parent: { name: string; parent?: unknown } = { name: 'ROOT_DESCRIBE_BLOCK' };
    for (const p of parents) parent = { name: p, parent };
    return { name, parent, errors: [] as unknown[] };
  };

  it('in the dry run records, per mutant, the files whose tests covered it, and the static ones', async () => {
    delete process.env[ACTIVE];
    const e = env('test/a.test.ts');
    e.global.__stryker__ = { mutantCoverage: { perTest: { 'outer inner covers 1': { 1: 1 }, 'other file': { 2: 1 } }, static: { 3: 1 } } };
    await e.handleTestEvent({ name: 'test_start', test: test('covers 1', ['outer', 'inner']) });
    await e.teardown();
    const r = JSON.parse(fs.readFileSync(path.join(root, Environment.RECORD_FILE), 'utf8'));
    expect(r.files['1']).toEqual(['test/a.test.ts']);
    expect(r.files['2']).toBeUndefined();
    expect(r.static).toContain('3');
    expect(typeof r.durations['test/a.test.ts']).toBe('number');
  });

  it('in the dry run records which files ran each static mutant: those whose loading grew its counter (instrumenter syntax-helpers.ts cover)', async () => {
    delete process.env[ACTIVE];
    const coverage = { perTest: {}, static: {} as Record<string, number> };
    const a = env('test/a.test.ts');
    a.global.__stryker__ = { mutantCoverage: coverage };
    await a.setup();
    coverage.static[3] = 1; // a's modules load: mutant 3's code runs
    await a.teardown();
    const b = env('test/b.test.ts');
    b.global.__stryker__ = { mutantCoverage: coverage }; // one context for the whole process, as Stryker's mixin shares it
    await b.setup();
    coverage.static[4] = 1; // b runs 4 only; 3 keeps a's count
    await b.teardown();
    let r = JSON.parse(fs.readFileSync(path.join(root, Environment.RECORD_FILE), 'utf8'));
    expect(r.staticFiles['3']).toEqual(['test/a.test.ts']);
    expect(r.staticFiles['4']).toEqual(['test/b.test.ts']);
    const c = env('test/c.test.ts');
    c.global.__stryker__ = { mutantCoverage: coverage };
    await c.setup();
    coverage.static[3] = 2; // c loads the module of 3 again (its own module registry)
    await c.teardown();
    r = JSON.parse(fs.readFileSync(path.join(root, Environment.RECORD_FILE), 'utf8'));
    expect(r.staticFiles['3']).toEqual(['test/a.test.ts', 'test/c.test.ts']);
    expect(r.staticFiles['4']).toEqual(['test/b.test.ts']);
  });

  it('after a failure in a mutant\'s run, skips its later blocks and tests, and the runner loads no more files', async () => {
    process.env[ACTIVE] = '41';
    const e = env('test/a.test.ts');
    const failing = test('fails');
    failing.errors.push(new Error('x'));
    const later = { ...test('later'), mode: undefined as string | undefined };
    const block = { name: 'block', mode: undefined as string | undefined };
    await e.handleTestEvent({ name: 'test_start', test: later });
    expect(later.mode).toBeUndefined();
    expect(Environment.failed('41')).toBe(false);
    await e.handleTestEvent({ name: 'test_done', test: failing });
    expect(Environment.failed('41')).toBe(true);
    await e.handleTestEvent({ name: 'test_start', test: later });
    await e.handleTestEvent({ name: 'run_describe_start', describeBlock: block });
    expect([later.mode, block.mode]).toEqual(['skip', 'skip']);
    await e.teardown();

    const ran: string[] = [];
    const runner = new Runner({}, {});
    // jest's own runner (this file's copy of jest-runner, not the one running it), replaced by a recorder
    Object.getPrototypeOf(Runner.prototype).runTests = async (ts: Array<{ path: string }>) => { ran.push(...ts.map((t) => t.path)); };
    await runner.runTests([{ path: 'x' }, { path: 'y' }], {}, { serial: true });
    expect(ran).toEqual([]); // mutant 41 is killed already
    process.env[ACTIVE] = '42';
    await runner.runTests([{ path: 'x' }, { path: 'y' }], {}, { serial: true });
    expect(ran).toEqual(['x', 'y']);
  });
});
