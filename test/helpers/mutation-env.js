// The jest environment `npm run mutation` runs the suites in (jest.mutation.config.js). With
// mutation-sequencer.js and mutation-runner.js it makes a mutant's run load only the test files
// that cover it, fastest first, and stop at its first failing test.
//
// Why: with jest, Stryker runs every mutant as `jest --testNamePattern '(covering test)|(…)'` over
// all test files, in band (@stryker-mutator/jest-runner 9.6 jest-test-adapter.js: `_` is empty
// unless findRelatedTests, `runInBand: true`), and runs every covering test even after one has
// failed (jest-override-options.js: "Bail isn't supported programmatically in jest"). So each
// mutant paid for loading all ~37 suites and running all of its covering tests; Argo mutants ran at
// about 5 a minute.
//
// Dry run (no __STRYKER_ACTIVE_MUTANT__ yet): this environment notes the full names of its file's
// tests and, at teardown, reads which mutants each covered from Stryker's per-test coverage (the
// `__stryker__` global Stryker's mixin puts on this environment, mixin-jest-environment.cjs:
// mutantCoverage.perTest[fullName][mutantId]; mutantCoverage.static for code run while a file
// loads). It writes RECORD_FILE in the sandbox: mutant id -> covering test files, the static
// mutants with the files whose loading ran them, and each file's time. The sequencer reads it in
// the mutant runs. Static coverage is one counter per mutant for the whole process
// (@stryker-mutator/instrumenter syntax-helpers.ts `cover`: `c[id] = (c[id] || 0) + 1` on
// mutantCoverage.static when no test is current), so a file ran a static mutant when its counter
// grew between this environment's setup and teardown. Only such a file can tell a static mutant
// from the original: every test file has its own module registry, so a module another file loaded
// is not this file's.
//
// Mutant run: once a test or hook has failed, the mutant is killed, so every later describe block
// and test of that run is skipped (jest-circus run.js reads `mode` after dispatching
// run_describe_start and test_start to the environment). Stryker records the first failing test
// as the killer, as it does for runners that bail.
const fs = require('node:fs');
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

const RECORD_FILE = '.stryker-files-by-mutant.json';
// Kept across test files: a Stryker test runner runs them all in its one process.
/** mutant id -> test files (relative to rootDir). */
const byMutant = new Map();
const staticMutants = new Set();
/** static mutant id -> the test files whose loading (or hooks) ran it. */
const staticFiles = new Map();
/** test file -> milliseconds in the dry run. */
const durations = new Map();
/** The mutant whose run has had a failure already. */
let killed;

function fullName(test) {
  const parts = [];
  for (let block = test.parent; block && block.parent; block = block.parent) parts.unshift(block.name);
  return [...parts, test.name].join(' ').trimStart();
}

class MutationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testFile = path.relative(this.rootDir, context.testPath).split(path.sep).join('/');
    this.mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    this.testNames = new Set();
    this.started = Date.now();
    /** Static coverage counters before this file loads (see the header); setup() reads them. */
    this.staticBefore = {};
  }

  async setup() {
    await super.setup();
    const context = this.global.__stryker__;
    this.staticBefore = { ...(context && context.mutantCoverage ? context.mutantCoverage.static : {}) };
  }

  async handleTestEvent(event) {
    if (this.mutant === undefined) {
      if (event.name === 'test_start') this.testNames.add(fullName(event.test));
      return;
    }
    if (killed === this.mutant) {
      if (event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
      if (event.name === 'test_start') event.test.mode = 'skip';
    } else if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') {
      killed = this.mutant;
    }
  }

  async teardown() {
    const context = this.global.__stryker__;
    if (this.mutant === undefined && context && context.mutantCoverage) {
      const { perTest = {}, static: atLoad = {} } = context.mutantCoverage;
      for (const name of this.testNames) {
        for (const id of Object.keys(perTest[name] ?? {})) {
          if (!byMutant.has(id)) byMutant.set(id, new Set());
          byMutant.get(id).add(this.testFile);
        }
      }
      for (const [id, count] of Object.entries(atLoad)) {
        staticMutants.add(id);
        if (count > (this.staticBefore[id] ?? 0)) {
          if (!staticFiles.has(id)) staticFiles.set(id, new Set());
          staticFiles.get(id).add(this.testFile);
        }
      }
      durations.set(this.testFile, Date.now() - this.started);
      const record = {
        static: [...staticMutants].sort(),
        staticFiles: Object.fromEntries([...staticFiles].map(([id, files]) => [id, [...files].sort()])),
        durations: Object.fromEntries([...durations].sort()),
        files: Object.fromEntries([...byMutant].map(([id, files]) => [id, [...files].sort()])),
      };
      fs.writeFileSync(path.join(this.rootDir, RECORD_FILE), JSON.stringify(record));
    }
    await super.teardown();
  }
}

module.exports = MutationEnvironment;
module.exports.RECORD_FILE = RECORD_FILE;
/** Whether a test or hook has failed in `mutant`'s run (mutation-runner.js then loads no more files). */
module.exports.failed = (mutant) => killed === mutant;
