#!/usr/bin/env node
// npm run build (and `prepare`, so npm publish): compiles src/ and imports/ with
// tsconfig.build.json into a fresh directory and only then replaces lib/ with it, so lib/ never
// holds output of a source that no longer exists (npm pack ships all of lib/src) and is never
// half-written while something runs from it. On a compile error lib/ is left as it was.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lib = path.join(root, 'lib');
const next = path.join(root, '.lib.build');
const old = path.join(root, '.lib.old');
fs.rmSync(next, { recursive: true, force: true });
const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', next], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
fs.rmSync(old, { recursive: true, force: true });
if (fs.existsSync(lib)) fs.renameSync(lib, old);
fs.renameSync(next, lib);
fs.rmSync(old, { recursive: true, force: true });
