/**
 * The embedded PostgreSQL (local/postgres.mjs) the way it fails: commits survive a kill -9 of the
 * server and of the program that owns it, and a start right after such a kill succeeds whatever
 * the dead server left (a zombie, orphaned backends, a lock file whose pid now names another
 * process). A server that a live program runs is never taken over. The servers run in child
 * programs (test/helpers/pg-owner.mjs), which is also how they are killed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../../harness/local-runtime';

const OWNER = resolve(__dirname, '..', '..', 'helpers', 'pg-owner.mjs');

interface Owner {
  child: ChildProcess;
  postmasterPid: number;
  url: string;
  /** Ids whose COMMIT had returned, as printed. */
  committed: number[];
  exited: Promise<number | null>;
}

/** Starts pg-owner.mjs in its own process group and waits for its server (rejects with its error). */
function startOwner(dataDir: string, port: number, mode: 'serve' | 'write' | 'hold'): Promise<Owner> {
  const child = spawn(process.execPath, [OWNER, dataDir, String(port), mode], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((res) => child.once('exit', res));
  const owner: Owner = { child, postmasterPid: 0, url: '', committed: [], exited };
  let buffered = '';
  let errors = '';
  child.stderr!.on('data', (c) => (errors += c));
  return new Promise((res, rej) => {
    void exited.then((code) => rej(new Error(`pg-owner exited with ${code}: ${errors}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) {
          owner.committed.push(Number(line));
          continue;
        }
        Object.assign(owner, { postmasterPid: JSON.parse(line).pid, url: JSON.parse(line).url });
        res(owner);
      }
    });
  });
}

function killGroup(owner: Owner): void {
  try {
    process.kill(-owner.child.pid!, 'SIGKILL');
  } catch {
    // gone already
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function query<T = any>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** State and parent of a pid from /proc, or undefined when there is none. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/**
 * As root the server runs as `postgres`, and PostgreSQL takes a pid it may not signal for a dead
 * one: the stand-ins for a killed server run as the server's user, as the real ones would.
 */
const serverUser = (): { uid?: number; gid?: number } => {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
};

/** A process that is a zombie until the test ends: its parent (`sleep`) never reaps it. */
async function makeZombie(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & exec sleep 60'], { stdio: 'ignore', ...serverUser() });
  let zombie: number | undefined;
  await until('a zombie', () => {
    zombie = readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .map(Number)
      .find((pid) => {
        const s = procStat(pid);
        return s?.ppid === parent.pid && s?.state === 'Z';
      });
    return zombie !== undefined;
  });
  return { pid: zombie!, parent };
}

async function aLiveProcess(): Promise<{ pid: number; parent: ChildProcess }> {
  const other = spawn('sleep', ['60'], { stdio: 'ignore', ...serverUser() });
  return { pid: other.pid!, parent: other };
}

describe('embedded PostgreSQL (local/postgres.mjs)', () => {
  let template: string;
  let root: string;
  let dataDir: string;
  let port: number;
  const cleanups: Array<() => unknown> = [];
  // One cluster initialised (initdb) once, copied for each test: startPostgres starts it as its own.
  beforeAll(async () => {
    template = mkdtempSync(join(tmpdir(), 'aip-pg-template-'));
    chmodSync(template, 0o755);
    const first = await startOwner(join(template, 'pg'), await freePort(), 'serve');
    first.child.kill('SIGTERM');
    await first.exited;
  });
  afterAll(() => rmSync(template, { recursive: true, force: true }));
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'aip-pg-'));
    chmodSync(root, 0o755);
    dataDir = join(root, 'pg');
    cpSync(join(template, 'pg'), dataDir, { recursive: true });
    port = await freePort();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    rmSync(root, { recursive: true, force: true });
  });
  const owned = async (mode: 'serve' | 'write' | 'hold', p = port) => {
    const owner = await startOwner(dataDir, p, mode);
    cleanups.push(() => killGroup(owner));
    return owner;
  };

  it('keeps every acknowledged commit (durable commits) when the server and its owner are killed with kill -9, and starts again at once', async () => {
    // prepare: a program commits rows one at a time as fast as it can
    const writer = await owned('write');
    await until('300 commits', () => writer.committed.length >= 300);

    // act: the whole program, its server included, dies at once; then a new start
    killGroup(writer);
    const acknowledged = [...writer.committed];
    const { url } = await owned('serve');

    // assess
    const kept = new Set((await query<{ id: number }>(url, 'SELECT id FROM committed')).map((r) => r.id));
    expect(acknowledged.filter((id) => !kept.has(id))).toEqual([]);
    const settings = await query(
      url,
      "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'full_page_writes')",
    );
    expect(Object.fromEntries(settings.map((r) => [r.name, r.setting]))).toEqual({
      synchronous_commit: 'on',
      fsync: 'on',
      full_page_writes: 'on',
    });
  });

  it('starts right after kill -9 of the postmaster alone, its orphaned backend still alive', async () => {
    // prepare: an open connection keeps a backend process on the data folder
    const first = await owned('hold');

    // act: as when the server alone crashes; its owner lives on
    process.kill(first.postmasterPid, 'SIGKILL');
    const second = await owned('serve');

    // assess
    expect(second.postmasterPid).not.toBe(first.postmasterPid);
    expect(await query(second.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  describe.each([
    ['a zombie (killed, not yet reaped)', makeZombie],
    ['another live program (the pid was reused)', aLiveProcess],
  ])('when the lock file left by a dead server names %s', (_name, make) => {
    it('removes the stale lock file and starts', async () => {
      // prepare: a real lock file, as a killed server leaves it, pointing at that pid
      const first = await owned('serve');
      const lockFile = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
      first.child.kill('SIGTERM');
      await first.exited;
      const { pid, parent } = await make();
      cleanups.push(() => parent.kill('SIGKILL'));
      writeFileSync(join(dataDir, 'postmaster.pid'), lockFile.replace(/^\d+/, String(pid)));

      // act
      const second = await owned('serve');

      // assess
      expect(await query(second.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(procStat(pid)).toBeDefined(); // the other process was left alone
    });
  });

  it('refuses, naming AIP_DATA_DIR, a data folder whose server a live program runs', async () => {
    // prepare
    const first = await owned('hold');

    // act
    const second = owned('serve', await freePort());

    // assess
    await expect(second).rejects.toThrow(new RegExp(`in use by PostgreSQL \\(pid ${first.postmasterPid}\\).*AIP_DATA_DIR`));
    expect(procStat(first.postmasterPid)?.state).not.toBe('Z');
    expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
