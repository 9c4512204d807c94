#!/usr/bin/env node
'use strict';
// --help, `<command> --help` and --version answer without loading the library (cdk8s, the CRD
// classes, zod). Anything else, including the registry commands' help, goes through main.
const args = process.argv.slice(2);
const help = (a) => a === '--help' || a === '-h';
if (args.length === 1 && help(args[0])) {
  process.stdout.write(`${require('../lib/src/cli/usage').USAGE}\n`);
} else if (args.length === 2 && help(args[1]) && Object.hasOwn(require('../lib/src/cli/usage').COMMAND_USAGE, args[0])) {
  process.stdout.write(`${require('../lib/src/cli/usage').COMMAND_USAGE[args[0]]}\n`);
} else if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  require('../lib/src/cli/main').main();
}
