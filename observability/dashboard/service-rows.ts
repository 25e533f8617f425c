/**
 * Dashboard rows about the AWS services: Step Functions (the guide's 確認項目), the API (SLO
 * latency, 4xx/5xx), Lambda, Aurora and Bedrock.
 */
import { FUNCTIONS } from '../../guide';
import type { AlarmSpec } from '../alarms/spec';
import { awsMetric, customMetric, type MetricQuery, type Stat } from '../metrics';
import { SLO_ROUTES, type MonitoredResources } from '../monitored-resources';
import { thresholdOf } from './process-rows';
import { metricWidget, type Widget } from './widgets';

const PERIOD = 300;

const q = (
  id: string,
  namespace: string,
  name: string,
  dims: Record<string, string>,
  stat: Stat,
  label: string,
  period = PERIOD,
): MetricQuery => ({ id, metric: awsMetric(namespace, name, dims, stat, period), label, returnData: true });

export function stepFunctionsRow(r: MonitoredResources, specs: readonly AlarmSpec[]): Widget[] {
  const dims = { StateMachineArn: r.stateMachineArn };
  const sfn = (id: string, name: string, label: string, stat: Stat = 'Sum') => q(id, 'AWS/States', name, dims, stat, label);
  return [
    metricWidget({
      title: 'Step Functions: 実行中 / 成功 / 失敗 / タイムアウト',
      region: r.region,
      width: 12,
      queries: [
        // Step Functions publishes no running count per state machine; every PENDING/PROCESSING process has one.
        { id: 'running', metric: customMetric('queueDepth', 'Maximum', PERIOD), label: '実行中 (PENDING + PROCESSING)', returnData: true },
        sfn('started', 'ExecutionsStarted', '開始'),
        sfn('succeeded', 'ExecutionsSucceeded', '成功'),
        sfn('failed', 'ExecutionsFailed', '失敗'),
        sfn('timedout', 'ExecutionsTimedOut', 'タイムアウト'),
        sfn('aborted', 'ExecutionsAborted', '中止 (cancel)'),
        sfn('throttled', 'ExecutionThrottled', 'スロットル'),
      ],
    }),
    metricWidget({
      title: 'Step Functions: 実行時間 (ms)',
      region: r.region,
      width: 12,
      yLabel: 'ms',
      queries: [sfn('avg', 'ExecutionTime', 'average', 'Average'), sfn('p95', 'ExecutionTime', 'p95', 'p95')],
      annotations: [thresholdOf(specs, 'processing-time', '処理時間アラート')],
    }),
  ];
}

export function apiRow(r: MonitoredResources, specs: readonly AlarmSpec[]): Widget[] {
  const stage = { ApiId: r.api.id, Stage: r.api.stage };
  return [
    ...SLO_ROUTES.map((route) =>
      metricWidget({
        title: `API p95 latency: ${route.method} ${route.resource} (ms)`,
        region: r.region,
        width: 6,
        yLabel: 'ms',
        queries: [q('p95', 'AWS/ApiGateway', 'Latency', { ...stage, Method: route.method, Resource: route.resource }, 'p95', 'p95')],
        annotations: [thresholdOf(specs, `api-latency-${route.id}`, 'SLO')],
      }),
    ),
    metricWidget({
      title: 'API requests, 4xx, 5xx',
      region: r.region,
      width: 12,
      queries: [
        q('count', 'AWS/ApiGateway', 'Count', stage, 'Sum', 'requests'),
        q('c4xx', 'AWS/ApiGateway', '4xx', stage, 'Sum', '4xx'),
        q('c5xx', 'AWS/ApiGateway', '5xx', stage, 'Sum', '5xx'),
      ],
    }),
  ];
}

export function lambdaRow(r: MonitoredResources): Widget[] {
  const per = (name: string, stat: Stat, only?: (f: MonitoredResources['functions'][number]) => boolean) =>
    r.functions
      .filter(only ?? (() => true))
      .map((f, i) => q(`f${i}`, 'AWS/Lambda', name, { FunctionName: f.name }, stat, FUNCTIONS[f.key].name, 60));
  return [
    metricWidget({ title: 'Lambda errors', region: r.region, width: 6, queries: per('Errors', 'Sum') }),
    metricWidget({ title: 'Lambda throttles', region: r.region, width: 6, queries: per('Throttles', 'Sum') }),
    metricWidget({ title: 'Lambda duration p99 (ms)', region: r.region, width: 6, yLabel: 'ms', queries: per('Duration', 'p99') }),
    metricWidget({
      title: 'Lambda concurrent executions',
      region: r.region,
      width: 6,
      queries: per('ConcurrentExecutions', 'Maximum', (f) => !!f.reservedConcurrency),
    }),
  ];
}

export function auroraRow(r: MonitoredResources, specs: readonly AlarmSpec[]): Widget[] {
  const dims = { DBClusterIdentifier: r.database.clusterIdentifier };
  const rds = (title: string, name: string, stat: Stat, alarmId: string) =>
    metricWidget({
      title,
      region: r.region,
      width: 6,
      queries: [q('m', 'AWS/RDS', name, dims, stat, name)],
      annotations: [thresholdOf(specs, alarmId, 'alarm')],
    });
  return [
    rds('Aurora CPU (%)', 'CPUUtilization', 'Average', 'aurora-cpu'),
    rds('Aurora ACU utilization (%)', 'ACUUtilization', 'Average', 'aurora-acu'),
    rds('Aurora connections', 'DatabaseConnections', 'Maximum', 'aurora-connections'),
    rds('Aurora freeable memory (bytes)', 'FreeableMemory', 'Minimum', 'aurora-memory'),
  ];
}

export function bedrockRow(r: MonitoredResources, specs: readonly AlarmSpec[]): Widget[] {
  const dims = { ModelId: r.bedrockModelId };
  const b = (id: string, name: string, stat: Stat) => q(id, 'AWS/Bedrock', name, dims, stat, name);
  return [
    metricWidget({
      title: 'Bedrock invocations and errors',
      region: r.region,
      width: 12,
      queries: [
        b('inv', 'Invocations', 'Sum'),
        b('thr', 'InvocationThrottles', 'Sum'),
        b('srv', 'InvocationServerErrors', 'Sum'),
        b('cli', 'InvocationClientErrors', 'Sum'),
      ],
    }),
    metricWidget({
      title: 'Bedrock latency p95 (ms)',
      region: r.region,
      width: 12,
      yLabel: 'ms',
      queries: [b('lat', 'InvocationLatency', 'p95')],
      annotations: [thresholdOf(specs, 'bedrock-latency', 'alarm')],
    }),
  ];
}
