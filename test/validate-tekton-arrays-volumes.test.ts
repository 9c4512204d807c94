/**
 * Two Tekton rules as tektoncd/pipeline v1.15.0 has them (found by the mutation triage of
 * src/validate/tekton.ts):
 * - task_validation.go:443-448 validateStepArrayUsage runs ValidateVariableReferenceIsIsolated on
 *   command and args (substitution.go:161-186: it trims "[*]" and only asks that the reference be
 *   the whole element), and replacements.go:44-56 ApplyArrayReplacements expands `$(params.a)` as
 *   it expands `$(params.a[*])`; other fields run ValidateNoReferencesToProhibitedVariables;
 * - the Task CRD leaves `spec.volumes` unchecked (its schema is `{}`): a value that is no list of
 *   objects is a finding, never a crash of the gate (gate.ts: "never a rule's crash on its shape").
 */
import { validateDocuments } from '../src/validate/gate';
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const task = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'hello' }, spec });
const step = (field: 'args' | 'command' | 'env', value: string): Doc => (field === 'env'
  ? { name: 's', image: 'busybox', env: [{ name: 'V', value }] }
  : { name: 's', image: 'busybox', [field]: [value] });
const withStep = (s: Doc) => task({ params: [{ name: 'arr', type: 'array' }], steps: [s] });
const whole = 'array param arr may only be used as a whole "$(params.arr[*])" element of command or args, or one element $(params.arr[0])';

describe('a whole array param: $(params.arr) is $(params.arr[*]) (substitution.go:177 TrimSuffix "[*]")', () => {
  it.each([['args', '$(params.arr)'], ['command', '$(params.arr)'], ['args', '$(params.arr[*])'], ['command', '$(params.arr[*])']] as const)(
    'alone as a %s element, %s is accepted', (field, value) => {
      expect(checkTektonRules(withStep(step(field, value)))).toEqual([]);
    });
  it.each([['args', '-$(params.arr)', 'spec.steps[0].args[0]'], ['command', '$(params.arr) x', 'spec.steps[0].command[0]'], ['env', '$(params.arr)', 'spec.steps[0].env[0].value']] as const)(
    'in %s, %s is refused', (field, value, path) => {
      expect(checkTektonRules(withStep(step(field, value)))).toEqual([{ path, message: whole }]);
    });
  it('a key of an array param is no whole array: refused', () => {
    expect(checkTektonRules(withStep(step('args', '$(params.arr.x)')))).toEqual([{ path: 'spec.steps[0].args[0]', message: whole }]);
  });
});

describe('a Task\'s volumes the CRD schema leaves unchecked', () => {
  const steps = [{ name: 's', image: 'busybox', script: 'true' }];
  it.each([[[null]], [{}], [5], [['v']]])('volumes %j is a finding at spec.volumes, not a crash', (volumes) => {
    const doc = task({ steps, volumes });
    expect(() => validateDocuments('t.yaml', [doc])).not.toThrow();
    expect(validateDocuments('t.yaml', [doc]).map((i) => `${i.path}: ${i.message}`)).toContain('spec.volumes: must be a list of objects');
    expect(checkTektonRules(doc)).toEqual([{ path: 'spec.volumes', message: 'must be a list of objects' }]);
  });
  it('a list of volumes is read as before: names unique, tekton-internal- reserved', () => {
    const doc = task({ steps, volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }, { name: 'tekton-internal-x', emptyDir: {} }] });
    expect(checkTektonRules(doc)).toEqual([
      { path: 'spec.volumes[1].name', message: 'duplicate volume name "a"' },
      { path: 'spec.volumes[2].name', message: 'volume names starting with tekton-internal- are reserved' },
    ]);
  });
});
