/**
 * The config file (src/spec/config.ts) and the Markdown helpers (src/spec/markdown.ts): survivors of
 * their mutation run. What a user reads when a config is wrong: the field path, the line and column,
 * the file, and the words of the reason; and the table cells and inline code of generated READMEs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cell, code, loadConfig, markdown, parseConfig, parseConfigText, SpecError } from '../src/internal';
import { BASE } from './helpers';

/** The issues a call reports, as `path: message` (path segments joined by dots), with line:col when known. */
const issuesOf = (f: () => unknown): string[] => {
  try { f(); } catch (e) {
    if (e instanceof SpecError) return e.issues.map((i) => `${i.line === undefined ? '' : `${i.line}:${i.col} `}${i.path.join('.')}: ${i.message}`);
    throw e;
  }
  return [];
};
const errorOf = (f: () => unknown): SpecError => {
  try { f(); } catch (e) { if (e instanceof SpecError) return e; throw e; }
  throw new Error('expected a SpecError');
};

const GIT = 'https://github.com/myorg/myapp.git';
/** builds[0] of a config file, its fields at line 2 on; `extra` lines are added to the build. */
const configText = (...extra: string[]) => ['builds:', '- name: app', `  context: {git: {url: "${GIT}"}}`, '  destinations: [registry.io/myapp:v1]', ...extra, ''].join('\n');

describe('parseConfig: two builds with one name', () => {
  it('the second is reported at its own name field, naming the first', () => {
    expect(issuesOf(() => parseConfig({ builds: [BASE, { ...BASE, destinations: ['registry.io/other:v1'] }] }))).toEqual([
      'builds.1.name: duplicate build name "app" (also builds[0])',
    ]);
    expect(errorOf(() => parseConfig({ builds: [BASE, BASE] })).issues[0].path).toEqual(['builds', 1, 'name']);
  });
  it('in a file, at the line of the second name', () => {
    const text = `${configText()}- name: app\n  context: {git: {url: "${GIT}"}}\n  destinations: [registry.io/other:v1]\n`;
    expect(errorOf(() => parseConfigText(text)).message).toBe('5:9: builds[1].name: duplicate build name "app" (also builds[0])');
  });
  it('distinct names are fine', () => {
    expect(parseConfig({ builds: [BASE, { ...BASE, name: 'other' }] }).builds.map((b) => b.name)).toEqual(['app', 'other']);
  });
});

describe('parseConfig words the zod issues for a person', () => {
  it('unknown fields: one is "field", more are "fields", each quoted, comma-separated', () => {
    expect(issuesOf(() => parseConfig({ builds: [{ ...BASE, dockerFile: 'Dockerfile' }] }))).toEqual(['builds.0: unknown field "dockerFile"']);
    expect(issuesOf(() => parseConfig({ builds: [{ ...BASE, dockerFile: 'Dockerfile', tag: 'v1' }] }))).toEqual(['builds.0: unknown fields "dockerFile", "tag"']);
  });
  it('a missing required field "is required"', () => {
    expect(issuesOf(() => parseConfig({ builds: [{ ...BASE, signing: {} }] }))).toEqual(['builds.0.signing.key: is required']);
  });
  it('a scalar or a list where a mapping belongs: "expected a mapping (key: value), not <what it got>"', () => {
    const cases: Array<[unknown, string]> = [
      [5, 'number'], ['on', 'string'], [null, 'null'], [[], 'array'], [true, 'boolean'], [Number.NaN, 'NaN'],
    ];
    for (const [cache, got] of cases) {
      expect(issuesOf(() => parseConfig({ builds: [{ ...BASE, cache }] }))).toEqual([`builds.0.cache: expected a mapping (key: value), not ${got}`]);
    }
    // The whole config: a path-less issue is never "is required", even when nothing was given.
    expect(issuesOf(() => parseConfig('builds'))).toEqual([': expected a mapping (key: value), not string']);
    expect(issuesOf(() => parseConfig(undefined))).toEqual([': expected a mapping (key: value), not undefined']);
  });
  it('-Infinity (YAML 1.2 core schema "-.inf") is named too', () => {
    expect(issuesOf(() => parseConfig({ builds: [{ ...BASE, cache: -Infinity }] }))).toEqual(['builds.0.cache: expected a mapping (key: value), not -Infinity']);
    expect(issuesOf(() => parseConfigText('-.inf\n'))).toEqual(['1:1 : expected a mapping (key: value), not -Infinity']);
    expect(issuesOf(() => parseConfigText(configText('  cache: -.inf')))).toEqual(['5:10 builds.0.cache: expected a mapping (key: value), not -Infinity']);
  });
});

describe('parseConfigText: malformed YAML is one issue, its first line only, at its position', () => {
  it('a duplicate key (YAML 1.2 §3.2.1.1: mapping keys are unique) is an error, not "the last one wins"', () => {
    expect(issuesOf(() => parseConfigText('builds: []\nbuilds: []\n'))).toEqual(['2:1 : malformed YAML: Map keys must be unique']);
    const e = errorOf(() => parseConfigText(`${configText()}  name: other\n`));
    expect(e.message).toBe('5:3: malformed YAML: Map keys must be unique');
    expect(e.issues).toEqual([{ path: [], message: 'malformed YAML: Map keys must be unique', line: 5, col: 3 }]);
  });
  it('a syntax error: the message without the source excerpt yaml can append', () => {
    expect(issuesOf(() => parseConfigText('builds:\n  - name: app\n   context: [\n'))).toEqual(['3:1 : malformed YAML: Sequence item without - indicator']);
  });
  it('an alias without its anchor: no position, no field', () => {
    const e = errorOf(() => parseConfigText('builds: *missing\n'));
    expect(e.issues).toEqual([{ path: [], message: 'malformed YAML: Unresolved alias (the anchor must be set before the alias): missing' }]);
    expect(e.message).toBe('malformed YAML: Unresolved alias (the anchor must be set before the alias): missing');
  });
});

describe('loadConfig names the file and why it cannot be read', () => {
  let tmp: string;
  beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-config-mutants-')); });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('no file, a directory, and other errors (ENOTDIR) in the system\'s words', () => {
    const missing = path.join(tmp, 'missing.yaml');
    const none = errorOf(() => loadConfig(missing));
    expect(none.message).toBe(`${missing}: cannot read config: no such file`);
    expect(none.file).toBe(missing);

    const dir = path.join(tmp, 'dir.yaml');
    fs.mkdirSync(dir);
    const isDir = errorOf(() => loadConfig(dir));
    expect(isDir.message).toBe(`${dir}: cannot read config: is a directory`);
    expect(isDir.file).toBe(dir);

    const plain = path.join(tmp, 'plain.txt');
    fs.writeFileSync(plain, 'x');
    const under = path.join(plain, 'config.yaml');
    expect(errorOf(() => loadConfig(under)).message).toBe(`${under}: cannot read config: ENOTDIR: not a directory, open '${under}'`);
  });
  it('a config that breaks a rule: file:line:col on each line', () => {
    const file = path.join(tmp, 'config.yaml');
    fs.writeFileSync(file, configText('  dockerFile: Dockerfile'));
    const e = errorOf(() => loadConfig(file));
    expect(e.message).toBe(`${file}:2:3: builds[0]: unknown field "dockerFile"`);
    expect(e.file).toBe(file);
  });
});

describe('Markdown helpers of the generated READMEs', () => {
  it('cell: nothing for undefined and null, pipes escaped, newlines flattened', () => {
    expect(cell(undefined)).toBe('');
    expect(cell(null)).toBe('');
    expect(cell('a|b|c')).toBe('a\\|b\\|c');
    expect(cell('one\ntwo\nthree')).toBe('one two three');
    expect(cell(0)).toBe('0');
  });
  it('code: nothing for undefined, a non-empty string as it is, other values as JSON, in backticks', () => {
    expect(code(undefined)).toBe('');
    expect(code('v1')).toBe('`v1`');
    expect(code('')).toBe('`""`');
    expect(code(false)).toBe('`false`');
    expect(code(['a', 'b'])).toBe('`["a","b"]`');
    expect(code('a|b')).toBe('`a\\|b`');
  });
  it('markdown: runs of blank lines become one, one trailing newline', () => {
    expect(markdown(['# T', '', '', '', 'text', '', 'more', '', ''])).toBe('# T\n\ntext\n\nmore\n');
    expect(markdown(['', '', 'a'])).toBe('\na\n');
  });
});
