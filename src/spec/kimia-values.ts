/**
 * kimia's checks of one flag's value, as its parser and validation make them (kimia v1.0.25,
 * shared/kimia/v1.0.25/src): one table for both kimia checkers, rules.ts (a spec, through the
 * flags argv.ts derives from it) and argv-check.ts (argv found in YAML on disk).
 */
import * as path from 'node:path';
import { KIMIA_HOME } from './defaults';
import { goClean } from './walk';

/** Go's len(): the UTF-8 bytes of a string, which kimia's length limits count. */
const bytes = (v: string): number => Buffer.byteLength(v, 'utf8');

/**
 * The local context path kimia (BuildKit) builds from: `--context` as written, or, with a sub-path,
 * the two joined and cleaned (main.go:155-184 filepath.Join). Both kimia checkers use it.
 */
export const kimiaContextPath = (context: string, subPath: string | undefined): string =>
  (subPath ? goClean(path.posix.join(goClean(context), goClean(subPath))) : context);

/**
 * A local context BuildKit kimia builds ({@link kimiaContextPath}): /workspace or $HOME/workspace as
 * written (builder.go:677 compares the strings, and copies these bind mounts), else $HOME or a path
 * under it once cleaned (builder.go:485 ValidatePathWithinBase(context, $HOME); $HOME itself is
 * within). So `/workspace/.` or `//workspace` without a sub-path fails. Both kimia checkers use it.
 */
export const buildkitLocalContextOk = (seen: string): boolean => {
  if (seen === '/workspace') return true; // $HOME/workspace is within $HOME below
  const clean = goClean(seen);
  return clean === KIMIA_HOME || clean.startsWith(`${KIMIA_HOME}/`);
};

/**
 * Flags whose values never reach buildctl's argv, so kimia's shell-metacharacter check
 * (builder.go:1107-1111 ValidateBuildctlArg on every buildctl argument) never sees them: the digest
 * files kimia writes itself (:1483-1521), cosign's key and password env (its own `cosign sign`),
 * the log level, and the insecure registries (written into buildkitd.toml, :766).
 */
export const NOT_IN_BUILDCTL_ARGS: ReadonlySet<string> = new Set([
  '--digest-file', '--image-name-with-digest-file', '--cosign-key', '--cosign-password-env', '--verbosity', '--insecure-registry',
]);

/**
 * A registry host with an optional port: validation.go ValidateRegistryHost's hostPattern and portPattern,
 * run on each destination's host. Also what an insecureRegistries entry must be: kimia writes it as
 * `[registry."<host>"]` for BuildKit (builder.go) and Buildah matches it as a destination prefix
 * (push.go isInsecureRegistry), so an entry that is no destination host never applies.
 */
export const REGISTRY_HOST = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?$/;
/**
 * A repository path as kimia accepts it: validation.go imageNamePattern. Components are joined by one
 * of `.` `_` `-`, by `__` or by dashes only: `a..b`, `a._b` and `a___b` are refused.
 */
export const IMAGE_NAME = /^[a-z0-9]+(([._-]|__|[-]*)[a-z0-9]+)*(\/[a-z0-9]+(([._-]|__|[-]*)[a-z0-9]+)*)*$/;

/**
 * validation.go ValidateImageName, which builder.go:437-441 (validateCommonBuildInputs) runs on every
 * --destination as written, tag included, before building: at most 255 bytes, no NUL; a first
 * component holding `.` or `:`, or `localhost`, is the registry host (ValidateRegistryHost: at most
 * 253 bytes, DNS labels, a numeric port); the rest, cut at `@` or else at its first `:`, is a
 * lowercase repository path. The tag is not checked there.
 */
export function imageNameProblem(name: string): string | undefined {
  const refuse = (why: string) => `kimia refuses destination "${name}" before building: ${why} (validation.go ValidateImageName)`;
  if (name === '') return refuse('image name cannot be empty');
  if (bytes(name) > 255) return refuse(`image name too long: ${bytes(name)} bytes (max 255)`);
  if (name.includes('\0')) return refuse('image name contains null byte');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const host = /[.:]/.test(first) || first === 'localhost' ? first : '';
  const rest = host ? name.slice(slash + 1) : name;
  const at = rest.indexOf('@');
  const repo = at >= 0 ? rest.slice(0, at) : rest.split(':')[0];
  if (host && (bytes(host) > 253 || !REGISTRY_HOST.test(host))) return refuse(`invalid registry host "${host}"`);
  if (repo === '') return refuse('image name missing repository path');
  if (!IMAGE_NAME.test(repo)) return refuse(`invalid image name format: ${repo} (repository paths are lowercase)`);
  return undefined;
}

/**
 * What kimia sets itself and refuses in a --buildah-opt: builder.go:521-548 conflictingFlags (also
 * the JSON schema's pattern for buildahOpts).
 */
export const BUILDAH_OPT_REFUSED: readonly string[] = [
  '-f', '--file', '--build-arg', '--label', '--target', '--platform', '--timestamp', '--source-date-epoch',
  '--retry', '-t', '--tag', '--no-cache', '--layers', '--isolation', '--userns', '--userns-uid-map',
  '--userns-gid-map', '--cap-add', '--cap-drop', '--security-opt', '--privileged',
];

/**
 * builder.go:550-590 (validateBuildahInputs, before building): each --buildah-opt trimmed is not
 * empty; its flag name (up to a space, then up to `=`) passes ValidateBuildctlArg (no NUL or shell
 * metacharacter) and is none of {@link BUILDAH_OPT_REFUSED}; its value holds no NUL.
 */
export function buildahOptProblem(opt: string): string | undefined {
  const o = opt.trim();
  if (o === '') return '--buildah-opt is empty: kimia stops before building (builder.go:553)';
  const flag = o.split(' ')[0].split('=')[0];
  if (/[\0;&|`$()<>\r\n]/.test(flag)) return `--buildah-opt flag name "${flag}" holds a NUL or shell metacharacter: kimia stops before building (builder.go:568 ValidateBuildctlArg)`;
  if (o.includes('\0')) return '--buildah-opt value contains a null byte: kimia stops before building (builder.go:581)';
  if (BUILDAH_OPT_REFUSED.includes(flag)) return `${flag} is set by kimia itself and refused in --buildah-opt`;
  return undefined;
}

/** The BuildKit cache exporters kimia accepts (validation.go ValidateBuildKitCacheSpec), then `,key=value` pairs. */
export const CACHE_SPEC = /^type=(registry|inline|local|s3|azblob|gha)(,[^,=]+=[^,]*)*$/;

/**
 * validation.go ValidateBuildKitCacheSpec (builder.go:1007,1019): a known type and key=value pairs,
 * at most 2048 bytes, none of NUL ; | & ` $ ( ) { } [ ] < > CR LF tab.
 */
export function cacheSpecProblem(s: string): string | undefined {
  if (CACHE_SPEC.test(s) && !/[\0;|&`$(){}[\]<>\n\r\t]/.test(s) && bytes(s) <= 2048) return undefined;
  return `"${s}" is not a cache spec kimia accepts: type=registry|inline|local|s3|azblob|gha followed by ,key=value pairs`;
}

/** The words args.go parseBool reads (case-insensitive); anything else stops kimia with "Invalid boolean value". */
const BOOL_WORDS = new Set(['true', 'yes', '1', 'on', 'false', 'no', '0', 'off']);

/**
 * What kimia does with one flag's value, when it refuses it: undefined when it accepts it (or
 * checks it elsewhere). `value` is literal text (engine placeholders already replaced).
 */
export function flagValueProblem(flag: string, value: string): string | undefined {
  switch (flag) {
    case '--cache':
      return BOOL_WORDS.has(value.toLowerCase()) ? undefined : `--cache takes true, false, yes, no, 1, 0, on or off: kimia stops with "Invalid boolean value" (args.go parseBool)`;
    case '--push-retry':
    case '--image-download-retry':
      // args.go parseInt: strconv.Atoi, an optional sign and decimal digits.
      return /^[+-]?[0-9]+$/.test(value) ? undefined : `${flag} takes an integer: kimia stops with "Invalid integer value" (args.go parseInt)`;
    case '--attestation':
      return ['off', 'min', 'max'].includes(value) ? undefined : `--attestation takes off, min or max: kimia stops otherwise (args.go:331)`;
    case '--attest':
      return attestProblem(value);
    case '--storage-driver':
      // main.go:47 checks a driver only `if config.StorageDriver != ""`: an empty one is the default.
      return value === '' || ['vfs', 'overlay', 'native'].includes(value.toLowerCase()) ? undefined : '--storage-driver takes vfs, overlay or native: kimia exits 1 otherwise (main.go:47-66)';
    case '--destination':
      return imageNameProblem(value);
    case '--buildah-opt':
      return buildahOptProblem(value);
    case '--export-cache':
    case '--import-cache':
      return cacheSpecProblem(value);
    case '--target':
      return bytes(value) > 128 ? 'target must be at most 128 bytes (UTF-8; builder.go validateCommonBuildInputs)' : undefined;
    case '--context-sub-path':
      // main.go:155-173: filepath.Rel(context, Join(context, Clean(sub))) must not start with "..".
      return goClean(value).startsWith('..') ? 'the sub-path leaves the context: kimia stops with "context sub-path attempts to escape build context" (main.go:173)' : undefined;
    case '--build-arg':
    case '--label': {
      const [k, ...rest] = value.split('=');
      const what = flag === '--label' ? 'label' : 'build-arg';
      // builder.go validateCommonBuildInputs (both variants).
      if (bytes(k) > 128) return `${what} key must be at most 128 bytes (UTF-8)`;
      if (bytes(rest.join('=')) > 4096) return `${what} value must be at most 4096 bytes (UTF-8)`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** args.go parseAttestationConfig: comma-separated key=value parts, `type` sbom or provenance. */
function attestProblem(value: string): string | undefined {
  let type: string | undefined;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return `--attest part "${part}" is no key=value: kimia stops with "Invalid attestation parameter" (args.go:501)`;
    if (part.slice(0, eq).trim() === 'type') type = part.slice(eq + 1).trim();
  }
  if (type !== 'sbom' && type !== 'provenance') return '--attest needs type=sbom or type=provenance: kimia stops otherwise (args.go:516-521)';
  return undefined;
}
