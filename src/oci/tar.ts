/**
 * A deterministic ustar writer (regular files only), a tar reader, and reproducible gzip.
 *
 * The writer puts every entry with uid/gid 0, empty uname/gname, mtime 0 (or the one given) and
 * mode 0644 (or the one given), in the order given, so the same files always give the same bytes.
 * @packageDocumentation
 */
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';

/** A regular file to put in a tar archive. */
export interface TarFile {
  /** Relative POSIX path (`dir/file.yaml`); at most 255 bytes, split ustar-style. */
  readonly path: string;
  readonly data: Uint8Array;
  /** Permission bits (default 0o644). */
  readonly mode?: number;
  /** Modification time in Unix seconds (default 0). */
  readonly mtime?: number;
}

/** One entry read from a tar archive. */
export interface TarEntry {
  readonly path: string;
  /** `file` for regular files; anything else is reported as read, for the caller to refuse. */
  readonly type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  readonly mode: number;
  readonly mtime: number;
  /** File content (empty for non-files). */
  readonly data: Buffer;
  /** Target of a link. */
  readonly linkName: string;
}

const BLOCK = 512;

function writeString(header: Buffer, offset: number, length: number, value: string, what: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: ${what} "${value}" is longer than ${length} bytes`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, offset: number, length: number, value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`tar: ${what} must be a non-negative integer, not ${value}`);
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar: ${what} ${value} does not fit in a ustar header`);
  header.write(`${text}\0`, offset, 'ascii');
}

/** Splits a path into ustar (prefix, name), or throws when it cannot fit. */
function splitPath(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return [prefix, name];
  }
  throw new Error(`tar: path "${path}" is too long for ustar (name ≤ 100 bytes, prefix ≤ 155 bytes)`);
}

function header(file: TarFile): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitPath(file.path);
  writeString(h, 0, 100, name, 'name');
  writeOctal(h, 100, 8, file.mode ?? 0o644, 'mode');
  writeOctal(h, 108, 8, 0, 'uid');
  writeOctal(h, 116, 8, 0, 'gid');
  writeOctal(h, 124, 12, file.data.length, 'size');
  writeOctal(h, 136, 12, file.mtime ?? 0, 'mtime');
  h.write('        ', 148, 'ascii'); // checksum field counts as spaces
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\x0000', 257, 'binary');
  writeOctal(h, 329, 8, 0, 'devmajor');
  writeOctal(h, 337, 8, 0, 'devminor');
  writeString(h, 345, 155, prefix, 'prefix');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/**
 * Writes a ustar archive of regular files, in the order given, ending with two zero blocks.
 * @throws Error on a duplicate, empty, absolute or `..` path, or one too long for ustar.
 */
export function createTar(files: readonly TarFile[]): Buffer {
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  for (const file of files) {
    const problem = unsafePathReason(file.path);
    if (problem) throw new Error(`tar: ${problem}`);
    if (seen.has(file.path)) throw new Error(`tar: duplicate path "${file.path}"`);
    seen.add(file.path);
    parts.push(header(file), Buffer.from(file.data.buffer, file.data.byteOffset, file.data.length));
    const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/**
 * Why a path in an archive is unsafe to extract (empty, absolute, with `..`, `.`, a backslash or a
 * NUL), or undefined when it is a plain relative path.
 */
export function unsafePathReason(path: string): string | undefined {
  if (path === '') return 'empty path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `absolute path "${path}"`;
  if (path.includes('\\') || path.includes('\0')) return `path "${path}" contains a backslash or NUL`;
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return `path "${path}" leaves the directory ("..")`;
  if (parts.some((p) => p === '' || p === '.')) return `path "${path}" is not normalized`;
  return undefined;
}

function readString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readNumber(block: Buffer, offset: number, length: number): number {
  const raw = block.subarray(offset, offset + length);
  if (raw[0] & 0x80) {
    // GNU base-256: big-endian, top bit set.
    let value = raw[0] & 0x7f;
    for (let i = 1; i < raw.length; i++) value = value * 256 + raw[i];
    return value;
  }
  const text = raw.toString('ascii').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const length = parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!(length > 0)) throw new Error('tar: malformed pax header');
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

/**
 * Reads every entry of a tar archive (ustar, with pax `path`/`linkpath`/`size` and GNU long
 * names understood), verifying each header checksum.
 * @throws Error on a truncated archive or a bad checksum.
 */
export function readTar(tar: Uint8Array): TarEntry[] {
  const buf = Buffer.from(tar.buffer, tar.byteOffset, tar.length);
  const entries: TarEntry[] = [];
  let pos = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (pos + BLOCK <= buf.length) {
    const block = buf.subarray(pos, pos + BLOCK);
    if (block.every((b) => b === 0)) return entries;
    const stored = readNumber(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
    if (sum !== stored) throw new Error(`tar: bad header checksum at offset ${pos}`);
    const flag = String.fromCharCode(block[156] || 0x30);
    const size = pax.size !== undefined ? Number(pax.size) : readNumber(block, 124, 12);
    const dataStart = pos + BLOCK;
    if (dataStart + size > buf.length) throw new Error('tar: archive is truncated');
    const data = buf.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x') { pax = { ...pax, ...paxRecords(data) }; continue; }
    if (flag === 'g') continue;
    if (flag === 'L') { longName = data.toString('utf8').replace(/\0+$/, ''); continue; }
    if (flag === 'K') { longLink = data.toString('utf8').replace(/\0+$/, ''); continue; }
    const magic = block.subarray(257, 262).toString('ascii');
    const prefix = magic === 'ustar' ? readString(block, 345, 155) : '';
    const name = readString(block, 0, 100);
    const path = pax.path ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    const linkName = pax.linkpath ?? longLink ?? readString(block, 157, 100);
    const type = flag === '0' || flag === '7' ? 'file' : flag === '5' ? 'directory' : flag === '2' ? 'symlink' : flag === '1' ? 'hardlink' : 'other';
    entries.push({ path, type, mode: readNumber(block, 100, 8) & 0o7777, mtime: readNumber(block, 136, 12), data: type === 'file' ? Buffer.from(data) : Buffer.alloc(0), linkName });
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  throw new Error('tar: archive is truncated (no end-of-archive blocks)');
}

/** The gzip header's OS byte kimia-bundles writes: 255 ("unknown"), as Go's compress/gzip does. */
export const GZIP_OS_UNKNOWN = 0xff;

/**
 * Gzip with fixed settings (level 9, default window and strategy, mtime 0, no file name, OS byte
 * 255): the same input gives the same bytes on every platform with the same zlib.
 */
export function gzip(data: Uint8Array): Buffer {
  const out = gzipSync(data, { level: 9, memLevel: 8, windowBits: 15, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
  out.writeUInt32LE(0, 4); // MTIME
  out[9] = GZIP_OS_UNKNOWN; // OS (not covered by the gzip CRC, which is over the data)
  return out;
}

/**
 * Gunzips, refusing output larger than `maxBytes` (default 1 GiB) so that a hostile layer
 * cannot exhaust memory.
 */
export function gunzip(data: Uint8Array, maxBytes = 1024 ** 3): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    throw new Error(`gzip: cannot decompress (${(e as Error).message})`);
  }
}
