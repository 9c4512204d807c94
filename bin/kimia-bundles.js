#!/usr/bin/env node
'use strict';
// --help and --version answer without loading the library (cdk8s, the CRD classes, zod).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
  process.stdout.write(`${require('../lib/src/cli/usage').USAGE}\n`);
} else if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  require('../lib/src/cli/main').main();
}
