/**
 * The `kimia-bundles` CLI: a thin shell over the library.
 * Exit codes: 0 success; 1 findings (validate) or a failed operation; 2 bad input or usage
 * (one line per problem, never a stack trace).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Chart, App } from 'cdk8s';
import {
  applyProfile, COMMIT_SHA, configJsonSchema, formatIssue, loadConfig, oneLine, PROFILES, refLabel, resolveParams, SpecError,
  type ParamValues, type Profile,
} from '../spec';
import { CosignVerifyJob, KimiaBuildJob } from '../job';
import { toYaml } from '../bundle';
import { BundleWriteError, checkReleasedFile, lockPathFor, lockViolations, readLock, recordReleases, renderBundle, synthesize, withdrawReleases, writeLock } from '../bundle';
import { BundleValidationError, formatBundleIssue, validateFiles, type BundleIssue } from '../validate';
import { runOciCommand, type OciCommand } from '../oci';
import { USAGE } from './usage';

export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}



class UsageError extends Error {}

interface Parsed {
  command?: string;
  positionals: string[];
  config?: string;
  out?: string;
  lock?: string;
  notes?: string;
  ref?: string;
  commit?: string;
  profile?: Profile;
  epoch?: string;
  image?: string;
  stdout: boolean;
  format: 'human' | 'json';
  builds: string[];
  params: Record<string, string>;
  help: boolean;
  version: boolean;
}

const VALUE_OPTIONS = new Set(['--config', '--out', '--build', '--set', '--lock', '--notes', '--format', '--ref', '--commit', '--profile', '--source-date-epoch', '--image']);

function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = { positionals: [], builds: [], params: {}, format: 'human', help: false, version: false, stdout: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') { p.help = true; continue; }
    if (arg === '--version') { p.version = true; continue; }
    if (arg === '--stdout') { p.stdout = true; continue; }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (name === '--config') p.config = value;
      else if (name === '--out') p.out = value;
      else if (name === '--lock') p.lock = value;
      else if (name === '--notes') p.notes = value;
      else if (name === '--ref') p.ref = value;
      else if (name === '--commit') p.commit = value;
      else if (name === '--source-date-epoch') p.epoch = value;
      else if (name === '--image') p.image = value;
      else if (name === '--profile') {
        if (!(PROFILES as readonly string[]).includes(value)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not "${value}"`);
        p.profile = value as Profile;
      }
      else if (name === '--build') p.builds.push(value);
      else if (name === '--format') {
        if (value !== 'human' && value !== 'json') throw new UsageError(`--format must be human or json, not "${value}"`);
        p.format = value;
      } else {
        const at = value.indexOf('=');
        if (at <= 0) throw new UsageError(`--set needs NAME=VALUE, got "${value}"`);
        p.params[value.slice(0, at)] = value.slice(at + 1);
      }
      continue;
    }
    if (p.command === undefined) p.command = arg;
    else p.positionals.push(arg);
  }
  return p;
}

function need<T>(value: T | undefined, option: string, command: string): T {
  if (value === undefined) throw new UsageError(`${command} needs ${option}`);
  return value;
}

function noPositionals(p: Parsed) {
  if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
}

/** The package version, read from the package.json above this file (src/ or lib/src/). */
function version(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `validate`: files on disk and/or a config, every check, human or JSON output. */
function validate(p: Parsed, io: CliIO): number {
  if (!p.positionals.length && !p.config) throw new UsageError('validate needs PATH... or --config FILE');
  const findings: BundleIssue[] = [];
  let files = 0;
  let documents = 0;
  if (p.positionals.length) {
    // Released versions on disk are checked against the lock given, or the config's.
    const lockFile = p.lock ?? (p.config ? lockPathFor(p.config) : undefined);
    const lock = lockFile ? readLock(lockFile) : undefined;
    let report;
    try {
      report = validateFiles(p.positionals, lock ? { check: (file, docs, absolute) => checkReleasedFile(lock, file, docs, absolute) } : {});
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    findings.push(...report.issues);
    files += report.files;
    documents += report.documents;
  }
  if (p.config) {
    const cfg = loadConfig(p.config);
    const lockFile = p.lock ?? lockPathFor(p.config);
    try {
      const bundle = renderBundle(cfg, { params: p.params, builds: p.builds.length ? p.builds : undefined });
      files += bundle.size;
      for (const v of lockViolations(bundle, readLock(lockFile))) {
        findings.push({ file: path.relative(process.cwd(), lockFile) || lockFile, document: `${v.bundle} ${v.version}`, path: '', message: v.message });
      }
    } catch (e) {
      if (!(e instanceof BundleValidationError)) throw e;
      findings.push(...e.issues);
    }
  }
  if (p.format === 'json') {
    io.out(`${JSON.stringify({ files, documents, findings: findings.map((f) => ({ file: f.file, document: f.document, path: f.path, message: f.message })) }, null, 2)}\n`);
  } else {
    for (const f of findings) io.out(`${formatBundleIssue(f)}\n`);
    io.err(`kimia-bundles: ${findings.length ? plural(findings.length, 'finding') : 'no findings'} in ${plural(files, 'file')}\n`);
  }
  return findings.length ? 1 : 0;
}

/** The commit time of `commit`, when run inside a git repository that has it. */
function commitTime(commit: string): string | undefined {
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct', commit, '--'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^[0-9]+$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** `job`: the Job for one CI run, from a trigger profile. */
function job(p: Parsed, io: CliIO): number {
  noPositionals(p);
  const config = need(p.config, '--config FILE', 'job');
  if (p.builds.length !== 1) throw new UsageError('job needs exactly one --build NAME');
  const ref = need(p.ref, '--ref REF', 'job');
  const commit = need(p.commit, '--commit SHA', 'job');
  if (p.stdout === (p.out !== undefined)) throw new UsageError('job needs either --stdout or --out FILE');
  const cfg = loadConfig(config);
  const index = cfg.builds.findIndex((b) => b.name === p.builds[0]);
  if (index < 0) throw new UsageError(`no build named "${p.builds[0]}" (builds: ${cfg.builds.map((b) => b.name).join(', ')})`);
  if (p.epoch !== undefined && !/^[0-9]+$/.test(p.epoch)) throw new UsageError('--source-date-epoch must be Unix seconds');
  // Checked before git sees it: a value like --output=FILE must never become a git option.
  if (!COMMIT_SHA.test(commit)) throw new UsageError(`--commit must be a commit SHA (hex), not "${commit}"`);
  let spec;
  try {
    spec = applyProfile(resolveParams(cfg.builds[index], p.params), { profile: p.profile, ref, commit, sourceDateEpoch: p.epoch ?? commitTime(commit) });
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(e.issues, { prefix: ['builds', index], file: config });
    throw e;
  }
  const chart = new Chart(new App(), 'job', { disableResourceNameHashes: true });
  new KimiaBuildJob(chart, 'build', { spec, labels: { ref: refLabel(ref) } });
  return emit(p, io, toYaml(chart.toJson()));
}

/** Prints YAML (--stdout) or writes it atomically (--out FILE). */
function emit(p: Parsed, io: CliIO, yaml: string): number {
  if (p.stdout) io.out(yaml);
  else {
    const tmp = `${p.out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, yaml);
    fs.renameSync(tmp, p.out!);
    io.err(`kimia-bundles: wrote ${p.out}\n`);
  }
  return 0;
}

/** `verify-job`: a Job verifying one pushed digest. */
function verifyJob(p: Parsed, io: CliIO): number {
  noPositionals(p);
  const config = need(p.config, '--config FILE', 'verify-job');
  if (p.builds.length !== 1) throw new UsageError('verify-job needs exactly one --build NAME');
  const image = need(p.image, '--image REPO@DIGEST', 'verify-job');
  if (p.stdout === (p.out !== undefined)) throw new UsageError('verify-job needs either --stdout or --out FILE');
  const cfg = loadConfig(config);
  const index = cfg.builds.findIndex((b) => b.name === p.builds[0]);
  if (index < 0) throw new UsageError(`no build named "${p.builds[0]}" (builds: ${cfg.builds.map((b) => b.name).join(', ')})`);
  const chart = new Chart(new App(), 'verify', { disableResourceNameHashes: true });
  try {
    new CosignVerifyJob(chart, 'verify', { spec: cfg.builds[index], image });
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(e.issues, { prefix: ['builds', index], file: config });
    throw e;
  }
  return emit(p, io, toYaml(chart.toJson()));
}

/** Runs the CLI; returns the exit code. Never throws for bad input. */
export function run(argv: readonly string[], io: CliIO): number {
  try {
    const p = parseArgs(argv);
    if (p.version) { io.out(`${version()}\n`); return 0; }
    if (p.help || p.command === undefined) {
      (p.help ? io.out : io.err)(`${USAGE}\n`);
      return p.help ? 0 : 2;
    }
    const params: ParamValues = p.params;
    const builds = p.builds.length ? p.builds : undefined;
    switch (p.command) {
      case 'synth': {
        noPositionals(p);
        const config = need(p.config, '--config FILE', 'synth');
        const out = need(p.out, '--out DIR', 'synth');
        const result = synthesize(loadConfig(config), { outDir: out, params, builds, lockFile: p.lock ?? lockPathFor(config) });
        const kept = result.kept.length ? ` (kept ${plural(result.kept.length, 'released version')})` : '';
        io.err(`kimia-bundles: wrote ${plural(result.files.size, 'file')} to ${out}${kept}\n`);
        return 0;
      }
      case 'validate':
        return validate(p, io);
      case 'release': {
        noPositionals(p);
        const config = need(p.config, '--config FILE', 'release');
        const lockFile = p.lock ?? lockPathFor(config);
        const lock = readLock(lockFile);
        const added = recordReleases(renderBundle(loadConfig(config), { params, builds }), lock, p.notes);
        if (added.length) writeLock(lockFile, lock);
        for (const a of added) io.out(`released ${a.bundle} ${a.version}\n`);
        io.err(`kimia-bundles: ${added.length ? `${plural(added.length, 'new version')} recorded in ${lockFile}; run synth to update the changelogs` : 'nothing new to release'}\n`);
        return 0;
      }
      case 'withdraw': {
        const config = need(p.config, '--config FILE', 'withdraw');
        if (!p.positionals.length) throw new UsageError('withdraw needs KIND/NAME@VERSION... (e.g. argo/workflowtemplate/kimia-build@0.1)');
        const reason = need(p.notes, '--notes REASON', 'withdraw');
        const lockFile = p.lock ?? lockPathFor(config);
        const lock = readLock(lockFile);
        let done;
        try {
          done = withdrawReleases(lock, p.positionals, reason);
        } catch (e) {
          throw e instanceof SpecError ? new SpecError(e.issues, { file: lockFile }) : e;
        }
        // The versions a build renders now cannot be withdrawn: that needs a version bump first.
        const current = renderBundle(loadConfig(config), { params }).versions;
        const now = done.filter((d) => current.has(`${d.bundle}/${d.version}`));
        if (now.length) throw new SpecError(now.map((d) => ({ path: [], message: `${d.bundle}@${d.version} is the version the config renders now: set a new version for the build and release it first` })), { file: config });
        writeLock(lockFile, lock);
        for (const d of done) io.out(`withdrew ${d.bundle} ${d.version}\n`);
        io.err(`kimia-bundles: recorded in ${lockFile}; run synth to remove ${done.length === 1 ? 'it' : 'them'} from the output\n`);
        return 0;
      }
      case 'render': {
        noPositionals(p);
        const config = need(p.config, '--config FILE', 'render');
        if (p.builds.length !== 1) throw new UsageError('render needs exactly one --build NAME');
        const cfg = loadConfig(config);
        const build = cfg.builds.find((b) => b.name === p.builds[0]);
        const files = renderBundle(cfg, { params, builds });
        const job = [...files.entries()].filter(([f]) => f.startsWith('job/')).map(([, t]) => t);
        if (!job.length) throw new UsageError(`build "${p.builds[0]}" has no job output (outputs: ${build?.outputs.join(', ')})`);
        io.out(job.join('---\n'));
        return 0;
      }
      case 'job':
        return job(p, io);
      case 'verify-job':
        return verifyJob(p, io);
      case 'schema':
        noPositionals(p);
        io.out(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return 0;
      default:
        if (OCI_COMMANDS.includes(p.command)) throw new UsageError(`${p.command} is asynchronous: call runAsync`);
        throw new UsageError(`unknown command "${p.command}" (synth, validate, release, withdraw, render, job, verify-job, schema, ${OCI_COMMANDS.join(', ')})`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kimia-bundles: ${oneLine(e.message)}\nRun kimia-bundles --help for usage.\n`);
      return 2;
    }
    if (e instanceof SpecError) {
      const file = e.file ?? parseArgsSafe(argv)?.config;
      for (const issue of e.issues) io.err(`${formatIssue(issue, file)}\n`);
      return 2;
    }
    if (e instanceof BundleValidationError) {
      for (const line of e.message.split('\n')) io.err(`kimia-bundles: invalid output: ${line}\n`);
      return 2;
    }
    if (e instanceof BundleWriteError) {
      io.err(`kimia-bundles: ${oneLine(e.message)}\n`);
      return 1;
    }
    io.err(`kimia-bundles: internal error: ${oneLine(String((e as Error).message))}${process.env.KIMIA_BUNDLES_DEBUG ? `\n${(e as Error).stack}` : ''}\n`);
    return 1;
  }
}

function parseArgsSafe(argv: readonly string[]): Parsed | undefined {
  try { return parseArgs(argv); } catch { return undefined; }
}

/** Commands that talk to registries (asynchronous; see src/oci/cli.ts). */
export const OCI_COMMANDS: readonly string[] = ['bundle', 'push', 'pull', 'list', 'describe'];

/** Runs any command, including the asynchronous registry commands; resolves to the exit code. */
export async function runAsync(argv: readonly string[], io: CliIO): Promise<number> {
  if (OCI_COMMANDS.includes(argv[0] ?? '')) return runOciCommand(argv[0] as OciCommand, argv.slice(1), io);
  return run(argv, io);
}

/** Entry point for the `kimia-bundles` bin. */
export function main(): void {
  const io: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  void runAsync(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}

if (require.main === module) main();
