/**
 * README.md for a catalog Task or Pipeline, generated from the rendered objects.
 */
import { code, containerSecurityContext, gitCloneBundle, markdown, POD_SECURITY_LEVEL, table, unpublishedDigestReason, yamlBlock, type BuildSpec } from '../spec';
import { KIMIA_PLATFORMS } from './catalog';
import { bundleRefs } from './pipeline';
import { catalogTestSkipped } from './samples';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How a README pins its bundles-resolver references. */
export interface ReadmeOptions {
  /** The version of the Task a Pipeline runs. @default the spec's version */
  readonly taskVersion?: string;
  /** Digest of the Tekton bundle `kimia-bundles bundle` makes of this object (RenderOptions.bundleDigest). @default none: the reference names the tag */
  readonly digest?: string;
}

/** README.md for a Task (kind 'task') or Pipeline (kind 'pipeline'). */
export function catalogReadme(spec: BuildSpec, kind: 'task' | 'pipeline', object: Obj, sample: Obj, opts: ReadmeOptions = {}): string {
  const s = object.spec;
  const title = kind === 'task' ? 'Task' : 'Pipeline';
  const sc = containerSecurityContext(spec);
  const unpublished = unpublishedDigestReason(spec);
  const lines = [
    `# ${spec.name} (${title} ${spec.version})`,
    '',
    // The object's description: the summary (all of spec.description when given), then the details.
    s.description,
    '',
    '## Install',
    '',
    ...installSection(spec, kind, opts),
    '',
    '## Parameters',
    '',
    // The rendered Task and Pipeline always list their params (each with its type) and workspaces; results only when there are some.
    table(['Name', 'Type', 'Description', 'Default'], s.params.map((p: Obj) => [p.name, p.type, p.description, p.default === undefined ? '(required)' : code(p.default)])),
    '',
    '## Workspaces',
    '',
    table(['Name', 'Optional', 'Description'], s.workspaces.map((w: Obj) => [w.name, w.optional ? 'yes' : 'no', w.description])),
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
    ...(kind === 'task' ? ['## Tests', '', testSection(spec), ''] : []),
  ];
  return markdown(lines);
}

/** The install commands: one copy-paste command from where the catalog is served, the hub and the bundles-resolver references. */
function installSection(spec: BuildSpec, kind: 'task' | 'pipeline', opts: ReadmeOptions): string[] {
  const taskVersion = opts.taskVersion ?? spec.version;
  const dirOf = (k: 'task' | 'pipeline') => `tekton/${k}/${spec.name}/${k === 'task' ? taskVersion : spec.version}`;
  const rel = (k: 'task' | 'pipeline') => `${dirOf(k)}/${spec.name}.yaml`;
  const base = spec.tekton.catalogUrl?.replace(/\/+$/, '');
  const bundles = bundleRefs(spec, taskVersion);
  const files = kind === 'task' || bundles ? [rel(kind)] : [rel('task'), rel('pipeline')];
  const out = ['```sh', base ? `kubectl apply ${files.map((f) => `-f ${base}/${f}`).join(' ')}` : `kubectl apply ${files.map((f) => `-f ${f}`).join(' ')}   # from the bundle's root directory`, '```', ''];
  if (!base) out.push('(Set `tekton.catalogUrl` in the config to where this catalog is served, and this command installs from there.)', '');
  if (kind === 'pipeline') {
    const same = taskVersion === spec.version ? 'of the same version' : `at ${taskVersion} (its content has not changed since)`;
    out.push(bundles
      ? `The Pipeline runs the \`${spec.name}\` Task ${same} from its bundle, \`${bundles.task}\` (bundles resolver): publish that bundle first (see the Task's README).`
      : `The Pipeline runs the \`${spec.name}\` Task ${same} by name from its namespace: the command above installs both.`);
    out.push(`It clones with git-clone ${spec.tekton.gitCloneVersion} from its maintained home, \`${gitCloneBundle(spec.tekton.gitCloneVersion)}\` (bundles resolver).`, '');
  }
  const hub = spec.tekton.artifactHubRepository;
  if (hub) {
    out.push('From Artifact Hub, without installing (hub resolver, `type: artifact`):', '', '```yaml',
      `${kind === 'task' ? 'taskRef' : 'pipelineRef'}:`, '  resolver: hub', '  params:', '    - name: type', '      value: artifact',
      '    - name: catalog', `      value: ${hub}`, '    - name: kind', `      value: ${kind}`, '    - name: name', `      value: ${spec.name}`,
      '    - name: version', `      value: "${spec.version}"`, '```', '');
  }
  if (bundles) {
    const tagged = kind === 'task' ? bundles.task : bundles.pipeline;
    // A digest reference without the tag: go-containerregistry's name.ParseReference, which the bundles
    // resolver parses `bundle` with (tektoncd/pipeline pkg/resolution/resolver/bundle), reads REPO@sha256:….
    const ref = opts.digest ? `${tagged.slice(0, tagged.lastIndexOf(':'))}@${opts.digest}` : tagged;
    out.push(`From the bundle, without installing (bundles resolver). Publish it from the catalog's root directory with \`kimia-bundles bundle --dir ${dirOf(kind)} --out ${spec.name}-${kind}.oci\` and \`kimia-bundles push --layout ${spec.name}-${kind}.oci ${tagged}\`${opts.digest ? ', which prints this digest: the bundle is reproducible (no `--source-date-epoch`, no `SOURCE_DATE_EPOCH` set, no annotation options)' : ', which prints the digest to pin with `@sha256:…`'}.`, '', '```yaml',
      `${kind === 'task' ? 'taskRef' : 'pipelineRef'}:`, '  resolver: bundles', '  params:', `    - name: bundle`, `      value: ${ref}`, `    - name: name`, `      value: ${spec.name}`, `    - name: kind`, `      value: ${kind}`, '```', '');
  }
  return out;
}

/**
 * What the test's build does with the image: kimia pushes every destination unless `--tar-path`
 * (BuildKit's output becomes `type=docker,dest=<tar>`, no image output) or `--no-push` (kimia.md §3).
 */
function testOutput(spec: BuildSpec): string {
  if (spec.tarPath) return 'writing the image to its archive (tarPath, in the image-archive workspace) instead of pushing it';
  if (!spec.push) return 'building every destination without pushing it (push: false)';
  return 'pushing every destination to that registry (localhost:5000)';
}

/** What the catalog test is, or why there is none. */
function testSection(spec: BuildSpec): string {
  const skipped = catalogTestSkipped(spec);
  if (skipped) return `No catalog test: ${skipped}.`;
  return 'tests/ is what the Tekton catalog e2e runner runs (tektoncd/catalog test/e2e-common.sh): the hook adds its registry sidecar to the Task, '
    + `and run.yaml runs the Pipeline inline on one platform, ${testOutput(spec)}, without verify; `
    + (spec.signing && spec.signing.in !== 'chains' ? 'test-key-secret.yaml holds a throwaway key pair (cosign\'s own test fixture, password "hello") in the Secrets the Task mounts.' : 'the build signs nothing.');
}
