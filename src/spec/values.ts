/**
 * Values checked where they are written: what the API server, the kubelet and the engines would
 * refuse (or misread) later, and literal secrets, reported on the config field at parse time
 * instead of against a rendered file (or not at all).
 *
 * - every string and key: no control characters (NUL can be carried by no Kubernetes field and
 *   no process argument) and no high-confidence secret literal (secrets.ts);
 * - where a map lands in a pod (`nodeSelector`), Kubernetes label rules for keys and values;
 *   tolerations as the API server validates them (pkg/apis/core/validation, ValidateTolerations);
 * - names the API server validates: DNS-1123 subdomains for Secrets, PVCs and ServiceAccounts,
 *   Secret keys (IsConfigMapKey), the Job name (a DNS-1123 label of at most 63 characters);
 * - resource requests not above their limits; counts read as 32-bit integers within range;
 * - image fields: a valid, whitespace-free reference; the tool images of the Tekton and Argo
 *   bundles pinned (their catalogs refuse :latest and untagged images);
 * - `argo.minArgoVersion`: a semver constraint as the Argo catalog reads
 *   `workflows.argoproj.io/version` (Masterminds/semver v1.5.0 `NewConstraint`,
 *   argoproj-labs/argo-workflows-catalog hack/main.go).
 *
 * `labels` are image labels (kimia `--label`), not Kubernetes labels: only the rules above for
 * every string apply to them.
 */
import type { BuildSpec } from './types';
import type { FieldPath } from './argv';
import { paramsIn, renderTemplate, sampleOf } from './template';
import { secretKind } from './secrets';

type Report = (path: FieldPath, message: string) => void;
type Path = Array<string | number>;

/** Visits every string value and every object key of a JSON value (the path ends with the key). */
function eachStringAndKey(value: unknown, onValue: (s: string, at: Path) => void, onKey: (k: string, at: Path) => void): void {
  const path: Path = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') onValue(v, path);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) { path.push(i); walk(v[i]); path.pop(); }
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) { path.push(k); onKey(k, path); walk((v as Record<string, unknown>)[k]); path.pop(); }
    }
  };
  walk(value);
}

// --- Every string --------------------------------------------------------------------------

/** C0 controls but TAB, LF and CR, and DEL. */
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

function controlMessage(s: string, what: string): string | undefined {
  const m = CONTROL.exec(s);
  if (!m) return undefined;
  return m[0] === '\u0000'
    ? `${what}contains NUL (U+0000): no Kubernetes field, file name or process argument can carry it`
    : `${what}contains the control character ${codePoint(m[0])}: write text without terminal or control codes`;
}

const secretMessage = (kind: string, what: string) =>
  `${what}looks like ${kind}: literal secrets are refused (the config, the rendered bundles, their docs and the build logs would all carry it); reference a Secret instead`;

const everyString = (spec: BuildSpec, report: Report) => {
  eachStringAndKey(spec, (s, at) => {
    const control = controlMessage(s, '');
    if (control) report([...at], control);
    const kind = secretKind(s);
    // rules.ts has its own words for a git URL that starts with credentials.
    const gitUrl = at.length === 3 && at[0] === 'context' && at[1] === 'git' && at[2] === 'url';
    const saidByRules = gitUrl && kind === 'a URL with a password' && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(s);
    if (kind && !saidByRules) report([...at], secretMessage(kind, ''));
  }, (k, at) => {
    const control = controlMessage(k, 'the key ');
    if (control) report([...at], control);
    const kind = secretKind(k);
    if (kind) report([...at], secretMessage(kind, 'the key '));
  });
};

// --- Kubernetes names and labels ------------------------------------------------------------

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** What the schema's k8sName() lets through; the stricter DNS_SUBDOMAIN runs only then (one message per field). */
const LOOSE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SHORT = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Why `key` is not a qualified name (`[prefix/]name`, as label and node-selector keys are), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'may hold one "/" at most ([prefix/]name)';
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') return 'has an empty prefix before "/"';
    if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return `prefix "${SHORT(prefix)}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".") of at most 253 characters`;
  }
  if (name === '') return 'has an empty name';
  if (name.length > 63) return `name part must be at most 63 characters (it has ${name.length})`;
  if (!LABEL_NAME.test(name)) return 'name part must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!LABEL_VALUE.test(value)) return 'must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (no "/", spaces or other characters)';
  return undefined;
}

/** Secret keys as the API server checks them (IsConfigMapKey). */
function secretKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'a Secret key must be at most 253 characters';
  if (key === '.' || key === '..' || key.startsWith('..')) return 'a Secret key must not be "." or ".." or start with ".."';
  return undefined;
}

/** Node selectors and tolerations land in the builder's pod spec (Job, Argo templates). */
const podScheduling = (spec: BuildSpec, report: Report) => {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    const kp = qualifiedNameProblem(k);
    if (kp) report(['nodeSelector', k], `the key is not a Kubernetes label key: it ${kp}`);
    const vp = typeof v === 'string' ? labelValueProblem(v) : undefined;
    if (vp) report(['nodeSelector', k], `is not a Kubernetes label value: it ${vp}`);
  }
  spec.tolerations.forEach((t, i) => {
    if (typeof t.key === 'string') {
      const kp = qualifiedNameProblem(t.key);
      if (kp) report(['tolerations', i, 'key'], `is not a Kubernetes label key: it ${kp}`);
    } else if (t.operator !== 'Exists') {
      report(['tolerations', i, 'operator'], 'must be Exists when key is not set (a toleration of every taint); the API server refuses the toleration otherwise');
    }
    if (t.operator === 'Exists' && t.value) report(['tolerations', i, 'value'], 'must be empty when operator is Exists (the API server refuses it)');
    else if (typeof t.value === 'string') {
      const vp = labelValueProblem(t.value);
      if (vp) report(['tolerations', i, 'value'], `is not a Kubernetes label value: it ${vp}`);
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      report(['tolerations', i, 'tolerationSeconds'], 'needs effect NoExecute (the API server refuses tolerationSeconds with other effects)');
    }
  });
};

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const SCALE: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
/** A quantity's value (the schema checked its form), or undefined. */
function quantity(q: unknown): number | undefined {
  const m = typeof q === 'string' ? QUANTITY.exec(q) : null;
  return m ? Number(m[1]) * SCALE[m[2] ?? ''] : undefined;
}

/** The builder's resources: the API server refuses a request above its limit. */
const resources = (spec: BuildSpec, report: Report) => {
  const { requests, limits } = spec.resources ?? {};
  for (const name of ['cpu', 'memory', 'ephemeral-storage'] as const) {
    const [r, l] = [quantity(requests?.[name]), quantity(limits?.[name])];
    if (r !== undefined && l !== undefined && r > l) {
      report(['resources', 'requests', name], `${requests![name]} is more than the limit ${limits![name]}: the API server refuses a request above its limit`);
    }
  }
};

/** Counts the API (or the Argo controller) reads as 32-bit integers. */
const INT32_FIELDS: ReadonlyArray<readonly ['job' | 'argo', string]> = [
  ['job', 'ttlSecondsAfterFinished'], ['argo', 'ttlSecondsAfterCompletion'], ['argo', 'activeDeadlineSeconds'], ['argo', 'retryLimit'],
];
const int32s = (spec: BuildSpec, report: Report) => {
  for (const [engine, field] of INT32_FIELDS) {
    const v = (spec[engine] as unknown as Record<string, unknown> | undefined)?.[field];
    if (typeof v === 'number' && v > 2147483647) report([engine, field], `must be at most 2147483647: ${engine === 'job' ? 'the Job API' : 'Argo'} reads it as a 32-bit integer`);
  }
};

/** Names that become object names or references the API server validates. */
const kubernetesNames = (spec: BuildSpec, report: Report) => {
  const subdomain = (value: unknown, at: FieldPath) => {
    if (typeof value === 'string' && LOOSE_NAME.test(value) && !DNS_SUBDOMAIN.test(value)) {
      report(at, `"${value}" is not a DNS-1123 subdomain: every "."-separated part must start and end with a letter or digit`);
    }
  };
  const secretRef = (ref: { secretName?: unknown; key?: unknown } | undefined, at: FieldPath) => {
    if (!ref) return;
    subdomain(ref.secretName, [...at, 'secretName']);
    const kp = typeof ref.key === 'string' ? secretKeyProblem(ref.key) : undefined;
    if (kp) report([...at, 'key'], kp);
  };
  if (spec.context && 'git' in spec.context) secretRef(spec.context.git.tokenSecret, ['context', 'git', 'tokenSecret']);
  if (spec.context && 'local' in spec.context) subdomain(spec.context.local.claimName, ['context', 'local', 'claimName']);
  secretRef(spec.signing?.key, ['signing', 'key']);
  secretRef(spec.signing?.password, ['signing', 'password']);
  secretRef(spec.signing?.publicKey, ['signing', 'publicKey']);
  subdomain(spec.registry?.credentialsSecret, ['registry', 'credentialsSecret']);
  subdomain(spec.registry?.certificatesSecret, ['registry', 'certificatesSecret']);
  subdomain(spec.serviceAccountName, ['serviceAccountName']);
  subdomain(spec.argo.executorServiceAccountName, ['argo', 'executorServiceAccountName']);

  // The Job's name: checked with a sample for each param, and with the params' defaults.
  const name = spec.job.name;
  if (typeof name === 'string') {
    // Only a Job is named by it: the defaults matter when the build renders one.
    for (const [value, how] of concreteForms(name, spec).filter(([, how]) => spec.outputs.includes('job') || !how.startsWith('with the default'))) {
      if (!DNS_LABEL.test(value) || value.length > 63) {
        report(['job', 'name'], `${how}"${SHORT(value)}" is not a DNS-1123 label of at most 63 characters (lowercase letters, digits and "-"): it names the Job`);
        break;
      }
    }
  }
};

/**
 * The forms of a templatable value worth checking: each `${NAME}` as a one-letter sample, and,
 * when every param it references has a default, with the defaults. Each with how it was made.
 */
function concreteForms(value: string, spec: BuildSpec): Array<[string, string]> {
  const names = paramsIn(value);
  if (names.length === 0) return [[value, '']];
  const forms: Array<[string, string]> = [[sampleOf(value), `with a sample value for ${names.map((n) => `\${${n}}`).join(', ')}, `]];
  const params = spec.params ?? {};
  if (names.every((n) => typeof params[n]?.default === 'string')) {
    forms.push([renderTemplate(value, (n) => params[n].default!), `with the default of ${names.map((n) => `\${${n}}`).join(', ')}, `]);
  }
  return forms;
}

// --- Image references -----------------------------------------------------------------------

/** A repository path component (distribution/reference pathComponent); shared with the OCI client. */
export const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
/** A registry host[:port] (distribution/reference domain); shared with the OCI client. */
export const DOMAIN = /^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(:[0-9]{1,5})?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ParsedImage {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Why {@link splitImageReference} could not split a reference, and the part at fault. */
export interface ImageSplitError {
  readonly error: 'empty' | 'whitespace' | 'digest' | 'tag';
  readonly part?: string;
}

/**
 * The one split of an image reference into name, tag and digest (distribution/reference order:
 * `@digest` last, the tag after the last ":" past the last "/"), checking the tag and digest
 * syntax. The name's own rules are the caller's: parseImage (spec values) and the OCI client's
 * parseReference (src/oci/reference.ts) apply theirs and word their own errors.
 */
export function splitImageReference(ref: string): ParsedImage | ImageSplitError {
  if (ref === '') return { error: 'empty' };
  if (/\s/.test(ref)) return { error: 'whitespace' };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!SHA256_DIGEST.test(digest)) return { error: 'digest', part: digest };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!IMAGE_TAG.test(tag)) return { error: 'tag', part: tag };
  }
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * Parses `[registry[:port]/]repository[:tag][@sha256:…]` with Docker's rules (distribution/reference):
 * the first component is a registry when it holds "." or ":", is `localhost` or has uppercase.
 * Returns the reason it is not a reference instead when it is not one.
 */
export function parseImage(ref: string): ParsedImage | string {
  const split = splitImageReference(ref);
  if ('error' in split) {
    return {
      empty: 'is empty',
      whitespace: 'contains whitespace',
      digest: 'has a digest that is not sha256:<64 lowercase hex digits>',
      tag: 'has a tag that is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}',
    }[split.error];
  }
  const { name: rest, tag, digest } = split;
  const parts = rest.split('/');
  const first = parts[0];
  if (parts.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    if (!DOMAIN.test(first)) return `has a registry "${SHORT(first)}" that is not host[:port]`;
    parts.shift();
  }
  if (parts.some((p) => !PATH_COMPONENT.test(p))) return 'has a repository path that is not lowercase letters and digits, separated by "/", ".", "_", "__" or "-"';
  if (rest.length > 255) return 'has a name longer than 255 characters';
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Tool images of the Tekton and Argo bundles: their catalogs refuse moving tags. */
const TOOL_IMAGES: ReadonlyArray<readonly ['tekton' | 'argo', 'gitImage' | 'cosignImage' | 'craneImage']> = [
  ['tekton', 'gitImage'], ['tekton', 'cosignImage'], ['tekton', 'craneImage'],
  ['argo', 'gitImage'], ['argo', 'cosignImage'], ['argo', 'craneImage'],
];

const isPinned = (p: ParsedImage) => p.digest !== undefined || (p.tag !== undefined && p.tag !== 'latest');

const images = (spec: BuildSpec, report: Report) => {
  for (const [engine, field] of TOOL_IMAGES) {
    const ref = spec[engine][field];
    if (typeof ref !== 'string') continue;
    const p = parseImage(ref);
    if (typeof p === 'string') report([engine, field], `"${SHORT(ref)}" is not an image reference: it ${p}`);
    else if (!isPinned(p)) report([engine, field], `"${SHORT(ref)}" must be pinned to a version tag or a digest (the ${engine === 'tekton' ? 'Tekton' : 'Argo'} catalog refuses :latest and untagged images)`);
  }
  // The builder image may use params: each form is a reference (pinning: rules.ts, and the defaults here).
  if (typeof spec.builderImage === 'string') {
    for (const [value, how] of concreteForms(spec.builderImage, spec)) {
      const p = parseImage(value);
      if (typeof p === 'string') { report(['builderImage'], `${how}"${SHORT(value)}" is not an image reference: it ${p}`); break; }
      if (how.startsWith('with the default') && !isPinned(p)) { report(['builderImage'], `${how}"${SHORT(value)}" must be pinned to a version tag or a digest (not untagged or :latest)`); break; }
    }
  }
  spec.attestation?.attest?.forEach((a, i) => {
    if (a.type !== 'sbom' || typeof a.generator !== 'string') return;
    const p = parseImage(a.generator);
    if (typeof p === 'string') report(['attestation', 'attest', i, 'generator'], `"${SHORT(a.generator)}" is not an image reference: it ${p}`);
  });
  // ci.repository gets the profile's tags appended: a repository, no tag or digest.
  const repo = spec.ci?.repository;
  if (typeof repo === 'string') {
    const p = parseImage(repo);
    if (typeof p === 'string') report(['ci', 'repository'], `"${SHORT(repo)}" is not an image repository: it ${p}`);
    else if (p.tag !== undefined || p.digest !== undefined) report(['ci', 'repository'], `"${SHORT(repo)}" must be a repository without tag or digest: the CI profiles add the tags`);
  }
  // Argo's catalog reads an argument named …IMAGE as an image: its value (the param's default) must be pinned.
  if (spec.outputs.includes('argo')) {
    for (const [name, param] of Object.entries(spec.params ?? {})) {
      if (!/IMAGE$/.test(name) || typeof param.default !== 'string' || param.default === '') continue;
      const p = parseImage(param.default);
      if (typeof p === 'string') report(['params', name, 'default'], `"${SHORT(param.default)}" is not an image reference: it ${p} (the Argo catalog reads a param named …IMAGE as an image)`);
      else if (!isPinned(p)) report(['params', name, 'default'], `"${SHORT(param.default)}" must be pinned to a version tag or a digest: the Argo catalog reads a param named …IMAGE as an image and refuses :latest and untagged ones`);
    }
  }
};

// --- Argo version constraint ----------------------------------------------------------------

/** Go's `\s` (RE2): ASCII whitespace only. */
const WS = '[\\t\\n\\f\\r ]';
/** Masterminds/semver v1.5.0 `cvRegex` (its character classes hold a literal "|", as upstream's do). */
const CV = 'v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?';
const OPS = ['!=', '>=', '=>', '<=', '=<', '~>', '=', '>', '<', '~', '^', ''].map((o) => o.replace(/[\^$.*+?()[\]{}|\\]/g, '\\$&'));
const CONSTRAINT = new RegExp(`^${WS}*(${OPS.join('|')})${WS}*(${CV})${WS}*$`);
const RANGE = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, 'g');
const SEMVER = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
/** What our own output gate accepts (src/validate/argo.ts): the plain forms, e.g. ">= 3.6.0" or ">= 3.6, < 4". */
const GATE_CONSTRAINT = /^(\s*(>=|<=|>|<|=|!=|~|\^)?\s*v?[0-9]+(\.[0-9]+){0,2}\s*,?)+$/;
const isX = (s: string) => s === 'x' || s === 'X' || s === '*';
/** Go's strconv.ParseInt(digits, 10, 64) succeeds (SEMVER matched: decimal digits only). */
const fitsInt64 = (digits: string) => BigInt(digits) <= 9223372036854775807n;

/** True when Masterminds/semver v1.5.0 `NewConstraint` accepts `c`. */
export function isMastermindsConstraint(c: string): boolean {
  let text = c;
  // rewriteRange: "a - b" becomes ">= a, <= b".
  for (const m of [...c.matchAll(RANGE)]) text = text.replace(m[0], `>= ${m[1]}, <= ${m[11]}`);
  for (const or of text.split('||')) {
    for (const item of or.split(',')) {
      const m = CONSTRAINT.exec(item);
      if (!m) return false;
      const [, , whole, major, minor = '', patch = '', pre = ''] = m;
      let version = whole;
      if (isX(major)) version = '0.0.0';
      else if (minor === '' || isX(minor.slice(1))) version = `${major}.0.0${pre}`;
      else if (isX(patch.slice(1))) version = `${major}${minor}.0${pre}`;
      const v = SEMVER.exec(version);
      if (!v || ![v[1], v[2]?.slice(1), v[3]?.slice(1)].every((d) => d === undefined || fitsInt64(d))) return false;
    }
  }
  return true;
}

const argoVersion = (spec: BuildSpec, report: Report) => {
  const c = spec.argo.minArgoVersion;
  if (typeof c !== 'string') return;
  if (!isMastermindsConstraint(c) || !GATE_CONSTRAINT.test(c)) {
    report(['argo', 'minArgoVersion'], `"${SHORT(c)}" is not a semver constraint (workflows.argoproj.io/version, read with Masterminds/semver): write e.g. ">= 3.6.0" or ">= 3.6.0, < 4"`);
  }
};

/** Every check of this module, as one rule of rules.ts. */
export function checkValues(spec: BuildSpec, report: Report): void {
  everyString(spec, report);
  podScheduling(spec, report);
  resources(spec, report);
  int32s(spec, report);
  kubernetesNames(spec, report);
  images(spec, report);
  argoVersion(spec, report);
}
