// A program that owns an embedded PostgreSQL (local/postgres.mjs, which jest cannot load: it is
// ESM), for tests that kill it the way a crash would. Run it in its own process group.
//   node pg-owner.mjs <dataDir> <port> serve   starts the server and keeps it (SIGTERM stops it cleanly)
//   node pg-owner.mjs <dataDir> <port> hold    the same, with one idle connection (a backend) open
//   node pg-owner.mjs <dataDir> <port> write   commits rows one by one, printing each id once COMMIT returned
// Its first line is {"pid": <postmaster pid>, "url": …}; a failed start exits 1 with the error on stderr.
import pg from 'pg';
import { startPostgres } from '../../local/postgres.mjs';

const [dataDir, port, mode] = process.argv.slice(2);
let server;
try {
  server = await startPostgres({ dataDir, port: Number(port) });
} catch (err) {
  process.stderr.write(err.message);
  process.exit(1);
}
const client = new pg.Client({ connectionString: server.url });
if (mode !== 'serve') {
  await client.connect();
  await client.query('CREATE TABLE IF NOT EXISTS committed (id integer PRIMARY KEY)');
}
process.on('SIGTERM', async () => {
  await client.end().catch(() => undefined);
  await server.stop();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ pid: server.pid, url: server.url })}\n`);
if (mode === 'write') {
  for (let id = 1; ; id++) {
    await client.query('INSERT INTO committed (id) VALUES ($1)', [id]);
    process.stdout.write(`${id}\n`);
  }
}
setInterval(() => undefined, 60_000);
