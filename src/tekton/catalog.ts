/**
 * Tekton catalog and Artifact Hub metadata (tekton.md §3): labels, annotations, description.
 */
import { DEFAULT_COSIGN_IMAGE, DEFAULT_CRANE_IMAGE, type BuildSpec } from '../spec';
/** The platforms the kimia images are published for (kimia.md §9). */
export const KIMIA_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** Tekton options of a spec: the parsed spec's (schema defaults applied), with the tool images the table pins. */
export function tektonOptions(spec: BuildSpec) {
  return {
    ...spec.tekton,
    cosignImage: spec.tekton.cosignImage ?? DEFAULT_COSIGN_IMAGE,
    craneImage: spec.tekton.craneImage ?? DEFAULT_CRANE_IMAGE,
  };
}

/** The one-line summary of a build. */
export function summary(spec: BuildSpec): string {
  const builder = spec.variant === 'kimia' ? 'rootless BuildKit' : 'rootless Buildah';
  return spec.description ?? `Build ${spec.destinations.length === 1 ? 'a container image' : 'container images'} with kimia (${builder}).`;
}

/** metadata and spec.description for a catalog Task or Pipeline. */
export function catalogMetadata(spec: BuildSpec, kind: 'task' | 'pipeline') {
  const o = tektonOptions(spec);
  const what = kind === 'task' ? 'Runs' : 'Clones the source and runs';
  const details = [
    `${what} the kimia image builder (${spec.variant === 'kimia' ? 'BuildKit' : 'Buildah'}) without privileges: user namespaces as UID 1000.`,
    spec.attestation ? `Attestations: ${spec.attestation.mode ?? spec.attestation.attest!.map((a) => a.type).join(', ')}.` : undefined,
    spec.signing ? 'Signs the pushed image with cosign.' : undefined,
    spec.reproducible?.enabled ? 'Reproducible: SOURCE_DATE_EPOCH timestamps.' : undefined,
  ].filter((x): x is string => x !== undefined);
  return {
    metadata: {
      name: spec.name,
      labels: { 'app.kubernetes.io/version': spec.version },
      annotations: {
        'tekton.dev/pipelines.minVersion': o.minPipelinesVersion,
        'tekton.dev/categories': 'Image Build',
        'tekton.dev/tags': ['image-build', 'kimia', spec.variant === 'kimia' ? 'buildkit' : 'buildah', 'rootless'].join(', '),
        'tekton.dev/displayName': `kimia ${spec.name}`,
        'tekton.dev/platforms': KIMIA_PLATFORMS.join(','),
      },
    },
    description: `${summary(spec)}\n\n${details.join(' ')}`,
  };
}
