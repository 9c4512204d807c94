import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTar, gunzip, gzip, GZIP_OS_UNKNOWN, readTar, unsafePathReason } from '../src/oci';

const files = [
  { path: 'a.yaml', data: Buffer.from('kind: Task\n') },
  { path: 'dir/b.sh', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { path: 'empty', data: Buffer.alloc(0) },
];

describe('createTar', () => {
  it('gives the same bytes for the same files', () => {
    expect(createTar(files).equals(createTar(files.map((f) => ({ ...f, data: Buffer.from(f.data) }))))).toBe(true);
  });

  it('writes ustar headers: uid/gid 0, empty uname/gname, mtime 0, mode 0644 unless given', () => {
    const tar = createTar(files);
    const h = tar.subarray(0, 512);
    expect(h.subarray(0, 6).toString()).toBe('a.yaml');
    expect(h.subarray(100, 108).toString()).toBe('0000644\0');
    expect(h.subarray(108, 116).toString()).toBe('0000000\0');
    expect(h.subarray(116, 124).toString()).toBe('0000000\0');
    expect(h.subarray(136, 148).toString()).toBe('00000000000\0');
    expect(String.fromCharCode(h[156])).toBe('0');
    expect(h.subarray(257, 265).toString('binary')).toBe('ustar\x0000');
    expect(h.subarray(265, 329).every((b) => b === 0)).toBe(true);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it('round-trips through readTar with modes, mtimes and content', () => {
    const entries = readTar(createTar([...files, { path: 'm', data: Buffer.from('x'), mtime: 1700000000, mode: 0o600 }]));
    expect(entries.map((e) => [e.path, e.type, e.mode, e.mtime, e.data.toString()])).toEqual([
      ['a.yaml', 'file', 0o644, 0, 'kind: Task\n'],
      ['dir/b.sh', 'file', 0o755, 0, '#!/bin/sh\necho hi\n'],
      ['empty', 'file', 0o644, 0, ''],
      ['m', 'file', 0o600, 1700000000, 'x'],
    ]);
  });

  it('splits long paths into ustar prefix and name, and refuses what cannot fit', () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
    expect(readTar(createTar([{ path: long, data: Buffer.from('x') }]))[0].path).toBe(long);
    expect(() => createTar([{ path: 'x'.repeat(101), data: Buffer.alloc(0) }])).toThrow(/too long for ustar/);
  });

  it('refuses unsafe and duplicate paths', () => {
    for (const p of ['/abs', '../up', 'a/../b', 'a//b', './a', '', 'a\\b']) expect(() => createTar([{ path: p, data: Buffer.alloc(0) }])).toThrow(/^tar: /);
    expect(() => createTar([files[0], files[0]])).toThrow(/duplicate path "a.yaml"/);
    expect(unsafePathReason('dir/file.yaml')).toBeUndefined();
  });

  it('is read by the system tar as the same files', () => {
    if (spawnSync('tar', ['--version']).status !== 0) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-tar-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.tar'), createTar(files));
      const r = spawnSync('tar', ['-tvf', 'x.tar', '--numeric-owner'], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^-rw-r--r-- 0\/0 +11 1970-01-01 00:00 a\.yaml$/m);
      expect(r.stdout).toMatch(/^-rwxr-xr-x 0\/0 +18 1970-01-01 00:00 dir\/b\.sh$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readTar', () => {
  it('refuses a bad header checksum and a truncated archive', () => {
    const tar = createTar(files);
    const bad = Buffer.from(tar);
    bad[0] = 'b'.charCodeAt(0);
    expect(() => readTar(bad)).toThrow(/bad header checksum/);
    expect(() => readTar(tar.subarray(0, 600))).toThrow(/truncated/);
  });

  it('reports links for the caller to refuse', () => {
    const tar = createTar([{ path: 'link', data: Buffer.alloc(0) }]);
    tar[156] = '2'.charCodeAt(0);
    tar.write('/etc/passwd', 157, 'ascii');
    tar.write('        ', 148, 'ascii');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += tar[i];
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    expect(readTar(tar)[0]).toMatchObject({ path: 'link', type: 'symlink', linkName: '/etc/passwd' });
  });
});

describe('gzip', () => {
  it('gives the same bytes for the same input, with mtime 0 and a fixed OS byte', () => {
    const data = createTar(files);
    const a = gzip(data);
    expect(a.equals(gzip(Buffer.from(data)))).toBe(true);
    expect([...a.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]); // magic, deflate, no flags (no name, no comment)
    expect(a.readUInt32LE(4)).toBe(0); // MTIME
    expect(a[9]).toBe(GZIP_OS_UNKNOWN);
    expect(gunzip(a).equals(data)).toBe(true);
  });

  it('bounds decompressed size and names gzip in errors', () => {
    expect(() => gunzip(gzip(Buffer.alloc(10_000)), 1000)).toThrow(/^gzip: cannot decompress/);
    expect(() => gunzip(Buffer.from('not gzip'))).toThrow(/^gzip: cannot decompress/);
  });
});
