/**
 * README.md for an Argo catalog template, generated from the rendered object.
 */
import { containerSecurityContext, markdown, platformTargets, POD_SECURITY_LEVEL, table, unpublishedDigestReason, yamlBlock, type BuildSpec } from '../spec';
import { ARGO } from './template';
import { argoDescription, argoOptions } from './catalog';
import { executorAccounts } from './rbac';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The Secrets a rendered template expects to exist, as [secret, keys, use]: every Secret volume
 * mounted and every Secret env var, read off the templates, with the templates that use them.
 */
export function expectedSecrets(object: Obj): string[][] {
  const uses = new Map<string, { row: string[]; templates: string[] }>();
  const add = (secret: string, keys: string, use: string, template: string) => {
    const k = JSON.stringify([secret, keys, use]);
    const u = uses.get(k) ?? { row: [secret, keys, use], templates: [] };
    u.templates.push(`\`${template}\``);
    uses.set(k, u);
  };
  for (const t of (object.spec?.templates ?? []) as Obj[]) {
    const c: Obj | undefined = t.container ?? t.script;
    if (!c) continue;
    // A Secret named by an input: its default, and the parameter that overrides it.
    const named = (name: string) => {
      const m = /^\{\{inputs\.parameters\.([-a-zA-Z0-9_]+)\}\}$/.exec(name);
      if (!m) return name;
      const ip = ((t.inputs?.parameters ?? []) as Obj[]).find((x) => x.name === m[1]);
      return `${ip?.default ?? '(required)'} (parameter ${m[1]})`;
    };
    for (const v of (t.volumes ?? []) as Obj[]) {
      const m = ((c.volumeMounts ?? []) as Obj[]).find((x) => x.name === v.name);
      if (!v.secret || !m) continue;
      const keys = ((v.secret.items ?? []) as Obj[]).map((i) => i.key).join(', ') || '(all keys)';
      add(named(v.secret.secretName), keys, `mounted read-only at ${m.subPath ? m.mountPath : `${m.mountPath}/`}`, t.name);
    }
    for (const e of (c.env ?? []) as Obj[]) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) add(ref.name, ref.key, `env ${e.name}`, t.name);
    }
  }
  return [...uses.values()].map(({ row, templates }) => [row[0], row[1], `${row[2]} in ${templates.join(', ')}`]);
}

/** Where a README's template lives: its name and file (argo-hub's layout names each version apart). */
export interface ArgoReadmeOptions {
  /** metadata.name of the template. @default the build's name */
  readonly name?: string;
  /** The template's file beside rbac.yaml. @default `<name>.yaml` */
  readonly file?: string;
  /** The name carries the version (versions install side by side). */
  readonly versioned?: boolean;
  /** The bundle-relative directory of this version's template and rbac.yaml (e.g. `argo/workflowtemplate/<name>/<version>`). */
  readonly dir: string;
}

export function argoReadme(spec: BuildSpec, object: Obj, sample: Obj, opts: ArgoReadmeOptions): string {
  const o = argoOptions(spec);
  const name = opts.name ?? spec.name;
  const file = opts.file ?? `${spec.name}.yaml`;
  const kind = o.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
  const short = o.clusterScope ? 'clusterworkflowtemplate' : 'workflowtemplate';
  const sc = containerSecurityContext(spec);
  const params: Obj[] = object.spec.arguments.parameters; // KimiaWorkflowTemplate always declares spec.arguments.parameters
  const unpublished = unpublishedDigestReason(spec);
  const base = o.catalogUrl?.replace(/\/+$/, '');
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
    base
      ? `kubectl apply -n NAMESPACE -f ${base}/${opts.dir}/rbac.yaml -f ${base}/${opts.dir}/${file}`
      : `kubectl apply -n NAMESPACE -f ${opts.versioned ? '../' : ''}rbac.yaml -f ${opts.versioned ? '../' : ''}${file}`,
    '```',
    '',
    (base ? 'It applies this version only' : 'Run it in this directory: it applies this version only')
      + (opts.versioned
        ? `, and the template is named \`${name}\`, so versions install side by side. `
        : ` (every kept version of the template is named \`${spec.name}\`, so apply one version directory, never the whole tree). `)
      + (base ? '' : '(Set `argo.catalogUrl` in the config to where this bundle is served, and it installs from there.) ')
      + `\`rbac.yaml\` grants Argo's executor its minimum, \`workflowtaskresults\` create and patch, to ${executorAccounts(spec).map((a) => `\`${a}\``).join(' and ')}.`,
    '',
    '## Parameters',
    '',
    table(['Name', 'Description', 'Default'], params.map((p: Obj) => [p.name, p.description, p.value === undefined ? '(required)' : `\`${p.value}\``])),
    '',
    '## Outputs',
    '',
    ...(unpublished === undefined
      ? [
        table(['Name', 'Description'], [
          ...(platformTargets(spec).length
            ? [
              [ARGO.digest, `Digest of the image index; global output \`{{workflow.outputs.parameters.${ARGO.digest}}}\`.`],
              [ARGO.url, `The image index as tagged (the first destination; by digest: \`${ARGO.url}@${ARGO.digest}\`, as \`verify\` checks it); global output \`{{workflow.outputs.parameters.${ARGO.url}}}\`.`],
            ]
            : [
              [ARGO.digest, `Digest of the pushed image (kimia --digest-file); global output \`{{workflow.outputs.parameters.${ARGO.digest}}}\`.`],
              [ARGO.url, `The first destination by digest, repository@sha256:… (kimia --image-name-with-digest-file); global output \`{{workflow.outputs.parameters.${ARGO.url}}}\`.`],
            ]),
        ]),
        '',
        'A push that reports no digest fails the build step.',
      ]
      : [`_None._ ${unpublished}, so the template does not offer it as an output.`]),
    '',
    '## Secrets it expects',
    '',
    table(['Secret', 'Keys', 'Use'], expectedSecrets(object)),
    '',
    '## Security',
    '',
    `The \`${ARGO.build}\` template's container runs as UID/GID ${sc.runAsUser} with \`allowPrivilegeEscalation: true\`, capabilities ${sc.capabilities.add.join(', ')} (all others dropped) and Unconfined seccomp and AppArmor, set on the **container** so Argo's own containers keep their defaults. `
      + `The pod needs the **${POD_SECURITY_LEVEL}** Pod Security level. The template sets pod \`fsGroup: 1000\` so the builder can read mounted Secrets. `
      + 'The executor\'s service account needs `workflowtaskresults` create/patch: `rbac.yaml`.',
    '',
    'Parameters reach kimia only as arguments and environment variables; no script contains a `{{…}}` tag.',
    '',
    '## Usage',
    '',
    '```sh',
    `argo submit --from ${short}/${name} ${required}`.trimEnd(),
    '```',
    '',
    `Or as a Workflow by \`workflowTemplateRef\` (\`samples/workflow.yaml\`; the one form \`templateReferencing: Strict\` accepts, and it applies the template's podGC and TTL):`,
    '',
    yamlBlock(sample),
    '',
    `From a DAG or steps of another Workflow, \`templateRef: {name: ${name}, template: ${ARGO.entrypoint}${o.clusterScope ? ', clusterScope: true' : ''}}\` takes the same parameters as arguments (\`${ARGO.entrypoint}\` declares them as inputs).`,
    '',
  ];
  return markdown(lines);
}
