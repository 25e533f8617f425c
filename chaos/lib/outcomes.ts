/**
 * How each accepted process ended, read from the runtime's database: by running (the workflow
 * recorded COMPLETED, FAILED or TIMEOUT), by the queue monitor (its execution had ended without
 * recording it), by the sweeper (past the workflow timeout), or not at all (lost, or still
 * active when the part stopped waiting).
 */
import type { Pool } from 'pg';
import { isTerminal } from '../../functions/src/domain/process';
import { SWEPT_MESSAGE } from '../../functions/src/state/processing-state-service';
import { ENDED_BY_EXECUTION_MESSAGE } from '../../functions/src/usecases/attempts';
import type { ProcessStatus } from '../../guide';

export type Ending = 'running' | 'monitor' | 'sweeper' | 'cancelled' | 'active' | 'missing';

export interface Outcome {
  id: string;
  status: ProcessStatus | 'MISSING';
  errorCode: string | null;
  ending: Ending;
  /** Seconds from the attempt's start to its end; null while active. */
  tookS: number | null;
}

function endingOf(row: { status: ProcessStatus; error_message: string | null }): Ending {
  if (!isTerminal(row.status)) return 'active';
  if (row.status === 'CANCELLED') return 'cancelled';
  if (row.error_message === SWEPT_MESSAGE) return 'sweeper';
  if (row.error_message?.startsWith(ENDED_BY_EXECUTION_MESSAGE)) return 'monitor';
  return 'running';
}

export async function readOutcomes(db: Pool, ids: string[]): Promise<Map<string, Outcome>> {
  const { rows } = await db.query(
    `SELECT id, status, error_code, error_message, EXTRACT(EPOCH FROM (completed_at - started_at))::float AS took
       FROM processing_state WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const found = new Map<string, Outcome>(
    rows.map((r) => [r.id, { id: r.id, status: r.status, errorCode: r.error_code, ending: endingOf(r), tookS: r.took }]),
  );
  return new Map(ids.map((id) => [id, found.get(id) ?? { id, status: 'MISSING', errorCode: null, ending: 'missing', tookS: null }]));
}

/** Waits until every process that exists has ended, or the deadline passes; returns what it saw last. */
export async function waitUntilEnded(db: Pool, ids: string[], deadline: number, log: (l: string) => void): Promise<Map<string, Outcome>> {
  let lastLog = 0;
  for (;;) {
    const outcomes = await readOutcomes(db, ids).catch(() => undefined);
    if (outcomes) {
      const active = [...outcomes.values()].filter((o) => o.ending === 'active').length;
      if (!active || Date.now() > deadline) return outcomes;
      if (Date.now() - lastLog > 10_000) {
        log(`  waiting for ${active} of ${ids.length} processes to end`);
        lastLog = Date.now();
      }
    } else if (Date.now() > deadline) {
      throw new Error('the database could not be read to count the outcomes');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface EndingCounts {
  endedByRunning: number;
  endedByMonitor: number;
  endedBySweeper: number;
  /** Accepted with no row, or still active when the part stopped waiting. */
  lost: number;
  /** Ended later than the workflow timeout after their attempt began, or not at all. */
  stuckPastWorkflowTimeout: number;
}

export function countEndings(outcomes: Iterable<Outcome>, workflowTimeoutSeconds: number): EndingCounts {
  const counts: EndingCounts = { endedByRunning: 0, endedByMonitor: 0, endedBySweeper: 0, lost: 0, stuckPastWorkflowTimeout: 0 };
  for (const o of outcomes) {
    if (o.ending === 'running') counts.endedByRunning++;
    if (o.ending === 'monitor') counts.endedByMonitor++;
    if (o.ending === 'sweeper') counts.endedBySweeper++;
    if (o.ending === 'missing' || o.ending === 'active') counts.lost++;
    if (o.ending === 'active' || o.ending === 'missing' || (o.tookS ?? 0) > workflowTimeoutSeconds) counts.stuckPastWorkflowTimeout++;
  }
  return counts;
}
