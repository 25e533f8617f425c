/**
 * The bare baseline: a minimal node:http server, on the same database, with the same pool size as
 * the handlers (guide: max 10). No token check, validation, logging, metrics or spans: what is
 * left is the floor that HTTP + the route's round trips cost on this machine.
 *   GET  /v1/processes/{id}   SELECT * … WHERE id = $1 AND user_id = $2   (user from x-user-id)
 *   POST /v1/processes        the start's own statements, through the same classes: the rate-limit
 *                             upsert, the INSERT, a plain StartExecution POST to SFN_ENDPOINT (the
 *                             same Step Functions stub the service calls), the execution's UPDATE
 * Run as a child: `node --import tsx bench/lib/baseline-server.ts` with DATABASE_URL, SFN_ENDPOINT
 * and STATE_MACHINE_ARN.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { executionNameFor } from '../../functions/src/domain/process';
import { createPool } from '../../functions/src/state/pool';
import { ProcessingStateService } from '../../functions/src/state/processing-state-service';
import { RateLimiter } from '../../functions/src/state/rate-limiter';

const pool = createPool({ connectionString: process.env.DATABASE_URL });
const store = new ProcessingStateService(pool);
const limiter = new RateLimiter(pool, { requests: Number.MAX_SAFE_INTEGER, windowSeconds: 60 });
const sfn = new URL(process.env.SFN_ENDPOINT ?? 'http://127.0.0.1:1');
const agent = new Agent({ keepAlive: true, maxSockets: 50 });

const SELECT = 'SELECT * FROM processing_state WHERE id = $1 AND user_id = $2';
async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** StartExecution as plain JSON over a keep-alive socket: no SDK, no signature. */
function startExecution(name: string, input: unknown): Promise<string> {
  const payload = JSON.stringify({ stateMachineArn: process.env.STATE_MACHINE_ARN, name, input: JSON.stringify(input) });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: sfn.hostname,
        port: sfn.port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.StartExecution',
          'content-length': Buffer.byteLength(payload),
        },
      },
      async (res) => {
        const text = await body(res);
        if (res.statusCode !== 200) return reject(new Error(`StartExecution answered ${res.statusCode}: ${text}`));
        resolve((JSON.parse(text) as { executionArn: string }).executionArn);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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
      await limiter.consume(user, new Date());
      const { type, input } = JSON.parse(await body(req)) as { type: 'SUBGOAL_GENERATION'; input: Record<string, unknown> };
      const { process: p } = await store.create({ id: randomUUID(), userId: user, type, input, now: new Date() });
      const name = executionNameFor(p.id, p.attempt);
      const arn = await startExecution(name, { processId: p.id, userId: p.userId, type: p.type, attempt: p.attempt });
      const recorded = await store.recordExecution(p.id, p.attempt, name, arn, new Date());
      res.writeHead(202, { 'content-type': 'application/json', location: `/v1/processes/${p.id}` }).end(JSON.stringify(recorded ?? p));
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
