/**
 * The validation gate as a cdk8s validation plugin, so `cdk8s synth` fails on a bad manifest.
 *
 * cdk8s.yaml:
 *   validations:
 *     - package: kimia-bundles        # or ./cdk8s-validation.js in this repository
 *       class: KimiaBundlesValidation
 *       version: 0.1.0
 */
import * as path from 'node:path';
import { validateDocuments, type BundleIssue } from './validate';

/** The part of cdk8s-cli's ValidationContext the plugin uses. */
export interface Cdk8sValidationContext {
  readonly manifests: readonly string[];
  parseManifest(manifestPath: string): unknown[];
  readonly report: {
    addViolation(v: {
      ruleName: string; recommendation: string; fix: string;
      violatingResources: Array<{ resourceName: string; manifestPath: string; locations: string[] }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/** cdk8s validation plugin running every kimia-bundles check on the synthesized manifests. */
export class KimiaBundlesValidation {
  constructor(_properties: Record<string, unknown> = {}) {}

  async validate(context: Cdk8sValidationContext): Promise<void> {
    const issues: BundleIssue[] = [];
    for (const manifest of context.manifests) {
      const docs = context.parseManifest(manifest).filter((d): d is Record<string, unknown> => !!d && typeof d === 'object');
      issues.push(...validateDocuments(manifest, docs));
    }
    // One violation per rule message, listing every resource and field it applies to.
    const byMessage = new Map<string, BundleIssue[]>();
    for (const i of issues) byMessage.set(i.message, [...(byMessage.get(i.message) ?? []), i]);
    for (const [message, list] of byMessage) {
      context.report.addViolation({
        ruleName: message,
        recommendation: 'kimia-bundles validation (CRD schema, Tekton/Argo rules, catalog metadata, kimia argv)',
        fix: 'Fix the field named in Locations; run `kimia-bundles validate` for the full report',
        violatingResources: list.map((i) => ({ resourceName: i.document, manifestPath: path.resolve(i.file), locations: [i.path || '(document)'] })),
      });
    }
    context.report.submit(issues.length ? 'failure' : 'success', { findings: String(issues.length) });
  }
}
