/**
 * Runtime parameters inside spec strings.
 *
 * A spec string may reference a declared runtime parameter as `${NAME}` (for example
 * `registry.io/app:${TAG}`). Each engine decides what a reference becomes:
 * - a Job substitutes the value given at synth time (`--set TAG=…` or the param's default);
 * - a Tekton Task renders `$(params.TAG)`;
 * - an Argo template renders `{{inputs.parameters.TAG}}`.
 *
 * This module is the only place that knows the `${NAME}` syntax.
 */

/** Parameter names: valid as Tekton param, Argo parameter and environment variable names. */
export const PARAM_NAME = /^[A-Z][A-Z0-9_]*$/;

const REF = /\$\{([^}]*)\}/g;

/** One piece of a template: literal text or a parameter reference. */
export type Segment = { readonly text: string } | { readonly param: string };

/** Splits a string into literal text and `${NAME}` references. */
export function parseTemplate(value: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of value.matchAll(REF)) {
    if (m.index! > last) out.push({ text: value.slice(last, m.index) });
    out.push({ param: m[1] });
    last = m.index! + m[0].length;
  }
  if (last < value.length) out.push({ text: value.slice(last) });
  return out;
}

/** Names of the parameters a string references, in order of first use. */
export function paramsIn(value: string): string[] {
  const names: string[] = [];
  for (const s of parseTemplate(value)) {
    if ('param' in s && !names.includes(s.param)) names.push(s.param);
  }
  return names;
}

/** True when the string references at least one parameter. */
export function hasParams(value: string): boolean {
  return parseTemplate(value).some((s) => 'param' in s);
}

/** Replaces every `${NAME}` with `render(NAME)`; literal text is kept as is. */
export function renderTemplate(value: string, render: (name: string) => string): string {
  return parseTemplate(value)
    .map((s) => ('param' in s ? render(s.param) : s.text))
    .join('');
}

/**
 * The string with each reference replaced by a harmless sample, so that rules about
 * literal text (lowercase repository, allowed characters) can run before the value is known.
 * The concrete value is checked again when a Job is rendered with it.
 */
export function sampleOf(value: string, sample = 'x'): string {
  return renderTemplate(value, () => sample);
}
