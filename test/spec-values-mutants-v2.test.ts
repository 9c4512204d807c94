/**
 * Survivors of the mutation run in src/spec/values.ts: image references (splitImageReference,
 * parseImage), the image fields of a spec (builderImage, attestation generators, ci.repository,
 * Argo's …IMAGE params), the forms of a templated value (a sample, and the params' defaults), and
 * the Masterminds/semver constraint parser behind `argo.minArgoVersion`.
 *
 * Upstream facts relied on:
 * - distribution/reference (normalize.go splitDockerDomain, regexp.go): the first "/"-separated
 *   component is a registry only when more components follow and it holds "." or ":", is
 *   `localhost` or has uppercase letters; a registry is host[:port] (letters, digits, "-" per label,
 *   no "_"); path components are lowercase letters and digits separated by ".", "_", "__" or "-";
 *   a name (registry and path) is at most 255 characters (NameTotalLengthMax); "@digest" is split
 *   off first, even at the very start of the reference.
 * - Masterminds/semver v1.5.0 constraints.go: parseConstraint rewrites "1.2.x" to "1.2.0" and
 *   "x"/"*" to "0.0.0" before NewVersion; a patch that is not an x ("3|4") is kept and refused by
 *   NewVersion. version.go: each of major, minor and patch is read with strconv.ParseInt(…, 10, 64),
 *   so 9223372036854775807 is the largest number accepted in any of them.
 */
import { isMastermindsConstraint, parseImage, splitImageReference } from '../src/spec/values';
import { BASE, errorsOf } from './helpers';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const PATH_MESSAGE = 'has a repository path that is not lowercase letters and digits, separated by "/", ".", "_", "__" or "-"';

describe('splitImageReference: the one split into name, tag and digest', () => {
  it('an empty reference is an error of its own', () => {
    expect(splitImageReference('')).toStrictEqual({ error: 'empty' });
  });

  it('a reference starting with "@" is all digest: the name before it is empty', () => {
    expect(splitImageReference(`@${DIGEST}`)).toStrictEqual({ name: '', digest: DIGEST });
    expect(splitImageReference('@x')).toStrictEqual({ error: 'digest', part: 'x' });
  });

  it('has no tag or digest key when the reference has none', () => {
    expect(splitImageReference('r.io/a')).toStrictEqual({ name: 'r.io/a' });
    expect(splitImageReference('r.io/a:1')).toStrictEqual({ name: 'r.io/a', tag: '1' });
    expect(splitImageReference(`r.io/a@${DIGEST}`)).toStrictEqual({ name: 'r.io/a', digest: DIGEST });
  });
});

describe('parseImage: Docker\'s rules for the name', () => {
  it('an empty reference "is empty"; a reference starting with "@x" has a bad digest', () => {
    expect(parseImage('')).toBe('is empty');
    expect(parseImage('@x')).toBe('has a digest that is not sha256:<64 lowercase hex digits>');
  });

  it('has no tag or digest key when the reference has none', () => {
    expect(parseImage('alpine')).toStrictEqual({ name: 'alpine' });
    expect(parseImage('r.io/a:1')).toStrictEqual({ name: 'r.io/a', tag: '1' });
    expect(parseImage(`r.io/a@${DIGEST}`)).toStrictEqual({ name: 'r.io/a', digest: DIGEST });
  });

  it.each([
    // one component is always a repository, even with "." (no registry rules apply to it)
    ['a__b.c', { name: 'a__b.c' }],
    // a first component without ".", ":", uppercase and not localhost is a path component
    ['a_b/c', { name: 'a_b/c' }],
    // uppercase makes the first component a registry (host names may have uppercase)
    ['A/b', { name: 'A/b' }],
  ])('%s is a valid reference', (ref, parsed) => {
    expect(parseImage(ref)).toStrictEqual(parsed);
  });

  it.each([
    // a registry must be host[:port]: no "_"
    ['r_x.io/a', 'has a registry "r_x.io" that is not host[:port]'],
    // an empty first component is an (invalid) path component, not a registry
    ['/a', PATH_MESSAGE],
    // every path component must be lowercase, not only the first
    ['a/B', PATH_MESSAGE],
  ])('%s is refused: it %s', (ref, message) => {
    expect(parseImage(ref)).toBe(message);
  });

  it('a name may have 255 characters, not 256', () => {
    expect(parseImage('a'.repeat(255))).toStrictEqual({ name: 'a'.repeat(255) });
    expect(parseImage('a'.repeat(256))).toBe('has a name longer than 255 characters');
  });
});

describe('image fields of a spec are references', () => {
  it('builderImage, an SBOM generator and ci.repository are reported at their field', () => {
    expect(errorsOf({ ...BASE, builderImage: 'r_x.io/kimia:1' })).toEqual([
      'builderImage: "r_x.io/kimia:1" is not an image reference: it has a registry "r_x.io" that is not host[:port]',
    ]);
    expect(errorsOf({ ...BASE, attestation: { attest: [{ type: 'sbom', generator: 'r_x.io/syft:1' }] } })).toEqual([
      'attestation.attest[0].generator: "r_x.io/syft:1" is not an image reference: it has a registry "r_x.io" that is not host[:port]',
    ]);
    expect(errorsOf({ ...BASE, ci: { repository: 'r_x.io/app' } })).toEqual([
      'ci.repository: "r_x.io/app" is not an image repository: it has a registry "r_x.io" that is not host[:port]',
    ]);
  });

  it('ci.repository has no digest either (the CI profiles add the tags)', () => {
    expect(errorsOf({ ...BASE, ci: { repository: `registry.io/app@${DIGEST}` } })).toEqual([
      'ci.repository: "registry.io/app@sha256:aaaaaaaaaaaaaaaaa…" must be a repository without tag or digest: the CI profiles add the tags',
    ]);
  });

  it('an Argo …IMAGE param: its default must be a reference, an empty default is not checked', () => {
    const argo = (def: string) => errorsOf({ ...BASE, outputs: ['argo'], params: { IMAGE: { description: 'i', default: def } }, labels: { img: '${IMAGE}' } });
    expect(argo('')).toEqual([]);
    expect(argo('r_x.io/app:1')).toEqual([
      'params.IMAGE.default: "r_x.io/app:1" is not an image reference: it has a registry "r_x.io" that is not host[:port] (the Argo catalog reads a param named …IMAGE as an image)',
    ]);
  });
});

describe('a templated value is checked with a sample, and with the defaults when every param has one', () => {
  const A = { description: 'a', default: 'X' };
  const B = { description: 'b', default: 'y' };

  it('names every param it sampled, separated by ", "', () => {
    expect(errorsOf({ ...BASE, job: { name: 'App-${A}-${B}' }, params: { A: { description: 'a' }, B: { description: 'b' } } })).toEqual([
      'job.name: with a sample value for ${A}, ${B}, "App-x-x" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job',
    ]);
  });

  it('names every param whose default it used, separated by ", "', () => {
    expect(errorsOf({ ...BASE, job: { name: 'app-${A}-${B}' }, params: { A, B } })).toEqual([
      'job.name: with the default of ${A}, ${B}, "app-X-y" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job',
    ]);
  });

  it('no form with the defaults when one param has none', () => {
    expect(errorsOf({ ...BASE, job: { name: 'app-${A}-${B}' }, params: { A, B: { description: 'b' } } })).toEqual([]);
    expect(errorsOf({ ...BASE, builderImage: '${IMG}', params: { IMG: { description: 'i' } } })).toEqual([]);
  });

  it('a param that is not declared is reported once, as undeclared', () => {
    expect(errorsOf({ ...BASE, job: { name: 'app-${NOPE}' } })).toEqual(['job.name: references ${NOPE} but no param "NOPE" is declared under params']);
  });
});

describe('isMastermindsConstraint: Masterminds/semver v1.5.0 NewConstraint', () => {
  it.each([
    // x ranges are rewritten before the version is read
    ['*'], ['x'], ['>= X'], ['1.2.x'], ['~1.2.*'],
    // ParseInt(…, 10, 64): the largest int64 in each part
    ['>= 9223372036854775807'], ['1.9223372036854775807'], ['1.2.9223372036854775807'], ['>= 1000000000000000000'],
  ])('accepts %s', (c) => {
    expect(isMastermindsConstraint(c)).toBe(true);
  });

  it.each([
    // one above the largest int64, and far above it, in each part
    ['>= 9223372036854775808'], ['>= 9999999999999999999'], ['>= 1000000000000000000000'],
    ['1.99999999999999999999'], ['1.2.99999999999999999999'],
    // a patch that is not an x is read as a number: "|" is not one
    ['1.2.3|4'],
  ])('refuses %s', (c) => {
    expect(isMastermindsConstraint(c)).toBe(false);
  });
});
