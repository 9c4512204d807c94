/** Writes schema/kimia-bundles.schema.json, the config file's JSON Schema (draft-07), from the zod schema. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../src/spec';

const file = path.join(__dirname, '..', 'schema', 'kimia-bundles.schema.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
