/**
 * High-confidence patterns of literal secrets: tokens and keys whose shape is their own (a vendor
 * prefix, a fixed length, a PEM header). A match in a build spec is refused (see `values.ts`),
 * and any error line that would echo one shows its kind instead (see `errors.ts`).
 *
 * Only shapes that ordinary values never have: image references, `sha256:` digests, git SHAs,
 * URLs without a password and prose do not match.
 */

/** A kind of secret and the pattern of its literal form (global, for replacing). */
export interface SecretPattern {
  readonly kind: string;
  readonly pattern: RegExp;
}

/** Not preceded by a letter, digit or `_`: a prefix must start a token, not sit inside a word. */
const START = '(?<![A-Za-z0-9_])';
/** Not followed by more token characters. */
const END = '(?![A-Za-z0-9_])';

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'a private key', pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----/g },
  { kind: 'a GitHub token', pattern: new RegExp(`${START}(gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})${END}`, 'g') },
  { kind: 'an AWS access key id', pattern: new RegExp(`${START}(AKIA|ASIA)[A-Z0-9]{16}${END}`, 'g') },
  { kind: 'a GitLab token', pattern: new RegExp(`${START}gl(pat|dt|rt|ptt|cbt|oas|soat)-[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'a Slack token', pattern: new RegExp(`${START}xox[abposr]-[A-Za-z0-9-]{10,}`, 'g') },
  { kind: 'a Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9_/-]{20,}/g },
  { kind: 'an npm token', pattern: new RegExp(`${START}npm_[A-Za-z0-9]{36}${END}`, 'g') },
  { kind: 'a PyPI token', pattern: new RegExp(`${START}pypi-AgE[A-Za-z0-9_-]{50,}`, 'g') },
  { kind: 'a Docker Hub token', pattern: new RegExp(`${START}dckr_(pat|oat)_[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'a Google API key', pattern: new RegExp(`${START}AIza[0-9A-Za-z_-]{35}${END}`, 'g') },
  { kind: 'a Stripe secret key', pattern: new RegExp(`${START}(sk|rk)_live_[0-9A-Za-z]{20,}`, 'g') },
  { kind: 'an OpenAI key', pattern: new RegExp(`${START}sk-(proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'an Anthropic key', pattern: new RegExp(`${START}sk-ant-[a-z0-9]+-[A-Za-z0-9_-]{40,}`, 'g') },
  { kind: 'a SendGrid key', pattern: new RegExp(`${START}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${END}`, 'g') },
  { kind: 'a JSON Web Token', pattern: new RegExp(`${START}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*`, 'g') },
  // scheme://[user]:password@host — a password in a URL (not user@host, not host:port/path@x).
  { kind: 'a URL with a password', pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/g },
];

/** The kind of the first secret-looking literal in `text`, or undefined. */
export function secretKind(text: string): string | undefined {
  for (const { kind, pattern } of SECRET_PATTERNS) {
    pattern.lastIndex = 0;
    if (pattern.test(text)) return kind;
  }
  return undefined;
}

/** `text` with every secret-looking literal replaced by `<redacted: its kind>`. */
export function redactSecrets(text: string): string {
  let out = text;
  // A global pattern's replace starts at 0 whatever its lastIndex, and replaces nothing where it does not match.
  // Stryker disable next-line Regex: equivalent, every kind starts with its article ("a " or "an "), so the first match is at 0
  for (const { kind, pattern } of SECRET_PATTERNS) out = out.replace(pattern, `<redacted ${kind.replace(/^an? /, '')}>`);
  return out;
}
