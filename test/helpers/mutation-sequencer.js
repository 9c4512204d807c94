// The test sequencer `npm run mutation` uses (jest.mutation.config.js). In a Stryker mutant run it
// keeps only the test files that hold a test covering the active mutant, as mutation-env.js
// recorded them in the dry run, fastest first (so that the run, which stops at its first failure,
// gets there soon). Jest then runs, in those files, the tests Stryker's --testNamePattern names:
// the same tests as without this sequencer, minus the loading of the other files.
// A `--static` mutant (code run while files load) keeps the files whose loading ran it and those
// holding a test that covered it (mutation-env.js records both), fastest first too.
// Everything else runs every file in jest's own order: the dry run, a mutant the record does not
// know, a static one recorded without its files, and any run before the record exists.
// Jest 29 runs what sort() returns (@jest/core runJest.js: `allTests = await sequencer.sort(allTests)`).
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { RECORD_FILE } = require('./mutation-env.js');

let record;

class MutationSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined || tests.length === 0) return sorted;
    const rootDir = tests[0].context.config.rootDir;
    if (!record) {
      const file = path.join(rootDir, RECORD_FILE);
      if (!fs.existsSync(file)) return sorted;
      const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      record = { static: new Set(raw.static), staticFiles: raw.staticFiles ?? {}, files: raw.files, durations: raw.durations };
    }
    const files = record.static.has(mutant)
      ? record.staticFiles[mutant] && [...record.staticFiles[mutant], ...(record.files[mutant] ?? [])]
      : record.files[mutant];
    if (!files) return sorted;
    const rel = (t) => path.relative(rootDir, t.path).split(path.sep).join('/');
    const time = (t) => record.durations[rel(t)] ?? Infinity;
    const keep = new Set(files);
    return sorted.filter((t) => keep.has(rel(t))).sort((a, b) => time(a) - time(b) || (rel(a) < rel(b) ? -1 : 1));
  }
}

module.exports = MutationSequencer;
