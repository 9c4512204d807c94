import { hasStructuralSchema, toPath, validateStructure } from '../src/validate/structure';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const task = (): Doc => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: { name: 'kimia-build', labels: { 'app.kubernetes.io/version': '0.1' } },
  spec: {
    description: 'Builds an image.',
    params: [{ name: 'IMAGE', type: 'string', description: 'Image to build' }],
    results: [{ name: 'IMAGE_DIGEST', description: 'Digest' }],
    steps: [{ name: 'build', image: 'ghcr.io/rapidfort/kimia:1.0.25', args: ['--destination=$(params.IMAGE)'] }],
  },
});

const pipeline = (): Doc => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name: 'kimia-build' },
  spec: {
    params: [{ name: 'IMAGE', type: 'string' }],
    workspaces: [{ name: 'source' }],
    tasks: [{
      name: 'build',
      taskRef: { name: 'kimia-build' },
      params: [{ name: 'IMAGE', value: '$(params.IMAGE)' }],
      workspaces: [{ name: 'source', workspace: 'source' }],
    }],
  },
});

const workflowTemplate = (kind = 'WorkflowTemplate'): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind,
  metadata: { name: 'kimia-build' },
  spec: {
    entrypoint: 'main',
    arguments: { parameters: [{ name: 'image', value: 'registry.io/app:1' }] },
    templates: [{
      name: 'main',
      inputs: { parameters: [{ name: 'image' }] },
      container: {
        image: 'ghcr.io/rapidfort/kimia:1.0.25',
        command: ['/usr/local/bin/kimia'],
        args: ['--destination={{inputs.parameters.image}}'],
        resources: { requests: { cpu: 1, memory: '2Gi' } },
      },
    }],
  },
});

/** The issues after `mutate`, as `path: message` lines. */
function issues(doc: Doc, mutate: (d: Doc) => void = () => {}): string[] {
  mutate(doc);
  return validateStructure(doc).map((i) => `${i.path}: ${i.message}`);
}

describe('hasStructuralSchema', () => {
  it.each([
    ['tekton.dev/v1', 'Task', true],
    ['tekton.dev/v1', 'Pipeline', true],
    ['argoproj.io/v1alpha1', 'WorkflowTemplate', true],
    ['argoproj.io/v1alpha1', 'ClusterWorkflowTemplate', true],
    ['tekton.dev/v1beta1', 'Task', false],
    ['batch/v1', 'Job', false],
    ['v1', 'toString', false],
  ])('%s %s: %s', (apiVersion, kind, expected) => {
    expect(hasStructuralSchema(apiVersion, kind)).toBe(expected);
  });
});

describe('valid documents pass', () => {
  it.each([
    ['Task', task()],
    ['Pipeline', pipeline()],
    ['WorkflowTemplate', workflowTemplate()],
    ['ClusterWorkflowTemplate', workflowTemplate('ClusterWorkflowTemplate')],
  ])('%s', (_kind, doc) => {
    expect(validateStructure(doc)).toEqual([]);
  });
});

describe('tekton.dev/v1 Task', () => {
  it('reports an unknown field in a step', () => {
    expect(issues(task(), (d) => { d.spec.steps[0].foo = 1; })).toEqual(['spec.steps[0]: unknown field "foo"']);
  });
  it('requires step names (the v1 schema does)', () => {
    expect(issues(task(), (d) => { delete d.spec.steps[0].name; })).toEqual(['spec.steps[0].name: is required']);
  });
  it('reports a wrong type', () => {
    expect(issues(task(), (d) => { d.spec.params[0].type = 5; })).toEqual(['spec.params[0].type: must be string']);
  });
  it('reports an unknown spec field', () => {
    expect(issues(task(), (d) => { d.spec.bogus = true; })).toEqual(['spec: unknown field "bogus"']);
  });
  it('reports every problem, in schema order', () => {
    expect(issues(task(), (d) => {
      d.spec.steps[0].foo = 1;
      d.spec.steps.push({ image: 5 });
    })).toEqual([
      'spec.steps[0]: unknown field "foo"',
      'spec.steps[1].name: is required',
      'spec.steps[1].image: must be string',
    ]);
  });
  it.each([
    ['a string', 'x'],
    ['an array', ['a', 'b']],
    ['an object', { k: 'v' }],
  ])('accepts %s as params[].default (preserve-unknown-fields)', (_what, value) => {
    expect(issues(task(), (d) => { d.spec.params[0].default = value; })).toEqual([]);
  });
  it('accepts int-or-string quantities and names both types when neither', () => {
    expect(issues(task(), (d) => { d.spec.steps[0].computeResources = { limits: { cpu: 2, memory: '8Gi' } }; }))
      .toEqual([]);
    expect(issues(task(), (d) => { d.spec.steps[0].computeResources = { limits: { cpu: true } }; }))
      .toEqual(['spec.steps[0].computeResources.limits.cpu: must be integer or string']);
  });
  it('checks schema patterns', () => {
    expect(issues(task(), (d) => { d.spec.steps[0].computeResources = { requests: { memory: '2 GB' } }; }))
      .toEqual([expect.stringMatching(/^spec\.steps\[0\]\.computeResources\.requests\.memory: must match pattern "/)]);
  });
  it('reports duplicate keys of list-type map lists', () => {
    expect(issues(task(), (d) => {
      d.spec.sidecars = [{ name: 's', image: 'busybox', ports: [
        { containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'TCP' }, { containerPort: 80, protocol: 'TCP' }] }];
    })).toEqual(['spec.sidecars[0].ports[2]: duplicate entry: same containerPort, protocol as item 0']);
  });
});

describe('the root and metadata', () => {
  it('reports unknown top-level fields at the document', () => {
    expect(issues(task(), (d) => { d.status = {}; })).toEqual([': unknown field "status"']);
  });
  it('requires what the CRD requires at the root', () => {
    expect(issues(workflowTemplate(), (d) => { delete d.spec; })).toEqual(['spec: is required']);
  });
  it('types labels and annotations, quoting keys that are not identifiers', () => {
    expect(issues(task(), (d) => {
      d.metadata.labels['app.kubernetes.io/version'] = 0.1;
      d.metadata.annotations = { 'tekton.dev/pipelines.minVersion': '0.70.0', tags: ['x'] };
    })).toEqual([
      'metadata.labels["app.kubernetes.io/version"]: must be string',
      'metadata.annotations.tags: must be string',
    ]);
  });
  it('leaves other metadata fields alone', () => {
    expect(issues(task(), (d) => { d.metadata.ownerReferences = []; })).toEqual([]);
  });
});

describe('tekton.dev/v1 Pipeline', () => {
  it('reports an unknown field in a pipeline task', () => {
    expect(issues(pipeline(), (d) => { d.spec.tasks[0].foo = 1; })).toEqual(['spec.tasks[0]: unknown field "foo"']);
  });
  it('reports a wrong type', () => {
    expect(issues(pipeline(), (d) => { d.spec.params[0].type = 5; })).toEqual(['spec.params[0].type: must be string']);
  });
  it('reports an unknown spec field', () => {
    expect(issues(pipeline(), (d) => { d.spec.steps = []; })).toEqual(['spec: unknown field "steps"']);
  });
  it('accepts any inline taskSpec (preserve-unknown-fields, checked by the webhook only)', () => {
    expect(issues(pipeline(), (d) => {
      delete d.spec.tasks[0].taskRef;
      d.spec.tasks[0].taskSpec = { steps: [{ image: 'x', anything: 1 }] };
    })).toEqual([]);
  });
  it.each([['a string', 'x'], ['an array', ['a']]])('accepts %s as a param value', (_what, value) => {
    expect(issues(pipeline(), (d) => { d.spec.tasks[0].params[0].value = value; })).toEqual([]);
  });
});

describe.each(['WorkflowTemplate', 'ClusterWorkflowTemplate'])('argoproj.io/v1alpha1 %s', (kind) => {
  it('reports an unknown field in a container', () => {
    expect(issues(workflowTemplate(kind), (d) => { d.spec.templates[0].container.foo = 1; }))
      .toEqual(['spec.templates[0].container: unknown field "foo"']);
  });
  it('requires parameter names', () => {
    expect(issues(workflowTemplate(kind), (d) => { delete d.spec.arguments.parameters[0].name; }))
      .toEqual(['spec.arguments.parameters[0].name: is required']);
  });
  it('requires string parameter values', () => {
    expect(issues(workflowTemplate(kind), (d) => { d.spec.arguments.parameters[0].value = 3; }))
      .toEqual(['spec.arguments.parameters[0].value: must be string']);
  });
  it('reports an unknown spec field', () => {
    expect(issues(workflowTemplate(kind), (d) => { d.spec.bogus = 1; })).toEqual(['spec: unknown field "bogus"']);
  });
  it('checks name patterns', () => {
    expect(issues(workflowTemplate(kind), (d) => { d.spec.templates[0].name = 'bad_name'; }))
      .toEqual([expect.stringMatching(/^spec\.templates\[0\]\.name: must match pattern "/)]);
  });
  it('checks enums', () => {
    expect(issues(workflowTemplate(kind), (d) => { d.spec.podGC = { strategy: 'Sometimes' }; }))
      .toEqual([expect.stringMatching(/^spec\.podGC\.strategy: must be one of "", "OnPodCompletion"/)]);
  });
});

describe('documents that are not ours', () => {
  it('are ignored unless strict', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { bogus: 1 } };
    expect(validateStructure(job)).toEqual([]);
    expect(validateStructure('text')).toEqual([]);
    expect(validateStructure(job, { strict: true }))
      .toEqual([{ path: '', message: 'no structural schema for apiVersion "batch/v1" kind "Job"' }]);
    expect(validateStructure(null, { strict: true }))
      .toEqual([{ path: '', message: 'must be an object with apiVersion and kind' }]);
  });
});

describe('toPath', () => {
  it.each([
    ['', ''],
    ['/spec/steps/0/name', 'spec.steps[0].name'],
    ['/metadata/labels/0', 'metadata.labels["0"]'],
    ['/metadata/annotations/tekton.dev~1tags', 'metadata.annotations["tekton.dev/tags"]'],
  ])('%s -> %s', (pointer, path) => {
    const doc = { spec: { steps: [{ name: 'a' }] }, metadata: { labels: { 0: 'x' }, annotations: {} } };
    expect(toPath(doc, pointer)).toBe(path);
  });
});
