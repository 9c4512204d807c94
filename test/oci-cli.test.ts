import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTektonBundle, OCI_USAGE, runOciCommand, writeLayout, type OciCommand } from '../src/oci';
import { freePort } from './helpers/registry';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-cli-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(command: OciCommand, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runOciCommand(command, args, { out: (s) => { out += s; }, err: (s) => { err += s; } }, { env: { DOCKER_CONFIG: path.join(tmp, 'none') } });
  return { code, out, err };
}

function layout(): string {
  const dir = path.join(tmp, 'layout');
  writeLayout(dir, [{ image: buildTektonBundle([{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'a' }, spec: {} }]) }]);
  return dir;
}

describe('runOciCommand usage', () => {
  it.each(Object.keys(OCI_USAGE) as OciCommand[])('%s --help prints its usage and exits 0', async (command) => {
    expect(await cli(command, '--help')).toEqual({ code: 0, out: `${OCI_USAGE[command]}\n`, err: '' });
  });

  it.each([
    [['push', 'reg.io/a:1'], 'push needs --layout LAYOUT or --dir DIR (not both)'],
    [['push', '--layout', 'x', '--dir', 'y', 'reg.io/a:1'], 'push needs --layout LAYOUT or --dir DIR (not both)'],
    [['push', '--layout', 'x'], 'push needs REF'],
    [['push', '--layout', 'x', 'a', 'b'], 'push: unexpected argument "b"'],
    [['push', '--layout', 'x', 'reg.io/a:1', '--retries', 'many'], '--retries must be an integer ≥ 0, not "many"'],
    [['push', '--layout', 'x', 'reg.io/a:1', '--insecure=yes'], '--insecure takes no value'],
    [['push', '--layout', 'x', 'reg.io/a:1', '--subject', 'reg.io/a@sha256:' + 'a'.repeat(64)], '--subject, --name and the annotation options go with --dir'],
    [['pull', 'reg.io/a:1'], 'pull needs --out'],
    [['list'], 'list needs REPO'],
    [['describe', 'reg.io/a', '--format', 'yaml'], '--format must be human or json, not "yaml"'],
    [['describe', 'reg.io/a', '--format'], '--format needs a value'],
    [['list', 'reg.io/a', '--out', 'x'], 'list: unknown option --out'],
  ])('%j -> exit 2', async (argv, message) => {
    const [command, ...args] = argv as [OciCommand, ...string[]];
    const r = await cli(command, ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`kimia-bundles: ${message}${message.endsWith('--dir') ? ' (a layout is pushed as it is)' : ''}\nRun kimia-bundles ${command} --help for usage.\n`);
  });

  it('reports bad references, bad input and a bad docker config with exit 2, in one line', async () => {
    expect(await cli('list', 'reg.io/a:tag')).toEqual({ code: 2, out: '', err: 'kimia-bundles: invalid reference "reg.io/a:tag": a repository takes no tag or digest\n' });
    expect(await cli('describe', 'Reg.io/UPPER')).toMatchObject({ code: 2, err: 'kimia-bundles: invalid reference "Reg.io/UPPER": repository component "UPPER" must be lowercase letters, digits and single separators (. _ __ -)\n' });
    expect(await cli('push', '--dir', path.join(tmp, 'missing'), 'reg.io/a:1')).toMatchObject({ code: 2, err: `kimia-bundles: ${path.join(tmp, 'missing')} is not a directory\n` });
    fs.writeFileSync(path.join(tmp, 'bad.json'), '{');
    expect(await cli('list', 'reg.io/a', '--docker-config', path.join(tmp, 'bad.json'))).toMatchObject({ code: 2, err: `kimia-bundles: docker config ${path.join(tmp, 'bad.json')}: not valid JSON\n` });
    const dir = path.join(tmp, 'jobs');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'x: 1\n');
    expect(await cli('push', '--dir', dir, 'reg.io/a')).toMatchObject({ code: 2, err: expect.stringContaining('REF needs a tag') });
    expect(await cli('push', '--layout', layout(), `reg.io/a@sha256:${'0'.repeat(64)}`)).toMatchObject({ code: 2, err: expect.stringContaining('is not the content\'s digest') });
  });

  it('reports an unreachable registry with exit 1 in one line', async () => {
    const port = await freePort();
    const r = await cli('push', '--layout', layout(), `127.0.0.1:${port}/a:1`, '--insecure', '--retries', '0');
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(new RegExp(`^kimia-bundles: 127\\.0\\.0\\.1:${port}: checking blob sha256:[a-f0-9]{64}: cannot connect \\(connection refused\\)\\n$`));
  });
});
