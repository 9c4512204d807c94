/**
 * Our share of a user's synth (issue 13 item 8), part of `npm run bench`: two projects laid out by
 * `cdk8s init typescript-app` (test/helpers/stock-project.ts: the template's files, kimia-bundles
 * installed from its `npm pack` tarball, ts-node and typescript linked as the template's
 * devDependencies). One runs the template's main.ts as it is; the other the same main.ts with one
 * `KimiaBuildJob` (the README's library snippet) in its chart. Each is run the way the template's
 * cdk8s.yaml runs it, `npx ts-node main.ts` (type-checking, no cache), in alternating pairs.
 * Reports median wall time and peak RSS (`/usr/bin/time -f %M`) of both and the difference, and
 * appends them to bench/results.md.
 *
 * Environment: BENCH_USER_RUNS=9 (pairs)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStockProject, packPackage, readmeLibrarySnippet, templateMainTs, type StockProject } from '../test/helpers/stock-project';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_USER_RUNS ?? 9);
const TARGET_MS = 500;

/** The template's main.ts with the README snippet's KimiaBuildJob in its chart. */
export function mainWithJob(): string {
  const snippet = readmeLibrarySnippet();
  const m = /^new KimiaBuildJob\(chart, [\s\S]*?^\}\);$/m.exec(snippet);
  if (!m) throw new Error('README library snippet: no `new KimiaBuildJob(chart, …);` statement');
  const job = m[0].replace(/^new KimiaBuildJob\(chart, /, 'new KimiaBuildJob(this, ').split('\n').map((l) => `    ${l}`).join('\n');
  const base = templateMainTs();
  const out = base
    .replace(/^(import \{[^}]*\} from 'cdk8s';)$/m, `$1\nimport { KimiaBuildJob } from 'kimia-bundles';`)
    .replace(/^ *\/\/ define resources here$/m, job);
  if (out === base || !out.includes('kimia-bundles') || !out.includes('new KimiaBuildJob(this')) throw new Error('template main.ts: no place for the job');
  return out;
}

interface Sample { readonly ms: number; readonly rssMb: number }

function runOnce(project: StockProject): Sample {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'npx', 'ts-node', 'main.ts'], {
    cwd: project.dir, encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', CDK8S_CHECK_UPGRADE: 'false' },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`npx ts-node main.ts (in ${project.dir}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  const kb = Number(lines[lines.length - 1]);
  if (!Number.isFinite(kb)) throw new Error(`/usr/bin/time: no peak RSS in ${r.stderr}`);
  return { ms, rssMb: kb / 1024 };
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}
const fmt = (x: { median: number; min: number; max: number }, unit = 'ms') => `${x.median.toFixed(0)} ${unit} (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;

export function benchUserSynth(): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-bench-user-'));
  const projects: StockProject[] = [];
  try {
    process.stderr.write('bench: packing kimia-bundles for the user-synth projects\n');
    const packed = packPackage(work);
    const without = createStockProject({ mainTs: templateMainTs(), tsNode: true, packed });
    projects.push(without);
    const withJob = createStockProject({ mainTs: mainWithJob(), tsNode: true, packed });
    projects.push(withJob);
    // One warm-up of each (the disk cache), not counted; it also checks both apps synthesize.
    runOnce(without);
    runOnce(withJob);
    if (!fs.readdirSync(path.join(withJob.dir, 'dist')).some((f) => /\.k8s\.yaml$/.test(f) && /kind: Job/.test(fs.readFileSync(path.join(withJob.dir, 'dist', f), 'utf8')))) {
      throw new Error('the app with a KimiaBuildJob wrote no Job');
    }
    const a: Sample[] = [], b: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      process.stderr.write(`bench: user synth, pair ${i + 1}/${RUNS}\n`);
      // Alternate which goes first, so drift within a pair falls on both sides.
      if (i % 2 === 0) { a.push(runOnce(without)); b.push(runOnce(withJob)); } else { b.push(runOnce(withJob)); a.push(runOnce(without)); }
    }
    const wa = stats(a.map((s) => s.ms)), wb = stats(b.map((s) => s.ms));
    const ra = stats(a.map((s) => s.rssMb)), rb = stats(b.map((s) => s.rssMb));
    const dt = stats(b.map((s, i) => s.ms - a[i].ms));
    const dr = stats(b.map((s, i) => s.rssMb - a[i].rssMb));
    const report = [
      `### Our share of a user's synth · ${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores · Node ${process.version} · ${RUNS} pairs`,
      '',
      'A project laid out by `cdk8s init typescript-app` with the packed package installed, run as its cdk8s.yaml says (`npx ts-node main.ts`, type-checked): the template\'s main.ts, and the same with the README\'s `KimiaBuildJob` in its chart.',
      '',
      '| app | wall | peak RSS |',
      '|---|---|---|',
      `| template main.ts | ${fmt(wa)} | ${fmt(ra, 'MB')} |`,
      `| + one KimiaBuildJob | ${fmt(wb)} | ${fmt(rb, 'MB')} |`,
      `| difference (pair by pair) | ${dt.median >= 0 ? '+' : ''}${fmt(dt)} | ${dr.median >= 0 ? '+' : ''}${fmt(dr, 'MB')} |`,
      '',
      `- ${dt.median <= TARGET_MS ? 'met' : 'NOT met'}: one KimiaBuildJob adds at most +${TARGET_MS / 1000} s to a user's \`ts-node\` synth (+${(dt.median / 1000).toFixed(2)} s, +${dr.median.toFixed(0)} MB)`,
      '',
    ].join('\n');
    return report;
  } finally {
    for (const p of projects) p.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const report = benchUserSynth();
  fs.appendFileSync(path.join(ROOT, 'bench', 'results.md'), `${report}\n`);
  process.stdout.write(report);
}
