/**
 * The conformance suite over a tree of rendered files (dist/, or a rendered matrix config):
 * every source (Job, TaskRun, PipelineRun, Workflow) planned once, run once in beforeAll, one
 * test per container. Known defects (issue 11) are `it.failing` so the suite turns red when a
 * fix lands and the mark must go.
 */
import { createHash } from 'node:crypto';
import type { BuildSpec } from '../../src/spec';
import { checkKimia, checkSignContainer, expectClean, repoOf } from './checks';
import { SIGN_ARGS_MARKER } from '../../src/spec/sigstore';
import { Node, Outcome, Plan, PlanOptions, Source, TEST_COMMIT, TEST_COMMIT_TIME, TEST_COSIGN_PASSWORD } from './extract';

export const FAKES = {
  cosignPassword: TEST_COSIGN_PASSWORD, gitCommit: TEST_COMMIT, gitCommitTime: TEST_COMMIT_TIME,
  // The crane fake keeps its indexes beside the call records (writable by any uid).
  extra: { FAKE_CRANE_STATE: '/.kimia-harness/calls/crane-state' },
};

/** Names and reasons of what was not run (printed after the suite). */
export const notRun: string[] = [];
/** Containers run, by source. */
export const counts: Record<string, number> = {};

export interface SuiteOptions {
  spec: (build: string, src: Source) => BuildSpec;
  /** Param values the source was rendered with (render --set, job --commit), over the spec's defaults. */
  params?: (src: Source) => Record<string, string>;
  planOptions: (src: Source) => PlanOptions;
  /** A known defect this node shows, or undefined: the test is then it.failing. */
  knownDefect?: (src: Source, node: Node) => string | undefined;
  /** Extra checks of a kimia container (e.g. files a user keeps). */
  extra?: (src: Source, o: Outcome, spec: BuildSpec) => void;
  /** Extra checks of every container that ran (kimia and helpers), after the checks of its kind. */
  extraAll?: (src: Source, o: Outcome, spec: BuildSpec) => void;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function defineSource(src: Source, so: SuiteOptions): void {
  describe(src.label, () => {
    let plan: Plan;
    let outcomes: Outcome[] = [];
    let planError: Error | undefined;
    try { plan = src.plan(so.planOptions(src)); } catch (e) { planError = e as Error; }
    if (planError) {
      it('can be extracted', () => { throw planError; });
      return;
    }
    beforeAll(async () => { outcomes = await plan.run(); }, 300_000);
    afterAll(() => plan.cleanup());
    for (const node of plan!.nodes) {
      if (node.emulated) { notRun.push(`${node.label}: ${node.emulated}`); continue; }
      counts[src.label] = (counts[src.label] ?? 0) + 1;
      const defect = so.knownDefect?.(src, node);
      const title = `${node.label} [${node.kind}]${defect ? ` — known defect: ${defect}` : ''}`;
      (defect ? it.failing : it)(title, () => check(src, outcomes[node.id], so));
    }
  });
}

function check(src: Source, o: Outcome, so: SuiteOptions): void {
  if (!o) throw new Error('not run');
  if (!o.result) throw new Error(`not run: ${o.notRun}`);
  const r = o.result;
  const spec = so.spec(o.node.meta.build, src);
  const item = o.node.meta.item ?? {};
  const param = (n: string) => (typeof o.params[n] === 'string' ? (o.params[n] as string) : item[n]);
  // A helper in the builder image (the SOURCE_DATE_EPOCH step runs git there since issue 12) is
  // checked as the tool it runs, not as kimia.
  const text = [...(o.desc?.command ?? []), o.desc?.script ?? ''].join(' ');
  const runsKimia = (!o.desc?.command?.length && !o.desc?.script) || text.includes('/usr/local/bin/kimia');
  const helper = o.node.kind === 'kimia' && !runsKimia && !(o.desc?.args ?? []).includes(SIGN_ARGS_MARKER);
  // The verify and multi-arch sign steps run cosign from the kimia image (command /usr/local/bin/cosign).
  const kind = helper ? ((o.desc?.command ?? []).some((c) => c.endsWith('/cosign')) ? 'cosign' : 'git') : o.node.kind;
  switch (kind) {
    case 'kimia': {
      const params: Record<string, string | string[]> = {};
      for (const [k, p] of Object.entries(spec.params)) if (p.default !== undefined) params[k] = p.default;
      Object.assign(params, so.params?.(src) ?? {}, o.params, item);
      const expectation = { spec, params, platform: param('PLATFORM'), platformTag: param('PLATFORM_TAG') };
      // The isolated sign container runs the builder image, not kimia.
      if ((o.desc?.args ?? []).includes(SIGN_ARGS_MARKER)) { checkSignContainer(o, expectation); break; }
      checkKimia(o, expectation);
      so.extra?.(src, o, spec);
      break;
    }
    case 'git': {
      // The SOURCE_DATE_EPOCH step: the override param, else the last commit time (fake git: FAKE_GIT_COMMIT_TIME).
      expectClean(r);
      const override = param('SOURCE_DATE_EPOCH');
      if ('SOURCE_DATE_EPOCH' in o.publishes) expect(o.published.SOURCE_DATE_EPOCH).toBe(override || String(TEST_COMMIT_TIME));
      if ('GIT_COMMIT' in o.publishes) expect(o.published.GIT_COMMIT).toBe(TEST_COMMIT);
      break;
    }
    case 'cosign': {
      expectClean(r);
      const signs = r.callsOf('cosign', 'sign');
      const verifies = r.callsOf('cosign', 'verify');
      expect(signs.length + verifies.length).toBe(1);
      const c = signs[0] ?? verifies[0];
      const ref = c.argv[c.argv.length - 1];
      // What is signed or verified is by digest (a tag can move: cosign warns, fakes/cosign).
      expect(ref.split('@')[1]).toMatch(DIGEST);
      if (signs.length) {
        expect(c.fact('key_readable')).toBe('yes');
        expect(c.env.COSIGN_PASSWORD).toBe(TEST_COSIGN_PASSWORD);
        if (typeof o.params.IMAGE_DIGEST === 'string') expect(ref).toBe(`${repoOf(ref)}@${o.params.IMAGE_DIGEST}`);
      }
      break;
    }
    case 'crane': {
      expectClean(r);
      const append = r.call('crane', 'index append');
      const ms = append.facts.manifest ?? [];
      // Every platform image, by digest, goes into the index pushed to the spec's first destination.
      expect(ms.length).toBe(spec.platforms?.length ?? 0);
      for (const m of ms) expect(m.split('@')[1]).toMatch(DIGEST);
      // IMAGE_URL as tagged (no digest: Chains records IMAGE_URL@IMAGE_DIGEST), IMAGES the index and
      // the image manifests crane's flattening put in it, none of BuildKit's attestation manifests.
      const url = o.published.IMAGE_URL;
      expect(url).not.toContain('@');
      expect(o.published.IMAGE_DIGEST).toMatch(DIGEST);
      const images = o.published.IMAGES.trim().split('\n');
      expect(images[0]).toBe(`${repoOf(url)}@${o.published.IMAGE_DIGEST}`);
      const child = (kind: string, d: string) => `sha256:${createHash('sha256').update(`${kind}:${d}`).digest('hex')}`;
      expect(images.slice(1).map((i) => i.split('@')[1]).sort()).toEqual(ms.map((m) => child('image', m.split('@')[1])).sort());
      break;
    }
    default:
      expectClean(r);
  }
  so.extraAll?.(src, o, spec);
}
