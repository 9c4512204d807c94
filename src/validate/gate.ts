/**
 * One validation gate for every emitted document: the CRD schema (structure), the
 * Tekton webhook and catalog rules, Argo's validation and catalog rules, and kimia's rules (pinned
 * image, security context, argv) for every kimia container.
 * Errors name the file, the document and the field.
 */
import { validateStructure } from './structure';
import { checkTektonRules } from './tekton';
import { checkCatalogRules } from './catalog';
import { checkArgoCatalogRules, checkArgoRules } from './argo';
import { checkKimiaContainers } from './kimia';
import type { BundleIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `Kind/name` of a document, for messages. */
export function documentName(doc: Obj, index: number): string {
  return `${doc?.kind ?? 'document'}/${doc?.metadata?.name ?? doc?.metadata?.generateName ?? `#${index + 1}`}`;
}

/**
 * A PipelineRun's inline `pipelineSpec` against the Pipeline schema, its issues at
 * `spec.pipelineSpec…`: no PipelineRun schema is compiled, and the Tekton rules read the embedded
 * spec as a Pipeline's (the webhook decodes it into the same PipelineSpec type).
 */
function embeddedStructure(doc: Obj): ReturnType<typeof validateStructure> {
  if (doc?.apiVersion !== 'tekton.dev/v1' || doc.kind !== 'PipelineRun' || doc.spec?.pipelineSpec === undefined) return [];
  const asPipeline = { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'inline' }, spec: doc.spec.pipelineSpec };
  return validateStructure(asPipeline).map((i) => ({ ...i, path: i.path.replace(/^spec/, 'spec.pipelineSpec') }));
}

/** Validates the documents of one bundle file (path relative to the bundle root). */
export function validateDocuments(file: string, documents: ReadonlyArray<Obj>): BundleIssue[] {
  const issues: BundleIssue[] = [];
  documents.forEach((doc, i) => {
    const document = documentName(doc, i);
    // The rules below read the document as its schema describes it (a Task's steps as a list, …):
    // a document the schema refuses gets those findings alone, never a rule's crash on its shape.
    const structure = [...validateStructure(doc), ...embeddedStructure(doc)];
    if (structure.length) {
      for (const issue of structure) issues.push({ file, document, ...issue });
      return;
    }
    const catalog = [...checkCatalogRules(doc, file), ...checkArgoCatalogRules(doc, file)];
    // One finding per field: a kimia image a catalog rule already refuses as unpinned is not reported again.
    const pinReported = new Set(catalog.filter((i) => /^image "[^"]*" must be pinned/.test(i.message)).map((i) => i.path));
    const found = [
      ...checkTektonRules(doc), ...checkArgoRules(doc), ...catalog,
      ...checkKimiaContainers(doc, { pinReported }),
    ];
    for (const issue of found) {
      issues.push({ file, document, ...issue });
    }
  });
  return issues;
}
