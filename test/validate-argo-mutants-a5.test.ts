/**
 * checkWorkflowTemplateRef and checkArgoCatalogRules (src/validate/argo.ts), called directly on
 * hand-built documents with literal expectations: the cases the mutation run left untested.
 * Upstream facts used:
 * - argo-workflows v4.1.2 workflow/util/merge.go JoinWorkflowSpec (:274-311): the Workflow's
 *   spec is merged over the WorkflowTemplate's, and a parameter the Workflow names replaces the
 *   template's whole (so `{name: X}` without a value drops the template's value);
 * - workflow/validate/validate.go validateArgumentsValues (:1016-1023): at submit every argument
 *   needs `value` or `valueFrom` ("spec.arguments.X.value or spec.arguments.X.valueFrom is
 *   required"); a `workflowTemplateRef` with `clusterScope: true` names a ClusterWorkflowTemplate
 *   (docs/workflow-templates.md);
 * - argoproj-labs/argo-workflows-catalog hack/main.go:37-58 (argo.md §5): the
 *   workflows.argoproj.io annotations version (strings.TrimSpace, then a Masterminds
 *   semver.NewConstraint: ">= 3.6.0, < 4", "3.6.0", ">=3.6", "< 10" and ">= 3.6.10" parse; "1x",
 *   "=> x", "latest, >= 3.6.0" and ">= 3.6.0 latest" do not), description (TrimSpace, then it
 *   must end with "."), tags (comma-separated, at least one) and maintainer ("@…") are required;
 *   title shows in the Argo UI from v3.7 (argo.md §2);
 * - the catalog layout <kind dir>/<name>/<version>/<name>.yaml, anywhere in a bundle or at its
 *   root, and its pinned images (catalog.ts isMutableImage; a param named …IMAGE holds an image).
 */
import { checkArgoCatalogRules, checkWorkflowTemplateRef } from '../src/validate/argo';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const API = 'argoproj.io/v1alpha1';
const workflow = (ref: Doc | undefined, parameters?: Doc[]): Doc => ({
  apiVersion: API, kind: 'Workflow', metadata: { generateName: 'hello-' },
  spec: { ...(ref && { workflowTemplateRef: ref }), ...(parameters && { arguments: { parameters } }) },
});
const template = (kind: string, parameters?: Doc[]): Doc => ({
  apiVersion: API, kind, metadata: { name: 'hello' },
  spec: { entrypoint: 'main', ...(parameters && { arguments: { parameters } }), templates: [{ name: 'main', container: { image: 'busybox:1.36' } }] },
});
const WT = template('WorkflowTemplate');
const REQUIRED = (n: string) => `spec.arguments.${n}.value or spec.arguments.${n}.valueFrom is required`;
const paths = (issues: Array<{ path: string }>) => issues.map((i) => i.path);

describe('checkWorkflowTemplateRef: which documents are checked', () => {
  it('an empty YAML document (null) is no Workflow', () => {
    expect(checkWorkflowTemplateRef(null as unknown as Doc, WT)).toEqual([]);
  });
  it('a Workflow without spec, or without workflowTemplateRef, runs its own templates', () => {
    expect(checkWorkflowTemplateRef({ apiVersion: API, kind: 'Workflow', metadata: { name: 'w' } }, WT)).toEqual([]);
    expect(checkWorkflowTemplateRef(workflow(undefined, [{ name: 'X' }]), WT)).toEqual([]);
  });
  it('only a Workflow is checked against the template it references', () => {
    expect(checkWorkflowTemplateRef({ ...workflow({ name: 'other', clusterScope: true }), kind: 'WorkflowTemplate' }, WT)).toEqual([]);
  });
});

describe('checkWorkflowTemplateRef: the reference names the template', () => {
  it('clusterScope: true names a ClusterWorkflowTemplate', () => {
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello', clusterScope: true }), template('ClusterWorkflowTemplate'))).toEqual([]);
  });
  it('a ClusterWorkflowTemplate needs clusterScope: true', () => {
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }), template('ClusterWorkflowTemplate'))).toEqual([
      { path: 'spec.workflowTemplateRef.clusterScope', message: 'must be true for a ClusterWorkflowTemplate' },
    ]);
  });
  it('a template without metadata, or none at all, is reported, not a crash', () => {
    const { metadata: _m, ...nameless } = WT;
    expect(paths(checkWorkflowTemplateRef(workflow({ name: 'hello' }), nameless))).toEqual(['spec.workflowTemplateRef.name']);
    expect(paths(checkWorkflowTemplateRef(workflow({ name: 'hello', clusterScope: true }), null as unknown as Doc))).toEqual([
      'spec.workflowTemplateRef.name', 'spec.workflowTemplateRef.clusterScope']);
  });
});

describe('checkWorkflowTemplateRef: every merged argument has a value (JoinWorkflowSpec, validateArgumentsValues)', () => {
  it('no arguments on either side, or a template without spec, need nothing', () => {
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }), WT)).toEqual([]);
    const { spec: _s, ...specless } = WT;
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }), specless)).toEqual([]);
  });
  it('valueFrom is a value', () => {
    const given = [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'x' } } }];
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }, given), template('WorkflowTemplate', [{ name: 'X' }]))).toEqual([]);
  });
  it('a template argument without a value needs one from the Workflow', () => {
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }), template('WorkflowTemplate', [{ name: 'X' }]))).toEqual([
      { path: 'spec.arguments.parameters', message: REQUIRED('X') },
    ]);
  });
  it('a Workflow argument without a value replaces the template\'s value', () => {
    expect(checkWorkflowTemplateRef(workflow({ name: 'hello' }, [{ name: 'A', value: 'a' }, { name: 'X' }]), template('WorkflowTemplate', [{ name: 'X', value: 'x' }]))).toEqual([
      { path: 'spec.arguments.parameters[1]', message: REQUIRED('X') },
    ]);
  });
});

const FILE = 'argo/workflowtemplate/hello/0.1/hello.yaml';
const ANNOTATIONS: Doc = {
  'workflows.argoproj.io/title': 'hello',
  'workflows.argoproj.io/description': 'Says hello.',
  'workflows.argoproj.io/version': '>= 3.6.0',
  'workflows.argoproj.io/maintainer': '@me',
  'workflows.argoproj.io/tags': 'hello,demo',
};
const catalogDoc = (over: { annotations?: Doc; spec?: Doc | null; apiVersion?: string } = {}): Doc => {
  const annotations = Object.fromEntries(Object.entries({ ...ANNOTATIONS, ...over.annotations }).filter(([, v]) => v !== undefined));
  const spec = over.spec === undefined ? { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox:1.36' } }] } : over.spec;
  return {
    apiVersion: over.apiVersion ?? API, kind: 'WorkflowTemplate',
    metadata: { name: 'hello', labels: { 'app.kubernetes.io/version': '0.1' }, annotations },
    ...(spec && { spec }),
  };
};
const ann = (k: string) => `metadata.annotations["workflows.argoproj.io/${k}"]`;
const catalog = (over: Parameters<typeof catalogDoc>[0] = {}, file = FILE) => checkArgoCatalogRules(catalogDoc(over), file);

describe('checkArgoCatalogRules: which files and documents are checked', () => {
  it('a complete catalog template passes', () => expect(catalog()).toEqual([]));
  it('the layout holds at the bundle root too', () => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/title': undefined } }, 'workflowtemplate/hello/0.1/hello.yaml')).toEqual([
      { path: ann('title'), message: 'is expected (shown in the Argo UI)' },
    ]);
  });
  it('only <name>.yaml is a catalog template', () => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/title': undefined } }, `${FILE}.bak`)).toEqual([]);
  });
  it('an empty YAML document (null), and another API version, are not checked', () => {
    expect(checkArgoCatalogRules(null as unknown as Doc, FILE)).toEqual([]);
    expect(catalog({ apiVersion: 'argoproj.io/v1beta1', annotations: { 'workflows.argoproj.io/title': undefined } })).toEqual([]);
  });
  it('a template without metadata is reported, not a crash', () => {
    const { metadata: _m, ...doc } = catalogDoc();
    expect(paths(checkArgoCatalogRules(doc, FILE))).toEqual([
      'metadata.name', 'metadata.labels["app.kubernetes.io/version"]',
      ann('description'), ann('version'), ann('maintainer'), ann('tags'), ann('title'),
    ]);
  });
});

describe('checkArgoCatalogRules: the workflows.argoproj.io annotations (argo-workflows-catalog hack/main.go)', () => {
  it('each required annotation missing', () => {
    const none = Object.fromEntries(Object.keys(ANNOTATIONS).map((k) => [k, undefined]));
    expect(catalog({ annotations: none })).toEqual([
      { path: ann('description'), message: 'is required by the Argo catalog' },
      { path: ann('version'), message: 'is required: the minimum Argo version as a semver constraint, e.g. ">= 3.6.0"' },
      { path: ann('maintainer'), message: 'is required and must start with "@"' },
      { path: ann('tags'), message: 'needs at least one comma-separated tag' },
      { path: ann('title'), message: 'is expected (shown in the Argo UI)' },
    ]);
  });
  it('the description is trimmed before its "." is looked for (a folded YAML scalar ends with a newline)', () => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/description': 'Says hello.\n' } })).toEqual([]);
  });
  it('commas and spaces alone are no tag', () => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/tags': ' , ' } })).toEqual([
      { path: ann('tags'), message: 'needs at least one comma-separated tag' },
    ]);
  });
  it.each(['3.6.0', '>=3.6', '>= 3.6.0, < 10', '>= 3.6.10'])('version %j is a semver constraint', (version) => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/version': version } })).toEqual([]);
  });
  it.each(['1x', 'latest, >= 3.6.0', '>= 3.6.0 latest'])('version %j is not a semver constraint', (version) => {
    expect(catalog({ annotations: { 'workflows.argoproj.io/version': version } })).toEqual([
      { path: ann('version'), message: `"${version}" is not a semver constraint` },
    ]);
  });
});

describe('checkArgoCatalogRules: pinned images', () => {
  it('a container template\'s image', () => {
    expect(catalog({ spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox:latest' } }] } })).toEqual([
      { path: 'spec.templates[0].container.image', message: 'image "busybox:latest" must be pinned (not :latest or untagged)' },
    ]);
  });
  it('an argument named …IMAGE holds an image; IMAGE_PULL_POLICY does not', () => {
    const parameters = [{ name: 'IMAGE_PULL_POLICY', value: 'Always' }, { name: 'BUILDER_IMAGE', value: 'registry.io/builder' }];
    expect(catalog({ spec: { entrypoint: 'main', arguments: { parameters }, templates: [] } })).toEqual([
      { path: 'spec.arguments.parameters[1].value', message: 'image "registry.io/builder" must be pinned (not :latest or untagged)' },
    ]);
  });
  it('a template without spec, or without arguments, has no images to check', () => {
    expect(catalog({ spec: null })).toEqual([]);
    expect(catalog({ spec: { entrypoint: 'main', templates: [] } })).toEqual([]);
  });
});
