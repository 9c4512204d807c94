// The jest test runner `npm run mutation` uses (jest.mutation.config.js): jest's own (jest-runner
// 29), except that in a Stryker mutant run it stops loading test files once a test has failed:
// the mutant is killed, and the files still queued could only confirm it. (Stryker turns jest's
// `bail` off because bail exits the process; jest-override-options.js.) mutation-env.js notes the
// failure; the files left out have no result, which Stryker does not need for a killed mutant.
const JestRunner = require('jest-runner').default;
const { failed } = require('./mutation-env.js');

class MutationRunner extends JestRunner {
  async runTests(tests, watcher, options) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined || !options.serial) return super.runTests(tests, watcher, options);
    for (const test of tests) {
      if (failed(mutant)) return;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = MutationRunner;
