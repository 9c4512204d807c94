/**
 * The validation gate as a cdk8s validation plugin, so `cdk8s synth` fails on a bad manifest.
 *
 * cdk8s.yaml of a project that installed kimia-bundles (README "Installing into an existing cdk8s repo"):
 *   validations:
 *     - package: ./node_modules/kimia-bundles
 *       class: KimiaBundlesValidation
 *       version: 0.1.0
 * (this repository: `package: ./cdk8s-validation.js`, which loads src/ through tsx).
 *
 * How cdk8s-cli 2.207.60 loads and feeds a plugin (node_modules/cdk8s-cli/lib/…):
 * - plugins/_manager.js:70-79: a `package` that is absolute or starts with `./` is `require`d from
 *   that path (`path.resolve(process.cwd(), pkg)`); anything else is looked up in the plugins
 *   directory (~/.cdk8s/plugins/<pkg>/<version>/node_modules/<pkg>, :117-119) and, when missing
 *   there, `npm install <pkg>@<version> --prefix …` runs (:86-92, :95-110): `package: kimia-bundles`
 *   downloads a second copy even though the project has one. A local path never installs (:86-88).
 *   `require` of an absolute directory reads its package.json `main`; the `exports` map only
 *   governs bare specifiers, so it does not get in the way.
 * - plugins/_manager.js:59-63: `version` must be exact (not a range), also for a local path, where
 *   it only labels the report ("Validation Report (<path>@<version>)", validation.js:198).
 * - cli/cmds/synth.js:111 + util.js:102: with validations configured, the app runs with
 *   CDK8S_RECORD_CONSTRUCT_METADATA=true, so cdk8s's App writes `construct-metadata.json`
 *   (cdk8s lib/app.js:211-213, 232-240): `{resources: {[apiObject.name]: {path}}}`, keyed by
 *   metadata.name alone; two objects with one name keep the path of the last one written.
 * - plugins/validation.js:223-236 loads that file into `context.metadata`; validation.js:112-121
 *   sets each violating resource's "Construct Path" to `metadata[resource.resourceName]?.path`
 *   (overriding anything the plugin passes), and prints "N/A" without one (:174).
 *
 * So a finding names its resource by metadata.name when the path cdk8s recorded for that name is
 * this resource's, and as `Kind/name` otherwise (no construct path, rather than another object's).
 * Which resource a recorded path belongs to: cdk8s-plus pod templates carry
 * `cdk8s.io/metadata.addr` (cdk8s-plus-28 lib/workload.js:23,37, lib/pod.js:249), the workload's
 * path components with the first 8 characters of its construct addr (cdk8s lib/names.js toLabelValue,
 * calcHash :181-188; constructs lib/private/node-addr.js:59-71), so the path can be recovered and
 * checked; otherwise the last object of that name in the one manifest holding them (manifests keep
 * construct order, app.js:175-177 and 298-304, the same order metadata is written in).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { validateDocuments, type BundleIssue } from './validate';

/** A resource a violation is about (cdk8s-cli ValidationViolatingResource). */
export interface Cdk8sViolatingResource {
  /** metadata.name when cdk8s-cli is to show its construct path, else `Kind/name`. */
  resourceName: string;
  manifestPath: string;
  locations: string[];
}

/** The part of cdk8s-cli's ValidationContext the plugin uses. */
export interface Cdk8sValidationContext {
  readonly manifests: readonly string[];
  /** Construct metadata by metadata.name (construct-metadata.json); cdk8s-cli always passes it. */
  readonly metadata?: { readonly [name: string]: { readonly path: string } | undefined };
  parseManifest(manifestPath: string): unknown[];
  readonly report: {
    addViolation(v: { ruleName: string; recommendation: string; fix: string; violatingResources: Cdk8sViolatingResource[] }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One synthesized document with a kind and a metadata.name. */
interface Resource {
  readonly manifest: string;
  /** 0-based position in its manifest. */
  readonly index: number;
  readonly doc: Obj;
  readonly kind: string;
  readonly name: string;
  /** The construct path of its ApiObject, when known (see resolveConstructPaths). */
  constructPath?: string;
  /** Whether cdk8s-cli's lookup by metadata.name yields this resource's own path. */
  ownsRecordedPath?: boolean;
}

const ADDR_LABEL = 'cdk8s.io/metadata.addr';

/**
 * constructs' `node.addr` of a path (constructs lib/private/node-addr.js:59-71), taken over the ids
 * of every scope including the root's `''` (lib/construct.js:115), which `node.path` leaves out.
 */
function addressOf(components: readonly string[]): string {
  const hash = createHash('sha1');
  for (const c of ['', ...components]) {
    if (c === 'Default') continue;
    hash.update(c);
    hash.update('\n');
  }
  return `c8${hash.digest('hex')}`;
}

/**
 * The construct path a `cdk8s.io/metadata.addr` label value encodes (`builds-a-Job-c8a24f0b` →
 * `builds/a/Job`): the components joined by `-`, then the addr's first 8 characters. Tries each
 * way of splitting the text at its dashes and keeps the one whose addr matches; undefined when
 * none does (a trimmed long path, normalized characters, a `Default` child, CDK8S_LEGACY_HASH).
 */
export function constructPathFromAddrLabel(value: string): string | undefined {
  const m = /^(.+)-(c8[0-9a-f]{6})$/.exec(value);
  if (!m) return undefined;
  const tokens = m[1].split('-');
  if (tokens.some((t) => t === '') || tokens.length > 12) return undefined; // at most 2^11 splits
  for (let mask = 0; mask < 1 << (tokens.length - 1); mask++) {
    const components = [tokens[0]];
    for (let i = 1; i < tokens.length; i++) {
      if (mask & (1 << (i - 1))) components[components.length - 1] += `-${tokens[i]}`;
      else components.push(tokens[i]);
    }
    if (addressOf(components).startsWith(m[2])) return components.join('/');
  }
  return undefined;
}

/** The pod-template (or Pod) addr label cdk8s-plus sets, if any. */
function addrLabel(doc: Obj): string | undefined {
  const labels = [
    doc.kind === 'Pod' ? doc.metadata?.labels : undefined,
    doc.spec?.template?.metadata?.labels,
    doc.spec?.jobTemplate?.spec?.template?.metadata?.labels,
  ];
  for (const l of labels) if (l && typeof l === 'object' && typeof l[ADDR_LABEL] === 'string') return l[ADDR_LABEL];
  return undefined;
}

/** The chart a manifest was written for: cdk8s names it `[NNNN-]<chart>.k8s.yaml` (app.js:305-321). */
function manifestChart(manifest: string): string {
  return path.basename(manifest).replace(/^\d{4}-/, '').replace(/(\.k8s)?\.ya?ml$/, '');
}

/** Fills `constructPath` and `ownsRecordedPath` from the cdk8s metadata and the addr labels. */
function resolveConstructPaths(resources: readonly Resource[], metadata: NonNullable<Cdk8sValidationContext['metadata']>): void {
  for (const r of resources) {
    const label = addrLabel(r.doc);
    const workload = label === undefined ? undefined : constructPathFromAddrLabel(label);
    // cdk8s-plus makes the ApiObject of every workload its child `Resource` (e.g. cdk8s-plus-28 lib/job.js:25).
    if (workload !== undefined) r.constructPath = `${workload}/Resource`;
  }
  const byName = new Map<string, Resource[]>();
  for (const r of resources) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const [name, named] of byName) {
    const recorded = Object.prototype.hasOwnProperty.call(metadata, name) ? metadata[name]?.path : undefined;
    if (typeof recorded !== 'string') continue;
    let owner = named.find((r) => r.constructPath === recorded);
    if (!owner) {
      // Resources whose own path is known and differs cannot be the one recorded.
      const candidates = named.filter((r) => r.constructPath === undefined);
      const manifests = [...new Set(candidates.map((r) => r.manifest))];
      const chart = recorded.split('/')[0];
      const inChart = manifests.length === 1 ? manifests : manifests.filter((m) => manifestChart(m) === chart);
      // The last one written: metadata is filled in the order the manifest lists the objects.
      if (inChart.length === 1) owner = candidates.filter((r) => r.manifest === inChart[0]).pop();
    }
    if (owner) {
      owner.constructPath = recorded;
      owner.ownsRecordedPath = true;
    }
  }
}

const objectName = (r: Resource) => `${r.kind}/${r.name}`;
const where = (r: Resource) => `document ${r.index + 1} of ${path.basename(r.manifest)}`;

/** The violating resource entry: cdk8s-cli shows the construct path only for an owner (see top). */
function violating(r: Resource, locations: string[]): Cdk8sViolatingResource {
  return { resourceName: r.ownsRecordedPath ? r.name : objectName(r), manifestPath: path.resolve(r.manifest), locations };
}

/** The API group of an apiVersion (`batch/v1` → `batch`, `v1` → the core group ''). */
const apiGroup = (apiVersion: unknown) => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** Groups of two or more resources with one API group, kind, namespace (absent = default) and name. */
export function duplicateGroups<R extends { doc: Obj; kind: string; name: string }>(resources: readonly R[]): R[][] {
  const groups = new Map<string, R[]>();
  for (const r of resources) {
    const ns = typeof r.doc.metadata?.namespace === 'string' && r.doc.metadata.namespace !== '' ? r.doc.metadata.namespace : 'default';
    const key = JSON.stringify([apiGroup(r.doc.apiVersion), r.kind, ns, r.name]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** cdk8s validation plugin running every kimia-bundles check on the synthesized manifests. */
export class KimiaBundlesValidation {
  constructor(_properties: Record<string, unknown> = {}) {}

  async validate(context: Cdk8sValidationContext): Promise<void> {
    const metadata = context.metadata ?? {};
    const resources: Resource[] = [];
    const issues: Array<{ issue: BundleIssue; resource?: Resource }> = [];
    for (const manifest of context.manifests) {
      const docs = context.parseManifest(manifest);
      docs.forEach((doc, index) => {
        if (!doc || typeof doc !== 'object') return;
        const d = doc as Obj;
        const resource = typeof d.kind === 'string' && typeof d.metadata?.name === 'string' && d.metadata.name !== ''
          ? { manifest, index, doc: d, kind: d.kind, name: d.metadata.name as string } : undefined;
        if (resource) resources.push(resource);
        // validateDocuments checks each document on its own, so one at a time keeps the pairing.
        for (const issue of validateDocuments(manifest, [d])) issues.push({ issue, resource });
      });
    }
    resolveConstructPaths(resources, metadata);

    // One violation per rule message, listing every resource and field it applies to.
    const byMessage = new Map<string, Array<{ issue: BundleIssue; resource?: Resource }>>();
    for (const i of issues) byMessage.set(i.issue.message, [...(byMessage.get(i.issue.message) ?? []), i]);
    for (const [message, list] of byMessage) {
      context.report.addViolation({
        ruleName: message,
        recommendation: 'kimia-bundles validation (CRD schema, Tekton/Argo rules, catalog metadata, kimia argv)',
        fix: 'Fix the field named in Locations; run `kimia-bundles validate` for the full report',
        violatingResources: list.map(({ issue, resource }) => {
          const field = issue.path || '(document)';
          if (!resource) return { resourceName: issue.document, manifestPath: path.resolve(issue.file), locations: [field] };
          // The kind is not in a bare-name resourceName; a path cdk8s-cli cannot show goes in the location.
          const location = resource.ownsRecordedPath ? `${objectName(resource)}: ${field}`
            : resource.constructPath ? `${field} (construct ${resource.constructPath})` : field;
          return violating(resource, [location]);
        }),
      });
    }

    const duplicates = duplicateGroups(resources);
    for (const group of duplicates) {
      const first = group[0];
      const ns = first.doc.metadata?.namespace || 'default';
      context.report.addViolation({
        ruleName: `duplicate object: ${group.length} definitions of ${objectName(first)} in namespace ${ns}`
          + ` (API group ${apiGroup(first.doc.apiVersion) || 'core'}): the cluster holds one object per API group, kind, namespace and name, so applying the app keeps only the last`,
        recommendation: 'Give each object its own name or namespace (kimia-bundles constructs name their objects after the build: spec.name, or job.name)',
        fix: 'Rename or remove all but one of the definitions listed in Locations',
        violatingResources: group.map((r) => violating(r, [
          `${objectName(r)} (${r.doc.apiVersion}), ${where(r)}, construct path ${r.constructPath ?? 'unknown (cdk8s records one per name)'}`,
        ])),
      });
    }

    const findings = issues.length + duplicates.length;
    context.report.submit(findings ? 'failure' : 'success', { findings: String(issues.length), duplicates: String(duplicates.length) });
  }
}
