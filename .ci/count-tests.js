// Reads jest's --json report and prints "passed failed skipped unlisted-skips".
// A suite that failed to load reports no tests: each `it(`/`test(` in its file counts as failed.
// Skipped, pending and todo tests are listed; those the allowlist does not name are counted.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [reportFile, allowFile] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const allow = new Set((fs.existsSync(allowFile) ? fs.readFileSync(allowFile, 'utf8') : '').split('\n')
  .map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean));
let passed = 0, failed = 0, skipped = 0, unlisted = 0;
for (const suite of report.testResults) {
  const file = path.relative(process.cwd(), suite.name);
  if (suite.status === 'failed' && suite.assertionResults.length === 0) {
    const text = fs.existsSync(suite.name) ? fs.readFileSync(suite.name, 'utf8') : '';
    const n = Math.max(1, (text.match(/\b(it|test)(\.each\([^)]*\))?\(/g) || []).length);
    failed += n;
    process.stderr.write(`::: FAILED to load: ${file} (${n} tests counted as failed): ${String(suite.message).split('\n').find((l) => l.trim()) || ''}\n`);
    continue;
  }
  for (const t of suite.assertionResults) {
    if (t.status === 'passed') passed++;
    else if (t.status === 'failed') failed++;
    else {
      skipped++;
      const name = `${file} > ${t.fullName}`;
      if (!allow.has(name)) { unlisted++; process.stderr.write(`::: SKIPPED, not in .ci/skip-allowlist: ${name}\n`); }
    }
  }
}
process.stdout.write(`${passed} ${failed} ${skipped} ${unlisted}\n`);
