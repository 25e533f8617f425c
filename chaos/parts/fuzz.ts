/**
 * The fuzz part of the chaos suite: the edge never answers 5xx to bad input and never dies
 * (DESIGN.md §6). Starts its own runtime (`npm start`'s program, on a test database when
 * TEST_DATABASE_URL names a server, else on its own embedded PostgreSQL), then sends ≥ 10 000
 * requests (quick: a few hundred) over bare sockets: well-framed requests over every route, method,
 * header and body shape judged against the contract's oracle, a corpus of malformed requests,
 * randomly damaged requests, pipelined requests, bodies up to 10 MiB, and slow clients.
 *
 * Deterministic from the seed: case i of seed s is the same bytes in every run (tokens apart,
 * which are signed with the run's own key). Repeat one case with
 *   node --import tsx chaos/parts/fuzz.ts --seed <s> --case <i>
 */
import { API } from '../../guide';
import { createTestDatabase } from '../../harness/test-database';
import { LocalRuntime, freePort } from '../../harness/local-runtime';
import { rawExchange, type RawExchange } from '../../harness/raw-http';
import { loadKeys } from '../../local/auth';
import type { ChaosPart, PartOptions, PartResult } from '../types';
import { apiCase, bigBodyCase, pipelinedCase } from './fuzz/api-cases';
import type { FuzzCase, FuzzContext } from './fuzz/case';
import { judge, type Problem } from './fuzz/check';
import { randFor } from './fuzz/random';
import { CORPUS_SIZE, SLOW_VARIANTS, corpusCase, mutatedCase, slowCase } from './fuzz/raw-cases';
import { USER_A, USER_B, authCases } from './fuzz/tokens';

const SIZES = { quick: { cases: 400, slow: 3 }, full: { cases: 10_500, slow: 3 * SLOW_VARIANTS } };
const CONCURRENCY = 8;
/** Extra time a slow client may stay open past the edge's timeout on a busy machine. */
const SLACK_MS = 5_000;
const BIG_BODIES = [API.maxBodyBytes + 1, 1024 * 1024, 10 * 1024 * 1024];

interface Runtime {
  rt: LocalRuntime;
  port: number;
  dispose(): Promise<void>;
}

/** The fuzz needs no metrics and only warnings: 10 000 requests' INFO lines would be most of its work. */
const QUIET = { LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };

async function startRuntime(): Promise<Runtime> {
  if (process.env.TEST_DATABASE_URL) {
    const db = await createTestDatabase({ migrate: false });
    const rt = await LocalRuntime.start({ databaseUrl: db.url, env: QUIET });
    return {
      rt,
      port: Number(new URL(rt.url).port),
      dispose: async () => {
        await rt.dispose();
        await db.drop();
      },
    };
  }
  const rt = await LocalRuntime.start({ env: { ...QUIET, AIP_PG_PORT: String(await freePort()) } });
  return { rt, port: Number(new URL(rt.url).port), dispose: () => rt.dispose() };
}

async function prepare(rt: LocalRuntime): Promise<FuzzContext> {
  const auth = await authCases(await loadKeys(rt.opts.dataDir));
  const create = async (userId: string) => {
    const token = await rt.token(userId);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await rt.request('POST', '/v1/processes', {
        token,
        body: { type: 'TASK_GENERATION', input: { action: { title: `Fuzz target ${i}` } } },
      });
      if (res.status !== 202) throw new Error(`could not create the fuzz's processes: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.processId);
    }
    return ids;
  };
  return { auth, processes: { a: await create(USER_A), b: await create(USER_B) } };
}

/** Case `i`: first the slow clients, then the whole corpus and every big body, then a seeded mix. */
export function caseAt(i: number, seed: number, ctx: FuzzContext, quick: boolean): FuzzCase {
  const { slow } = quick ? SIZES.quick : SIZES.full;
  const r = randFor(seed, i);
  if (i < slow) return slowCase(i, i, SLACK_MS);
  let k = i - slow;
  if (k < CORPUS_SIZE) return corpusCase(k, i);
  k -= CORPUS_SIZE;
  if (k < BIG_BODIES.length * 2 && !(quick && BIG_BODIES[k >> 1]! > 1024 * 1024))
    return bigBodyCase(r, ctx, i, quick, BIG_BODIES[k >> 1], (k & 1) === 1);
  const x = r.next();
  if (x < 0.65) return apiCase(r, ctx, i, seed);
  if (x < 0.8) return mutatedCase(r, ctx, i);
  if (x < 0.9) return corpusCase(r.int(CORPUS_SIZE), i);
  if (x < 0.97) return pipelinedCase(r, ctx, i);
  if (x < 0.975) return bigBodyCase(r, ctx, i, quick);
  return apiCase(r, ctx, i, seed);
}

const send = (port: number, c: FuzzCase): Promise<RawExchange> => rawExchange(port, c.parts, { timeoutMs: 20_000, ...c.options });

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) })).status === 200;
  } catch {
    return false;
  }
}

export const fuzz: ChaosPart = async ({ quick, seed, log }: PartOptions): Promise<PartResult> => {
  const started = Date.now();
  const { cases: total, slow } = quick ? SIZES.quick : SIZES.full;
  const counts: Record<string, number> = {
    requests: 0,
    responses: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    outsideEnvelope: 0,
    unexpectedStatus: 0,
    resets: 0,
    noResponse: 0,
    slowClientsNotClosed: 0,
    crashes: 0,
    healthChecksFailed: 0,
    unexpectedErrorsLogged: 0,
  };
  const perProblem: Record<Problem, string> = {
    status5xx: 'status5xx',
    outsideEnvelope: 'outsideEnvelope',
    unexpectedStatus: 'unexpectedStatus',
    reset: 'resets',
    noResponse: 'noResponse',
    slowClientNotClosed: 'slowClientsNotClosed',
  };
  const failures: string[] = [];
  let passed = 0;
  let failed = 0;

  const runtime = await startRuntime();
  try {
    const ctx = await prepare(runtime.rt);
    log(`fuzz: ${total} cases, seed ${seed}, runtime at ${runtime.rt.url}`);
    const run = async (i: number) => {
      const c = caseAt(i, seed, ctx, quick);
      const x = await send(runtime.port, c);
      counts.requests! += c.requests;
      counts.responses! += x.responses.length;
      for (const res of x.responses)
        counts[`status${Math.floor(res.status / 100)}xx`] = (counts[`status${Math.floor(res.status / 100)}xx`] ?? 0) + 1;
      const { problems } = judge(c, x);
      for (const p of problems) counts[perProblem[p.kind]]! += 1;
      if (problems.length === 0) return void passed++;
      failed++;
      if (failures.length < 20)
        failures.push(`seed=${seed} case=${i} [${c.category}] ${c.summary} → ${problems.map((p) => `${p.kind}: ${p.detail}`).join('; ')}`);
    };

    // Slow clients hold their connections meanwhile; everything else runs CONCURRENCY at a time.
    const slowRuns = Array.from({ length: slow }, (_, i) => run(i));
    let next = slow;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        await run(i);
        if (i % 1000 === 0) {
          if (!(await healthy(runtime.rt.url))) counts.healthChecksFailed!++;
          log(`fuzz: ${i}/${total} cases, ${failed} failed`);
        }
      }
    };
    await Promise.all([...slowRuns, ...Array.from({ length: CONCURRENCY }, worker)]);

    if (!runtime.rt.alive || !(await healthy(runtime.rt.url))) {
      counts.crashes = 1;
      failures.unshift(
        `the runtime ${runtime.rt.alive ? 'does not answer /health with 200' : 'exited'} after the fuzz:\n${runtime.rt.output.slice(-2000)}`,
      );
    }
    counts.unexpectedErrorsLogged = (runtime.rt.output.match(/Request handling failed|Request failed with 5\d\d/g) ?? []).length;
  } finally {
    await runtime.dispose();
  }
  return {
    name: 'fuzz',
    tried: total,
    passed,
    failed: failed + counts.crashes! + counts.unexpectedErrorsLogged!,
    counts,
    failures: failures.slice(0, 20),
    durationMs: Date.now() - started,
  };
};

/** `node --import tsx chaos/parts/fuzz.ts [--quick] [--seed N] [--case I]`: the part alone, or one case shown in full. */
async function main(argv: string[]) {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seed = Number(arg('--seed') ?? 1);
  const quick = argv.includes('--quick');
  const only = arg('--case');
  if (only === undefined) {
    const result = await fuzz({ quick, seed, log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exitCode = result.failed === 0 ? 0 : 1;
    return;
  }
  const runtime = await startRuntime();
  try {
    const c = caseAt(Number(only), seed, await prepare(runtime.rt), quick);
    const x = await send(runtime.port, c);
    process.stdout.write(
      `${JSON.stringify({ case: c.index, category: c.category, summary: c.summary, expect: c.expect, sent: c.parts.map((p) => (typeof p === 'object' && !Buffer.isBuffer(p) ? p : p.toString('latin1').slice(0, 2000))), received: x, verdict: judge(c, x) }, null, 2)}\n`,
    );
  } finally {
    await runtime.dispose();
  }
}

if (require.main === module) void main(process.argv.slice(2));
