/**
 * Issue 11, coverage: test/conformance/matrix.yaml sets every field of the spec (checked against
 * the config JSON Schema); it is rendered in-process (renderBundle), plus the CLI's `job` (a CI
 * profile) and `render --set`, and every kimia container runs through the real kimia like dist/
 * (dist.test.ts). Known defects are it.failing (they turn red when the fix lands).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { renderBundle } from '../../src/bundle';
import { run } from '../../src/cli/main';
import { configJsonSchema, loadConfig, parseConfigText, type BuildSpec } from '../../src/spec';
import { kimiaBinary } from './kimia-binary';
import { describeConformance } from './pod';
import { removeHostDirs, sources, Source } from './extract';
import { counts, defineSource, FAKES, notRun } from './suite';

jest.setTimeout(120_000);

const MATRIX = path.join(__dirname, 'matrix.yaml');
const config = loadConfig(MATRIX);
const raw = YAML.parse(fs.readFileSync(MATRIX, 'utf8')) as { builds: Array<Record<string, unknown>> };
const build = (name: string) => config.builds.find((b) => b.name === name)!;
const DOCKERFILE = 'FROM alpine:3.20 AS runtime\nCOPY . /app\n';

/** Schema fields no config may set any more: refused at parse time (each checked below). */
const REFUSED: Record<string, { why: string; build: Record<string, unknown> }> = {
  'builds[].context.git.tokenSecret': {
    why: 'issue 11 fix: the token would end up in the URL kimia logs (BuildKit) or in .git/config inside the context (kimia-bud)',
    build: { name: 'x', outputs: ['job'], context: { git: { url: 'https://github.com/org/app.git', tokenSecret: { secretName: 'git', key: 'token' } } }, destinations: ['registry.io/x:1'] },
  },
  'builds[].context.git.tokenUser': {
    why: 'only meaningful with tokenSecret (refused)',
    build: { name: 'x', outputs: ['job'], context: { git: { url: 'https://github.com/org/app.git', tokenSecret: { secretName: 'git', key: 'token' }, tokenUser: 'u' } }, destinations: ['registry.io/x:1'] },
  },
};

/** Leaf paths of the config JSON Schema: builds[].a.b, maps as .*, arrays as []. */
function schemaLeaves(): string[] {
  const out = new Set<string>();
  type S = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const walk = (s: S, p: string) => {
    const br = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
    for (const b of br) walk(b, p);
    if (br.length) return;
    if (s.type === 'object' && s.properties) for (const [k, c] of Object.entries<S>(s.properties)) walk(c, `${p}.${k}`);
    else if (s.type === 'object' && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${p}.*`);
    else if (s.type === 'array' && s.items && (s.items.type === 'object' || s.items.anyOf || s.items.oneOf)) walk(s.items, `${p}[]`);
    else out.add(p.replace(/^\./, ''));
  };
  walk(configJsonSchema() as S, '');
  return [...out];
}
/** Is the path set in some raw (as written) matrix build? */
function isSet(p: string): boolean {
  const parts = p.replace(/^builds\[\]\./, '').split(/\.|(?=\[\])/).filter(Boolean);
  const at = (v: unknown, i: number): boolean => {
    if (i === parts.length) return v !== undefined;
    if (v === null || v === undefined) return false;
    const k = parts[i];
    if (k === '[]') return Array.isArray(v) && v.some((x) => at(x, i + 1));
    if (k === '*') return typeof v === 'object' && Object.values(v as object).some((x) => at(x, i + 1));
    if (typeof v !== 'object') return false;
    return at((v as Record<string, unknown>)[k], i + 1);
  };
  return raw.builds.some((b) => at(b, 0));
}

describe('conformance matrix covers the spec', () => {
  it('every leaf field of the config JSON Schema is set by some build in matrix.yaml', () => {
    const missing = schemaLeaves().filter((p) => !isSet(p) && !Object.keys(REFUSED).some((r) => p === r || p.startsWith(`${r}.`)));
    expect(missing).toEqual([]);
  });
  it.each(Object.keys(REFUSED))('%s is refused at parse time (so no config can exercise it)', (p) => {
    expect(() => parseConfigText(YAML.stringify({ builds: [REFUSED[p].build] }))).toThrow();
  });
});

// ---- what is rendered: renderBundle in-process, plus the CLI's job and render --set ----
const files = new Map(renderBundle(config));
const cli = (argv: string[]) => {
  let out = '';
  let err = '';
  const code = run(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  if (code !== 0) throw new Error(`kimia-bundles ${argv.join(' ')} exited ${code}: ${err}`);
  return out;
};
const CI_COMMIT = 'abcdef0123456789abcdef0123456789abcdef01';
const CI_EPOCH = '1650000000';
files.set('job/m-ci/cli-job-tag/m-ci.yaml', cli(['job', '--config', MATRIX, '--build', 'm-ci', '--ref', 'refs/tags/v1.2.3', '--commit', CI_COMMIT,
  '--profile', 'tag', '--source-date-epoch', CI_EPOCH, '--stdout']));
files.set('job/m-git-job/cli-render-set/m-git-job.yaml', cli(['render', '--config', MATRIX, '--build', 'm-git-job', '--set', 'FLAVOR=full']));

/** The spec as the CLI applied it (README "CI": the tag profile's tags on ci.repository, the commit, its time). */
function specFor(name: string, src: Source): BuildSpec {
  const b = build(name);
  if (src.version === 'cli-job-tag') {
    const repo = b.ci!.repository;
    return { ...b, destinations: ['1.2.3', '1.2', '1', 'latest'].map((t) => `${repo}:${t}`), reproducible: { enabled: true, sourceDateEpoch: CI_EPOCH } };
  }
  return b;
}
const paramsFor = (src: Source): Record<string, string> => {
  if (src.version === 'cli-job-tag') return { COMMIT: CI_COMMIT, SOURCE_DATE_EPOCH: CI_EPOCH };
  if (src.version === 'cli-render-set') return { FLAVOR: 'full' };
  return {};
};


describeConformance('matrix.yaml: every kimia container through the real kimia', () => {
  beforeAll(() => { kimiaBinary(); }, 600_000);
  afterAll(() => {
    removeHostDirs();
    process.stdout.write(`conformance matrix: containers run per source:\n${Object.entries(counts).map(([k, v]) => `  ${v}  ${k}`).join('\n')}\n`
      + `not run:\n${notRun.map((n) => `  - ${n}`).join('\n') || '  (none)'}\n`);
  });
  for (const src of sources(files)) {
    defineSource(src, {
      spec: specFor,
      params: paramsFor,
      planOptions: (s) => {
        const b = build(s.build);
        const sub = b.contextSubPath && !b.contextSubPath.includes('$') && b.contextSubPath !== '.' ? `${b.contextSubPath}/` : '';
        const df = b.dockerfile && !b.dockerfile.includes('$') ? b.dockerfile : 'Dockerfile';
        return { files: () => ({ [`${sub}${df}`]: DOCKERFILE }), fakes: { ...FAKES, gitFiles: { [df]: DOCKERFILE } } };
      },
    });
  }
});
