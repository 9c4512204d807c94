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
  applyProfile, COMMIT_SHA, configJsonSchema, formatIssue, formatPath, loadConfig, oneLine, PROFILES, refLabel, resolveParams, SpecError,
  specWarnings, type BuildSpec, type Config, type ParamValues, type Profile,
} from '../spec';
import { CosignVerifyJob, KimiaBuildJob } from '../job';
import { toYaml } from '../bundle';
import { BundleWriteError, OutputRefusedError, recoverOutput, writeOwnedFile, checkReleasedFile, lockPathFor, lockViolations, readLock, recordReleases, renderBundle, synthesize, withdrawReleases, writeLock } from '../bundle';
import { BundleValidationError, formatBundleIssue, packagingGate, validateFiles, type BundleIssue } from '../validate';
import { OCI_USAGE, runOciCommand, type OciCommand } from '../oci';
import { COMMAND_USAGE, USAGE } from './usage';

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

/** The commands of this module (the registry commands parse their own options: src/oci/cli.ts). */
export type MainCommand = 'synth' | 'validate' | 'release' | 'withdraw' | 'render' | 'job' | 'verify-job' | 'schema';

/** What one command accepts: options with a value, flags, which options may be given more than once, positionals. */
export interface CommandOptions {
  readonly values: readonly string[];
  readonly flags: readonly string[];
  readonly repeatable: readonly string[];
  readonly positionals: boolean;
}

const command = (values: string[], more: Partial<CommandOptions> = {}): CommandOptions => ({ values, flags: [], repeatable: [], positionals: false, ...more });
const SELECT = ['--build', '--set'];

/** Every option each command accepts; anything else is refused (exit 2). `-h`/`--help` goes with any command. */
export const COMMAND_OPTIONS: Readonly<Record<MainCommand, CommandOptions>> = {
  synth: command(['--config', '--out', '--lock', ...SELECT], { repeatable: SELECT }),
  validate: command(['--config', '--lock', '--format', ...SELECT], { repeatable: SELECT, positionals: true }),
  release: command(['--config', '--lock', '--notes', ...SELECT], { repeatable: SELECT }),
  withdraw: command(['--config', '--lock', '--notes', '--set'], { repeatable: ['--set'], positionals: true }),
  render: command(['--config', '--build', '--set'], { repeatable: ['--set'] }),
  job: command(['--config', '--build', '--ref', '--commit', '--profile', '--source-date-epoch', '--set', '--out'], { flags: ['--stdout'], repeatable: ['--set'] }),
  'verify-job': command(['--config', '--build', '--image', '--out'], { flags: ['--stdout'] }),
  schema: command([]),
};

const isMainCommand = (name: string): name is MainCommand => Object.prototype.hasOwnProperty.call(COMMAND_OPTIONS, name);
const isHelp = (arg: string) => arg === '-h' || arg === '--help';

/** The commands that take an option, for a message about a misplaced one. */
function commandsTaking(name: string): MainCommand[] {
  return (Object.keys(COMMAND_OPTIONS) as MainCommand[]).filter((c) => COMMAND_OPTIONS[c].values.includes(name) || COMMAND_OPTIONS[c].flags.includes(name));
}

function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = { positionals: [], builds: [], params: {}, format: 'human', help: false, version: false, stdout: false };
  const first = argv[0];
  if (first === undefined) return p;
  if (first === '--version' && argv.length === 1) { p.version = true; return p; }
  // `--help [COMMAND]` is `help [COMMAND]`.
  if (first === 'help' || isHelp(first)) {
    p.help = true;
    if (argv.length > 2) throw new UsageError(`help takes one COMMAND, not "${argv.slice(1).join(' ')}"`);
    if (argv[1] !== undefined && !isHelp(argv[1])) p.command = argv[1];
    return p;
  }
  if (first.startsWith('-')) {
    const name = first.includes('=') ? first.slice(0, first.indexOf('=')) : first;
    throw new UsageError(commandsTaking(name).length ? `${name} goes after the command (kimia-bundles <command> [options])` : `unknown option ${name}`);
  }
  p.command = first;
  if (!isMainCommand(first)) return p;
  const spec = COMMAND_OPTIONS[first];
  // --help wins over any other problem with the arguments: the first problem is raised only without it.
  let problem: string | undefined;
  const refuse = (message: string) => { problem ??= message; };
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (isHelp(arg)) { p.help = true; continue; }
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) spec.positionals ? p.positionals.push(rest) : refuse(`${first}: unexpected argument "${rest}"`);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (spec.positionals) p.positionals.push(arg);
      else refuse(`${first}: unexpected argument "${arg}"`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const known = spec.values.includes(name) || spec.flags.includes(name);
    if (!known) {
      const others = commandsTaking(name);
      refuse(others.length ? `${first}: ${name} is not an option of ${first} (only of ${others.join(', ')})` : `${first}: unknown option ${name}`);
      // Skip the value of an option another command takes, so that it is not read as a positional.
      if (eq < 0 && others.some((c) => COMMAND_OPTIONS[c].values.includes(name))) i++;
      continue;
    }
    if (seen.has(name) && !spec.repeatable.includes(name)) refuse(`${first}: ${name} given twice`);
    seen.add(name);
    if (spec.flags.includes(name)) {
      if (eq > 0) refuse(`${first}: ${name} takes no value`);
      if (name === '--stdout') p.stdout = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') { refuse(`${name} needs a value`); continue; }
    if (name === '--config') p.config = value;
    else if (name === '--out') p.out = value;
    else if (name === '--lock') p.lock = value;
    else if (name === '--notes') p.notes = value;
    else if (name === '--ref') p.ref = value;
    else if (name === '--commit') p.commit = value;
    else if (name === '--source-date-epoch') p.epoch = value;
    else if (name === '--image') p.image = value;
    else if (name === '--profile') {
      if (!(PROFILES as readonly string[]).includes(value)) refuse(`--profile must be one of ${PROFILES.join(', ')}, not "${value}"`);
      else p.profile = value as Profile;
    }
    else if (name === '--build') p.builds.push(value);
    else if (name === '--format') {
      if (value !== 'human' && value !== 'json') refuse(`--format must be human or json, not "${value}"`);
      else p.format = value;
    } else {
      const at = value.indexOf('=');
      if (at <= 0) refuse(`--set needs NAME=VALUE, got "${value}"`);
      // Defined, not assigned: a NAME like __proto__ stays a key (and is refused as undeclared).
      else Object.defineProperty(p.params, value.slice(0, at), { value: value.slice(at + 1), enumerable: true, writable: true, configurable: true });
    }
  }
  if (problem !== undefined && !p.help) throw new UsageError(problem);
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

/** A config or lock problem in `validate --format json`: where (line and col when known), the field, why. */
interface ConfigProblem {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly field: string;
  readonly message: string;
}

/**
 * JSON that prints inert on a terminal: C1 controls, bidi and zero-width characters and line
 * separators from input are written as \u escapes (JSON.stringify leaves them raw).
 */
const inertJson = (value: unknown) =>
  JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `validate`: files on disk and/or a config, every check, human or JSON output.
 * A config or lock that does not load or render exits 2: its issues print on stderr, or, with
 * --format json, as findings in the JSON on stdout.
 */
function validate(p: Parsed, io: CliIO): number {
  if (!p.positionals.length && !p.config) throw new UsageError('validate needs PATH... or --config FILE');
  if (!p.config && p.builds.length) throw new UsageError('validate: --build goes with --config (it selects what the config renders)');
  if (!p.config && Object.keys(p.params).length) throw new UsageError('validate: --set goes with --config (it sets what the config renders)');
  const findings: BundleIssue[] = [];
  const problems: ConfigProblem[] = [];
  /** With --format json a config or lock that does not load is reported in the JSON (exit 2), not on stderr. */
  const loading = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof SpecError) || p.format !== 'json') throw e;
      const file = e.file ?? p.config;
      problems.push(...e.issues.map((i) => ({ file, line: i.line, col: i.col, field: formatPath(i.path), message: i.message })));
      return undefined;
    }
  };
  let files = 0;
  let documents = 0;
  if (p.positionals.length) {
    // Released versions on disk are checked against the lock given, or the config's.
    const lockFile = p.lock ?? (p.config ? lockPathFor(p.config) : undefined);
    const lock = lockFile ? loading(() => readLock(lockFile)) : undefined;
    // A writer killed mid-swap leaves the previous output beside its place: put it back first.
    for (const dir of p.positionals) {
      if (recoverOutput(dir)) io.err(`kimia-bundles: restored ${dir} from an interrupted write\n`);
    }
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
    const config = p.config;
    const lockFile = p.lock ?? lockPathFor(config);
    try {
      loading(() => {
        const lock = readLock(lockFile);
        const bundle = renderBundle(loadConfig(config), { params: p.params, builds: p.builds.length ? p.builds : undefined, lock });
        files += bundle.size;
        for (const v of lockViolations(bundle, lock)) {
          findings.push({ file: path.relative(process.cwd(), lockFile) || lockFile, document: `${v.bundle} ${v.version}`, path: '', message: v.message });
        }
      });
    } catch (e) {
      if (!(e instanceof BundleValidationError)) throw e;
      findings.push(...e.issues);
    }
  }
  if (p.format === 'json') {
    const found = [...problems, ...findings.map((f) => ({ file: f.file, document: f.document, path: f.path, message: f.message }))];
    io.out(`${inertJson({ files, documents, findings: found })}\n`);
    if (problems.length) return 2;
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
  const build = cfg.builds[index];
  // The params the CI run decides: the commit (ci.commitParam) and its time (ci.sourceDateEpochParam).
  const values: Record<string, string> = { ...p.params };
  const bind = (name: string | undefined, value: string, option: string) => {
    if (name === undefined) return;
    if (values[name] !== undefined && values[name] !== value) throw new UsageError(`--set ${name}=${values[name]} disagrees with ${option} ${value} (ci binds ${name} to it): drop the --set`);
    values[name] = value;
  };
  bind(build.ci?.commitParam, commit, '--commit');
  const epochParam = build.ci?.sourceDateEpochParam;
  const epoch = p.epoch ?? (epochParam ? p.params[epochParam] : undefined) ?? commitTime(commit);
  if (epoch === undefined && build.reproducible?.enabled) {
    throw new UsageError(`cannot read the commit time of ${commit} with git (not run inside a repository that has it?): pass --source-date-epoch, the reproducible build needs it`);
  }
  if (epoch !== undefined) bind(epochParam, epoch, '--source-date-epoch');
  let spec;
  try {
    spec = applyProfile(resolveParams(build, values), { profile: p.profile, ref, commit, sourceDateEpoch: epoch });
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(e.issues, { prefix: ['builds', index], file: config });
    throw e;
  }
  const unbound = Object.keys(build.params).filter((n) => values[n] === undefined).sort();
  if (unbound.length) {
    const at = ['builds', index, 'params'];
    io.err(`${formatIssue({ path: at, message: `warning: ${unbound.join(', ')} ${unbound.length === 1 ? 'keeps its' : 'keep their'} default: bind ${unbound.length === 1 ? 'it' : 'them'} with --set NAME=VALUE, or with ci.commitParam / ci.sourceDateEpochParam` }, config)}\n`);
  }
  printWarnings([{ spec, index }], config, io);
  const chart = new Chart(new App(), 'job', { disableResourceNameHashes: true });
  new KimiaBuildJob(chart, 'build', { spec, labels: { ref: refLabel(ref) } });
  return emit(p, io, toYaml(chart.toJson()));
}

/** Prints the advice about valid specs (never fails): `file:line:col: builds[i].field: warning: …`. */
function printWarnings(specs: ReadonlyArray<{ spec: BuildSpec; index: number }>, file: string, io: CliIO): void {
  for (const { spec, index } of specs) {
    for (const w of specWarnings(spec)) {
      const at = ['builds', index, ...w.path] as Array<string | number>;
      io.err(`${formatIssue({ ...w, path: at }, file)}\n`);
    }
  }
}

/** The builds a command selected (--build), with their index in the config. */
const selected = (cfg: Config, names: readonly string[] | undefined) =>
  cfg.builds.map((spec, index) => ({ spec, index })).filter(({ spec }) => !names || names.includes(spec.name));

/** Prints YAML (--stdout) or writes it atomically (--out FILE), never over a file we did not write. */
function emit(p: Parsed, io: CliIO, yaml: string): number {
  if (p.stdout) io.out(yaml);
  else {
    writeOwnedFile(p.out!, yaml, { protect: p.config ? [p.config] : [] });
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
  const command = argv[0] !== undefined && isMainCommand(argv[0]) ? argv[0] : undefined;
  try {
    const p = parseArgs(argv);
    if (p.version) { io.out(`${version()}\n`); return 0; }
    if (p.help) return help(p.command, io);
    if (p.command === undefined) {
      io.err(`${USAGE}\n`);
      return 2;
    }
    const params: ParamValues = p.params;
    const builds = p.builds.length ? p.builds : undefined;
    switch (p.command) {
      case 'synth': {
        noPositionals(p);
        const config = need(p.config, '--config FILE', 'synth');
        const out = need(p.out, '--out DIR', 'synth');
        const cfg = loadConfig(config);
        const result = synthesize(cfg, { outDir: out, params, builds, lockFile: p.lock ?? lockPathFor(config), protect: [config] });
        printWarnings(selected(cfg, builds), config, io);
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
        const added = recordReleases(renderBundle(loadConfig(config), { params, builds, lock }), lock, p.notes);
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
        const current = renderBundle(loadConfig(config), { params, lock }).versions;
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
        printWarnings(selected(cfg, builds), config, io);
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
        throw new UsageError(unknownCommand(p.command));
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kimia-bundles: ${oneLine(e.message)}\nRun kimia-bundles ${command ? `${command} ` : ''}--help for usage.\n`);
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
    if (e instanceof OutputRefusedError) {
      io.err(`kimia-bundles: ${oneLine(e.message)}\n`);
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

const unknownCommand = (name: string) => `unknown command "${name}" (${[...Object.keys(COMMAND_OPTIONS), ...OCI_COMMANDS].join(', ')})`;

/** `--help`: the overview, or one command's usage (the registry commands' from src/oci/cli.ts). */
function help(command: string | undefined, io: CliIO): number {
  const text = command === undefined ? USAGE : isMainCommand(command) ? COMMAND_USAGE[command] : OCI_COMMANDS.includes(command) ? OCI_USAGE[command as OciCommand] : undefined;
  if (text === undefined) throw new UsageError(unknownCommand(command!));
  io.out(`${text}\n`);
  return 0;
}

function parseArgsSafe(argv: readonly string[]): Parsed | undefined {
  try { return parseArgs(argv); } catch { return undefined; }
}

/** Commands that talk to registries (asynchronous; see src/oci/cli.ts). */
export const OCI_COMMANDS: readonly string[] = ['bundle', 'push', 'pull', 'list', 'describe'];

/** Runs any command, including the asynchronous registry commands; resolves to the exit code. */
export async function runAsync(argv: readonly string[], io: CliIO): Promise<number> {
  if (OCI_COMMANDS.includes(argv[0] ?? '')) return runOciCommand(argv[0] as OciCommand, argv.slice(1), io, { gate: packagingGate });
  return run(argv, io);
}

/** Entry point for the `kimia-bundles` bin. */
export function main(): void {
  const io: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  void runAsync(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}

if (require.main === module) main();
