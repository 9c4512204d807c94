/**
 * `job` builds what the CI run says (issue 11): the commit and its time reach every field that
 * uses the params ci.commitParam / ci.sourceDateEpochParam name, a commit whose time cannot be
 * read fails a reproducible build instead of keeping a default epoch, and advice (warnings)
 * about valid specs is printed without failing.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cli } from './helpers';

let tmp: string;
beforeEach(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-jobrun-'))); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CONFIG = (ci: string, extra = '') => `builds:
  - name: app
    outputs: [job]
    params:
      COMMIT: {description: the commit, default: "0000000"}
      SOURCE_DATE_EPOCH: {description: commit time, default: "1"}
    context: {git: {url: https://github.com/myorg/myapp.git, revision: "\${COMMIT}"}}
    destinations: ["registry.io/myapp:\${COMMIT}"]
    buildArgs: {VERSION: "\${COMMIT}"}
    labels: {org.opencontainers.image.revision: "\${COMMIT}"}
    reproducible: {sourceDateEpoch: "\${SOURCE_DATE_EPOCH}"}
${extra}    ci:
      repository: registry.io/myapp
${ci}`;

function repo(): { dir: string; commit: string; time: string } {
  const dir = path.join(tmp, 'repo');
  fs.mkdirSync(dir);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_DATE: '1700000000 +0000', GIT_AUTHOR_DATE: '1700000000 +0000' } }).trim();
  git('init', '-q');
  git('-c', 'user.email=a@b.c', '-c', 'user.name=n', 'commit', '-q', '--allow-empty', '-m', 'x');
  return { dir, commit: git('rev-parse', 'HEAD'), time: git('log', '-1', '--format=%ct') };
}

function inDir<T>(dir: string, body: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try { return body(); } finally { process.chdir(before); }
}

const jobArgs = (config: string, commit: string, ...more: string[]) => ['job', '--config', config, '--build', 'app', '--ref', 'refs/pull/7/head', '--commit', commit, '--stdout', ...more];
const kimiaOf = (yaml: string) => parse(yaml).spec.template.spec.containers.find((c: { name: string }) => c.name === 'kimia');

describe('job binds the commit and its time to the params ci names', () => {
  it('--commit reaches the build arg, label, revision and tag; the commit time reaches SOURCE_DATE_EPOCH', () => {
    const { dir, commit, time } = repo();
    expect(time).toBe('1700000000');
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG('      commitParam: COMMIT\n      sourceDateEpochParam: SOURCE_DATE_EPOCH\n'));
    const r = inDir(dir, () => cli(...jobArgs(config, commit)));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const kimia = kimiaOf(r.out);
    expect(kimia.args).toEqual(expect.arrayContaining([
      `--git-revision=${commit}`, `--build-arg=VERSION=${commit}`, `--label=org.opencontainers.image.revision=${commit}`,
      `--destination=registry.io/myapp:sha-${commit}`,
    ]));
    expect(kimia.args.join(' ')).not.toContain('0000000');
    expect(kimia.env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1700000000' });
  });

  it('--source-date-epoch wins over the commit time', () => {
    const { dir, commit } = repo();
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG('      commitParam: COMMIT\n      sourceDateEpochParam: SOURCE_DATE_EPOCH\n'));
    const r = inDir(dir, () => cli(...jobArgs(config, commit, '--source-date-epoch', '1234')));
    expect(r.code).toBe(0);
    expect(kimiaOf(r.out).env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1234' });
  });

  it('a --set that disagrees with --commit is refused', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG('      commitParam: COMMIT\n'));
    const r = cli(...jobArgs(config, 'abcdef1', '--set', 'COMMIT=1234567', '--source-date-epoch', '5'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--set COMMIT=1234567 disagrees with --commit abcdef1');
    expect(r.out).toBe('');
  });

  it('a reproducible build whose commit time cannot be read fails instead of keeping the default epoch', () => {
    const { dir } = repo();
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG('      commitParam: COMMIT\n      sourceDateEpochParam: SOURCE_DATE_EPOCH\n'));
    const r = inDir(dir, () => cli(...jobArgs(config, 'abcdef1234567')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read the commit time of abcdef1234567 with git');
    expect(r.err).toContain('pass --source-date-epoch');
    expect(r.out).toBe('');
  });

  it('without ci params the defaults are kept, and the job says so', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG(''));
    const r = cli(...jobArgs(config, 'abcdef1', '--source-date-epoch', '5'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^.*c\.yaml:\d+:\d+: builds\[0\]\.params: warning: COMMIT, SOURCE_DATE_EPOCH keep their default/m);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('ci params must name declared params', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, CONFIG('      commitParam: SHA\n'));
    const r = cli('synth', '--config', config, '--out', path.join(tmp, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/c\.yaml:\d+:\d+: builds\[0\]\.ci\.commitParam: names param "SHA", which is not declared under params/);
  });
});

describe('warnings about valid specs', () => {
  const base = `builds:
  - name: app
    outputs: [job]
    context: {git: {url: https://github.com/myorg/myapp.git}}
`;
  it('reproducible with attestations: the index digest varies (kimia builder.go:1093); exit 0', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, `${base}    destinations: [registry.io/a:1]\n    reproducible: true\n    attestation: max\n    cache: {enabled: false}\n`);
    const r = cli('synth', '--config', config, '--out', path.join(tmp, 'out'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/c\.yaml:6:19: builds\[0\]\.reproducible: warning: with attestations the image index digest varies between runs/);
    fs.writeFileSync(config, `${base}    destinations: [registry.io/a:1]\n    reproducible: true\n    attestation: 'off'\n    cache: {enabled: false}\n`);
    expect(cli('synth', '--config', config, '--out', path.join(tmp, 'out')).err).not.toContain('warning');
  });
  it('signing several tags of one repository: one identical signature per tag', () => {
    const config = path.join(tmp, 'c.yaml');
    fs.writeFileSync(config, `${base}    destinations: [registry.io/a:1, registry.io/a:latest, "localhost:5000/b:1"]\n    attestation: max\n    signing: {key: {secretName: k, key: cosign.key}, in: builder}\n`);
    const r = cli('render', '--config', config, '--build', 'app');
    expect(r.code).toBe(0);
    expect(r.err).toContain("builds[0].destinations: warning: kimia's --sign signs repo@digest once per destination, so registry.io/a gets 2 identical signatures");
    expect(r.err).not.toContain('localhost:5000/b gets');
  });
});
