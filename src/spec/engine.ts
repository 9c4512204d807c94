/**
 * The small interface through which bundling knows engines. An engine renders one build
 * into files of Kubernetes documents; it does not know where or how they are written.
 */
import type { Construct } from 'constructs';
import type { BuildSpec } from './types';
import type { ParamValues } from './resolve';

/** One output file, relative to the bundle root: Kubernetes documents (written as YAML) or text. */
export type RenderedFile =
  | { readonly path: string; readonly documents: ReadonlyArray<Record<string, unknown>>; readonly release?: ReleaseUnit }
  | { readonly path: string; readonly text: string };

/**
 * Marks the file that holds a versioned bundle's content (a Task, Pipeline, template or Job):
 * its content may not change once `bundle` at `version` is released (see the lock file).
 */
export interface ReleaseUnit {
  /** Bundle key, e.g. `tekton/task/kimia-build`. */
  readonly bundle: string;
  readonly version: string;
}

export interface RenderOptions {
  /** Values for runtime params (engines that render a concrete run use them). */
  readonly params: ParamValues;
  /**
   * The version to write a bundle at, by bundle key (`tekton/task/<name>`), where it is not the
   * build's: bundling keeps a bundle whose content equals its latest release at that release
   * instead of emitting the same content under a new version.
   * @default the build's version for every bundle
   */
  readonly versions?: Readonly<Record<string, string>>;
  /**
   * The digest of the Tekton bundle `kimia-bundles bundle --dir <bundle>/<version>` makes of these
   * documents (its version annotation is the directory's), for READMEs to pin a resolver reference to.
   * Bundling passes src/oci's.
   * @default none: references name the tag
   */
  readonly bundleDigest?: (documents: ReadonlyArray<Record<string, unknown>>, version: string) => string;
}

/** The spec at the version `bundle` is written at (see {@link RenderOptions.versions}). */
export function atBundleVersion(spec: BuildSpec, options: Pick<RenderOptions, 'versions'>, bundle: string): BuildSpec {
  const v = options.versions && Object.hasOwn(options.versions, bundle) ? options.versions[bundle] : spec.version;
  return v === spec.version ? spec : { ...spec, version: v };
}

export interface Engine {
  /** Short name, as in a build's `outputs` (e.g. `job`); also its top-level directory in a bundle. */
  readonly name: BuildSpec['outputs'][number] | 'policies';
  /** Whether the engine renders this build; default: the build lists the engine in `outputs`. */
  applies?(spec: BuildSpec): boolean;
  /** Renders one build under `scope` (the engine adds its own Chart). */
  render(scope: Construct, spec: BuildSpec, options: RenderOptions): RenderedFile[];
  /**
   * Whether a file of a released version kept from the previous output is carried over (its
   * released content is; e.g. tests the engine's own CI conventions no longer run may go).
   * @default every file
   */
  keepsReleasedFile?(rel: string, abs: string): boolean;
  /** Files of the engine's whole catalog (e.g. repository metadata), from every build it rendered. */
  catalog?(specs: readonly BuildSpec[]): Array<{ readonly path: string; readonly text: string }>;
}
