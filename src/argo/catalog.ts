/**
 * Argo catalog metadata (argo.md §0.7, §5): workflows.argoproj.io annotations and the version label.
 */
import { DEFAULT_COSIGN_IMAGE, DEFAULT_CRANE_IMAGE, type BuildSpec } from '../spec';

/** Argo options of a spec: the parsed spec's (schema defaults applied), with the tool images the table pins. */
export function argoOptions(spec: BuildSpec) {
  return {
    ...spec.argo,
    cosignImage: spec.argo.cosignImage ?? DEFAULT_COSIGN_IMAGE,
    craneImage: spec.argo.craneImage ?? DEFAULT_CRANE_IMAGE,
  };
}

/** The one-sentence description, ending with "." as the Argo catalog requires. */
export function argoDescription(spec: BuildSpec): string {
  const builder = spec.variant === 'kimia' ? 'rootless BuildKit' : 'rootless Buildah';
  const d = spec.description ?? `Build a container image with kimia (${builder})`;
  return d.trimEnd().endsWith(".") ? d.trimEnd() : `${d.trimEnd()}.`;
}

/** metadata for the (Cluster)WorkflowTemplate. */
export function argoMetadata(spec: BuildSpec) {
  const o = argoOptions(spec);
  return {
    name: spec.name,
    labels: { 'app.kubernetes.io/version': spec.version, 'app.kubernetes.io/managed-by': 'kimia-bundles' },
    annotations: {
      'workflows.argoproj.io/title': `kimia ${spec.name}`,
      'workflows.argoproj.io/description': argoDescription(spec),
      'workflows.argoproj.io/version': o.minArgoVersion,
      'workflows.argoproj.io/maintainer': o.maintainer,
      'workflows.argoproj.io/tags': ['image-build', 'kimia', spec.variant === 'kimia' ? 'buildkit' : 'buildah', 'rootless'].join(','),
    },
  };
}

/** Bundle key of the template: `argo/<kind>/<name>`. */
export function argoBundle(spec: BuildSpec): string {
  return `argo/${argoOptions(spec).clusterScope ? 'clusterworkflowtemplate' : 'workflowtemplate'}/${spec.name}`;
}

/** Bundle directory of the template: `argo/<kind>/<name>/<version>`. */
export function argoDir(spec: BuildSpec): string {
  return `${argoBundle(spec)}/${spec.version}`;
}
