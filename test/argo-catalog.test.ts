/**
 * The Argo catalog's metadata, the executor RBAC and the sample Workflow, function by function,
 * with literal expectations taken from upstream:
 * - argoproj/argo-workflows v4.1.2 docs/workflow-rbac.md:3-4 (the executor uses the pod's service
 *   account, `default` unless the Workflow names another) and :11-28 (its minimum for Argo >= 3.4:
 *   create and patch on workflowtaskresults);
 * - argoproj-labs/argo-workflows-catalog (argo.md §0.7, §5): the workflows.argoproj.io annotations,
 *   a description that is one sentence ending with ".", the maintainer a GitHub handle;
 * - codefresh-io/argo-hub workflows/kaniko/versions/0.0.1/: full semver directories.
 */
import {
  argoBundle, argoDescription, argoDir, argoMetadata, argoOptions, argoRbac, executorAccounts, hubTemplateName, hubVersion, parseBuildSpec,
  sampleWorkflow, DEFAULT_COSIGN_IMAGE, DEFAULT_CRANE_IMAGE, type BuildSpecInput,
} from '../src/internal';
import { BASE } from './helpers';

const spec = (over: Partial<BuildSpecInput> = {}) => parseBuildSpec({ ...BASE, version: '0.3', ...over });
const LABELS = { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/managed-by': 'kimia-bundles' };
const ROLE = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'app-executor', labels: LABELS },
  rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
};
const binding = (...accounts: string[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'app-executor', labels: LABELS },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app-executor' },
  subjects: accounts.map((name) => ({ kind: 'ServiceAccount', name })),
});

describe('executor RBAC (workflow-rbac.md)', () => {
  it('no account named: the Role bound to `default`, and no ServiceAccount to create', () => {
    expect(executorAccounts(spec())).toEqual(['default']);
    expect(argoRbac(spec())).toEqual([ROLE, binding('default')]);
  });

  it('the build\'s serviceAccountName: created, and bound beside `default` (the Workflow\'s own account)', () => {
    expect(executorAccounts(spec({ serviceAccountName: 'builder' }))).toEqual(['builder', 'default']);
    expect(argoRbac(spec({ serviceAccountName: 'builder' }))).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', labels: LABELS } }, ROLE, binding('builder', 'default'),
    ]);
    expect(executorAccounts(spec({ serviceAccountName: 'default' }))).toEqual(['default']);
  });

  it('argo.executorServiceAccountName: that account alone', () => {
    const s = spec({ serviceAccountName: 'builder', argo: { executorServiceAccountName: 'argo-executor' } });
    expect(executorAccounts(s)).toEqual(['argo-executor']);
    expect(argoRbac(s)).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'argo-executor', labels: LABELS } }, ROLE, binding('argo-executor')]);
  });
});

describe('catalog metadata (argo.md §0.7, §5)', () => {
  it('the annotations and labels of a kimia (BuildKit) template, with the defaults', () => {
    expect(argoMetadata(spec())).toEqual({
      name: 'app',
      labels: { 'app.kubernetes.io/version': '0.3', 'app.kubernetes.io/managed-by': 'kimia-bundles' },
      annotations: {
        'workflows.argoproj.io/title': 'kimia app',
        'workflows.argoproj.io/description': 'Build a container image with kimia (rootless BuildKit).',
        'workflows.argoproj.io/version': '>= 3.6.0',
        'workflows.argoproj.io/maintainer': '@kimia-bundles',
        'workflows.argoproj.io/tags': 'image-build,kimia,buildkit,rootless',
      },
    });
  });

  it('kimia-bud (Buildah): its own description and tag; the options given', () => {
    const m = argoMetadata(spec({ variant: 'kimia-bud', argo: { maintainer: '@me', minArgoVersion: '>= 3.7.0' } }));
    expect(m.annotations).toEqual({
      'workflows.argoproj.io/title': 'kimia app',
      'workflows.argoproj.io/description': 'Build a container image with kimia (rootless Buildah).',
      'workflows.argoproj.io/version': '>= 3.7.0',
      'workflows.argoproj.io/maintainer': '@me',
      'workflows.argoproj.io/tags': 'image-build,kimia,buildah,rootless',
    });
  });

  it('a description ends with exactly one "." and no trailing space', () => {
    expect(argoDescription(spec({ description: 'Builds the app  ' }))).toBe('Builds the app.');
    expect(argoDescription(spec({ description: 'Builds the app. ' }))).toBe('Builds the app.');
    expect(argoDescription(spec({ description: 'Builds the app.' }))).toBe('Builds the app.');
  });

  it('bundle key and directory by scope', () => {
    expect([argoBundle(spec()), argoDir(spec())]).toEqual(['argo/workflowtemplate/app', 'argo/workflowtemplate/app/0.3']);
    const c = spec({ argo: { clusterScope: true } });
    expect([argoBundle(c), argoDir(c)]).toEqual(['argo/clusterworkflowtemplate/app', 'argo/clusterworkflowtemplate/app/0.3']);
  });

  it('tool images: the pinned defaults unless the build names others', () => {
    expect(argoOptions(spec())).toMatchObject({ cosignImage: DEFAULT_COSIGN_IMAGE, craneImage: DEFAULT_CRANE_IMAGE });
    const own = argoOptions(spec({ argo: { cosignImage: `c.io/cosign@sha256:${'a'.repeat(64)}`, craneImage: `c.io/crane@sha256:${'b'.repeat(64)}` } }));
    expect([own.cosignImage, own.craneImage]).toEqual([`c.io/cosign@sha256:${'a'.repeat(64)}`, `c.io/crane@sha256:${'b'.repeat(64)}`]);
  });
});

describe('the sample Workflow (docs/workflow-restrictions.md:12-17: a workflowTemplateRef)', () => {
  it('gives every parameter: the example, else the default, else a placeholder; git ones a repository that exists', () => {
    const s = spec({ destinations: ['registry.io/myapp:${A}-${B}-${C}'], params: { A: { description: 'a', default: 'da', example: 'ea' }, B: { description: 'b', default: 'db' }, C: { description: 'c' } } });
    const w = sampleWorkflow(s, [{ name: 'A', default: 'da' }, { name: 'B', default: 'db' }, { name: 'C' }, { name: 'D', default: 'dd' }, { name: 'GIT_URL' }, { name: 'GIT_REVISION', default: 'main' }]);
    expect(w).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { generateName: 'app-' },
      spec: {
        arguments: { parameters: [{ name: 'A', value: 'ea' }, { name: 'B', value: 'db' }, { name: 'C', value: 'REPLACE-C' }, { name: 'D', value: 'dd' },
          // kelseyhightower/nocode exists and has only a master branch.
          { name: 'GIT_URL', value: 'https://github.com/kelseyhightower/nocode' }, { name: 'GIT_REVISION', value: 'master' }] },
        workflowTemplateRef: { name: 'app' },
      },
    });
  });

  it('a ClusterWorkflowTemplate is referenced with clusterScope: true', () => {
    expect(sampleWorkflow(spec({ argo: { clusterScope: true } }), []).spec.workflowTemplateRef).toEqual({ name: 'app', clusterScope: true });
  });
});

describe('argo-hub names (workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:4)', () => {
  it('full semver directories and <name>.<semver> template names', () => {
    expect(['0.6', '1', '1.2.3'].map(hubVersion)).toEqual(['0.6.0', '1.0.0', '1.2.3']);
    expect(hubTemplateName(spec())).toBe('app.0.3.0');
  });
});
