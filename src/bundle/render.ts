/**
 * Rendering a config into bundle files, in memory. Nothing is written here, so a
 * failing build never leaves a half-written bundle behind.
 */
import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { SpecError, type BuildSpec, type Config, type Engine, type ParamValues } from '../spec';
import { jobEngine } from '../job';
import { tektonEngine } from '../tekton';
import { argoEngine, argoHubEngine } from '../argo';
import { policyEngine } from '../policies';
import { toYaml } from './yaml';
import { contentHash } from './content-hash';
import { BundleValidationError, validateDocuments, type BundleIssue } from '../validate';

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
    super([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
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
  for (const build of builds) {
    // One App per build unless the caller gives a scope: cdk8s walks the whole app when a
    // chart synthesizes, which would make rendering quadratic in the number of builds.
    const scope = opts.scope ?? new App();
    const params = Object.fromEntries(Object.entries(opts.params ?? {}).filter(([k]) => k in build.params));
    for (const engine of (opts.engines ?? DEFAULT_ENGINES).filter((e) => rendersWith(e, build))) {
      let rendered;
      try {
        rendered = engine.render(scope, build, { params });
      } catch (e) {
        if (e instanceof SpecError) throw new SpecError(e.issues, { prefix: ['builds', config.builds.indexOf(build)] });
        throw e;
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
