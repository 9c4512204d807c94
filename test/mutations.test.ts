/**
 * Issue 15 item 1: behaviour tests for the hand-made mutations no test caught
 * (scripts/check-mutations.ts applies each mutation and checks these fail on it).
 * Expectations are literals: the message naming the field, the argv that must (not) appear,
 * the order of versions, with the upstream fact cited.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { KimiaBuildTask, KimiaWorkflowTemplate, parseBuildSpec, type BuildSpecInput } from '../src/internal';
import { kimiaArgs } from '../src/spec/argv';
import { checkKimiaArgv } from '../src/spec/argv-check';
import { sortVersions } from '../src/bundle/lock';
import { replaceOwnedDir, BundleWriteError } from '../src/output';
import { checkTektonRules } from '../src/validate/tekton';
import { checkArgoRules } from '../src/validate/argo';
import { BASE, errorsOf } from './helpers';

const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };

describe('mutation 1: every shell metacharacter is refused under BuildKit (kimia.md §2)', () => {
  // kimia.md §2: BuildKit rejects any buildctl argument containing ; & | ` $ ( ) < > CR or LF.
  const cases: Array<[string, string]> = [
    [';', '";"'], ['&', '"&"'], ['|', '"|"'], ['`', '"`"'], ['$', '"$"'], ['(', '"("'], [')', '")"'],
    ['<', '"<"'], ['>', '">"'], ['\r', 'CR'], ['\n', 'LF'],
  ];
  it.each(cases)('a label value with %j is refused, naming the field', (ch, shown) => {
    expect(errorsOf({ ...BASE, labels: { note: `a${ch}b` } })).toEqual([
      `labels.note: contains ${shown}: kimia (BuildKit) rejects ; & | \` $ ( ) < > CR and LF in --label`,
    ]);
  });
  it.each(cases)('validate (the argv checker) refuses %j in a value', (ch, shown) => {
    expect(checkKimiaArgv(['--context=https://github.com/o/r.git', '--destination=registry.io/app:v1', `--label=note=a${ch}b`], 'kimia'))
      .toEqual([{ index: 2, message: `contains ${shown}: kimia (BuildKit) rejects ; & | \` $ ( ) < > CR and LF` }]);
  });
  it('kimia-bud (Buildah) takes them', () => {
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', labels: { note: 'a;b&c|d' } })).toEqual([]);
  });
});

describe('mutation 2: a tar archive is never signed (kimia.md §2: --sign with a tar fails)', () => {
  it('signing beside tarPath is refused on the signing field', () => {
    const errors = errorsOf({
      ...BASE, tarPath: '/home/kimia/output/image.tar', tarClaimName: 'archive', outputs: ['tekton'], attestation: 'max', signing: SIGNING,
    });
    expect(errors).toContain('signing: cannot sign a tar archive: kimia would run cosign on an image it never pushed. Remove tarPath or signing');
  });
});

describe('mutation 3: duplicate destinations are refused', () => {
  it('names the second one', () => {
    expect(errorsOf({ ...BASE, destinations: ['registry.io/myapp:v1', 'registry.io/myapp:v1'] }))
      .toEqual(['destinations[1]: duplicate destination "registry.io/myapp:v1"']);
  });
});

describe('mutation 4: cache imports are --import-cache, exports --export-cache (kimia-flags.json)', () => {
  it('each spec goes to its own flag', () => {
    const args = kimiaArgs(parseBuildSpec({
      ...BASE, cache: { import: ['type=registry,ref=registry.io/cache:in'], export: ['type=registry,ref=registry.io/cache:out'] },
    }));
    expect(args).toContain('--import-cache=type=registry,ref=registry.io/cache:in');
    expect(args).toContain('--export-cache=type=registry,ref=registry.io/cache:out');
    expect(args).not.toContain('--export-cache=type=registry,ref=registry.io/cache:in');
    expect(args.filter((a) => a.startsWith('--export-cache='))).toEqual(['--export-cache=type=registry,ref=registry.io/cache:out']);
  });
});

describe('mutation 5: kimia-bud publishes no digest (kimia.md §4: Buildah reports the config digest)', () => {
  const spec: BuildSpecInput = { ...BASE, variant: 'kimia-bud', outputs: ['tekton', 'argo'] };
  it('its Tekton Task has no IMAGE_DIGEST / IMAGE_URL results for Chains', () => {
    const chart = Testing.chart();
    new KimiaBuildTask(chart, 'task', { spec });
    const [task] = Testing.synth(chart);
    const results = (task.spec.results ?? []).map((r: { name: string }) => r.name);
    expect(results).not.toContain('IMAGE_DIGEST');
    expect(results).not.toContain('IMAGE_URL');
  });
  it('its Argo template has no IMAGE_DIGEST / IMAGE_URL outputs', () => {
    const chart = Testing.chart();
    new KimiaWorkflowTemplate(chart, 'wt', { spec });
    const text = JSON.stringify(Testing.synth(chart));
    expect(text).not.toContain('"name":"IMAGE_DIGEST"');
    expect(text).not.toContain('"name":"IMAGE_URL"');
  });
  it('the same build with kimia (BuildKit) publishes both', () => {
    const chart = Testing.chart();
    new KimiaBuildTask(chart, 'task', { spec: { ...spec, variant: 'kimia' } });
    const [task] = Testing.synth(chart);
    expect((task.spec.results ?? []).map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['IMAGE_DIGEST', 'IMAGE_URL']));
  });
});

describe('mutation 6: nothing is written outside the bundle', () => {
  it.each(['../escape.yaml', '/tmp/kimia-escape.yaml', 'a/../../escape.yaml', './x.yaml', 'a//b.yaml'])('refuses %s and writes nothing', (rel) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-outside-'));
    const out = path.join(root, 'dist');
    try {
      expect(() => replaceOwnedDir(out, new Map([['ok.yaml', 'a: 1\n'], [rel, 'b: 2\n']]))).toThrow(BundleWriteError);
      expect(() => replaceOwnedDir(out, new Map([[rel, 'b: 2\n']]))).toThrow(`refusing to write outside the bundle: ${rel}`);
      expect(fs.existsSync(path.join(root, 'escape.yaml'))).toBe(false);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('mutation 7: versions sort as numbers, not text', () => {
  it("'0.9' < '0.10' < '1.0.0'", () => {
    expect(sortVersions(['0.10', '1.0.0', '0.9', '0.2', '0.1'])).toEqual(['0.1', '0.2', '0.9', '0.10', '1.0.0']);
    expect(sortVersions(['2.0', '10.0', '1.10.1', '1.9.9'])).toEqual(['1.9.9', '1.10.1', '2.0', '10.0']);
  });
});

const task = (spec: Record<string, unknown>) => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec });

describe('mutation 8: Tekton [*] only on array params (tekton.md §1: $(params.x[*]) expands an array)', () => {
  it('a string param used as $(params.x[*]) is reported at the field', () => {
    expect(checkTektonRules(task({
      params: [{ name: 'x', type: 'string' }],
      steps: [{ name: 's', image: 'busybox:1.36', command: ['echo'], args: ['$(params.x[*])'] }],
    }))).toEqual([{ path: 'spec.steps[0].args[0]', message: '$(params.x[*]) expands an array, but x is a string' }]);
  });
});

describe('mutation 9: Tekton workspace mount paths do not clash (tekton.md §1)', () => {
  it('two workspaces on one mountPath', () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }],
      steps: [{ name: 's', image: 'busybox:1.36', command: ['true'] }],
    }))).toEqual([{ path: 'spec.workspaces[1].mountPath', message: 'mount path /data is also used by workspace "a"' }]);
  });
  it("a step's volumeMount on a workspace's default path (/workspace/<name>)", () => {
    expect(checkTektonRules(task({
      workspaces: [{ name: 'source' }],
      volumes: [{ name: 'v', emptyDir: {} }],
      steps: [{ name: 's', image: 'busybox:1.36', command: ['true'], volumeMounts: [{ name: 'v', mountPath: '/workspace/source' }] }],
    }))).toEqual([{ path: 'spec.steps[0].volumeMounts[0].mountPath', message: 'mount path /workspace/source is also used by workspace "source"' }]);
  });
});

describe('mutation 10: validate refuses --attestation with --attest (kimia.md §1: kimia drops --attestation)', () => {
  it('reports it at the --attest element', () => {
    expect(checkKimiaArgv(['--context=https://github.com/o/r.git', '--destination=registry.io/app:v1', '--attestation=max', '--attest=type=sbom'], 'kimia'))
      .toEqual([{ index: 3, message: 'do not combine --attestation with --attest: kimia drops --attestation' }]);
  });
});

describe('mutation 11: multi-arch needs kimia (BuildKit) (kimia.md §4: Buildah reports the config digest)', () => {
  it('kimia-bud with platforms is refused on platforms', () => {
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', outputs: ['tekton', 'argo'], platforms: ['linux/amd64', 'linux/arm64'] }))
      .toContain('platforms: multi-arch needs variant kimia: Buildah reports the config digest, not the manifest digest an index needs');
  });
});

const workflowTemplate = (templates: unknown[]) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'wt' }, spec: { entrypoint: 'main', templates },
});

describe('mutation 12: Argo refuses a duplicate mountPath in a container (argo.md §2)', () => {
  it('reports the second mount', () => {
    expect(checkArgoRules(workflowTemplate([{
      name: 'main',
      container: { image: 'busybox:1.36', volumeMounts: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] },
    }]))).toEqual([{ path: 'spec.templates[0].container.volumeMounts[1].mountPath', message: 'duplicate mountPath /data' }]);
  });
});

describe('mutation 13: Argo refuses a DAG dependency on an unknown task (argo.md §2)', () => {
  it.each([
    [{ depends: 'nope' }],
    [{ dependencies: ['nope'] }],
    [{ depends: 'nope.Succeeded' }],
  ])('%j', (dep) => {
    expect(checkArgoRules(workflowTemplate([
      { name: 'main', dag: { tasks: [{ name: 'a', template: 'leaf' }, { name: 'b', template: 'leaf', ...dep }] } },
      { name: 'leaf', container: { image: 'busybox:1.36' } },
    ]))).toEqual([{ path: 'spec.templates[0].dag.tasks[1].depends', message: 'depends on unknown task "nope"' }]);
  });
});
