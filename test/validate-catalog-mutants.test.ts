/**
 * The Tekton catalog rules (src/validate/catalog.ts), the gate's document names and catalog/kimia
 * de-duplication (src/validate/gate.ts) and BundleValidationError (src/validate/issues.ts), called
 * directly on hand-built documents with literal expectations: the cases the mutation run left
 * untested. Upstream facts used:
 * - Tekton catalog layout (TEP-0003, tektoncd/catalog): `task/<name>/<version>/<name>.yaml` (and
 *   `pipeline/…`), at a catalog repository's root or under a directory such as dist/tekton/;
 * - tektoncd/hub config.yaml: the 20 categories, Automation … Testing;
 * - tektoncd/catlin pkg/validator/content_validator.go: the `app.kubernetes.io/version` label,
 *   `tekton.dev/pipelines.minVersion` and `tekton.dev/categories` annotations are mandatory, each
 *   comma-separated category is trimmed and must be a hub category; `tekton.dev/displayName`,
 *   `tekton.dev/tags` and `tekton.dev/platforms` are recommended, each platform must match
 *   ^[a-z0-9]+\/[a-z0-9]+$ (OS/ARCH); spec.description is required;
 * - catlin task_validator.go: images using `$(…)` are skipped, `:latest` must not be used, a
 *   digest must be valid (sha256:<64 hex>).
 */
import { checkCatalogRules } from '../src/validate/catalog';
import { documentName, validateDocuments } from '../src/validate/gate';
import { BundleValidationError, formatBundleIssue } from '../src/validate/issues';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FILE = 'task/hello/0.1/hello.yaml';
const PIPELINE_FILE = 'pipeline/hello/0.1/hello.yaml';
const PINNED = 'must be pinned: the catalog refuses :latest and untagged images';
const HEX = '0123456789abcdef'.repeat(4);

/** Catalog metadata that passes every rule for `hello` at version 0.1. */
function metadata(): Doc {
  return {
    name: 'hello',
    labels: { 'app.kubernetes.io/version': '0.1' },
    annotations: {
      'tekton.dev/pipelines.minVersion': '0.50.0',
      'tekton.dev/categories': 'Build Tools',
      'tekton.dev/tags': 'test',
      'tekton.dev/displayName': 'hello',
      'tekton.dev/platforms': 'linux/amd64',
    },
  };
}

/** A Task that passes every catalog rule at FILE. */
function task(): Doc {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: metadata(),
    spec: { description: 'Says hello.', steps: [{ name: 'hello', image: 'alpine:3.20', script: 'echo hello' }] },
  };
}

/** A Pipeline that passes every catalog rule at PIPELINE_FILE; `tasks` are its pipeline tasks. */
function pipeline(tasks: Doc[] = [{ name: 'hello', taskRef: { name: 'hello' } }]): Doc {
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: metadata(), spec: { description: 'Says hello.', tasks } };
}

/** A Task at FILE after `mutate`. */
function issuesOf(mutate: (d: Doc) => void, file = FILE) {
  const d = task();
  mutate(d);
  return checkCatalogRules(d, file);
}

const annotation = (key: string) => `metadata.annotations["${key}"]`;
const VERSION_LABEL = 'metadata.labels["app.kubernetes.io/version"]';

describe('which files and documents the catalog rules apply to', () => {
  it('applies at a catalog repository\'s own root and under a directory, for multi-character names and versions', () => {
    const noDescription = () => { const d = task(); delete d.spec.description; return d; };
    const expected = [{ path: 'spec.description', message: 'is required by the catalog and Artifact Hub' }];
    expect(checkCatalogRules(noDescription(), 'task/hello/0.1/hello.yaml')).toEqual(expected);
    expect(checkCatalogRules(noDescription(), 'dist/tekton/task/hello/0.1/hello.yaml')).toEqual(expected);
    expect(checkCatalogRules(noDescription(), 'task/hello-world/0.12/hello-world.yaml')).toEqual([
      { path: 'metadata.name', message: '"hello" must equal the directory and file name "hello-world"' },
      { path: VERSION_LABEL, message: '"0.1" must equal the version directory "0.12"' },
      ...expected,
    ]);
  });

  it('leaves files outside the layout alone: other depths, another extension after .yaml', () => {
    const broken = () => { const d = task(); delete d.spec.description; delete d.metadata.annotations; return d; };
    expect(checkCatalogRules(broken(), 'hello.yaml')).toEqual([]);
    expect(checkCatalogRules(broken(), 'task/hello/hello.yaml')).toEqual([]);
    expect(checkCatalogRules(broken(), 'task/hello/0.1/tests/run.yaml')).toEqual([]);
    expect(checkCatalogRules(broken(), 'task/hello/0.1/hello.yaml.orig')).toEqual([]);
    expect(checkCatalogRules(broken(), 'task/hello/0.1/hello.yamlx')).toEqual([]);
  });

  it('only tekton.dev/v1 Tasks and Pipelines: another apiVersion or kind, or no document, is not checked', () => {
    expect(issuesOf((d) => { d.apiVersion = 'tekton.dev/v1beta1'; delete d.spec.description; })).toEqual([]);
    expect(issuesOf((d) => { d.kind = 'TaskRun'; delete d.spec.description; })).toEqual([]);
    expect(issuesOf((d) => { d.kind = 'StepAction'; delete d.spec.description; })).toEqual([]);
    expect(checkCatalogRules(null as unknown as Doc, FILE)).toEqual([]);
    expect(checkCatalogRules(undefined as unknown as Doc, FILE)).toEqual([]);
  });

  it('a Pipeline under pipeline/ gets the same rules', () => {
    expect(checkCatalogRules(pipeline(), PIPELINE_FILE)).toEqual([]);
    const p = pipeline();
    delete p.spec.description;
    p.metadata.annotations['tekton.dev/categories'] = 'Pipelines';
    expect(checkCatalogRules(p, PIPELINE_FILE)).toEqual([
      { path: annotation('tekton.dev/categories'), message: '"Pipelines" is not a Tekton Hub category' },
      { path: 'spec.description', message: 'is required by the catalog and Artifact Hub' },
    ]);
  });
});

describe('layout: kind directory, name, version label and version directory', () => {
  it('a Task under pipeline/ and a Pipeline under task/ are in the wrong directory', () => {
    expect(checkCatalogRules(task(), 'pipeline/hello/0.1/hello.yaml')).toEqual([
      { path: 'kind', message: 'a Task does not belong under pipeline/' },
    ]);
    expect(checkCatalogRules(pipeline(), 'task/hello/0.1/hello.yaml')).toEqual([
      { path: 'kind', message: 'a Pipeline does not belong under task/' },
    ]);
  });

  it('metadata.name must equal the directory name and the file name, each on its own; the message names both when they differ', () => {
    expect(checkCatalogRules(task(), 'task/hello/0.1/other.yaml')).toEqual([
      { path: 'metadata.name', message: '"hello" must equal the directory and file name (the directory is "hello", the file "other.yaml")' },
    ]);
    expect(checkCatalogRules(task(), 'task/other/0.1/hello.yaml')).toEqual([
      { path: 'metadata.name', message: '"hello" must equal the directory and file name (the directory is "other", the file "hello.yaml")' },
    ]);
    expect(checkCatalogRules(task(), 'task/other/0.1/other.yaml')).toEqual([
      { path: 'metadata.name', message: '"hello" must equal the directory and file name "other"' },
    ]);
  });

  it('the version label is required', () => {
    expect(issuesOf((d) => { d.metadata.labels = {}; })).toEqual([
      { path: VERSION_LABEL, message: 'is required by the catalog and Artifact Hub' },
    ]);
    expect(issuesOf((d) => { delete d.metadata.labels; })).toEqual([
      { path: VERSION_LABEL, message: 'is required by the catalog and Artifact Hub' },
    ]);
  });

  it('a document without metadata: every metadata rule reports, nothing crashes', () => {
    expect(issuesOf((d) => { delete d.metadata; })).toEqual([
      { path: 'metadata.name', message: '"undefined" must equal the directory and file name "hello"' },
      { path: VERSION_LABEL, message: 'is required by the catalog and Artifact Hub' },
      { path: annotation('tekton.dev/pipelines.minVersion'), message: 'is required by the catalog' },
      { path: annotation('tekton.dev/categories'), message: 'is required by catlin' },
      { path: annotation('tekton.dev/tags'), message: 'is expected by the catalog (catlin recommends it)' },
      { path: annotation('tekton.dev/displayName'), message: 'is expected by the catalog (catlin recommends it)' },
      { path: annotation('tekton.dev/platforms'), message: 'is expected by the catalog (catlin recommends it)' },
    ]);
  });

  it('the version directory parses as 0.1 or 1.2.3, with numbers of any length', () => {
    const at = (version: string) => issuesOf((d) => { d.metadata.labels['app.kubernetes.io/version'] = version; }, `task/hello/${version}/hello.yaml`);
    for (const version of ['0.1', '0.10', '10.1', '1.2.3', '1.2.10', '12.34.56']) expect({ version, issues: at(version) }).toEqual({ version, issues: [] });
    for (const version of ['latest', 'v0.1', '0.1rc1', '0.1-rc1', '0.1.2.3', '1', '1.2.x']) {
      expect({ version, issues: at(version) }).toEqual({
        version,
        issues: [{ path: VERSION_LABEL, message: `version "${version}" must parse as a version (0.1 or 1.2.3)` }],
      });
    }
  });
});

describe('tekton.dev/pipelines.minVersion', () => {
  const at = (minVersion: string) => issuesOf((d) => { d.metadata.annotations['tekton.dev/pipelines.minVersion'] = minVersion; });

  it('accepts a three-part version with numbers of any length', () => {
    for (const v of ['0.50.0', '0.50.10', '1.0.0', '10.1.0']) expect({ v, issues: at(v) }).toEqual({ v, issues: [] });
  });

  it('refuses anything else, naming the value', () => {
    for (const v of ['v0.50.0', '0.50', '0.50.0-rc1', '0.50.0.1', 'x0.50.0', 'latest']) {
      expect({ v, issues: at(v) }).toEqual({
        v,
        issues: [{ path: annotation('tekton.dev/pipelines.minVersion'), message: `"${v}" must be a version like 0.50.0` }],
      });
    }
  });
});

describe('tekton.dev/categories (tektoncd/hub config.yaml)', () => {
  const HUB = [
    'Automation', 'Build Tools', 'CLI', 'Cloud', 'Code Quality', 'Continuous Integration', 'Deployment',
    'Developer Tools', 'Image Build', 'Integration & Delivery', 'Git', 'Kubernetes', 'Messaging', 'Monitoring',
    'Networking', 'Openshift', 'Publishing', 'Security', 'Storage', 'Testing',
  ];
  const at = (categories: string) => issuesOf((d) => { d.metadata.annotations['tekton.dev/categories'] = categories; });

  it('accepts each of the 20 hub categories, alone and all together', () => {
    for (const c of HUB) expect({ c, issues: at(c) }).toEqual({ c, issues: [] });
    expect(at(HUB.join(','))).toEqual([]);
  });

  it('trims each comma-separated category', () => {
    expect(at('Build Tools, Image Build ,  Security')).toEqual([]);
  });

  it('refuses each unknown category once, and an empty one', () => {
    expect(at('Image Building, Git, build tools,')).toEqual([
      { path: annotation('tekton.dev/categories'), message: '"Image Building" is not a Tekton Hub category' },
      { path: annotation('tekton.dev/categories'), message: '"build tools" is not a Tekton Hub category' },
      { path: annotation('tekton.dev/categories'), message: '"" is not a Tekton Hub category' },
    ]);
  });

  it('a missing or empty annotation is one finding: required, not an unknown category', () => {
    expect(issuesOf((d) => { delete d.metadata.annotations['tekton.dev/categories']; })).toEqual([
      { path: annotation('tekton.dev/categories'), message: 'is required by catlin' },
    ]);
    expect(at('')).toEqual([{ path: annotation('tekton.dev/categories'), message: 'is required by catlin' }]);
  });
});

describe('tekton.dev/tags, displayName and platforms', () => {
  it('each missing one is reported at its own key, and a missing platforms list has no platform to check', () => {
    expect(issuesOf((d) => {
      for (const k of ['tekton.dev/tags', 'tekton.dev/displayName', 'tekton.dev/platforms']) delete d.metadata.annotations[k];
    })).toEqual([
      { path: annotation('tekton.dev/tags'), message: 'is expected by the catalog (catlin recommends it)' },
      { path: annotation('tekton.dev/displayName'), message: 'is expected by the catalog (catlin recommends it)' },
      { path: annotation('tekton.dev/platforms'), message: 'is expected by the catalog (catlin recommends it)' },
    ]);
    expect(issuesOf((d) => { delete d.metadata.annotations['tekton.dev/displayName']; })).toEqual([
      { path: annotation('tekton.dev/displayName'), message: 'is expected by the catalog (catlin recommends it)' },
    ]);
  });

  const platforms = (value: string) => issuesOf((d) => { d.metadata.annotations['tekton.dev/platforms'] = value; });

  it('accepts comma-separated os/arch entries, trimmed, and ignores an empty entry', () => {
    expect(platforms('linux/amd64,linux/arm64')).toEqual([]);
    expect(platforms('linux/amd64, linux/arm64,  linux/s390x')).toEqual([]);
    expect(platforms('linux/amd64,')).toEqual([]);
    expect(platforms('linux/amd64,,linux/ppc64le')).toEqual([]);
    // A trailing comma and blank is an empty entry too (was: '"" must be os/arch', the entry trimmed after empties were dropped).
    expect(platforms('linux/amd64, ')).toEqual([]);
    // Spaces separate entries too (catlin content_validator.go FieldsFunc on ' ' and ',').
    expect(platforms('linux/amd64 linux/arm64')).toEqual([]);
  });

  it('refuses an entry that is not exactly lowercase os/arch', () => {
    const bad = (p: string) => ({ path: annotation('tekton.dev/platforms'), message: `"${p}" must be os/arch` });
    expect(platforms('linux/arm/v7')).toEqual([bad('linux/arm/v7')]);
    expect(platforms('Linux/amd64')).toEqual([bad('Linux/amd64')]);
    expect(platforms('linux/amd64,windows')).toEqual([bad('windows')]);
    expect(platforms('linux/amd64/')).toEqual([bad('linux/amd64/')]);
  });
});

describe('spec.description', () => {
  it('blank text is no description', () => {
    expect(issuesOf((d) => { d.spec.description = '  \n '; })).toEqual([
      { path: 'spec.description', message: 'is required by the catalog and Artifact Hub' },
    ]);
  });

  it('a Task or Pipeline without spec: only the description is reported, nothing crashes', () => {
    expect(issuesOf((d) => { delete d.spec; })).toEqual([{ path: 'spec.description', message: 'is required by the catalog and Artifact Hub' }]);
    const p = pipeline();
    delete p.spec;
    expect(checkCatalogRules(p, PIPELINE_FILE)).toEqual([{ path: 'spec.description', message: 'is required by the catalog and Artifact Hub' }]);
  });
});

describe('pinned images', () => {
  const step = (image: string) => issuesOf((d) => { d.spec.steps[0].image = image; });

  it('a registry with a port is not a tag: untagged there is unpinned, a tag after the last / is pinned', () => {
    expect(step('registry.local:5000/tools/alpine')).toEqual([
      { path: 'spec.steps[0].image', message: `image "registry.local:5000/tools/alpine" ${PINNED}` },
    ]);
    expect(step('registry.local:5000/tools/alpine:latest')).toEqual([
      { path: 'spec.steps[0].image', message: `image "registry.local:5000/tools/alpine:latest" ${PINNED}` },
    ]);
    expect(step('registry.local:5000/tools/alpine:3.20')).toEqual([]);
  });

  it(':latest in any case is unpinned (catlin task_validator.go: strings.EqualFold(tag, "latest"))', () => {
    expect(step('alpine:LATEST')).toEqual([{ path: 'spec.steps[0].image', message: `image "alpine:LATEST" ${PINNED}` }]);
    expect(step('alpine:Latest')).toEqual([{ path: 'spec.steps[0].image', message: `image "alpine:Latest" ${PINNED}` }]);
    expect(step('alpine:latest-3.20')).toEqual([]);
  });

  it('a step without an image (a StepAction ref) has nothing to pin', () => {
    expect(issuesOf((d) => { d.spec.steps.push({ name: 'act', ref: { name: 'git-clone' } }); })).toEqual([]);
  });

  it('an image is reported at its own step\'s index when an earlier step has no image (was: steps[0] for the second step)', () => {
    expect(issuesOf((d) => { d.spec.steps = [{ name: 'act', ref: { name: 'git-clone' } }, { name: 'b', image: 'alpine' }]; }))
      .toEqual([{ path: 'spec.steps[1].image', message: `image "alpine" ${PINNED}` }]);
  });

  it('a param default is an image only when it is a non-empty string some step uses as its image', () => {
    const withParam = (param: Doc, image = '$(params.IMAGE)') => issuesOf((d) => {
      d.spec.params = [param];
      d.spec.steps[0].image = image;
    });
    expect(withParam({ name: 'IMAGE', type: 'string', default: 'alpine:latest' })).toEqual([
      { path: 'spec.params[0].default', message: `image "alpine:latest" ${PINNED}` },
    ]);
    expect(withParam({ name: 'IMAGE', type: 'string', default: '' })).toEqual([]);
    expect(withParam({ name: 'IMAGE', type: 'array', default: ['alpine'] })).toEqual([]);
    expect(withParam({ name: 'GREETING', type: 'string', default: 'hello' }, 'alpine:3.20')).toEqual([]);
    expect(withParam({ name: 'GREETING', type: 'string', default: 'alpine' }, '$(params.IMAGE)')).toEqual([]);
  });

  it('a Pipeline\'s inline taskSpec images and param defaults are checked at their own paths; taskRef tasks are skipped', () => {
    const p = pipeline([
      { name: 'first', taskRef: { name: 'hello' } },
      {
        name: 'second',
        taskSpec: {
          params: [{ name: 'TOOL', type: 'string', default: 'alpine/git' }],
          steps: [{ name: 'a', image: 'alpine:latest' }, { name: 'b', image: '$(params.TOOL)' }],
        },
      },
    ]);
    expect(checkCatalogRules(p, PIPELINE_FILE)).toEqual([
      { path: 'spec.tasks[1].taskSpec.steps[0].image', message: `image "alpine:latest" ${PINNED}` },
      { path: 'spec.tasks[1].taskSpec.params[0].default', message: `image "alpine/git" ${PINNED}` },
    ]);
  });

  it('a digest is sha256: and exactly 64 lowercase hex digits', () => {
    expect(step(`alpine:3.20@sha256:${HEX}`)).toEqual([]);
    expect(step(`alpine@sha256:${HEX}`)).toEqual([]);
    const invalid = (image: string) => [{ path: 'spec.steps[0].image', message: `image "${image}" has an invalid digest` }];
    for (const image of [
      `alpine:3.20@sha256:${HEX}0`, // 65 digits
      `alpine:3.20@sha256:${HEX.slice(1)}`, // 63 digits
      `alpine:3.20@xsha256:${HEX}`,
      `alpine:3.20@sha512:${HEX}`,
      `alpine:3.20@sha256:${HEX.toUpperCase()}`,
      'alpine:3.20@sha256:abc',
      `alpine:3.20@sha256:${HEX}\n`, // a line break after the digest (was: not read as a digest at all, so never checked)
      `alpine:3.20@sha256:${HEX}@x`, // the digest is what follows the last "@"
    ]) expect({ image, issues: step(image) }).toEqual({ image, issues: invalid(image) });
  });
});

describe('the gate: document names', () => {
  it('Kind/name, falling back to generateName, "document" and the 1-based position', () => {
    expect(documentName({ kind: 'Task', metadata: { name: 'hello', generateName: 'h-' } }, 0)).toBe('Task/hello');
    expect(documentName({ kind: 'TaskRun', metadata: { generateName: 'run-' } }, 0)).toBe('TaskRun/run-');
    expect(documentName({ metadata: { name: 'x' } }, 4)).toBe('document/x');
    expect(documentName({ kind: 'Task' }, 0)).toBe('Task/#1');
    expect(documentName({ kind: 'Task', metadata: {} }, 2)).toBe('Task/#3');
    expect(documentName(null as unknown as Doc, 0)).toBe('document/#1');
    expect(documentName(undefined as unknown as Doc, 1)).toBe('document/#2');
  });

  it('an empty YAML document (null) in a file is named, not a crash', () => {
    expect(validateDocuments('x.yaml', [null as unknown as Doc])).toEqual([]);
  });
});

describe('the gate: a kimia image in the catalog layout', () => {
  const KIMIA_SC = {
    runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false,
    capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] }, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' },
  };
  const kimiaTask = (image: string) => {
    const d = task();
    d.spec.steps = [{ name: 'build', image, args: ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1'], securityContext: KIMIA_SC }];
    return d;
  };
  const gate = (image: string) => validateDocuments(FILE, [kimiaTask(image)]).map(formatBundleIssue);

  it('a pinned kimia image passes', () => {
    expect(gate('ghcr.io/rapidfort/kimia:1.0.25')).toEqual([]);
  });

  it('only an unpinned finding of the catalog rule stands in for the kimia rule\'s: an invalid digest is reported by both', () => {
    expect(gate('ghcr.io/rapidfort/kimia:latest')).toEqual([
      `${FILE}: Task/hello: spec.steps[0].image: image "ghcr.io/rapidfort/kimia:latest" ${PINNED}`,
    ]);
    expect(gate('ghcr.io/rapidfort/kimia@sha256:abc')).toEqual([
      `${FILE}: Task/hello: spec.steps[0].image: image "ghcr.io/rapidfort/kimia@sha256:abc" has an invalid digest`,
      `${FILE}: Task/hello: spec.steps[0].image: kimia image "ghcr.io/rapidfort/kimia@sha256:abc" has an invalid digest (sha256:<64 hex>)`,
    ]);
  });

  it('an invalid-digest finding whose image quotes the pin wording is not taken for an unpinned finding', () => {
    const image = 'ghcr.io/rapidfort/kimia:1@x image "y" must be pinned';
    expect(gate(image)).toEqual([
      `${FILE}: Task/hello: spec.steps[0].image: image "${image}" has an invalid digest`,
      `${FILE}: Task/hello: spec.steps[0].image: kimia image "${image}" has an invalid digest (sha256:<64 hex>)`,
    ]);
  });
});

describe('BundleValidationError', () => {
  it('is an Error named BundleValidationError whose message has one line per issue', () => {
    const issues = [
      { file: 'a.yaml', document: 'Task/a', path: 'spec.description', message: 'is required' },
      { file: 'b.yaml', document: 'Pipeline/b', path: '', message: 'broken' },
    ];
    const e = new BundleValidationError(issues);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BundleValidationError');
    expect(e.message).toBe('a.yaml: Task/a: spec.description: is required\nb.yaml: Pipeline/b: broken');
    expect(e.issues).toEqual(issues);
    expect(String(e)).toBe('BundleValidationError: a.yaml: Task/a: spec.description: is required\nb.yaml: Pipeline/b: broken');
  });
});
