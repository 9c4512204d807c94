/**
 * README.md for a catalog Task or Pipeline, generated from the rendered objects.
 */
import { code, containerSecurityContext, markdown, POD_SECURITY_LEVEL, table, unpublishedDigestReason, yamlBlock, type BuildSpec } from '../spec';
import { KIMIA_PLATFORMS, summary } from './catalog';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** README.md for a Task (kind 'task') or Pipeline (kind 'pipeline'). */
export function catalogReadme(spec: BuildSpec, kind: 'task' | 'pipeline', object: Obj, sample: Obj): string {
  const s = object.spec;
  const file = `${spec.name}.yaml`;
  const title = kind === 'task' ? 'Task' : 'Pipeline';
  const sc = containerSecurityContext(spec);
  const unpublished = unpublishedDigestReason(spec);
  const lines = [
    `# ${spec.name} (${title} ${spec.version})`,
    '',
    summary(spec),
    '',
    s.description.split('\n\n').slice(1).join('\n\n'),
    '',
    '## Install',
    '',
    '```sh',
    `kubectl apply -f ${file}`,
    '```',
    '',
    kind === 'pipeline' ? `The Pipeline runs the \`${spec.name}\` Task by name: install the Task of the same version first. It fetches git-clone from Tekton Hub (hub resolver).\n` : '',
    '## Parameters',
    '',
    table(['Name', 'Type', 'Description', 'Default'], (s.params ?? []).map((p: Obj) => [p.name, p.type ?? 'string', p.description, p.default === undefined ? '(required)' : code(p.default)])),
    '',
    '## Workspaces',
    '',
    table(['Name', 'Optional', 'Description'], (s.workspaces ?? []).map((w: Obj) => [w.name, w.optional ? 'yes' : 'no', w.description])),
    '',
    '## Results',
    '',
    table(['Name', 'Description'], (s.results ?? []).map((r: Obj) => [r.name, r.description])),
    '',
    unpublished ? `${unpublished}, so there are no IMAGE_DIGEST/IMAGE_URL results: Tekton Chains has no image to sign or attest.\n` : '',
    '## Platforms',
    '',
    `The builder image is published for ${KIMIA_PLATFORMS.join(' and ')}. One TaskRun builds one platform (kimia builds the platform it runs on, or \`platform\` in the spec).`,
    '',
    '## Security',
    '',
    `The build step runs as UID/GID ${sc.runAsUser} with \`allowPrivilegeEscalation: true\`, capabilities ${sc.capabilities.add.join(', ')} (all others dropped) and Unconfined seccomp and AppArmor: rootless builds need user namespaces. `
      + `That fails the Baseline and Restricted Pod Security levels: run it in a namespace whose level is **${POD_SECURITY_LEVEL}** `
      + '(`pod-security.kubernetes.io/enforce: privileged`). Set `podTemplate.securityContext.fsGroup: 1000` so UID 1000 can read mounted Secrets and write workspaces.',
    '',
    'Param values reach the steps only as arguments and environment variables; no step script contains a param.',
    kind === 'task' && !unpublished ? '\nTekton Chains signs and attests `IMAGE_URL@IMAGE_DIGEST`; set `CHAINS-GIT_URL`/`CHAINS-GIT_COMMIT` to record the source.' : '',
    '',
    '## Usage',
    '',
    yamlBlock(sample),
    '',
  ];
  return markdown(lines);
}
