/**
 * CI trigger profiles (seed 002, "CI provenance per trigger"): what one CI run builds, tags,
 * pushes, attests and signs, decided from the trigger and the git ref.
 *
 * | profile | push | tags                                   | attestation | signing |
 * |---------|------|----------------------------------------|-------------|---------|
 * | pr      | no   | sha-<commit> (not pushed)              | none        | no      |
 * | main    | yes  | main, sha-<commit>, latest             | max         | yes     |
 * | tag     | yes  | X.Y.Z, X.Y, X, latest (pre-release: X.Y.Z-pre only) | max | yes |
 * | manual  | yes  | like main                              | max         | yes     |
 */
import { BuildSpec as BuildSpecSchema } from './schema';
import type { BuildSpec } from './types';
import { SpecError } from './errors';

import { PROFILES } from './defaults';

export { PROFILES };
export type Profile = (typeof PROFILES)[number];

/** One CI run. */
export interface CiRun {
  /** The trigger; derived from `ref` when omitted (refs/pull/… = pr, refs/tags/v… = tag, else main). */
  readonly profile?: Profile;
  /** The git ref, e.g. `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/42/head`. */
  readonly ref: string;
  /** The full commit SHA. */
  readonly commit: string;
  /** SOURCE_DATE_EPOCH for the run (e.g. the commit time). */
  readonly sourceDateEpoch?: string;
}

const SEMVER_TAG = /^refs\/tags\/v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** A git commit SHA, abbreviated or full. */
export const COMMIT_SHA = /^[0-9a-f]{7,64}$/;

/**
 * The profile a ref implies: pull/merge requests are `pr`, tags `tag`, the main branch `main`.
 * Any other ref needs an explicit profile (e.g. `manual`), so that a feature branch never
 * pushes `main` and `latest` by accident.
 */
export function profileForRef(ref: string, mainBranch = 'main'): Profile {
  if (/^refs\/(pull|merge-requests)\//.test(ref)) return 'pr';
  if (ref.startsWith('refs/tags/')) return 'tag';
  if (ref === `refs/heads/${mainBranch}`) return 'main';
  throw new SpecError([{ path: ['ref'], message: `"${ref}" is neither a pull request, a tag nor refs/heads/${mainBranch}: choose a profile (--profile manual or pr)` }]);
}

/** The image tags of a run (before the repository is prefixed). */
export function tagsFor(profile: Profile, ref: string, commit: string): string[] {
  switch (profile) {
    case 'pr':
      return [`sha-${commit}`];
    case 'main':
    case 'manual':
      return ['main', `sha-${commit}`, 'latest'];
    case 'tag': {
      const m = SEMVER_TAG.exec(ref);
      if (!m) throw new SpecError([{ path: ['ref'], message: `"${ref}" is not a release tag refs/tags/vX.Y.Z: the tag profile needs one` }]);
      const [, major, minor, patch, pre] = m;
      // Build metadata (+…) is not valid in an image tag; a pre-release gets only its exact tag.
      if (pre) return [`${major}.${minor}.${patch}${pre}`];
      return [`${major}.${minor}.${patch}`, `${major}.${minor}`, major, 'latest'];
    }
  }
}

/** A label value Kubernetes accepts for a ref: `refs/tags/v1.2.3` -> `tags.v1.2.3`. */
export function refLabel(ref: string): string {
  const v = ref.replace(/^refs\//, '').replace(/[^A-Za-z0-9_.-]/g, '.').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * The spec for one CI run: destinations = the spec's `ci.repository` with the profile's tags,
 * push/attestation/signing per profile, the commit as git revision and OCI revision label,
 * SOURCE_DATE_EPOCH from the run. The result is parsed again, so every kimia rule holds.
 */
export function applyProfile(spec: BuildSpec, run: CiRun): BuildSpec {
  // The run's profile, else the one the spec carries, else the one the ref implies.
  const profile = run.profile ?? spec.ci?.profile ?? profileForRef(run.ref, spec.ci?.mainBranch);
  if (!COMMIT_SHA.test(run.commit)) throw new SpecError([{ path: ['commit'], message: `"${run.commit}" is not a git commit SHA (hex, 7-64 characters)` }]);
  const repository = spec.ci?.repository;
  if (!repository) throw new SpecError([{ path: ['ci', 'repository'], message: 'a CI profile needs ci.repository: the image repository to tag (e.g. registry.io/team/app)' }]);
  const signs = profile !== 'pr';
  if (signs && !spec.signing) {
    throw new SpecError([{ path: ['signing'], message: `the ${profile} profile pushes signed images: configure signing (cosign key Secret)` }]);
  }
  const tags = tagsFor(profile, run.ref, run.commit);
  const version = profile === 'tag' ? tags[0] : undefined;
  const git = 'git' in spec.context ? { git: { ...spec.context.git, revision: run.commit } } : spec.context;
  const next = {
    ...spec,
    context: git,
    destinations: tags.map((t) => `${repository}:${t}`),
    push: profile !== 'pr',
    attestation: signs ? { mode: 'max' as const } : undefined,
    signing: signs ? spec.signing : undefined,
    labels: {
      ...spec.labels,
      'org.opencontainers.image.revision': run.commit,
      ...(version ? { 'org.opencontainers.image.version': version } : {}),
    },
    reproducible: spec.reproducible?.enabled && run.sourceDateEpoch !== undefined
      ? { ...spec.reproducible, sourceDateEpoch: run.sourceDateEpoch }
      : spec.reproducible,
    // Unique per run: an rc and its release on the same commit get different Jobs.
    job: { ...spec.job, name: jobName(spec.name, run.commit, version ? `v${version}` : profile) },
  };
  const parsed = BuildSpecSchema.safeParse(next);
  if (!parsed.success) {
    throw new SpecError(parsed.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: `with profile ${profile} (ref ${run.ref}): ${i.message}` })));
  }
  return parsed.data;
}

/** `<build>-<sha7>-<profile or version>`, a DNS label of at most 63 characters. */
function jobName(build: string, commit: string, suffix: string): string {
  const tail = `${commit.slice(0, 7)}-${suffix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 30).replace(/-+$/, '');
  return `${build.slice(0, 62 - tail.length)}-${tail}`.replace(/--+/g, '-');
}
