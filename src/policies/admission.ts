/**
 * Admission policies for the images a build signs: a Kyverno ClusterPolicy and a sigstore
 * policy-controller ClusterImagePolicy, keyed to the build's cosign public key.
 *
 * Every sign step writes key-signed cosign signatures in the legacy format (`.sig` tags; sigstore.ts
 * cosignTlogSignFlags), with a Rekor entry only when signing.transparencyLog asks for one. The
 * policies read exactly that (facts: .scratch/issue12-facts.md §5):
 * - policy-controller: a `key` authority with the default (legacy) signatureFormat (a key authority
 *   with `bundle` is denied at admission: validator.go "when using the new bundle format, the
 *   authority must be keyless"); no `ctlog` for `none` (then IgnoreTlog), `ctlog.url` otherwise;
 * - Kyverno: `type: Cosign`; `rekor: {ignoreTlog: true}` for `none` (an absent `rekor` means public
 *   Rekor is required), `rekor: {url}` otherwise; `ctlog: {ignoreSCT: true}` (key signatures have no
 *   certificate; an absent ctlog fetches the CT log keys over TUF).
 * kimia's SBOM and provenance are BuildKit attestations inside the image index, which neither policy checks.
 */
import { hasParams, rekorUrl, transparencyLog, type BuildSpec } from '../spec';

/** Namespaces where the policy engines read the public key Secret. */
export const KYVERNO_NAMESPACE = 'kyverno';
export const POLICY_CONTROLLER_NAMESPACE = 'cosign-system';

/**
 * The Secret holding only the public key, as policy-controller requires (one data entry) and
 * Kyverno reads (key `cosign.pub`): `signing.publicKey`'s Secret, else `<signing Secret>-pub`.
 * Never the signing Secret itself: that would copy the private key into the policy namespaces.
 */
export function policyKeySecret(spec: BuildSpec): string {
  return spec.signing!.publicKey?.secretName ?? `${spec.signing!.key.secretName}-pub`;
}

/** Repositories (without tag) of the build's destinations whose repository part is literal. */
export function signedRepositories(spec: BuildSpec): string[] {
  const repos = new Set<string>();
  for (const d of spec.destinations) {
    const slash = d.lastIndexOf('/');
    const colon = d.lastIndexOf(':');
    const repo = colon > slash ? d.slice(0, colon) : d;
    if (!hasParams(repo)) repos.add(repo);
  }
  return [...repos].sort();
}

/** Kyverno ClusterPolicy (kyverno.io/v1) requiring the build's signature on its repositories. */
export function kyvernoPolicy(spec: BuildSpec, repositories: readonly string[]) {
  const secret = policyKeySecret(spec);
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: `verify-${spec.name}`,
      annotations: {
        'policies.kyverno.io/title': `Verify ${spec.name} images`,
        'policies.kyverno.io/description': `Admit ${repositories.join(', ')} only when signed with the ${spec.name} cosign key (cosign legacy signature, ${tlogText(spec)}). The Secret ${secret} with the key cosign.pub must exist in namespace ${KYVERNO_NAMESPACE}. Starts in Audit: switch to Enforce once it admits a signed image in your cluster.`,
      },
    },
    spec: {
      // Audit first: check it admits a signed image in your cluster before enforcing.
      validationFailureAction: 'Audit',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [{
        name: 'verify-signature',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        verifyImages: [{
          type: 'Cosign',
          imageReferences: repositories.flatMap((r) => [`${r}:*`, `${r}@*`]),
          mutateDigest: true,
          verifyDigest: true,
          required: true,
          attestors: [{ entries: [{ keys: { secret: { name: secret, namespace: KYVERNO_NAMESPACE }, ...kyvernoTlog(spec) } }] }],
        }],
      }],
    },
  };
}

/** sigstore policy-controller ClusterImagePolicy (policy.sigstore.dev/v1beta1) for the same key. */
export function clusterImagePolicy(spec: BuildSpec, repositories: readonly string[]) {
  const secret = policyKeySecret(spec);
  return {
    apiVersion: 'policy.sigstore.dev/v1beta1',
    kind: 'ClusterImagePolicy',
    metadata: {
      name: `verify-${spec.name}`,
      annotations: {
        'kimia-bundles.dev/description': `Admit ${repositories.join(', ')} only when signed with the ${spec.name} cosign key. The Secret ${secret} must exist in namespace ${POLICY_CONTROLLER_NAMESPACE} holding only the public key (one data entry).`,
      },
    },
    spec: {
      // `*` stops at "/", so repo* matches the repository with any tag or digest (and repo-suffixed names).
      images: repositories.map((r) => ({ glob: `${r}*` })),
      authorities: [{ name: 'cosign-key', key: { secretRef: { name: secret } }, ...policyControllerTlog(spec) }],
    },
  };
}

/** How the signature is logged, for the policy descriptions. */
function tlogText(spec: BuildSpec): string {
  const url = rekorUrl(transparencyLog(spec));
  return url ? `with its entry in the Rekor log ${url}` : 'not in a transparency log';
}

/** Kyverno key attestor fields for the spec's transparency log (imageverifier.go: no `rekor` = public Rekor required). */
export function kyvernoTlog(spec: BuildSpec): { rekor: { ignoreTlog: true } | { url: string }; ctlog: { ignoreSCT: true } } {
  const url = rekorUrl(transparencyLog(spec));
  return { rekor: url ? { url } : { ignoreTlog: true }, ctlog: { ignoreSCT: true } };
}

/** policy-controller key authority fields: no ctlog skips the tlog (IgnoreTlog); ctlog.url requires an entry there. */
export function policyControllerTlog(spec: BuildSpec): { ctlog?: { url: string } } {
  const url = rekorUrl(transparencyLog(spec));
  return url ? { ctlog: { url } } : {};
}
