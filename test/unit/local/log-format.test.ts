/** AIP_LOG_FORMAT=pretty: the handlers' JSON lines and EMF lines, rewritten for a terminal. */
import { prettyLine } from '../../../local/log-format';

describe('prettyLine', () => {
  it('shows time, level and message first, then the other fields, for a guide log line', () => {
    const line = JSON.stringify({
      timestamp: '2026-11-28T10:00:00.123Z',
      level: 'INFO',
      processId: 'p-1',
      progress: 50,
      message: 'AI生成処理が50%完了しました',
      service: 'async-ai-pipeline',
    });

    expect(prettyLine(line, false)).toBe('10:00:00.123 INFO  AI生成処理が50%完了しました  processId=p-1 progress=50');
  });

  it('summarises an EMF line as its metrics and type', () => {
    const emf = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          { Namespace: 'AsyncProcessing', Dimensions: [['service', 'type']], Metrics: [{ Name: 'AsyncProcessingStarted', Unit: 'Count' }] },
        ],
      },
      service: 'async-ai-pipeline',
      type: 'TASK_GENERATION',
      AsyncProcessingStarted: 1,
    });

    expect(prettyLine(emf, false)).toBe('metric AsyncProcessingStarted=1 type=TASK_GENERATION');
  });

  it.each(['plain text from a library', '{"not":"a log line"}', '42'])('leaves %s as it is', (line) => {
    expect(prettyLine(line, false)).toBe(line);
  });
});
