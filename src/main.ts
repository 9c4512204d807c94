/**
 * The cdk8s app (`npx cdk8s synth`, see cdk8s.yaml): renders the bundled example config.
 *
 * - `dist/` gets the versioned bundle, written atomically (a failure leaves it intact);
 * - the cdk8s output directory (cdk8s.yaml `output`, here cdk8s.out/) gets cdk8s's own
 *   one-file-per-chart synth output of the same charts.
 * Environment: KIMIA_BUNDLES_CONFIG (default examples/kimia-bundles.yaml), KIMIA_BUNDLES_OUT (default dist).
 */
import * as path from 'node:path';
import { App } from 'cdk8s';
import { formatIssue, loadConfig, SpecError } from './spec';
import { BundleWriteError, lockPathFor, OutputRefusedError, synthesize } from './bundle';
import { BundleValidationError } from './validate';

const root = path.resolve(__dirname, __dirname.includes(`${path.sep}lib${path.sep}`) ? '../..' : '..');
const configFile = process.env.KIMIA_BUNDLES_CONFIG ?? path.join(root, 'examples', 'kimia-bundles.yaml');
const outDir = process.env.KIMIA_BUNDLES_OUT ?? path.join(root, 'dist');

try {
  const app = new App();
  const { files } = synthesize(loadConfig(configFile), { scope: app, outDir, lockFile: lockPathFor(configFile), protect: [configFile] });
  app.synth();
  process.stderr.write(`kimia-bundles: wrote ${files.size} files to ${path.relative(process.cwd(), outDir) || '.'}\n`);
} catch (e) {
  if (e instanceof BundleWriteError) {
    process.stderr.write(`kimia-bundles: ${e.message}\n`);
    process.exit(1);
  }
  if (e instanceof OutputRefusedError) {
    process.stderr.write(`kimia-bundles: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof BundleValidationError) {
    process.stderr.write(`${e.message.split('\n').map((l) => `invalid output: ${l}`).join('\n')}\n`);
    process.exit(2);
  }
  if (!(e instanceof SpecError)) throw e;
  for (const issue of e.issues) process.stderr.write(`${formatIssue(issue, e.file ?? path.relative(process.cwd(), configFile))}\n`);
  process.exit(2);
}
