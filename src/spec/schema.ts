/**
 * The engine-neutral kimia build spec: one zod schema, the single source of truth.
 *
 * Every field maps to kimia flags (see `argv.ts`) or to pod settings (see `pod.ts`).
 * Fields marked "templatable" may reference runtime params as `${NAME}` (see `template.ts`).
 * Rules that span fields live in `rules.ts` and run when the spec is parsed.
 */
import type * as T from './types';
import * as z from 'zod';
import { PARAM_NAME } from './template';
import { checkBuildSpec } from './rules';
import { KIMIA_VERSION, PROFILES, VARIANTS } from './defaults';

const EMPTY = 'must not be empty: kimia would take the next argument as its value';

/** A non-empty string (kimia reads `--flag=` as "value in the next argument"). */
const text = () => z.string({ error: 'expected a string' }).min(1, EMPTY);

/** A non-empty string that may reference runtime params as `${NAME}`. */
const templatable = () => text().describe('May reference runtime params as ${NAME}.');

const k8sName = (what: string) =>
  z
    .string({ error: 'expected a string' })
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `must be a Kubernetes ${what} name (lowercase letters, digits, "-" and ".")`)
    .max(253);

/** A reference to one key of a Kubernetes Secret. Secrets are only ever referenced, never inlined. */
export const SecretKeyRef = z
  .strictObject({
    secretName: k8sName('Secret').describe('Name of the Secret.'),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")')
      .describe('Key inside the Secret.'),
  })
  .describe('A key of an existing Secret.');

/** A reference to one key of a ConfigMap (public data: a trusted root, not a secret). */
export const ConfigMapKeyRef = z
  .strictObject({
    configMapName: k8sName('ConfigMap').describe('Name of the ConfigMap.'),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]+$/, 'must be a ConfigMap key (letters, digits, "-", "_", ".")')
      .describe('Key inside the ConfigMap.'),
  })
  // Stryker disable next-line StringLiteral: equivalent, its one use (trustedRoot) describes itself, so this text reaches no JSON Schema or generated type
  .describe('A key of an existing ConfigMap.');

/** A secret reference field: a literal string is refused with an explanation. */
const secretRef = (what: string) =>
  z.preprocess((v, ctx) => {
    if (typeof v === 'string') {
      ctx.addIssue({
        code: 'custom',
        input: v,
        message: `literal ${what} refused: secrets are only accepted by reference, as {secretName, key}`,
      });
      return z.NEVER;
    }
    return v;
  }, SecretKeyRef);

export const Param = z
  .strictObject({
    description: text().describe('What the param is for; shown in Task/template docs.'),
    default: z.string().optional().describe('Value used when none is given at run or synth time.'),
    example: z.string().optional().describe('Example value for generated samples and docs (default: the default).'),
    enum: z.array(text()).min(1).optional().describe('The only values allowed (Argo: a drop-down; Tekton: listed in the description; Job: checked at synth).'),
  })
  .describe('A value that varies per run.');

export const GitContext = z
  .strictObject({
    url: templatable().describe('Git URL of the build context (https://…, git@…, *.git).'),
    branch: templatable().optional().describe(
      '--git-branch. With kimia (BuildKit) it is not passed when a revision is set: BuildKit builds URL#revision and ignores the branch. kimia-bud passes both: it checks out the revision, falls back to the branch when the revision does not exist and warns when the revision is not on the branch.',
    ),
    revision: templatable().optional().describe('--git-revision (commit or ref; wins over branch, see branch).'),
    tokenSecret: SecretKeyRef.optional().describe(
      'kimia --git-token-file: refused in both variants, with the reason (kimia puts the token into the clone URL, which BuildKit logs and records and Buildah copies into the build context). For a private repository use a local context cloned by Tekton git-clone or the Argo git artifact with credentials.',
    ),
    tokenUser: text().optional().describe('--git-token-user (kimia default: oauth2).'),
  })
  .describe('Build from a Git repository.');

export const LocalContext = z
  .strictObject({
    path: text()
      .default('/home/kimia/workspace')
      .describe('Local context directory inside the builder (BuildKit: /workspace, /home/kimia/workspace or under /home/kimia).'),
    claimName: k8sName('PersistentVolumeClaim')
      .optional()
      .describe('PersistentVolumeClaim mounted at `path` when rendered as a Job.'),
  })
  .describe('Build from a directory in the builder container.');

export const Context = z
  .union([z.strictObject({ git: GitContext }), z.strictObject({ local: LocalContext })], {
    error: 'expected either {git: {...}} or {local: {...}}',
  })
  .describe('Where the build context comes from.');

export const AttestSbom = z.strictObject({
  type: z.literal('sbom'),
  generator: text().optional().describe('SBOM generator image.'),
  scanContext: z.boolean().optional().describe('Scan the build context too.'),
  scanStage: z.boolean().optional().describe('Scan intermediate stages too.'),
  extra: z.record(z.string(), text()).optional().describe('Other key=value parameters, passed through.'),
});

export const AttestProvenance = z.strictObject({
  type: z.literal('provenance'),
  mode: z.enum(['min', 'max']).optional().describe('Provenance detail (kimia default: max).'),
  builderId: text().optional(),
  reproducible: z.boolean().optional(),
  inlineOnly: z.boolean().optional(),
  version: text().optional(),
  filename: text().optional(),
  extra: z.record(z.string(), text()).optional().describe('Other key=value parameters, passed through.'),
});

export const AttestationMode = z.enum(['off', 'min', 'max']);

export const Attestation = z.preprocess(
  (v) => (typeof v === 'string' ? { mode: v } : v),
  z
    .strictObject({
      mode: AttestationMode.optional().describe('--attestation: off | min (provenance) | max (SBOM + provenance).'),
      attest: z
        .array(z.discriminatedUnion('type', [AttestSbom, AttestProvenance]))
        .min(1)
        .optional()
        .describe('--attest entries, for full control (do not combine with mode).'),
    })
    .describe('BuildKit attestations. A string is short for {mode: <string>}.'),
);

export const Signing = z
  .strictObject({
    key: SecretKeyRef.describe('Secret key holding the cosign private key. Mounted read-only at /secrets/cosign.key in the one container that signs: the sign container (isolated) or the builder (builder).'),
    password: secretRef('cosign password')
      .optional()
      .describe('Secret key holding the cosign key password. isolated: a file the sign container reads into COSIGN_PASSWORD; builder: the env var passwordEnv of the builder, from this Secret key.'),
    publicKey: SecretKeyRef.optional().describe('Secret key holding cosign.pub for verification (default: key "cosign.pub" of the key\'s Secret).'),
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
      .default('COSIGN_PASSWORD')
      .describe('--cosign-password-env: the env var that carries the password (signing.in: builder only).'),
    in: z
      .enum(['isolated', 'builder', 'chains'])
      .default('isolated')
      .describe(
        'Where signing happens. isolated: after the build, a separate container (the kimia image\'s cosign) signs each destination repository once by the pushed digest; the build container never gets the key or password. builder: kimia\'s own --sign, which puts the key and password in the build container, reachable from Dockerfile RUN steps. chains: Tekton only; no key in the pod, Tekton Chains signs the IMAGE_URL/IMAGE_DIGEST results.',
      ),
    transparencyLog: z
      .union([
        z.enum(['none', 'public']),
        z.strictObject({
          url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL of a Rekor instance' }).describe('Rekor URL (cosign --rekor-url).'),
          trustedRoot: ConfigMapKeyRef.optional().describe(
            "A ConfigMap key holding the Sigstore trusted_root.json that lists this Rekor's public key; verify steps pass it as cosign --trusted-root. Without it cosign looks the Rekor keys up in the public Sigstore TUF repository, which does not know a private Rekor.",
          ),
        }),
      ])
      .default('none')
      .describe(
        'Transparency log of the signatures (cosign legacy format in every mode): none uploads nothing and works air-gapped; public uploads to rekor.sigstore.dev; {url} to your own Rekor.',
      ),
  })
  .describe('Sign pushed images with cosign (BuildKit only; needs an attestation setting and a push).');

export const Reproducible = z.preprocess(
  (v) => (v === true ? {} : v === false ? { enabled: false } : v),
  z
    .strictObject({
      enabled: z.boolean().default(true).describe('--reproducible'),
      timestamp: templatable().optional().describe('--timestamp (Unix seconds; wins over SOURCE_DATE_EPOCH).'),
      sourceDateEpoch: z
        .union([templatable(), z.strictObject({ fromGit: z.literal(true) })], {
          error: 'expected Unix seconds as a string, "${PARAM}", or {fromGit: true}',
        })
        .optional()
        .describe('SOURCE_DATE_EPOCH: Unix seconds, a param, or {fromGit: true} for the last commit time (Tekton/Argo).'),
    })
    .describe('Reproducible builds. `true` is short for {enabled: true}.'),
);

export const Cache = z
  .strictObject({
    enabled: z.boolean().default(true).describe('--cache'),
    export: z.array(text()).default([]).describe('--export-cache specs (BuildKit).'),
    import: z.array(text()).default([]).describe('--import-cache specs (BuildKit).'),
  })
  .describe('Layer cache.');

export const Registry = z
  .strictObject({
    credentialsSecret: k8sName('Secret')
      .optional()
      .describe('kubernetes.io/dockerconfigjson Secret mounted as /home/kimia/.docker/config.json.'),
    insecure: z.boolean().default(false).describe('--insecure: plain HTTP / unverified TLS to the destination registry.'),
    insecurePull: z.boolean().default(false).describe('--insecure-pull (Buildah).'),
    insecureRegistries: z.array(text()).default([]).describe('--insecure-registry hosts.'),
    certificatesSecret: k8sName('Secret')
      .optional()
      .describe('Secret with CA certificates, mounted and passed as --registry-certificate (Buildah).'),
    pushRetry: z.number().int().positive().optional().describe('--push-retry (Buildah).'),
    downloadRetry: z.number().int().positive().optional().describe('--image-download-retry (Buildah).'),
  })
  .describe('Registry access.');

const quantity = z
  .string()
  .regex(/^([0-9]+(\.[0-9]+)?m?|[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?)$/, 'must be a Kubernetes quantity such as 500m, 2, 512Mi or 8Gi');
const ResourceList = z.strictObject({
  cpu: quantity.optional(),
  memory: quantity.optional(),
  'ephemeral-storage': quantity.optional(),
});

export const Resources = z
  .strictObject({ requests: ResourceList.optional(), limits: ResourceList.optional() })
  // Stryker disable next-line StringLiteral: equivalent, its one use (resources) describes itself, so this text reaches no JSON Schema or generated type
  .describe('Builder container resources.');

export const Toleration = z.strictObject({
  key: text().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

export const JobOptions = z
  .strictObject({
    name: templatable().optional().describe('Job name (default: the build name); may use params, e.g. app-${COMMIT}.'),
    ttlSecondsAfterFinished: z.number().int().nonnegative().default(3600),
    activeDeadlineSeconds: z.number().int().positive().optional(),
  })
  .describe('Options used only when the build is rendered as a Kubernetes Job.');

export const TektonOptions = z
  .strictObject({
    minPipelinesVersion: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a version like 0.50.0').default('0.50.0')
      .describe('tekton.dev/pipelines.minVersion of the generated Task and Pipeline.'),
    gitCloneVersion: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a tektoncd-catalog/git-clone release like 1.7.0').default('1.7.0')
      .describe('Release of git-clone from its maintained home, tektoncd-catalog/git-clone, that the Pipeline runs by the bundles resolver (ghcr.io/tektoncd-catalog/git-clone/bundle:v<version>; bundles are published from 1.5.0).'),
    owners: z.array(z.string().regex(/^[A-Za-z0-9](-?[A-Za-z0-9])*$/, 'must be a GitHub login')).default([])
      .describe('GitHub logins written as approvers and reviewers to the catalog OWNERS file of the Task and Pipeline.'),
    maintainers: z.array(z.strictObject({ name: text(), email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address').optional() })).default([])
      .describe('Maintainers for Artifact Hub (artifacthub.io/maintainers and the artifacthub-repo.yml owners).'),
    license: z.string().regex(/^[A-Za-z0-9.+-]+$/, 'must be an SPDX license identifier').default('Apache-2.0')
      .describe('SPDX license of the Task and Pipeline (artifacthub.io/license).'),
    catalogUrl: z.url({ protocol: /^https$/, error: 'expected an https URL' }).optional()
      .describe('Where the bundle is served as files (e.g. https://raw.githubusercontent.com/<org>/<repo>/main/dist): the README installs from it with one kubectl apply, and it is the artifacthub.io/links source.'),
    artifactHubRepository: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an Artifact Hub repository name').optional()
      .describe('The Artifact Hub repository the catalog is listed under: the README gives the hub-resolver reference (resolver: hub, type: artifact).'),
    bundleRepository: z.string()
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/, 'must be an OCI repository without tag or digest (e.g. ghcr.io/org/catalog)')
      .optional()
      .describe('OCI repository the Tekton bundles are pushed to (kimia-bundles push): Tasks as <repository>/tasks/<name>:<version>, Pipelines as <repository>/pipelines/<name>:<version>, as tektoncd/catalog publishes its own. The README gives the bundles-resolver reference, and the Pipeline resolves its Task of the same version from it instead of by name from the namespace.'),
    verify: z.boolean().default(true).describe('Pipeline: cosign verify the pushed digest when the build signs.'),
    gitImage: text().optional().describe('Image with git for the SOURCE_DATE_EPOCH step (default: the builder image, git 2.52); needs /bin/sh and git >= 2.38, run as UID 1000.'),
    cosignImage: text().optional().describe('Image with cosign for the verify tasks (default: the kimia image, cosign at /usr/local/bin/cosign), run as uid 1000 with TUF_ROOT on an emptyDir. Sign tasks always run the builder image: its sign script needs bash and that cosign.'),
    craneImage: text().optional().describe('Image with crane and a shell for the multi-arch index task.'),
  })
  .describe('Options used only by the Tekton engine.');

export const ArgoOptions = z
  .strictObject({
    clusterScope: z.boolean().default(false).describe('Render a ClusterWorkflowTemplate instead of a WorkflowTemplate.'),
    minArgoVersion: text().default('>= 3.6.0').describe('workflows.argoproj.io/version: the Argo versions the template needs (a semver constraint).'),
    maintainer: z.string().regex(/^@/, 'must start with "@" (a GitHub handle)').default('@kimia-bundles').describe('workflows.argoproj.io/maintainer'),
    podGC: z.enum(['OnPodCompletion', 'OnPodSuccess', 'OnWorkflowCompletion', 'OnWorkflowSuccess']).default('OnPodSuccess'),
    ttlSecondsAfterCompletion: z.number().int().nonnegative().default(86400).describe('ttlStrategy.secondsAfterCompletion'),
    activeDeadlineSeconds: z.number().int().positive().default(3600).describe('Deadline of the build step.'),
    retryLimit: z.number().int().nonnegative().default(1).describe('Retries of the build step on infrastructure errors (retryPolicy OnError).'),
    gitImage: text().optional().describe('Image with git for the SOURCE_DATE_EPOCH step (default: the builder image, git 2.52); needs /bin/sh and git >= 2.38, run as UID 1000.'),
    verify: z.boolean().default(true).describe('Add a cosign verify step after the build when the build signs.'),
    cosignImage: text().optional().describe('Image with cosign for the verify steps (default: the kimia image, cosign at /usr/local/bin/cosign), run as uid 1000 with TUF_ROOT on an emptyDir. Sign steps always run the builder image: its sign script needs bash and that cosign.'),
    craneImage: text().optional().describe('Image with crane and a shell for the multi-arch index step.'),
    executorServiceAccountName: k8sName('ServiceAccount').optional()
      .describe("ServiceAccount whose token Argo's executor uses (executor.serviceAccountName). Set it to keep the token out of every step's containers; Argo refuses automountServiceAccountToken: false without it."),
    catalogUrl: z.url({ protocol: /^https$/, error: 'expected an https URL' }).optional()
      .describe('Where the bundle is served as files (e.g. https://raw.githubusercontent.com/<org>/<repo>/main/dist): each Argo README installs its version from it with one kubectl apply.'),
    gitCredentialsSecret: k8sName('Secret').optional()
      .describe("kubernetes.io/basic-auth Secret (keys username and password; a token as the password) for the git input artifact of a local context: the Argo template's GIT_SECRET input, default this name, names it. Without it the source is cloned anonymously (Argo cannot leave out an artifact credential at run time)."),
  })
  .describe('Options used only by the Argo engine.');

export const CiOptions = z
  .strictObject({
    repository: text().describe('Image repository the CI profiles tag, without a tag (e.g. registry.io/team/app).'),
    mainBranch: text().default('main').describe('The branch whose pushes use the main profile.'),
    profile: z.enum(PROFILES).optional()
      .describe('The profile every CI run of this build uses, unless --profile says otherwise (default: the one the ref implies).'),
    commitParam: z.string().regex(PARAM_NAME, 'must be a param name (^[A-Z][A-Z0-9_]*$)').optional()
      .describe('The runtime param `job --commit SHA` sets to the commit (e.g. COMMIT), so build args, labels and names agree with what is built (default: none; the job command warns about params left at their default).'),
    sourceDateEpochParam: z.string().regex(PARAM_NAME, 'must be a param name (^[A-Z][A-Z0-9_]*$)').optional()
      .describe("The runtime param `job` sets to SOURCE_DATE_EPOCH: --source-date-epoch, else the commit's time read with git (default: none)."),
  })
  .describe('CI trigger profiles (kimia-bundles job --profile pr|main|tag|manual).');

/** One kimia build. */
export const BuildSpecShape = z.strictObject({
  name: z
    .string({ error: 'expected a string' })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-"')
    .max(52, 'must be at most 52 characters (it prefixes generated object names)')
    .describe('Name of the build; names the Job, Task and template.'),
  description: text().optional().describe('One-line summary, used in generated docs.'),
  version: z
    .string()
    .regex(/^[0-9]+\.[0-9]+(\.[0-9]+)?$/, 'must be a version like 0.1 or 1.2.3')
    .default('0.1')
    .describe('Catalog version of the Task/template built from this spec (its directory and app.kubernetes.io/version).'),
  variant: z.enum(VARIANTS).default('kimia').describe('kimia (BuildKit) or kimia-bud (Buildah).'),
  builderImage: templatable().optional().describe('Builder image; default ghcr.io/rapidfort/<variant>:' + KIMIA_VERSION),
  params: z
    .record(z.string().regex(PARAM_NAME, 'param names must match ^[A-Z][A-Z0-9_]*$'), Param)
    .default({})
    .describe('Runtime params, referenced in strings as ${NAME}.'),
  context: Context,
  contextSubPath: templatable().optional().describe('--context-sub-path'),
  dockerfile: templatable().optional().describe('--dockerfile, relative to the context (kimia default: Dockerfile).'),
  target: templatable().optional().describe('--target: multi-stage target (not a tag).'),
  platform: text().optional().describe('--custom-platform: exactly one os/arch[/variant].'),
  platforms: z
    .array(text())
    .min(2, 'list at least two platforms (use platform for one)')
    .optional()
    .describe('Multi-arch: one native build per platform, then an image index (Tekton matrix / Argo fan-out).'),
  destinations: z
    .array(templatable(), { error: 'expected a list of image references' })
    .min(1, 'at least one destination is required (kimia needs one even with push: false)')
    .describe('--destination image references; the first one names the digest files.'),
  buildArgs: z.record(z.string(), z.string()).default({}).describe('--build-arg KEY=VALUE (values templatable).'),
  labels: z.record(z.string(), z.string()).default({}).describe('--label key=value (values templatable).'),
  cache: Cache.optional(),
  storageDriver: z.enum(['vfs', 'overlay', 'native']).optional().describe('--storage-driver (Buildah).'),
  push: z.boolean().default(true).describe('false renders --no-push.'),
  tarPath: text().optional().describe('--tar-path: write a docker archive instead of pushing, in a directory of its own under /home/kimia (e.g. /home/kimia/output/image.tar). kimia does not create that directory: it gets a volume (tarClaimName in a Job and Argo, the image-archive workspace in Tekton, else an Argo output artifact).'),
  tarClaimName: k8sName('PersistentVolumeClaim').optional()
    .describe("PersistentVolumeClaim mounted at tarPath's directory so the archive outlives the pod (a Job needs it; Argo without it publishes an image-archive output artifact, which needs an artifact repository)."),
  digestFile: text().optional().describe(
    '--digest-file: where kimia writes the digest (sha256:…) of the first destination, for builds that do not push too. kimia-bud writes the config digest buildah reports on push, not the manifest digest, so repository@digest does not resolve to the image. Tekton and Argo publish IMAGE_DIGEST from this file when it is set (kimia keeps only one --digest-file).',
  ),
  imageNameWithDigestFile: text().optional().describe(
    '--image-name-with-digest-file: where kimia writes the first destination without its tag, @ the digest. With kimia-bud that is the config digest (see digestFile). Argo publishes IMAGE_URL from this file when it is set.',
  ),
  attestation: Attestation.optional(),
  buildkitOpts: z.array(text()).default([]).describe('--buildkit-opt raw BuildKit options.'),
  buildahOpts: z.array(text()).default([]).describe('--buildah-opt raw Buildah options.'),
  signing: Signing.optional(),
  reproducible: Reproducible.optional(),
  registry: Registry.optional(),
  verbosity: z.enum(['debug', 'info', 'warn', 'error']).optional().describe('--verbosity'),
  resources: Resources.optional().describe('Default: requests cpu 1, memory 2Gi; limits memory 8Gi.'),
  serviceAccountName: k8sName('ServiceAccount').optional(),
  automountServiceAccountToken: z.boolean().default(false).describe('Mount a service-account token (off by default).'),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(Toleration).default([]),
  // prefault: an absent block is parsed as {}, so the parsed spec carries every default and
  // engines read them from it (issue 12 item 6: no engine restates a schema default).
  job: JobOptions.prefault({}),
  tekton: TektonOptions.prefault({}),
  argo: ArgoOptions.prefault({}),
  ci: CiOptions.optional(),
  outputs: z
    .array(z.enum(['job', 'tekton', 'argo', 'argo-hub']))
    .min(1)
    .default(['job', 'tekton', 'argo'])
    .describe('What to render the build as: a Kubernetes Job, a Tekton Task and Pipeline, an Argo WorkflowTemplate; argo-hub (beside argo) also writes the argo-hub layout, argo-hub/workflows/<name>/versions/<semver>/.'),
});

/** The build spec with every kimia fidelity rule applied. */
export const BuildSpec = BuildSpecShape.superRefine(checkBuildSpec);

// The plain interfaces of types.ts (generated from this schema by `npm run types`) are the
// spec's types everywhere, so the public declarations hold no zod type. These two lines fail to
// compile when the schema changes and types.ts was not regenerated.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const OUTPUT_TYPES_AGREE: Same<z.output<typeof BuildSpecShape>, T.BuildSpec> = true;
export const INPUT_TYPES_AGREE: [T.BuildSpecInput] extends [z.input<typeof BuildSpecShape>] ? true : false = true;

/** A parsed (defaulted) build spec. */
export type BuildSpec = T.BuildSpec;
/** A build spec as written by users (defaults optional). */
export type BuildSpecInput = T.BuildSpecInput;
export type SecretKeyRef = T.SecretKeyRef;
export type GitContext = T.GitContext;
export type LocalContext = T.LocalContext;
export type Attestation = T.Attestation;
export type Signing = T.Signing;
export type TransparencyLog = T.TransparencyLog;
export type Reproducible = T.Reproducible;
export type Resources = T.Resources;
