/**
 * Survivors of the mutation run on src/validate/tekton.ts (its name patterns and the param type of
 * a default), called through checkTektonRules on hand-built tekton.dev/v1 Tasks, with literal
 * expectations from tektoncd/pipeline v1.15.0:
 * - pkg/apis/validate/metadata.go ObjectMetadata: metadata.name passes
 *   k8s.io/apimachinery validation.IsDNS1123Subdomain (vendor/…/util/validation/validation.go:184
 *   dns1123SubdomainFmt = dns1123LabelFmt "(\." dns1123LabelFmt ")*", dns1123LabelFmt
 *   "[a-z0-9]([-a-z0-9]*[a-z0-9])?"): every label after a dot is any length from one character up,
 *   starts and ends with a letter or digit, and has only letters, digits and "-" inside;
 * - pkg/apis/pipeline/v1/param_types.go:61 `Default *ParamValue`: a YAML `default: null` unmarshals to a
 *   nil pointer (encoding/json sets a pointer to nil for null without calling ParamValue.UnmarshalJSON),
 *   so it is no default at all: SetDefaults `case pp.Default == nil` -> string, and ValidateType has no
 *   default to compare with the declared type.
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const task = (spec: Doc, name = 'hello'): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec });
const STEPS = [{ name: 's', image: IMG }];

describe('metadata.name: the labels after a dot (validate/metadata.go, IsDNS1123Subdomain dns1123SubdomainFmt)', () => {
  it.each(['kimia.a', 'kimia.io', 'kimia.dev', 'kimia.build', 'kimia.build-app', 'a.b.c'])(
    'a later label of any length is accepted: %s', (name) => {
      expect(checkTektonRules(task({ steps: STEPS }, name))).toEqual([]);
    },
  );
  it.each(['kimia.-a', 'kimia.a-', 'kimia.a_b', 'kimia.A'])(
    'a later label starting or ending with "-", or holding "_" or a capital, is refused: %s', (name) => {
      expect(checkTektonRules(task({ steps: STEPS }, name))).toEqual([
        { path: 'metadata.name', message: `"${name}" must be a DNS-1123 subdomain of at most 63 characters` },
      ]);
    },
  );
});

describe('a default of null is no default (param_types.go:61 Default *ParamValue; SetDefaults case pp.Default == nil)', () => {
  it('a string param with default: null has no default of another type', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'N', type: 'string', default: null }],
      steps: [{ name: 's', image: IMG, args: ['$(params.N)'] }],
    }))).toEqual([]);
  });
});
