/**
 * Binding runtime params to values, for engines that render one concrete run (the Job).
 */
import { BuildSpec as BuildSpecSchema } from './schema';
import type { BuildSpec } from './types';
import { paramsIn, renderTemplate } from './template';
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

/** The value at a path of a JSON value, if any. */
function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = value;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, zod's issue paths exist in the value down to their last key (the bound spec has the keys of the written one), so no guard changes what is read
  for (const k of path) v = v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/**
 * Returns the spec with every `${NAME}` replaced by its value (given, else the param's
 * default) and no params left. The result is parsed again, so every fidelity rule also
 * holds for the concrete values. Throws {@link SpecError} naming the param or field.
 */
export function resolveParams(spec: BuildSpec, values: ParamValues = {}): BuildSpec {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  for (const name of Object.keys(values).sort()) {
    if (!Object.hasOwn(spec.params, name)) {
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
  const { params: _declared, ...named } = spec;
  // Fields that name a param (ci.commitParam, ci.sourceDateEpochParam) name nothing once all are bound.
  const rest = named.ci ? { ...named, ci: { ...named.ci, commitParam: undefined, sourceDateEpochParam: undefined } } : named;
  const concrete = substitute(rest, (s) => renderTemplate(s, (n) => bound[n]));
  const parsed = BuildSpecSchema.safeParse({ ...(concrete as object), params: {} });
  if (!parsed.success) {
    // Each issue says which param values its field was given (one line: `field: with …: reason`).
    throw new SpecError(parsed.error.issues.map((i) => {
      const path = i.path as Array<string | number>;
      const written = valueAt(rest, path);
      // Stryker disable next-line ArrayDeclaration: equivalent, params work only in string fields and no rule reports a list or object of the bound spec whose value a param decides
      const names = typeof written === 'string' ? paramsIn(written) : [];
      const given = names.map((n) => `\${${n}}=${JSON.stringify(bound[n])}`).join(', ');
      return { path, message: given ? `with ${given}: ${i.message}` : i.message };
    }));
  }
  return parsed.data;
}
