/**
 * The small interface through which bundling knows engines. An engine renders one build
 * into files of Kubernetes documents; it does not know where or how they are written.
 */
import type { Construct } from 'constructs';
import type { BuildSpec } from './schema';
import type { ParamValues } from './resolve';

/** One output file: a path relative to the bundle root and its documents, in order. */
export interface RenderedFile {
  readonly path: string;
  readonly documents: ReadonlyArray<Record<string, unknown>>;
}

export interface RenderOptions {
  /** Values for runtime params (engines that render a concrete run use them). */
  readonly params: ParamValues;
}

export interface Engine {
  /** Short name, e.g. `job`; also the engine's top-level directory in a bundle. */
  readonly name: string;
  /** Renders one build under `scope` (the engine adds its own Chart). */
  render(scope: Construct, spec: BuildSpec, options: RenderOptions): RenderedFile[];
}
