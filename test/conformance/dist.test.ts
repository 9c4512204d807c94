/**
 * Issue 11: every kimia container in dist/ (every kept release too) runs through the real kimia
 * 1.0.25 in an emulated pod, the way its engine runs it (extract.ts), and what the spec in
 * examples/kimia-bundles.yaml asks for must reach BuildKit/Buildah, cosign and the published
 * results (checks.ts). Helper containers (git, cosign, crane) run with their fakes.
 */
import * as path from 'node:path';
import { loadConfig } from '../../src/spec';
import { kimiaBinary } from './kimia-binary';
import { describeConformance } from './pod';
import { readTree, removeHostDirs, sources } from './extract';
import { counts, defineSource, FAKES, notRun } from './suite';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const config = loadConfig(path.join(ROOT, 'examples', 'kimia-bundles.yaml'));
const spec = (name: string) => {
  const b = config.builds.find((x) => x.name === name);
  if (!b) throw new Error(`no build ${name} in examples/kimia-bundles.yaml`);
  return b;
};
const DOCKERFILE = 'FROM alpine:3.20\nCOPY . /app\n';

describeConformance('dist/: every emitted kimia container through the real kimia', () => {
  beforeAll(() => { kimiaBinary(); }, 600_000);
  afterAll(() => {
    removeHostDirs();
    process.stdout.write(`conformance dist/: containers run per source:\n${Object.entries(counts).map(([k, v]) => `  ${v}  ${k}`).join('\n')}\n`
      + `not run:\n${notRun.map((n) => `  - ${n}`).join('\n') || '  (none)'}\n`);
  });
  for (const src of sources(readTree(path.join(ROOT, 'dist')))) {
    defineSource(src, {
      spec,
      planOptions: (s) => {
        const b = spec(s.build);
        const df = `${b.contextSubPath && !b.contextSubPath.includes('$') ? `${b.contextSubPath}/` : ''}${b.dockerfile && !b.dockerfile.includes('$') ? b.dockerfile : 'Dockerfile'}`;
        return { files: () => ({ [df]: DOCKERFILE }), fakes: FAKES };
      },
    });
  }
});
