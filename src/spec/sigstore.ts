/**
 * Where and how a build's image is signed (signing.in, signing.transparencyLog), as finished
 * material for every engine: the cosign flags for sign and verify, the env that switches kimia's
 * own --sign, and the isolated sign container (script, args, env, volumes).
 *
 * cosign v3.0.2 (the cosign in the kimia image, kimia.md §6) defaults to `--new-bundle-format=true
 * --use-signing-config=true`, which fetch the public signing config over TUF and upload to every
 * Rekor it lists even with `--tlog-upload=false` (sigstore/cosign#4503; v3.0.2
 * cmd/cosign/cli/sign/sign.go signDigestBundle never reads TlogUpload). Every mode therefore signs
 * in the legacy format (`.sig` tags): `--new-bundle-format=false --use-signing-config=false`, the
 * only format a policy-controller key authority reads (validator.go: "when using the new bundle
 * format, the authority must be keyless"). See .scratch/issue12-facts.md §3, §5.
 */
import type { BuildSpec, TransparencyLog } from './types';
import { COSIGN_DIR, COSIGN_KEY_PATH, COSIGN_PUBLIC_DIR, KIMIA_HOME } from './defaults';
import { containerText, escapeKubeletExpansion } from './kubelet';
import { helperDockerConfig, insecureRegistryFlags, publicKeyRef } from './verify';
import type { KimiaVolume } from './pod';
import { secretFile } from './secret-file';

/** The public Rekor (cosign options/rekor.go:22 DefaultRekorURL). */
export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';

/** signing.in of a signing build, or undefined when the build does not sign. */
export function signingIn(spec: BuildSpec): 'isolated' | 'builder' | 'chains' | undefined {
  return spec.signing?.in;
}

/** True when kimia's own --sign signs (signing.in: builder): only then does the builder get key and password. */
export function builderSigns(spec: BuildSpec): boolean {
  return spec.signing?.in === 'builder';
}

/** True when a separate container signs after the build (signing.in: isolated). */
export function isolatedSigns(spec: BuildSpec): boolean {
  return spec.signing?.in === 'isolated';
}

/** The Rekor URL signatures go to, or undefined for `none`. */
export function rekorUrl(tlog: TransparencyLog): string | undefined {
  if (tlog === 'none') return undefined;
  return tlog === 'public' ? PUBLIC_REKOR_URL : tlog.url;
}

/**
 * `cosign sign` flags for a transparency-log choice (cosign v3.0.2 options/sign.go):
 * - legacy format, no TUF signing config: `--new-bundle-format=false --use-signing-config=false`
 *   (sign.go: "must provide --new-bundle-format with --signing-config or --use-signing-config");
 * - none: `--tlog-upload=false` (honoured on the legacy path; sigstore/cosign#4778);
 * - public / {url}: `--tlog-upload=true`, and `--rekor-url=<url>` for a private Rekor.
 */
export function cosignTlogSignFlags(tlog: TransparencyLog): string[] {
  const legacy = ['--new-bundle-format=false', '--use-signing-config=false'];
  if (tlog === 'none') return [...legacy, '--tlog-upload=false'];
  if (tlog === 'public') return [...legacy, '--tlog-upload=true'];
  return [...legacy, '--tlog-upload=true', `--rekor-url=${tlog.url}`];
}

/**
 * `cosign verify` flags for the same choice (cosign v3.0.2 options/verify.go, verify/verify.go):
 * `--new-bundle-format=false` reads the legacy `.sig` signature; for `none`
 * `--insecure-ignore-tlog=true` skips the Rekor lookup a tlog-less signature cannot pass
 * (`if !c.IgnoreTlog && !co.NewBundleFormat { … cosign.GetRekorPubs`).
 */
export function cosignTlogVerifyFlags(tlog: TransparencyLog): string[] {
  if (tlog === 'none') return ['--insecure-ignore-tlog=true', '--new-bundle-format=false'];
  if (tlog === 'public') return ['--new-bundle-format=false'];
  // A private Rekor's key: cosign v3.0.2 verify.go loads --trusted-root into co.TrustedMaterial
  // whatever the bundle format (the flag's help says it "Requires --new-bundle-format"; the code
  // does not), and the legacy VerifyBundle checks the SET against TrustedMaterial.RekorLogs();
  // without it GetRekorPubs reads the public TUF repository's Rekor keys.
  return ['--new-bundle-format=false', `--rekor-url=${tlog.url}`, ...(tlog.trustedRoot ? [`--trusted-root=${TRUSTED_ROOT_FILE}`] : [])];
}

/** Where verify containers mount `transparencyLog.trustedRoot`. */
export const TRUSTED_ROOT_DIR = '/etc/kimia/sigstore-trust';
export const TRUSTED_ROOT_FILE = `${TRUSTED_ROOT_DIR}/trusted_root.json`;

/** The spec's transparency-log choice (`none` when it does not sign). */
export function transparencyLog(spec: BuildSpec): TransparencyLog {
  return spec.signing?.transparencyLog ?? 'none';
}

/** Every flag of `cosign sign` for the spec, before the image refs: `--yes`, the tlog choice, the registry flags. */
export function cosignSignFlags(spec: BuildSpec): string[] {
  return ['--yes', ...cosignTlogSignFlags(transparencyLog(spec)), ...insecureRegistryFlags(spec)];
}

/** Every flag of `cosign verify` for the spec, before the image ref: the tlog choice, the registry flags. */
export function cosignVerifyFlags(spec: BuildSpec): string[] {
  return [...cosignTlogVerifyFlags(transparencyLog(spec)), ...insecureRegistryFlags(spec)];
}

/**
 * Env for the builder when kimia's own --sign signs (signing.in: builder). kimia passes only
 * `sign --key K [--allow-insecure-registry] ref` but its whole environment (kimia v1.0.25
 * builder.go signImageWithCosign: `cmd.Env = os.Environ()`), and cosign v3.0.2 sets every flag
 * left unset from `COSIGN_<FLAG>` (cmd/cosign/cli/sign.go `PersistentPreRun: options.BindViper`;
 * options/root.go bindFlags: `if !f.Changed && v.IsSet(f.Name) { cmd.Flags().Set(…) }` under
 * SetEnvPrefix("COSIGN") and AutomaticEnv): these switch it to the same legacy format and tlog
 * choice as {@link cosignTlogSignFlags}. The conformance suite runs the real kimia and checks the
 * env its cosign receives; cosign itself is read, not run (it needs Go 1.24, this machine has 1.19).
 */
export function builderCosignEnv(spec: BuildSpec): Array<{ name: string; value: string }> {
  if (!builderSigns(spec)) return [];
  const tlog = transparencyLog(spec);
  const env = [
    { name: 'COSIGN_NEW_BUNDLE_FORMAT', value: 'false' },
    { name: 'COSIGN_USE_SIGNING_CONFIG', value: 'false' },
    { name: 'COSIGN_TLOG_UPLOAD', value: tlog === 'none' ? 'false' : 'true' },
  ];
  // The legacy path asks before uploading to a tlog (ShouldUploadToTlog) unless --yes.
  if (tlog !== 'none') env.push({ name: 'COSIGN_YES', value: 'true' });
  if (typeof tlog === 'object') env.push({ name: 'COSIGN_REKOR_URL', value: containerText(tlog.url) });
  if (insecureRegistryFlags(spec).length) env.push({ name: 'COSIGN_ALLOW_HTTP_REGISTRY', value: 'true' });
  return env;
}

/** Directory of the cosign password volume in the sign container; the file is always `password`. */
export const COSIGN_PASSWORD_DIR = '/etc/kimia/cosign-password';
export const COSIGN_PASSWORD_FILE = `${COSIGN_PASSWORD_DIR}/password`;
/** Directory shared by the build and the sign container in a Job: kimia's --digest-file. */
export const SIGN_DIGEST_DIR = '/kimia-bundles/digest';
export const SIGN_DIGEST_FILE = `${SIGN_DIGEST_DIR}/digest`;
/** The cosign the sign container runs: the one in the BuildKit kimia image (kimia.md §6). */
export const KIMIA_COSIGN_BIN = '/usr/local/bin/cosign';
/** Separates cosign flags from the destinations in {@link SIGN_SCRIPT}'s args. */
export const SIGN_ARGS_MARKER = '--kimia-bundles-destinations';

/** Secret files read by the sign container (uid 1000, with the pod's fsGroup). */
const SIGN_SECRET_MODE = 0o440;
/** Public files (cosign.pub, trusted_root.json): readable by any uid. */
const PUBLIC_FILE_MODE = 0o444;

/** The cosign private key as a volume of the sign container (signing.key, file cosign.key in {@link COSIGN_DIR}). */
export function cosignKeyVolume(spec: BuildSpec): KimiaVolume | undefined {
  if (!spec.signing) return undefined;
  const k = spec.signing.key;
  return {
    name: 'cosign-key',
    source: secretFile(k.secretName, k.key, 'cosign.key', SIGN_SECRET_MODE),
    mountPath: COSIGN_DIR,
    readOnly: true,
  };
}

/** The cosign password as a file volume of the sign container (never an env var in a container spec). */
export function cosignPasswordVolume(spec: BuildSpec): KimiaVolume | undefined {
  const pw = spec.signing?.password;
  if (!pw) return undefined;
  return {
    name: 'cosign-password',
    source: secretFile(pw.secretName, pw.key, 'password', SIGN_SECRET_MODE),
    mountPath: COSIGN_PASSWORD_DIR,
    readOnly: true,
  };
}

/**
 * What one helper container gets of the spec's Secrets and ConfigMaps: the volumes it mounts
 * (each with one volume name, one file name and one path) and the env that points at those
 * files. Every engine binds this material the same way (volumes of the pod or template, mounts
 * and env of the container) in the single-image sign, the multi-arch index sign and every verify.
 */
export interface ContainerMaterial {
  readonly volumes: readonly KimiaVolume[];
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** Name of the sign container's registry credentials volume (the builder's is a subPath of its HOME, in the same pod). */
export const SIGNER_DOCKER_CONFIG_VOLUME = 'signer-docker-config';

/**
 * The sign container's material (signing.in: isolated, and the multi-arch index sign): the key,
 * the password file, the registry credentials, and a writable HOME/TUF_ROOT for cosign.
 */
export function signerMaterial(spec: BuildSpec): ContainerMaterial {
  const creds = helperDockerConfig(spec);
  const volumes = [cosignKeyVolume(spec), cosignPasswordVolume(spec), creds && { ...creds, name: SIGNER_DOCKER_CONFIG_VOLUME }]
    .filter((v): v is KimiaVolume => v !== undefined);
  const env = [
    { name: 'COSIGN_KEY_FILE', value: COSIGN_KEY_PATH },
    ...(spec.signing?.password ? [{ name: 'COSIGN_PASSWORD_FILE', value: COSIGN_PASSWORD_FILE }] : []),
    // cosign keeps its TUF cache under $HOME/.sigstore: the kimia image's home, writable for uid 1000.
    { name: 'HOME', value: KIMIA_HOME },
    { name: 'TUF_ROOT', value: `${KIMIA_HOME}/.sigstore/root` },
    ...(creds ? [{ name: 'DOCKER_CONFIG', value: creds.mountPath }] : []),
  ];
  return { volumes, env };
}

/** Where verify containers keep cosign's TUF cache: an emptyDir, so their root file system may stay read-only. */
export const VERIFY_TUF_ROOT = '/var/run/kimia-bundles/sigstore';

/** The public key file every verify container reads ({@link verifierMaterial}). */
export const PUBLIC_KEY_FILE = `${COSIGN_PUBLIC_DIR}/cosign.pub`;

/**
 * A verify container's material: the public key (signing.publicKey, else cosign.pub of the key's
 * Secret) as {@link PUBLIC_KEY_FILE}, a private Rekor's trusted root, the registry credentials,
 * and an emptyDir for cosign's TUF cache. Undefined when the build does not sign.
 */
export function verifierMaterial(spec: BuildSpec): ContainerMaterial | undefined {
  const key = publicKeyRef(spec);
  if (!key) return undefined;
  const tlog = transparencyLog(spec);
  const trusted = typeof tlog === 'object' ? tlog.trustedRoot : undefined;
  const creds = helperDockerConfig(spec);
  const volumes: KimiaVolume[] = [
    {
      name: 'cosign-pub',
      source: secretFile(key.secretName, key.key, 'cosign.pub', PUBLIC_FILE_MODE),
      mountPath: COSIGN_PUBLIC_DIR,
      readOnly: true,
    },
    ...(trusted
      ? [{
          name: 'sigstore-trusted-root',
          source: { configMap: { name: trusted.configMapName, items: [{ key: trusted.key, path: 'trusted_root.json' }], defaultMode: PUBLIC_FILE_MODE } },
          mountPath: TRUSTED_ROOT_DIR,
          readOnly: true,
        }]
      : []),
    ...(creds ? [creds] : []),
    { name: 'tuf-cache', source: { emptyDir: {} }, mountPath: VERIFY_TUF_ROOT, readOnly: false },
  ];
  const env = [
    { name: 'TUF_ROOT', value: VERIFY_TUF_ROOT },
    ...(creds ? [{ name: 'DOCKER_CONFIG', value: creds.mountPath }] : []),
  ];
  return { volumes, env };
}

/**
 * The isolated sign step, run by /bin/sh in the kimia image as uid 1000. Static: the cosign flags
 * and the destinations arrive as args (`flags… ${SIGN_ARGS_MARKER} destination…`), files as env:
 * - KIMIA_DIGEST_FILE (kimia's --digest-file) or KIMIA_DIGEST (the digest itself, e.g. an Argo
 *   input): it must be `sha256:` and 64 hex digits, else the step fails;
 * - COSIGN_KEY_FILE, and COSIGN_PASSWORD_FILE when the key has a password (else an empty password);
 * - COSIGN_BIN (default the image's cosign).
 * Each destination's repository (the reference less its tag) is signed once, by digest.
 */
export const SIGN_SCRIPT = `#!/bin/bash
# kimia-bundles sign step: cosign sign every destination repository once, by the pushed digest.
# Arguments: cosign flags, then ${SIGN_ARGS_MARKER}, then the destinations. No user value in here.
set -euo pipefail
fail() { echo "kimia-bundles: $*" >&2; exit 1; }
if [ -n "\${KIMIA_DIGEST_FILE:-}" ]; then
  [ -f "$KIMIA_DIGEST_FILE" ] || fail "no digest file $KIMIA_DIGEST_FILE: the build reported no pushed image to sign"
  digest="$(cat "$KIMIA_DIGEST_FILE")"
else
  digest="\${KIMIA_DIGEST:-}"
fi
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "the build's digest is not sha256:<64 hex digits>: '$digest'"
if [ -z "\${COSIGN_KEY_FILE:-}" ] || [ ! -r "$COSIGN_KEY_FILE" ]; then fail "cannot read the cosign key '\${COSIGN_KEY_FILE:-}'"; fi
if [ -n "\${COSIGN_PASSWORD_FILE:-}" ]; then
  [ -r "$COSIGN_PASSWORD_FILE" ] || fail "cannot read the cosign password file $COSIGN_PASSWORD_FILE"
  # Not export "X=$(cat ...)": export would hide a failing cat.
  COSIGN_PASSWORD="$(cat "$COSIGN_PASSWORD_FILE")"
else
  COSIGN_PASSWORD=''
fi
export COSIGN_PASSWORD
flags=()
while [ $# -gt 0 ] && [ "$1" != ${SIGN_ARGS_MARKER} ]; do flags+=("$1"); shift; done
[ $# -gt 0 ] || fail "no ${SIGN_ARGS_MARKER} in the arguments"
shift
declare -A seen=()
signed=0
for dest in "$@"; do
  [ -n "$dest" ] || continue
  last="\${dest##*/}"
  case "$last" in
    *@*) fail "destination $dest already names a digest" ;;
    *:*) repo="\${dest%:*}" ;;
    *) repo="$dest" ;;
  esac
  [ -z "\${seen[$repo]:-}" ] || continue
  seen[$repo]=1
  echo "kimia-bundles: cosign sign $repo@$digest" >&2
  "\${COSIGN_BIN:-${KIMIA_COSIGN_BIN}}" sign --key "$COSIGN_KEY_FILE" "\${flags[@]}" "$repo@$digest" || fail "cosign sign $repo@$digest failed"
  signed=$((signed + 1))
done
[ "$signed" -gt 0 ] || fail "no destination to sign"
`;

/**
 * Args of {@link SIGN_SCRIPT}: the cosign flags, the marker, the destinations (escaped for the
 * kubelet; engine placeholders kept). `recursive` signs an image index and every manifest in it
 * (cosign sign --recursive), for the multi-arch index.
 */
export function signScriptArgs(
  spec: BuildSpec,
  destinations: readonly string[] = spec.destinations.map(containerText),
  opts: { readonly recursive?: boolean } = {},
): string[] {
  return [...(opts.recursive ? ['--recursive'] : []), ...cosignSignFlags(spec), SIGN_ARGS_MARKER, ...destinations];
}

/** Env of the sign container: where the digest is (a file kimia wrote, or the value itself), then {@link signerMaterial}'s env. */
export function signEnv(spec: BuildSpec, digest: { readonly file: string } | { readonly value: string }): Array<{ name: string; value: string }> {
  return [
    'file' in digest ? { name: 'KIMIA_DIGEST_FILE', value: digest.file } : { name: 'KIMIA_DIGEST', value: digest.value },
    ...signerMaterial(spec).env,
  ];
}

/** Name of the sign container / step / template in every engine. */
export const SIGN_CONTAINER = 'sign';

/** `command` of a sign container that runs {@link SIGN_SCRIPT} directly (Job, Argo): bash -c, escaped for the kubelet. */
export function signCommand(): string[] {
  return ['/bin/bash', '-c', escapeKubeletExpansion(SIGN_SCRIPT), 'kimia-bundles-sign'];
}
