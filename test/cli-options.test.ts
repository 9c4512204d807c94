import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMAND_OPTIONS, OCI_COMMANDS, type MainCommand } from '../src/cli/main';
import { COMMAND_USAGE, USAGE } from '../src/cli/usage';
import { OCI_USAGE, type OciCommand } from '../src/oci';
import { cli } from './helpers';

const COMMANDS = Object.keys(COMMAND_OPTIONS) as MainCommand[];
const ALL_OPTIONS = [...new Set(COMMANDS.flatMap((c) => [...COMMAND_OPTIONS[c].values, ...COMMAND_OPTIONS[c].flags]))];
/** A valid value of the options that check theirs. */
const SAMPLE: Record<string, string> = { '--profile': 'pr', '--format': 'json', '--set': 'A=1' };
/** A usage error: one line, then where to read the usage (the command's, or the overview). */
const usageError = (command: string | undefined, message: string) => ({ code: 2, out: '', err: `kimia-bundles: ${message}\nRun kimia-bundles ${command ? `${command} ` : ''}--help for usage.\n` });

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-cli-options-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeConfig(text: string): string {
  const file = path.join(tmp, 'config.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const VALID = `builds:
  - name: app
    context: {git: {url: https://github.com/myorg/myapp.git}}
    destinations: [registry.io/myapp:v1]
    outputs: [job]
`;

describe('--help', () => {
  it('covers every command of the CLI', () => {
    expect(COMMANDS.sort()).toEqual(['job', 'release', 'render', 'schema', 'synth', 'validate', 'verify-job', 'withdraw']);
    expect(Object.keys(COMMAND_USAGE).sort()).toEqual(COMMANDS.sort());
  });

  it.each(COMMANDS)('%s --help, -h and help %s print its usage on stdout and exit 0', (command) => {
    const want = { code: 0, out: `${COMMAND_USAGE[command]}\n`, err: '' };
    expect(COMMAND_USAGE[command]).toMatch(new RegExp(`^Usage: kimia-bundles ${command}(\\s|$)`));
    expect(cli(command, '--help')).toEqual(want);
    expect(cli(command, '-h')).toEqual(want);
    expect(cli('help', command)).toEqual(want);
    expect(cli('--help', command)).toEqual(want);
  });

  it.each(COMMANDS)('%s usage names exactly the options the command accepts', (command) => {
    const spec = COMMAND_OPTIONS[command];
    const named = new Set(COMMAND_USAGE[command].match(/--[a-z][a-z-]*/g) ?? []);
    expect([...named].sort()).toEqual([...spec.values, ...spec.flags].sort());
    for (const option of spec.repeatable) expect(COMMAND_USAGE[command]).toMatch(new RegExp(`${option} .*\\(repeatable\\)`));
  });

  it('wins over other problems with the arguments', () => {
    expect(cli('synth', '--image', 'x', '--config', 'a', '--config', 'b', '--help')).toEqual({ code: 0, out: `${COMMAND_USAGE.synth}\n`, err: '' });
  });

  it('without a command prints the overview, which points to the commands\' usage', () => {
    expect(cli('--help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(cli('-h')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(cli('help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(cli('help', '--help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(USAGE).toContain('kimia-bundles <command> --help');
    expect(cli()).toEqual({ code: 2, out: '', err: `${USAGE}\n` });
  });

  it.each(OCI_COMMANDS)('help %s prints the registry command\'s usage', (command) => {
    expect(cli('help', command)).toEqual({ code: 0, out: `${OCI_USAGE[command as OciCommand]}\n`, err: '' });
  });

  it('help for an unknown command, or two, is a usage error', () => {
    expect(cli('help', 'frobnicate')).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^kimia-bundles: unknown command "frobnicate" \(synth, validate, /) });
    expect(cli('help', 'synth', 'job')).toEqual(usageError(undefined, 'help takes one COMMAND, not "synth job"'));
  });

  it('keeps usage.ts free of imports, so that the bin answers --help without loading the library', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', 'src', 'cli', 'usage.ts'), 'utf8')).not.toMatch(/\bimport\b|\brequire\(/);
  });
});

describe('options are checked per command (exit 2, one line naming the command and the option)', () => {
  it.each(COMMANDS)('%s refuses an unknown option', (command) => {
    expect(cli(command, '--bogus')).toEqual(usageError(command, `${command}: unknown option --bogus`));
    expect(cli(command, '--bogus=1')).toEqual(usageError(command, `${command}: unknown option --bogus`));
    expect(cli(command, '-x')).toEqual(usageError(command, `${command}: unknown option -x`));
  });

  it.each([
    [['synth', '--image', 'x'], 'synth: --image is not an option of synth (only of verify-job)'],
    [['synth', '--stdout'], 'synth: --stdout is not an option of synth (only of job, verify-job)'],
    [['render', '--format', 'json'], 'render: --format is not an option of render (only of validate)'],
    [['synth', '--profile', 'pr'], 'synth: --profile is not an option of synth (only of job)'],
    [['validate', '--profile=main'], 'validate: --profile is not an option of validate (only of job)'],
    [['withdraw', '--build', 'app'], 'withdraw: --build is not an option of withdraw (only of synth, validate, release, render, job, verify-job)'],
    [['verify-job', '--set', 'A=1'], 'verify-job: --set is not an option of verify-job (only of synth, validate, release, withdraw, render, job)'],
    [['schema', '--config', 'x'], 'schema: --config is not an option of schema (only of synth, validate, release, withdraw, render, job, verify-job)'],
  ])('%j is refused', (argv, message) => {
    expect(cli(...argv)).toEqual(usageError(argv[0], message));
  });

  it.each(COMMANDS)('%s refuses every option of the other commands', (command) => {
    const spec = COMMAND_OPTIONS[command];
    const foreign = ALL_OPTIONS.filter((o) => !spec.values.includes(o) && !spec.flags.includes(o));
    for (const option of foreign) {
      const r = cli(command, option, 'x');
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(new RegExp(`^kimia-bundles: ${command}: ${option} is not an option of ${command} \\(only of [a-z, -]+\\)$`));
    }
  });

  it.each(COMMANDS)('%s refuses a non-repeatable option given twice', (command) => {
    const spec = COMMAND_OPTIONS[command];
    const once = [...spec.values, ...spec.flags].filter((o) => !spec.repeatable.includes(o));
    for (const option of once) {
      const value = SAMPLE[option] ?? 'x';
      const twice = spec.flags.includes(option) ? [option, option] : [`${option}=${value}`, option, value];
      expect(cli(command, ...twice)).toEqual(usageError(command, `${command}: ${option} given twice`));
    }
  });

  it('accepts repeatable options more than once', () => {
    const out = path.join(tmp, 'out');
    expect(cli('synth', '--config', writeConfig(VALID), '--out', out, '--build', 'app', '--build', 'app')).toMatchObject({ code: 0 });
    expect(COMMAND_OPTIONS.synth.repeatable).toEqual(['--build', '--set']);
    expect(COMMAND_OPTIONS.job.repeatable).toEqual(['--set']);
  });

  it('a refused option leaves the output untouched', () => {
    const out = path.join(tmp, 'out');
    expect(cli('synth', '--config', writeConfig(VALID), '--out', out, '--image', 'x')).toEqual(usageError('synth', 'synth: --image is not an option of synth (only of verify-job)'));
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a flag with a value, a stray argument and options before the command', () => {
    expect(cli('job', '--stdout=yes')).toEqual(usageError('job', 'job: --stdout takes no value'));
    expect(cli('synth', 'extra')).toEqual(usageError('synth', 'synth: unexpected argument "extra"'));
    expect(cli('schema', '--', '--x')).toEqual(usageError('schema', 'schema: unexpected argument "--x"'));
    expect(cli('--config', 'x', 'synth')).toEqual(usageError(undefined, '--config goes after the command (kimia-bundles <command> [options])'));
    expect(cli('--bogus')).toEqual(usageError(undefined, 'unknown option --bogus'));
  });

  it('validate refuses --build and --set without --config', () => {
    expect(cli('validate', tmp, '--build', 'app')).toEqual(usageError('validate', 'validate: --build goes with --config (it selects what the config renders)'));
    expect(cli('validate', tmp, '--set', 'A=1')).toEqual(usageError('validate', 'validate: --set goes with --config (it sets what the config renders)'));
  });
});

describe('validate --format json on a config that does not load', () => {
  const json = (...argv: string[]) => {
    const r = cli('validate', '--format', 'json', ...argv);
    return { ...r, json: JSON.parse(r.out) };
  };

  it('prints the config\'s issues as JSON findings with file, line, col, field and message, and exits 2', () => {
    const file = writeConfig(VALID.replace('myapp:v1', 'MyApp:v1') + '    dockerFile: Dockerfile\n');
    const r = json('--config', file);
    expect(r).toMatchObject({ code: 2, err: '' });
    expect(r.json).toEqual({
      files: 0, documents: 0,
      findings: [
        { file, line: 2, col: 5, field: 'builds[0]', message: 'unknown field "dockerFile"' },
        { file, line: 4, col: 20, field: 'builds[0].destinations[0]', message: 'repository "registry.io/MyApp" must be lowercase' },
      ],
    });
    // Human output is unchanged: the same issues, one line each on stderr.
    expect(cli('validate', '--config', file)).toEqual({
      code: 2, out: '',
      err: `${file}:2:5: builds[0]: unknown field "dockerFile"\n${file}:4:20: builds[0].destinations[0]: repository "registry.io/MyApp" must be lowercase\n`,
    });
  });

  it('malformed YAML, a missing file and a --set no build declares', () => {
    const bad = json('--config', writeConfig('builds:\n  - name: app\n   context: [\n'));
    expect(bad.code).toBe(2);
    expect(bad.json.findings).toHaveLength(1);
    expect(bad.json.findings[0]).toMatchObject({ file: path.join(tmp, 'config.yaml'), line: 3, col: 1, message: expect.stringMatching(/^malformed YAML: /) });
    const missing = path.join(tmp, 'missing.yaml');
    expect(json('--config', missing)).toMatchObject({ code: 2, err: '', json: { findings: [{ file: missing, field: '', message: expect.stringMatching(/^cannot read config: no such file/) }] } });
    expect(json('--config', writeConfig(VALID), '--set', 'NOPE=1')).toMatchObject({ code: 2, json: { findings: [{ field: '', message: '--set NOPE: no selected build declares a param "NOPE"' }] } });
  });

  it('keeps the findings of PATH... beside the config\'s issues', () => {
    const dir = path.join(tmp, 'yaml');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = json(dir, '--config', writeConfig(VALID + '    push: maybe\n'));
    expect(r.code).toBe(2);
    expect(r.json.files).toBe(1);
    expect(r.json.findings).toEqual([{ file: path.join(tmp, 'config.yaml'), line: expect.any(Number), col: expect.any(Number), field: 'builds[0].push', message: expect.any(String) }]);
  });

  it('escapes bidi and zero-width characters from the input', () => {
    const r = json('--config', writeConfig(VALID.replace('myapp:v1', 'my\u202eapp\u200b:v1')));
    expect(r.code).toBe(2);
    expect(r.out).not.toMatch(/[\u202e\u200b]/);
    expect(r.out).toContain('\\u202e');
    expect(JSON.stringify(r.json.findings)).toContain('\u202e');
  });

  it('a valid config still prints JSON and exits 0', () => {
    expect(json('--config', writeConfig(VALID))).toMatchObject({ code: 0, err: '', json: { files: 1, documents: 0, findings: [] } });
  });
});

describe('the bin answers help without loading the library', () => {
  // bin/kimia-bundles.js runs the compiled lib/ (npm ci builds it through "prepare").
  const path = require('node:path') as typeof import('node:path');
  const BIN = path.join(__dirname, '..', 'bin', 'kimia-bundles.js');
  // Preloaded into the bin's process: exit code 9 when the library's dependencies were loaded.
  const WATCH = path.join(__dirname, 'helpers', 'no-library-loaded.js');
  const { COMMAND_USAGE: usage } = require('../src/cli/usage') as { COMMAND_USAGE: Record<string, string> };
  it.each(Object.keys(usage))('%s --help prints the same usage as the CLI, from usage.js alone', (command) => {
    const r = require('node:child_process').spawnSync(process.execPath, ['--require', WATCH, BIN, command, '--help'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${usage[command]}\n`);
    expect(r.status).toBe(0);
  });
  it('the watcher does see the library load (so the test above can fail)', () => {
    const r = require('node:child_process').spawnSync(process.execPath, ['--require', WATCH, BIN, 'synth', '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(9);
  });
});
