#!/usr/bin/env node
// Regenerates imports/ from the upstream CRDs in ../shared/crds with `cdk8s import`, offline.
//
// - Tekton CRDs serve v1beta1 and v1; cdk8s import gives the unsuffixed class to the FIRST
//   listed version (v1beta1). We only emit tekton.dev/v1, so the script keeps only the v1
//   version before importing: `Task`/`Pipeline` are then v1 and the file is half the size.
// - `k8s` is never imported: it needs the internet; cdk8s-plus-28 ships the core types.
// Usage: npm run import            regenerate imports/
//        node scripts/import-crds.js --check   exit 1 if imports/ differs from a fresh import
// CRDS_DIR overrides ../shared/crds.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const crds = path.resolve(process.env.CRDS_DIR || path.join(root, '..', 'shared', 'crds'));
const imports = path.join(root, 'imports');
const check = process.argv.includes('--check');

/** name -> [crd file, versions to keep] */
const IMPORTS = [
  ['tekton-task', 'tekton/300-task.yaml', ['v1']],
  ['tekton-pipeline', 'tekton/300-pipeline.yaml', ['v1']],
  ['argo-workflowtemplate', 'argo/argoproj.io_workflowtemplates.yaml', null],
  ['argo-clusterworkflowtemplate', 'argo/argoproj.io_clusterworkflowtemplates.yaml', null],
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-import-'));
const out = check ? path.join(tmp, 'out') : imports;
const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
try {
  fs.mkdirSync(out, { recursive: true });
  for (const [name, file, keep] of IMPORTS) {
    const src = path.join(crds, file);
    if (!fs.existsSync(src)) {
      console.error(`import: missing CRD ${src} (set CRDS_DIR)`);
      process.exit(2);
    }
    const crd = YAML.parse(fs.readFileSync(src, 'utf8'));
    if (keep) crd.spec.versions = crd.spec.versions.filter((v) => keep.includes(v.name));
    const input = path.join(tmp, path.basename(file));
    fs.writeFileSync(input, YAML.stringify(crd));
    const started = Date.now();
    execFileSync(process.execPath, [cli, 'import', `${name}:=${input}`, '--language', 'typescript',
      '--output', out, '--no-save', '--no-check-upgrade'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmp,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    console.error(`import: ${name} from ${file} (${Date.now() - started} ms)`);
  }
  if (check) {
    const list = (d) => (fs.existsSync(d) ? fs.readdirSync(d).sort() : []);
    const stale = [...new Set([...list(out), ...list(imports)])].filter((f) => {
      const a = path.join(out, f);
      const b = path.join(imports, f);
      return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
    });
    if (stale.length) {
      console.error(`import: imports/ is out of date (${stale.join(', ')}): run npm run import`);
      process.exitCode = 1;
    } else console.error('import: imports/ is up to date');
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
