/**
 * The kubelet's `$(VAR)` expansion, and the escape that keeps a literal value inert.
 *
 * The kubelet expands `$(VAR)` in a container's `command`, `args` and `env[].value` from the
 * container's environment when it starts it (kubernetes third_party/forked/golang/expansion/expand.go,
 * `Expand` and `tryReadVariableName`). It is one pass over the string:
 * - `$$` becomes `$` (the escape: `$$(VAR)` yields the literal text `$(VAR)`);
 * - `$(NAME)` up to the first `)` is replaced by NAME's value when NAME is defined, else kept as written;
 * - an unclosed `$(`, a `$` before any other character and a final `$` are copied as they are.
 * A literal `$(COSIGN_PASSWORD)` in an argument would therefore become the password. Every literal
 * value placed in those fields goes through {@link containerText}; the engines render the result.
 *
 * Tekton runs its own substitution first (tektoncd/pipeline pkg/substitution/replacements.go,
 * `ApplyReplacements`): one `strings.Replacer` pass over the exact strings `$(<key>)` of the
 * variables it knows (params.x, context.…, workspaces.x.path, results.x.path, step.results.…,
 * steps.…, credentials.path, tasks.…). It has no escape and leaves every other `$(…)`, and so
 * `$$(NAME)`, as written; pkg/pod/entrypoint.go then passes the step's args to the container,
 * where the kubelet expands them like any other, while a step `script` is base64-encoded into
 * a file first (pkg/pod/script.go, `encodeScript`) and never expanded. So the same escape is
 * right for Tekton step args and env, as long as the literal holds no Tekton variable
 * (`$(<name>.` or `$(<name>[`, refused in user values by rules.ts): `$$(params.X)` would still
 * be substituted into `$<value>`.
 *
 * Param references (`${NAME}`) are no literal text: engines render them as `$(params.NAME)` or
 * `{{inputs.parameters.NAME}}`, whose run-time values cannot be escaped here; rules.ts refuses
 * `$(` in param defaults, enum values and examples instead.
 */
import { parseTemplate } from './template';

/**
 * A literal as the kubelet must see it to yield it unchanged: every `$` before `$` or `(` is
 * doubled, and so is a final `$` when `joined` says that more text follows (an engine's value
 * would otherwise complete it, e.g. `$` + `(X)`).
 */
export function escapeKubeletExpansion(literal: string, joined = false): string {
  return literal.replace(joined ? /\$(?=[$(]|$)/g : /\$(?=[$(])/g, '$$$$');
}

/**
 * A spec string as it is written into a container's `command`, `args` or `env[].value`: its
 * literal text escaped for the kubelet ({@link escapeKubeletExpansion}), its `${NAME}`
 * references kept for the engine to render (the escape never makes or breaks a reference).
 */
export function containerText(value: string): string {
  const segments = parseTemplate(value);
  return segments
    .map((s, i) => ('param' in s ? `\${${s.param}}` : escapeKubeletExpansion(s.text, i + 1 < segments.length)))
    .join('');
}
