/**
 * --buildah-opt as the real kimia-bud 1.0.25 checks it before building (builder.go:521-590
 * validateBuildahInputs: conflictingFlags, an empty option, the flag name through
 * ValidateBuildctlArg), run in the harness with the fake buildah, against both kimia checkers: the
 * argv checker (checkKimiaArgv) and the spec rule (buildahOpts). Expectations are what kimia did.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkKimiaArgv } from '../../src/spec/argv-check';
import { parseBuildSpec, SpecError } from '../../src/internal';
import { BASE } from '../helpers';
import { describeConformance, runContainer } from './pod';

jest.setTimeout(120_000);

const tmp: string[] = [];
afterAll(() => { for (const d of tmp) fs.rmSync(d, { recursive: true, force: true }); });
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-buildah-opt-'));
  tmp.push(dir);
  fs.chmodSync(dir, 0o777);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
  return dir;
}
const argv = (opt: string) => ['--context=/home/kimia/workspace', '--destination=registry.io/app:v1', '--no-push', `--buildah-opt=${opt}`];
const specRefuses = (opt: string): boolean => {
  try { parseBuildSpec({ ...BASE, variant: 'kimia-bud', push: false, buildahOpts: [opt] }); return false; } catch (e) { if (e instanceof SpecError) return true; throw e; }
};

describeConformance('--buildah-opt, as kimia-bud refuses it before building', () => {
  it.each([
    ['--tag x', 'refused'], ['--userns-uid-map=0:1000:1', 'refused'], ['--layers', 'refused'], ['-f Other', 'refused'], ['--security-opt seccomp=x', 'refused'],
    ['   ', 'refused'],
    ['--squash', 'built'], ['--sbom syft', 'built'], ['--pull=never', 'built'], ['--userns-extra', 'built'],
  ])('%j: kimia-bud %s, and both checkers agree', async (opt, outcome) => {
    const r = await runContainer({ variant: 'kimia-bud', fsGroup: 1000, args: argv(opt), mounts: [{ mountPath: '/home/kimia/workspace', source: { hostDir: workspace() } }] });
    const refused = r.code !== 0;
    expect({ opt, kimia: refused ? 'refused' : 'built' }).toEqual({ opt, kimia: outcome });
    if (refused) expect(r.output).toMatch(/--buildah-opt/);
    else expect(r.call('buildah', 'bud').argv).toEqual(expect.arrayContaining(opt.split(' ')));
    const issues = checkKimiaArgv(argv(opt), 'kimia-bud').filter((i) => i.message.includes('buildah-opt'));
    expect({ opt, argvChecker: issues.map((i) => i.index) }).toEqual({ opt, argvChecker: refused ? [3] : [] });
    // The spec is stricter (an option must start with a flag) but never accepts what kimia refuses.
    if (refused) expect({ opt, spec: specRefuses(opt) }).toEqual({ opt, spec: true });
  });
});
