/**
 * Issue 14: a bundle whose content did not change is not emitted again under the build's new
 * version. It stays at its latest release (the lock's record), the Pipeline then runs its Task at
 * the Task's release, and `release` has nothing new to record for it.
 */
import * as path from 'node:path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { loadConfig, parseConfig, recordReleases, renderBundle, unchangedRelease, type LockFile } from '../src/internal';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const input = (over: Obj = {}) => {
  const b = examples.builds.find((x) => x.name === 'kimia-build')!;
  return { builds: [{ ...b, version: '1.0', ...over }] };
};
/** A lock that released every bundle of `config` as rendered now. */
function released(config: ReturnType<typeof parseConfig>): LockFile {
  const lock: LockFile = { lockVersion: 1, bundles: {} };
  recordReleases(renderBundle(config, { lock }), lock, 'first');
  return lock;
}
const BUNDLES = ['argo/workflowtemplate/kimia-build', 'tekton/pipeline/kimia-build', 'tekton/task/kimia-build'];
const at = (b: ReturnType<typeof renderBundle>) => Object.fromEntries(b.releases.map((r) => [r.bundle, r.version]));

describe('a bundle unchanged since its latest release stays at it when the build version moves', () => {
  // Released in each test, not while the file loads (npm run mutation sees which tests run which code).
  let lock: LockFile;
  beforeEach(() => { lock = released(parseConfig(input())); });

  it('1.0 released: moving the build to 1.1 with nothing changed emits no 1.1 at all, and release records nothing', () => {
    const b = renderBundle(parseConfig(input({ version: '1.1' })), { lock });
    expect(at(b)).toEqual(Object.fromEntries(BUNDLES.map((k) => [k, '1.0'])));
    expect([...b.keys()].filter((p) => p.includes('/1.1/'))).toEqual([]);
    expect(parse(b.get('tekton/task/kimia-build/1.0/kimia-build.yaml')!).metadata.labels['app.kubernetes.io/version']).toBe('1.0');
    const copy = structuredClone(lock);
    expect(recordReleases(b, copy)).toEqual([]);
  });

  it('a change to the Pipeline only (git-clone release): the Pipeline is 1.1 and runs the Task at 1.0; the Argo template stays 1.0', () => {
    const b = renderBundle(parseConfig(input({ version: '1.1', tekton: { ...examples.builds.find((x) => x.name === 'kimia-build')!.tekton, gitCloneVersion: '1.6.0' } })), { lock });
    expect(at(b)).toEqual({ 'tekton/task/kimia-build': '1.0', 'tekton/pipeline/kimia-build': '1.1', 'argo/workflowtemplate/kimia-build': '1.0' });
    const pipeline = parse(b.get('tekton/pipeline/kimia-build/1.1/kimia-build.yaml')!);
    expect(pipeline.metadata.labels['app.kubernetes.io/version']).toBe('1.1');
    const build = pipeline.spec.tasks.find((t: Obj) => t.name === 'build');
    expect(build.taskRef.params).toContainEqual({ name: 'bundle', value: 'ghcr.io/kimia-bundles/catalog/tasks/kimia-build:1.0' });
    const readme = b.get('tekton/pipeline/kimia-build/1.1/README.md')!;
    expect(readme).toContain('Task at 1.0 (its content has not changed since)');
    expect(readme).toContain('-f https://raw.githubusercontent.com/kimia-bundles/kimia-bundles/main/dist/tekton/pipeline/kimia-build/1.1/kimia-build.yaml');
    expect(recordReleases(b, structuredClone(lock))).toEqual([{ bundle: 'tekton/pipeline/kimia-build', version: '1.1' }]);
  });

  it('a change to the Task moves the Task and, through its reference, the Pipeline', () => {
    const b = renderBundle(parseConfig(input({ version: '1.1', labels: { team: 'a' } })), { lock });
    expect(at(b)['tekton/task/kimia-build']).toBe('1.1');
    const pipeline = parse(b.get('tekton/pipeline/kimia-build/1.1/kimia-build.yaml')!);
    expect(pipeline.spec.tasks.find((t: Obj) => t.name === 'build').taskRef.params).toContainEqual({ name: 'bundle', value: 'ghcr.io/kimia-bundles/catalog/tasks/kimia-build:1.1' });
  });

  it('a withdrawn release is never stayed at: the same content is emitted under the new version', () => {
    const w = structuredClone(lock);
    w.bundles['tekton/task/kimia-build']['1.0'].withdrawn = 'broken';
    const b = renderBundle(parseConfig(input({ version: '1.1' })), { lock: w });
    expect(at(b)['tekton/task/kimia-build']).toBe('1.1');
  });

  it('a released version stays what it is, even when its content equals an earlier release (as task kimia-build 0.6 and 0.7 in the examples)', () => {
    const b = renderBundle(parseConfig(input()), { lock: { lockVersion: 1, bundles: { 'tekton/task/kimia-build': { '0.9': lock.bundles['tekton/task/kimia-build']['1.0'], '1.0': lock.bundles['tekton/task/kimia-build']['1.0'] } } } });
    expect(at(b)['tekton/task/kimia-build']).toBe('1.0');
  });

  it('with param values (a concrete run) every bundle is at the build version', () => {
    const b = renderBundle(parseConfig(input({ version: '1.1' })), { lock, params: { IMAGE: 'registry.example.com/a:b' } });
    expect([...b.versions].sort()).toEqual(BUNDLES.map((k) => `${k}/1.1`));
  });

  it('in a caller\'s scope, the charts of the discarded passes are removed: one chart per engine', () => {
    const app = new App();
    renderBundle(parseConfig(input({ version: '1.1', tekton: { ...examples.builds.find((x) => x.name === 'kimia-build')!.tekton, gitCloneVersion: '1.6.0' } })), { lock, scope: app });
    expect(app.charts.map((c) => c.node.id).sort()).toEqual(['argo-kimia-build', 'tekton-kimia-build']);
  });
});

describe('unchangedRelease', () => {
  const lock: LockFile = { lockVersion: 1, bundles: { b: {
    '0.9': { sha256: 'sha256:a', notes: 'n' }, '0.10': { sha256: 'sha256:b', notes: 'n' }, '0.11': { sha256: 'sha256:c', notes: 'n', withdrawn: 'x' },
  } } };
  it.each([
    ['the latest release before the version, in semver order (0.10 after 0.9)', 'b', '0.12', 'sha256:b', '0.10'],
    ['not an older one with that content', 'b', '0.12', 'sha256:a', undefined],
    ['not a withdrawn one', 'b', '0.12', 'sha256:c', undefined],
    ['not for a released version', 'b', '0.10', 'sha256:a', undefined],
    ['not a later one', 'b', '0.8', 'sha256:a', undefined],
    ['nothing for an unknown bundle (nor for inherited names)', 'toString', '1.0', 'sha256:a', undefined],
  ])('%s', (_why, bundle, version, sha, want) => {
    expect(unchangedRelease(lock, bundle, version, sha)).toBe(want);
  });
});
