/**
 * Spec -> kimia argv. The only place that knows kimia's flag names.
 *
 * Every flag is emitted as ONE argv element, `--flag=value` or a bare presence flag:
 * kimia's hand-written parser would otherwise let a value flag swallow the next argument
 * (shared/reference/kimia.md §1). Presence booleans are omitted when false, because
 * `--no-push=false` still enables them. Strings keep their `${NAME}` param references;
 * engines render those (see template.ts).
 */
import type { BuildSpec } from './types';
import { builderSigns } from './sigstore';
import { COSIGN_KEY_PATH, REGISTRY_CERTS_DIR } from './defaults';
import { containerText } from './kubelet';

/** A path into the spec, as zod reports it. */
export type FieldPath = ReadonlyArray<string | number>;

/** One kimia flag with the spec field it came from (for error messages). */
export interface KimiaFlag {
  /** The flag name, e.g. `--destination`. */
  readonly flag: string;
  /** The value; undefined for presence flags. */
  readonly value?: string;
  /** The spec field the flag was derived from. */
  readonly path: FieldPath;
}

const sortedEntries = (r: Record<string, string>) =>
  Object.keys(r)
    .sort()
    .map((k) => [k, r[k]] as const);

/** `type=sbom,generator=…` / `type=provenance,mode=…` for one `--attest` entry. */
export function attestValue(a: NonNullable<NonNullable<BuildSpec['attestation']>['attest']>[number]): string {
  const kv: Array<[string, string | boolean | undefined]> = [['type', a.type]];
  if (a.type === 'sbom') {
    // kimia turns scan-* into BUILDKIT_SBOM_SCAN_*=1: emit them only when true.
    kv.push(['generator', a.generator], ['scan-context', a.scanContext || undefined], ['scan-stage', a.scanStage || undefined]);
  } else {
    kv.push(
      ['mode', a.mode],
      ['builder-id', a.builderId],
      ['reproducible', a.reproducible],
      ['inline-only', a.inlineOnly],
      ['version', a.version],
      ['filename', a.filename],
    );
  }
  for (const [k, v] of sortedEntries(a.extra ?? {})) kv.push([k, v]);
  return kv
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The kimia flags for a spec, in a fixed order, each tagged with its source field. */
export function kimiaFlags(spec: BuildSpec): KimiaFlag[] {
  const out: KimiaFlag[] = [];
  const add = (flag: string, value: string | undefined, ...path: Array<string | number>) => {
    if (value !== undefined) out.push({ flag, value, path });
  };
  const on = (flag: string, enabled: boolean | undefined, ...path: Array<string | number>) => {
    if (enabled) out.push({ flag, path });
  };

  if ('git' in spec.context) {
    const g = spec.context.git;
    add('--context', g.url, 'context', 'git', 'url');
    // kimia.md §3: BuildKit gets `URL#<revision|branch>`, so a branch beside a revision has no
    // effect and is not passed. kimia-bud clones: it checks out the revision, falls back to the
    // branch when the revision is unknown and warns when the revision is not on it (context.go:139-176).
    if (spec.variant === 'kimia-bud' || g.revision === undefined) add('--git-branch', g.branch, 'context', 'git', 'branch');
    add('--git-revision', g.revision, 'context', 'git', 'revision');
    // No --git-token-file: git.tokenSecret is refused in both variants (rules.ts contextKind), as
    // kimia puts the token into the clone URL (kimia.md §3).
    add('--git-token-user', g.tokenUser, 'context', 'git', 'tokenUser');
  } else {
    add('--context', spec.context.local.path, 'context', 'local', 'path');
  }
  add('--context-sub-path', spec.contextSubPath, 'contextSubPath');
  add('--dockerfile', spec.dockerfile, 'dockerfile');
  add('--target', spec.target, 'target');
  spec.destinations.forEach((d, i) => add('--destination', d, 'destinations', i));
  add('--custom-platform', spec.platform, 'platform');

  on('--no-push', !spec.push, 'push');
  add('--tar-path', spec.tarPath, 'tarPath');
  add('--digest-file', spec.digestFile, 'digestFile');
  add('--image-name-with-digest-file', spec.imageNameWithDigestFile, 'imageNameWithDigestFile');

  if (spec.cache) {
    if (spec.cache.enabled) add('--cache', 'true', 'cache', 'enabled');
    spec.cache.export.forEach((c, i) => add('--export-cache', c, 'cache', 'export', i));
    spec.cache.import.forEach((c, i) => add('--import-cache', c, 'cache', 'import', i));
  }
  add('--storage-driver', spec.storageDriver, 'storageDriver');

  const reg = spec.registry;
  if (reg) {
    on('--insecure', reg.insecure, 'registry', 'insecure');
    on('--insecure-pull', reg.insecurePull, 'registry', 'insecurePull');
    reg.insecureRegistries.forEach((r, i) => add('--insecure-registry', r, 'registry', 'insecureRegistries', i));
    if (reg.certificatesSecret) add('--registry-certificate', REGISTRY_CERTS_DIR, 'registry', 'certificatesSecret');
    add('--push-retry', reg.pushRetry?.toString(), 'registry', 'pushRetry');
    add('--image-download-retry', reg.downloadRetry?.toString(), 'registry', 'downloadRetry');
  }

  const rep = spec.reproducible;
  if (rep?.enabled) {
    on('--reproducible', true, 'reproducible');
    add('--timestamp', rep.timestamp, 'reproducible', 'timestamp');
  }

  const att = spec.attestation;
  if (att) {
    add('--attestation', att.mode, 'attestation', 'mode');
    att.attest?.forEach((a, i) => add('--attest', attestValue(a), 'attestation', 'attest', i));
  }
  spec.buildkitOpts.forEach((o, i) => add('--buildkit-opt', o, 'buildkitOpts', i));

  if (spec.signing && builderSigns(spec)) {
    on('--sign', true, 'signing');
    add('--cosign-key', COSIGN_KEY_PATH, 'signing', 'key');
    add('--cosign-password-env', spec.signing.passwordEnv, 'signing', 'passwordEnv');
  }

  for (const [k, v] of sortedEntries(spec.buildArgs)) add('--build-arg', `${k}=${v}`, 'buildArgs', k);
  for (const [k, v] of sortedEntries(spec.labels)) add('--label', `${k}=${v}`, 'labels', k);
  spec.buildahOpts.forEach((o, i) => add('--buildah-opt', o, 'buildahOpts', i));
  add('--verbosity', spec.verbosity, 'verbosity');
  return out;
}

/**
 * The kimia argv for a spec: one `--flag=value` (or bare presence flag) per element, as written
 * into the container's args: literal text escaped for the kubelet's `$(VAR)` expansion
 * (see kubelet.ts), `${NAME}` references kept for the engine.
 */
export function kimiaArgs(spec: BuildSpec): string[] {
  return kimiaFlags(spec).map((f) => (f.value === undefined ? f.flag : containerText(`${f.flag}=${f.value}`)));
}

/** A digest file kimia writes, as an engine reads it. */
export interface DigestFile {
  /** The path, as the engine reads it (e.g. an Argo output's `valueFrom.path`). */
  readonly path: string;
  /** The path as written into the container's args or env (escaped for the kubelet when the spec named it). */
  readonly text: string;
  /** True when the spec named the file ({@link kimiaArgs} passes it); else it is the engine's own path. */
  readonly fromSpec: boolean;
}

/**
 * The digest files an engine publishes from: the spec's `digestFile` / `imageNameWithDigestFile`
 * when set, else the engine's own paths, which `flags` passes to kimia. kimia keeps only the last
 * of a repeated flag (kimia.md §1), so an engine never adds its own beside the spec's.
 */
export function digestFiles(spec: BuildSpec, own: { readonly digest: string; readonly imageName?: string }): {
  readonly digest: DigestFile;
  readonly imageName?: DigestFile;
  /** Flags to add after {@link kimiaArgs}, for the files the spec does not name (engine paths, as given). */
  readonly flags: string[];
} {
  const flags: string[] = [];
  const file = (flag: string, fromSpec: string | undefined, ownPath: string): DigestFile => {
    if (fromSpec !== undefined) return { path: fromSpec, text: containerText(fromSpec), fromSpec: true };
    flags.push(`${flag}=${ownPath}`);
    return { path: ownPath, text: ownPath, fromSpec: false };
  };
  const digest = file('--digest-file', spec.digestFile, own.digest);
  const imageName = own.imageName === undefined ? undefined : file('--image-name-with-digest-file', spec.imageNameWithDigestFile, own.imageName);
  return { digest, ...(imageName ? { imageName } : {}), flags };
}
