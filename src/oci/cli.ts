/**
 * The OCI commands of the `kimia-bundles` CLI: `bundle`, `push`, `pull`, `list`, `describe`.
 * Exit codes: 0 success; 1 a failed operation (network, auth, registry, corrupt content);
 * 2 usage or bad input. Every error is one line, without a stack trace or a secret.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBundleArtifact, bundleConfigOf, isBundleArtifact, unpackBundleArtifact } from './artifact';
import { credentialsFor, loadDockerConfig } from './docker-config';
import { BundleInputError, DockerConfigError, InvalidReferenceError, OciContentError, RegistryError } from './errors';
import { parseIndex, parseManifest, tektonLayers, type OciImage } from './image';
import { readLayout, writeLayout } from './layout';
import { Annotation, INDEX_TYPES, type Descriptor, type OciAnnotationOptions } from './media-types';
import { formatReference, parseReference, parseRepository, type ImageReference } from './reference';
import { listReferrers } from './referrers';
import { RegistryClient, type FetchLike } from './registry';
import { buildTektonBundle, catalogVersionDir, loadTektonFiles, readTektonBundle } from './tekton-bundle';
import { gunzip, readTar } from './tar';
import { pullImage, pushImage } from './transfer';
import { BundleWriteError, OutputRefusedError } from '../output';

/** The OCI commands. */
export type OciCommand = 'bundle' | 'push' | 'pull' | 'list' | 'describe';

/** Where the commands write. */
export interface OciCommandIO {
  out(s: string): void;
  err(s: string): void;
}

/**
 * The validation gate `bundle` and `push` run over the YAML they package, before anything is
 * written or pushed. The CLI passes src/validate's (`packagingGate`); src/oci does not import it.
 * Each function returns one `file: Kind/name: path: message` line per finding.
 */
export interface OciValidationGate {
  /** YAML texts, each reported under its path. */
  texts(files: ReadonlyArray<{ readonly path: string; readonly text: string }>): string[];
  /** Parsed documents, reported under `file`. */
  documents(file: string, documents: ReadonlyArray<Record<string, unknown>>): string[];
}

/** Test seams: environment (DOCKER_CONFIG, SOURCE_DATE_EPOCH, HOME) and fetch; the validation gate. */
export interface OciCommandDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: FetchLike;
  /** Without one, nothing is validated (the library's own callers validate what they render). */
  readonly gate?: OciValidationGate;
}

/** Content the gate refused: one line per finding; nothing was written or pushed. */
class GateError extends Error {
  constructor(readonly findings: readonly string[]) {
    super(`${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  }
}

function refuseFindings(findings: readonly string[] | undefined): void {
  if (findings?.length) throw new GateError(findings);
}

const YAML_FILE = /\.ya?ml$/;

/** The YAML files of a bundle artifact, as pushed, named `DIR/<path>`. */
function artifactYaml(dir: string, image: OciImage): Array<{ path: string; text: string }> {
  const layer = image.blobs.get(image.manifest.layers[0].digest)!;
  return readTar(gunzip(layer))
    .filter((e) => e.type === 'file' && YAML_FILE.test(e.path))
    .map((e) => ({ path: path.posix.join(dir.split(path.sep).join('/'), e.path), text: Buffer.from(e.data).toString('utf8') }));
}

/** Findings for the Tekton objects of a layout image, each named by its layer blob. */
function layoutFindings(layout: string, image: OciImage, gate: OciValidationGate): string[] {
  const tekton = image.manifest.layers.filter((l) => tektonLayers({ ...image.manifest, layers: [l] }).length);
  if (!tekton.length) return [];
  const objects = readTektonBundle({ ...image, manifest: { ...image.manifest, layers: tekton } });
  return objects.flatMap((o, i) => {
    const [alg, hex] = tekton[i].digest.split(':');
    return gate.documents(path.join(layout, 'blobs', alg, hex), o.object && typeof o.object === 'object' ? [o.object] : []);
  });
}

/** Usage text of each command (`kimia-bundles <command> --help`). */
export const OCI_USAGE: Readonly<Record<OciCommand, string>> = {
  bundle: `Usage: kimia-bundles bundle (--dir DIR | --file FILE...) --out LAYOUT [options]
Write a Tekton bundle (one layer per Task/Pipeline, at most 20) as an OCI image layout; print its digest.
  --dir DIR              a catalog version directory (dist/tekton/task/<name>/<version>): bundles <name>.yaml
  --file FILE            a YAML file of Tekton objects (repeatable; instead of --dir)
  --out LAYOUT           the OCI layout directory to write (replaced if it is one)
  --tag TAG              tag recorded in the layout (default: the version)
  --source URL --revision SHA --version V --description TEXT   org.opencontainers.image.* annotations
  --source-date-epoch N  created time (default: $SOURCE_DATE_EPOCH, else 1970-01-01)`,
  push: `Usage: kimia-bundles push (--layout LAYOUT | --dir DIR) REF [options]
Push a Tekton bundle layout, or a whole bundle directory as an OCI artifact; print repo:tag@digest.
  --layout LAYOUT        an OCI layout written by "bundle"
  --dir DIR              any bundle directory (YAML, README, samples), pushed as a kimia-bundles artifact
  --subject IMAGE@DIGEST make the artifact a referrer of that image (same repository)
  --source URL --revision SHA --version V --description TEXT --source-date-epoch N   (with --dir)
  --docker-config FILE   credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)
  --insecure             plain HTTP (a local registry)
  --retries N            retries on transient errors (default 3)
  --chunk-size BYTES     upload blobs in chunks of this size`,
  pull: `Usage: kimia-bundles pull REF --out DIR [--docker-config FILE] [--insecure] [--retries N]
Pull a bundle artifact into DIR (byte-identical files), or any other image as an OCI layout.`,
  list: `Usage: kimia-bundles list REPO [--docker-config FILE] [--insecure] [--retries N]
Print the tags of a repository, one per line.`,
  describe: `Usage: kimia-bundles describe REF [--format human|json] [--docker-config FILE] [--insecure] [--retries N]
Show a manifest: media types, annotations, layers (with dev.tekton.image.*), subject and referrers.`,
};

class UsageError extends Error {}

interface Parsed {
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
  readonly positionals: string[];
  readonly help: boolean;
}

const REGISTRY_VALUES = ['--docker-config', '--retries'];
const ANNOTATION_VALUES = ['--source', '--revision', '--version', '--description', '--source-date-epoch'];
const SPEC: Record<OciCommand, { values: string[]; flags: string[]; repeatable?: string[] }> = {
  bundle: { values: ['--dir', '--file', '--out', '--tag', ...ANNOTATION_VALUES], flags: [], repeatable: ['--file'] },
  push: { values: ['--layout', '--dir', '--subject', '--chunk-size', '--name', ...ANNOTATION_VALUES, ...REGISTRY_VALUES], flags: ['--insecure'] },
  pull: { values: ['--out', ...REGISTRY_VALUES], flags: ['--insecure'] },
  list: { values: REGISTRY_VALUES, flags: ['--insecure'] },
  describe: { values: ['--format', ...REGISTRY_VALUES], flags: ['--insecure'] },
};

function parse(command: OciCommand, args: readonly string[]): Parsed {
  const spec = SPEC[command];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') { help = true; continue; }
    if (arg === '--') { positionals.push(...args.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.flags.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!spec.values.includes(name)) throw new UsageError(`${command}: unknown option ${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length && !spec.repeatable?.includes(name)) throw new UsageError(`${name} given twice`);
    values.set(name, [...list, value]);
  }
  return { values, flags, positionals, help };
}

const one = (p: Parsed, name: string): string | undefined => p.values.get(name)?.[0];

function need(p: Parsed, name: string, command: string): string {
  const v = one(p, name);
  if (v === undefined) throw new UsageError(`${command} needs ${name}`);
  return v;
}

function positional(p: Parsed, what: string, command: string): string {
  if (p.positionals.length === 0) throw new UsageError(`${command} needs ${what}`);
  if (p.positionals.length > 1) throw new UsageError(`${command}: unexpected argument "${p.positionals[1]}"`);
  return p.positionals[0];
}

function integer(p: Parsed, name: string, min: number): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} must be an integer ≥ ${min}, not "${v}"`);
  return Number(v);
}

function annotationOptions(p: Parsed, env: NodeJS.ProcessEnv): OciAnnotationOptions & { sourceDateEpoch?: string } {
  const epoch = one(p, '--source-date-epoch') ?? (env.SOURCE_DATE_EPOCH || undefined);
  if (epoch !== undefined && !/^\d{1,12}$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be Unix seconds, not "${epoch}"`);
  const opt = (name: string) => one(p, name);
  return {
    ...(opt('--source') ? { source: opt('--source') } : {}),
    ...(opt('--revision') ? { revision: opt('--revision') } : {}),
    ...(opt('--version') ? { version: opt('--version') } : {}),
    ...(opt('--description') ? { description: opt('--description') } : {}),
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
  };
}

function client(p: Parsed, registry: string, deps: OciCommandDeps): RegistryClient {
  const env = deps.env ?? process.env;
  const config = loadDockerConfig(one(p, '--docker-config'), env);
  return new RegistryClient({
    registry,
    insecure: p.flags.has('--insecure'),
    credentials: credentialsFor(config, registry),
    credentialsSource: config.file ?? `${one(p, '--docker-config') ?? 'the docker config'} (absent)`,
    retries: integer(p, '--retries', 0),
    chunkSize: integer(p, '--chunk-size', 1),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/** `bundle`: Tekton objects → OCI layout. */
function bundle(p: Parsed, io: OciCommandIO, deps: OciCommandDeps, env: NodeJS.ProcessEnv): number {
  if (p.positionals.length) throw new UsageError(`bundle: unexpected argument "${p.positionals[0]}"`);
  const dir = one(p, '--dir');
  const files = p.values.get('--file') ?? [];
  if (!!dir === files.length > 0) throw new UsageError('bundle needs --dir DIR or --file FILE (not both)');
  const out = need(p, '--out', 'bundle');
  const found = dir ? catalogVersionDir(dir) : undefined;
  const opts = annotationOptions(p, env);
  const version = opts.version ?? found?.version;
  const inputs = found ? [found.file] : files;
  const objects = loadTektonFiles(inputs);
  if (deps.gate) refuseFindings(deps.gate.texts(inputs.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }))));
  const image = buildTektonBundle(objects, { ...opts, ...(version ? { version } : {}) });
  const tag = one(p, '--tag') ?? version;
  writeLayout(out, [{ image, ...(tag ? { refName: tag } : {}) }]);
  const names = tektonLayers(image.manifest).map((o) => `${o.kind}/${o.name}`).join(', ');
  io.out(`${image.descriptor.digest}\n`);
  io.err(`kimia-bundles: wrote Tekton bundle (${names}) to ${out}\n`);
  return 0;
}

/** The `taskRef`/`pipelineRef` snippets for the bundles resolver, one per object. */
export function resolverSnippets(bundleRef: string, image: OciImage): string {
  return tektonLayers(image.manifest).map((o) => {
    const field = o.kind === 'task' ? 'taskRef' : o.kind === 'pipeline' ? 'pipelineRef' : 'ref';
    return `${field}:\n  resolver: bundles\n  params:\n    - name: bundle\n      value: ${bundleRef}\n    - name: name\n      value: ${o.name}\n    - name: kind\n      value: ${o.kind}\n`;
  }).join('---\n');
}

function chooseLayoutImage(layout: string, ref: ImageReference): { image: OciImage; refName?: string } {
  const images = readLayout(layout);
  if (images.length === 1) return images[0];
  const match = images.filter((i) => ref.tag !== undefined && i.refName === ref.tag);
  if (match.length === 1) return match[0];
  throw new UsageError(`${layout} holds ${images.length} images; name one by the tag of REF (${images.map((i) => i.refName ?? i.image.descriptor.digest).join(', ')})`);
}

/** Resolves `--subject` to a descriptor in the pushed repository. */
async function subjectDescriptor(c: RegistryClient, target: ImageReference, text: string): Promise<Descriptor> {
  const s = parseReference(text);
  if (!s.digest) throw new UsageError(`--subject needs IMAGE@sha256:… (a digest), got "${text}"`);
  if (s.registry !== target.registry || s.repository !== target.repository) {
    throw new UsageError(`--subject ${formatReference(s)} must be in the repository pushed to (${target.registry}/${target.repository}): referrers live beside their subject`);
  }
  const m = await c.getManifest(s.repository, s.digest);
  if (!m) throw new RegistryError(`${c.registry}: subject ${formatReference(s)} not found`, 404);
  return { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
}

/** `push`: layout or directory → registry. */
async function push(p: Parsed, io: OciCommandIO, deps: OciCommandDeps, env: NodeJS.ProcessEnv): Promise<number> {
  const ref = parseReference(positional(p, 'REF', 'push'));
  const layout = one(p, '--layout');
  const dir = one(p, '--dir');
  if (!!layout === !!dir) throw new UsageError('push needs --layout LAYOUT or --dir DIR (not both)');
  if (layout && (one(p, '--subject') || ANNOTATION_VALUES.some((o) => p.values.has(o)) || p.values.has('--name'))) {
    throw new UsageError('--subject, --name and the annotation options go with --dir (a layout is pushed as it is)');
  }
  const c = client(p, ref.registry, deps);
  let image: OciImage;
  let refName: string | undefined;
  if (layout) {
    ({ image, refName } = chooseLayoutImage(layout, ref));
  } else {
    const subjectText = one(p, '--subject');
    const subject = subjectText ? await subjectDescriptor(c, ref, subjectText) : undefined;
    const name = one(p, '--name');
    image = buildBundleArtifact(dir!, { ...annotationOptions(p, env), ...(name ? { name } : {}), ...(subject ? { subject } : {}) });
  }
  if (deps.gate) refuseFindings(layout ? layoutFindings(layout, image, deps.gate) : deps.gate.texts(artifactYaml(dir!, image)));
  if (ref.digest && ref.digest !== image.descriptor.digest) throw new UsageError(`REF digest ${ref.digest} is not the content's digest ${image.descriptor.digest}`);
  const tag = ref.tag ?? (ref.digest ? undefined : refName ?? image.manifest.annotations?.[Annotation.version]);
  if (!tag && !ref.digest) throw new UsageError('REF needs a tag (the content has no version to use as one)');
  const result = await pushImage(c, ref.repository, image, { ...(tag ? { tag } : {}) });
  const pushed = formatReference({ registry: ref.registry, repository: ref.repository, ...(tag ? { tag } : {}), digest: result.digest });
  io.out(`${pushed}\n`);
  if (tektonLayers(image.manifest).length) io.out(resolverSnippets(pushed, image));
  const via = result.referrers ? `; referrer of ${image.manifest.subject!.digest} via ${result.referrers.via === 'api' ? 'the referrers API' : `the referrers tag ${result.referrers.tag}`}` : '';
  io.err(`kimia-bundles: pushed ${pushed} (${result.uploaded} blobs uploaded, ${result.existing} already present${via})\n`);
  return 0;
}

/** `pull`: registry → directory (bundle artifact) or OCI layout (anything else). */
async function pull(p: Parsed, io: OciCommandIO, deps: OciCommandDeps): Promise<number> {
  const ref = parseReference(positional(p, 'REF', 'pull'));
  const out = need(p, '--out', 'pull');
  const c = client(p, ref.registry, deps);
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const image = await pullImage(c, ref.repository, reference);
  const pulled = formatReference({ ...ref, ...(ref.digest || ref.tag ? {} : { tag: 'latest' }), digest: image.descriptor.digest });
  if (isBundleArtifact(image.manifest)) {
    const config = bundleConfigOf(image);
    const files = unpackBundleArtifact(image, out);
    io.out(`${pulled}\n`);
    io.err(`kimia-bundles: unpacked ${config.name}${config.version ? ` ${config.version}` : ''} (${files.length} files) into ${out}\n`);
  } else {
    writeLayout(out, [{ image, ...(ref.tag ? { refName: ref.tag } : {}) }]);
    io.out(`${pulled}\n`);
    io.err(`kimia-bundles: wrote ${path.basename(out)} as an OCI layout (${image.manifest.layers.length} layers)\n`);
  }
  return 0;
}

/** `list`: tags of a repository. */
async function list(p: Parsed, io: OciCommandIO, deps: OciCommandDeps): Promise<number> {
  const repo = parseRepository(positional(p, 'REPO', 'list'));
  const tags = await client(p, repo.registry, deps).listTags(repo.repository);
  for (const t of tags) io.out(`${t}\n`);
  return 0;
}

const fmtDescriptor = (d: Descriptor) => `${d.digest}  ${d.mediaType}  ${d.size} B${d.artifactType ? `  (${d.artifactType})` : ''}`;
const fmtAnnotations = (a: Record<string, string> | undefined, indent: string) => Object.keys(a ?? {}).sort().map((k) => `${indent}${k}: ${a![k]}\n`).join('');

/** `describe`: manifest, annotations, layers, subject and referrers. */
async function describe(p: Parsed, io: OciCommandIO, deps: OciCommandDeps): Promise<number> {
  const ref = parseReference(positional(p, 'REF', 'describe'));
  const format = one(p, '--format') ?? 'human';
  if (format !== 'human' && format !== 'json') throw new UsageError(`--format must be human or json, not "${format}"`);
  const c = client(p, ref.registry, deps);
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const fetched = await c.getManifest(ref.repository, reference);
  if (!fetched) throw new RegistryError(`${c.registry}: ${formatReference({ ...ref, ...(ref.digest || ref.tag ? {} : { tag: 'latest' }) })} not found`, 404);
  const isIndex = INDEX_TYPES.includes(fetched.mediaType);
  const body = isIndex ? parseIndex(fetched.bytes) : parseManifest(fetched.bytes);
  const referrers = await listReferrers(c, ref.repository, fetched.digest);
  const described = {
    reference: formatReference({ ...ref, ...(ref.digest || ref.tag ? {} : { tag: 'latest' }) }),
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    size: fetched.bytes.length,
    ...(body.artifactType ? { artifactType: body.artifactType } : {}),
    annotations: body.annotations ?? {},
    ...('config' in body ? { config: body.config, layers: body.layers } : { manifests: body.manifests }),
    ...(body.subject ? { subject: body.subject } : {}),
    referrers: { source: referrers.source, manifests: referrers.manifests },
  };
  if (format === 'json') {
    io.out(`${JSON.stringify(described, null, 2)}\n`);
    return 0;
  }
  let text = `reference: ${described.reference}\ndigest: ${described.digest}\nmediaType: ${described.mediaType}\nsize: ${described.size} B\n`;
  if (body.artifactType) text += `artifactType: ${body.artifactType}\n`;
  if (Object.keys(described.annotations).length) text += `annotations:\n${fmtAnnotations(described.annotations, '  ')}`;
  if ('config' in body) {
    text += `config: ${fmtDescriptor(body.config)}\nlayers:\n`;
    for (const l of body.layers) text += `  - ${fmtDescriptor(l)}\n${fmtAnnotations(l.annotations, '      ')}`;
  } else {
    text += 'manifests:\n';
    for (const m of body.manifests) text += `  - ${fmtDescriptor(m)}\n${fmtAnnotations(m.annotations, '      ')}`;
  }
  if (body.subject) text += `subject: ${fmtDescriptor(body.subject)}\n`;
  text += `referrers (${referrers.source === 'api' ? 'referrers API' : 'referrers tag'}): ${referrers.manifests.length ? '' : 'none'}\n`;
  for (const m of referrers.manifests) text += `  - ${fmtDescriptor(m)}\n`;
  io.out(text);
  return 0;
}

/**
 * Runs one OCI command with its own argument parsing.
 * @returns the exit code: 0 success, 1 failure (network, auth, registry, corrupt content), 2 usage or bad input.
 */
export async function runOciCommand(command: OciCommand, args: readonly string[], io: OciCommandIO, deps: OciCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  try {
    if (!(command in SPEC)) throw new UsageError(`unknown command "${command}" (bundle, push, pull, list, describe)`);
    const p = parse(command, args);
    if (p.help) { io.out(`${OCI_USAGE[command]}\n`); return 0; }
    switch (command) {
      case 'bundle': return bundle(p, io, deps, env);
      case 'push': return await push(p, io, deps, env);
      case 'pull': return await pull(p, io, deps);
      case 'list': return await list(p, io, deps);
      case 'describe': return await describe(p, io, deps);
    }
  } catch (e) {
    if (e instanceof GateError) {
      for (const line of e.findings) io.err(`${line}\n`);
      io.err(`kimia-bundles: ${command} refused: ${e.message}; nothing was ${command === 'bundle' ? 'written' : 'pushed'}\n`);
      return 2;
    }
    const message = String((e as Error).message ?? e).replace(/[\r\n]+/g, ' ');
    if (e instanceof UsageError) {
      io.err(`kimia-bundles: ${message}\nRun kimia-bundles ${command} --help for usage.\n`);
      return 2;
    }
    if (e instanceof InvalidReferenceError || e instanceof BundleInputError || e instanceof DockerConfigError || e instanceof OutputRefusedError) {
      io.err(`kimia-bundles: ${message}\n`);
      return 2;
    }
    if (e instanceof RegistryError || e instanceof OciContentError || e instanceof BundleWriteError) {
      io.err(`kimia-bundles: ${message}\n`);
      return 1;
    }
    io.err(`kimia-bundles: ${command} failed: ${message}${env.KIMIA_BUNDLES_DEBUG ? `\n${(e as Error).stack}` : ''}\n`);
    return 1;
  }
}
