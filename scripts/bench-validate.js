#!/usr/bin/env node
// Prints what structural validation costs: per generated validator the time to require() it, the
// first validation, and the mean time per document afterwards (valid and invalid documents).
//
// Usage: node scripts/bench-validate.js [FILE.yaml...]   also time the documents of these files
// (e.g. dist/**/*.yaml). ITERATIONS=n changes the number of timed validations (default 2000).
// The generated .ts modules are transpiled (untimed) into node_modules/.cache/bench-validate/
// first, so the timings are those of the compiled JavaScript in lib/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src', 'validate');
const outDir = path.join(root, 'node_modules', '.cache', 'bench-validate');
const iterations = Number(process.env.ITERATIONS || 2000);

function transpile(from, to) {
  const out = ts.transpileModule(fs.readFileSync(from, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: from,
  });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, out.outputText);
}

fs.rmSync(outDir, { recursive: true, force: true });
for (const f of fs.readdirSync(path.join(srcDir, 'generated')).filter((f) => f.endsWith('.ts'))) {
  transpile(path.join(srcDir, 'generated', f), path.join(outDir, 'generated', f.replace(/\.ts$/, '.js')));
}
transpile(path.join(srcDir, 'structure.ts'), path.join(outDir, 'structure.js'));

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const kb = (f) => `${(fs.statSync(f).size / 1024).toFixed(0)} KiB`;

const SAMPLES = {
  'tekton.dev/v1 Task': {
    apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
    spec: {
      params: [{ name: 'IMAGE', type: 'string' }],
      steps: [{ name: 'build', image: 'ghcr.io/rapidfort/kimia:1.0.25', args: ['--destination=$(params.IMAGE)'] }],
    },
  },
  'tekton.dev/v1 Pipeline': {
    apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' },
    spec: { params: [{ name: 'IMAGE', type: 'string' }], tasks: [{ name: 'build', taskRef: { name: 't' } }] },
  },
  'argoproj.io/v1alpha1 WorkflowTemplate': {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'ghcr.io/rapidfort/kimia:1.0.25' } }] },
  },
  'argoproj.io/v1alpha1 ClusterWorkflowTemplate': {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: { name: 'w' },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'ghcr.io/rapidfort/kimia:1.0.25' } }] },
  },
};

/** A copy of `doc` with an unknown field in the spec, which every schema rejects. */
const broken = (doc) => ({ ...doc, spec: { ...doc.spec, bogus: 1 } });

function time(validateStructure, doc) {
  const t0 = process.hrtime.bigint();
  let issues;
  for (let i = 0; i < iterations; i++) issues = validateStructure(doc);
  return [ms(t0) / iterations, issues.length];
}

const { LOADERS } = require(path.join(outDir, 'generated', 'index.js'));
const t0 = process.hrtime.bigint();
const { validateStructure } = require(path.join(outDir, 'structure.js'));
console.log(`require structure.js (no validator yet): ${ms(t0).toFixed(1)} ms; ${iterations} iterations per mean`);
for (const key of Object.keys(LOADERS)) {
  const mod = /require\('\.\/([^']+)'\)/.exec(LOADERS[key].toString())?.[1];
  const file = path.join(outDir, 'generated', `${mod}.js`);
  const src = path.join(srcDir, 'generated', `${mod}.ts`);
  const doc = SAMPLES[key];
  const loadStart = process.hrtime.bigint();
  LOADERS[key]();
  const load = ms(loadStart);
  const firstStart = process.hrtime.bigint();
  const firstIssues = validateStructure(doc);
  const first = ms(firstStart);
  if (firstIssues.length) throw new Error(`${key}: sample is invalid: ${JSON.stringify(firstIssues)}`);
  const [valid] = time(validateStructure, doc);
  const [invalid, n] = time(validateStructure, broken(doc));
  console.log(`${key}: ${mod}.ts ${kb(src)}, .js ${kb(file)}; require ${load.toFixed(1)} ms, ` +
    `first validation ${first.toFixed(2)} ms, then ${(valid * 1000).toFixed(1)} µs/valid doc, ` +
    `${(invalid * 1000).toFixed(1)} µs/invalid doc (${n} issue)`);
}

for (const file of process.argv.slice(2)) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d);
  const t1 = process.hrtime.bigint();
  let count = 0;
  for (let i = 0; i < iterations; i++) for (const d of docs) count += validateStructure(d).length;
  console.log(`${path.relative(process.cwd(), file)}: ${docs.length} document(s), ` +
    `${((ms(t1) / iterations / Math.max(docs.length, 1)) * 1000).toFixed(1)} µs/doc, ${count / iterations} issue(s)`);
}
