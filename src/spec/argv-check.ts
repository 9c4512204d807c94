/**
 * kimia's argv rules checked on argv found in YAML on disk (ours or hand-written), where no
 * spec exists: the same facts as rules.ts (kimia.md §1–§5), seen from the command line.
 */
import * as path from 'node:path';
import FLAG_TABLE from './kimia-flags.json';
import { BUILD_ARG_KEY, describeMeta, FLAG_VARIANTS, LABEL_KEY, looksLikeGit, SHELL_META } from './rules';
import { DEFAULT_LOCAL_CONTEXT, KIMIA_HOME, type Variant } from './defaults';
import { buildkitLocalContextOk, flagValueProblem, kimiaContextPath, NOT_IN_BUILDCTL_ARGS } from './kimia-values';

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

/**
 * One flag as kimia's hand-written parser reads it (kimia.md §1, kimia-flags.json): `--flag=value`
 * in one element, or the space form `--flag value` where the flag takes the next element.
 */
export interface KimiaArg {
  /** The long flag name (a short flag such as `-d` is mapped to `--destination`). */
  readonly flag: string;
  /** The value kimia reads; undefined for a presence flag or a flag left without one. */
  readonly value?: string;
  /** Index of the flag's element. */
  readonly index: number;
  /** Index of the element holding the value: `index` in `--flag=value` form, `index + 1` in space form. */
  readonly valueIndex: number;
  /**
   * `joined`: `--flag=value`; `split`: `--flag value`; `empty`: `--flag=` followed by the value it
   * falls through to; `bare`: no value (presence flag, or nothing to take).
   */
  readonly form: 'joined' | 'split' | 'empty' | 'bare';
  /** The short name as written (`-d`), when one was used. */
  readonly short?: string;
  /** False for a flag kimia does not know (it warns and goes on, taking no value). */
  readonly known: boolean;
  /** The `=value` given to a presence flag (kimia ignores it). */
  readonly ignoredValue?: string;
}

/** A kimia argv read once, as kimia reads it; every check works on these pairs. */
export interface ParsedKimiaArgv {
  readonly flags: readonly KimiaArg[];
  /** Elements that are neither a flag nor a value some flag took (kimia ignores them). */
  readonly strays: ReadonlyArray<{ readonly index: number; readonly text: string }>;
}

const SHORT = new Map(FLAG_TABLE.filter((f) => f.short).map((f) => [f.short as string, f.flag]));
/**
 * Value flags that take the next element only when it does not start with `-` (kimia v1.0.25
 * cmd/kimia/args.go: `!strings.HasPrefix(args[i+1], "-")` at --context-sub-path :77, --cache :102,
 * --export-cache :122, --import-cache :136, --attestation :321, --attest :340, --buildkit-opt :356,
 * --cosign-key :371, --cosign-password-env :381). Every other value flag takes it whatever it is.
 */
const TAKES_NEXT_UNLESS_DASH = new Set(['--context-sub-path', '--cache', '--export-cache', '--import-cache', '--attestation', '--attest', '--buildkit-opt', '--cosign-key', '--cosign-password-env']);
/** Value flags kimia stops at with `[FATAL] <flag> requires a value` when there is none to take (args.go:126,140,344,360,375,385,396). */
const FATAL_WITHOUT_VALUE = new Set(['--export-cache', '--import-cache', '--attest', '--buildkit-opt', '--cosign-key', '--cosign-password-env', '--buildah-opt']);
/** Flags after which kimia prints its help or version and exits 0 without building (args.go:49-55). */
const EXITS = new Map([['--help', 'its help'], ['--version', 'its version']]);
/** Flags of kimia's enterprise edition: the OSS kimia exits 1 (main.go:90-100). */
const ENTERPRISE = new Set(['--scan', '--harden']);
/** The first arguments main.go:17-23 also reads as help or version (only in first place). */
const FIRST_ARG_EXITS = new Map([['help', 'its help'], ['-help', 'its help'], ['version', 'its version'], ['-version', 'its version']]);
/** A Tekton array param expanded in place: its items are unknown here. */
const ARRAY_PARAM = /^\$\(params\.[^)]*\[\*\]\)$/;

/**
 * Reads a kimia argv the way kimia does (kimia.md §1): an element with `=` splits at the first `=`;
 * a value flag without one (or with an empty value) takes the next element, even one starting
 * with `-`, except `--cache`, `--attestation` and `--context-sub-path`, which take it only when it
 * does not; presence flags never take one. Reading stops at the Tekton wrapper's `--kimia-bundles-*`
 * markers (what follows is not kimia's).
 */
export function parseKimiaArgv(args: readonly string[]): ParsedKimiaArgv {
  const flags: KimiaArg[] = [];
  const strays: Array<{ index: number; text: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]); // YAML may hold a number or a boolean here
    if (STOP.test(arg)) break;
    if (ARRAY_PARAM.test(arg)) continue;
    if (!arg.startsWith('-') || arg === '-') { strays.push({ index: i, text: arg }); continue; }
    const [name, ...rest] = arg.split('=');
    const joined = rest.length ? rest.join('=') : undefined;
    const long = !name.startsWith('--') ? SHORT.get(name) : name;
    const short = !name.startsWith('--') ? name : undefined;
    const flag = long ?? name;
    const known = long !== undefined && FLAGS.has(long);
    if (!known) { flags.push({ flag, index: i, valueIndex: i, form: 'bare', known: false, ...(short ? { short } : {}) }); continue; }
    if (PRESENCE.has(flag)) {
      flags.push({ flag, index: i, valueIndex: i, form: 'bare', known, ...(short ? { short } : {}), ...(joined !== undefined ? { ignoredValue: joined } : {}) });
      continue;
    }
    // args.go:77: `--context-sub-path=""` (two quote characters) counts as empty.
    const emptyValue = joined === '' || (flag === '--context-sub-path' && joined === '""');
    if (joined !== undefined && !emptyValue) {
      flags.push({ flag, value: joined, index: i, valueIndex: i, form: 'joined', known, ...(short ? { short } : {}) });
      continue;
    }
    const next = i + 1 < args.length ? String(args[i + 1]) : undefined;
    const takes = next !== undefined && !STOP.test(next) && !ARRAY_PARAM.test(next)
      && !(TAKES_NEXT_UNLESS_DASH.has(flag) && next.startsWith('-'))
      && !(flag === '--context-sub-path' && next === ''); // args.go:77 len(args[i+1]) > 0
    if (takes) {
      // args.go:80: a taken `""` leaves the sub-path empty.
      const taken = flag === '--context-sub-path' && next === '""' ? '' : next;
      flags.push({ flag, value: taken, index: i, valueIndex: i + 1, form: joined === undefined ? 'split' : 'empty', known, ...(short ? { short } : {}) });
      i++;
    } else {
      flags.push({ flag, index: i, valueIndex: i, form: joined === undefined ? 'bare' : 'empty', known, ...(short ? { short } : {}) });
    }
  }
  return { flags, strays };
}

/**
 * Checks one kimia argv. `variant` decides which flags apply (kimia = BuildKit). The argv is read
 * once ({@link parseKimiaArgv}); every rule sees the same (flag, value) pairs, whichever form an
 * element was written in. Problems with the form are reported at the flag's element, problems with
 * a value at the element that holds it.
 */
export function checkKimiaArgv(args: readonly string[], variant: Variant): ArgvIssue[] {
  const issues: ArgvIssue[] = [];
  const add = (index: number, message: string) => issues.push({ index, message });
  const seen = new Map<string, number>();
  const values = new Map<string, string>();
  // args.go:29-33: no arguments at all, kimia prints its help and exits 0 without building.
  if (!args.length) return [{ index: -1, message: 'no arguments: kimia prints its help and exits 0 without building (--context and at least one --destination are required)' }];
  const first = FIRST_ARG_EXITS.get(String(args[0]));
  if (first) add(0, `"${String(args[0])}" as the first argument makes kimia print ${first} and exit 0 without building (main.go)`);
  // main.go:29-32: the environment check alone, its exit code kimia's; nothing after it is read.
  else if (args[0] === 'check-environment') add(0, '"check-environment" as the first argument makes kimia run its environment check and exit without building (main.go:29-32)');
  const parsed = parseKimiaArgv(args);
  const events: Array<{ index: number; run: () => void }> = [];
  for (const s of parsed.strays) {
    events.push({ index: s.index, run: () => add(s.index, `"${s.text}" is not a flag: kimia takes values as --flag=value in one element`) });
  }
  for (const a of parsed.flags) events.push({ index: a.index, run: () => checkFlag(a) });
  events.sort((x, y) => x.index - y.index);

  function checkFlag(a: KimiaArg) {
    const { flag, value, index: i, valueIndex: v } = a;
    const exits = EXITS.get(flag);
    if (exits && a.known) { add(i, `${a.short ?? flag} makes kimia print ${exits} and exit 0 without building`); return; }
    if (a.short) add(i, `short flag ${a.short}: write ${a.known ? flag : '--flag'}=value as one element`);
    if (!a.known) { if (!a.short) add(i, `${flag} is not a kimia flag: kimia only warns and ignores it`); return; }
    seen.set(flag, i);
    if (ENTERPRISE.has(flag)) add(i, `${flag} is an enterprise-only feature: the OSS kimia exits 1 (main.go:90-100)`);
    if (PRESENCE.has(flag)) {
      if (a.ignoredValue !== undefined) add(i, `${flag} is a presence flag: any =value (even =false) still enables it; omit the flag to disable`);
      return;
    }
    if (a.form === 'empty') add(i, `${flag}= has an empty value: kimia would take the next argument as its value`);
    else if (a.form === 'split' && !a.short) add(i, `${flag} needs =value in the same element: in space form kimia takes the next argument`);
    else if (a.form === 'bare' && FATAL_WITHOUT_VALUE.has(flag)) add(i, `${flag} has no value: kimia stops with "${flag} requires a value" (write ${flag}=value in one element)`);
    else if (a.form === 'bare' && flag !== '--cache' && flag !== '--attestation') add(i, `${flag} has no value: write ${flag}=value in one element`);
    if (value === undefined) return;
    values.set(flag, value);
    const variants = FLAG_VARIANTS.get(flag) ?? FLAGS.get(flag)!.variants;
    // A flag of both variants is never refused, so `variants` names the one other variant.
    if (!variants.includes(variant)) add(i, `${flag} only works with ${variants[0]}; ${variant} ignores it`);
    const lit = literal(value);
    // kimia's own checks of the value (kimia-values.ts, shared with rules.ts); a templated value is checked when it is bound.
    const valueProblem = templated(value) ? undefined : flagValueProblem(flag, value);
    if (valueProblem) add(v, valueProblem);
    if (variant === 'kimia' && !NOT_IN_BUILDCTL_ARGS.has(flag) && SHELL_META.test(lit)) add(v, `contains ${describeMeta(lit)}: kimia (BuildKit) rejects ; & | \` $ ( ) < > CR and LF`);
    if (flag === '--build-arg') {
      const [k, ...rest] = value.split('=');
      // KEY alone or KEY= takes the value from the environment under Buildah (builder.go:186-193);
      // BuildKit's validation needs key=value (validation.go ValidateBuildArgKeyValue).
      if (!rest.length || rest.join('=') === '') { if (variant === 'kimia') add(v, '--build-arg needs KEY=VALUE with a value under kimia (BuildKit); only kimia-bud takes a bare KEY from the environment'); }
      else if (variant === 'kimia' && !templated(k) && !BUILD_ARG_KEY.test(k)) add(v, `build-arg key "${k}" must match ^[A-Z_][A-Z0-9_]*$`);
    }
    if (flag === '--label') {
      const k = value.split('=')[0];
      if (!value.includes('=')) add(v, '--label needs key=value');
      else if (variant === 'kimia' && !templated(k) && !LABEL_KEY.test(k)) add(v, `label key "${k}" must be lowercase (^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$)`);
    }
    if (flag === '--tar-path' && !templated(value) && !path.posix.normalize(value).startsWith(`${KIMIA_HOME}/`)) add(v, `--tar-path must be under ${KIMIA_HOME}/`);
    if (flag === '--custom-platform' && value.includes(',')) add(v, 'one platform per build: kimia rejects lists');
  }
  for (const e of events) e.run();
  const has = (f: string) => seen.has(f);
  if (has('--sign') && !has('--attestation') && !has('--attest')) add(seen.get('--sign')!, '--sign needs --attestation or --attest: kimia exits 1 otherwise');
  if (has('--attestation') && has('--attest')) add(seen.get('--attest')!, 'do not combine --attestation with --attest: kimia drops --attestation');
  if (!has('--context')) add(0, '--context is required (kimia exits 1 without it)');
  if (!has('--destination')) add(0, 'at least one --destination is required, even without a push');
  const context = values.get('--context');
  if (variant === 'kimia' && context !== undefined && !templated(context) && !looksLikeGit(context)) {
    const sub = values.get('--context-sub-path');
    const joined = kimiaContextPath(context, sub === undefined ? undefined : literal(sub));
    if (!buildkitLocalContextOk(joined)) {
      add(seen.get('--context')!, `local context "${joined}" fails under kimia (BuildKit): use /workspace, ${DEFAULT_LOCAL_CONTEXT} or a path under ${KIMIA_HOME}`);
    }
  }
  return issues;
}
