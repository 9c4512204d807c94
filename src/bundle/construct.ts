/**
 * KimiaBundle: the whole versioned bundle as a construct, for a user's own cdk8s app. It yields
 * what `kimia-bundles synth` writes (the Tekton catalog layout, Argo templates, Jobs, READMEs,
 * samples, catalog tests, admission policies, changelogs) with the same lock check, so a cdk8s
 * user never needs the CLI for the bundle.
 */
import * as path from 'node:path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { loadConfig, parseConfig, type Config, type ConfigInput, type ParamValues } from '../spec';
import { lockPathFor } from './lock';
import { prepareSynth, type PreparedSynth } from './synth';

export interface KimiaBundleProps {
  /** The config: the path of a kimia-bundles.yaml, or the config itself (`{ builds: [...] }`). */
  readonly config: string | ConfigInput;
  /**
   * Directory the bundle is written to when the app synthesizes. It is replaced as a whole, and
   * only when it is empty or was written by kimia-bundles (its `.kimia-bundles-output` marker).
   * @default "dist", relative to the working directory
   */
  readonly outDir?: string;
  /**
   * The version lock: a released version whose content changes fails here, naming the version to set.
   * @default "<config>.lock.json" beside a config file; none for a config given as an object
   */
  readonly lockFile?: string;
  /**
   * Values for the builds' runtime params.
   * @default {}
   */
  readonly params?: ParamValues;
  /**
   * Only these builds.
   * @default every build of the config
   */
  readonly builds?: readonly string[];
  /**
   * Write the bundle when `app.synth()` runs (after cdk8s's own output). `false` only renders:
   * read `files` (e.g. in a unit test).
   * @default true
   */
  readonly write?: boolean;
}

/**
 * The versioned bundle of a config, in the user's app: `files` holds every file of the bundle, and
 * `app.synth()` writes them to `outDir`. Bad config or a changed released version throws here, at
 * construction, with the field and the reason (a `SpecError`).
 *
 * The builds render in apps of their own, as the CLI renders them: cdk8s-plus derives labels
 * (`cdk8s.io/metadata.addr`) from the construct path, so a build rendered under this construct
 * would differ from the released bytes the lock records. The bundle's manifests are therefore in
 * `outDir`, not in the app's own cdk8s output.
 */
export class KimiaBundle extends Construct {
  /** The parsed config. */
  readonly config: Config;
  /** Every file of the bundle: path relative to `outDir` -> content, changelogs included. */
  readonly files: ReadonlyMap<string, string>;
  /** Where the bundle is written (absolute). */
  readonly outDir: string;
  private readonly prepared: PreparedSynth;

  constructor(scope: Construct, id: string, props: KimiaBundleProps) {
    super(scope, id);
    const file = typeof props.config === 'string' ? path.resolve(props.config) : undefined;
    this.config = file ? loadConfig(file) : parseConfig(props.config);
    this.outDir = path.resolve(props.outDir ?? 'dist');
    const lockFile = props.lockFile ? path.resolve(props.lockFile) : file ? lockPathFor(file) : undefined;
    this.prepared = prepareSynth(this.config, {
      outDir: this.outDir,
      ...(lockFile ? { lockFile } : {}),
      ...(props.params ? { params: props.params } : {}),
      ...(props.builds ? { builds: props.builds } : {}),
      ...(file ? { protect: [file] } : {}),
    });
    this.files = this.prepared.files;
    if (props.write !== false) {
      // cdk8s has no synth hook: the app's synth writes its own output, then the bundle.
      const app = App.of(this);
      const synth = app.synth.bind(app);
      app.synth = () => {
        synth();
        this.writeBundle();
      };
    }
  }

  /** Writes the bundle to `outDir` now (atomically); returns the kept released version directories. */
  writeBundle(): readonly string[] {
    return this.prepared.write();
  }
}
