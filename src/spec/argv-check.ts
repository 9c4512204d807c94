/**
 * kimia's argv rules checked on argv found in YAML on disk (ours or hand-written), where no
 * spec exists: the same facts as rules.ts (kimia.md §1–§5), seen from the command line.
 */
import * as path from 'node:path';
import FLAG_TABLE from './kimia-flags.json';
import { BUILD_ARG_KEY, describeMeta, FLAG_VARIANTS, LABEL_KEY, looksLikeGit, SHELL_META } from './rules';
import { DEFAULT_LOCAL_CONTEXT, KIMIA_HOME, type Variant } from './defaults';

/** A problem with one argv element. */
export interface ArgvIssue {
  readonly index: number;
  readonly message: string;
}

const FLAGS = new Map(FLAG_TABLE.map((f) => [f.flag, f]));
/** Flags whose presence is the value (kimia.md §1); `--cache` takes an optional boolean instead. */
const PRESENCE = new Set(FLAG_TABLE.filter((f) => f.type === 'bool' && f.flag !== '--cache').map((f) => f.flag));
/** Markers after which arguments are not kimia's (the Tekton wrapper's BUILD_ARGS / EXTRA_ARGS). */
const STOP = /^--kimia-bundles-/;
/** Engine placeholders: Tekton `$(params.x)`, Argo `{{inputs.parameters.x}}`. */
const PLACEHOLDER = /\$\((params|results|workspaces|context)[^)]*\)|\{\{[^}]*\}\}/g;

const literal = (v: string) => v.replace(PLACEHOLDER, 'x');
const templated = (v: string) => literal(v) !== v;

/** Checks one kimia argv. `variant` decides which flags apply (kimia = BuildKit). */
export function checkKimiaArgv(args: readonly string[], variant: Variant): ArgvIssue[] {
  const issues: ArgvIssue[] = [];
  const add = (index: number, message: string) => issues.push({ index, message });
  const seen = new Map<string, number>();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (STOP.test(arg)) break;
    if (/^\$\(params\.[^)]*\[\*\]\)$/.test(arg)) continue;
    if (!arg.startsWith('--')) {
      add(i, arg.startsWith('-') ? `short flag ${arg}: write --flag=value as one element` : `"${arg}" is not a flag: kimia takes values as --flag=value in one element`);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? undefined : arg.slice(eq + 1);
    const known = FLAGS.get(flag);
    if (!known) { add(i, `${flag} is not a kimia flag: kimia only warns and ignores it`); continue; }
    seen.set(flag, i);
    if (PRESENCE.has(flag)) {
      if (value !== undefined) add(i, `${flag} is a presence flag: any =value (even =false) still enables it; omit the flag to disable`);
      continue;
    }
    if (value === undefined) {
      if (flag !== '--cache' && flag !== '--attestation') add(i, `${flag} needs =value in the same element: in space form kimia takes the next argument`);
      continue;
    }
    if (value === '') { add(i, `${flag}= has an empty value: kimia would take the next argument as its value`); continue; }
    values.set(flag, value);
    const variants = FLAG_VARIANTS.get(flag) ?? known.variants;
    if (!variants.includes(variant)) add(i, `${flag} only works with ${variants.join(', ')}; ${variant} ignores it`);
    const lit = literal(value);
    if (variant === 'kimia' && SHELL_META.test(lit)) add(i, `contains ${describeMeta(lit)}: kimia (BuildKit) rejects ; & | \` $ ( ) < > CR and LF`);
    if (flag === '--build-arg') {
      const [k, ...rest] = value.split('=');
      if (!rest.length || rest.join('=') === '') add(i, '--build-arg needs KEY=VALUE with a value');
      else if (variant === 'kimia' && !templated(k) && !BUILD_ARG_KEY.test(k)) add(i, `build-arg key "${k}" must match ^[A-Z_][A-Z0-9_]*$`);
    }
    if (flag === '--label') {
      const k = value.split('=')[0];
      if (!value.includes('=')) add(i, '--label needs key=value');
      else if (variant === 'kimia' && !templated(k) && !LABEL_KEY.test(k)) add(i, `label key "${k}" must be lowercase (^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$)`);
    }
    if (flag === '--tar-path' && !templated(value) && !path.posix.normalize(value).startsWith(`${KIMIA_HOME}/`)) add(i, `--tar-path must be under ${KIMIA_HOME}/`);
    if (flag === '--custom-platform' && value.includes(',')) add(i, 'one platform per build: kimia rejects lists');
  }
  const has = (f: string) => seen.has(f);
  if (has('--sign') && !has('--attestation') && !has('--attest')) add(seen.get('--sign')!, '--sign needs --attestation or --attest: kimia exits 1 otherwise');
  if (has('--attestation') && has('--attest')) add(seen.get('--attest')!, 'do not combine --attestation with --attest: kimia drops --attestation');
  if (!has('--context')) add(args.length ? 0 : -1, '--context is required (kimia exits 1 without it)');
  if (!has('--destination')) add(args.length ? 0 : -1, 'at least one --destination is required, even without a push');
  const context = values.get('--context');
  if (variant === 'kimia' && context !== undefined && !templated(context) && !looksLikeGit(context)) {
    const joined = path.posix.normalize(path.posix.join(context, literal(values.get('--context-sub-path') ?? '')));
    if (!(joined === '/workspace' || joined === DEFAULT_LOCAL_CONTEXT || joined.startsWith(`${KIMIA_HOME}/`))) {
      add(seen.get('--context')!, `local context "${joined}" fails under kimia (BuildKit): use /workspace, ${DEFAULT_LOCAL_CONTEXT} or a path under ${KIMIA_HOME}`);
    }
  }
  return issues;
}
