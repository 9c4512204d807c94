/**
 * Hand-made mutations of important rules (issue 15 item 1), each with the test files that must
 * fail on it. For every mutation: copy the repository to a temporary directory (tracked and new,
 * not ignored, files of the working tree; node_modules symlinked), apply the one change, check its
 * `find` text occurs exactly once (so the list cannot go stale silently), run only the named test
 * files there and report killed / survived. The named test files are first run once unmutated
 * and must pass. Exit 1 when a mutation survives, a `find` is missing or ambiguous, or the
 * unmutated run fails.
 *
 *   npx tsx scripts/check-mutations.ts [id...]      (npm run mutants)
 *   npx tsx scripts/check-mutations.ts --stale      (CI: only that each still applies)
 *
 * Never touches the working tree it is run from.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Mutation {
  /** Issue 15's number of the mutation (a letter when one rule is broken in two ways). */
  readonly id: string;
  /** What the mutation breaks, as issue 15 names it. */
  readonly what: string;
  /** Source file, relative to the repository. */
  readonly file: string;
  /** Text (or a regular expression without the g flag) that must occur exactly once. */
  readonly find: string | RegExp;
  readonly replace: string;
  /** Test files (relative to the repository) of which at least one test must fail. */
  readonly tests: readonly string[];
}

const MUTATIONS: readonly Mutation[] = [
  {
    id: '1a', what: 'shell metacharacters dropped from the BuildKit check (; & | ` < > CR)',
    file: 'src/spec/rules.ts',
    find: 'export const SHELL_META = /[;&|`$()<>\\r\\n]/;',
    replace: 'export const SHELL_META = /[$()\\n]/;',
    tests: ['test/rules.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '1b', what: 'the BuildKit shell-metacharacter rule removed from the spec rules',
    file: 'src/spec/rules.ts',
    find: "  ['BuildKit shell metacharacters', noShellMetacharacters],\n",
    replace: '',
    tests: ['test/rules.test.ts'],
  },
  {
    id: '2', what: 'signing with tarPath allowed',
    file: 'src/spec/rules.ts',
    find: "  if (spec.signing) report(['signing'], 'cannot sign a tar archive",
    replace: "  if (false) report(['signing'], 'cannot sign a tar archive",
    tests: ['test/rules.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '3', what: 'duplicate destinations allowed',
    file: 'src/spec/rules.ts',
    find: "if (seen.has(raw)) report(['destinations', i], `duplicate destination",
    replace: "if (false) report(['destinations', i], `duplicate destination",
    tests: ['test/rules.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '4', what: 'cache imports emitted as --export-cache',
    file: 'src/spec/argv.ts',
    find: "spec.cache.import.forEach((c, i) => add('--import-cache', c,",
    replace: "spec.cache.import.forEach((c, i) => add('--export-cache', c,",
    tests: ['test/rules.test.ts', 'test/job.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '5', what: 'Chains results (IMAGE_DIGEST/IMAGE_URL) for kimia-bud',
    file: 'src/spec/pod.ts',
    find: "  if (spec.variant !== 'kimia') return \"kimia-bud (Buildah) reports",
    replace: "  if (false) return \"kimia-bud (Buildah) reports",
    tests: ['test/tekton.test.ts', 'test/argo.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '6', what: 'paths outside the bundle written',
    file: 'src/output/owned.ts',
    find: "if (rel === OUTPUT_MARKER || rel.startsWith('/') || rel.split('/').some((s) => s === '..' || s === '' || s === '.')) {",
    replace: 'if (rel === OUTPUT_MARKER) {',
    tests: ['test/output-ownership.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '7', what: "versions sorted lexicographically (0.10 < 0.9)",
    file: 'src/spec/versions.ts',
    find: '  const [x, y] = [parts(a), parts(b)];',
    replace: '  if (a !== b) return a < b ? -1 : 1;\n  const [x, y] = [parts(a), parts(b)];',
    tests: ['test/mutations.test.ts'], // test/lock.test.ts fails unmutated at HEAD ("lets README, sample and annotation changes through")
  },
  {
    id: '8', what: 'Tekton [*] on a string param unchecked (validate)',
    file: 'src/validate/tekton.ts',
    find: "if (type !== 'array' && r.index === '[*]') add(",
    replace: "if (false) add(",
    tests: ['test/validate.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '9a', what: 'Tekton workspace mount clashes unchecked (validate): two workspaces on one path',
    file: 'src/validate/tekton.ts',
    find: 'if (mountPaths.has(cleanPath(mp))) add(',
    replace: 'if (false) add(',
    tests: ['test/validate.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '9b', what: "Tekton workspace mount clashes unchecked (validate): a step's volumeMount on a workspace's path",
    file: 'src/validate/tekton.ts',
    find: 'mountClash(step.volumeMounts, sp);',
    replace: ';',
    tests: ['test/validate.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '10', what: '--attestation with --attest unchecked in validate (the argv checker)',
    file: 'src/spec/argv-check.ts',
    find: "if (has('--attestation') && has('--attest')) add(",
    replace: 'if (false) add(',
    tests: ['test/validate.test.ts', 'test/validate-files.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '11', what: 'multi-arch with kimia-bud allowed',
    file: 'src/spec/rules.ts',
    find: "  if (spec.variant !== 'kimia') report(['platforms'], 'multi-arch needs variant kimia",
    replace: "  if (false) report(['platforms'], 'multi-arch needs variant kimia",
    tests: ['test/multiarch.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '12', what: 'Argo duplicate mountPath unchecked (validate)',
    file: 'src/validate/argo.ts',
    find: 'if (mounts.has(m.mountPath)) add(',
    replace: 'if (false) add(',
    tests: ['test/validate.test.ts', 'test/argo.test.ts', 'test/mutations.test.ts'],
  },
  {
    id: '13', what: 'Argo unknown DAG dependencies unchecked (validate)',
    file: 'src/validate/argo.ts',
    find: 'for (const dep of new Set(dependsOn(d))) if (!taskByName.has(dep)) add(',
    replace: 'for (const dep of new Set(dependsOn(d))) if (false) add(',
    tests: ['test/validate.test.ts', 'test/argo.test.ts', 'test/mutations.test.ts'],
  },
];

const ROOT = path.resolve(__dirname, '..');

function occurrences(text: string, find: string | RegExp): number {
  if (typeof find === 'string') return text.split(find).length - 1;
  return [...text.matchAll(new RegExp(find.source, `${find.flags.replace('g', '')}g`))].length;
}

/** Copies the working tree's tracked and new (not ignored) files; node_modules is a symlink. */
function copyRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-mutants-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 1 << 28 })
    .toString().split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  const list = path.join(dir, '.files');
  fs.writeFileSync(list, listed.join('\0'));
  const tree = path.join(dir, 'repo');
  fs.mkdirSync(tree);
  execFileSync('sh', ['-c', 'tar -C "$1" --null -T "$2" -cf - | tar -C "$3" -xf -', 'sh', ROOT, list, tree]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  return tree;
}

interface JestRun { readonly ok: boolean; readonly failed: number; readonly passed: number; readonly suitesBroken: number; readonly names: string[]; readonly seconds: number }

function jest(tree: string, files: readonly string[]): JestRun {
  const out = path.join(tree, '..', 'jest.json');
  fs.rmSync(out, { force: true });
  const start = Date.now();
  const jestBin = path.join(tree, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = spawnSync(process.execPath, [jestBin, '--ci', '--silent', '--json', `--outputFile=${out}`, ...files], {
    cwd: tree, encoding: 'utf8', env: { ...process.env, CI: 'true', FORCE_COLOR: '0' }, maxBuffer: 1 << 28,
  });
  const seconds = (Date.now() - start) / 1000;
  if (!fs.existsSync(out)) throw new Error(`jest wrote no report (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  const names: string[] = [];
  let suitesBroken = 0;
  for (const s of report.testResults) {
    if (s.status === 'failed' && s.assertionResults.length === 0) suitesBroken++;
    for (const a of s.assertionResults) if (a.status === 'failed') names.push(`${path.relative(tree, s.name)}: ${a.fullName}`);
  }
  return { ok: r.status === 0, failed: report.numFailedTests, passed: report.numPassedTests, suitesBroken, names, seconds };
}

/** Mutations whose `find` is no longer in the source exactly once, or whose test files are gone. */
function staleness(tree: string, chosen: readonly Mutation[]): string[] {
  const out: string[] = [];
  for (const m of chosen) {
    const file = path.join(tree, m.file);
    const n = fs.existsSync(file) ? occurrences(fs.readFileSync(file, 'utf8'), m.find) : -1;
    if (n !== 1) out.push(`STALE  ${m.id}: ${m.file}: ${n < 0 ? 'file missing' : `find occurs ${n} times, not once`}: ${String(m.find)}`);
    for (const t of m.tests) if (!fs.existsSync(path.join(tree, t))) out.push(`STALE  ${m.id}: test file ${t} missing`);
  }
  return out;
}

function main(): number {
  const args = process.argv.slice(2);
  // --stale: only check that every mutation still applies (fast; CI runs it, so the list cannot rot between runs of the whole check).
  if (args.includes('--stale')) {
    const stale = staleness(ROOT, MUTATIONS);
    for (const line of stale) console.log(line);
    console.log(`${MUTATIONS.length - new Set(stale.map((l) => l.split(':')[0])).size}/${MUTATIONS.length} mutations apply`);
    return stale.length ? 1 : 0;
  }
  const only = args;
  const chosen = only.length ? MUTATIONS.filter((m) => only.includes(m.id)) : MUTATIONS;
  if (only.length && chosen.length !== only.length) {
    console.error(`unknown mutation id among ${only.join(' ')} (known: ${MUTATIONS.map((m) => m.id).join(' ')})`);
    return 2;
  }
  const started = Date.now();
  const tree = copyRepo();
  console.log(`copy: ${tree}`);
  let bad = 0;
  try {
    // The list must not go stale: every find occurs exactly once in the unmutated source.
    const stale = staleness(tree, chosen);
    for (const line of stale) console.log(line);
    if (stale.length) return 1;

    const allTests = [...new Set(chosen.flatMap((m) => m.tests))].sort();
    const base = jest(tree, allTests);
    console.log(`unmutated: ${allTests.length} files, ${base.passed} passed, ${base.failed} failed (${base.seconds.toFixed(1)} s)`);
    if (!base.ok) {
      for (const n of base.names) console.log(`  failed: ${n}`);
      console.log('the named test files must pass unmutated');
      return 1;
    }

    const rows: string[] = [];
    for (const m of chosen) {
      const file = path.join(tree, m.file);
      const original = fs.readFileSync(file, 'utf8');
      const mutated = typeof m.find === 'string' ? original.replace(m.find, () => m.replace) : original.replace(m.find, () => m.replace);
      fs.writeFileSync(file, mutated);
      try {
        const r = jest(tree, m.tests);
        // Killed only by a failing test: a suite that cannot load proves nothing about the rule.
        const verdict = r.failed > 0 ? 'killed' : r.suitesBroken > 0 ? 'broken' : 'SURVIVED';
        if (verdict !== 'killed') bad++;
        const line = `${verdict.padEnd(8)} ${m.id.padEnd(3)} ${m.what} — ${r.failed} failing test(s) in ${m.tests.join(', ')} (${r.seconds.toFixed(1)} s)`;
        console.log(line);
        for (const n of r.names.slice(0, 3)) console.log(`           ${n}`);
        rows.push(line);
      } finally {
        fs.writeFileSync(file, original);
      }
    }
    const killed = rows.filter((r) => r.startsWith('killed')).length;
    console.log(`\n${killed}/${chosen.length} mutations killed, ${chosen.length - killed} not (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return bad ? 1 : 0;
  } finally {
    fs.rmSync(path.dirname(tree), { recursive: true, force: true });
  }
}

process.exitCode = main();
