/**
 * The bare baseline: a minimal node:http server that does only the single PostgreSQL statement of
 * each route, on the same database, with the same pool size as the handlers (guide: max 10).
 * No token check, validation, rate limit, logging, metrics or workflow: what is left is the floor
 * that HTTP + one round trip to PostgreSQL costs on this machine.
 *   GET  /v1/processes/{id}   SELECT * … WHERE id = $1 AND user_id = $2   (user from x-user-id)
 *   POST /v1/processes        INSERT … RETURNING *                        (the store's INSERT)
 * Run as a child: `node --import tsx bench/lib/baseline-server.ts` with DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool } from '../../functions/src/state/pool';

const pool = createPool({ connectionString: process.env.DATABASE_URL });

const SELECT = 'SELECT * FROM processing_state WHERE id = $1 AND user_id = $2';
/** The same statement as ProcessingStateService.create. */
const INSERT = `INSERT INTO processing_state
    (id, user_id, type, status, progress, input, idempotency_key, request_hash,
     created_at, updated_at, started_at, heartbeat_at)
  VALUES ($1, $2, $3, 'PENDING', 0, $4, $5, $6, $7, $7, $7, $7)
  ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING *`;

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
  try {
    const user = String(req.headers['x-user-id'] ?? '');
    const m = /^\/v1\/processes\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && m) {
      const { rows } = await pool.query(SELECT, [m[1], user]);
      res.writeHead(rows[0] ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(rows[0] ?? {}));
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/processes') {
      const { type, input } = JSON.parse(await body(req)) as { type: string; input: unknown };
      const { rows } = await pool.query(INSERT, [randomUUID(), user, type, JSON.stringify(input), null, null, new Date()]);
      res.writeHead(202, { 'content-type': 'application/json', location: `/v1/processes/${rows[0].id}` }).end(JSON.stringify(rows[0]));
      return;
    }
    res.writeHead(404).end();
  } catch (err) {
    res.writeHead(500).end(JSON.stringify({ error: (err as Error).message }));
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ message: 'baseline listening', url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
