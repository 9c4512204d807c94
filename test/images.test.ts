/**
 * Issue 12 item 3: every image reference the project emits comes from the one table
 * (src/spec/images.ts) or from a field of the spec that overrides it (builderImage,
 * tekton.gitImage/cosignImage/craneImage, argo.gitImage/cosignImage/craneImage).
 *
 * Walks every rendered document of the examples and of configs that switch on multi-arch,
 * signing, verification, SOURCE_DATE_EPOCH from git, kimia-bud, for Jobs, Tekton and Argo:
 * - every `image` field is an allowed reference, or exactly one param reference
 *   (`$(params.X)`, `{{inputs.parameters.X}}`) whose declared default is checked below;
 * - every param, input or argument named `…_IMAGE` (BUILDER_IMAGE, GIT_IMAGE) defaults to an
 *   allowed reference (or hands on another param);
 * - any text (YAML, README, scripts) naming a repository of the table, or a closed/unconfirmed
 *   one (gcr.io/tekton-releases, git-init, crane/debug), names an allowed reference.
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, parseConfigText } from '../src/spec/config';
import type { Config } from '../src/spec/types';
import { renderBundle } from '../src/bundle/render';
import { IMAGES, imageRef, TABLE_REFS } from '../src/spec/images';

const ROOT = path.join(__dirname, '..');

const FEATURES = `
builds:
  - name: bud-git
    description: kimia-bud, local source, reproducible from git.
    outputs: [tekton, argo]
    variant: kimia-bud
    context:
      local: { path: /home/kimia/workspace }
    destinations: ["registry.io/app:v1"]
    reproducible: { sourceDateEpoch: { fromGit: true } }
  - name: bud-job
    description: kimia-bud as a Job.
    outputs: [job]
    variant: kimia-bud
    context:
      local: { path: /home/kimia/workspace, claimName: src }
    destinations: ["registry.io/app:v1"]
  - name: kit-multi
    description: BuildKit multi-arch, signed and verified, epoch from git.
    outputs: [tekton, argo]
    context:
      local: { path: /home/kimia/workspace }
    destinations: ["registry.io/app:v1", "mirror.io/team/app:v1"]
    platforms: [linux/amd64, linux/arm64]
    reproducible: { sourceDateEpoch: { fromGit: true } }
    attestation: max
    signing:
      key: { secretName: keys, key: cosign.key }
      password: { secretName: keys, key: pw }
  - name: kit-signed
    description: BuildKit, signed and verified, every engine.
    outputs: [job, tekton, argo]
    context:
      git: { url: "https://github.com/example/app.git", revision: main }
    destinations: ["registry.io/app:v1"]
    attestation: max
    signing:
      key: { secretName: keys, key: cosign.key }
      password: { secretName: keys, key: pw }
`;

/** Every override set to an image outside the table: each must be emitted as given. */
const OVERRIDES = `
builds:
  - name: mirrored
    description: Every image from a mirror, by digest.
    outputs: [tekton, argo]
    builderImage: mirror.example/rapidfort/kimia:1.0.25@sha256:${'a'.repeat(64)}
    context:
      local: { path: /home/kimia/workspace, claimName: src }
    destinations: ["registry.io/app:v1", "mirror.io/team/app:v1"]
    platforms: [linux/amd64, linux/arm64]
    reproducible: { sourceDateEpoch: { fromGit: true } }
    attestation: max
    signing:
      key: { secretName: keys, key: cosign.key }
    tekton:
      gitImage: mirror.example/git:2.52.0@sha256:${'b'.repeat(64)}
      cosignImage: mirror.example/cosign:v3.0.2@sha256:${'c'.repeat(64)}
      craneImage: mirror.example/crane/debug:v0.21.9@sha256:${'d'.repeat(64)}
    argo:
      gitImage: mirror.example/git:2.52.0@sha256:${'b'.repeat(64)}
      cosignImage: mirror.example/cosign:v3.0.2@sha256:${'c'.repeat(64)}
      craneImage: mirror.example/crane/debug:v0.21.9@sha256:${'d'.repeat(64)}
  - name: mirrored-job
    description: The builder from a mirror, as a Job.
    outputs: [job]
    builderImage: mirror.example/rapidfort/kimia-bud:1.0.25@sha256:${'e'.repeat(64)}
    variant: kimia-bud
    context:
      local: { path: /home/kimia/workspace, claimName: src }
    destinations: ["registry.io/app:v1"]
`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONFIGS: Array<[string, Config]> = [
  ['examples/kimia-bundles.yaml', loadConfig(path.join(ROOT, 'examples', 'kimia-bundles.yaml'))],
  ['features', parseConfigText(FEATURES)],
  ['overrides', parseConfigText(OVERRIDES)],
];

/** The table's references and the config's own image fields. */
function allowed(config: Config): Set<string> {
  const refs = new Set(TABLE_REFS);
  for (const b of config.builds) {
    const o = b as Obj;
    for (const v of [o.builderImage, o.tekton?.gitImage, o.tekton?.cosignImage, o.tekton?.craneImage, o.argo?.gitImage, o.argo?.cosignImage, o.argo?.craneImage]) {
      if (typeof v === 'string') refs.add(v);
    }
  }
  return refs;
}

const PARAM_REF = /^(\$\(params\.[A-Za-z0-9_.-]+\)|\{\{(inputs|workflow)\.parameters\.[A-Za-z0-9_.-]+\}\})$/;
/** References to repositories of the table, and to the closed or unconfirmed ones the project used to name. */
const WATCHED = /(?:[a-z0-9.-]+\/)*(?:rapidfort\/kimia(?:-bud)?|go-containerregistry\/crane(?:\/debug)?|sigstore\/cosign\/cosign|tekton-releases\/[\w./-]*|[\w./-]*\/git-init)(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?/g;

interface Finding { file: string; where: string; value: string }

function inspect(config: Config): { images: Finding[]; params: Finding[]; text: Finding[]; files: number } {
  const userParams = new Set(config.builds.flatMap((b) => Object.keys(b.params ?? {})));
  const images: Finding[] = [];
  const params: Finding[] = [];
  const text: Finding[] = [];
  const bundle = renderBundle(config);
  const walk = (o: unknown, where: string, file: string) => {
    if (Array.isArray(o)) { o.forEach((x, i) => walk(x, `${where}[${i}]`, file)); return; }
    if (!o || typeof o !== 'object') return;
    const obj = o as Obj;
    if (typeof obj.image === 'string') images.push({ file, where: `${where}.image`, value: obj.image });
    if (typeof obj.name === 'string' && /_IMAGE$/.test(obj.name) && !userParams.has(obj.name)) {
      for (const k of ['default', 'value']) if (typeof obj[k] === 'string') params.push({ file, where: `${where}.${k}`, value: obj[k] });
    }
    for (const [k, v] of Object.entries(obj)) walk(v, `${where}.${k}`, file);
  };
  for (const [file, content] of bundle) {
    for (const m of content.matchAll(WATCHED)) text.push({ file, where: `offset ${m.index}`, value: m[0] });
    if (!file.endsWith('.yaml') && !file.endsWith('.yml')) continue;
    for (const d of parseAllDocuments(content)) walk(d.toJS(), '', file);
  }
  return { images, params, text, files: bundle.size };
}

describe('the image table', () => {
  it('gives evidence, user, HOME and entrypoint for every image; a digest only as sha256 hex', () => {
    for (const [name, i] of Object.entries(IMAGES)) {
      expect([name, i.evidence.length > 40]).toEqual([name, true]);
      expect(i.entrypoint.length).toBeGreaterThan(0);
      expect(i.home.path).toMatch(/^\//);
      const digest = (i as { digest?: string }).digest;
      if (digest !== undefined) expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(imageRef(i)).toBe(`${i.repository}:${i.tag}${digest ? `@${digest}` : ''}`);
    }
  });

  it('names no closed or unconfirmed registry path', () => {
    for (const ref of TABLE_REFS) {
      expect(ref).not.toMatch(/gcr\.io\/tekton-releases|git-init/);
      expect(ref).not.toMatch(/crane\/debug:v0\.22\.1/);
    }
    expect(imageRef(IMAGES.crane)).toBe('gcr.io/go-containerregistry/crane/debug:v0.21.9');
  });
});

describe.each(CONFIGS)('every image reference rendered from %s', (_name, config) => {
  const ok = allowed(config);
  const found = inspect(config);

  it('renders documents with images to check', () => {
    expect(found.files).toBeGreaterThan(0);
    expect(found.images.length).toBeGreaterThan(0);
  });

  it('is in the table or a spec override, or one param reference', () => {
    expect(found.images.filter((f) => !ok.has(f.value) && !PARAM_REF.test(f.value))).toEqual([]);
  });

  it('gives every …_IMAGE param, input and argument a default from the table or the spec', () => {
    // A pass-through (a Pipeline or DAG handing its own param on) is a reference, checked where it is declared.
    expect(found.params.filter((f) => !ok.has(f.value) && !PARAM_REF.test(f.value))).toEqual([]);
  });

  it('names no other version of a tool image anywhere in the text (docs and scripts too)', () => {
    expect(found.text.filter((f) => !ok.has(f.value) && (/[:@]/.test(f.value) || /tekton-releases|git-init/.test(f.value)))).toEqual([]);
  });
});

describe('overrides', () => {
  const found = inspect(parseConfigText(OVERRIDES));
  const values = new Set([...found.images, ...found.params].map((f) => f.value));
  it('are emitted as given, and the table\'s defaults they replace are not', () => {
    expect(values).toContain(`mirror.example/git:2.52.0@sha256:${'b'.repeat(64)}`);
    expect(values).toContain(`mirror.example/crane/debug:v0.21.9@sha256:${'d'.repeat(64)}`);
    expect(values).toContain(`mirror.example/rapidfort/kimia:1.0.25@sha256:${'a'.repeat(64)}`);
    expect(values).not.toContain(imageRef(IMAGES.crane));
    expect(values).not.toContain(imageRef(IMAGES.kimia));
  });
});
