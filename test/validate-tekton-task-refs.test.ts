/**
 * `$(params…)` in a Task's steps, sidecars and step template, read by the same reader as a
 * Pipeline's (literal expectations; tektoncd/pipeline v1.15.0):
 * - pkg/apis/pipeline/v1/task_validation.go ValidateUsageOfDeclaredParameters calls
 *   validateVariables(steps, "params", names), which is substitution.go
 *   ValidateNoReferencesToUnknownVariables: ExtractVariablesFromString (braceMatchingRegex with
 *   `.*?(\[\*\])?`, so any name, `$(params.9x)` included) + TrimArrayIndex; more than two
 *   dot-separated parts is "Invalid referencing of parameters";
 * - task_validation.go validateObjectUsage: validateVariables(steps, "params\\."+name, keys), so
 *   `$(params.obj.key)` names one of obj's properties;
 * - task_validation.go validateDeclaredWorkspaces: a workspace's filepath.Clean'd mountPath may not
 *   be a volumeMount's of the stepTemplate or of any step.
 */
import { checkTektonRules } from '../src/validate/tekton';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const PARAMS = [
  { name: 'x', type: 'string' },
  { name: 'arr', type: 'array' },
  { name: 'a.b', type: 'string' },
  { name: 'obj', type: 'object', properties: { url: { type: 'string' } } },
];
const task = (spec: Doc): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'hello' }, spec });
const withArg = (arg: string, extra: Doc = {}) =>
  task({ params: PARAMS, steps: [{ name: 's', image: 'busybox', args: [arg] }], ...extra });

describe('a Task step reads $(params…) as substitution.go does', () => {
  it.each([
    '$(params.x)', '$(params.arr[*])', '$(params.arr[0])', 'pre-$(params.arr[2])', '$(params.obj.url)',
    '$(params["a.b"])', "$(params['a.b'])", '$(params["x"])',
  ])('%s names a declared param and is used as its type allows: accepted', (arg) => {
    expect(checkTektonRules(withArg(arg))).toEqual([]);
  });

  it.each([
    // the dot form names everything up to the first dot: a name starting with a digit is a name too
    ['$(params.9x)', '$(params.9x) is not a declared param'],
    ['$(params.a.b)', '$(params.a) is not a declared param'],
    ['$(params["nope"])', '$(params.nope) is not a declared param'],
    ['$(params.x.y.z)', '$(params.x.y.z): only two dot-separated parts may follow params (a param, or an object param and its key); name a param with dots as $(params["a.b"])'],
    ['$(params.obj.rev)', '$(params.obj.rev): object param obj has no key "rev"'],
    ['$(params.x[*])', '$(params.x[*]) expands an array, but x is a string'],
    ['-$(params.arr[*])', 'array param arr may only be used as a whole "$(params.arr[*])" element of command or args, or one element $(params.arr[0])'],
  ])('%s is refused: %s', (arg, message) => {
    expect(checkTektonRules(withArg(arg))).toEqual([{ path: 'spec.steps[0].args[0]', message }]);
  });

  it('an object param without properties is refused (task_validation.go ValidateObjectParamsHaveProperties); its keys are not checked', () => {
    const doc = task({ params: [{ name: 'loose', type: 'object' }], steps: [{ name: 's', image: 'busybox', args: ['$(params.loose.any)'] }] });
    expect(checkTektonRules(doc)).toEqual([{ path: 'spec.params[0].properties', message: 'object param loose needs properties' }]);
  });

  it('sidecars and the step template are read by the same reader: $(params.9x) and three parts are refused there', () => {
    const doc = withArg('$(params.x)', {
      sidecars: [{ name: 'side', image: 'busybox', args: ['$(params.9x)'] }],
      stepTemplate: { env: [{ name: 'A', value: '$(params.x.y.z)' }] },
    });
    expect(checkTektonRules(doc)).toEqual([
      { path: 'spec.stepTemplate.env[0].value', message: expect.stringMatching(/^\$\(params\.x\.y\.z\): only two dot-separated parts/) },
      { path: 'spec.sidecars[0].args[0]', message: '$(params.9x) is not a declared param' },
    ]);
  });
});

describe('workspace mount paths against the step template and every step (validateDeclaredWorkspaces)', () => {
  it('each clash is reported where the mount is, the cleaned path compared', () => {
    const doc = task({
      workspaces: [{ name: 'src', mountPath: '/src' }],
      stepTemplate: { volumeMounts: [{ name: 'v', mountPath: '/src/' }] },
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [
        { name: 'a', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/other' }] },
        { name: 'b', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/tmp' }, { name: 'v', mountPath: '//src' }] },
      ],
    });
    expect(checkTektonRules(doc)).toEqual([
      { path: 'spec.stepTemplate.volumeMounts[0].mountPath', message: 'mount path /src/ is also used by workspace "src"' },
      { path: 'spec.steps[1].volumeMounts[1].mountPath', message: 'mount path //src is also used by workspace "src"' },
    ]);
  });
});
