import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { applyProfile, kimiaArgs, loadConfig, profileForRef, refLabel, type Profile } from '../src/internal';
import { BASE, cli, errorsOf } from './helpers';

const examples = loadConfig(path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml'));
const production = examples.builds.find((b) => b.name === 'myapp-production')!;
const SHA = '3f2a9c81d4e5b6a7980112233445566778899aab';

/** The kimia flags a profile decides. */
function decided(profile: Profile | undefined, ref: string) {
  const applied = applyProfile({ ...production, params: {}, destinations: ['registry.io/myapp:x'], buildArgs: {}, labels: {}, context: { git: { url: 'https://github.com/myorg/myapp.git' } }, reproducible: undefined, ci: { ...production.ci!, commitParam: undefined, sourceDateEpochParam: undefined } }, { profile, ref, commit: SHA });
  const args = kimiaArgs(applied);
  return {
    destinations: args.filter((a) => a.startsWith('--destination=')).map((a) => a.slice('--destination='.length)),
    noPush: args.includes('--no-push'),
    attestation: args.find((a) => a.startsWith('--attestation'))?.split('=')[1],
    // Signed by the isolated sign container (signing.in default), not kimia --sign.
    sign: !!applied.signing && !args.includes('--sign'),
  };
}

describe('trigger profiles', () => {
  const cases: Array<[Profile | undefined, string, string[], boolean, string | undefined, boolean]> = [
    ['pr', 'refs/pull/42/head', [`registry.io/myapp:sha-${SHA}`], true, undefined, false],
    [undefined, 'refs/pull/42/merge', [`registry.io/myapp:sha-${SHA}`], true, undefined, false],
    [undefined, 'refs/merge-requests/7/head', [`registry.io/myapp:sha-${SHA}`], true, undefined, false],
    ['main', 'refs/heads/main', ['registry.io/myapp:main', `registry.io/myapp:sha-${SHA}`, 'registry.io/myapp:latest'], false, 'max', true],
    [undefined, 'refs/heads/main', ['registry.io/myapp:main', `registry.io/myapp:sha-${SHA}`, 'registry.io/myapp:latest'], false, 'max', true],
    ['tag', 'refs/tags/v1.2.3', ['registry.io/myapp:1.2.3', 'registry.io/myapp:1.2', 'registry.io/myapp:1', 'registry.io/myapp:latest'], false, 'max', true],
    [undefined, 'refs/tags/v0.10.0', ['registry.io/myapp:0.10.0', 'registry.io/myapp:0.10', 'registry.io/myapp:0', 'registry.io/myapp:latest'], false, 'max', true],
    ['tag', 'refs/tags/v2.0.0-rc.1', ['registry.io/myapp:2.0.0-rc.1'], false, 'max', true],
    ['tag', 'refs/tags/v1.0.0+build.5', ['registry.io/myapp:1.0.0', 'registry.io/myapp:1.0', 'registry.io/myapp:1', 'registry.io/myapp:latest'], false, 'max', true],
    ['manual', 'refs/heads/feature/x', ['registry.io/myapp:main', `registry.io/myapp:sha-${SHA}`, 'registry.io/myapp:latest'], false, 'max', true],
  ];
  it.each(cases)('%s %s', (profile, ref, destinations, noPush, attestation, sign) => {
    expect(decided(profile, ref)).toEqual({ destinations, noPush, attestation, sign });
  });
  it('a spec can carry a profile: it wins over the ref, and --profile wins over it', () => {
    const carrying = { ...production, params: {}, destinations: ['registry.io/myapp:x'], buildArgs: {}, labels: {}, context: { git: { url: 'https://github.com/myorg/myapp.git' } }, reproducible: undefined, ci: { ...production.ci!, profile: 'pr' as const, commitParam: undefined, sourceDateEpochParam: undefined } };
    const flags = (profile?: Profile) => kimiaArgs(applyProfile(carrying, { profile, ref: 'refs/heads/main', commit: SHA }));
    expect(flags()).toContain('--no-push');
    expect(flags('main')).not.toContain('--no-push');
    expect(errorsOf({ ...BASE, ci: { repository: 'registry.io/app', profile: 'nightly' } })).toEqual([expect.stringMatching(/^ci\.profile: /)]);
  });
  it('derives the profile from the ref', () => {
    expect(['refs/pull/1/head', 'refs/tags/v1.0.0', 'refs/heads/main'].map((r) => profileForRef(r))).toEqual(['pr', 'tag', 'main']);
    expect(profileForRef('refs/heads/trunk', 'trunk')).toBe('main');
    // A feature branch never pushes main/latest by accident: it needs an explicit profile.
    expect(() => profileForRef('refs/heads/feature/x')).toThrow('ref: "refs/heads/feature/x" is neither a pull request, a tag nor refs/heads/main: choose a profile (--profile manual or pr)');
  });
  it('refuses a tag profile without a release tag, a bad commit, and a missing repository', () => {
    expect(() => decided('tag', 'refs/tags/nightly')).toThrow('ref: "refs/tags/nightly" is not a release tag refs/tags/vX.Y.Z: the tag profile needs one');
    expect(() => applyProfile(production, { ref: 'refs/heads/main', commit: 'HEAD' })).toThrow('commit: "HEAD" is not a git commit SHA');
    expect(() => applyProfile({ ...production, ci: undefined }, { ref: 'refs/heads/main', commit: SHA })).toThrow('ci.repository: a CI profile needs ci.repository');
    expect(() => applyProfile({ ...production, signing: undefined }, { ref: 'refs/heads/main', commit: SHA })).toThrow('signing: the main profile pushes signed images');
  });
  it('makes ref labels Kubernetes accepts', () => {
    expect(refLabel('refs/tags/v1.2.3')).toBe('tags.v1.2.3');
    expect(refLabel('refs/heads/feature/Add+thing')).toBe('heads.feature.Add.thing');
  });
});

describe('kimia-bundles job', () => {
  const config = path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml');

  it('renders the Job for a release tag with commit, ref and epoch', () => {
    const r = cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/tags/v1.4.0', '--commit', SHA, '--source-date-epoch', '1700000000', '--stdout');
    expect(r.code).toBe(0);
    const job = parse(r.out);
    expect(job.metadata.name).toBe('myapp-production-3f2a9c8-v1-4-0');
    expect(job.metadata.labels).toMatchObject({ commit: SHA, ref: 'tags.v1.4.0', app: 'myapp-production' });
    // signing.in: isolated: the build is the init container, the main container signs.
    const c = job.spec.template.spec.initContainers[0];
    expect(job.spec.template.spec.containers.map((x: { name: string }) => x.name)).toEqual(['sign']);
    expect(c.args).toEqual([
      '--context=https://github.com/myorg/myapp.git', `--git-revision=${SHA}`,
      '--destination=registry.io/myapp:1.4.0', '--destination=registry.io/myapp:1.4', '--destination=registry.io/myapp:1', '--destination=registry.io/myapp:latest',
      '--reproducible', '--attestation=max',
      `--build-arg=VERSION=${SHA}`, // ci.commitParam: COMMIT binds the param to --commit (it used to keep its default)
      `--label=org.opencontainers.image.revision=${SHA}`, '--label=org.opencontainers.image.source=https://github.com/myorg/myapp', '--label=org.opencontainers.image.version=1.4.0',
      '--digest-file=/kimia-bundles/digest/digest',
    ]);
    expect(c.env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: '1700000000' });
  });
  it('takes SOURCE_DATE_EPOCH from the commit time when run inside the repository', () => {
    const root = path.join(__dirname, '..');
    const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
    let head: string;
    try { head = git('rev-parse', 'HEAD'); } catch { return; } // not a git checkout: nothing to read the time from
    const r = cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', head, '--stdout');
    expect(r.code).toBe(0);
    expect(parse(r.out).spec.template.spec.initContainers[0].env).toContainEqual({ name: 'SOURCE_DATE_EPOCH', value: git('log', '-1', '--format=%ct', head) });
    // A commit git does not know: a reproducible build fails instead of keeping the param default.
    const unknown = cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', SHA, '--stdout');
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toContain(`cannot read the commit time of ${SHA} with git`);
  });
  it('builds a pull request without pushing, attesting or signing', () => {
    const r = cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/pull/9/head', '--commit', SHA, '--set', `COMMIT=${SHA}`, '--source-date-epoch', '1700000000', '--stdout');
    expect(r.code).toBe(0);
    const c = parse(r.out).spec.template.spec.containers[0];
    expect(c.args).toContain('--no-push');
    expect(c.args.filter((a: string) => /^--(sign|attestation|cosign)/.test(a))).toEqual([]);
    expect(c.args).toContain(`--build-arg=VERSION=${SHA}`);
    expect(c.volumeMounts.map((m: { name: string }) => m.name)).toEqual(['docker-config']);
  });
  it('names release-candidate and release Jobs of one commit differently', () => {
    const name = (ref: string) => parse(cli('job', '--config', config, '--build', 'myapp-production', '--ref', ref, '--commit', SHA, '--source-date-epoch', '1', '--stdout').out).metadata.name;
    expect(name('refs/tags/v2.0.0-rc.1')).toBe('myapp-production-3f2a9c8-v2-0-0-rc-1');
    expect(name('refs/tags/v2.0.0')).toBe('myapp-production-3f2a9c8-v2-0-0');
  });
  it('refuses a commit that is not a SHA before running git', () => {
    expect(cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', '--output=/tmp/x', '--stdout').err)
      .toContain('--commit must be a commit SHA (hex), not "--output=/tmp/x"');
  });
  it('gives clear usage errors', () => {
    expect(cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', SHA).err).toContain('job needs either --stdout or --out FILE');
    expect(cli('job', '--config', config, '--build', 'myapp-production', '--ref', 'refs/heads/main', '--commit', SHA, '--profile', 'nightly', '--stdout')).toMatchObject({ code: 2 });
    const bad = cli('job', '--config', config, '--build', 'nginx-basic', '--ref', 'refs/heads/main', '--commit', SHA, '--stdout');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('builds[0].ci.repository: a CI profile needs ci.repository');
  });
});

describe('kimia-bundles verify-job', () => {
  const config = path.join(__dirname, '..', 'examples', 'kimia-bundles.yaml');
  const DIGEST = `registry.io/myapp@sha256:${'a'.repeat(64)}`;

  it('renders a Job verifying the digest with the public key and registry credentials', () => {
    const r = cli('verify-job', '--config', config, '--build', 'myapp-signed', '--image', DIGEST, '--stdout');
    expect(r.code).toBe(0);
    const job = parse(r.out);
    const pod = job.spec.template.spec;
    expect(job.metadata.name).toBe('myapp-signed-verify');
    expect(pod.containers[0]).toMatchObject({
      image: 'ghcr.io/rapidfort/kimia:1.0.25',
      command: ['/usr/local/bin/cosign'],
      args: ['verify', '--key', '/etc/kimia/cosign-pub/cosign.pub', '--insecure-ignore-tlog=true', '--new-bundle-format=false', DIGEST],
      // The TUF cache on an emptyDir: the root file system stays read-only.
      env: [{ name: 'TUF_ROOT', value: '/var/run/kimia-bundles/sigstore' }, { name: 'DOCKER_CONFIG', value: '/etc/kimia/docker' }],
    });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.volumes).toEqual([
      { name: 'cosign-pub', secret: { secretName: 'cosign-keys', defaultMode: 0o444, items: [{ key: 'cosign.pub', path: 'cosign.pub' }] } },
      { name: 'docker-config', secret: { secretName: 'registry-credentials', defaultMode: 0o444, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } },
      { name: 'tuf-cache', emptyDir: {} },
    ]);
  });
  it('refuses a tag instead of a digest and a build that does not sign', () => {
    expect(cli('verify-job', '--config', config, '--build', 'myapp-signed', '--image', 'registry.io/myapp:v1', '--stdout').err)
      .toContain('builds[1].image: "registry.io/myapp:v1" must name the image by digest');
    expect(cli('verify-job', '--config', config, '--build', 'nginx-basic', '--image', DIGEST, '--stdout').err)
      .toContain('builds[0].signing: the build does not sign: there is nothing to verify');
  });
});

describe('the README CI examples', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const block = (after: string) => parse(readme.slice(readme.indexOf(after)).split('```yaml\n')[1].split('```')[0]);
  it('GitLab: the ref the script computes picks the right profile for tag, merge-request and branch pipelines', () => {
    const script: string[] = block('GitLab CI:')['build-image'].script;
    const refLine = script.find((l) => l.includes('REF='))!;
    const refOf = (env: Record<string, string>) => execFileSync('bash', ['-c', `${refLine}\nprintf %s "$REF"`], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    const tag = refOf({ CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_BRANCH: '' });
    const mr = refOf({ CI_MERGE_REQUEST_IID: '42', CI_COMMIT_REF_NAME: 'feature' });
    const main = refOf({ CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main' });
    expect([tag, mr, main]).toEqual(['refs/tags/v1.2.3', 'refs/merge-requests/42/head', 'refs/heads/main']);
    expect([tag, mr, main].map((r) => profileForRef(r))).toEqual(['tag', 'pr', 'main']);
    expect(script.some((l) => l.includes('--ref "$REF"'))).toBe(true);
  });
});
