/**
 * Binding runtime params to values, for engines that render one concrete run (the Job).
 */
import { BuildSpec } from './schema';
import { renderTemplate } from './template';
import { SpecError } from './errors';

/** Values for runtime params, by name. */
export type ParamValues = Readonly<Record<string, string>>;

function substitute(value: unknown, render: (s: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, render));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, render)]));
  }
  return value;
}

/**
 * Returns the spec with every `${NAME}` replaced by its value (given, else the param's
 * default) and no params left. The result is parsed again, so every fidelity rule also
 * holds for the concrete values. Throws {@link SpecError} naming the param or field.
 */
export function resolveParams(spec: BuildSpec, values: ParamValues = {}): BuildSpec {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  for (const name of Object.keys(values).sort()) {
    if (!(name in spec.params)) {
      const declared = Object.keys(spec.params);
      issues.push({
        path: ['params', name],
        message: `no param "${name}" is declared${declared.length ? ` (declared: ${declared.join(', ')})` : ''}`,
      });
    }
  }
  const bound: Record<string, string> = {};
  for (const [name, p] of Object.entries(spec.params)) {
    const v = values[name] ?? p.default;
    if (v === undefined) issues.push({ path: ['params', name], message: `needs a value: give a default or set ${name}=<value>` });
    else if (p.enum && !p.enum.includes(v)) issues.push({ path: ['params', name], message: `"${v}" is not one of ${p.enum.map((e) => `"${e}"`).join(', ')}` });
    else bound[name] = v;
  }
  if (issues.length) throw new SpecError(issues);
  const { params: _declared, ...rest } = spec;
  const concrete = substitute(rest, (s) => renderTemplate(s, (n) => bound[n]));
  const parsed = BuildSpec.safeParse({ ...(concrete as object), params: {} });
  if (!parsed.success) {
    throw new SpecError(parsed.error.issues.map((i) => ({
      path: i.path as Array<string | number>,
      message: `${i.message} (with params ${Object.entries(bound).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`,
    })));
  }
  return parsed.data;
}
