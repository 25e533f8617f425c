import { LOG_FIELDS } from '../../../../guide';
import { createObserver } from '../../../../functions/src/observability/observer';
import { rootLogger } from '../../../../functions/src/observability/logger';
import { captureOutput, type CapturedOutput } from '../../../helpers/output';

const tick = () => new Promise((r) => setImmediate(r));

describe('GuideLogFormatter', () => {
  let output: CapturedOutput;
  beforeEach(() => {
    rootLogger.setLogLevel('INFO');
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('prints the guide fields first and in the guide order when an invocation logs', () => {
    // prepare
    const { logger } = createObserver({ processId: 'p-1', userId: 'u-1', type: 'TASK_GENERATION', attempt: 2 });

    // act
    logger.info('AI生成処理が完了しました', { status: 'COMPLETED', progress: 100, duration: 1234 });

    // assess
    const [line] = output.json();
    expect(line?.stream).toBe('stdout');
    expect(Object.keys(line!.entry).slice(0, LOG_FIELDS.length)).toEqual([...LOG_FIELDS]);
    expect(line!.entry).toMatchObject({
      level: 'INFO',
      processId: 'p-1',
      userId: 'u-1',
      type: 'TASK_GENERATION',
      status: 'COMPLETED',
      progress: 100,
      message: 'AI生成処理が完了しました',
      duration: 1234,
      attempt: 2,
      service: 'async-ai-pipeline',
    });
    expect(new Date(line!.entry.timestamp).toString()).not.toBe('Invalid Date');
  });

  it('writes WARN and ERROR to stderr with their level when something goes wrong', () => {
    // prepare
    const { logger } = createObserver({ processId: 'p-2' });

    // act
    logger.warn('Rate limit exceeded');
    logger.error('AI生成処理が失敗しました', { error: new Error('boom') });

    // assess
    const lines = output.json();
    expect(lines.map((l) => [l.stream, l.entry.level])).toEqual([
      ['stderr', 'WARN'],
      ['stderr', 'ERROR'],
    ]);
    expect(lines[1]!.entry.error).toMatchObject({ name: 'Error', message: 'boom' });
  });

  it('leaves out DEBUG lines when the level is INFO (production)', () => {
    createObserver({ processId: 'p-3' }).logger.debug('Cleanup batch', { deleted: 1 });
    expect(output.json()).toEqual([]);
  });

  it("never lets one invocation's processId appear in another's lines when two run at once", async () => {
    // prepare
    const invocation = async (processId: string, userId: string) => {
      const { logger } = createObserver({ processId, userId });
      for (let i = 0; i < 5; i++) {
        logger.info(`step ${i}`, { marker: processId });
        await tick();
      }
    };

    // act
    await Promise.all([invocation('p-A', 'u-A'), invocation('p-B', 'u-B')]);
    rootLogger.info('after both');

    // assess
    const lines = output.json().map((l) => l.entry);
    expect(lines).toHaveLength(11);
    const own = lines.filter((l) => l.marker);
    expect(new Set(own.map((l) => l.marker))).toEqual(new Set(['p-A', 'p-B']));
    for (const l of own) {
      expect(l.processId).toBe(l.marker);
      expect(l.userId).toBe(l.marker === 'p-A' ? 'u-A' : 'u-B');
    }
    expect(lines.at(-1)).not.toHaveProperty('processId');
  });
});
