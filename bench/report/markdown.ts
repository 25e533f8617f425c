/**
 * results/latest.md: a summary table, then one section per suite with its command, settings and
 * the machine it ran on. Rendered from latest.json only, so the two never disagree.
 */
import { machineLine } from '../lib/machine';
import { OTHER_WORK_WARNING } from '../lib/cpu';
import type { Results, Section, SuiteName } from '../suites';
import type { ApiRow } from '../suites/api';
import type { CleanupResult } from '../suites/cleanup';
import type { ColdStartRow } from '../suites/cold-start';
import type { E2eRow } from '../suites/e2e';
import type { InfraResult } from '../suites/infra';
import type { ScaleRow } from '../suites/scale';
import { table, summaryRows } from './tables';

const TITLES: Record<SuiteName, string> = {
  api: 'API latency and throughput',
  e2e: 'End-to-end throughput',
  coldstart: 'Cold-start proxy',
  cleanup: 'Cleanup',
  infra: 'Infra program',
  scale: 'Scale: cost per process as the work grows',
};

const ms = (n: number) => (Number.isFinite(n) ? String(n) : '–');

function api(rows: ApiRow[]): string {
  return (
    table(
      [
        'route',
        'conns',
        'runtime p50 / p95 / p99 ms',
        'runtime req/s',
        'baseline p50 / p95 / p99 ms',
        'baseline req/s',
        'p95 ×',
        'req/s ×',
        'SLO p95',
        'CPU ms/req runtime + pg (baseline + pg)',
        'non-2xx',
      ],
      rows.map((r) => [
        r.route === 'status' ? 'GET status' : 'POST start',
        r.connections,
        `${r.runtime.p50Ms} / ${r.runtime.p95Ms} / ${r.runtime.p99Ms}`,
        r.runtime.rps,
        `${r.baseline.p50Ms} / ${r.baseline.p95Ms} / ${r.baseline.p99Ms}`,
        r.baseline.rps,
        r.ratio.p95,
        r.ratio.rps,
        `${r.slo.pass ? 'PASS' : 'FAIL'} (< ${r.slo.p95LimitMs} ms)`,
        `${r.runtime.cpuMsPerRequest.server} + ${r.runtime.cpuMsPerRequest.postgres} (${r.baseline.cpuMsPerRequest.server} + ${r.baseline.cpuMsPerRequest.postgres})`,
        r.runtime.non2xx + r.runtime.errors,
      ]),
    ) +
    '\n\n"×" is runtime ÷ baseline; each baseline is a bare node:http server on the same database with the same pool size (bench/lib/baseline-server.ts). ' +
    'GET status: the running local runtime (one statement per request: the rate-limit count and the read, state/rate-limiter.ts) against a bare SELECT of the process, without the rate-limit count. ' +
    "POST start: the start API alone (bench/lib/api-only-server.ts: the runtime's edge, route table and handlers, with Step Functions paused in another process, bench/lib/sfn-stub.ts, so no workflow runs) " +
    "against a baseline doing the same statements (rate-limit upsert, INSERT, the execution's UPDATE) and the same StartExecution call as plain JSON, on a database of their own."
  );
}

function e2e(rows: E2eRow[]): string {
  return (
    table(
      [
        'N',
        'accepted (202)',
        'COMPLETED',
        'lost',
        'first start → last completion s',
        'processes/s',
        'per process p50 / p95 / max s',
        'start phase req/s',
        'CPU ms/process runtime + pg',
        'in budget',
      ],
      rows.map((r) => [
        r.n,
        r.accepted,
        r.completed,
        r.lost ? `${r.lost} (${JSON.stringify(r.notCompleted)})` : 0,
        r.spanS,
        r.processesPerSecond,
        `${r.completionS.p50} / ${r.completionS.p95} / ${r.completionS.max}`,
        r.startPhase.rps,
        `${r.cpuMsPerProcess.server} + ${r.cpuMsPerProcess.postgres}`,
        r.finishedInBudget ? `yes (${r.budgetS} s)` : `NO (${r.budgetS} s)`,
      ]),
    ) +
    "\n\nCounted in the database: rows in processing_state for the run's users by status, and their local Step Functions executions " +
    `(${rows.map((r) => `N=${r.n}: ${JSON.stringify(r.executions)}`).join('; ')}).`
  );
}

function coldStart(rows: ColdStartRow[]): string {
  return (
    table(
      [
        'function',
        'bundle KB (gzip)',
        '+ X-Ray tracer KB',
        'node boot ms',
        'require ms',
        'first invocation ms',
        'spawn → answer ms',
        'RSS MB',
        'first answer',
        'event',
        'largest parts of the bundle, KB',
      ],
      rows.map((r) => [
        r.function,
        `${Math.round(r.bytes / 1024)} (${Math.round(r.gzipBytes / 1024)})`,
        r.xrayBytes === undefined ? '–' : Math.round(r.xrayBytes / 1024),
        r.bootMs,
        r.requireMs,
        r.firstInvokeMs,
        r.totalMs,
        r.rssMb,
        r.outcome,
        r.event,
        (r.largest ?? []).map(([k, v]) => `${k} ${v}`).join(', '),
      ]),
    ) +
    "\n\nMedians of fresh `node` processes (Node's own boot, then `require` of the bundle with the AWS SDK resolved from node_modules as Lambda provides it, then one invocation against the " +
    "running local runtime's database and endpoints). Lambda adds its own sandbox start before all of this. " +
    'The X-Ray tracer (Powertools Tracer and the X-Ray SDK) ships beside each bundle as its own file: a Lambda with tracing on loads it with its first AWS SDK client (not at `require`), nothing else ever does.'
  );
}

function cleanup(r: CleanupResult): string {
  return table(
    [
      'rows',
      'past retention / inside / active',
      'table MB',
      'fill s',
      'deleted',
      'cleanup s',
      'rows/s',
      'batches × size',
      'longest batch (lock held) ms',
      'mean batch ms',
      'slowest batches (# in run: ms)',
      'young and active kept',
    ],
    [
      [
        r.rows,
        `${r.mix.expiredTerminal} / ${r.mix.youngTerminal} / ${r.mix.active}`,
        r.tableMbBefore,
        r.fillS,
        r.deleted,
        r.cleanupS,
        r.rowsPerSecond,
        `${r.batches} × ${r.batchSize}`,
        r.longestBatchMs,
        r.meanBatchMs,
        (r.slowestBatches ?? []).map((b) => `#${b.batch}: ${b.ms}`).join(', ') || '–',
        r.check.ok ? 'yes' : `NO (${JSON.stringify(r.check)})`,
      ],
    ],
  );
}

function infra(r: InfraResult): string {
  if (r.error) return `Not measured: the program could not be constructed under mocks:\n\n    ${r.error.split('\n')[0]}`;
  return table(
    [
      'stack',
      'resources (+ components)',
      'construct ms',
      'fresh process → constructed ms',
      'bundle ms (first run / cached)',
      'RSS MB',
      'most common types',
    ],
    [
      [
        r.stack,
        `${r.customResources} (+${r.components})`,
        ms(r.constructMs!),
        ms(r.totalMs!),
        `${r.bundleMs!.firstRun} / ${ms(r.bundleMs!.cached)}`,
        r.rssMb!,
        (r.topTypes ?? []).map(([t, n]) => `${t.split(':').pop()} ${n}`).join(', '),
      ],
    ],
  );
}

function scale(d: { compression: number; modelLatencyMs: Record<string, number>; startsPerSecond: number; rows: ScaleRow[] }): string {
  return (
    table(
      [
        'N',
        'accepted',
        'COMPLETED',
        'not completed',
        'first start → last end s',
        'processes/s',
        'completion s (SUBGOAL / ACTION / TASK)',
        'model calls',
        'input + output tokens',
        'worker invocations',
        'transitions',
        'log bytes',
        'model USD/process',
      ],
      d.rows.map((r) => [
        r.n,
        r.accepted,
        r.completed,
        Object.keys(r.notCompleted).length ? JSON.stringify(r.notCompleted) : 0,
        r.spanS,
        r.processesPerSecond,
        Object.values(r.completionS).join(' / '),
        r.perProcess.modelCalls,
        `${r.perProcess.inputTokens} + ${r.perProcess.outputTokens}`,
        r.perProcess.workerInvocations,
        r.perProcess.transitions,
        r.perProcess.logBytes,
        r.usdPerProcess,
      ]),
    ) +
    `\n\nEverything per process. The model's latency is the guide's average completion time per type over the slices, and every timeout, divided by ${d.compression} ` +
    `(per slice: ${Object.entries(d.modelLatencyMs)
      .map(([t, ms]) => `${t.replace('_GENERATION', '')} ${ms} ms`)
      .join(', ')}); starts are paced at ${d.startsPerSecond}/s, ` +
    "which keeps the model calls in flight under the local Bedrock client's 50 sockets (the local stand-in for the worker's reserved concurrency). " +
    "Calls and tokens are counted by the recorder in front of the local model (cost/measure/recorder.ts); worker invocations are the worker's log lines with an action; " +
    "transitions are the ASL walk plus one per extra model attempt; log bytes are the worker's and start handler's JSON lines; USD/process is `npm run cost`'s variable cost (prod stack, default mix) with these figures."
  );
}

const RENDER: Record<SuiteName, (data: any) => string> = { api, e2e, coldstart: coldStart, cleanup, infra, scale };

function section(name: SuiteName, s: Section): string {
  return [
    `## ${TITLES[name]}`,
    '',
    `Produced by \`${s.command}\`; this section alone: \`${s.sectionCommand ?? s.command}\` · ${s.measuredAt.slice(0, 16).replace('T', ' ')} UTC · ${s.durationS} s · ${machineLine(s.machine)}${s.machine.gitCommit ? ` · commit ${s.machine.gitCommit}` : ''}` +
      (s.otherWork !== undefined
        ? ` · other processes' share of the CPU during the run: ${Math.round(s.otherWork * 100)} %${s.otherWork > OTHER_WORK_WARNING ? ' (**contended: figures are low**)' : ''}`
        : ''),
    '',
    `Settings: \`${JSON.stringify(s.settings)}\``,
    '',
    RENDER[name](s.data),
    '',
  ].join('\n');
}

export function renderMarkdown(results: Results): string {
  const names = (Object.keys(TITLES) as SuiteName[]).filter((n) => results.suites[n]);
  return [
    '# Benchmark results',
    '',
    'Generated by `npm run bench` from `latest.json`; do not edit by hand. How to read and reproduce: README, [Performance](../../README.md#performance); what dominates: [NOTES.md](NOTES.md).',
    '',
    '## Summary',
    '',
    table(['measurement', 'result', 'command'], summaryRows(results)),
    '',
    ...names.map((n) => section(n, results.suites[n]!)),
  ].join('\n');
}
