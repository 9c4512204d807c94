// The jest configuration `npm run mutation` (Stryker) runs the mutants against: the project's own
// configuration minus
// - the suites that exercise only other folders through child processes (packaging, the OCI client
//   and registry, output swaps under strace): Stryker's per-test coverage cannot see into a child
//   process, so they could kill nothing in the mutated folders;
// - the suites that render while they load, to build their test cases (it.each over rendered
//   files): code run then is covered by no test, so every mutant in it would be "static" and run
//   the whole suite (about a minute each). They still run in `npm test`; the score is measured
//   without them, so it is a lower bound.
// Three helpers make a mutant's run load only the test files that cover it and stop at its first
// failure (see their headers): test/helpers/mutation-env.js records the files in Stryker's dry run
// and notes failures, mutation-sequencer.js keeps the files, mutation-runner.js stops loading them.
const path = require('node:path');
const base = require('./package.json').jest;

module.exports = {
  ...base,
  testEnvironment: path.join(__dirname, 'test/helpers/mutation-env.js'),
  testSequencer: path.join(__dirname, 'test/helpers/mutation-sequencer.js'),
  runner: path.join(__dirname, 'test/helpers/mutation-runner.js'),
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/stock-project', // npm pack + a cdk8s init project (package layout)
    '/test/package\\.test', // npm pack contents
    '/test/lazy-load\\.test', // module loading, measured in a child node
    '/test/oci-', // src/oci (not a mutated folder)
    '/test/faults\\.test', // src/output swaps under strace
    '/test/output-faults\\.test',
    '/test/cli-options\\.test', // src/cli option tables; its bin tests need lib/, which the sandbox leaves out
    '/test/mutation-tooling\\.test', // tests the three helpers named above, and sets Stryker's active-mutant variable
    // Cases built from rendered output at load:
    '/test/conformance/(matrix|dist|scripts)\\.test',
    '/test/argo-conformance\\.test',
    '/test/hostile-fields\\.test',
    '/test/catalog-runner\\.test',
    '/test/images\\.test',
  ],
};
