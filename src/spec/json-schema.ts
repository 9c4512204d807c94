/**
 * The config file's JSON Schema (draft-07, for editors) describes what the parser accepts.
 *
 * It is generated from the zod schema (`configJsonSchema()` in config.ts); this module adds what
 * zod cannot derive by itself:
 * - the input short forms the zod schema reads through `z.preprocess` (`attestation: max`,
 *   `reproducible: true|false`): an `override` of the generated node, keyed by the zod schema
 *   itself, so the short form follows the node wherever it is used;
 * - the parse-time rules of rules.ts and values.ts that JSON Schema can state for one field
 *   (patterns, lengths, `uniqueItems`, `not`, `oneOf`, `if`/`then` within one object), built from the
 *   same regular expressions the rules use.
 *
 * What only the parser checks is listed in {@link PARSER_ONLY}, each with the reason; the test
 * test/json-schema.test.ts runs every example and test config through both and allows a
 * difference only where one of these explains every error.
 */
import type * as z from 'zod';
import { Attestation, AttestationMode, Reproducible } from './schema';
import {
  BUILDAH_OPT_REFUSED, EPOCH, GIT_REF, LOOKS_LIKE_GIT, PLATFORM, REGISTRY_HOST, RESERVED_ENV, SECRET_LIKE,
} from './rules';
import { CACHE_SPEC } from './kimia-values';
import { CONTROL } from './values';
import { ENGINE_PARAMS } from './engine-params';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `$id` of the schema: where the published package's copy is served (unpkg serves every file of
 * the npm package, the latest version at this address). It names the same file a user has at
 * `node_modules/kimia-bundles/schema/kimia-bundles.schema.json`, needs no domain of our own and
 * does not change with the version.
 */
export const SCHEMA_ID = 'https://unpkg.com/kimia-bundles/schema/kimia-bundles.schema.json';

/** `toJSONSchema` override: the input forms the preprocess steps accept besides the object. */
export function inputForms(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const short = (form: Json) => {
    const object = { ...ctx.jsonSchema };
    for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
    const { description, ...rest } = object;
    Object.assign(ctx.jsonSchema, { description, anyOf: [form, rest] });
  };
  if (ctx.zodSchema === (Attestation as z.ZodType)) {
    short({ type: 'string', enum: [...AttestationMode.options], description: 'Short for {mode: <string>}.' });
  } else if (ctx.zodSchema === (Reproducible as z.ZodType)) {
    short({ type: 'boolean', description: 'true: short for {enabled: true}; false: {enabled: false}.' });
  }
}

/** A JS regular expression as a JSON Schema pattern (ECMA-262, no flags). */
const pattern = (re: RegExp): string => {
  if (re.flags.replace('g', '')) throw new Error(`${re} has flags a JSON Schema pattern cannot carry`);
  return re.source;
};

/**
 * A case-insensitive (`i`) regular expression without flags: each letter outside a class becomes
 * `[xX]`, a class range `a-z` also gets `A-Z`. `outside` are characters that end the text the
 * expression was written for (e.g. "=" for the key of key=value): classes exclude them and `$`
 * also matches before one. Only the syntax SECRET_LIKE uses is handled; anything else throws.
 */
function caseless(re: RegExp, outside = ''): string {
  if (/\\/.test(re.source)) throw new Error(`caseless: escapes are not handled in ${re}`);
  let out = '';
  let inClass = false;
  for (const c of re.source) {
    if (inClass) {
      if (c === ']') {
        out += `${outside}]`;
        inClass = false;
      } else out += c;
      if (out.endsWith('a-z')) out += 'A-Z';
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (/[a-z]/i.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else if (c === '$' && outside) out += `(?:$|[${outside}])`;
    else out += c;
  }
  return out;
}

/** A value that references a param (`${NAME}`): the rules check it with the param's sample value. */
const TEMPLATED = { pattern: '\\$\\{[^}]*\\}' };
/**
 * Adds a constraint to a node, under `allOf`: the node's own keywords (and the `anyOf` branches
 * zod writes for a union) keep describing its shape; what a rule adds only narrows it.
 */
function constrain(node: Json, constraint: Json): void {
  node.allOf = [...(node.allOf ?? []), constraint];
}
/** Constrains a string to `literal` unless it references a param. */
const literalOr = (node: Json, literal: Json): void => constrain(node, { anyOf: [TEMPLATED, literal] });

/** Walks to a node of the generated schema; throws when the schema no longer has it. */
function at(root: Json, ...steps: string[]): Json {
  let node = root;
  for (const s of steps) {
    const next = s === '[]' ? node.items : node.properties?.[s];
    if (!next) throw new Error(`JSON Schema has no ${steps.join('.')} (stopped at ${s})`);
    node = next;
  }
  return node;
}
/** The object branch of a short-form node (see {@link inputForms}). */
const objectOf = (node: Json): Json => node.anyOf?.find((b: Json) => b.type === 'object') ?? node;
const branch = (node: Json, test: (b: Json) => boolean): Json => {
  // Stryker disable next-line ArrayDeclaration: equivalent, a string in place of [] passes none of the tests branch() is given (b.properties?.…, b.type === …), so it still throws
  const b = (node.anyOf ?? node.oneOf ?? []).find(test);
  if (!b) throw new Error('JSON Schema branch not found');
  return b;
};
/** Adds `not: {anyOf: …}` to a node (keeping a `not` it has). */
function forbid(node: Json, ...schemas: Json[]): void {
  const all = [...(node.not ? (node.not.anyOf ?? [node.not]) : []), ...schemas];
  node.not = all.length === 1 ? all[0] : { anyOf: all };
}
/** Visits a schema and every schema under it (each once, before its children). */
function eachSchema(node: Json, visit: (node: Json) => void): void {
  visit(node);
  const children: Json[] = [
    ...Object.values<Json>(node.properties ?? {}),
    ...(typeof node.items === 'object' ? [node.items] : []),
    ...(typeof node.additionalProperties === 'object' ? [node.additionalProperties] : []),
    ...(node.anyOf ?? []), ...(node.oneOf ?? []),
  ];
  for (const c of children) eachSchema(c, visit);
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The per-field parse-time rules a JSON Schema can state, added to the generated schema of one
 * build (`builds.items`). Each names its rule in rules.ts (or values.ts).
 */
export function addRules(build: Json): void {
  const secretKey = { pattern: caseless(SECRET_LIKE) };

  // no empty values, build-arg keys/values (lengths), no literal secrets (keys).
  const buildArgs = at(build, 'buildArgs');
  buildArgs.additionalProperties = { ...buildArgs.additionalProperties, minLength: 1, maxLength: 4096 };
  buildArgs.propertyNames = { ...buildArgs.propertyNames, maxLength: 128, not: secretKey };
  const labels = at(build, 'labels');
  labels.additionalProperties = { ...labels.additionalProperties, minLength: 1 };
  labels.propertyNames = { ...labels.propertyNames, not: secretKey };

  // param names the engines declare themselves: those they always declare (the others depend on other fields: PARSER_ONLY).
  const params = at(build, 'params');
  forbid(params.propertyNames ??= { type: 'string' }, { enum: Object.keys(ENGINE_PARAMS).filter((n) => ENGINE_PARAMS[n].refusedFor === undefined) });

  // git or local context as kimia sees it; credentials in the URL and tokenSecret are refused.
  const context = at(build, 'context');
  const git = at(branch(context, (b) => b.properties?.git), 'git');
  literalOr(git.properties.url, { pattern: pattern(LOOKS_LIKE_GIT) });
  forbid(git.properties.url, { pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:[^/@]*@' }, { pattern: `^${caseless(/https?/)}://[^/@]*@` });
  git.properties.tokenSecret.not = {};
  // git refs
  for (const ref of ['branch', 'revision']) {
    literalOr(git.properties[ref], { pattern: pattern(GIT_REF), not: { pattern: '\\.\\.|^-' } });
  }
  const local = at(branch(context, (b) => b.properties?.local), 'local');
  local.properties.path.pattern = '^/'; // BuildKit local context path: absolute
  forbid(local.properties.path, { pattern: pattern(LOOKS_LIKE_GIT) });

  // one platform per build; multi-arch platforms are unique.
  at(build, 'platform').pattern = pattern(PLATFORM);
  const platforms = at(build, 'platforms');
  platforms.items.pattern = pattern(PLATFORM);
  platforms.uniqueItems = true;
  // destinations: no duplicates
  at(build, 'destinations').uniqueItems = true;

  // buildkitOpts: platform= is one platform, no secret keys; no attest: options beside an
  // attestation (attestation xor attest).
  const buildkitOpt = at(build, 'buildkitOpts', '[]');
  constrain(buildkitOpt, { anyOf: [{ not: { pattern: '^platform=' } }, { pattern: `^platform=${pattern(PLATFORM).slice(1)}` }] });
  forbid(buildkitOpt, { pattern: `^[^=]*(?:${caseless(SECRET_LIKE, '=')})` });
  constrain(build, { if: { required: ['attestation'] }, then: { properties: { buildkitOpts: { items: { not: { pattern: '^attest:' } } } } } });

  // buildah opts: a flag first, not one kimia sets, not --creds or a secret-looking flag.
  const buildahOpt = at(build, 'buildahOpts', '[]');
  buildahOpt.pattern = '^-[^ =;&|`$()<>\\r\\n]*([ =]|$)';
  forbid(buildahOpt,
    { pattern: `^(${[...BUILDAH_OPT_REFUSED, '--creds'].map(escapeRe).join('|')})([ =]|$)` },
    { pattern: '^--userns' },
    { pattern: `^[^ =]*(?:${caseless(SECRET_LIKE, ' =')})` });

  // cache specs (the cache/reproducible conflict spans fields: see PARSER_ONLY).
  for (const dir of ['export', 'import']) {
    const spec = at(build, 'cache', dir, '[]');
    Object.assign(spec, { pattern: pattern(CACHE_SPEC), maxLength: 2048 });
    forbid(spec, { pattern: '[{}[\\]]' });
  }

  // insecure registries are hosts
  at(build, 'registry', 'insecureRegistries', '[]').pattern = pattern(REGISTRY_HOST);

  // attestation xor attest; commas and reserved keys in attest entries.
  const attestation = objectOf(at(build, 'attestation'));
  constrain(attestation, { oneOf: [{ required: ['mode'] }, { required: ['attest'] }] });
  const reserved: Record<string, string[]> = {
    sbom: ['type', 'generator', 'scan-context', 'scan-stage'],
    provenance: ['type', 'mode', 'builder-id', 'reproducible', 'inline-only', 'version', 'filename'],
  };
  for (const entry of attestation.properties.attest.items.oneOf ?? attestation.properties.attest.items.anyOf) {
    for (const prop of Object.values<Json>(entry.properties)) if (prop.type === 'string' && prop.const === undefined) prop.pattern = '^[^,]*$';
    const extra = entry.properties.extra;
    extra.additionalProperties = { ...extra.additionalProperties, pattern: '^[^,]*$' };
    extra.propertyNames = { ...extra.propertyNames, pattern: '^[a-z][a-z0-9-]*$', not: { anyOf: [{ enum: reserved[entry.properties.type.const] }, secretKey] } };
  }

  // reproducible timestamps: Unix seconds; they need reproducible enabled.
  const reproducible = objectOf(at(build, 'reproducible'));
  literalOr(reproducible.properties.timestamp, { pattern: pattern(EPOCH) });
  literalOr(branch(reproducible.properties.sourceDateEpoch, (b) => b.type === 'string'), { pattern: pattern(EPOCH) });
  constrain(reproducible, {
    if: { properties: { enabled: { const: false } }, required: ['enabled'] },
    then: { not: { anyOf: [{ required: ['timestamp'] }, { required: ['sourceDateEpoch'] }] } },
  });

  // password env is not one kimia reads; a Rekor URL is http(s).
  const signing = at(build, 'signing');
  signing.properties.passwordEnv.not = { enum: RESERVED_ENV };
  const rekor = branch(signing.properties.transparencyLog, (b) => b.type === 'object');
  rekor.properties.url.pattern = `^${caseless(/https?/)}://`;

  // values.ts: no control characters in any string or map key.
  const control = { pattern: pattern(CONTROL) };
  eachSchema(build, (node) => {
    if (node.type === 'string' && node.enum === undefined && node.const === undefined) forbid(node, control);
    // Stryker disable next-line ConditionalExpression: equivalent, every generated node with an object additionalProperties has type object, and draft-07 applies propertyNames to objects only
    if (node.type === 'object' && typeof node.additionalProperties === 'object') {
      node.propertyNames = node.propertyNames ?? { type: 'string' };
      forbid(node.propertyNames, control);
    }
  });

  // values.ts: counts read as 32-bit integers.
  for (const [engine, field] of [['job', 'ttlSecondsAfterFinished'], ['argo', 'ttlSecondsAfterCompletion'], ['argo', 'activeDeadlineSeconds'], ['argo', 'retryLimit']]) {
    at(build, engine, field).maximum = 2147483647;
  }
}

/** A check only the parser makes: the messages it reports, on which fields, and why. */
export interface ParserOnlyCheck {
  /** The rule in rules.ts (`RULES`), values.ts or config.ts. */
  readonly rule: string;
  /** Matches the messages of the issues the check reports. */
  readonly message: RegExp;
  /** Matches the field (`builds[0].…`) when the message alone would cover represented checks too. */
  readonly field?: RegExp;
  readonly why: string;
}

const CROSS = 'depends on another field';

/**
 * What the parser refuses and the JSON Schema accepts. Every other parse error has its
 * counterpart in the schema (test/json-schema.test.ts checks that on every config we have).
 */
export const PARSER_ONLY: readonly ParserOnlyCheck[] = [
  { rule: 'config: unique build names', message: /^duplicate build name/s, why: 'uniqueItems compares whole builds, not one property of each' },
  { rule: 'params are declared and used', message: /but no param .* is declared|is declared but never used|is not one of/s, why: `${CROSS}: a reference names a key of params (JSON Schema has no $data)` },
  { rule: 'params are declared and used', message: /^params \(\$\{\.\.\.\}\) are not allowed/s, why: 'applies to every string and key of the spec except the templatable fields; left to the parser rather than repeated on each field' },
  { rule: 'params are declared and used', message: /^contains "\$\(": Argo and Tekton put param values/s, why: 'the kubelet-expansion check of param values shares its code with the rendered-value checks; left to the parser' },
  { rule: 'param names the engines declare', message: /is a param the engines declare themselves/s, why: `${CROSS}: GIT_URL, GIT_REVISION, GIT_SECRET with a local context, PLATFORM, PLATFORM_TAG, ARCH, GIT_COMMIT with platforms, SOURCE_DATE_EPOCH with fromGit, BUILDER_IMAGE unless builderImage uses it (the names the engines always declare are refused by the schema)` },
  { rule: 'CI params are declared', message: /which is not declared under params/s, why: `${CROSS}: ci.*Param names a key of params` },
  { rule: 'flags match the builder variant', message: /only works with .*; .* ignores it/s, why: `${CROSS} (variant)` },
  { rule: 'build-arg keys', message: /^build-arg key ".*" must match/s, why: `${CROSS} (variant: only BuildKit checks the key)` },
  { rule: 'label keys', message: /^label key ".*" must be lowercase/s, why: `${CROSS} (variant)` },
  { rule: 'no literal secrets', message: /looks like a secret: literal secrets are refused/s, field: /\.cache\.(export|import)\[\d+\]$/, why: 'the keys of a cache spec are the comma-separated key=value pairs inside one string; a case-insensitive match per pair needs lookbehind, which not every editor\'s regex engine has' },
  { rule: 'git or local context as kimia sees it', message: /^".*\$\{.*" is not recognised as git by kimia/s, why: 'a URL with a param is checked with its sample value (a literal one is a pattern in the schema)' },
  { rule: 'git refs', message: /^".*\$\{.*" is not a git (branch|revision) kimia accepts/s, why: 'a ref with a param is checked with its sample value (a literal one is a pattern in the schema)' },
  { rule: 'BuildKit local context path', message: /would hide kimia's own files|fails under kimia \(BuildKit\)|must be a relative path inside the context/s, why: `${CROSS} (contextSubPath, variant) and on the normalised path (".." segments)` },
  { rule: 'a Job\'s local context is its claim', message: /claim/s, field: /\.context\.local\.claimName$/, why: `${CROSS} (outputs)` },
  { rule: 'tar path under /home/kimia', message: /.*/s, field: /\.(tarPath|tarClaimName)$/, why: `${CROSS} (context, outputs) and on the normalised path` },
  { rule: 'tar path under /home/kimia', message: /^cannot sign a tar archive/s, why: `${CROSS} (tarPath)` },
  { rule: 'multi-arch fan-out', message: /set either platform or platforms|multi-arch needs variant|multi-arch pushes|a Job builds one platform/s, why: `${CROSS} (platform, variant, push, tarPath, outputs)` },
  { rule: 'destinations', message: /has a digest|must be lowercase|is not an image reference|^tag ".*" must match/s, field: /\.destinations\[\d+\]$/, why: 'checked with the sample value of each param it references, on the parsed reference' },
  { rule: 'signing needs attestation and push', message: /^signing needs|^kimia-bud cannot sign|^chains leaves signing/s, why: `${CROSS} (attestation, push, variant, outputs)` },
  { rule: 'cache specs', message: /^reproducible builds run without cache/s, why: `${CROSS} (reproducible)` },
  { rule: 'reproducible timestamps', message: /^must be Unix seconds/s, why: 'a value with a param is checked with its sample value (a literal one is a pattern in the schema)' },
  { rule: 'reproducible timestamps', message: /^fromGit reads the commit time/s, why: `${CROSS} (context)` },
  { rule: 'pinned builder image', message: /must be pinned to a version tag or digest/s, field: /\.builderImage$/, why: 'an image reference parsed (and with param samples); see values.ts images' },
  { rule: 'BuildKit shell metacharacters', message: /kimia \(BuildKit\) rejects/s, why: `${CROSS} (variant)` },
  { rule: 'engine template syntax in values', message: /Argo would read it as a template tag|Tekton would substitute it/s, why: `${CROSS} (outputs); applies to every string and key` },
  { rule: 'values: every string and key', message: /looks like an? .*: literal secrets are refused \(the config/s, why: 'high-confidence secret shapes (secrets.ts) in every string and key: the patterns need lookbehind, which not every editor\'s regex engine has' },
  { rule: 'values: nodeSelector and tolerations', message: /Kubernetes label|must be Exists when key is not set|must be empty when operator is Exists|needs effect NoExecute/s, why: `label syntax with per-part lengths, and ${CROSS} within a toleration` },
  { rule: 'values: resources', message: /is more than the limit/s, why: 'compares two quantities (JSON Schema cannot compare values)' },
  { rule: 'values: Kubernetes names', message: /is not a DNS-1123 subdomain|is not a DNS-1123 label of at most 63|IsConfigMapKey|Secret key/s, why: 'the Job name is checked with param samples and defaults; Secret names and keys share the check with the rendered objects' },
  { rule: 'values: images', message: /is not an image reference: it|must be pinned to a version tag or a digest|is not an image repository|must be a repository without tag or digest/s, why: 'image references are parsed (values.ts parseImage), with param samples' },
  { rule: 'values: Argo version constraint', message: /semver|constraint/is, field: /\.argo\.minArgoVersion$/, why: 'a Masterminds semver constraint grammar, parsed' },
];
