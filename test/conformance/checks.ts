/**
 * What the spec asks of one kimia container, checked against what the real kimia passed to the
 * fake back ends. Expectations are literals from the spec's documented meaning (src/spec/schema.ts
 * descriptions) and kimia's source (../shared/kimia/v1.0.25/src; B = internal/build/builder.go,
 * P = internal/build/push.go); nothing here calls the product's argv helpers.
 */
import type { BuildSpec } from '../../src/spec';
import { Outcome, TEST_COMMIT_TIME, TEST_COSIGN_PASSWORD } from './extract';
import type { RunResult } from './pod';

/** `${NAME}` -> the value the run used (the spec's templating, README "Params"). */
export function templ(s: string, params: Record<string, string | string[]>): string {
  return s.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (all, n: string) => {
    const v = params[n];
    return typeof v === 'string' ? v : all;
  });
}

/** No [FATAL]/[ERROR] (logger.go:32-33), no "Unknown option" (cmd/kimia/args.go:404), exit 0. */
export function expectClean(r: RunResult): void {
  if (r.code !== 0) throw new Error(`${r.name} exited ${r.code}:\n${r.output.slice(-3000)}`);
  expect(r.output).not.toMatch(/\[FATAL\]|\[ERROR\]|Unknown option/);
}

/** `--opt X` pairs of a buildctl argv. */
const opts = (argv: string[], flag = '--opt') => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]] : []));

export interface Expect {
  spec: BuildSpec;
  params: Record<string, string | string[]>;
  /** Multi-arch: this run's platform and its tag suffix (os-arch), from the fan-out item. */
  platform?: string;
  platformTag?: string;
  /** SOURCE_DATE_EPOCH the run should build with, if known (a literal, a param, the commit time). */
  epoch?: string;
}

/** The destinations the build pushes, as the spec documents them (multi-arch: TAG-os-arch per platform). */
export function destinations(e: Expect): string[] {
  return e.spec.destinations.map((d) => templ(d, e.params) + (e.platformTag ? `-${e.platformTag}` : ''));
}

/** The epoch the spec asks for: reproducible.timestamp, else sourceDateEpoch (literal/param; fromGit: the commit time). */
export function specEpoch(spec: BuildSpec, params: Record<string, string | string[]>): string | undefined {
  const r = spec.reproducible;
  if (!r || r.enabled === false) return undefined;
  if (r.timestamp) return templ(r.timestamp, params);
  if (typeof r.sourceDateEpoch === 'string') return templ(r.sourceDateEpoch, params);
  if (r.sourceDateEpoch && typeof params.SOURCE_DATE_EPOCH === 'string' && params.SOURCE_DATE_EPOCH) return params.SOURCE_DATE_EPOCH;
  if (r.sourceDateEpoch) return String(TEST_COMMIT_TIME);
  return undefined;
}

/** Every spec field kimia should have turned into a BuildKit / Buildah argument. */
export function checkKimia(o: Outcome, e: Expect): void {
  const r = o.result!;
  expectClean(r);
  const spec = e.spec;
  const dests = destinations(e);
  const epoch = e.epoch ?? specEpoch(spec, e.params);
  const push = spec.push !== false && !spec.tarPath;
  if (spec.variant === 'kimia-bud') return checkBuildah(o, e, dests, epoch, push);
  const b = r.call('buildctl', 'build');
  const o2 = opts(b.argv);
  // Dockerfile (B:917): relative to the context.
  expect(o2).toContain(`filename=${templ(spec.dockerfile ?? 'Dockerfile', e.params)}`);
  // Build args and labels (B:945, 962), target and platform (B:967, 972).
  for (const [k, v] of Object.entries(spec.buildArgs)) expect(o2).toContain(`build-arg:${k}=${templ(v, e.params)}`);
  for (const [k, v] of Object.entries(spec.labels)) expect(o2).toContain(`label:${k}=${templ(v, e.params)}`);
  if (spec.target) expect(o2).toContain(`target=${templ(spec.target, e.params)}`);
  const platform = e.platform ?? spec.platform;
  if (platform) expect(o2).toContain(`platform=${platform}`);
  // SOURCE_DATE_EPOCH (B:981-986).
  if (epoch) {
    expect(o2).toContain(`source-date-epoch=${epoch}`);
    expect(o2).toContain(`build-arg:SOURCE_DATE_EPOCH=${epoch}`);
  }
  // Outputs (B:1033-1064): a docker archive, or one image output per destination.
  const outputs = opts(b.argv, '--output');
  const rw = epoch ? ',rewrite-timestamp=true' : '';
  if (spec.tarPath) expect(outputs).toEqual([`type=docker,dest=${spec.tarPath}${rw}`]);
  else expect([...outputs].sort()).toEqual(dests.map((d) => `type=image,name=${d},push=${push}${rw}`).sort());
  // Cache (B:989-1024): --no-cache unless enabled and not reproducible; import/export otherwise.
  const cacheOn = (spec.cache?.enabled ?? false) && !spec.reproducible?.enabled;
  expect(b.argv.includes('--no-cache')).toBe(!cacheOn);
  if (cacheOn) {
    expect(opts(b.argv, '--import-cache')).toEqual(spec.cache!.import);
    expect(opts(b.argv, '--export-cache')).toEqual(spec.cache!.export);
  }
  // Attestations (B:1066-1090; simple mode B:1618-1647, --attest B:1650-1686).
  const att = spec.attestation;
  const repro = spec.reproducible?.enabled ? ',reproducible=true' : '';
  if (att?.mode === 'max') expect(o2).toEqual(expect.arrayContaining(['attest:sbom=true', `attest:provenance=mode=max${repro}`]));
  if (att?.mode === 'min') expect(o2).toEqual(expect.arrayContaining(['attest:sbom=false', `attest:provenance=mode=min${repro}`]));
  if (!att || att.mode === 'off') expect(o2.filter((x) => x.startsWith('attest:'))).toEqual([]);
  for (const a of att?.attest ?? []) {
    const o3 = o2.filter((x) => x.startsWith(`attest:${a.type}=`));
    expect(o3).toHaveLength(1);
    if (a.type === 'sbom') {
      if (a.generator) expect(o3[0]).toContain(`generator=${a.generator}`);
      if (a.scanContext) expect(o2).toContain('build-arg:BUILDKIT_SBOM_SCAN_CONTEXT=1');
      if (a.scanStage) expect(o2).toContain('build-arg:BUILDKIT_SBOM_SCAN_STAGE=1');
    } else {
      if (a.mode) expect(o3[0]).toContain(`mode=${a.mode}`);
      if (a.builderId) expect(o3[0]).toContain(`builder-id=${a.builderId}`);
    }
    for (const [k, v] of Object.entries(a.extra ?? {})) expect(o3[0]).toContain(`${k}=${v}`);
  }
  // Raw BuildKit options (B:1097-1100).
  for (const x of spec.buildkitOpts) expect(o2).toContain(templ(x, e.params));
  // Insecure registries: appended to the buildkitd.toml kimia hands buildkitd (B:727-799).
  const hosts = new Set(spec.registry?.insecureRegistries ?? []);
  if (spec.registry?.insecure) for (const d of dests) if (d.includes('/')) hosts.add(d.slice(0, d.indexOf('/')));
  const toml = r.call('buildkitd').read('buildkitd.toml');
  for (const h of hosts) expect(toml).toContain(`[registry."${h}"]\n  http = true\n  insecure = true\n`);
  // The context: a git URL (revision wins over branch, context.go:536-580), else a local copy.
  const ctx = spec.context;
  if ('git' in ctx) {
    const url = o2.find((x) => x.startsWith('context='))!;
    expect(url).toMatch(new RegExp(`^context=${escape(templ(ctx.git.url, e.params))}`));
    const ref = ctx.git.revision ?? ctx.git.branch;
    if (ref) expect(url).toContain(`#${templ(ref, e.params)}`);
  } else {
    expect(b.fact('context_listing')).toBeDefined();
  }
  checkSigning(o, e, dests, b.fact(spec.attestation && spec.attestation.mode !== 'off' ? 'index' : 'digest') ?? b.fact('digest')!);
  checkDigestFiles(o, e, b.fact(att && att.mode !== 'off' ? 'index' : 'digest') ?? b.fact('digest')!, dests);
}

function checkBuildah(o: Outcome, e: Expect, dests: string[], epoch: string | undefined, push: boolean): void {
  const r = o.result!;
  const spec = e.spec;
  const bud = r.call('buildah', 'bud');
  const a = bud.argv;
  const pairs = (flag: string) => a.flatMap((x, i) => (x === flag ? [a[i + 1]] : []));
  // B:160-289.
  expect(a[1]).toBe('-f');
  expect(a[2].endsWith(`/${templ(spec.dockerfile ?? 'Dockerfile', e.params)}`)).toBe(true);
  for (const [k, v] of Object.entries(spec.buildArgs)) expect(pairs('--build-arg')).toContain(`${k}=${templ(v, e.params)}`);
  for (const [k, v] of Object.entries(spec.labels)) expect(pairs('--label')).toContain(`${k}=${templ(v, e.params)}`);
  if (spec.target) expect(pairs('--target')).toEqual([templ(spec.target, e.params)]);
  const platform = e.platform ?? spec.platform;
  if (platform) expect(pairs('--platform')).toEqual([platform]);
  if (epoch) expect(pairs('--timestamp')).toEqual([epoch]);
  expect([...pairs('-t')].sort()).toEqual([...dests].sort());
  if (spec.registry?.insecure || spec.registry?.insecurePull) expect(a).toContain('--tls-verify=false');
  if (spec.registry?.downloadRetry) expect(pairs('--retry')).toEqual([String(spec.registry.downloadRetry)]);
  for (const x of spec.buildahOpts) for (const part of templ(x, e.params).split(' ', 2)) expect(a).toContain(part);
  // One push per destination (P:38-94) unless push is off.
  const pushes = r.callsOf('buildah', 'push');
  if (push) expect(pushes.map((p) => p.argv[p.argv.length - 1]).sort()).toEqual([...dests].sort());
  else expect(pushes).toHaveLength(0);
  if (push && pushes.length) checkDigestFiles(o, e, pushes[0].fact('config_digest')!, dests);
  if ('git' in spec.context && spec.context.git.tokenSecret) {
    // The token must not end up inside the build context (issue 11: COPY . . bakes .git/config in).
    expect(bud.fact('context_git_config') ?? '').not.toContain('git-token-for-tests');
  }
}

function checkSigning(o: Outcome, e: Expect, dests: string[], digest: string): void {
  const r = o.result!;
  const signs = r.callsOf('cosign', 'sign');
  // Multi-arch: the platform images are not signed one by one; the index is, recursively, by
  // the sign step after the index step (schema: platforms).
  if (!e.spec.signing || e.spec.push === false || e.spec.tarPath || e.spec.platforms) { expect(signs).toHaveLength(0); return; }
  const repos = new Set(dests.map(repoOf));
  // signing.in: builder (and every release before issue 12) passes kimia --sign; isolated and
  // chains never let kimia sign: the sign container does (checkSignContainer), or Chains.
  if (!(o.desc?.args ?? []).includes('--sign')) { expect(signs).toHaveLength(0); return; }
  // B:1304-1341, 1773-1818: kimia's `cosign sign --key K repo@digest` once per destination.
  expect(signs).toHaveLength(dests.length);
  // The key readable, the password the key needs in COSIGN_PASSWORD, the pushed digest.
  for (const s of signs) {
    expect(s.fact('key_readable')).toBe('yes');
    expect(s.env.COSIGN_PASSWORD).toBe(TEST_COSIGN_PASSWORD);
    // kimia passes cosign no format or tlog flag, only its env (B:1773-1818): the COSIGN_* env
    // must bring cosign to the spec's log, not the public signing config (cosign#4503).
    expect(s.fact('tlog')).toBe(expectedTlog(e.spec));
    const ref = s.argv[s.argv.length - 1];
    expect(ref).toBe(`${repoOf(ref)}@${digest}`);
    expect(repos.has(repoOf(ref))).toBe(true);
  }
}

function checkDigestFiles(o: Outcome, e: Expect, digest: string, dests: string[]): void {
  const r = o.result!;
  // A user's digest files (schema: digestFile, imageNameWithDigestFile) hold the digest of the first destination (B:1470-1502).
  if (e.spec.digestFile) expect(r.files.read(e.spec.digestFile)).toBe(digest);
  if (e.spec.imageNameWithDigestFile) expect(r.files.read(e.spec.imageNameWithDigestFile)).toBe(`${repoOf(dests[0])}@${digest}`);
  // Tekton results / Argo outputs the step publishes. Nothing pushed: no IMAGE_URL/IMAGE_DIGEST
  // for an image that is not in a registry (README; issue 11).
  const pub = o.published;
  if (e.spec.push === false || e.spec.tarPath) {
    expect(pub.IMAGE_URL).toBeUndefined();
    return;
  }
  if ('IMAGE_DIGEST' in o.publishes) expect(pub.IMAGE_DIGEST).toBe(digest);
  if ('IMAGE_URL' in o.publishes) {
    expect([dests[0], `${repoOf(dests[0])}@${digest}`]).toContain(pub.IMAGE_URL);
  }
}

/**
 * Where a signature's log entry must go for signing.transparencyLog, as the fake cosign reports
 * it (fact tlog): none, rekor.sigstore.dev (cosign options/rekor.go DefaultRekorURL), or the URL.
 */
export function expectedTlog(spec: Expect['spec']): string {
  const t = (spec.signing as { transparencyLog?: unknown } | undefined)?.transparencyLog ?? 'none';
  if (t === 'none') return 'none';
  if (t === 'public') return 'https://rekor.sigstore.dev';
  return (t as { url: string }).url;
}

/** repository of an image reference (tag dropped). */
export function repoOf(ref: string): string {
  const r = ref.split('@')[0];
  const last = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  return colon > last ? r.slice(0, colon) : r;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The isolated sign container (SIGN_SCRIPT in the builder image): `cosign sign` once per
 * destination repository by the digest kimia wrote (its digest file, or the KIMIA_DIGEST input),
 * the key readable, the password from its file, legacy format, as uid 1000.
 */
export function checkSignContainer(o: Outcome, e: Expect): void {
  const r = o.result!;
  expectClean(r);
  const env = o.desc?.env ?? {};
  const digest = env.KIMIA_DIGEST ?? r.files.read(env.KIMIA_DIGEST_FILE!);
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  const repos = [...new Set(destinations(e).map(repoOf))].sort();
  const signs = r.callsOf('cosign', 'sign');
  expect(signs.map((s) => s.argv[s.argv.length - 1]).sort()).toEqual(repos.map((repo) => `${repo}@${digest}`));
  for (const s of signs) {
    expect(s.fact('key_readable')).toBe('yes');
    expect(s.env.COSIGN_PASSWORD).toBe(e.spec.signing?.password ? TEST_COSIGN_PASSWORD : '');
    expect(s.argv).toEqual(expect.arrayContaining(['--yes', '--new-bundle-format=false', '--use-signing-config=false']));
    expect(s.fact('tlog')).toBe(expectedTlog(e.spec));
    expect(s.uid).toBe(1000);
  }
}
