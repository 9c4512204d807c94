/** A problem found in one emitted document. */
import { oneLine } from '../spec/errors';
export interface DocumentIssue {
  /** Field path inside the document, e.g. `spec.steps[1].script`. */
  readonly path: string;
  readonly message: string;
}

/** A problem with its place: bundle file, document (`Kind/name`) and field. */
export interface BundleIssue extends DocumentIssue {
  readonly file: string;
  readonly document: string;
}

/** `tekton/task/x/0.1/x.yaml: Task/x: spec.steps[1].script: reason` */
export function formatBundleIssue(i: BundleIssue): string {
  return oneLine([i.file, i.document, i.path, i.message].filter((x) => x !== '').join(': '));
}

/** Emitted documents that break a rule. The message has one line per issue. */
export class BundleValidationError extends Error {
  constructor(readonly issues: readonly BundleIssue[]) {
    super(issues.map(formatBundleIssue).join('\n'));
    this.name = 'BundleValidationError';
  }
}
