/**
 * Argo Workflows' semantic validation (src/validate/argo.ts, lines 96-140: entrypoint, workflow
 * argument enums, input/output name lists, leaf images, mountPaths, output parameters and the
 * template's own variables), called directly through checkArgoRules on hand-built
 * WorkflowTemplates with literal expectations: the cases the mutation run left untested. Upstream
 * facts used (argoproj/argo-workflows workflow/validate/validate.go; ../shared/reference/argo.md §2):
 * - ValidateWorkflowTemplate sets IgnoreEntrypoint when spec.entrypoint is empty, so a template
 *   library without an entrypoint is valid;
 * - validateArgumentsValues: a set `enum` must list at least one value ("enum should contain at least
 *   one value") and contain `value` ("value should be present in ... enum list"); with no value,
 *   lint and WorkflowTemplate validation (allowEmptyValues) accept it;
 * - validateInputs / validateOutputs → validateWorkflowFieldNames: input artifact and output
 *   parameter names are unique ("[i].name 'x' is not unique");
 * - validateLeaf: container.image and script.image may not be empty (no templateDefaults here);
 *   duplicate container volumeMounts mountPaths are rejected ("already mounted in") — for a script,
 *   whose container is the pod's main container, Kubernetes' ValidateVolumeMounts rejects the
 *   duplicate at pod creation ("must be unique");
 * - validateTemplateType: a template without a type is rejected ("template type unspecified");
 * - validateOutputParameter: an output parameter has exactly one of value and valueFrom (a value alone
 *   is fine) and exactly one valueFrom type (path, jqFilter, jsonPath, parameter, expression,
 *   supplied); `default` is no type;
 * - validateOutputs: container/script outputs need valueFrom.path; steps and dag outputs need
 *   valueFrom.parameter or expression; a literal globalName must be a valid parameter name
 *   (isValidParamOrArtifactName), a `{{...}}` one (isParameter) is left to runtime;
 * - validateTemplate: a leaf template's scope holds inputs.artifacts.NAME.path (validateInputs) and
 *   outputs.parameters.NAME.path for a valueFrom.path output.
 */
import { checkArgoRules } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMG = 'busybox:1.36';
const wt = (spec: Doc): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'demo' }, spec });
const leaf = (extra: Doc = {}): Doc => ({ name: 'main', container: { image: IMG, command: ['true'] }, ...extra });
const withMain = (main: Doc, more: Doc[] = []): Doc => wt({ entrypoint: 'main', templates: [main, ...more] });
const withArgs = (parameters: Doc[]): Doc => wt({ entrypoint: 'main', arguments: { parameters }, templates: [leaf()] });
const outputs = (parameters: Doc[], template: Doc = leaf()): Doc => withMain({ ...template, outputs: { parameters } });

describe('entrypoint', () => {
  it('a WorkflowTemplate without an entrypoint is a valid template library', () => {
    expect(checkArgoRules(wt({ templates: [leaf()] }))).toEqual([]);
  });
});

describe('workflow argument enums', () => {
  it('an empty enum is rejected', () => {
    expect(checkArgoRules(withArgs([{ name: 'mode', enum: [], value: 'fast' }]))).toEqual([
      { path: 'spec.arguments.parameters[0].enum', message: 'enum must list at least one value' },
    ]);
  });

  it('a value in the enum is accepted, and so is an enum parameter without a value (lint)', () => {
    expect(checkArgoRules(withArgs([{ name: 'mode', enum: ['fast', 'slow'], value: 'slow' }, { name: 'level', enum: ['a', 'b'] }]))).toEqual([]);
  });

  it('a value outside the enum is rejected', () => {
    expect(checkArgoRules(withArgs([{ name: 'mode', enum: ['fast', 'slow'], value: 'medium' }]))).toEqual([
      { path: 'spec.arguments.parameters[0].value', message: '"medium" is not in enum' },
    ]);
  });
});

describe('template name lists', () => {
  it('input artifact names are unique', () => {
    const main = leaf({ inputs: { artifacts: [{ name: 'src', path: '/src' }, { name: 'src', path: '/other' }] } });
    expect(checkArgoRules(withMain(main))).toEqual([
      { path: 'spec.templates[0].inputs.artifacts[1].name', message: 'duplicate artifact name "src"' },
    ]);
  });

  it('output parameter names are unique', () => {
    expect(checkArgoRules(outputs([{ name: 'out', value: 'a' }, { name: 'out', value: 'b' }]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[1].name', message: 'duplicate parameter name "out"' },
    ]);
  });
});

describe('leaf templates', () => {
  it('a container needs an image', () => {
    expect(checkArgoRules(withMain({ name: 'main', container: { command: ['true'] } }))).toEqual([
      { path: 'spec.templates[0].container.image', message: 'image is required' },
    ]);
  });

  it('a script needs an image', () => {
    expect(checkArgoRules(withMain({ name: 'main', script: { command: ['sh'], source: 'echo hi' } }))).toEqual([
      { path: 'spec.templates[0].script.image', message: 'image is required' },
    ]);
  });

  it('a script mounting two volumes at one path is reported at the script', () => {
    const script = { image: IMG, command: ['sh'], source: 'echo hi', volumeMounts: [{ name: 'a', mountPath: '/work' }, { name: 'b', mountPath: '/work' }] };
    expect(checkArgoRules(withMain({ name: 'main', script }))).toEqual([
      { path: 'spec.templates[0].script.volumeMounts[1].mountPath', message: 'duplicate mountPath /work' },
    ]);
  });

  it('a script without source is no crash (the schema reports the missing field)', () => {
    expect(checkArgoRules(withMain({ name: 'main', script: { image: IMG, command: ['sh'] } }))).toEqual([]);
  });

  it('a template without a type is rejected', () => {
    expect(checkArgoRules(withMain({ name: 'main' }))).toEqual([{
      path: 'spec.templates[0]',
      message: 'a template needs exactly one type (container, script, steps, dag, resource, suspend, containerSet, data, http, plugin); found none',
    }]);
  });
});

describe('output parameters', () => {
  it('a value alone is a valid output parameter', () => {
    expect(checkArgoRules(outputs([{ name: 'out', value: 'done' }]))).toEqual([]);
  });

  it('valueFrom.default is no source of its own', () => {
    expect(checkArgoRules(outputs([{ name: 'out', valueFrom: { path: '/tmp/out', default: 'none' } }]))).toEqual([]);
  });

  it('a valueFrom without a source is rejected', () => {
    expect(checkArgoRules(outputs([{ name: 'out', valueFrom: {} }]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom', message: 'valueFrom needs exactly one source; found none' },
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom', message: 'container and script outputs need valueFrom.path' },
    ]);
  });

  it('a valueFrom with two sources is rejected, naming both', () => {
    expect(checkArgoRules(outputs([{ name: 'out', valueFrom: { path: '/tmp/out', jsonPath: '{.x}' } }]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom', message: 'valueFrom needs exactly one source; found path, jsonPath' },
    ]);
  });

  const steps = { name: 'main', steps: [[{ name: 'a', template: 'work' }]] };
  const dag = { name: 'main', dag: { tasks: [{ name: 'a', template: 'work' }] } };
  const work = leaf({ name: 'work' });

  it('a steps output read from a path is rejected', () => {
    expect(checkArgoRules(withMain({ ...steps, outputs: { parameters: [{ name: 'out', valueFrom: { path: '/tmp/out' } }] } }, [work]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom', message: 'steps and dag outputs need valueFrom.parameter or expression' },
    ]);
  });

  it('a dag output read from a path is rejected, one from an expression accepted', () => {
    expect(checkArgoRules(withMain({ ...dag, outputs: { parameters: [{ name: 'out', valueFrom: { path: '/tmp/out' } }] } }, [work]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].valueFrom', message: 'steps and dag outputs need valueFrom.parameter or expression' },
    ]);
    expect(checkArgoRules(withMain({ ...dag, outputs: { parameters: [{ name: 'out', valueFrom: { expression: 'tasks.a.status' } }] } }, [work]))).toEqual([]);
  });

  it('a literal globalName must be a parameter name', () => {
    expect(checkArgoRules(outputs([{ name: 'out', globalName: 'bad.name', valueFrom: { path: '/tmp/out' } }]))).toEqual([
      { path: 'spec.templates[0].outputs.parameters[0].globalName', message: 'globalName "bad.name" must match ^[-a-zA-Z0-9_]+$' },
    ]);
    expect(checkArgoRules(outputs([{ name: 'out', globalName: 'good-name_1', valueFrom: { path: '/tmp/out' } }]))).toEqual([]);
  });

  it('a globalName from a parameter is left to runtime', () => {
    const main = leaf({ inputs: { parameters: [{ name: 'key' }] } });
    expect(checkArgoRules(outputs([{ name: 'out', globalName: '{{inputs.parameters.key}}', valueFrom: { path: '/tmp/out' } }], main))).toEqual([]);
  });
});

describe('a leaf template sees its own artifacts and output paths', () => {
  it('{{inputs.artifacts.NAME.path}} of a declared input artifact resolves', () => {
    const main = leaf({ inputs: { artifacts: [{ name: 'src', path: '/src' }] }, container: { image: IMG, command: ['ls', '{{inputs.artifacts.src.path}}'] } });
    expect(checkArgoRules(withMain(main))).toEqual([]);
  });

  it('{{outputs.parameters.NAME.path}} of a declared output resolves', () => {
    const main = leaf({ container: { image: IMG, command: ['sh', '-c', 'date > {{outputs.parameters.out.path}}'] } });
    expect(checkArgoRules(outputs([{ name: 'out', valueFrom: { path: '/tmp/out' } }], main))).toEqual([]);
  });
});
