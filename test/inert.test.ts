/**
 * User values stay inert everywhere (issue 10): the kubelet's `$(VAR)` expansion, Tekton's and
 * Argo's substitution (values and map keys), and script bodies that never hold a user value.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  containerText, escapeKubeletExpansion, kimiaArgs, parseBuildSpec, parseConfigText, PRE_APPLY_HOOK,
  renderBundle, renderTemplate, SpecError, type BuildSpecInput,
} from '../src/internal';
import { BASE, errorsOf } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The kubelet's expansion, line by line after kubernetes third_party/forked/golang/expansion/expand.go
 * (`Expand`, `tryReadVariableName`, `MappingFuncFor`: unknown names stay as written).
 */
function kubeletExpand(input: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string; let isVar = false; let advance = 1;
    if (rest[0] === '$') read = '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 1) { read = rest.slice(1, close); isVar = true; advance = close + 1; } else read = '$(';
    } else read = `$${rest[0]}`;
    // Not a variable: what was read ("$" for "$$", "$(" for an unclosed reference, else "$" and the next character).
    out += isVar ? (read in env ? env[read] : `$(${read})`) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * Tekton's substitution, after tektoncd/pipeline pkg/substitution/replacements.go
 * (`ApplyReplacements`): one left-to-right pass replacing the exact strings `$(<key>)`.
 */
function tektonReplace(input: string, replacements: Readonly<Record<string, string>>): string {
  const keys = Object.keys(replacements);
  let out = '';
  for (let i = 0; i < input.length;) {
    const k = keys.find((key) => input.startsWith(`$(${key})`, i));
    if (k === undefined) { out += input[i]; i++; } else { out += replacements[k]; i += k.length + 3; }
  }
  return out;
}

/** The env a hostile value would read: a Secret's value in the builder's env. */
const ENV = { COSIGN_PASSWORD: 's3cret', B: 'SECRET-B', HOME: '/home/kimia' };

describe('the kubelet model matches expand.go', () => {
  it.each([
    ['$(B)', 'SECRET-B'], ['$$(B)', '$(B)'], ['$$$(B)', '$SECRET-B'], ['$(NOPE)', '$(NOPE)'], ['$(B', '$(B'],
    ['$', '$'], ['a$', 'a$'], ['$$', '$'], ['$x', '$x'], ['$(B)$(B)', 'SECRET-BSECRET-B'], ['$()', '$()'],
  ])('%s -> %s', (input, expected) => expect(kubeletExpand(input, ENV)).toBe(expected));
});

describe('escaping literal values for the kubelet', () => {
  it('doubles "$" before "$" and "(": $( becomes $$(', () => {
    expect(escapeKubeletExpansion('a$(B)c')).toBe('a$$(B)c');
    // The first "$" of "$$" needs the escape; the second is then "$b", which the kubelet copies.
    expect(escapeKubeletExpansion('a$$b')).toBe('a$$$b');
    expect(escapeKubeletExpansion('$$(B)')).toBe('$$$$(B)');
    expect(escapeKubeletExpansion('$HOME and a$')).toBe('$HOME and a$');
    expect(escapeKubeletExpansion('a$', true)).toBe('a$$');
  });

  it('any literal comes out of the kubelet unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'$()B{}x'.split('')), maxLength: 30 }), (s) => {
      fc.pre(!s.includes('${'));
      expect(kubeletExpand(containerText(s), ENV)).toBe(s);
    }), { numRuns: 500 });
  });

  it('literal text around a param reference comes out unchanged, whatever it ends with', () => {
    const lit = fc.string({ unit: fc.constantFrom(...'$()Bx'.split('')), maxLength: 12 });
    const value = fc.string({ unit: fc.constantFrom(...'()Bx'.split('')), maxLength: 6 });
    fc.assert(fc.property(lit, lit, value, (a, b, v) => {
      const template = `${a}\${P}${b}`;
      fc.pre(!template.replace('${P}', '').includes('${'));
      // The engine substitutes the param (Argo, Tekton or a Job at synth), then the kubelet expands.
      expect(kubeletExpand(renderTemplate(containerText(template), () => v), ENV)).toBe(`${a}${v}${b}`);
    }), { numRuns: 500 });
  });

  it('keeps ${NAME} references for the engine', () => {
    expect(containerText('a$(B)${TAG}c')).toBe('a$$(B)${TAG}c');
    expect(containerText('a$${TAG}')).toBe('a$$${TAG}');
  });
});

/** A kimia-bud build (BuildKit refuses "$" itself) with a literal `a$(B)c` in build args, labels and target. */
const HOSTILE_LITERAL: BuildSpecInput = {
  ...BASE,
  name: 'inert',
  variant: 'kimia-bud',
  params: { TAG: { description: 'tag', default: 'v1' } },
  destinations: ['registry.io/inert:${TAG}'],
  target: 'a$(B)c',
  buildArgs: { A: 'a$(B)c', PRICE: '$$5', MIXED: 'x$(B)${TAG}' },
  labels: { note: 'a$(B)c' },
};

const docsOf = (files: Map<string, string>, file: string): Obj[] =>
  parseAllDocuments(files.get(file)!).map((d) => d.toJS() as Obj);

describe('literal values in container args and env', () => {
  let files = undefined as unknown as ReturnType<typeof renderBundle>;
  beforeEach(() => { files = renderBundle({ builds: [parseBuildSpec(HOSTILE_LITERAL)] }); });
  const expectedArgs = ['--target=a$$(B)c', '--build-arg=A=a$$(B)c', '--build-arg=PRICE=$$$5', '--label=note=a$$(B)c'];

  it('the spec gives its argv escaped, with references kept', () => {
    const args = kimiaArgs(parseBuildSpec(HOSTILE_LITERAL));
    expect(args).toEqual(expect.arrayContaining([...expectedArgs, '--build-arg=MIXED=x$$(B)${TAG}']));
  });

  it('a Job renders $( as $$(, and the kubelet hands kimia the literal', () => {
    const [job] = docsOf(files, 'job/inert/0.1/inert.yaml');
    const args: string[] = job.spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([...expectedArgs, '--build-arg=MIXED=x$$(B)v1']));
    expect(args.map((a) => kubeletExpand(a, ENV))).toEqual(expect.arrayContaining(['--target=a$(B)c', '--build-arg=A=a$(B)c', '--build-arg=PRICE=$$5', '--build-arg=MIXED=x$(B)v1']));
  });

  it('a Job escapes values given at synth time too', () => {
    const spec = parseBuildSpec({ ...HOSTILE_LITERAL, destinations: ['registry.io/inert:v1'], buildArgs: { A: '${TAG}' }, target: undefined, labels: {} });
    const job = renderBundle({ builds: [spec] }, { params: { TAG: '$(COSIGN_PASSWORD)' } });
    const [doc] = docsOf(job, 'job/inert/0.1/inert.yaml');
    const arg = (doc.spec.template.spec.containers[0].args as string[]).find((a) => a.startsWith('--build-arg=A='))!;
    expect(arg).toBe('--build-arg=A=$$(COSIGN_PASSWORD)');
    expect(kubeletExpand(arg, ENV)).toBe('--build-arg=A=$(COSIGN_PASSWORD)');
  });

  it('Argo renders $( as $$( around {{inputs.parameters.X}}, which stays a reference', () => {
    const [wt] = docsOf(files, 'argo/workflowtemplate/inert/0.1/inert.yaml');
    const build = wt.spec.templates.find((t: Obj) => t.name === 'build');
    expect(build.container.args).toEqual(expect.arrayContaining([...expectedArgs, '--build-arg=MIXED=x$$(B){{inputs.parameters.TAG}}']));
  });

  it('Tekton renders $( as $$(: its substitution leaves it, the kubelet turns it back into the literal', () => {
    const [task] = docsOf(files, 'tekton/task/inert/0.1/inert.yaml');
    const step = task.spec.steps.find((s: Obj) => s.name === 'build');
    expect(step.args).toEqual(expect.arrayContaining([...expectedArgs, '--build-arg=MIXED=x$$(B)$(params.TAG)']));
    const afterTekton = (step.args as string[]).map((a) => tektonReplace(a, { 'params.TAG': 'v1', 'params.B': 'NO' }));
    expect(afterTekton.map((a) => kubeletExpand(a, ENV))).toEqual(expect.arrayContaining(['--target=a$(B)c', '--build-arg=A=a$(B)c', '--build-arg=MIXED=x$(B)v1']));
  });

  it('escapes SOURCE_DATE_EPOCH in env the same way (digits only, so unchanged)', () => {
    const spec = parseBuildSpec({ ...BASE, reproducible: { sourceDateEpoch: '1700000000' } });
    const job = renderBundle({ builds: [spec] });
    const [doc] = docsOf(job, 'job/app/0.1/app.yaml');
    expect(doc.spec.template.spec.containers[0].env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1700000000' });
  });
});

describe('param defaults, enum values and examples refuse $(', () => {
  const config = (param: string) => `builds:
  - name: app
    params:
      TGT: ${param}
    context: { git: { url: "https://github.com/myorg/myapp.git" } }
    target: "\${TGT}"
    destinations: [registry.io/myapp:v1]
    outputs: [job]
`;
  const lines = (text: string) => {
    try { parseConfigText(text); return []; } catch (e) { if (e instanceof SpecError) return e.message.split('\n'); throw e; }
  };
  const REASON = 'contains "$(": Argo and Tekton put param values into container args and env as they are, where the kubelet expands $(VAR) from the container\'s environment (e.g. a Secret\'s value); remove it';

  it.each([
    ['default', '{ description: t, default: "$(COSIGN_PASSWORD)" }', 'builds[0].params.TGT.default'],
    ['example', '{ description: t, default: prod, example: "a$(B)" }', 'builds[0].params.TGT.example'],
    ['enum value', '{ description: t, default: prod, enum: [prod, "$(HOME)"] }', 'builds[0].params.TGT.enum[1]'],
  ])('%s', (_what, param, field) => {
    expect(lines(config(param)).map((l) => l.replace(/^\d+:\d+: /, ''))).toContain(`${field}: ${REASON}`);
  });

  it('accepts a $ that is no $(', () => {
    expect(lines(config('{ description: t, default: "$HOME" }'))).toEqual([]);
  });
});

describe('engine variables through map keys and every Tekton variable form', () => {
  const ARGO = 'Argo would read it as a template tag (it has no escape); remove it or drop the argo output';
  const TEKTON = 'Tekton would substitute it; remove it or drop the tekton output';

  it.each<[string, Record<string, unknown>, string]>([
    ['an Argo expression in a nodeSelector key', { nodeSelector: { '{{=sprig.env("HOME")}}': 'amd64' }, outputs: ['argo'] },
      `nodeSelector["{{=sprig.env(\\"HOME\\")}}"]: the key contains "{{" or "}}": ${ARGO}`],
    ['an Argo tag in a kimia-bud build-arg key', { variant: 'kimia-bud', buildArgs: { '{{workflow.parameters.X}}': 'v' }, outputs: ['argo'] },
      `buildArgs["{{workflow.parameters.X}}"]: the key contains "{{" or "}}": ${ARGO}`],
    ['a Tekton param in a kimia-bud build-arg key', { variant: 'kimia-bud', buildArgs: { '$(params.X)': 'v' }, outputs: ['tekton'] },
      `buildArgs["$(params.X)"]: the key contains a Tekton variable "$(…)": ${TEKTON}`],
    ['a Tekton param in a kimia-bud label key', { variant: 'kimia-bud', labels: { '$(params.X)': 'v' }, outputs: ['tekton'] },
      `labels["$(params.X)"]: the key contains a Tekton variable "$(…)": ${TEKTON}`],
    ['an Argo tag in an attestation extra key', { attestation: { attest: [{ type: 'sbom', extra: { '{{x}}': 'v' } }] }, outputs: ['argo'] },
      `attestation.attest[0].extra["{{x}}"]: the key contains "{{" or "}}": ${ARGO}`],
    ['our own param syntax in a key', { variant: 'kimia-bud', params: { X: { description: 'x', default: 'v' } }, buildArgs: { '${X}': 'v', USE: '${X}' }, outputs: ['job'] },
      'buildArgs["${X}"]: params (${...}) are not allowed in keys, only in the values of the fields listed for them'],
  ])('%s', (_name, patch, expected) => {
    expect(errorsOf({ ...BASE, ...patch })).toContain(expected);
  });

  it.each([
    '$(credentials.path)', '$(step.results.x.path)', '$(steps.step-build.exitCode.path)', '$(context.taskRun.name)',
    '$(workspaces.source.path)', '$(tasks.build.results.IMAGE_URL)', '$(finally.x)', '$(params["X"])', "$(params['X'])",
    '$(results.IMAGE_DIGEST.path)', '$(inputs.params.x)', '$(someday.new)',
  ])('refuses the Tekton variable %s in a value', (v) => {
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', labels: { note: `a${v}b` }, outputs: ['tekton'] }))
      .toEqual([`labels.note: contains a Tekton variable "$(…)": ${TEKTON}`]);
  });

  it('accepts $(NAME) and $(cmd args), which Tekton leaves alone (and which are escaped for the kubelet)', () => {
    expect(errorsOf({ ...BASE, variant: 'kimia-bud', labels: { note: 'a$(B)c' }, buildArgs: { D: '$(date +%s)' }, outputs: ['tekton'] })).toEqual([]);
  });
});

/** Every script body in a rendered bundle: Tekton steps' `script`, Argo `script.source`, and the test hooks. */
function scriptsOf(files: Map<string, string>): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Obj;
      if (typeof o.script === 'string') out.push(o.script);
      if (o.script && typeof o.script === 'object' && typeof o.script.source === 'string') out.push(o.script.source);
      Object.values(o).forEach(walk);
    }
  };
  for (const [file, text] of files) {
    if (file.endsWith('.yaml')) parseAllDocuments(text).forEach((d) => walk(d.toJS()));
    else if (file.endsWith('.sh')) out.push(text);
  }
  return out.sort();
}

describe('no user value in any script body', () => {
  /** Two configs with the same structure, differing only in user strings. */
  const config = (u: { name: string; secret: string; pw: string; param: string; text: string; repo: string; version: string; clone: string }): BuildSpecInput[] => [
    {
      name: `${u.name}-local`,
      version: u.version,
      description: `Build ${u.text}`,
      params: { [u.param]: { description: u.text, default: `v-${u.text}`, example: `e-${u.text}` } },
      context: { local: { path: '/home/kimia/workspace' } },
      destinations: [`${u.repo}/app:\${${u.param}}`, `${u.repo}/mirror:latest`],
      buildArgs: { [`ARG_${u.param}`]: `v${u.text}` },
      labels: { [`org.example.${u.name}`]: `l${u.text}` },
      nodeSelector: { [`example.com/${u.name}`]: u.text },
      attestation: 'max',
      signing: { key: { secretName: u.secret, key: 'cosign.key' }, password: { secretName: u.secret, key: u.pw } },
      reproducible: { sourceDateEpoch: { fromGit: true } },
      tekton: { gitCloneVersion: u.clone },
      // A Job cannot read the commit time; policies render from the signing builds too.
      outputs: ['tekton', 'argo'],
    },
    {
      name: `${u.name}-multi`,
      version: u.version,
      context: { git: { url: `https://github.com/${u.name}/app.git` } },
      platforms: ['linux/amd64', 'linux/arm64'],
      destinations: [`${u.repo}/multi:v1`],
      attestation: 'min',
      signing: { key: { secretName: u.secret, key: 'cosign.key' }, password: { secretName: u.secret, key: u.pw } },
      outputs: ['tekton', 'argo'],
      tekton: { gitCloneVersion: u.clone },
    },
  ];
  const render = (builds: BuildSpecInput[]) => renderBundle({ builds: builds.map((b) => parseBuildSpec(b)) });
  let a = undefined as unknown as ReturnType<typeof render>;
  beforeEach(() => { a = render(config({ name: 'alpha', secret: 'keys-a', pw: 'password', param: 'TAG', text: 'one', repo: 'registry.io/a', version: '0.1', clone: '1.7.0' })); });
  let b = undefined as unknown as ReturnType<typeof render>;
  beforeEach(() => { b = render(config({ name: 'bravo', secret: 'other-keys', pw: 'pw.txt', param: 'RELEASE', text: 'two-2', repo: 'ghcr.io/b/c', version: '1.2.3', clone: '1.6.0' })); });

  it('renders every script body byte-identically, hooks included', () => {
    const [sa, sb] = [scriptsOf(a), scriptsOf(b)];
    // Tekton: epoch + build (local), build (multi), index; Argo: epoch, index; hooks: task and pipeline per build.
    expect(sa.length).toBeGreaterThanOrEqual(8);
    expect(sb).toEqual(sa);
    for (const s of sb) for (const v of ['bravo', 'other-keys', 'pw.txt', 'RELEASE', 'two-2', 'ghcr.io/b/c', '1.2.3', '1.6.0']) expect(s).not.toContain(v);
    // Neither build is catalog-testable (literal registries): no hook at all.
    expect(sa.filter((s) => s === PRE_APPLY_HOOK)).toEqual([]);
  });

  // A build the catalog runner can test: its registry comes from a param (samples.ts testRegistryParams).
  const testable = (secret: string, pw: string) => renderBundle({ builds: [parseBuildSpec({
    name: 'cat', version: '1.2', context: { local: { path: '/home/kimia/workspace' } }, outputs: ['tekton'],
    params: { IMAGE: { description: 'image' } }, destinations: ['${IMAGE}'], attestation: 'max',
    signing: { key: { secretName: secret, key: 'cosign.key' }, password: { secretName: secret, key: pw } },
  })] });
  it('gives the catalog test what differs as data: the test Secrets carry the spec\'s names, the hook carries nothing', () => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const [t1, t2] = [testable('keys-a', 'password'), testable('other-keys', 'pw.txt')];
    expect(t2.get('tekton/task/cat/1.2/tests/pre-apply-task-hook.sh')).toBe(t1.get('tekton/task/cat/1.2/tests/pre-apply-task-hook.sh'));
    const secrets = parseAllDocuments(t2.get('tekton/task/cat/1.2/tests/test-key-secret.yaml')!).map((d) => d.toJS());
    expect(secrets.map((x) => [x.metadata.name, Object.keys(x.stringData).sort()])).toEqual([['other-keys', ['cosign.key', 'pw.txt']]]);
    expect(t2.get('tekton/task/cat/1.2/tests/pre-apply-task-hook.sh')).toBe(PRE_APPLY_HOOK);
    // The runner runs only task/*/*/tests: the Pipeline has none of its own.
    expect([...b.keys()].filter((f) => f.startsWith('tekton/pipeline/') && f.includes('/tests/'))).toEqual([]);
  });

  const bash = spawnSync('bash', ['--version']).status === 0;
  (bash ? it : it.skip)('the hook, sourced under the runner\'s set -ex, calls the runner\'s add_sidecar_registry on the Task and runs nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-hook-'));
    try {
      const hook = path.join(dir, 'pre-apply-task-hook.sh');
      fs.writeFileSync(hook, testable('k', 'p').get('tekton/task/cat/1.2/tests/pre-apply-task-hook.sh')!);
      // tektoncd/catalog test/e2e-tests.sh sources e2e-common.sh and runs `set -ex`, `set -o pipefail`; no PATH:
      // any external command (cosign, kubectl, git) the hook ran would fail the runner.
      const stubs = ['add_sidecar_registry() { printf "add_sidecar_registry [%s]\\n" "$@"; }', 'tns=test-ns; TMPF=/tmp/.mm.test'].join('\n');
      const r = spawnSync('/bin/bash', ['-c', `set -ex\nset -o pipefail\n${stubs}\nsource "$1"\necho sourced`, 'runner', hook], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('add_sidecar_registry [/tmp/.mm.test]\nsourced\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
