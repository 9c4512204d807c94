/**
 * Advice about a valid spec: things kimia accepts but that likely surprise the user. They are
 * printed (`file:line:col: field: warning: …`) and never fail a command.
 */
import type { BuildSpec } from './types';
import type { SpecIssue } from './errors';
import { sampleOf } from './template';
import { repositoryOf } from './platforms';

/**
 * Whether kimia passes attestation options to BuildKit for this spec (builder.go: buildAttestationOpts*).
 * A parsed spec's attestation is a mode or a non-empty attest list, never both nor neither (rules.ts).
 */
function attests(spec: BuildSpec): boolean {
  return spec.attestation !== undefined && spec.attestation.mode !== 'off';
}


/**
 * The warnings of one parsed build spec (paths relative to the build). Attestation and signing are
 * BuildKit's only (rules.ts refuses them for kimia-bud), so no warning asks for the variant.
 */
export function specWarnings(spec: BuildSpec): SpecIssue[] {
  const out: SpecIssue[] = [];
  if (spec.reproducible?.enabled && attests(spec)) {
    // kimia v1.0.25 src/internal/build/builder.go:1093: "Reproducible build with attestations enabled …
    // the image index digest will vary across runs."
    out.push({
      path: ['reproducible'],
      message: 'warning: with attestations the image index digest varies between runs (the attestation payloads carry timestamps and IDs, as kimia itself warns), so the digest that is pushed and signed is not reproducible; only the platform manifest is. Set attestation: off for a stable index digest',
    });
  }
  if (spec.signing?.in === 'builder') {
    // builder.go signImageWithCosign: one `cosign sign repo@digest` per --destination
    // (isolated signing signs each repository once).
    const byRepo = new Map<string, number>();
    for (const d of spec.destinations) {
      // A sample stands in for params, so platforms.ts repositoryOf always knows the repository.
      const repo = repositoryOf(sampleOf(d))!;
      byRepo.set(repo, (byRepo.get(repo) ?? 0) + 1);
    }
    const repeated = [...byRepo].filter(([, n]) => n > 1);
    if (repeated.length) {
      out.push({
        path: ['destinations'],
        message: `warning: kimia's --sign signs repo@digest once per destination, so ${repeated.map(([r, n]) => `${r} gets ${n} identical signatures`).join(', ')}`,
      });
    }
  }
  return out;
}
