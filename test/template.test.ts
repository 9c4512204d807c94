import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasParams, paramsIn, parseTemplate, renderTemplate, sampleOf } from '../src/internal';
import { exampleVersion } from './helpers';

describe('runtime param templates', () => {
  it('splits literal text and ${NAME} references', () => {
    expect(parseTemplate('registry.io/app:${TAG}-${ARCH}')).toEqual([
      { text: 'registry.io/app:' }, { param: 'TAG' }, { text: '-' }, { param: 'ARCH' },
    ]);
    expect(parseTemplate('plain')).toEqual([{ text: 'plain' }]);
    expect(parseTemplate('${A}${A}')).toEqual([{ param: 'A' }, { param: 'A' }]);
  });
  it('lists each referenced param once, in order', () => {
    expect(paramsIn('${B}/${A}:${B}')).toEqual(['B', 'A']);
    expect(hasParams('a$b')).toBe(false);
    expect(hasParams('${X}')).toBe(true);
  });
  it('renders references the way each engine asks', () => {
    const t = 'registry.io/app:${TAG}';
    expect(renderTemplate(t, (n) => `$(params.${n})`)).toBe('registry.io/app:$(params.TAG)');
    expect(renderTemplate(t, (n) => `{{inputs.parameters.${n}}}`)).toBe('registry.io/app:{{inputs.parameters.TAG}}');
    expect(renderTemplate(t, () => 'v1')).toBe('registry.io/app:v1');
    expect(sampleOf('${EPOCH}', '0')).toBe('0');
  });
});

describe('the cdk8s app (src/main.ts)', () => {
  const ROOT = path.join(__dirname, '..');
  // tsx's loader by absolute URL: the app runs from a temp cwd.
  const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-app-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const app = (config: string, out: string) =>
    spawnSync(process.execPath, ['--import', TSX, path.join(ROOT, 'src', 'main.ts')], {
      cwd: tmp, encoding: 'utf8',
      env: { ...process.env, KIMIA_BUNDLES_CONFIG: config, KIMIA_BUNDLES_OUT: out, CDK8S_OUTDIR: path.join(tmp, 'cdk8s.out') },
    });

  it('writes the bundle and cdk8s output, and a failed run leaves the previous bundle intact', () => {
    const out = path.join(tmp, 'dist');
    const ok = app(path.join(ROOT, 'examples', 'kimia-bundles.yaml'), out);
    expect({ status: ok.status, stderr: ok.status === 0 ? '' : ok.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(path.join(out, 'job')).sort()).toEqual(['myapp-production', 'myapp-signed', 'nginx-basic']);
    expect(fs.readdirSync(path.join(tmp, 'cdk8s.out')).sort()).toEqual([
      'argo-kimia-build.k8s.yaml', 'argo-myapp-multiarch.k8s.yaml', 'job-myapp-production.k8s.yaml', 'job-myapp-signed.k8s.yaml',
      'job-nginx-basic.k8s.yaml', 'tekton-kimia-build.k8s.yaml', 'tekton-myapp-multiarch.k8s.yaml',
    ]);
    const before = fs.readFileSync(path.join(out, 'job', 'myapp-signed', exampleVersion('myapp-signed'), 'myapp-signed.yaml'), 'utf8');

    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'builds:\n  - name: app\n    context: {git: {url: https://github.com/o/a.git}}\n    destinations: [registry.io/A:v1]\n    outputs: [job]\n');
    const failed = app(bad, out);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toBe(`${bad}:4:20: builds[0].destinations[0]: repository "registry.io/A" must be lowercase\n`);
    expect(fs.readFileSync(path.join(out, 'job', 'myapp-signed', exampleVersion('myapp-signed'), 'myapp-signed.yaml'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(out, 'job'))).toHaveLength(3);
  });
});
