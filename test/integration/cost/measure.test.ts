/**
 * The measurement on the real local runtime (one process per type): what the model reads is
 * measured, not guessed. The runtime's real Bedrock client reaches the recorder; the counts must
 * match the workflow's slices, and the tokenizer must count more than the endpoint's chars/4 for
 * Japanese input.
 */
import { DESIGN, PROCESS_TYPES } from '../../../guide';
import { stopAll } from '../../../bench/lib/cleanup';
import { measureProfile } from '../../../cost/measure/run';
import type { MeasuredProfile } from '../../../cost/profile';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';

jest.setTimeout(180_000);

let profile: MeasuredProfile;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  profile = await measureProfile({ perType: 1, command: 'test', databaseUrl: db.url });
});
afterAll(async () => {
  await stopAll();
  await db.drop();
});

describe('measureProfile', () => {
  it.each(PROCESS_TYPES)('measures one %s process: one model call per slice, tokens, logs and the database', (type) => {
    const t = profile.perType[type];
    expect(t).toMatchObject({ processes: 1, completed: 1, modelCalls: DESIGN.workflow.generationSteps });
    expect(t.inputTokens).toBeGreaterThan(t.outputTokens);
    expect(t.workerLogs.events).toBeGreaterThanOrEqual(DESIGN.workflow.generationSteps + 2); // begin, each slice, complete (+ EMF)
    expect(t.startLogs.bytes).toBeGreaterThan(0);
    expect(t.walBytes).toBeGreaterThan(0);
    expect(t.rowBytes).toBeGreaterThan(0);
  });

  it("counts the Japanese input with the tokenizer, above the local endpoint's characters / 4", () => {
    // The first input of every type is Japanese (cost/measure/inputs.ts).
    const t = profile.perType.SUBGOAL_GENERATION;
    expect(t.inputTokens).toBeGreaterThan(t.localUsage.inputTokens);
  });

  it('sees the metric series of the start, the worker, a failure, a cancel and the queue monitor', () => {
    for (const name of [
      'AsyncProcessingStarted',
      'AsyncProcessingCompleted',
      'AsyncProcessingFailed',
      'AsyncProcessingCancelled',
      'QueueDepth',
    ]) {
      expect(profile.metricSeries.some((s) => s.includes(`/${name}{`))).toBe(true);
    }
    expect(profile.queueMonitor.invocations).toBeGreaterThan(0);
    expect(profile.statusCheck.requests).toBeGreaterThan(0);
  });
});
