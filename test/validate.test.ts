import * as path from 'node:path';
import { parse } from 'yaml';
import { formatBundleIssue, loadConfig, renderBundle, validateDocuments, type Bundle } from '../src/internal';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const V = examples.builds.find((b) => b.name === 'kimia-build')!.version;
// Rendered (unvalidated: the tests validate) when a test first needs it, not while the file loads,
// so that `npm run mutation` sees which tests run which code (reports/MUTATION.md).
let rendered: Bundle | undefined;
const files = () => (rendered ??= renderBundle(examples, { validate: false }));
const TASK_FILE = `tekton/task/kimia-build/${V}/kimia-build.yaml`;
const PIPELINE_FILE = `tekton/pipeline/kimia-build/${V}/kimia-build.yaml`;
const load = (file: string) => parse(files().get(file)!.replace(/^#.*\n/, ''));

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The error lines for a document after `mutate`. */
function errors(file: string, mutate: (d: Doc) => void, at = file): string[] {
  const doc = load(file);
  mutate(doc);
  return validateDocuments(at, [doc]).map(formatBundleIssue);
}
const T = `${TASK_FILE}: Task/kimia-build`;
const P = `${PIPELINE_FILE}: Pipeline/kimia-build`;
const build = (d: Doc) => d.spec.steps[1];

describe('every generated document passes every rule', () => {
  it('every YAML file of the examples\' bundle', () => {
    const yaml = [...files().keys()].filter((f) => f.endsWith('.yaml'));
    expect(yaml.length).toBeGreaterThan(20);
    for (const file of yaml) {
      const docs = files().get(file)!.split(/^---$/m).map((d) => parse(d));
      expect({ file, issues: validateDocuments(file, docs) }).toEqual({ file, issues: [] });
    }
  });
});

describe('structural validation against the CRD schema', () => {
  it('rejects an unknown field', () => {
    expect(errors(TASK_FILE, (d) => { build(d).bogus = 1; })).toEqual([`${T}: spec.steps[1]: unknown field "bogus"`]);
  });
  it('rejects a wrong type', () => {
    expect(errors(TASK_FILE, (d) => { d.spec.params[0].type = 5; })).toEqual([`${T}: spec.params[0].type: must be string`]);
  });
  it('requires step names (v1 schema): a document the schema refuses gets the schema\'s findings alone', () => {
    expect(errors(TASK_FILE, (d) => { delete d.spec.steps[0].name; })).toEqual([
      `${T}: spec.steps[0].name: is required`,
    ]);
  });
  it('a Task whose steps are not a list is a finding, not a crash of the Tekton rules that walk them', () => {
    expect(errors(TASK_FILE, (d) => { d.spec.steps = 'nope'; })).toEqual([`${T}: spec.steps: must be array`]);
  });
});

describe('Tekton webhook rules', () => {
  const cases: Array<[string, (d: Doc) => void, string[]]> = [
    ['metadata.name must be a DNS-1123 subdomain', (d) => { d.metadata.name = 'Kimia_Build'; }, [
      `${TASK_FILE}: Task/Kimia_Build: metadata.name: "Kimia_Build" must be a DNS-1123 subdomain of at most 63 characters`,
      `${TASK_FILE}: Task/Kimia_Build: metadata.name: "Kimia_Build" must equal the directory and file name "kimia-build"`]],
    ['param names', (d) => { d.spec.params.push({ name: '1BAD', type: 'string', description: 'x' }); }, [`${T}: spec.params[9].name: "1BAD" is not a valid param name (^[_a-zA-Z][_a-zA-Z0-9.-]*$)`]],
    ['unique param names', (d) => { d.spec.params.push({ ...d.spec.params[0] }); }, [`${T}: spec.params[9].name: duplicate param name "IMAGE"`]],
    ['unique step names', (d) => { d.spec.steps[0].name = 'build'; }, [`${T}: spec.steps[1].name: duplicate step name "build"`]],
    ['declared params', (d) => { build(d).args.push('--target=$(params.TARGET)'); }, [`${T}: spec.steps[1].args[11]: $(params.TARGET) is not a declared param`]],
    ['array params only as whole [*] elements of args', (d) => { build(d).env.push({ name: 'X', value: '$(params.BUILD_ARGS[*])' }); }, [
      `${T}: spec.steps[1].env[4].value: array param BUILD_ARGS may only be used as a whole "$(params.BUILD_ARGS[*])" element of command or args, or one element $(params.BUILD_ARGS[0])`]],
    ['array params not inside a longer arg', (d) => { build(d).args.push('--x=$(params.EXTRA_ARGS[*])'); }, [
      `${T}: spec.steps[1].args[11]: array param EXTRA_ARGS may only be used as a whole "$(params.EXTRA_ARGS[*])" element of command or args, or one element $(params.EXTRA_ARGS[0])`]],
    ['script without command', (d) => { build(d).command = ['/bin/sh']; }, [`${T}: spec.steps[1].command: a step with script cannot set command`]],
    ['result names', (d) => { d.spec.results.push({ name: 'bad name', type: 'string' }); }, [`${T}: spec.results[3].name: "bad name" is not a valid result name`]],
    ['declared results', (d) => { build(d).env.push({ name: 'Y', value: '$(results.NOPE.path)' }); }, [`${T}: spec.steps[1].env[4].value: $(results.NOPE.path) is not a declared result`]],
    ['declared workspaces', (d) => { build(d).env.push({ name: 'Z', value: '$(workspaces.cache.path)' }); }, [`${T}: spec.steps[1].env[4].value: $(workspaces.cache.path) is not a declared workspace`]],
    ['no params in script', (d) => { build(d).script += 'echo $(params.IMAGE)\n'; }, [
      `${T}: spec.steps[1].script: params must not be pasted into script text (script injection): pass them through env or args`]],
    ['no alpha param enum', (d) => { d.spec.params[1].enum = ['Dockerfile']; }, [
      `${T}: spec.params[1].enum: param enum needs the alpha feature flag enable-param-enum: validate values in the generator instead`]],
    ['no mounts under /tekton/', (d) => { d.spec.steps[0].volumeMounts = [{ name: 'v', mountPath: '/tekton/results' }]; d.spec.volumes = [{ name: 'v', emptyDir: {} }]; }, [
      `${T}: spec.steps[0].volumeMounts[0].mountPath: volumes may not be mounted under /tekton/`]],
    ['no params in script, bracket form', (d) => { build(d).script += 'echo $(params["IMAGE"])\n'; }, [
      `${T}: spec.steps[1].script: params must not be pasted into script text (script injection): pass them through env or args`]],
    ['param default matches its type', (d) => { d.spec.params[4].default = 'x'; }, [`${T}: spec.params[4].default: default is a string but the param type is array`]],
    ['onError values', (d) => { build(d).onError = 'ignore'; }, [`${T}: spec.steps[1].onError: onError must be continue or stopAndFail, not "ignore"`]],
    ['no workspace under /tekton/', (d) => { d.spec.workspaces[1].mountPath = '/tekton/creds'; }, [`${T}: spec.workspaces[1].mountPath: workspaces may not be mounted under /tekton/`]],
    ['reserved volume names', (d) => { d.spec.volumes = [{ name: 'tekton-internal-x', emptyDir: {} }]; }, [`${T}: spec.volumes[0].name: volume names starting with tekton-internal- are reserved`]],
    ['declared params in sidecars and stepTemplate', (d) => { d.spec.stepTemplate.env = [{ name: 'A', value: '$(params.NOPE)' }]; }, [`${T}: spec.stepTemplate.env[0].value: $(params.NOPE) is not a declared param`]],
  ];
  it.each(cases)('%s', (_n, mutate, expected) => expect(errors(TASK_FILE, mutate)).toEqual(expected));

  it('checks the inline pipelineSpec of a PipelineRun (catalog test)', () => {
    const file = `tekton/task/kimia-build/${V}/tests/run.yaml`;
    const run = parse(files().get(file)!.replace(/^#.*\n/, ''));
    expect(validateDocuments(file, [run])).toEqual([]);
    run.spec.pipelineSpec.tasks[1].params[0].value = '$(params.NOPE)';
    expect(validateDocuments(file, [run]).map(formatBundleIssue)).toEqual([
      `${file}: PipelineRun/kimia-build-test: spec.pipelineSpec.tasks[1].params[0].value: $(params.NOPE) is not a declared pipeline param`,
    ]);
  });

  const pipelineCases: Array<[string, (d: Doc) => void, string[]]> = [
    ['pipeline workspaces are declared', (d) => { d.spec.tasks[1].workspaces[0].workspace = 'nope'; }, [`${P}: spec.tasks[1].workspaces[0].workspace: pipeline workspace "nope" is not declared`]],
    ['pipeline params are declared', (d) => { d.spec.tasks[1].params[0].value = '$(params.NOPE)'; }, [`${P}: spec.tasks[1].params[0].value: $(params.NOPE) is not a declared pipeline param`]],
    ['task results refer to known tasks', (d) => { d.spec.tasks[2].runAfter = ['nope']; }, [`${P}: spec.tasks[2].runAfter[0]: runAfter names unknown task "nope"`]],
    ['pipeline task param values use allowed variables', (d) => { d.spec.tasks[1].params[0].value = '$(steps.x.results.y)'; }, [`${P}: spec.tasks[1].params[0].value: $(steps...) is not a variable a pipeline task param may use`]],
    // tektoncd/pipeline v1.15.0: ValidateNameFormat runs for Task params only (task_validation.go ValidateParameterVariables),
    // resultNameFormat for Task and Step results (result_validation.go); a Pipeline's own names are not format-checked.
    ['pipeline param names are not format-checked', (d) => { d.spec.params.push({ name: '9lives', type: 'string' }); }, []],
    ['pipeline result names are not format-checked', (d) => { d.spec.results[0].name = 'IMAGE URL'; }, []],
    ['inline taskSpec: declared params', (d) => { d.spec.tasks[2].taskSpec.steps[0].args.push('$(params.NOPE)'); }, [`${P}: spec.tasks[2].taskSpec.steps[0].args[6]: $(params.NOPE) is not a declared param`]],
    ['inline taskSpec: no params in script', (d) => { d.spec.tasks[2].taskSpec.steps[0].script = 'cosign verify $(params.IMAGE_REF)\n'; delete d.spec.tasks[2].taskSpec.steps[0].args; delete d.spec.tasks[2].taskSpec.steps[0].command; }, [
      `${P}: spec.tasks[2].taskSpec.steps[0].script: params must not be pasted into script text (script injection): pass them through env or args`]],
  ];
  it.each(pipelineCases)('%s', (_n, mutate, expected) => expect(errors(PIPELINE_FILE, mutate)).toEqual(expected));
});

describe('catalog rules', () => {
  const cases: Array<[string, (d: Doc) => void, string[], string?]> = [
    ['version label equals the directory', (d) => { d.metadata.labels['app.kubernetes.io/version'] = '9.9'; }, [
      `${T}: metadata.labels["app.kubernetes.io/version"]: "9.9" must equal the version directory "${V}"`]],
    ['minVersion annotation is required', (d) => { delete d.metadata.annotations['tekton.dev/pipelines.minVersion']; }, [
      `${T}: metadata.annotations["tekton.dev/pipelines.minVersion"]: is required by the catalog`]],
    ['categories come from the hub list', (d) => { d.metadata.annotations['tekton.dev/categories'] = 'Image Building'; }, [
      `${T}: metadata.annotations["tekton.dev/categories"]: "Image Building" is not a Tekton Hub category`]],
    ['description is required', (d) => { delete d.spec.description; }, [`${T}: spec.description: is required by the catalog and Artifact Hub`]],
    ['platforms are os/arch', (d) => { d.metadata.annotations['tekton.dev/platforms'] = 'linux/amd64,arm64'; }, [
      `${T}: metadata.annotations["tekton.dev/platforms"]: "arm64" must be os/arch`]],
    ['no :latest images', (d) => { d.spec.params[3].default = 'ghcr.io/rapidfort/kimia:latest'; }, [
      `${T}: spec.params[3].default: image "ghcr.io/rapidfort/kimia:latest" must be pinned: the catalog refuses :latest and untagged images`]],
    ['no untagged step images', (d) => { d.spec.steps[0].image = 'alpine/git'; }, [
      `${T}: spec.steps[0].image: image "alpine/git" must be pinned: the catalog refuses :latest and untagged images`]],
  ];
  it.each(cases)('%s', (_n, mutate, expected) => expect(errors(TASK_FILE, mutate)).toEqual(expected));

  it('an IMAGE param that is not a step image is not an image to pin (no false positive)', () => {
    expect(errors(TASK_FILE, (d) => { d.spec.params[0].default = 'registry.example.com/app'; })).toEqual([]);
  });
  it('image digests are well-formed', () => {
    expect(errors(TASK_FILE, (d) => { d.spec.steps[0].image = 'alpine/git:v2@sha256:zz'; })).toEqual([
      `${T}: spec.steps[0].image: image "alpine/git:v2@sha256:zz" has an invalid digest`]);
  });

  it('name equals the directory and file', () => {
    expect(errors(TASK_FILE, () => undefined, `tekton/task/other/${V}/other.yaml`)).toEqual([
      `tekton/task/other/${V}/other.yaml: Task/kimia-build: metadata.name: "kimia-build" must equal the directory and file name "other"`,
    ]);
  });
});
