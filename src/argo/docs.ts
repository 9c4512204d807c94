/**
 * README.md for an Argo catalog template, generated from the rendered object.
 */
import { containerSecurityContext, kimiaEnv, kimiaVolumes, markdown, POD_SECURITY_LEVEL, table, yamlBlock, type BuildSpec } from '../spec';
import { ARGO } from './template';
import { argoDescription, argoOptions } from './catalog';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Secrets a build expects to exist, as [secret, key, use]. */
export function expectedSecrets(spec: BuildSpec): string[][] {
  const rows: string[][] = [];
  for (const v of kimiaVolumes(spec)) {
    if ('secret' in v.source) {
      const keys = v.source.secret.items.map((i) => i.key).join(', ') || '(all keys)';
      rows.push([v.source.secret.secretName, keys, `mounted read-only at ${v.subPath ? v.mountPath : `${v.mountPath}/`} (${v.name})`]);
    }
  }
  for (const e of kimiaEnv(spec)) {
    if (e.valueFrom) rows.push([e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key, `env ${e.name}`]);
  }
  return rows;
}

export function argoReadme(spec: BuildSpec, object: Obj, sample: Obj): string {
  const o = argoOptions(spec);
  const kind = o.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
  const short = o.clusterScope ? 'clusterworkflowtemplate' : 'workflowtemplate';
  const sc = containerSecurityContext(spec);
  const params = object.spec.arguments?.parameters ?? [];
  const required = params.filter((p: Obj) => p.value === undefined).map((p: Obj) => `-p ${p.name}=…`).join(' ');
  const lines = [
    `# ${spec.name} (${kind} ${spec.version})`,
    '',
    argoDescription(spec),
    '',
    `Runs the kimia image builder (${spec.variant === 'kimia' ? 'BuildKit' : 'Buildah'}) rootless, as UID 1000. Needs Argo Workflows ${o.minArgoVersion}.`,
    '',
    '## Install',
    '',
    '```sh',
    `kubectl apply -f ${spec.name}.yaml`,
    '```',
    '',
    '## Parameters',
    '',
    table(['Name', 'Description', 'Default'], params.map((p: Obj) => [p.name, p.description, p.value === undefined ? '(required)' : `\`${p.value}\``])),
    '',
    '## Outputs',
    '',
    table(['Name', 'Description'], [
      [ARGO.digest, `Digest of the built image (kimia --digest-file); global output \`{{workflow.outputs.parameters.${ARGO.digest}}}\`.`],
      [ARGO.url, `The first destination by digest, repository@sha256:… (kimia --image-name-with-digest-file); global output \`{{workflow.outputs.parameters.${ARGO.url}}}\`.`],
    ]),
    '',
    spec.push ? 'A push that reports no digest fails the build step.' : 'This build does not push: the outputs default to an empty string.',
    '',
    '## Secrets it expects',
    '',
    table(['Secret', 'Keys', 'Use'], expectedSecrets(spec)),
    '',
    '## Security',
    '',
    `The \`${ARGO.build}\` template's container runs as UID/GID ${sc.runAsUser} with \`allowPrivilegeEscalation: true\`, capabilities ${sc.capabilities.add.join(', ')} (all others dropped) and Unconfined seccomp and AppArmor, set on the **container** so Argo's own containers keep their defaults. `
      + `The pod needs the **${POD_SECURITY_LEVEL}** Pod Security level. The template sets pod \`fsGroup: 1000\` so the builder can read mounted Secrets. `
      + 'The executor\'s service account needs the usual Argo RBAC (`workflowtaskresults` create/patch).',
    '',
    'Parameters reach kimia only as arguments and environment variables; no script contains a `{{…}}` tag.',
    '',
    '## Usage',
    '',
    '```sh',
    `argo submit --from ${short}/${spec.name} ${required}`.trimEnd(),
    '```',
    '',
    `Or from another Workflow, by \`templateRef\` (\`template: ${ARGO.entrypoint}\`, or \`${ARGO.build}\` with its inputs):`,
    '',
    yamlBlock(sample),
    '',
  ];
  return markdown(lines);
}
