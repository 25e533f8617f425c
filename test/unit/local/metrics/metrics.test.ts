/**
 * The local metric sources: the samples each recorder stores have the names, dimensions and units
 * the services publish (and the alarms read), and the store answers queries and keeps its file.
 */
import { mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRecorder } from '../../../../functions/src/observability/metrics';
import { METRICS } from '../../../../guide';
import {
  MetricStore,
  TooManyRequestsException,
  accessLogLine,
  createApiRecorder,
  createExecutionRecorder,
  createLocalMetrics,
  instrumentLambda,
  readMetricsFile,
} from '../../../../local/metrics';
import { metricFilterSpecs } from '../../../../observability/metric-filters';
import { reviewResources } from '../../../../tools/review-stacks';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('MetricStore', () => {
  it('answers queries by name and dimensions, and aggregates a series per period', () => {
    const store = new MetricStore();
    const m = { namespace: 'N', metricName: 'M', dimensions: { a: '1' } };
    store.put([
      { ...m, timestamp: T, value: 2 },
      { ...m, timestamp: T + 30_000, value: 4 },
      { ...m, timestamp: T + 60_000, value: 10 },
    ]);
    store.put({ ...m, dimensions: { a: '2' }, timestamp: T, value: 100 });
    expect(store.query({ dimensions: { a: '1' } })).toHaveLength(3);
    expect(store.series(m, 'Sum', 60)).toEqual([
      { timestamp: T, value: 6 },
      { timestamp: T + 60_000, value: 10 },
    ]);
    expect(store.series(m, 'Average', 120).map((d) => d.value)).toEqual([16 / 3]);
    expect(store.metrics()).toEqual(['N/M{a=1}', 'N/M{a=2}']);
  });

  it('appends every sample to its JSONL file by the next turn of the event loop, which a reader takes back whole lines at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-metrics-'));
    try {
      const file = join(dir, 'data', 'metrics.jsonl');
      const store = new MetricStore(file);
      store.put({ namespace: 'N', metricName: 'M', dimensions: {}, timestamp: T, value: 1, unit: 'Count' });
      store.put({ namespace: 'N', metricName: 'M', dimensions: {}, timestamp: T, value: 2, unit: 'Count' });
      await new Promise((resolve) => setImmediate(resolve));
      appendFileSync(file, '{"namespace":"N","metr');
      expect(readMetricsFile(file)).toEqual(store.query());
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('instrumentLambda', () => {
  it('publishes Invocations, ConcurrentExecutions, Duration and Errors per FunctionName', async () => {
    const store = new MetricStore();
    let t = T;
    const handler = instrumentLambda(
      'ai-generation-worker',
      async (fail: boolean) => {
        t += 250;
        if (fail) throw new Error('boom');
        return 'ok';
      },
      { store, now: () => t },
    );
    await handler(false);
    await expect(handler(true)).rejects.toThrow('boom');
    const value = (name: string) =>
      store.query({ namespace: 'AWS/Lambda', metricName: name, dimensions: { FunctionName: 'ai-generation-worker' } }).map((s) => s.value);
    expect([value('Invocations'), value('Errors'), value('Duration'), value('ConcurrentExecutions')]).toEqual([
      [1, 1],
      [0, 1],
      [250, 250],
      [1, 1],
    ]);
  });

  it('counts the invocations in flight, and refuses one past the reserved concurrency as Lambda does (Throttles)', async () => {
    const store = new MetricStore();
    const gates: (() => void)[] = [];
    const handler = instrumentLambda('w', () => new Promise<void>((ok) => gates.push(ok)), { store, reservedConcurrency: 2 });
    const running = [handler(), handler()];
    await expect(handler()).rejects.toBeInstanceOf(TooManyRequestsException);
    gates.forEach((open) => open());
    await Promise.all(running);
    expect(store.query({ metricName: 'ConcurrentExecutions' }).map((s) => s.value)).toEqual([1, 2]);
    expect(store.query({ metricName: 'Throttles' }).map((s) => s.value)).toEqual([1]);
  });
});

describe('the API recorder', () => {
  const accessLogFilters = metricFilterSpecs(reviewResources('prod')).filter((f) => f.id === 'auth-failures');

  it('publishes per stage and per route, 4xx and 5xx as 0/1 counts, and AuthFailures through the access-log filter', () => {
    const store = new MetricStore();
    const lines: string[] = [];
    const record = createApiRecorder({ store, apiId: 'local', stage: '$default', accessLogFilters, accessLog: (l) => lines.push(l) });
    const base = { requestId: 'r', ip: '127.0.0.1', at: T };
    record({ ...base, routeKey: 'POST /v1/processes', status: 202, latencyMs: 40, integrationLatencyMs: 35, sub: 'u1' });
    record({ ...base, routeKey: 'GET /v1/processes/{processId}', status: 401, latencyMs: 2, authorizerError: 'Unauthorized' });
    record({ ...base, routeKey: 'GET /v1/processes/{processId}', status: 503, latencyMs: 9, integrationLatencyMs: 8, sub: 'u1' });
    const sum = (name: string, dims: Record<string, string>) =>
      store
        .query({ namespace: 'AWS/ApiGateway', metricName: name, dimensions: dims })
        .filter((s) => Object.keys(s.dimensions).length === Object.keys(dims).length)
        .reduce((n, s) => n + s.value!, 0);
    const stage = { ApiId: 'local', Stage: '$default' };
    expect([sum('Count', stage), sum('4xx', stage), sum('5xx', stage)]).toEqual([3, 1, 1]);
    expect(sum('Latency', { ...stage, Method: 'POST', Resource: '/v1/processes' })).toBe(40);
    expect(store.query({ metricName: 'IntegrationLatency', dimensions: stage }).filter((s) => !s.dimensions.Method)).toHaveLength(2);
    // The filter's default value: every other line counts 0, so quiet periods have data.
    expect(
      store.query({ namespace: 'AsyncProcessing', metricName: METRICS.authFailures.name }).map((s) => [s.value, s.dimensions]),
    ).toEqual([
      [0, {}],
      [1, {}],
      [0, {}],
    ]);
    expect(JSON.parse(lines[1]!)).toMatchObject({
      status: '401',
      routeKey: 'GET /v1/processes/{processId}',
      authorizerError: 'Unauthorized',
      sub: '-',
    });
  });

  it('writes the access log in the stack’s format, field for field', () => {
    const line = JSON.parse(
      accessLogLine({ requestId: 'r1', ip: '10.0.0.1', at: T, routeKey: 'POST /v1/processes', status: 429, latencyMs: 3.4 }),
    );
    expect(Object.keys(line)).toEqual([
      'requestId',
      'requestTime',
      'ip',
      'userAgent',
      'routeKey',
      'status',
      'responseLength',
      'latencyMs',
      'integrationLatencyMs',
      'integrationError',
      'sub',
      'authorizerError',
    ]);
    expect(line).toMatchObject({ requestId: 'r1', status: '429', latencyMs: '3', integrationLatencyMs: '-' });
  });
});

describe('the execution recorder', () => {
  it('publishes ExecutionsStarted, then one end metric and ExecutionTime, once', () => {
    const store = new MetricStore();
    const executions = createExecutionRecorder({ store, stateMachineArn: 'arn:sm' });
    const end = executions.started(T);
    end('TIMED_OUT', T + 1_800_000);
    end('FAILED', T + 1_900_000);
    expect(store.query().map((s) => [s.metricName, s.value, s.dimensions.StateMachineArn])).toEqual([
      ['ExecutionsStarted', 1, 'arn:sm'],
      ['ExecutionsTimedOut', 1, 'arn:sm'],
      ['ExecutionTime', 1_800_000, 'arn:sm'],
    ]);
  });
});

describe('createLocalMetrics', () => {
  it('reads the functions’ own EMF lines from stdout into the store, and lets them through', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((c: string) => {
      written.push(String(c));
      return true;
    }) as typeof process.stdout.write);
    const local = createLocalMetrics({ api: { apiId: 'local', stage: '$default' }, stateMachineArn: 'arn:sm' });
    try {
      const recorder = createMetricsRecorder();
      recorder.add('failed', 1);
      recorder.addWith('failed', 1, { name: 'type', value: 'TASK_GENERATION' });
      recorder.flush();
    } finally {
      local.close();
      spy.mockRestore();
    }
    expect(
      local.store
        .query({ metricName: METRICS.failed.name })
        .map((s) => s.dimensions.type ?? '-')
        .sort(),
    ).toEqual(['-', 'TASK_GENERATION']);
    expect(written.join('')).toContain('"_aws"');
  });
});

describe('instrumentLambda with a timeout', () => {
  it('fails an invocation past its timeout as Lambda does, counting an error that lasted the timeout', async () => {
    const store = new MetricStore();
    const handler = instrumentLambda('queue-monitor', () => new Promise<void>(() => undefined), { store, timeoutMs: 30 });
    await expect(handler()).rejects.toThrow('queue-monitor: Task timed out after 0.03 seconds');
    expect(store.query({ metricName: 'Errors' }).map((s) => s.value)).toEqual([1]);
    expect(store.query({ metricName: 'Duration' })[0]!.value).toBeGreaterThanOrEqual(29);
  });
});
