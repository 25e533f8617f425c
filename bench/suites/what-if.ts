/**
 * What-if runs for the profile notes: the same status load and end-to-end run against a runtime
 * with one environment change, next to one without it, so a suspected cost is measured, not guessed.
 */
import { CpuMeter } from '../lib/cpu';
import { runLoad } from '../lib/load';
import type { BenchPostgres } from '../lib/postgres';
import { startRuntime } from '../lib/runtime';
import { table } from '../report/tables';
import { requestFor, seedApiFixture } from './api';
import { e2eSuite } from './e2e';

export interface Variant {
  label: string;
  env: Record<string, string>;
}

interface VariantResult {
  label: string;
  statusRps: number;
  statusP95Ms: number;
  statusCpuMs: number;
  e2eProcessesPerSecond: number;
  e2eCpuMs: number;
}

async function measure(pg: BenchPostgres, v: Variant, i: number): Promise<VariantResult> {
  const url = await pg.database(`bench_whatif_${i}`);
  const pool = pg.pool(url);
  const rt = await startRuntime({ root: pg.root, name: `whatif-${i}`, databaseUrl: url, env: v.env });
  try {
    const f = await seedApiFixture(rt, pool);
    const spec = {
      label: `what-if ${v.label}: status c=16`,
      url: rt.info.url,
      method: 'GET' as const,
      connections: 16,
      durationS: 1,
      next: requestFor(f, 'status', false),
    };
    await runLoad(spec);
    const meter = new CpuMeter(rt.pid, pg.pid);
    const before = meter.sample();
    const status = await runLoad({ ...spec, durationS: 6 });
    const cpu = CpuMeter.perUnit(before, meter.sample(), status.requests);
    const [e2e] = await e2eSuite({ rt, pool, postgresPid: pg.pid }, { sizes: [1000], budgetS: { 1000: 180 }, connections: 64 });
    return {
      label: v.label,
      statusRps: status.rps,
      statusP95Ms: status.p95Ms,
      statusCpuMs: cpu.server,
      e2eProcessesPerSecond: e2e!.processesPerSecond,
      e2eCpuMs: e2e!.cpuMsPerProcess.server,
    };
  } finally {
    await rt.stop();
  }
}

export async function whatIf(pg: BenchPostgres, title: string, variants: Variant[]): Promise<string> {
  const results: VariantResult[] = [];
  for (const [i, v] of variants.entries()) results.push(await measure(pg, v, i));
  return [
    `## What if: ${title}`,
    '',
    table(
      [
        'runtime',
        'status c=16 req/s',
        'status p95 ms',
        'runtime CPU ms/status request',
        'end to end N=1000 processes/s',
        'runtime CPU ms/process',
      ],
      results.map((r) => [r.label, r.statusRps, r.statusP95Ms, r.statusCpuMs, r.e2eProcessesPerSecond, r.e2eCpuMs]),
    ),
    '',
  ].join('\n');
}
