/**
 * Mutants of src/spec/profiles.ts (applyProfile, profileForRef, refLabel).
 * Upstream facts used here (Kubernetes apimachinery, pkg/util/validation/validation.go):
 * - a label value is at most 63 characters, empty or starting and ending with [A-Za-z0-9]
 *   (IsValidLabelValue, LabelValueMaxLength = 63);
 * - a Job name is a DNS-1123 label, at most 63 characters (IsDNS1123Label, DNS1123LabelMaxLength = 63).
 * kimia reads SOURCE_DATE_EPOCH for --reproducible (../shared/reference/kimia.md).
 */
import { applyProfile, parseBuildSpec, profileForRef, refLabel, type BuildSpecInput, type CiRun } from '../src/internal';
import { BASE } from './helpers';

const SHA = '3f2a9c81d4e5b6a7980112233445566778899aab';
const SIGNED: BuildSpecInput = {
  ...BASE,
  attestation: 'max',
  signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } },
  ci: { repository: 'registry.io/myapp' },
};
const spec = (over: Partial<BuildSpecInput> = {}) => parseBuildSpec({ ...SIGNED, ...over });
const run = (r: Partial<CiRun> = {}): CiRun => ({ ref: 'refs/heads/main', commit: SHA, ...r });

describe('profileForRef: only a ref starting with refs/pull/ or refs/merge-requests/ is a pull request', () => {
  it.each(['refs/heads/refs/pull/1/head', 'refs/heads/x/refs/merge-requests/2/head'])('a branch named like a PR ref, %s, needs an explicit profile', (ref) => {
    expect(() => profileForRef(ref)).toThrow(`ref: "${ref}" is neither a pull request, a tag nor refs/heads/main: choose a profile (--profile manual or pr)`);
  });
});

describe('refLabel: a Kubernetes label value (apimachinery IsValidLabelValue: <= 63 chars, starts and ends alphanumeric)', () => {
  it.each([
    // only a leading refs/ is dropped
    ['heads/refs/x', 'heads.refs.x'],
    // every leading and trailing non-alphanumeric character is dropped, none replaced
    ['refs/__x__', 'x'],
    ['refs/_x', 'x'],
    ['refs/-.x', 'x'],
    // longer than 63: cut at 63, then the trailing non-alphanumerics of the cut are dropped
    [`refs/heads/${'a'.repeat(70)}`, 'heads.' + 'a'.repeat(57)],
    [`refs/${'a'.repeat(61)}//b`, 'a'.repeat(61)],
    [`refs/${'a'.repeat(62)}.b`, 'a'.repeat(62)],
  ])('%s -> %s', (ref, label) => {
    expect(refLabel(ref)).toBe(label);
  });
});

describe('applyProfile', () => {
  it('records org.opencontainers.image.version only for the tag profile', () => {
    const labels = (r: CiRun) => applyProfile(spec(), r).labels;
    expect(labels(run({ profile: 'main' }))).toEqual({ 'org.opencontainers.image.revision': SHA });
    expect(labels(run({ profile: 'manual', ref: 'refs/heads/feature/x' }))).toEqual({ 'org.opencontainers.image.revision': SHA });
    expect(applyProfile(spec(), run({ profile: 'main' })).job.name).toBe('app-3f2a9c8-main');
    expect(labels(run({ ref: 'refs/tags/v1.2.3' }))).toEqual({ 'org.opencontainers.image.revision': SHA, 'org.opencontainers.image.version': '1.2.3' });
  });

  it("takes SOURCE_DATE_EPOCH from the run only when the spec is reproducible and the run gives one", () => {
    const repro = (r: BuildSpecInput['reproducible'], epoch?: string) => applyProfile(spec({ reproducible: r }), run({ sourceDateEpoch: epoch })).reproducible;
    // reproducible and the run's epoch: the run's epoch wins
    expect(repro({ sourceDateEpoch: '1609459200' }, '1700000000')).toEqual({ enabled: true, sourceDateEpoch: '1700000000' });
    expect(repro(true, '1700000000')).toEqual({ enabled: true, sourceDateEpoch: '1700000000' });
    // no epoch in the run: the spec's stays
    expect(repro({ sourceDateEpoch: '1609459200' })).toEqual({ enabled: true, sourceDateEpoch: '1609459200' });
    // not reproducible: the run's epoch does not turn it on
    expect(repro(undefined, '1700000000')).toBeUndefined();
    expect(repro(false, '1700000000')).toEqual({ enabled: false });
    expect(repro(undefined)).toBeUndefined();
  });

  it('prefixes the issues of the re-parsed spec with the profile and ref (SOURCE_DATE_EPOCH is Unix seconds: kimia help.go:325)', () => {
    expect(() => applyProfile(spec({ reproducible: true }), run({ sourceDateEpoch: 'abc' }))).toThrow(/^reproducible\.sourceDateEpoch: with profile main \(ref refs\/heads\/main\): must be Unix seconds \(digits only\)$/);
  });

  describe('names the Job <build>-<sha7>-<profile or version>, a DNS-1123 label of at most 63 characters (apimachinery IsDNS1123Label)', () => {
    const name52 = 'b'.repeat(52); // the longest build name the schema allows
    it.each<[string, Partial<CiRun>, string]>([
      // a long build name is cut so that the name stays at 63 characters
      [name52, { profile: 'main' }, `${'b'.repeat(50)}-3f2a9c8-main`],
      [name52, { ref: 'refs/tags/v1.2.3' }, `${'b'.repeat(48)}-3f2a9c8-v1-2-3`],
      // a long pre-release: the tail is cut at 30 characters
      ['app', { ref: 'refs/tags/v1.0.0-alpha.beta.gamma.delta.epsilon' }, 'app-3f2a9c8-v1-0-0-alpha-beta-gamm'],
      [name52, { ref: 'refs/tags/v1.0.0-alpha.beta.gamma.delta.epsilon' }, `${'b'.repeat(32)}-3f2a9c8-v1-0-0-alpha-beta-gamm`],
      // runs of non-alphanumerics in the version are one "-" (and count as one towards the cut)
      [name52, { ref: 'refs/tags/v1.0.0-rc..1' }, `${'b'.repeat(43)}-3f2a9c8-v1-0-0-rc-1`],
      // the cut at 30 characters may land on a dash: it is dropped after the cut, the name stays a DNS label
      ['app', { ref: 'refs/tags/v1.0.0-alpha.beta.gam.x' }, 'app-3f2a9c8-v1-0-0-alpha-beta-gam'],
      // a trailing non-alphanumeric of the version is dropped
      ['app', { ref: 'refs/tags/v1.0.0-rc.' }, 'app-3f2a9c8-v1-0-0-rc'],
      // runs of "-" become one "-"
      ['my---app', { profile: 'main' }, 'my-app-3f2a9c8-main'],
      ['my--app', { profile: 'main' }, 'my-app-3f2a9c8-main'],
      // the cut build name ends in "-": no "--" before the commit
      [`${'b'.repeat(49)}-cc`, { profile: 'main' }, `${'b'.repeat(49)}-3f2a9c8-main`],
    ])('%s %j -> %s', (name, r, jobName) => {
      const applied = applyProfile(spec({ name }), run(r));
      expect(applied.job.name).toBe(jobName);
      expect(applied.job.name?.length).toBeLessThanOrEqual(63);
    });
  });
});
