/**
 * Real registries for integration tests: Debian's docker-registry (CNCF distribution v2.8) started
 * by scripts/start-registry.sh on a free 127.0.0.1 port with throwaway storage, optionally with
 * htpasswd (bcrypt) Basic auth.
 *
 * Tests that need one use {@link describeWithRegistry}: without the binary they are skipped with
 * a message, except in CI (`CI` set), where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'start-registry.sh');

/** The registry binary: $REGISTRY_BIN, else docker-registry on PATH, else undefined. */
export function registryBinary(): string | undefined {
  if (process.env.REGISTRY_BIN) return fs.existsSync(process.env.REGISTRY_BIN) ? process.env.REGISTRY_BIN : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    const file = path.join(dir, 'docker-registry');
    if (dir && fs.existsSync(file)) return file;
  }
  return undefined;
}

/** True when running in CI (`CI` set to anything but "" / "false" / "0"). */
export function inCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/**
 * `describe` for tests that need a real registry: skipped with a message when the binary is
 * missing outside CI; in CI the suite runs and fails in {@link startRegistry}.
 */
export function describeWithRegistry(name: string, fn: () => void): void {
  if (!registryBinary() && !inCI()) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${name}": docker-registry is not installed (apt-get install -y docker-registry); CI runs these tests`);
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A bcrypt htpasswd line for the user, made by `htpasswd` (apache2-utils); the password goes by stdin. */
export function htpasswdLine(user: string, password: string): string {
  const r = spawnSync('htpasswd', ['-niB', user], { input: `${password}\n`, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`htpasswd (apache2-utils) is needed for registry auth tests: apt-get install -y apache2-utils (${r.error?.message ?? r.stderr.trim()})`);
  }
  return r.stdout.trim();
}

/** A running test registry. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  /** Config and storage directory. */
  readonly dir: string;
  /** Kills the registry at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and storage. */
  restart(): Promise<void>;
  /** Stops it and removes its storage. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitReady(child: ChildProcess, port: number, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}): ${log().trim().split('\n').slice(-3).join(' | ')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port} within ${timeoutMs} ms: ${log().trim()}`);
}

/**
 * Starts a registry on a free loopback port.
 * @param opts.users user → password for htpasswd Basic auth (none: open registry).
 * @throws Error when the binary is missing (in CI this fails the suite) or it does not come up.
 */
export async function startRegistry(opts: { users?: Record<string, string> } = {}): Promise<TestRegistry> {
  const bin = registryBinary();
  if (!bin) throw new Error('docker-registry is not installed (apt-get install -y docker-registry)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-registry-'));
  let htpasswd: string | undefined;
  if (opts.users) {
    htpasswd = path.join(dir, 'htpasswd');
    fs.writeFileSync(htpasswd, `${Object.entries(opts.users).map(([u, p]) => htpasswdLine(u, p)).join('\n')}\n`);
  }
  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    let log = '';
    const c = spawn('bash', [SCRIPT, String(port), ...(htpasswd ? [htpasswd] : [])], {
      env: { ...process.env, REGISTRY_DIR: dir, REGISTRY_BIN: bin },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
    child = c;
    await waitReady(c, port, () => log);
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    port = await freePort();
    try {
      await launch();
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e; // most likely the port was taken in between: try another
    }
  }
  if (lastError) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }
  const kill = async () => {
    if (child) { child.kill('SIGKILL'); await exited(child); }
  };
  return {
    host: `127.0.0.1:${port}`,
    port,
    dir,
    kill,
    restart: async () => { await kill(); await launch(); },
    stop: async () => {
      if (child) { child.kill('SIGTERM'); await exited(child); }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
