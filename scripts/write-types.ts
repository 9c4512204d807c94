/**
 * Writes src/spec/types.ts: the build spec and config as plain TypeScript interfaces, generated
 * from the one zod schema (its JSON Schema, input and output side), with every field's
 * description and default as JSDoc. The public declarations use these, so a user's project
 * type-checks them without zod's (or any DOM) types, and an IDE shows each field's docs.
 *
 * `npm run types` regenerates it; test/public-types.test.ts fails when it is stale, and
 * src/spec/schema.ts checks at compile time that the zod types and these agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSpecTypes } from './type-gen';

const file = path.join(__dirname, '..', 'src', 'spec', 'types.ts');
fs.writeFileSync(file, generateSpecTypes());
process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
