/**
 * The `kimia-bundles` CLI: a thin shell over the library.
 * Exit codes: 0 success, 2 bad input or usage (one line per problem), 1 unexpected failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema, formatIssue, loadConfig, SpecError, type ParamValues } from '../spec';
import { renderBundle, writeBundle } from '../bundle';
import { BundleValidationError } from '../validate';

export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage: kimia-bundles <command> [options]

Commands:
  synth     --config FILE --out DIR   Render every build and replace DIR with the bundle (atomically)
  validate  --config FILE             Check the config and render it in memory; write nothing
  render    --config FILE --build NAME  Print one build's Job YAML (e.g. | kubectl apply -f -)
  schema                              Print the config file's JSON Schema (draft-07)

Options:
  --build NAME        Only this build (repeatable; synth and validate)
  --set NAME=VALUE    Value for a runtime param, used by every selected build that declares it (repeatable)
  -h, --help          Show this help
  --version           Print the version`;

class UsageError extends Error {}

interface Parsed {
  command?: string;
  config?: string;
  out?: string;
  builds: string[];
  params: Record<string, string>;
  help: boolean;
  version: boolean;
}

const VALUE_OPTIONS = new Set(['--config', '--out', '--build', '--set']);

function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = { builds: [], params: {}, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') { p.help = true; continue; }
    if (arg === '--version') { p.version = true; continue; }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (name === '--config') p.config = value;
      else if (name === '--out') p.out = value;
      else if (name === '--build') p.builds.push(value);
      else {
        const at = value.indexOf('=');
        if (at <= 0) throw new UsageError(`--set needs NAME=VALUE, got "${value}"`);
        p.params[value.slice(0, at)] = value.slice(at + 1);
      }
      continue;
    }
    if (p.command !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
    p.command = arg;
  }
  return p;
}

function need<T>(value: T | undefined, option: string, command: string): T {
  if (value === undefined) throw new UsageError(`${command} needs ${option}`);
  return value;
}

/** The package version, read from the package.json above this file (src/ or lib/src/). */
function version(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
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
        const config = need(p.config, '--config FILE', 'synth');
        const out = need(p.out, '--out DIR', 'synth');
        const files = renderBundle(loadConfig(config), { params, builds });
        writeBundle(files, out);
        io.err(`kimia-bundles: wrote ${files.size} file${files.size === 1 ? '' : 's'} to ${out}\n`);
        return 0;
      }
      case 'validate': {
        const config = need(p.config, '--config FILE', 'validate');
        const cfg = loadConfig(config);
        const files = renderBundle(cfg, { params, builds });
        io.err(`kimia-bundles: ${config} is valid (${cfg.builds.length} build${cfg.builds.length === 1 ? '' : 's'}, ${files.size} file${files.size === 1 ? '' : 's'})\n`);
        return 0;
      }
      case 'render': {
        const config = need(p.config, '--config FILE', 'render');
        if (p.builds.length !== 1) throw new UsageError('render needs exactly one --build NAME');
        const files = renderBundle(loadConfig(config), { params, builds });
        io.out([...files.values()].join('---\n'));
        return 0;
      }
      case 'schema':
        io.out(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${p.command}" (synth, validate, render, schema)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kimia-bundles: ${e.message}\nRun kimia-bundles --help for usage.\n`);
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
    io.err(`kimia-bundles: internal error: ${(e as Error).message}${process.env.KIMIA_BUNDLES_DEBUG ? `\n${(e as Error).stack}` : ''}\n`);
    return 1;
  }
}

function parseArgsSafe(argv: readonly string[]): Parsed | undefined {
  try { return parseArgs(argv); } catch { return undefined; }
}

/** Entry point for the `kimia-bundles` bin. */
export function main(): void {
  process.exitCode = run(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}

if (require.main === module) main();
