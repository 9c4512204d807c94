/**
 * src/spec/rules.ts (lines after 300), the survivors of its mutation run: each rule's exact error
 * (field path and words) and the inputs at its edges. Upstream facts:
 * - kimia v1.0.25 src/cmd/kimia/args.go:488-512 parseAttestationConfig (an --attest value is split on
 *   "," and then on the first "="; "type" is its own key) and src/internal/build/builder.go:1661-1746
 *   (sbom reads generator, scan-context, scan-stage; provenance reads mode, builder-id, reproducible,
 *   inline-only, version, filename);
 * - kimia v1.0.25 src/internal/validation/validation.go:491-500 ValidateBuildKitCacheSpec (more than
 *   2048 characters, or any of {}[], is refused);
 * - kimia v1.0.25 src/cmd/kimia/args.go:298-309 (--reproducible, --timestamp) and :427-444 (Unix seconds);
 * - tektoncd-catalog/git-clone .github/workflows/release.yaml: bundles are pushed from release v1.5.0 on
 *   (v1.0.0-v1.4.0 push none), as recorded in src/spec/images.ts;
 * - Argo v4.1.2 util/template/template.go (fasttemplate with "{{" "}}"): an unclosed "{{" is a parse error
 *   (reference/argo.md:70).
 */
import { BASE, errorsOf } from './helpers';

const errors = (over: Record<string, unknown>) => errorsOf({ ...BASE, ...over });
const key = { secretName: 'cosign', key: 'cosign.key' };
const COMMAS = 'must not contain ",": kimia splits --attest on commas';
const OWN_FIELD = (k: string) => `attestation.attest[0].extra.${k}: "${k}" has its own field; set it there`;

describe('signing.in: chains needs outputs [tekton]', () => {
  it('names every other output, joined by "and"', () => {
    expect(errors({ signing: { key, in: 'chains' }, attestation: 'max' })).toEqual([
      'signing.in: chains leaves signing to Tekton Chains, which only Tekton has: job and argo would not sign. Set outputs: [tekton], or signing.in: isolated',
    ]);
  });
});

describe('attestation (kimia args.go:488-512 parseAttestationConfig splits --attest on ",")', () => {
  it('an empty attestation block is refused at attestation', () => {
    expect(errors({ attestation: {} })).toEqual(['attestation: set mode (off, min or max) or attest entries']);
  });
  it('a comma in an entry field is refused at that field', () => {
    expect(errors({ attestation: { attest: [{ type: 'provenance', builderId: 'https://ci.example.com/a,b' }] } })).toEqual([
      `attestation.attest[0].builderId: ${COMMAS}`,
    ]);
  });
  it('a comma in an extra value is refused at that extra key', () => {
    expect(errors({ attestation: { attest: [{ type: 'sbom', extra: { foo: 'a,b' } }] } })).toEqual([
      `attestation.attest[0].extra.foo: ${COMMAS}`,
    ]);
  });
  it('an extra key that is no lowercase word is refused at that key', () => {
    expect(errors({ attestation: { attest: [{ type: 'sbom', extra: { Foo: 'x' } }] } })).toEqual([
      'attestation.attest[0].extra.Foo: keys must be lowercase words (a-z, 0-9, -)',
    ]);
  });
  it('sbom: type, scan-context and scan-stage have their own fields (builder.go:1661-1709); provenance keys are free extras', () => {
    expect(errors({ attestation: { attest: [{ type: 'sbom', extra: { type: 'x', 'scan-context': 'true', 'scan-stage': 'true', mode: 'max', 'builder-id': 'b' } }] } })).toEqual([
      OWN_FIELD('type'), OWN_FIELD('scan-context'), OWN_FIELD('scan-stage'),
    ]);
  });
  it('provenance: type, mode, builder-id, reproducible, inline-only, version, filename have their own fields (builder.go:1728-1746); sbom keys are free extras', () => {
    const extra = { type: 'x', mode: 'max', 'builder-id': 'b', reproducible: 'true', 'inline-only': 'true', version: 'v1', filename: 'f', 'scan-context': 'true', 'scan-stage': 'true' };
    expect(errors({ attestation: { attest: [{ type: 'provenance', extra }] } })).toEqual(
      ['type', 'mode', 'builder-id', 'reproducible', 'inline-only', 'version', 'filename'].map(OWN_FIELD),
    );
  });
});

describe('cache specs (kimia validation.go:495 refuses more than 2048 characters)', () => {
  const spec = (n: number) => 'type=registry,ref=' + 'a'.repeat(n - 'type=registry,ref='.length);
  it('2048 characters are accepted, 2049 refused at the entry', () => {
    expect(spec(2048)).toHaveLength(2048);
    expect(errors({ cache: { export: [spec(2048)] } })).toEqual([]);
    expect(errors({ cache: { import: [spec(2049)] } })).toEqual([
      `cache.import[0]: "${spec(2049)}" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs`,
    ]);
  });
});

describe('reproducible', () => {
  it('a timestamp that is no Unix seconds is refused at reproducible.timestamp', () => {
    expect(errors({ reproducible: { timestamp: 'yesterday' } })).toEqual(['reproducible.timestamp: must be Unix seconds (digits only)']);
  });
  it('a timestamp that is only a param is accepted (its value is checked when it is given)', () => {
    expect(errors({ reproducible: { timestamp: '${TS}' }, params: { TS: { description: 'build time' } } })).toEqual([]);
  });
  it('timestamp or sourceDateEpoch with reproducible disabled is refused: no --reproducible, no --timestamp is passed', () => {
    const msg = ['reproducible: timestamp and sourceDateEpoch only take effect when reproducible is enabled'];
    expect(errors({ reproducible: { enabled: false, timestamp: '1700000000' } })).toEqual(msg);
    expect(errors({ reproducible: { enabled: false, sourceDateEpoch: '1700000000' } })).toEqual(msg);
    expect(errors({ reproducible: { enabled: false } })).toEqual([]);
  });
});

describe('buildahOpts', () => {
  it('an option that is no flag is refused at its index, quoted', () => {
    expect(errors({ variant: 'kimia-bud', buildahOpts: ['--jobs=2', 'pull'] })).toEqual([
      'buildahOpts[1]: "pull" must start with a buildah flag ("--flag", "--flag value" or "--flag=value")',
    ]);
  });
});

describe('builderImage must be pinned', () => {
  const UNPINNED = (img: string) => `builderImage: "${img}" must be pinned to a version tag or digest (not untagged or :latest)`;
  it.each(['kimia:1.0.25', 'ghcr.io/rapidfort/kimia:1.0.25', 'registry:5000/kimia@sha256:' + '0'.repeat(64)])('%s is pinned', (img) => {
    expect(errors({ builderImage: img })).toEqual([]);
  });
  it.each(['registry:5000/kimia', 'ghcr.io/rapidfort/kimia', 'ghcr.io/rapidfort/kimia:latest', 'kimia'])('%s is not pinned', (img) => {
    expect(errors({ builderImage: img })).toEqual([UNPINNED(img)]);
  });
});

describe('params only in templatable fields', () => {
  it('a param in context.git.tokenUser is refused, though context.git.url/branch/revision take them', () => {
    expect(errors({ context: { git: { url: 'https://github.com/myorg/myapp.git', tokenUser: '${USER_NAME}' } }, params: { USER_NAME: { description: 'u', default: 'oauth2' } } })).toEqual([
      'context.git.tokenUser: params (${...}) are not allowed here; they work in: builderImage, context.git.url/branch/revision, contextSubPath, dockerfile, target, destinations, buildArgs, labels, reproducible.timestamp/sourceDateEpoch, job.name',
      'params.USER_NAME: param "USER_NAME" is declared but never used',
    ]);
  });
});

describe('Argo template tags (reference/argo.md: "{{" has no escape)', () => {
  const ARGO = 'labels.a: contains "{{" or "}}": Argo would read it as a template tag (it has no escape); remove it or drop the argo output';
  it('an unclosed "{{" is refused when argo is rendered (argo.md:70: Argo fails to parse it)', () => {
    expect(errors({ labels: { a: 'x{{y' } })).toEqual([ARGO]);
    expect(errors({ outputs: ['argo'], labels: { a: 'x{{y' } })).toEqual([ARGO]);
  });
});

describe('tekton.gitCloneVersion (tektoncd-catalog/git-clone publishes bundles from v1.5.0 on)', () => {
  const NO_BUNDLE = (v: string) =>
    `tekton.gitCloneVersion: git-clone ${v} has no bundle: tektoncd-catalog/git-clone publishes ghcr.io/tektoncd-catalog/git-clone/bundle from v1.5.0 on`;
  it.each(['0.9.0', '0.9.9', '1.4.0', '1.4.9'])('%s has no bundle', (v) => {
    expect(errors({ tekton: { gitCloneVersion: v } })).toEqual([NO_BUNDLE(v)]);
  });
  it.each(['1.5.0', '1.5.1', '1.6.0', '2.0.0', '2.3.0'])('%s has one', (v) => {
    expect(errors({ tekton: { gitCloneVersion: v } })).toEqual([]);
  });
});
