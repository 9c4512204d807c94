/**
 * Spec -> pod pieces (security context, env, volumes, mounts, resources), as plain
 * Kubernetes JSON. Engines place these pieces; they never re-derive them.
 */
import * as path from 'node:path';
import type { BuildSpec, Resources } from './types';
import {
  COSIGN_DIR, DEFAULT_RESOURCES, DOCKER_CONFIG_PATH,
  KIMIA_GID, KIMIA_UID, REGISTRY_CERTS_DIR,
} from './defaults';
import { DEFAULT_BUILDER_IMAGES } from './images';
import { containerText } from './kubelet';
import { builderCosignEnv, builderSigns } from './sigstore';
import { secretFile } from './secret-file';

/** An env var: a literal (possibly templated) value or a Secret key reference. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** Where a volume's data comes from (the Kubernetes `Volume` source fields). */
export type VolumeSource =
  | {
      readonly secret: {
        readonly secretName: string;
        readonly items: ReadonlyArray<{ readonly key: string; readonly path: string }>;
        readonly defaultMode: number;
      };
    }
  | {
      readonly configMap: {
        readonly name: string;
        readonly items: ReadonlyArray<{ readonly key: string; readonly path: string }>;
        readonly defaultMode: number;
      };
    }
  | { readonly emptyDir: Record<string, never> }
  | { readonly persistentVolumeClaim: { readonly claimName: string } };

/** A volume the builder needs, with the one place it is mounted. */
export interface KimiaVolume {
  readonly name: string;
  /**
   * What an engine may bind its own way: the build context ('source': a Tekton workspace, an Argo
   * git artifact), the archive directory ('archive': a Tekton workspace, an Argo output artifact),
   * and the registry credentials ('registry-credentials': without it a Tekton Task offers an
   * optional dockerconfig workspace instead).
   */
  readonly role?: 'source' | 'archive' | 'registry-credentials';
  readonly source: VolumeSource;
  readonly mountPath: string;
  readonly readOnly: boolean;
  readonly subPath?: string;
}

/** Secret files are owner-read-only. With fsGroup 1000 the kubelet adds group read (0440), so UID/GID 1000 can read them. */
export const SECRET_FILE_MODE = 0o400;

/** The builder image: the spec's, else the pinned default for the variant. */
export function builderImage(spec: BuildSpec): string {
  return spec.builderImage ?? DEFAULT_BUILDER_IMAGES[spec.variant];
}

/** Pod-level security context kimia needs (docs/security.md: "ALL settings required"). */
export function podSecurityContext() {
  return { runAsNonRoot: true, runAsUser: KIMIA_UID, runAsGroup: KIMIA_GID, fsGroup: KIMIA_GID };
}

/** Linux capabilities for the builder: SETUID/SETGID for newuidmap; Buildah overlay also needs MKNOD and DAC_OVERRIDE. */
export function builderCapabilities(spec: BuildSpec): string[] {
  const add = ['SETUID', 'SETGID'];
  // storageDriver is kimia-bud's only (rules.ts refuses the Buildah-only flags for kimia).
  if (spec.storageDriver === 'overlay') add.push('DAC_OVERRIDE', 'MKNOD');
  return add;
}

/**
 * Container security context for the builder (kimia.md §6).
 * - allowPrivilegeEscalation: true — newuidmap/newgidmap are setuid binaries (rootless user namespaces).
 * - seccomp and AppArmor Unconfined — rootlesskit/Buildah need mount and unshare syscalls.
 * - readOnlyRootFilesystem: false — kimia writes under $HOME, /tmp and /run/user/1000.
 * These fail the Restricted and Baseline Pod Security levels; the namespace must allow Privileged.
 */
export function containerSecurityContext(spec: BuildSpec) {
  return {
    runAsNonRoot: true,
    runAsUser: KIMIA_UID,
    runAsGroup: KIMIA_GID,
    privileged: false,
    allowPrivilegeEscalation: true,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['ALL'], add: builderCapabilities(spec) },
    seccompProfile: { type: 'Unconfined' },
    appArmorProfile: { type: 'Unconfined' },
  };
}

/** Security context for helper containers (git, cosign): non-root, no privilege escalation, no capabilities. */
export function helperSecurityContext() {
  return { runAsNonRoot: true, runAsUser: KIMIA_UID, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}

/** The Pod Security Standard level a namespace must allow for the builder pod. */
export const POD_SECURITY_LEVEL = 'privileged';

/** How SOURCE_DATE_EPOCH is provided: not at all, as a (templated) value, or from the last git commit. */
export type EpochSource = { readonly kind: 'none' } | { readonly kind: 'value'; readonly value: string } | { readonly kind: 'git' };

export function sourceDateEpoch(spec: BuildSpec): EpochSource {
  const e = spec.reproducible?.enabled ? spec.reproducible.sourceDateEpoch : undefined;
  if (e === undefined) return { kind: 'none' };
  return typeof e === 'string' ? { kind: 'value', value: e } : { kind: 'git' };
}

/** Env vars for the builder: the cosign password by Secret reference and SOURCE_DATE_EPOCH (values escaped for the kubelet, see kubelet.ts). */
export function kimiaEnv(spec: BuildSpec): EnvVar[] {
  const env: EnvVar[] = [];
  // Only kimia's own --sign (signing.in: builder) gives the builder the password and the cosign env.
  const pw = spec.signing?.password;
  if (spec.signing && pw && builderSigns(spec)) {
    env.push({ name: spec.signing.passwordEnv, valueFrom: { secretKeyRef: { name: pw.secretName, key: pw.key } } });
  }
  env.push(...builderCosignEnv(spec));
  const epoch = sourceDateEpoch(spec);
  if (epoch.kind === 'value') env.push({ name: 'SOURCE_DATE_EPOCH', value: containerText(epoch.value) });
  return env;
}


/** Volumes and mounts the builder needs, in a fixed order. */
export function kimiaVolumes(spec: BuildSpec): KimiaVolume[] {
  const vols: KimiaVolume[] = [];
  const creds = spec.registry?.credentialsSecret;
  if (creds) {
    // Only config.json is replaced (subPath), so ~/.docker stays writable for kimia.
    vols.push({
      name: 'docker-config',
      role: 'registry-credentials',
      source: secretFile(creds, '.dockerconfigjson', 'config.json', SECRET_FILE_MODE),
      mountPath: DOCKER_CONFIG_PATH,
      subPath: 'config.json',
      readOnly: true,
    });
  }
  if (spec.signing && builderSigns(spec)) {
    // signing.in: builder only. Only the key is projected: the password never becomes a file.
    vols.push({ name: 'cosign-key', source: secretFile(spec.signing.key.secretName, spec.signing.key.key, 'cosign.key', SECRET_FILE_MODE), mountPath: COSIGN_DIR, readOnly: true });
  }
  if (spec.registry?.certificatesSecret) {
    vols.push({
      name: 'registry-certs',
      source: { secret: { secretName: spec.registry.certificatesSecret, items: [], defaultMode: 0o444 } },
      mountPath: REGISTRY_CERTS_DIR,
      readOnly: true,
    });
  }
  if ('local' in spec.context && spec.context.local.claimName) {
    vols.push({
      name: 'source',
      role: 'source',
      source: { persistentVolumeClaim: { claimName: spec.context.local.claimName } },
      mountPath: spec.context.local.path,
      readOnly: false,
    });
  }
  const archive = archiveDir(spec);
  if (archive) {
    // kimia writes the archive but never creates its directory (builder.go: buildctl's docker
    // exporter / buildah push docker-archive:), and the container's own file system dies with it.
    const claimName = spec.tarClaimName;
    vols.push({ name: 'image-archive', role: 'archive', source: claimName ? { persistentVolumeClaim: { claimName } } : { emptyDir: {} }, mountPath: archive, readOnly: false });
  }
  if (spec.variant === 'kimia-bud') {
    // Buildah storage on an emptyDir, not the container's overlay root (kimia docs/examples; overlay needs ~/.local).
    const mountPath = spec.storageDriver === 'overlay' ? '/home/kimia/.local' : '/home/kimia/.local/share/containers';
    vols.push({ name: 'buildah-storage', source: { emptyDir: {} }, mountPath, readOnly: false });
  }
  return vols;
}

/** The directory of `tarPath` (a volume of its own), if the spec writes an archive. */
export function archiveDir(spec: BuildSpec): string | undefined {
  return spec.tarPath === undefined ? undefined : path.posix.dirname(path.posix.normalize(spec.tarPath));
}

/**
 * Why a Job cannot build the spec's local context, if it cannot. A Job has no step that fetches
 * the source: its context is the claim {@link kimiaVolumes} mounts at the path, or nothing, and
 * kimia exits with "context path does not exist" (context.go). The Tekton source workspace and the
 * Argo git artifact are mounted there instead.
 */
export function jobContextProblem(spec: BuildSpec): string | undefined {
  if (!('local' in spec.context) || spec.context.local.claimName) return undefined;
  return `a Job mounts nothing at ${spec.context.local.path} without a claim, so kimia fails with "context path does not exist": name the PersistentVolumeClaim that holds the source, or render the build as tekton or argo only (outputs), whose source workspace or git artifact is mounted there`;
}

/** Kubernetes `volumes` entries for {@link kimiaVolumes}. */
export function podVolumes(vols: readonly KimiaVolume[]) {
  return vols.map((v) => {
    const src = v.source;
    if ('secret' in src && src.secret.items.length === 0) {
      return { name: v.name, secret: { secretName: src.secret.secretName, defaultMode: src.secret.defaultMode } };
    }
    return { name: v.name, ...src };
  });
}

/** Kubernetes `volumeMounts` entries for {@link kimiaVolumes}. */
export function volumeMounts(vols: readonly KimiaVolume[]) {
  return vols.map((v) => ({
    name: v.name,
    mountPath: v.mountPath,
    ...(v.readOnly ? { readOnly: true } : {}),
    ...(v.subPath ? { subPath: v.subPath } : {}),
  }));
}

/** Builder resources: the spec's, else {@link DEFAULT_RESOURCES}. */
export function kimiaResources(spec: BuildSpec): Resources {
  return spec.resources ?? DEFAULT_RESOURCES;
}

/** True when the build pushes to a registry (not `push: false`, not a tar archive). */
export function pushesImage(spec: BuildSpec): boolean {
  return spec.push && spec.tarPath === undefined;
}

/**
 * Why the engines publish no digest for this build (a sentence start, for the generated READMEs) (Tekton IMAGE_DIGEST/IMAGE_URL results, which
 * Chains signs and attests, and Argo outputs), or undefined when they publish one:
 * - an image that is not pushed: kimia writes digest files for `--no-push` and `--tar-path` builds
 *   too (kimia.md §4), naming an image no registry holds;
 * - kimia-bud: its digest files hold the config digest buildah prints on push (kimia.md §4,
 *   push.go "Copying config"), not the manifest digest `repository@digest` resolves to.
 */
export function unpublishedDigestReason(spec: BuildSpec): string | undefined {
  if (!pushesImage(spec)) return 'This build pushes no image (push: false or tarPath), though kimia would still write a digest for it';
  if (spec.variant !== 'kimia') return "kimia-bud (Buildah) reports the image's config digest, not its manifest digest";
  return undefined;
}

/** True when the engines publish the build's digest (see {@link unpublishedDigestReason}). */
export function publishesDigest(spec: BuildSpec): boolean {
  return unpublishedDigestReason(spec) === undefined;
}

/** Resource quantities in an engine's own quantity type (e.g. the int-or-string classes of CRD imports). */
export function resourceQuantities<T>(list: Readonly<Record<string, string | undefined>>, make: (v: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(list).filter(([, v]) => v !== undefined).map(([k, v]) => [k, make(v!)]));
}
