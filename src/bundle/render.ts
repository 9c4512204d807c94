/**
 * Rendering a config into bundle files, in memory. Nothing is written here, so a
 * failing build never leaves a half-written bundle behind.
 */
import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { SpecError, type BuildSpec, type Config, type Engine, type ParamValues, type RenderedFile } from '../spec';
import { jobEngine } from '../job';
import { tektonEngine } from '../tekton';
import { argoEngine, argoHubEngine } from '../argo';
import { policyEngine } from '../policies';
import { toYaml } from './yaml';
import { canonicalJson, contentHash } from './content-hash';
import { BundleValidationError, validateDocuments, type BundleIssue } from '../validate';
import { buildTektonBundle } from '../oci/tekton-bundle';
import { unchangedRelease, type LockFile } from './lock';

/** Engines a bundle renders by default. */
export const DEFAULT_ENGINES: readonly Engine[] = [jobEngine, tektonEngine, argoEngine, argoHubEngine, policyEngine];

export interface RenderBundleOptions {
  /** Runtime param values; each build takes the ones it declares. */
  readonly params?: ParamValues;
  /** Only these builds (by name). @default all */
  readonly builds?: readonly string[];
  /** Engines to render with. @default DEFAULT_ENGINES */
  readonly engines?: readonly Engine[];
  /** Scope for the engines' charts. @default a new App */
  readonly scope?: Construct;
  /** Validate every document (the gate). Only benchmarks turn this off. @default true */
  readonly validate?: boolean;
  /**
   * The released versions. A bundle whose content is that of its latest release stays at that
   * release when the build's version moves (a Pipeline then runs its Task at the Task's release),
   * instead of the same content appearing under a new version. Not applied with param values.
   * @default none: every bundle is written at its build's version
   */
  readonly lock?: LockFile;
}

/** Bundle-relative path -> file content. Paths are sorted. */
export type BundleFiles = ReadonlyMap<string, string>;

/** A versioned unit in a rendered bundle, with its content hash. */
export interface RenderedRelease {
  readonly bundle: string;
  readonly version: string;
  readonly path: string;
  readonly sha256: string;
}

/** Rendered files (sorted by path) and the versioned units among them. */
export class Bundle extends Map<string, string> {
  /**
   * @param releases the versioned units with their content hash; none when rendered with param values
   * @param versions every versioned unit rendered (`<bundle>/<version>`), with param values too
   */
  constructor(entries: Iterable<readonly [string, string]>, readonly releases: readonly RenderedRelease[], readonly versions: ReadonlySet<string> = new Set(releases.map((r) => `${r.bundle}/${r.version}`))) {
    super(sortedByPath(entries));
  }
}

/**
 * Entries in code-unit order of their paths, the same whatever the locale: Array#sort without a
 * comparator compares the strings' UTF-16 code units (ECMA-262 SortCompare). Paths are unique.
 */
export function sortedByPath<T>(entries: Iterable<readonly [string, T]>): Array<[string, T]> {
  const byPath = new Map(entries);
  return [...byPath.keys()].sort().map((p) => [p, byPath.get(p) as T]);
}

/** Whether `engine` renders `build`: its own rule, else the build lists the engine in `outputs`. */
function rendersWith(engine: Engine, build: BuildSpec): boolean {
  return engine.applies ? engine.applies(build) : (build.outputs as readonly string[]).includes(engine.name);
}

/** Picks the builds to render; unknown names and params no build declares are errors. */
function selectBuilds(config: Config, opts: RenderBundleOptions): BuildSpec[] {
  const names = config.builds.map((b) => b.name);
  const wanted = opts.builds ?? names;
  const unknown = wanted.filter((n) => !names.includes(n));
  if (unknown.length) {
    throw new SpecError([{ path: ['builds'], message: `no build named ${unknown.map((n) => `"${n}"`).join(', ')} (builds: ${names.join(', ')})` }]);
  }
  const builds = config.builds.filter((b) => wanted.includes(b.name));
  for (const p of Object.keys(opts.params ?? {})) {
    if (!builds.some((b) => Object.hasOwn(b.params, p))) {
      throw new SpecError([{ path: [], message: `--set ${p}: no selected build declares a param "${p}"` }]);
    }
  }
  return builds;
}

/**
 * Renders every selected build with the engines it asks for and validates every document.
 * Throws SpecError (bad spec) or BundleValidationError (an emitted document breaks a rule).
 */
export function renderBundle(config: Config, opts: RenderBundleOptions = {}): Bundle {
  const files = new Map<string, string>();
  const issues: BundleIssue[] = [];
  const releases: RenderedRelease[] = [];
  const versions = new Set<string>();
  const builds = selectBuilds(config, opts);
  // The digest `kimia-bundles bundle --dir` gives these documents, for READMEs to pin (src/oci/cli.ts bundle: the version annotation is the directory's).
  const bundleDigest = (documents: ReadonlyArray<Record<string, unknown>>, version: string) => buildTektonBundle(documents, { version }).descriptor.digest;
  for (const build of builds) {
    // One App per build unless the caller gives a scope: cdk8s walks the whole app when a
    // chart synthesizes, which would make rendering quadratic in the number of builds.
    const scope = opts.scope ?? new App();
    const params = Object.fromEntries(Object.entries(opts.params ?? {}).filter(([k]) => k in build.params));
    const engines = (opts.engines ?? DEFAULT_ENGINES).filter((e) => rendersWith(e, build));
    const renderAt = (at: Readonly<Record<string, string>>): RenderedFile[] => engines.flatMap((engine) => {
      try {
        return engine.render(scope, build, { params, versions: at, bundleDigest });
      } catch (e) {
        if (e instanceof SpecError) throw new SpecError(e.issues, { prefix: ['builds', config.builds.indexOf(build)] });
        throw e;
      }
    });
    const before = new Set(scope.node.children.map((c) => c.node.id));
    let at: Record<string, string> = {};
    let rendered = renderAt(at);
    // A bundle unchanged since its latest release stays at it. Moving one can change another (a Pipeline
    // names its Task's version), so until nothing moves: at most once per bundle, plus the check.
    const lock = opts.lock;
    for (let pass = 0; lock && Object.keys(params).length === 0; pass++) {
      const next = { ...at };
      for (const f of rendered) {
        if (!('documents' in f) || !f.release) continue;
        const stay = unchangedRelease(lock, f.release.bundle, build.version, contentHash(f.documents));
        if (stay) next[f.release.bundle] = stay;
        else delete next[f.release.bundle];
      }
      if (canonicalJson(next) === canonicalJson(at)) break;
      if (pass > rendered.length) throw new Error(`${build.name}: the versions of its bundles do not settle`);
      for (const c of [...scope.node.children]) if (!before.has(c.node.id)) scope.node.tryRemoveChild(c.node.id);
      at = next;
      rendered = renderAt(at);
    }
    for (const f of rendered) {
      if (files.has(f.path)) throw new Error(`two outputs for ${f.path}`);
      if ('documents' in f) {
        if (opts.validate !== false) issues.push(...validateDocuments(f.path, f.documents));
        // Rendered with run-specific param values: not the content a version stands for.
        if (f.release) versions.add(`${f.release.bundle}/${f.release.version}`);
        if (f.release && Object.keys(params).length === 0) releases.push({ ...f.release, path: f.path, sha256: contentHash(f.documents) });
      }
      files.set(f.path, 'text' in f ? f.text : toYaml(f.documents));
    }
  }
  if (issues.length) throw new BundleValidationError(issues);
  for (const engine of opts.engines ?? DEFAULT_ENGINES) {
    const rendered = builds.filter((b) => rendersWith(engine, b));
    if (!engine.catalog || !rendered.length) continue;
    for (const f of engine.catalog(rendered)) {
      if (files.has(f.path)) throw new Error(`two outputs for ${f.path}`);
      files.set(f.path, f.text);
    }
  }
  return new Bundle(files, releases, versions);
}
