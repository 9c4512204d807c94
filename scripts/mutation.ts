/**
 * Mutation testing with Stryker (issue 15 item 1), one folder of src/ at a time:
 *
 *   npm run mutation [-- FOLDER|FOLDER/FILE.ts ...] [--static] [--force] [--report-only] [--check]
 *   (default folders: job bundle argo tekton validate spec)
 *
 * A FOLDER/FILE.ts argument mutates that file only (several may be given; one Stryker run per
 * folder): its results replace that file's in the folder's incremental file, the other files' stay.
 * A folder is measured a few files at a time that way when a whole run would take hours.
 *
 * Each folder runs `stryker run` (stryker.config.json: jest runner on jest.mutation.config.js, the
 * TypeScript checker, per-test coverage) with `--mutate src/<folder>/**` and its own incremental
 * file, reports/mutation/<folder>.incremental.json (committed): a run re-tests only the mutants
 * whose code or covering tests changed since the recorded one. The folder's JSON report is kept as
 * reports/mutation/<folder>.json (not committed; the incremental file holds the same results).
 *
 * Static mutants (code a test file runs while it loads, e.g. a spec parsed or rendered in a
 * `describe` body: Stryker cannot tell which tests cover them, so it runs every test for each) are
 * left out unless `--static` is given, and counted apart in the report. With `--static`, the jest
 * helpers load only the files whose loading ran the mutant (and those with a test covering it),
 * fastest first, to the first failure: quick when one kills it, about a minute when it survives
 * a module every suite imports.
 *
 * Then reports/MUTATION.md gets a dated section appended: the score per folder (Stryker's: killed
 * and timed-out mutants over all valid ones; `Stryker disable` comments, each with its reason,
 * count as ignored) and every surviving mutant, for triage. With --report-only nothing is run and
 * the section is written from the incremental files as they are.
 *
 * `--force` re-tests every mutant in scope instead of reusing recorded results (Stryker's --force):
 * a "Survived" recorded before the tests that kill it existed can otherwise be kept.
 *
 * `--check` exits 1 when a folder scores below the target (85%).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'reports', 'mutation');
const REPORT = path.join(ROOT, 'reports', 'MUTATION.md');
const DEFAULT_FOLDERS = ['job', 'bundle', 'argo', 'tekton', 'validate', 'spec'];
const TARGET = 85;
/** stryker.config.json with the checker's tsconfig for one run, and that tsconfig (both gitignored). */
const RUN_CONFIG = path.join(ROOT, '.stryker-run.config.json');
const RUN_TSCONFIG = path.join(ROOT, '.stryker-run.tsconfig.json');

type Status = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: Status;
  statusReason?: string;
  location: { start: { line: number; column: number } };
}
interface Report { files: Record<string, { source: string; mutants: Mutant[] }> }

const args = process.argv.slice(2);
const reportOnly = args.includes('--report-only');
const check = args.includes('--check');
const withStatic = args.includes('--static');
const force = args.includes('--force');
const targets = args.filter((a) => !a.startsWith('--'));
/** Folder -> the files of it to mutate (relative to the repository), or undefined for all of them. */
const scope = new Map<string, string[] | undefined>();
for (const t of targets) {
  const [f, ...rest] = t.replace(/^src\//, '').split('/');
  const file = rest.length ? path.posix.join('src', f, ...rest) : undefined;
  if (!fs.existsSync(path.join(ROOT, 'src', f)) || !fs.statSync(path.join(ROOT, 'src', f)).isDirectory()) {
    process.stderr.write(`mutation: no folder src/${f} (folders: ${fs.readdirSync(path.join(ROOT, 'src')).filter((d) => fs.statSync(path.join(ROOT, 'src', d)).isDirectory()).join(', ')})\n`);
    process.exit(2);
  }
  if (file && (!file.endsWith('.ts') || !fs.existsSync(path.join(ROOT, file)))) {
    process.stderr.write(`mutation: no file ${file}\n`);
    process.exit(2);
  }
  if (!file) scope.set(f, undefined);
  else if (!scope.has(f) || scope.get(f)) scope.set(f, [...(scope.get(f) ?? []), file]);
}
const selected = scope.size ? [...scope.keys()] : DEFAULT_FOLDERS;
fs.mkdirSync(DIR, { recursive: true });

interface TestDef { id: string; name: string; [k: string]: unknown }
interface Incremental {
  files: Record<string, { source: string; mutants: Array<Mutant & { coveredBy?: string[]; killedBy?: string[] }> }>;
  testFiles?: Record<string, { tests: TestDef[]; [k: string]: unknown }>;
  [k: string]: unknown;
}
/**
 * The folder's results after a run over some of its files: the run's report, plus the earlier
 * results of the files it did not mutate. Test ids are per report, so the earlier mutants' tests
 * are looked up by file and name in the run's report (and added to it when a test is gone).
 */
function mergeIncremental(old: Incremental, fresh: Incremental, mutated: ReadonlySet<string>): Incremental {
  const testFiles: NonNullable<Incremental['testFiles']> = JSON.parse(JSON.stringify(fresh.testFiles ?? {}));
  const idByKey = new Map<string, string>();
  let next = 0;
  for (const [f, tf] of Object.entries(testFiles)) for (const t of tf.tests) { idByKey.set(`${f}\0${t.name}`, t.id); next = Math.max(next, Number(t.id) + 1); }
  const oldTests = new Map<string, { file: string; test: TestDef }>();
  for (const [file, tf] of Object.entries(old.testFiles ?? {})) for (const test of tf.tests) oldTests.set(test.id, { file, test });
  const remap = (id: string): string[] => {
    const t = oldTests.get(id);
    if (!t) return [];
    const key = `${t.file}\0${t.test.name}`;
    let nid = idByKey.get(key);
    if (nid === undefined) {
      nid = String(next++);
      idByKey.set(key, nid);
      (testFiles[t.file] ??= { tests: [] }).tests.push({ ...t.test, id: nid });
    }
    return [nid];
  };
  const files = { ...fresh.files };
  for (const [name, entry] of Object.entries(old.files)) {
    if (mutated.has(name) || Object.hasOwn(files, name)) continue;
    files[name] = {
      ...entry,
      mutants: entry.mutants.map((m) => ({
        ...m,
        ...(m.coveredBy ? { coveredBy: m.coveredBy.flatMap(remap) } : {}),
        ...(m.killedBy ? { killedBy: m.killedBy.flatMap(remap) } : {}),
      })),
    };
  }
  return { ...fresh, files, testFiles };
}

/**
 * Strips this machine's paths from the committed incremental file: Stryker keeps each killing test's
 * stack trace (statusReason), with the sandbox, node_modules and checkout paths of the run.
 * Idempotent; the report-only pass applies it too.
 */
function sanitize(file: string): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const clean = text
    .replace(/\/[^\s"'()]*?\/\.stryker-tmp\/sandbox-[A-Za-z0-9_-]+\//g, '')
    .replace(/\/[^\s"'()\\]*?\/\.stryker-tmp\/sandbox-[A-Za-z0-9_-]+/g, '.')
    .replace(/\/[^\s"'()]*?\/node_modules\//g, 'node_modules/')
    .split(`${path.resolve(ROOT, '..', 'shared')}/`).join('../shared/')
    .split(`${ROOT}/`).join('')
    .replace(/"projectRoot":(\s*)"[^"]*"/, '"projectRoot":$1"."');
  if (clean !== text) fs.writeFileSync(file, clean);
}

// The tests read ../shared (test/helpers/shared.ts; the conformance suites build the real kimia from it): say where, since Stryker runs them in a copy of the tree.
const env = { ...process.env, KIMIA_SHARED: process.env.KIMIA_SHARED ?? path.resolve(ROOT, '..', 'shared'), CDK8S_CHECK_UPGRADE: 'false' };

if (!reportOnly) {
  for (const f of selected) {
    const started = Date.now();
    const files = scope.get(f);
    const incremental = path.join(DIR, `${f}.incremental.json`);
    const before = files && fs.existsSync(incremental) ? JSON.parse(fs.readFileSync(incremental, 'utf8')) as Incremental : undefined;
    process.stderr.write(`mutation: ${files ? files.join(', ') : `src/${f}`} …\n`);
    // The files to mutate (generated validators and the generated spec types left out), which are also
    // the TypeScript checker's program with what they import, not the whole project.
    // With all of it, each mutant re-checked every file importing its file (for argo/template.ts most
    // of src/), and the checkers took as much CPU as the test runners. The cost: a mutant whose only
    // type error is in a caller in another file is run rather than counted as a compile error.
    const mutatedFiles = files ?? fs.readdirSync(path.join(ROOT, 'src', f), { recursive: true, encoding: 'utf8' })
      .filter((n) => n.endsWith('.ts') && !n.startsWith('generated') && !(f === 'spec' && n === 'types.ts')).map((n) => path.posix.join('src', f, n.split(path.sep).join('/'))).sort();
    fs.writeFileSync(RUN_TSCONFIG, `${JSON.stringify({ extends: './tsconfig.build.json', include: [], files: mutatedFiles }, null, 2)}\n`);
    fs.writeFileSync(RUN_CONFIG, `${JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8')), tsconfigFile: path.basename(RUN_TSCONFIG) }, null, 2)}\n`);
    const r = spawnSync('npx', [
      'stryker', 'run', path.basename(RUN_CONFIG),
      ...(withStatic ? [] : ['--ignoreStatic']),
      ...(force ? ['--force'] : []),
      '--mutate', mutatedFiles.join(','),
      '--incrementalFile', path.relative(ROOT, incremental),
    ], { cwd: ROOT, env, stdio: 'inherit' });
    for (const tmp of [RUN_CONFIG, RUN_TSCONFIG]) fs.rmSync(tmp, { force: true });
    if (r.status !== 0) {
      // Stryker writes the incremental file only at the end: a failed run leaves the earlier results.
      process.stderr.write(`mutation: stryker failed on src/${f} (exit ${r.status ?? r.signal})\n`);
      process.exit(1);
    }
    if (before) {
      const merged = mergeIncremental(before, JSON.parse(fs.readFileSync(incremental, 'utf8')) as Incremental, new Set(files));
      fs.writeFileSync(incremental, JSON.stringify(merged));
    }
    sanitize(incremental);
    fs.copyFileSync(path.join(DIR, 'mutation.json'), path.join(DIR, `${f}.json`));
    process.stderr.write(`mutation: src/${f} done in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
}

interface Row { folder: string; counts: Record<Status, number>; statics: number; score?: number; survivors: string[]; unmeasured: string[] }
/** Whether a source file holds code to mutate (not only comments and re-exports). */
const hasCode = (file: string) => fs.readFileSync(file, 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '').split('\n').map((l) => l.trim())
  .some((l) => l && !l.startsWith('//') && !/^export (\*|\{[^}]*\}|\* as \w+|type \{[^}]*\}) from '[^']+';$/.test(l));
const rows: Row[] = [];
for (const f of selected) sanitize(path.join(DIR, `${f}.incremental.json`));
for (const f of selected) {
  const file = path.join(DIR, `${f}.incremental.json`);
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  const counts = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, CompileError: 0, RuntimeError: 0, Ignored: 0, Pending: 0 } as Record<Status, number>;
  const survivors: string[] = [];
  let statics = 0;
  for (const [name, entry] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.startsWith(`src/${f}/`)) continue;
    for (const m of [...entry.mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
      if (m.status === 'Ignored' && /static/i.test(m.statusReason ?? '')) { statics += 1; continue; }
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const line = entry.source.split('\n')[m.location.start.line - 1]?.trim() ?? '';
        const what = m.replacement !== undefined ? ` -> \`${m.replacement.replace(/\s+/g, ' ').slice(0, 80)}\`` : '';
        survivors.push(`- ${name}:${m.location.start.line} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no test covers it)' : ''}${what} in \`${line.slice(0, 100).replace(/`/g, "'")}\``);
      }
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  const unmeasured = fs.readdirSync(path.join(ROOT, 'src', f)).filter((n) => n.endsWith('.ts') && n !== 'types.ts').map((n) => `src/${f}/${n}`)
    .filter((n) => !Object.hasOwn(report.files, n) && hasCode(path.join(ROOT, n))).sort();
  rows.push({ folder: f, counts, statics, ...(valid ? { score: (100 * detected) / valid } : {}), survivors, unmeasured });
}

const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'test'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? ' (with uncommitted changes)' : '';
const lines = [
  `## ${date} UTC, ${rev}${dirty}`,
  '',
  '| Folder | Score | Killed | Timeout | Survived | No coverage | Ignored (equivalent, with reason) | Compile errors | Static, not run | Files not measured yet |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| src/${r.folder} | ${r.score === undefined ? 'n/a' : `${r.score.toFixed(1)}%`}${r.score !== undefined && r.score < TARGET ? ' (below 85%)' : ''} | ${r.counts.Killed} | ${r.counts.Timeout} | ${r.counts.Survived} | ${r.counts.NoCoverage} | ${r.counts.Ignored} | ${r.counts.CompileError} | ${r.statics} | ${r.unmeasured.map((n) => path.basename(n)).join(', ') || '—'} |`),
  ...selected.filter((f) => !rows.some((r) => r.folder === f)).map((f) => `| src/${f} | not measured yet | | | | | | | | all |`),
  '',
  ...rows.flatMap((r) => (r.survivors.length ? [`<details><summary>src/${r.folder}: ${r.survivors.length} surviving</summary>`, '', ...r.survivors, '', '</details>', ''] : [])),
];
if (!fs.existsSync(REPORT)) {
  fs.writeFileSync(REPORT, [
    '# Mutation testing',
    '',
    'Written by `npm run mutation` (scripts/mutation.ts, Stryker): one section per run, newest last.',
    'A survivor is either killed by a new behaviour test or marked equivalent in the source with',
    '`// Stryker disable next-line <mutator>: <reason>`, which counts it as ignored.',
    '',
  ].join('\n'));
}
fs.appendFileSync(REPORT, `${lines.join('\n')}\n`);
process.stdout.write(`${lines.slice(0, 4 + selected.length).join('\n')}\n`);
if (check && (rows.length < selected.length || rows.some((r) => r.score === undefined || r.score < TARGET || r.unmeasured.length > 0 || (withStatic === false && r.statics > 0)))) process.exit(1);
