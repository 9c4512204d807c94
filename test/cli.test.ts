import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { OUTPUT_MARKER } from '../src/output';
import { cli, exampleVersion } from './helpers';
import { loadConfig, renderBundle } from '../src/internal';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples', 'kimia-bundles.yaml');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir, relative path -> content. */
function snapshotDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== OUTPUT_MARKER) files[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

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

describe('kimia-bundles synth', () => {
  it('writes the Jobs and the Tekton catalog of the example builds', () => {
    const out = path.join(tmp, 'dist');
    const r = cli('synth', '--config', EXAMPLES, '--out', out);
    expect(r).toMatchObject({ code: 0, out: '' });
    const lines = r.err.trimEnd().split('\n');
    // The count it reports is what is on disk (less its ownership marker).
    const onDisk = (d: string): number => fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? onDisk(path.join(d, e.name)) : e.name === '.kimia-bundles-output' ? 0 : 1), 0);
    expect(lines.at(-1)).toBe(`kimia-bundles: wrote ${onDisk(out)} files to ${out}`);
    expect(onDisk(out)).toBeGreaterThan(40);
    // The reproducible, attested examples get kimia's own advice (index digests vary); exit 0 all the same.
    expect(lines.slice(0, -1).map((l) => /builds\[(\d)\]\.reproducible: warning: with attestations/.exec(l)?.[1])).toEqual(['2', '3']);
    const files = snapshotDir(out);
    // Jobs are versioned like the catalog: job/<build>/<version>/<build>.yaml, with a changelog.
    expect(Object.keys(files).filter((f) => f.startsWith('job/') && f.endsWith('.yaml')).sort()).toEqual([`job/myapp-production/${exampleVersion('myapp-production')}/myapp-production.yaml`, `job/myapp-signed/${exampleVersion('myapp-signed')}/myapp-signed.yaml`, 'job/nginx-basic/0.1/nginx-basic.yaml']);
    expect(Object.keys(files).filter((f) => f.startsWith('job/') && f.endsWith('CHANGELOG.md')).sort()).toEqual(['job/myapp-production/CHANGELOG.md', 'job/myapp-signed/CHANGELOG.md', 'job/nginx-basic/CHANGELOG.md']);
    expect(Object.keys(files).filter((f) => /^(tekton\/task|argo\/workflowtemplate)\/kimia-build\/[0-9.]+\/kimia-build\.yaml$/.test(f)).length).toBe(2);
    const job = parse(files[`job/myapp-signed/${exampleVersion('myapp-signed')}/myapp-signed.yaml`].replace(/^#.*\n/, ''));
    expect(job.kind).toBe('Job');
    // Signed by the isolated sign container; the build (init container) never gets the key.
    expect(job.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['sign']);
    expect(job.spec.template.spec.initContainers[0].args).not.toContain('--sign');
  });

  it('replaces its own previous output whole, leaving no stale files or temp dirs', () => {
    const out = path.join(tmp, 'dist');
    const two = `${VALID}  - name: gone\n    context: {git: {url: https://github.com/myorg/gone.git}}\n    destinations: [registry.io/gone:v1]\n    outputs: [job]\n`;
    expect(cli('synth', '--config', writeConfig(two), '--out', out).code).toBe(0);
    expect(Object.keys(snapshotDir(out)).sort()).toEqual(['job/app/0.1/app.yaml', 'job/gone/0.1/gone.yaml']);
    expect(cli('synth', '--config', writeConfig(VALID), '--out', out).code).toBe(0);
    expect(Object.keys(snapshotDir(out))).toEqual(['job/app/0.1/app.yaml']);
    expect(fs.readdirSync(tmp).sort()).toEqual(['config.yaml', 'dist']);
  });

  it('applies --set values and --build selection', () => {
    const out = path.join(tmp, 'one');
    const r = cli('synth', '--config', EXAMPLES, '--out', out, '--build', 'myapp-production', '--set', 'COMMIT=abc1234');
    expect(r.code).toBe(0);
    const files = snapshotDir(out);
    expect(Object.keys(files).sort()).toEqual([
      `job/myapp-production/${exampleVersion('myapp-production')}/myapp-production.yaml`,
      'job/myapp-production/CHANGELOG.md',
      'policies/myapp-production/kyverno-clusterpolicy.yaml',
      'policies/myapp-production/policy-controller-clusterimagepolicy.yaml',
    ]);
    expect(files[`job/myapp-production/${exampleVersion('myapp-production')}/myapp-production.yaml`]).toContain('--destination=registry.io/myapp:abc1234');
  });
});

describe('kimia-bundles errors: one clear line, exit 2, output untouched', () => {
  let out: string;
  let before: Record<string, string>;
  beforeEach(() => {
    out = path.join(tmp, 'dist');
    expect(cli('synth', '--config', EXAMPLES, '--out', out).code).toBe(0);
    before = snapshotDir(out);
  });
  afterEach(() => {
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  const cases: Array<[string, string | null, string]> = [
    ['malformed YAML', 'builds:\n  - name: app\n   context: [\n', 'config.yaml:3:1: malformed YAML: '],
    ['an unknown field', VALID + '    dockerFile: Dockerfile\n', 'config.yaml:2:5: builds[0]: unknown field "dockerFile"'],
    ['a wrong type', VALID.replace('[registry.io/myapp:v1]', 'registry.io/myapp:v1'), 'config.yaml:4:19: builds[0].destinations: expected a list of image references'],
    ['a missing file', null, 'missing.yaml: cannot read config: no such file'],
    ['a kimia rule', VALID.replace('myapp:v1', 'MyApp:v1'), 'config.yaml:4:20: builds[0].destinations[0]: repository "registry.io/MyApp" must be lowercase'],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const file = text === null ? path.join(tmp, 'missing.yaml') : writeConfig(text);
    const r = cli('synth', '--config', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const want = `${tmp}${path.sep}${expected}`;
    if (expected.endsWith(': ')) expect(lines[0].startsWith(want)).toBe(true);
    else expect(lines[0]).toBe(want);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });

  it('a param value that breaks a rule', () => {
    const r = cli('synth', '--config', EXAMPLES, '--out', out, '--set', 'COMMIT=a b');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^.*kimia-bundles\.yaml:\d+:\d+: builds\[2\]\.destinations\[0\]: with \$\{COMMIT\}="a b": tag "a b" must match/);
  });
  it('a --set for a param no build declares', () => {
    const r = cli('synth', '--config', EXAMPLES, '--out', out, '--set', 'NOPE=1');
    // Located at the config's root: the option names no field of the file.
    expect(r).toMatchObject({ code: 2, err: `${EXAMPLES}:5:1: --set NOPE: no selected build declares a param "NOPE"\n` });
  });
  it('usage errors', () => {
    expect(cli('synth', '--config', EXAMPLES)).toMatchObject({ code: 2, err: 'kimia-bundles: synth needs --out DIR\nRun kimia-bundles synth --help for usage.\n' });
    expect(cli('frobnicate')).toMatchObject({ code: 2, err: 'kimia-bundles: unknown command "frobnicate" (synth, validate, release, withdraw, render, job, verify-job, schema, bundle, push, pull, list, describe)\nRun kimia-bundles --help for usage.\n' });
    expect(cli('synth', '--bogus')).toMatchObject({ code: 2, err: 'kimia-bundles: synth: unknown option --bogus\nRun kimia-bundles synth --help for usage.\n' });
    expect(cli().code).toBe(2);
  });
});

describe('other commands', () => {
  it('--set refuses names that are only Object built-ins (constructor, __proto__, toString)', () => {
    const config = writeConfig(VALID);
    for (const name of ['constructor', '__proto__', 'toString']) {
      const r = cli('render', '--config', config, '--build', 'app', '--set', `${name}=x`);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--set ${name}: no selected build declares a param "${name}"`);
    }
  });
  it('validate checks without writing', () => {
    const r = cli('validate', '--config', EXAMPLES);
    expect(r).toMatchObject({ code: 0, out: '' });
    // Every file the examples render (what validate reads).
    const yamlFiles = renderBundle(loadConfig(EXAMPLES)).size;
    expect(r.err).toBe(`kimia-bundles: no findings in ${yamlFiles} files\n`);
    expect(cli('validate', '--config', writeConfig(VALID + '    push: maybe\n'))).toMatchObject({ code: 2 });
  });
  it('render prints one Job for kubectl', () => {
    const r = cli('render', '--config', EXAMPLES, '--build', 'myapp-production', '--set', 'COMMIT=abc1234', '--set', 'SOURCE_DATE_EPOCH=1700000000');
    expect(r.code).toBe(0);
    const job = parse(r.out);
    expect(job.metadata.name).toBe('myapp-build-abc1234');
    expect(job.spec.template.spec.initContainers[0].env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1700000000' });
    expect(cli('render', '--config', EXAMPLES).code).toBe(2);
  });
  it('schema prints the committed JSON Schema', () => {
    const r = cli('schema');
    expect(r.code).toBe(0);
    expect(r.out).toBe(fs.readFileSync(path.join(ROOT, 'schema', 'kimia-bundles.schema.json'), 'utf8'));
    const schema = JSON.parse(r.out);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['builds']);
    expect(schema.properties.builds.items.additionalProperties).toBe(false);
    expect(schema.properties.builds.items.required).toEqual(['name', 'context', 'destinations']);
  });
  it('--help and --version', () => {
    expect(cli('--help').out).toMatch(/^Usage: kimia-bundles <command>/);
    expect(cli('--version').out).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });
});

describe('determinism', () => {
  it('gives byte-identical output with another TZ, LANG and run', () => {
    const synth = (out: string, env: Record<string, string>) =>
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'synth', '--config', EXAMPLES, '--out', out], {
        cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe',
      });
    synth(path.join(tmp, 'a'), { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' });
    synth(path.join(tmp, 'b'), { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    expect(snapshotDir(path.join(tmp, 'b'))).toEqual(snapshotDir(path.join(tmp, 'a')));
  });
  it('the real process exits 2 with one line and no stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'validate', '--config', path.join(tmp, 'nope.yaml')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${path.join(tmp, 'nope.yaml')}: cannot read config: no such file\n`);
  });
});

describe('committed dist/', () => {
  it('is what the examples synthesize to (run `npm run synth` after changes)', () => {
    const out = path.join(tmp, 'dist');
    // Start from the committed dist/: released versions are kept from it, not re-rendered.
    fs.cpSync(path.join(ROOT, 'dist'), out, { recursive: true });
    expect(cli('synth', '--config', EXAMPLES, '--out', out).code).toBe(0);
    expect(snapshotDir(path.join(ROOT, 'dist'))).toEqual(snapshotDir(out));
  });
});

describe('registry commands through the CLI entry', () => {
  it('writes the same Tekton bundle layout twice and prints its digest', async () => {
    const { runCliAsync } = require('../src') as typeof import('../src');
    const run = async (out: string) => {
      let o = '';
      let e = '';
      const code = await runCliAsync(['bundle', '--dir', path.join(ROOT, 'dist', 'tekton', 'task', 'kimia-build', exampleVersion('kimia-build')), '--out', out], { out: (t) => { o += t; }, err: (t) => { e += t; } });
      return { code, o, e };
    };
    const a = await run(path.join(tmp, 'a'));
    const b = await run(path.join(tmp, 'b'));
    expect(a.code).toBe(0);
    expect(a.o).toMatch(/sha256:[a-f0-9]{64}/);
    expect(b.o).toBe(a.o);
    expect(fs.readFileSync(path.join(tmp, 'a', 'index.json'), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'b', 'index.json'), 'utf8'));
  });
});
