/**
 * resolveParams (src/spec/resolve.ts), the survivors of its mutation run (reports/MUTATION.md):
 * the issues it reports, in a fixed order and with the words that tell the user what to do.
 */
import { parseBuildSpec, resolveParams, SpecError } from '../src/internal';
import { BASE } from './helpers';

const issuesOf = (f: () => unknown): string[] => {
  try { f(); } catch (e) { if (e instanceof SpecError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`); throw e; }
  return [];
};

describe('resolveParams reports values for undeclared params', () => {
  it('in name order, whatever order the values were given in', () => {
    const spec = parseBuildSpec({ ...BASE, params: { TAG: { description: 't', default: 'v1' } }, destinations: ['registry.io/a:${TAG}'] });
    expect(issuesOf(() => resolveParams(spec, { ZED: '1', ALPHA: '2', TAG: 'v2' }))).toEqual([
      'params.ALPHA: no param "ALPHA" is declared (declared: TAG)',
      'params.ZED: no param "ZED" is declared (declared: TAG)',
    ]);
  });
  it('lists every declared param, and says nothing more when none is declared', () => {
    const two = parseBuildSpec({ ...BASE, params: { TAG: { description: 't', default: 'v1' }, REPO: { description: 'r', default: 'a' } }, destinations: ['registry.io/${REPO}:${TAG}'] });
    expect(issuesOf(() => resolveParams(two, { X: '1' }))).toEqual(['params.X: no param "X" is declared (declared: TAG, REPO)']);
    const none = parseBuildSpec(BASE);
    expect(issuesOf(() => resolveParams(none, { X: '1' }))).toEqual(['params.X: no param "X" is declared']);
  });
});

describe('resolveParams names the values a field was given when the bound spec fails its rules', () => {
  it('a destination that duplicates another once ${TAG} is bound says which value made it', () => {
    const spec = parseBuildSpec({ ...BASE, params: { TAG: { description: 't', default: 'v1' } }, destinations: ['registry.io/a:v1', 'registry.io/a:${TAG}'] });
    expect(issuesOf(() => resolveParams(spec))).toEqual(['destinations.1: with ${TAG}="v1": duplicate destination "registry.io/a:v1"']);
    expect(issuesOf(() => resolveParams(spec, { TAG: 'v2' }))).toEqual([]);
  });
  it('every param of the field, in the order the field names them', () => {
    const spec = parseBuildSpec({
      ...BASE,
      params: { TAG: { description: 't', default: 'v1' }, REPO: { description: 'r', default: 'a' } },
      destinations: ['registry.io/a:v1', 'registry.io/${REPO}:${TAG}'],
    });
    expect(issuesOf(() => resolveParams(spec))).toEqual(['destinations.1: with ${REPO}="a", ${TAG}="v1": duplicate destination "registry.io/a:v1"']);
  });
});
