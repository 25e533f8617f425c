/** Sorting the runtime's lines into the log groups they land in on AWS. */
import { classify, metricSeries } from '../../../cost/measure/logs';

const emf = (names: string[], dims: string[][], extra: Record<string, unknown> = {}) => ({
  _aws: {
    Timestamp: 1,
    CloudWatchMetrics: [{ Namespace: 'AsyncProcessing', Dimensions: dims, Metrics: names.map((Name) => ({ Name, Unit: 'Count' })) }],
  },
  service: 'async-ai-pipeline',
  ...extra,
});

describe('classify', () => {
  it.each([
    [{ message: 'AI生成処理を開始しました', action: 'begin' }, 'worker'],
    [{ message: '非同期処理を開始しました', route: 'start' }, 'start'],
    [{ message: 'x', route: 'status' }, 'status'],
    [{ message: 'Queue depth published', queueDepth: 0 }, 'queueMonitor'],
    [emf(['AsyncProcessingCompleted'], [['service']]), 'worker'],
    [emf(['AsyncProcessingStarted'], [['service', 'type']], { type: 'TASK_GENERATION' }), 'start'],
    [emf(['QueueDepth'], [['service']]), 'queueMonitor'],
  ])('puts %j in %s', (line, group) => {
    expect(classify(line)).toBe(group);
  });

  it("leaves out the local runtime's own lines", () => {
    expect(classify({ service: 'local-runtime', message: 'Execution x SUCCEEDED' })).toBeUndefined();
  });
});

describe('metricSeries', () => {
  it('names each metric once per dimension set, with the values', () => {
    expect(metricSeries(emf(['AsyncProcessingStarted'], [['service', 'type']], { type: 'TASK_GENERATION' }))).toEqual([
      'AsyncProcessing/AsyncProcessingStarted{service=async-ai-pipeline,type=TASK_GENERATION}',
    ]);
  });
});
