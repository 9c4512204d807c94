/**
 * Kimia fidelity rules, enforced when a spec is parsed.
 *
 * Each rule is a small named function with the reason it exists (shared/reference/kimia.md).
 * A rule reports issues on the spec field that caused them, so errors read
 * `builds[0].destinations[1]: repository must be lowercase …`.
 */
import { GIT_CLONE_FIRST_BUNDLE } from './images';
import * as path from 'node:path';
import type { BuildSpec } from './types';
import { kimiaFlags, type FieldPath } from './argv';
import { paramsIn, sampleOf } from './template';
import { engineParamClashes } from './engine-params';
import { eachKey, eachString } from './walk';
import { jobContextProblem, pushesImage } from './pod';
import { DEFAULT_LOCAL_CONTEXT, KIMIA_HOME, type Variant } from './defaults';
import FLAG_TABLE from './kimia-flags.json';
import { checkValues } from './values';
import { compareVersions } from './versions';
import { BUILDAH_OPT_REFUSED, buildahOptProblem, buildkitLocalContextOk, flagValueProblem, IMAGE_NAME, imageNameProblem, kimiaContextPath, NOT_IN_BUILDCTL_ARGS, REGISTRY_HOST } from './kimia-values';

type Report = (path: FieldPath, message: string) => void;
type Rule = (spec: BuildSpec, report: Report) => void;

/** Variants in which each flag has an effect: kimia-flags.json, plus what kimia.md §1 adds. */
export const FLAG_VARIANTS: ReadonlyMap<string, readonly string[]> = new Map([
  ...FLAG_TABLE.map((f) => [f.flag, f.variants] as [string, string[]]),
  // kimia.md §1: `--storage-driver` is only logged by BuildKit; it affects Buildah alone.
  ['--storage-driver', ['kimia-bud']],
]);

const VARIANT_NAMES: Record<Variant, string> = { kimia: 'kimia (BuildKit)', 'kimia-bud': 'kimia-bud (Buildah)' };

/** kimia.md §2: BuildKit rejects any buildctl argument containing these. */
export const SHELL_META = /[;&|`$()<>\r\n]/;
export const describeMeta = (v: string) => {
  const m = SHELL_META.exec(v)![0];
  return m === '\r' ? 'CR' : m === '\n' ? 'LF' : `"${m}"`;
};

/** Image reference patterns kimia checks destinations and insecure registries with (kimia-values.ts). */
export { IMAGE_NAME, REGISTRY_HOST };
export const BUILD_ARG_KEY = /^[A-Z_][A-Z0-9_]*$/;
export const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
export const GIT_REF = /^[A-Za-z0-9/_.-]+$/;
export const EPOCH = /^[0-9]+$/;
export const PLATFORM = /^linux\/(amd64|amd64\/v[2-4]|arm64|arm64\/v8|arm\/v[5-7]|386|ppc64le|s390x|riscv64|mips64le)$/;
export const SECRET_LIKE = /((^|[^a-z])PASS($|[^a-z])|PASSW(OR)?D|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)/i;
export { BUILDAH_OPT_REFUSED };

/** BuildKit-only flags are refused for kimia-bud and Buildah-only flags for kimia. */
const flagsMatchVariant: Rule = (spec, report) => {
  const seen = new Set<string>();
  for (const f of kimiaFlags(spec)) {
    const variants = FLAG_VARIANTS.get(f.flag);
    if (!variants || variants.includes(spec.variant) || seen.has(f.flag)) continue;
    seen.add(f.flag);
    // A flag of both variants is never refused, so `variants` names the one other variant.
    const only = VARIANT_NAMES[variants[0] as Variant];
    report(f.path, `${f.flag} only works with ${only}; ${VARIANT_NAMES[spec.variant]} ignores it. Remove it or change variant`);
  }
};

/** kimia.md §2: BuildKit refuses buildctl arguments with shell metacharacters, CR or LF. */
const noShellMetacharacters: Rule = (spec, report) => {
  if (spec.variant !== 'kimia') return;
  for (const f of kimiaFlags(spec)) {
    if (f.value === undefined || NOT_IN_BUILDCTL_ARGS.has(f.flag)) continue;
    const v = sampleOf(f.value);
    if (SHELL_META.test(v)) {
      report(f.path, `contains ${describeMeta(v)}: kimia (BuildKit) rejects ; & | \` $ ( ) < > CR and LF in ${f.flag}`);
    }
  }
};

/** Never emit an empty value: kimia reads `--flag=` as "take the next argument". */
const noEmptyValues: Rule = (spec, report) => {
  for (const [k, v] of Object.entries(spec.buildArgs)) {
    if (v === '') report(['buildArgs', k], 'must not be empty: kimia (BuildKit) needs KEY=VALUE and Buildah would read the value from its own env');
  }
  for (const [k, v] of Object.entries(spec.labels)) {
    if (v === '') report(['labels', k], 'must not be empty');
  }
};

/** kimia.md §2: BuildKit validates build-arg keys (Buildah accepts e.g. http_proxy). */
const buildArgKeys: Rule = (spec, report) => {
  for (const k of Object.keys(spec.buildArgs)) {
    if (spec.variant === 'kimia' && !BUILD_ARG_KEY.test(k)) report(['buildArgs', k], `build-arg key "${k}" must match ^[A-Z_][A-Z0-9_]*$ (kimia rejects others)`);
  }
};

/**
 * kimia's own checks of each flag's value (kimia-values.ts, the table argv-check.ts applies to argv
 * on disk too): lengths in bytes, cache specs, …, reported at the field the flag came from. A value
 * holding a param is checked when it is bound (values.ts re-parses the bound spec).
 */
const kimiaValues: Rule = (spec, report) => {
  for (const f of kimiaFlags(spec)) {
    // Four flags have rules of their own, at finer fields or in finer words: the sub-path (localContextPath:
    // relative, no ".." segment at all), each --attest entry (attestation: per key), the destinations and
    // the Buildah options (buildahOpts).
    if (f.value === undefined || f.value.includes('${') || ['--context-sub-path', '--attest', '--destination', '--buildah-opt'].includes(f.flag)) continue;
    const problem = flagValueProblem(f.flag, f.value);
    if (problem) report(f.path, problem);
  }
};

/** kimia.md §2: BuildKit validates label keys. */
const labelKeys: Rule = (spec, report) => {
  if (spec.variant !== 'kimia') return;
  for (const k of Object.keys(spec.labels)) {
    if (!LABEL_KEY.test(k)) {
      report(['labels', k], `label key "${k}" must be lowercase and match ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$`);
    }
  }
};

/** What to do instead of giving kimia git credentials. */
const CLONE_BEFORE = 'clone in a step before the build (Tekton git-clone, the Argo git artifact) and use a local context';

const SECRET_MESSAGE = 'looks like a secret: literal secrets are refused (build inputs are logged and recorded in the image and its provenance); reference a Secret instead';

/**
 * Secrets only by reference. Build args, labels, cache specs, BuildKit/Buildah options and
 * attestation parameters are logged by kimia and end up in image history or provenance.
 */
const noLiteralSecrets: Rule = (spec, report) => {
  const checkKey = (key: string, at: FieldPath) => {
    if (SECRET_LIKE.test(key)) report(at, `"${key}" ${SECRET_MESSAGE}`);
  };
  for (const field of ['buildArgs', 'labels'] as const) {
    for (const k of Object.keys(spec[field])) checkKey(k, [field, k]);
  }
  const keysOf = (spec: string) => spec.split(',').map((kv) => kv.split('=')[0]);
  for (const dir of ['export', 'import'] as const) {
    spec.cache?.[dir].forEach((c, i) => keysOf(c).forEach((k) => checkKey(k, ['cache', dir, i])));
  }
  spec.buildkitOpts.forEach((o, i) => checkKey(o.split('=')[0], ['buildkitOpts', i]));
  spec.buildahOpts.forEach((o, i) => {
    const flag = o.split(/[ =]/)[0];
    if (flag === '--creds' || SECRET_LIKE.test(flag)) report(['buildahOpts', i], `${flag} ${SECRET_MESSAGE}; mount registry credentials with registry.credentialsSecret`);
  });
  spec.attestation?.attest?.forEach((a, i) => {
    for (const k of Object.keys(a.extra ?? {})) checkKey(k, ['attestation', 'attest', i, 'extra', k]);
  });
  if ('git' in spec.context) {
    const url = spec.context.git.url;
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
    if (userinfo && (userinfo[1].includes(':') || /^https?:/i.test(url))) {
      report(['context', 'git', 'url'], `credentials in the URL are refused: ${CLONE_BEFORE}`);
    }
    // kimia puts the token into the clone URL in both variants (context.go addGitToken):
    // - BuildKit gets no clone (kimia.md §3): kimia hands buildctl the URL, logs that command line
    //   ("Executing: buildctl …") and provenance records it;
    // - Buildah: kimia runs `git clone <URL with token>` into $HOME/workspace/kimia-build-* and builds
    //   that directory, so .git/config (remote.origin.url) is in the build context and `COPY . .`
    //   copies it into the image (context.go cloneGitRepo; test/conformance/defects.test.ts).
    if (spec.context.git.tokenSecret) {
      report(['context', 'git', 'tokenSecret'], spec.variant === 'kimia'
        ? `kimia (BuildKit) would put the token into the git URL it logs and records in provenance: ${CLONE_BEFORE}`
        : `kimia-bud (Buildah) clones into the build context with the token in the URL, so .git/config holds the token and COPY . bakes it into the image: ${CLONE_BEFORE}`);
    }
  }
};

/** kimia.md §3: how kimia tells a git context from a local one. */
export function looksLikeGit(context: string): boolean {
  return LOOKS_LIKE_GIT.test(context);
}
/** git://…, git@…, …/*.git, https://host/path or anything with "git." (also the JSON Schema's pattern). */
export const LOOKS_LIKE_GIT = /^git:\/\/|^git@|\.git$|^https:\/\/[^/]+\/.+|git\./;

/** A git context must look like git to kimia; a local one must not. */
const contextKind: Rule = (spec, report) => {
  if ('git' in spec.context) {
    const url = sampleOf(spec.context.git.url);
    if (!looksLikeGit(url)) {
      report(['context', 'git', 'url'], `"${spec.context.git.url}" is not recognised as git by kimia (git://…, git@…, …/*.git or https://host/path); kimia would treat it as a local path`);
    }
  } else if (looksLikeGit(sampleOf(spec.context.local.path))) {
    report(['context', 'local', 'path'], `"${spec.context.local.path}" looks like a git URL to kimia (it ends in .git or contains "git."); rename the directory`);
  }
};

/** kimia.md §2: BuildKit only accepts /workspace, /home/kimia/workspace or a path under /home/kimia. */
const localContextPath: Rule = (spec, report) => {
  if (!('local' in spec.context)) return;
  const p = sampleOf(spec.context.local.path);
  if (!p.startsWith('/')) {
    report(['context', 'local', 'path'], 'must be an absolute path');
    return;
  }
  const hidden = ['.config', '.local', '.cache', '.docker'].map((d) => `${KIMIA_HOME}/${d}`);
  const np = path.posix.normalize(p).replace(/\/$/, '');
  if (np === KIMIA_HOME || hidden.some((h) => np === h || np.startsWith(`${h}/`))) {
    report(['context', 'local', 'path'], `"${p}" would hide kimia's own files (${KIMIA_HOME}, ~/.config, ~/.local, ~/.cache, ~/.docker): use ${DEFAULT_LOCAL_CONTEXT}`);
    return;
  }
  if (spec.contextSubPath !== undefined) {
    const sub = sampleOf(spec.contextSubPath);
    // kimia refuses a sub-path leaving the context, also "..app" (kimia-values.ts); a ".." segment is refused here too.
    if (sub.startsWith('/') || sub.split('/').includes('..') || flagValueProblem('--context-sub-path', sub) !== undefined) {
      report(['contextSubPath'], 'must be a relative path inside the context (no leading "/" and no "..")');
      return;
    }
  }
  if (spec.variant !== 'kimia') return;
  const joined = kimiaContextPath(p, spec.contextSubPath ? sampleOf(spec.contextSubPath) : undefined);
  if (!buildkitLocalContextOk(joined)) {
    const where = spec.contextSubPath ? `with contextSubPath it becomes "${joined}", which` : `"${joined}"`;
    report(['context', 'local', 'path'],
      `${where} fails under kimia (BuildKit): the context must be /workspace, ${DEFAULT_LOCAL_CONTEXT} or a path under ${KIMIA_HOME} (mount the source at ${DEFAULT_LOCAL_CONTEXT})`);
  }
};

/** A Job builds a local context only from its claim (pod.ts jobContextProblem). */
const jobLocalContext: Rule = (spec, report) => {
  const problem = spec.outputs.includes('job') ? jobContextProblem(spec) : undefined;
  if (problem) report(['context', 'local', 'claimName'], problem);
};

/**
 * kimia.md §2: --tar-path must be under $HOME in both variants; --sign with a tar fails. kimia
 * never creates the archive's directory, so it gets a volume of its own (pod.ts archiveDir),
 * which must not hide kimia's files or sit in the build context, and a Job keeps it only on a claim.
 */
const tarPath: Rule = (spec, report) => {
  if (spec.tarPath === undefined) {
    if (spec.tarClaimName !== undefined) report(['tarClaimName'], 'only takes effect with tarPath');
    return;
  }
  const p = path.posix.normalize(spec.tarPath);
  const dir = path.posix.dirname(p);
  const hidden = ['.config', '.local', '.cache', '.docker'].map((d) => `${KIMIA_HOME}/${d}`);
  const context = 'local' in spec.context ? path.posix.normalize(spec.context.local.path).replace(/\/$/, '') : undefined;
  if (!p.startsWith(`${KIMIA_HOME}/`)) report(['tarPath'], `must be under ${KIMIA_HOME}/ (kimia refuses other tar paths)`);
  else if (dir === KIMIA_HOME || hidden.some((h) => dir === h || dir.startsWith(`${h}/`))) {
    report(['tarPath'], `must be in a directory of its own under ${KIMIA_HOME} (e.g. ${KIMIA_HOME}/output/image.tar): kimia does not create the directory, so it gets a volume there, and a volume on ${dir} would hide kimia's own files`);
  } else if (context !== undefined && (dir === context || dir.startsWith(`${context}/`) || context.startsWith(`${dir}/`))) {
    report(['tarPath'], `its directory ${dir} overlaps the local context ${context}: the archive would land in the build context (or hide it); use a directory of its own such as ${KIMIA_HOME}/output`);
  }
  if (spec.outputs.includes('job') && spec.tarClaimName === undefined) {
    report(['tarClaimName'], `a Job keeps the archive only on a PersistentVolumeClaim: name the claim to mount at ${dir} (without one the archive is lost with the pod)`);
  }
  if (spec.signing) report(['signing'], 'cannot sign a tar archive: kimia would run cosign on an image it never pushed. Remove tarPath or signing');
};

/** kimia.md §2: one platform per build. */
const onePlatform: Rule = (spec, report) => {
  const check = (value: string, at: FieldPath) => {
    if (value.includes(',')) {
      report(at, `"${value}" lists several platforms: kimia builds one platform per build; declare one build per platform`);
    } else if (!PLATFORM.test(value)) {
      report(at, `"${value}" is not a platform kimia accepts (os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7)`);
    }
  };
  if (spec.platform !== undefined) check(spec.platform, ['platform']);
  spec.platforms?.forEach((p, i) => check(p, ['platforms', i]));
  spec.buildkitOpts.forEach((o, i) => {
    if (o.startsWith('platform=')) check(o.slice('platform='.length), ['buildkitOpts', i]);
  });
};

/** Multi-arch fans out native builds and assembles an index from their manifest digests. */
const multiPlatform: Rule = (spec, report) => {
  const ps = spec.platforms;
  if (!ps) return;
  if (spec.platform !== undefined) report(['platforms'], 'set either platform or platforms, not both');
  if (new Set(ps).size !== ps.length) report(['platforms'], 'platforms must be unique');
  if (spec.variant !== 'kimia') report(['platforms'], 'multi-arch needs variant kimia: Buildah reports the config digest, not the manifest digest an index needs');
  if (!pushesImage(spec)) report(['platforms'], 'multi-arch pushes the per-platform images and the index: push must be on and tarPath unset');
  if (spec.outputs.includes('job')) report(['outputs'], 'a Job builds one platform: render multi-arch builds as tekton or argo (outputs: [tekton, argo])');
};

/** kimia.md §2: repository paths lowercase, tags `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. */
const destinations: Rule = (spec, report) => {
  const seen = new Set<string>();
  spec.destinations.forEach((raw, i) => {
    if (seen.has(raw)) report(['destinations', i], `duplicate destination "${raw}"`);
    seen.add(raw);
    const ref = sampleOf(raw);
    if (ref.includes('@')) {
      report(['destinations', i], `"${raw}" has a digest: a destination is a repository with an optional tag (kimia pushes and reports the digest)`);
      return;
    }
    const parts = ref.split('/');
    // Stryker disable next-line ConditionalExpression: equivalent, a bare localhost is a valid lowercase repository component, so read either way it gets the same checks
    const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
    const registry = hasRegistry ? parts.shift()! : undefined;
    const last = parts.pop()!;
    const colon = last.indexOf(':');
    const repo = [...parts, colon >= 0 ? last.slice(0, colon) : last].join('/');
    const tag = colon >= 0 ? last.slice(colon + 1) : undefined;
    const name = registry ? `${registry}/${repo}` : repo;
    // A registry host is a DNS name (any case) with an optional port; the repository is lowercase.
    if (repo !== repo.toLowerCase()) report(['destinations', i], `repository "${name}" must be lowercase`);
    else if ((registry && !REGISTRY_HOST.test(registry)) || !IMAGE_NAME.test(repo)) {
      report(['destinations', i], `"${raw}" is not an image reference ([registry[:port]/]repository[:tag])`);
    } else {
      // What kimia checks besides (ValidateImageName: the whole reference at most 255 bytes, the host 253).
      const kimiaSays = imageNameProblem(ref);
      if (kimiaSays) report(['destinations', i], kimiaSays);
    }
    if (tag !== undefined && !TAG.test(tag)) report(['destinations', i], `tag "${tag}" must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}`);
  });
};

/** kimia.md §2: git branch/revision characters. */
const gitRefs: Rule = (spec, report) => {
  if (!('git' in spec.context)) return;
  for (const key of ['branch', 'revision'] as const) {
    const v = spec.context.git[key];
    if (v === undefined) continue;
    const s = sampleOf(v);
    if (!GIT_REF.test(s) || s.includes('..') || s.startsWith('-')) {
      report(['context', 'git', key], `"${v}" is not a git ${key} kimia accepts: only A-Z a-z 0-9 / _ . -, no "..", no leading "-"`);
    }
  }
};

/** kimia.md §5: --sign (signing.in: builder) needs an attestation setting; every mode signs a pushed digest. */
const signingNeeds: Rule = (spec, report) => {
  if (!spec.signing) return;
  if (spec.signing.in === 'builder' && !spec.attestation) {
    report(['signing'], 'signing needs an attestation setting (kimia exits 1 on --sign alone): set attestation to off, min or max, or list attest entries');
  }
  if (!spec.push) report(['signing'], 'signing needs a push: kimia skips --sign when push is false');
  // kimia.md §4: kimia-bud's digest files hold the config digest, so a signature by digest would
  // name no image; and its image has no cosign (§6) for a sign step.
  // Chains would find no IMAGE_DIGEST either (kimia-bud builds publish none).
  if (spec.variant === 'kimia-bud') {
    report(['signing'], 'kimia-bud cannot sign: its digest files hold the config digest (Buildah reports it), not the manifest digest a signature (or Tekton Chains) must name, and its image has no cosign. Use variant kimia');
  }
  if (spec.signing.in === 'chains') {
    const others = spec.outputs.filter((o) => o !== 'tekton');
    if (others.length) {
      report(['signing', 'in'], `chains leaves signing to Tekton Chains, which only Tekton has: ${others.join(' and ')} would not sign. Set outputs: [tekton], or signing.in: isolated`);
    }
  }
};

/** Seed docs: never mix --attestation with --attest (kimia silently drops --attestation). */
const attestationExclusive: Rule = (spec, report) => {
  const a = spec.attestation;
  if (!a) return;
  if (a.mode !== undefined && a.attest !== undefined) {
    report(['attestation'], 'set either mode (--attestation) or attest (--attest), not both: kimia drops --attestation when --attest is given');
  }
  if (a.mode === undefined && a.attest === undefined) report(['attestation'], 'set mode (off, min or max) or attest entries');
  a.attest?.forEach((entry, i) => {
    for (const [k, v] of Object.entries(entry)) {
      if (typeof v === 'string' && v.includes(',')) report(['attestation', 'attest', i, k], 'must not contain ",": kimia splits --attest on commas');
    }
    const reserved = entry.type === 'sbom' ? ['type', 'generator', 'scan-context', 'scan-stage'] : ['type', 'mode', 'builder-id', 'reproducible', 'inline-only', 'version', 'filename'];
    for (const [k, v] of Object.entries(entry.extra ?? {})) {
      if (!/^[a-z][a-z0-9-]*$/.test(k)) report(['attestation', 'attest', i, 'extra', k], 'keys must be lowercase words (a-z, 0-9, -)');
      else if (reserved.includes(k)) report(['attestation', 'attest', i, 'extra', k], `"${k}" has its own field; set it there`);
      if (v.includes(',')) report(['attestation', 'attest', i, 'extra', k], 'must not contain ",": kimia splits --attest on commas');
    }
  });
  spec.buildkitOpts.forEach((o, i) => {
    if (o.startsWith('attest:')) report(['buildkitOpts', i], 'attestations belong in attestation (mode or attest); kimia sets attest: options itself');
  });
};

/** kimia-flags.json: cache specs; kimia.md §3: --reproducible disables the cache. */
const cacheSpecs: Rule = (spec, report) => {
  const c = spec.cache;
  if (!c) return;
  if (spec.reproducible?.enabled && (c.enabled || c.export.length || c.import.length)) {
    report(['cache'], 'reproducible builds run without cache (kimia forces --no-cache and ignores cache import/export): remove cache');
  }
};

/** --timestamp and SOURCE_DATE_EPOCH are Unix seconds. */
const reproducible: Rule = (spec, report) => {
  const r = spec.reproducible;
  if (!r) return;
  if (r.timestamp !== undefined && !EPOCH.test(sampleOf(r.timestamp, '0'))) {
    report(['reproducible', 'timestamp'], 'must be Unix seconds (digits only)');
  }
  const e = r.sourceDateEpoch;
  if (typeof e === 'string' && !EPOCH.test(sampleOf(e, '0'))) report(['reproducible', 'sourceDateEpoch'], 'must be Unix seconds (digits only)');
  if (typeof e === 'object' && 'git' in spec.context) {
    report(['reproducible', 'sourceDateEpoch'], 'fromGit reads the commit time from a checked-out source: use a local context (the Tekton source workspace, the Argo git artifact)');
  }
  if (!r.enabled && (e !== undefined || r.timestamp !== undefined)) {
    report(['reproducible'], 'timestamp and sourceDateEpoch only take effect when reproducible is enabled');
  }
};

/** kimia's checks of a --buildah-opt (kimia-values.ts), and it must start with a flag. */
const buildahOpts: Rule = (spec, report) => {
  spec.buildahOpts.forEach((o, i) => {
    const flag = o.split(/[ =]/)[0];
    const kimiaSays = buildahOptProblem(o);
    if (kimiaSays) report(['buildahOpts', i], kimiaSays);
    else if (!flag.startsWith('-') || SHELL_META.test(flag)) {
      report(['buildahOpts', i], `"${o}" must start with a buildah flag ("--flag", "--flag value" or "--flag=value")`);
    }
  });
};

const insecureRegistries: Rule = (spec, report) => {
  spec.registry?.insecureRegistries.forEach((r, i) => {
    if (!REGISTRY_HOST.test(r)) report(['registry', 'insecureRegistries', i], `"${r}" must be a registry host[:port], without scheme or path`);
  });
};

/** Env vars kimia (and its tools) read: the password must not land in one of them. */
export const RESERVED_ENV = ['HOME', 'PATH', 'USER', 'XDG_RUNTIME_DIR', 'DOCKER_CONFIG', 'DOCKER_USERNAME', 'DOCKER_PASSWORD', 'DOCKER_REGISTRY',
  'SOURCE_DATE_EPOCH', 'BUILDAH_ISOLATION', 'BUILDAH_FORMAT', 'BUILDAH_LOG_LEVEL', 'STORAGE_DRIVER', 'KIMIA_PREFER_SSH', 'COSIGN_EXPERIMENTAL'];
const passwordEnv: Rule = (spec, report) => {
  const name = spec.signing?.passwordEnv;
  if (name && RESERVED_ENV.includes(name)) {
    report(['signing', 'passwordEnv'], `${name} is read by kimia or its tools; pick another name for the password variable (default COSIGN_PASSWORD)`);
  }
};

/** Builder images are pinned: a moving tag makes the build irreproducible. */
const pinnedBuilderImage: Rule = (spec, report) => {
  const img = spec.builderImage;
  if (img === undefined || img.includes('${')) return;
  const last = img.slice(img.lastIndexOf('/') + 1);
  if (!img.includes('@') && (!last.includes(':') || last.endsWith(':latest'))) {
    report(['builderImage'], `"${img}" must be pinned to a version tag or digest (not untagged or :latest)`);
  }
};

/** Fields that may reference runtime params, and the check that references are declared and used. */
const TEMPLATABLE: ReadonlyArray<FieldPath> = [
  ['builderImage'], ['context', 'git', 'url'], ['context', 'git', 'branch'], ['context', 'git', 'revision'],
  ['contextSubPath'], ['dockerfile'], ['target'], ['destinations', '*'], ['buildArgs', '*'], ['labels', '*'],
  ['reproducible', 'timestamp'], ['reproducible', 'sourceDateEpoch'], ['job', 'name'],
];
const isTemplatable = (at: FieldPath) =>
  // Stryker disable next-line ConditionalExpression: equivalent, no string field of a parsed spec has a path longer than a templatable one that starts like it (destinations, buildArgs and labels hold lists or maps)
  TEMPLATABLE.some((t) => t.length === at.length && t.every((seg, i) => seg === '*' || seg === at[i]));

const paramReferences: Rule = (spec, report) => {
  const used = new Set<string>();
  const { params, ...rest } = spec;
  eachString(rest, [], (s, at) => {
    const names = paramsIn(s);
    if (names.length === 0) return;
    if (!isTemplatable(at)) {
      report(at, `params (\${...}) are not allowed here; they work in: builderImage, context.git.url/branch/revision, contextSubPath, dockerfile, target, destinations, buildArgs, labels, reproducible.timestamp/sourceDateEpoch, job.name`);
      return;
    }
    for (const n of names) {
      used.add(n);
      if (!Object.hasOwn(params, n)) report(at, `references \${${n}} but no param "${n}" is declared under params`);
    }
  });
  // A key is never templated: a `${NAME}` in it would still be rendered into the flag (e.g. --build-arg).
  eachKey(rest, [], (k, at) => {
    if (paramsIn(k).length) report(at, 'params (${...}) are not allowed in keys, only in the values of the fields listed for them');
  });
  for (const [n, p] of Object.entries(params)) {
    if (!used.has(n)) report(['params', n], `param "${n}" is declared but never used`);
    for (const key of ['default', 'example'] as const) {
      const v = p[key];
      if (p.enum && v !== undefined && !p.enum.includes(v)) report(['params', n, key], `"${v}" is not one of ${p.enum.map((e) => `"${e}"`).join(', ')}`);
      if (v !== undefined && v.includes('$(')) report(['params', n, key], KUBELET_PARAM_MESSAGE);
    }
    p.enum?.forEach((v, i) => { if (v.includes('$(')) report(['params', n, 'enum', i], KUBELET_PARAM_MESSAGE); });
  }
};

/** A build param may not take a name an engine declares for itself (engine-params.ts: it would be merged with or shadow the engine's). */
const engineParamNames: Rule = (spec, report) => {
  for (const { name, use } of engineParamClashes(spec)) {
    report(['params', name], `"${name}" is a param the engines declare themselves: ${use}. Give yours another name (and update its \${${name}} references)`);
  }
};

/**
 * Param values reach container args and env as they are: Argo and Tekton substitute them at run
 * time, after which the kubelet expands `$(VAR)` from the container's env (kubelet.ts); the
 * value cannot be escaped then. A Job resolves them at synth time (and escapes them), but the
 * same config renders the other engines too.
 */
const KUBELET_PARAM_MESSAGE = 'contains "$(": Argo and Tekton put param values into container args and env as they are, where the kubelet expands $(VAR) from the container\'s environment (e.g. a Secret\'s value); remove it';

/**
 * A Tekton variable: `$(` and a name followed by `.` or `[`. Every variable Tekton substitutes has
 * that form (params.x, params["x"], context.…, workspaces.x.path, results.x.path,
 * step.results.x.path, steps.…, credentials.path, tasks.…, finally.…, inputs.params.x; tektoncd/pipeline
 * pkg/reconciler/taskrun/resources/apply.go and pkg/substitution), so the pattern is the form,
 * not a list of the names known today.
 */
export const TEKTON_VARIABLE = /\$\([A-Za-z_][A-Za-z0-9_-]*[.[]/;

/**
 * Engines read their own template syntax in every string of what they render, keys included:
 * Argo scans the whole template for `{{…}}` (no escape exists), Tekton substitutes every
 * `$(<name>.…)` it knows. A user value or key with that syntax would be rewritten by the engine,
 * so it is refused.
 */
const engineTemplateSyntax: Rule = (spec, report) => {
  const argo = spec.outputs.includes('argo');
  const tekton = spec.outputs.includes('tekton');
  const check = (what: string) => (s: string, at: FieldPath) => {
    if (argo && (s.includes('{{') || s.includes('}}'))) report(at, `${what}"{{" or "}}": Argo would read it as a template tag (it has no escape); remove it or drop the argo output`);
    else if (tekton && TEKTON_VARIABLE.test(s)) report(at, `${what}a Tekton variable "$(…)": Tekton would substitute it; remove it or drop the tekton output`);
  };
  // Params included: their names, descriptions, defaults, examples and enum values are rendered too.
  eachString(spec, [], check('contains '));
  eachKey(spec, [], check('the key contains '));
};

/** The params `job` binds from the CI run must be declared. */
const ciParams: Rule = (spec, report) => {
  for (const key of ['commitParam', 'sourceDateEpochParam'] as const) {
    const name = spec.ci?.[key];
    if (name !== undefined && !Object.hasOwn(spec.params, name)) report(['ci', key], `names param "${name}", which is not declared under params`);
  }
};

/** tektoncd-catalog/git-clone publishes bundles from v1.5.0 on (images.ts GIT_CLONE_BUNDLE_REPOSITORY). */
const gitCloneBundleExists: Rule = (spec, report) => {
  if (compareVersions(spec.tekton.gitCloneVersion, GIT_CLONE_FIRST_BUNDLE) < 0) report(['tekton', 'gitCloneVersion'], `git-clone ${spec.tekton.gitCloneVersion} has no bundle: tektoncd-catalog/git-clone publishes ghcr.io/tektoncd-catalog/git-clone/bundle from v${GIT_CLONE_FIRST_BUNDLE} on`);
};

/** The argo-hub layout is the Argo template in argo-hub's directories: it goes with `argo`, whose rules it shares. */
const argoHubWithArgo: Rule = (spec, report) => {
  if (spec.outputs.includes('argo-hub') && !spec.outputs.includes('argo')) report(['outputs'], 'argo-hub is the Argo template in the argo-hub layout: list argo too (outputs: [argo, argo-hub])');
};

/**
 * `argo.gitCredentialsSecret` names the credentials of the git input artifact Argo clones a local context from
 * (argo/template.ts). A git context is cloned by kimia itself, with none of them: the option would be ignored.
 */
const argoGitCredentialsNeedLocal: Rule = (spec, report) => {
  if (spec.argo.gitCredentialsSecret !== undefined && !('local' in spec.context)) {
    report(['argo', 'gitCredentialsSecret'], 'applies to a local context only (the git input artifact Argo clones); with a git context kimia clones the repository itself and this Secret would be ignored. Remove it, or build from a local context');
  }
};

/** Every rule, in the order its errors are reported. */
export const RULES: ReadonlyArray<readonly [string, Rule]> = [
  ['tekton.gitCloneVersion has a bundle', gitCloneBundleExists],
  ['argo-hub goes with argo', argoHubWithArgo],
  ['argo git credentials need a local context', argoGitCredentialsNeedLocal],
  ['params are declared and used', paramReferences],
  ['param names the engines declare', engineParamNames],
  ['CI params are declared', ciParams],
  ['flags match the builder variant', flagsMatchVariant],
  ['no empty values', noEmptyValues],
  ['build-arg keys', buildArgKeys],
  ['kimia\'s checks of flag values', kimiaValues],
  ['label keys', labelKeys],
  ['no literal secrets', noLiteralSecrets],
  ['git or local context as kimia sees it', contextKind],
  ['insecure registries are hosts', insecureRegistries],
  ['password env is not one kimia reads', passwordEnv],
  ['BuildKit local context path', localContextPath],
  ['a Job\'s local context is its claim', jobLocalContext],
  ['tar path under /home/kimia', tarPath],
  ['one platform per build', onePlatform],
  ['multi-arch fan-out', multiPlatform],
  ['destinations', destinations],
  ['git refs', gitRefs],
  ['signing needs attestation and push', signingNeeds],
  ['attestation xor attest', attestationExclusive],
  ['cache specs', cacheSpecs],
  ['reproducible timestamps', reproducible],
  ['buildah opts', buildahOpts],
  ['pinned builder image', pinnedBuilderImage],
  ['BuildKit shell metacharacters', noShellMetacharacters],
  ['engine template syntax in values', engineTemplateSyntax],
  ['values Kubernetes, the kubelet and the engines accept; no secret literals', checkValues],
];

/** The part of zod's refinement context the rules use (zod's own type stays out of the declarations). */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; path: Array<string | number>; message: string; input: unknown }): void;
}

/** zod `superRefine` hook: runs every rule on a parsed spec. */
export function checkBuildSpec(spec: BuildSpec, ctx: IssueSink): void {
  const report: Report = (at, message) => ctx.addIssue({ code: 'custom', path: [...at], message, input: spec });
  for (const [, rule] of RULES) rule(spec, report);
}
