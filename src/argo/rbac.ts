/**
 * rbac.yaml beside each template: the executor's minimum permissions, as argo-hub ships one per
 * template version (codefresh-io/argo-hub workflows/kaniko/versions/0.0.1/rbac.yaml).
 */
import type { BuildSpec } from '../spec';
import { argoOptions } from './catalog';

/**
 * The accounts whose token Argo's executor uses in this template's pods:
 * `argo.executorServiceAccountName` when set (every leaf's executor.serviceAccountName), else the
 * build's `serviceAccountName` and the Workflow's account, `default` unless the submitter names
 * another (argo-workflows v4.1.2 docs/workflow-rbac.md:3-4).
 */
export function executorAccounts(spec: BuildSpec): string[] {
  const executor = argoOptions(spec).executorServiceAccountName;
  if (executor) return [executor];
  return [...new Set([spec.serviceAccountName, 'default'].filter((x): x is string => !!x))];
}

/**
 * ServiceAccounts (other than `default`), a Role with `workflowtaskresults` create/patch (the
 * executor's minimum for Argo >= 3.4: docs/workflow-rbac.md:11-28) and its RoleBinding. Namespaced,
 * no namespace set: applied into the namespace the template runs in.
 */
export function argoRbac(spec: BuildSpec): Record<string, unknown>[] {
  const accounts = executorAccounts(spec);
  const name = `${spec.name}-executor`;
  const labels = { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/managed-by': 'kimia-bundles' };
  return [
    ...accounts.filter((a) => a !== 'default').map((a) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: a, labels } })),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, labels },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: accounts.map((a) => ({ kind: 'ServiceAccount', name: a })),
    },
  ];
}
