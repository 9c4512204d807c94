/**
 * The Argo catalog's metadata, the executor RBAC and the sample Workflow, function by function,
 * with literal expectations taken from upstream:
 * - argoproj/argo-workflows v4.1.2 docs/workflow-rbac.md:3-4 (the executor uses the pod's service
 *   account, `default` unless the Workflow names another) and :11-28 (its minimum for Argo >= 3.4:
 *   create and patch on workflowtaskresults);
 * - argoproj-labs/argo-workflows-catalog (argo.md §0.7, §5): the workflows.argoproj.io annotations,
 *   a description that is one sentence ending with ".", the maintainer a GitHub handle;
 * - codefresh-io/argo-hub workflows/kaniko/versions/0.0.1/: full semver directories;
 * - the README's commands: `kubectl apply -f` of rbac.yaml and the template, `argo submit --from
 *   <kind>/<name>` (argo-workflows v4.1.2 cmd/argo/commands/submit.go: --from kind/name), and a
 *   `templateRef` with clusterScope for a ClusterWorkflowTemplate (docs/workflow-templates.md).
 */
import {
  argoBundle, argoDescription, argoDir, argoMetadata, argoOptions, argoRbac, executorAccounts, expectedSecrets, hubTemplateName, hubVersion, parseBuildSpec,
  renderBundle, sampleWorkflow, DEFAULT_COSIGN_IMAGE, DEFAULT_CRANE_IMAGE, type BuildSpecInput,
} from '../src/internal';
import { parse } from 'yaml';
import { BASE } from './helpers';

const spec = (over: Partial<BuildSpecInput> = {}) => parseBuildSpec({ ...BASE, version: '0.3', ...over });
/** The files of a build rendered with outputs [argo], by path. */
const catalogFile = (over: Partial<BuildSpecInput>, file: string) =>
  [...renderBundle({ builds: [spec({ outputs: ['argo'], ...over })] }, { validate: false })].find(([p]) => p.endsWith(`/${file}`))![1];
type Template = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The templates of a build's rendered WorkflowTemplate (named app), by name. */
const templatesOf = (over: Partial<BuildSpecInput>): Map<string, Template> =>
  new Map((parse(catalogFile(over, 'app.yaml')).spec.templates as Template[]).map((t) => [t.name, t]));
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

describe('the Secrets a README lists (expectedSecrets), read off the templates', () => {
  const template = (name: string, container: object, volumes: object[] = [], parameters: object[] = []) => ({ name, container, volumes, inputs: { parameters } });
  const secretVolume = (name: string, secretName: string, items?: Array<{ key: string; path: string }>) => ({ name, secret: { secretName, ...(items ? { items } : {}) } });

  it('a mounted Secret volume with its keys, or (all keys); a secretKeyRef env var; one row per use, listing every template', () => {
    const object = {
      spec: {
        templates: [
          template('build', {
            volumeMounts: [{ name: 'reg', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json' }, { name: 'key', mountPath: '/secrets' }],
            env: [{ name: 'PLAIN', value: 'x' }, { name: 'COSIGN_PASSWORD', valueFrom: { secretKeyRef: { name: 'cosign', key: 'password' } } }],
          }, [secretVolume('reg', 'registry', [{ key: '.dockerconfigjson', path: 'config.json' }, { key: 'extra', path: 'e' }]), secretVolume('key', 'cosign'), { name: 'work', emptyDir: {} }]),
          template('sign', { volumeMounts: [{ name: 'reg', mountPath: '/home/kimia/.docker/config.json', subPath: 'config.json' }] }, [secretVolume('reg', 'registry', [{ key: '.dockerconfigjson', path: 'config.json' }, { key: 'extra', path: 'e' }]), secretVolume('unmounted', 'nobody')]),
          { name: 'main', dag: { tasks: [] } },
        ],
      },
    };
    expect(expectedSecrets(object)).toEqual([
      ['registry', '.dockerconfigjson, extra', 'mounted read-only at /home/kimia/.docker/config.json in `build`, `sign`'],
      ['cosign', '(all keys)', 'mounted read-only at /secrets/ in `build`'],
      ['cosign', 'password', 'env COSIGN_PASSWORD in `build`'],
    ]);
  });

  it('a Secret named by exactly one input parameter: its default and the parameter, (required) without one; anything else as written', () => {
    const mount = { volumeMounts: [{ name: 'a', mountPath: '/a' }, { name: 'b', mountPath: '/b' }, { name: 'c', mountPath: '/c' }, { name: 'd', mountPath: '/d' }] };
    const object = {
      spec: {
        templates: [template('build', mount, [
          secretVolume('a', '{{inputs.parameters.REGISTRY_SECRET}}'),
          secretVolume('b', '{{inputs.parameters.KEY}}'),
          secretVolume('c', 'x{{inputs.parameters.KEY}}'),
          secretVolume('d', '{{inputs.parameters.KEY}}y'),
        ], [{ name: 'REGISTRY_SECRET', default: 'registry-credentials' }, { name: 'KEY' }])],
      },
    };
    expect(expectedSecrets(object).map((r) => r[0])).toEqual([
      'registry-credentials (parameter REGISTRY_SECRET)', '(required) (parameter KEY)', 'x{{inputs.parameters.KEY}}', '{{inputs.parameters.KEY}}y',
    ]);
  });

  it('nothing for a template without a container or script, nor for an object without templates', () => {
    expect(expectedSecrets({ spec: { templates: [{ name: 'main', steps: [] }] } })).toEqual([]);
    expect(expectedSecrets({})).toEqual([]);
  });
});

describe('the README of a catalog template (docs.ts)', () => {
  const readme = (over: Partial<BuildSpecInput>) => catalogFile(over, 'README.md');
  const section = (text: string, title: string) => text.split(`## ${title}\n\n`)[1].split('\n\n## ')[0];

  it('a namespaced BuildKit template: installed from its own directory, submitted by workflowtemplate/<name>, referenced without clusterScope', () => {
    const r = readme({});
    expect(r.split('\n').slice(0, 5)).toEqual([
      '# app (WorkflowTemplate 0.3)', '', 'Build a container image with kimia (rootless BuildKit).', '',
      'Runs the kimia image builder (BuildKit) rootless, as UID 1000. Needs Argo Workflows >= 3.6.0.',
    ]);
    expect(section(r, 'Install')).toBe([
      '```sh', 'kubectl apply -n NAMESPACE -f rbac.yaml -f app.yaml', '```', '',
      'Run it in this directory: it applies this version only (every kept version of the template is named `app`, so apply one version directory, never the whole tree). '
        + '(Set `argo.catalogUrl` in the config to where this bundle is served, and it installs from there.) '
        + '`rbac.yaml` grants Argo\'s executor its minimum, `workflowtaskresults` create and patch, to `default`.',
    ].join('\n'));
    expect(r).toContain('\n```sh\nargo submit --from workflowtemplate/app\n```\n');
    expect(r).toContain('\nFrom a DAG or steps of another Workflow, `templateRef: {name: app, template: main}` takes the same parameters as arguments (`main` declares them as inputs).\n');
  });

  it('a cluster-scoped Buildah template with argo.catalogUrl: installed from the URL (trailing slashes dropped), clusterworkflowtemplate/<name>, clusterScope: true', () => {
    const r = readme({ name: 'bud', variant: 'kimia-bud', argo: { clusterScope: true, catalogUrl: 'https://example.com/cat//' } });
    expect(r.split('\n')[0]).toBe('# bud (ClusterWorkflowTemplate 0.3)');
    expect(r).toContain('\nRuns the kimia image builder (Buildah) rootless');
    expect(section(r, 'Install')).toBe([
      '```sh',
      'kubectl apply -n NAMESPACE -f https://example.com/cat/argo/clusterworkflowtemplate/bud/0.3/rbac.yaml -f https://example.com/cat/argo/clusterworkflowtemplate/bud/0.3/bud.yaml',
      '```', '',
      'It applies this version only (every kept version of the template is named `bud`, so apply one version directory, never the whole tree). '
        + '`rbac.yaml` grants Argo\'s executor its minimum, `workflowtaskresults` create and patch, to `default`.',
    ].join('\n'));
    expect(r).toContain('\n```sh\nargo submit --from clusterworkflowtemplate/bud\n```\n');
    expect(r).toContain('`templateRef: {name: bud, template: main, clusterScope: true}`');
  });

  it('lists the template\'s parameters: the pinned builder image and the registry Secret, with their defaults', () => {
    expect(section(readme({ name: 'bud', variant: 'kimia-bud' }), 'Parameters')).toBe([
      '| Name | Description | Default |',
      '|---|---|---|',
      '| BUILDER_IMAGE | The kimia builder image, pinned. | `ghcr.io/rapidfort/kimia-bud:1.0.25` |',
      '| REGISTRY_SECRET | kubernetes.io/dockerconfigjson Secret with the registry credentials, mounted read-only in the build, index, sign and verify steps. It must exist. | `registry-credentials` |',
    ].join('\n'));
  });

  it('a builder image made of the build\'s own parameters: no BUILDER_IMAGE parameter, the image from those', () => {
    const r = readme({ builderImage: 'mirror.example.com/kimia:${KIMIA_TAG}', params: { KIMIA_TAG: { description: 'Tag of the mirrored kimia image.', default: '1.0.25' } } } as Partial<BuildSpecInput>);
    expect(section(r, 'Parameters').split('\n').slice(2).map((row) => row.split(' | ')[0])).toEqual(['| KIMIA_TAG', '| REGISTRY_SECRET']);
  });

  it('a build parameter with a template parameter\'s name (REGISTRY_SECRET) is refused: it would name the Secret the template mounts (engine-params.test.ts)', () => {
    expect(() => readme({ destinations: ['registry.io/myapp:${REGISTRY_SECRET}'], params: { REGISTRY_SECRET: { description: 'Mine.', default: 'v1' } } } as Partial<BuildSpecInput>))
      .toThrow('params.REGISTRY_SECRET: "REGISTRY_SECRET" is a param the engines declare themselves: the name of the registry credentials Secret the Argo template mounts.');
  });

  it('a local context: the source as a git artifact (GIT_URL required, GIT_REVISION main, GIT_SECRET with argo.gitCredentialsSecret)', () => {
    // The artifact's usernameSecret/passwordSecret name keys username and password (Argo GitArtifact, a basic-auth Secret).
    const r = readme({ context: { local: { path: '/home/kimia/workspace' } }, argo: { gitCredentialsSecret: 'git-creds' } } as Partial<BuildSpecInput>);
    expect(section(r, 'Parameters').split('\n').slice(3, 6)).toEqual([
      '| GIT_URL | Git URL of the source to build. | (required) |',
      '| GIT_REVISION | Branch, tag or commit to build. | `main` |',
      '| GIT_SECRET | kubernetes.io/basic-auth Secret (keys username and password) the source is cloned with. It must exist. | `git-creds` |',
    ]);
  });

  it('names every account rbac.yaml binds (the build\'s serviceAccountName and default)', () => {
    expect(section(readme({ serviceAccountName: 'builder' }), 'Install')).toContain('`rbac.yaml` grants Argo\'s executor its minimum, `workflowtaskresults` create and patch, to `builder` and `default`.');
  });

  it('a required parameter is given on the argo submit line', () => {
    const r = readme({ destinations: ['registry.io/myapp:${TAG}'], params: { TAG: { description: 'The tag.' } } } as Partial<BuildSpecInput>);
    expect(r).toMatch(/\nargo submit --from workflowtemplate\/app -p TAG=…\n/);
  });
});

describe('the build template of a local context (the source arrives as an Argo git artifact)', () => {
  it('drops the spec\'s source claim: no source volume or mount, the artifact at context.local.path', () => {
    const build = templatesOf({ context: { local: { path: '/home/kimia/workspace', claimName: 'src-pvc' } } } as Partial<BuildSpecInput>).get('build')!;
    expect(build.volumes.map((v: { name: string }) => v.name)).toEqual(['docker-config']);
    expect(build.container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/home/kimia/.docker/config.json']);
    expect(build.inputs.artifacts).toEqual([{ name: 'source', path: '/home/kimia/workspace', git: { repo: '{{inputs.parameters.GIT_URL}}', revision: '{{inputs.parameters.GIT_REVISION}}', depth: 1 } }]);
  });
});

describe('an image archive (tarPath) in the build template', () => {
  const build = (over: Partial<BuildSpecInput>) => templatesOf({ push: false, tarPath: '/home/kimia/output/image.tar', ...over } as Partial<BuildSpecInput>).get('build')!;

  it('on the pod\'s emptyDir: leaves the pod as the image-archive output artifact, stored as the tar it is (archive: none)', () => {
    const t = build({});
    expect(t.outputs).toEqual({ artifacts: [{ name: 'image-archive', path: '/home/kimia/output/image.tar', archive: { none: {} } }] });
    expect(t.volumes).toContainEqual({ name: 'image-archive', emptyDir: {} });
  });

  it('on tarClaimName: stays on the claim, no output artifact', () => {
    const t = build({ tarClaimName: 'archives' });
    expect(t.outputs).toBeUndefined();
    expect(t.volumes).toContainEqual({ name: 'image-archive', persistentVolumeClaim: { claimName: 'archives' } });
  });

  it('kimia-bud on tarClaimName: its buildah-storage emptyDir is not taken for the archive, no output artifact', () => {
    const t = build({ variant: 'kimia-bud', tarClaimName: 'archives' } as Partial<BuildSpecInput>);
    expect(t.volumes.filter((v: Record<string, unknown>) => 'emptyDir' in v).length).toBeGreaterThan(0);
    expect(t.outputs).toBeUndefined();
  });
});

describe('scheduling of the build template', () => {
  it('the spec\'s nodeSelector and tolerations on the build pod; none when the spec has none', () => {
    const build = (over: Partial<BuildSpecInput>) => templatesOf(over).get('build')!;
    const toleration = { key: 'builders', operator: 'Exists', effect: 'NoSchedule' };
    const t = build({ nodeSelector: { disk: 'ssd' }, tolerations: [toleration] } as Partial<BuildSpecInput>);
    expect(t.nodeSelector).toEqual({ disk: 'ssd' });
    expect(t.tolerations).toEqual([toleration]);
    const plain = build({});
    expect([plain.nodeSelector, plain.tolerations]).toEqual([undefined, undefined]);
  });
});

describe('a multi-arch git build without a revision: the DAG passes each step the parameters it uses', () => {
  it('revision gets those in the git url or branch and the builder image; index those in any destination and the registry Secret', () => {
    const templates = templatesOf({
      platforms: ['linux/amd64', 'linux/arm64'],
      context: { git: { url: 'https://github.com/myorg/${REPO}.git', branch: '${BRANCH}' } },
      destinations: ['registry.io/myapp:${TAG}', 'registry.io/mirror:stable', 'registry.io/backup:stable'],
      params: { REPO: { description: 'Repository.', default: 'myapp' }, BRANCH: { description: 'Branch.', default: 'main' }, TAG: { description: 'Tag.', default: 'v1' } },
    } as Partial<BuildSpecInput>);
    const template = (name: string) => templates.get(name)!;
    const names = (list: Array<{ name: string }> = []) => list.map((p) => p.name);
    expect(template('main').dag.tasks.map((t: { name: string; arguments?: { parameters: Array<{ name: string }> } }) => [t.name, names(t.arguments?.parameters)])).toEqual([
      ['revision', ['REPO', 'BRANCH', 'BUILDER_IMAGE']],
      ['build', ['REPO', 'BRANCH', 'TAG', 'BUILDER_IMAGE', 'REGISTRY_SECRET', 'PLATFORM', 'PLATFORM_TAG', 'ARCH', 'GIT_COMMIT']],
      ['index', ['TAG', 'REGISTRY_SECRET', 'IMAGES']],
    ]);
    expect(names(template('revision').inputs.parameters)).toEqual(['REPO', 'BRANCH', 'BUILDER_IMAGE']);
    expect(names(template('index').inputs.parameters)).toEqual(['TAG', 'REGISTRY_SECRET', 'IMAGES']);
    // The index script reads one extra destination per line.
    expect(template('index').script.env.find((e: { name: string }) => e.name === 'EXTRA_DESTINATIONS').value).toBe('registry.io/mirror:stable\nregistry.io/backup:stable');
  });
});

describe('a builder image made of the build\'s parameters reaches the helper steps that run it', () => {
  const params = { MIRROR: { description: 'Registry mirror.', default: 'mirror.example.com' }, TAG: { description: 'Tag.', default: 'v1' } };
  const names = (list: Array<{ name: string }> = []) => list.map((p) => p.name);
  const taskArgs = (t: Map<string, Template>, name: string) =>
    names(t.get('main')!.dag.tasks.find((x: { name: string }) => x.name === name).arguments.parameters);

  it('git epoch (local context): source-date-epoch runs the builder image, so it gets MIRROR with the git inputs', () => {
    const t = templatesOf({
      context: { local: { path: '/home/kimia/workspace' } }, builderImage: '${MIRROR}/kimia:1.0.25', params,
      destinations: ['registry.io/myapp:${TAG}'], reproducible: { sourceDateEpoch: { fromGit: true } },
    } as Partial<BuildSpecInput>);
    expect(t.get('source-date-epoch')!.script.image).toBe('{{inputs.parameters.MIRROR}}/kimia:1.0.25');
    expect(names(t.get('source-date-epoch')!.inputs.parameters)).toEqual(['MIRROR', 'GIT_URL', 'GIT_REVISION']);
    expect(taskArgs(t, 'source-date-epoch')).toEqual(['MIRROR', 'GIT_URL', 'GIT_REVISION']);
  });

  it('isolated signing: the sign step gets MIRROR (its image) and TAG (its destination), not the unused rest', () => {
    const t = templatesOf({
      builderImage: '${MIRROR}/kimia:1.0.25', destinations: ['registry.io/myapp:${TAG}'], buildArgs: { VERSION: '${UNUSED}' },
      params: { ...params, UNUSED: { description: 'A build arg, not read by signing.', default: 'x' } },
      signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } },
    } as Partial<BuildSpecInput>);
    expect(names(t.get('sign')!.inputs.parameters)).toEqual(expect.arrayContaining(['MIRROR', 'TAG']));
    expect(names(t.get('sign')!.inputs.parameters)).not.toContain('UNUSED');
    expect(taskArgs(t, 'sign')).toEqual(expect.arrayContaining(['MIRROR', 'TAG']));
  });
});

describe('a multi-arch build with a git epoch: the fan-out is on the build task, after source-date-epoch', () => {
  it('source-date-epoch runs once; build runs per platform with the commit and epoch it read', () => {
    const t = templatesOf({
      context: { local: { path: '/home/kimia/workspace' } }, platforms: ['linux/amd64', 'linux/arm64'],
      reproducible: { sourceDateEpoch: { fromGit: true } },
    } as Partial<BuildSpecInput>);
    const tasks = t.get('main')!.dag.tasks as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tasks.map((x) => [x.name, x.depends, x.withItems?.length])).toEqual([
      ['source-date-epoch', undefined, undefined], ['build', 'source-date-epoch', 2], ['index', 'build', undefined],
    ]);
    const build = tasks[1].arguments.parameters as Array<{ name: string; value: string }>;
    expect(build).toEqual(expect.arrayContaining([
      { name: 'GIT_REVISION', value: '{{tasks.source-date-epoch.outputs.parameters.GIT_COMMIT}}' },
      { name: 'SOURCE_DATE_EPOCH', value: '{{tasks.source-date-epoch.outputs.parameters.SOURCE_DATE_EPOCH}}' },
      { name: 'PLATFORM', value: '{{item.PLATFORM}}' },
    ]));
  });
});

describe('where an Argo template signs (signing.in)', () => {
  const templates = (over: Partial<BuildSpecInput>) => [...templatesOf({
    attestation: 'max', ...over, signing: { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' }, ...over.signing },
  } as Partial<BuildSpecInput>).keys()];

  it('isolated (the default): a sign template after the build, fed its digest; in: builder: kimia signs, no sign template', () => {
    expect(templates({})).toContain('sign');
    expect(templates({ signing: { in: 'builder' } } as Partial<BuildSpecInput>)).not.toContain('sign');
  });
});
