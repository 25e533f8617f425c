/**
 * Dashboard rows about processes (the guide's ダッシュボード list): starts, completion and error
 * rates, durations, the queue, and the security counters of the daily checks. Thresholds are read
 * from the alarm specs, so a line on a graph is exactly what alarms.
 */
import { ALARM_POLICY, PROCESS_TYPES, SLO, type ProcessType } from '../../guide';
import type { AlarmSpec } from '../alarms/spec';
import { customMetric, outcomeRate, type MetricQuery, type Stat } from '../metrics';
import { neverFinishedQueries } from '../alarms/process-alarms';
import { metricWidget, prefixed, type Annotation, type Widget } from './widgets';

const PERIOD = 300;

export const thresholdOf = (specs: readonly AlarmSpec[], id: string, label: string, color = '#d62728'): Annotation => {
  const spec = specs.find((p) => p.id === id);
  if (!spec) throw new Error(`The dashboard draws the threshold of alarm "${id}", which the catalog does not have`);
  return { label, value: spec.threshold, color };
};

const perType = (key: 'started' | 'duration', stat: Stat): MetricQuery[] =>
  PROCESS_TYPES.map((type: ProcessType, i) => ({
    id: `t${i}`,
    metric: customMetric(key, stat, PERIOD, type),
    label: type,
    returnData: true,
  }));

const total = (key: 'started' | 'completed' | 'failed' | 'timeout' | 'cancelled', id: string, label: string): MetricQuery => ({
  id,
  metric: customMetric(key, 'Sum', PERIOD),
  label,
  returnData: true,
});

export function processRows(region: string, specs: readonly AlarmSpec[]): Widget[][] {
  const rate = (key: 'errorRate' | 'timeoutRate' | 'completionRate', prefix: string, label: string) =>
    prefixed(prefix, outcomeRate(key, PERIOD)).map((q) => (q.returnData ? { ...q, label } : q));
  const slo = (value: number, label: string): Annotation => ({ label, value, color: '#ff7f0e' });
  return [
    [
      metricWidget({
        title: '処理開始数の推移 (AsyncProcessingStarted)',
        region,
        queries: [total('started', 'all', 'all types'), ...perType('started', 'Sum')],
      }),
      metricWidget({
        title: '完了率・エラー率・タイムアウト率の推移 (%)',
        region,
        yLabel: '%',
        queries: [
          ...rate('completionRate', 'c', '完了率 CompletionRate'),
          ...rate('errorRate', 'e', 'エラー率 ErrorRate'),
          ...rate('timeoutRate', 'o', 'タイムアウト率 TimeoutRate'),
        ],
        annotations: [
          thresholdOf(specs, 'error-rate', 'エラー率アラート'),
          thresholdOf(specs, 'timeout-rate', 'タイムアウト率アラート'),
          slo(SLO.errorRatePercent, 'エラー率 目標'),
          slo(SLO.timeoutRatePercent, 'タイムアウト率 目標'),
        ],
      }),
      metricWidget({
        title: '結果 (Completed / Failed / Timeout / Cancelled)',
        region,
        queries: [
          total('completed', 'c', 'Completed'),
          total('failed', 'f', 'Failed'),
          total('timeout', 't', 'Timeout'),
          total('cancelled', 'x', 'Cancelled'),
        ],
        annotations: [thresholdOf(specs, 'failed-count', 'Failed > 5/5分'), thresholdOf(specs, 'timeout-count', 'Timeout > 10/5分')],
      }),
    ],
    [
      metricWidget({
        title: '平均処理時間の推移 (ProcessingDuration, ms)',
        region,
        yLabel: 'ms',
        queries: [{ id: 'avg', metric: customMetric('duration', 'Average', PERIOD), label: 'average', returnData: true }],
        annotations: [thresholdOf(specs, 'processing-time', '処理時間アラート')],
      }),
      metricWidget({
        title: '処理タイプ別 平均処理時間 (ms)',
        region,
        yLabel: 'ms',
        queries: perType('duration', 'Average'),
        annotations: PROCESS_TYPES.map((t) => slo(SLO.completionMinutes[t][1] * 60_000, `${t} 目標上限`)),
      }),
      metricWidget({ title: '処理タイプ別 p95 処理時間 (ms)', region, yLabel: 'ms', queries: perType('duration', 'p95') }),
    ],
    [
      metricWidget({
        title: '待機中の処理数 (QueueDepth)',
        region,
        queries: [{ id: 'q', metric: customMetric('queueDepth', 'Maximum', 60), label: 'PENDING + PROCESSING', returnData: true }],
        annotations: [thresholdOf(specs, 'queue-depth', '待機中処理数アラート')],
      }),
      metricWidget({
        title: '最古の待機中処理の経過時間 (s)',
        region,
        yLabel: 's',
        queries: [{ id: 'age', metric: customMetric('oldestActiveAge', 'Maximum', 60), label: 'OldestActiveProcessAge', returnData: true }],
        annotations: [thresholdOf(specs, 'oldest-active-process', 'timeout + grace')],
      }),
      metricWidget({
        title: '開始されたが終わらない処理 (% per hour)',
        region,
        yLabel: '%',
        queries: neverFinishedQueries(ALARM_POLICY.pipeline.neverFinished.periodSeconds),
      }),
    ],
  ];
}
