/**
 * Tekton catalog / Artifact Hub rules (tekton.md §3, catlin), which depend on where a
 * Task or Pipeline sits: `tekton/<task|pipeline>/<name>/<version>/<name>.yaml`.
 */
import type { DocumentIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** tektoncd/hub config.yaml categories. */
export const HUB_CATEGORIES = [
  'Automation', 'Build Tools', 'CLI', 'Cloud', 'Code Quality', 'Continuous Integration', 'Deployment',
  'Developer Tools', 'Image Build', 'Integration & Delivery', 'Git', 'Kubernetes', 'Messaging', 'Monitoring',
  'Networking', 'Openshift', 'Publishing', 'Security', 'Storage', 'Testing',
];
/** `[…/]task|pipeline/<name>/<version>/<name>.yaml`: dist/tekton/… or a catalog repository's own root. */
const LAYOUT = /(?:^|\/)(task|pipeline)\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9]+$/;
const SEMVER_ISH = /^[0-9]+\.[0-9]+(\.[0-9]+)?$/;

/**
 * An image reference that moves: untagged or `:latest` in any case (tektoncd/catlin
 * pkg/validator/task_validator.go validateStep: `strings.EqualFold(ref.Identifier(), "latest")`;
 * images using `$(...)` are skipped and a `@sha256` digest pins, as there).
 */
export function isMutableImage(image: string): boolean {
  if (image.includes('$(') || image.includes('@sha256:')) return false;
  const last = image.slice(image.lastIndexOf('/') + 1);
  return !last.includes(':') || last.toLowerCase().endsWith(':latest');
}

/**
 * The layout rules both catalogs share: `metadata.name` equals the directory and file name, the
 * kind matches its directory, `app.kubernetes.io/version` equals the version directory.
 */
export function checkCatalogLayout(doc: Obj, kindDir: string, dirName: string, version: string, fileName: string, add: (path: string, message: string) => void): void {
  if (doc.kind.toLowerCase() !== kindDir) add('kind', `a ${doc.kind} does not belong under ${kindDir}/`);
  const name = doc.metadata?.name;
  if (name !== dirName || name !== fileName) {
    add('metadata.name', `"${name}" must equal the directory and file name ${dirName === fileName ? `"${dirName}"` : `(the directory is "${dirName}", the file "${fileName}.yaml")`}`);
  }
  const label = doc.metadata?.labels?.['app.kubernetes.io/version'];
  if (label === undefined) add('metadata.labels["app.kubernetes.io/version"]', 'is required by the catalog and Artifact Hub');
  else if (label !== version) add('metadata.labels["app.kubernetes.io/version"]', `"${label}" must equal the version directory "${version}"`);
  if (!SEMVER_ISH.test(version)) add('metadata.labels["app.kubernetes.io/version"]', `version "${version}" must parse as a version (0.1 or 1.2.3)`);
}

/** Catalog rules for a Task/Pipeline document found at `file` (bundle-relative). */
export function checkCatalogRules(doc: Obj, file: string): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const m = LAYOUT.exec(file);
  if (!m || doc?.apiVersion !== 'tekton.dev/v1' || (doc.kind !== 'Task' && doc.kind !== 'Pipeline')) return issues;
  const [, kindDir, dirName, version, fileName] = m;
  const add = (path: string, message: string) => issues.push({ path, message });
  checkCatalogLayout(doc, kindDir, dirName, version, fileName, add);
  const ann = doc.metadata?.annotations ?? {};
  const minVersion = ann['tekton.dev/pipelines.minVersion'];
  if (!minVersion) add('metadata.annotations["tekton.dev/pipelines.minVersion"]', 'is required by the catalog');
  else if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(minVersion)) add('metadata.annotations["tekton.dev/pipelines.minVersion"]', `"${minVersion}" must be a version like 0.50.0`);
  const categories = ann['tekton.dev/categories'];
  if (!categories) add('metadata.annotations["tekton.dev/categories"]', 'is required by catlin');
  else {
    for (const c of String(categories).split(',').map((x) => x.trim())) {
      if (!HUB_CATEGORIES.includes(c)) add('metadata.annotations["tekton.dev/categories"]', `"${c}" is not a Tekton Hub category`);
    }
  }
  for (const key of ['tekton.dev/tags', 'tekton.dev/displayName', 'tekton.dev/platforms']) {
    if (!ann[key]) add(`metadata.annotations["${key}"]`, 'is expected by the catalog (catlin recommends it)');
  }
  // Separated by commas and spaces, as catlin reads it (content_validator.go: strings.FieldsFunc on ' ' and ',').
  for (const p of String(ann['tekton.dev/platforms'] ?? '').split(/[ ,]/).filter(Boolean)) {
    if (!PLATFORM.test(p)) add('metadata.annotations["tekton.dev/platforms"]', `"${p}" must be os/arch`);
  }
  if (typeof doc.spec?.description !== 'string' || !doc.spec.description.trim()) add('spec.description', 'is required by the catalog and Artifact Hub');
  const images: Array<[string, string]> = [];
  const collect = (spec: Obj, at: string) => {
    // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder string has no .image, so it adds no image
    const steps: Obj[] = spec?.steps ?? [];
    // Each image at its own step's index (a step without an image, e.g. a StepAction ref, keeps its place).
    steps.forEach((s, i) => { if (typeof s.image === 'string') images.push([`${at}.steps[${i}].image`, s.image]); });
    const stepImages = steps.map((s) => s.image);
    // A param default counts as an image only when a step's image is that param.
    // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder string has no string .default, so it adds no image
    (spec?.params ?? []).forEach((p: Obj, i: number) => {
      if (typeof p.default === 'string' && p.default && stepImages.includes(`$(params.${p.name})`)) images.push([`${at}.params[${i}].default`, p.default]);
    });
  };
  collect(doc.spec, 'spec');
  // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder string has no .taskSpec, so nothing is collected
  (doc.spec?.tasks ?? []).forEach((t: Obj, i: number) => t.taskSpec && collect(t.taskSpec, `spec.tasks[${i}].taskSpec`));
  for (const [path, image] of images) {
    if (isMutableImage(image)) add(path, `image "${image}" must be pinned: the catalog refuses :latest and untagged images`);
    // Everything after the last "@", line breaks included (as validate/kimia.ts reads a kimia image's digest).
    const digest = /@([^@]*)$/.exec(image)?.[1];
    if (digest !== undefined && !image.includes('$(') && !/^sha256:[a-f0-9]{64}$/.test(digest)) add(path, `image "${image}" has an invalid digest`);
  }
  return issues;
}
