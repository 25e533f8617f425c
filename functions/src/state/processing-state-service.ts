/**
 * ProcessingStateService: every read and write of `processing_state`.
 *
 * Every status change is ONE conditional statement (`UPDATE … WHERE status = ANY(allowed)
 * [AND attempt = $n] RETURNING *`), so concurrent writers (cancel vs. worker, retry vs. cancel,
 * an old attempt's late write) cannot both win: the loser updates nothing and learns it from the
 * empty result.
 */
import type { Pool } from 'pg';
import { ACTIVE_STATUSES, RETRYABLE_STATUSES } from '../../../guide';
import type { ProcessErrorCode, ProcessStatus } from '../../../guide';
import { IdempotencyKeyReusedError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import type { CancelOutcome, CreateProcess, QueueDepth, RetryOutcome, StateStore } from '../ports';
import { fromRow } from './rows';

// The port's types, re-exported for the code that names them from here.
export type { CancelOutcome, CreateProcess, QueueDepth, RetryOutcome };

const ACTIVE = [...ACTIVE_STATUSES];

/** The error message of a process the sweeper ended (not its workflow): operators and the chaos suite tell the two apart by it. */
export const SWEPT_MESSAGE = 'The process did not finish within the workflow timeout';

export class ProcessingStateService implements StateStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Creates a PENDING process, or returns the one created earlier with the same idempotency key.
   * A different body under the same key is refused (422).
   */
  async create(p: CreateProcess): Promise<{ process: ProcessRecord; created: boolean }> {
    // Two tries: the first request under a key may delete its row if its start fails (see
    // StartProcess), which frees the key between our INSERT and SELECT.
    for (let i = 0; i < 2; i++) {
      const inserted = await this.pool.query(
        `INSERT INTO processing_state
           (id, user_id, type, status, progress, input, idempotency_key, request_hash,
            created_at, updated_at, started_at, heartbeat_at)
         VALUES ($1, $2, $3, 'PENDING', 0, $4, $5, $6, $7, $7, $7, $7)
         ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING *`,
        [p.id, p.userId, p.type, JSON.stringify(p.input), p.idempotencyKey ?? null, p.requestHash ?? null, p.now],
      );
      if (inserted.rows[0]) return { process: fromRow(inserted.rows[0]), created: true };

      const existing = await this.pool.query('SELECT * FROM processing_state WHERE user_id = $1 AND idempotency_key = $2', [
        p.userId,
        p.idempotencyKey,
      ]);
      const row = existing.rows[0];
      if (!row) continue;
      if (row.request_hash !== p.requestHash) throw new IdempotencyKeyReusedError();
      return { process: fromRow(row), created: false };
    }
    throw new Error('Idempotent create did not converge');
  }

  async get(id: string): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query('SELECT * FROM processing_state WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** A user's process; another user's process is indistinguishable from a missing one. */
  async getForUser(id: string, userId: string): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query('SELECT * FROM processing_state WHERE id = $1 AND user_id = $2', [id, userId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Records the execution that runs an attempt, once: null when it was recorded already (a
   * repeated start of the same attempt) or the process has moved on to another attempt.
   */
  async recordExecution(
    id: string,
    attempt: number,
    executionName: string,
    executionArn: string,
    now: Date,
  ): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state SET execution_name = $3, execution_arn = $4, updated_at = $5
        WHERE id = $1 AND attempt = $2 AND execution_arn IS NULL RETURNING *`,
      [id, attempt, executionName, executionArn, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Removes a first attempt whose workflow could not be started, so nothing is kept and the
   * client may simply try again. Only a still-PENDING first attempt is removed.
   */
  async discardUnstarted(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM processing_state WHERE id = $1 AND attempt = 1 AND status = 'PENDING' AND execution_arn IS NULL`,
      [id],
    );
    return rowCount === 1;
  }

  /** Starts a new attempt of a FAILED or TIMEOUT process, within the retry cap. */
  async beginRetry(id: string, userId: string, retryCap: number, now: Date): Promise<RetryOutcome> {
    const { rows } = await this.pool.query(
      `WITH previous AS (
         SELECT * FROM processing_state WHERE id = $1 AND user_id = $2 FOR UPDATE
       )
       UPDATE processing_state p
          SET status = 'PENDING', progress = 0, result = NULL, partial_result = '[]'::jsonb,
              error_code = NULL, error_message = NULL, completed_at = NULL,
              attempt = p.attempt + 1, retry_count = p.retry_count + 1,
              execution_name = NULL, execution_arn = NULL,
              started_at = $4, heartbeat_at = $4, updated_at = $4
         FROM previous
        WHERE p.id = previous.id AND p.status = ANY($5) AND p.retry_count < $3
        RETURNING p.*, row_to_json(previous.*) AS previous`,
      [id, userId, retryCap, now, [...RETRYABLE_STATUSES]],
    );
    const row = rows[0];
    if (row) return { kind: 'retried', process: fromRow(row), previous: fromRow(row.previous) };
    const current = await this.getForUser(id, userId);
    if (!current) return { kind: 'not-found' };
    if (!(RETRYABLE_STATUSES as readonly string[]).includes(current.status)) return { kind: 'invalid-state', process: current };
    return { kind: 'limit-reached', process: current };
  }

  /**
   * Undoes `beginRetry` when the new attempt's workflow could not be started: the process goes
   * back to exactly what it was, and the failed start does not count against the retry cap.
   */
  async revertRetry(previous: ProcessRecord, now: Date): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET status = $3, progress = $4, error_code = $5, error_message = $6, completed_at = $7,
              attempt = $8, retry_count = $9, execution_name = $10, execution_arn = $11,
              started_at = $12, heartbeat_at = $13, updated_at = $14
        WHERE id = $1 AND status = 'PENDING' AND attempt = $2 AND execution_arn IS NULL
        RETURNING *`,
      [
        previous.id,
        previous.attempt + 1,
        previous.status,
        previous.progress,
        previous.errorCode,
        previous.errorMessage,
        previous.completedAt,
        previous.attempt,
        previous.retryCount,
        previous.executionName,
        previous.executionArn,
        previous.startedAt,
        previous.heartbeatAt,
        now,
      ],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Cancels a PENDING or PROCESSING process of this user. */
  async cancel(id: string, userId: string, now: Date): Promise<CancelOutcome> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state SET status = 'CANCELLED', completed_at = $3, updated_at = $3
        WHERE id = $1 AND user_id = $2 AND status = ANY($4) RETURNING *`,
      [id, userId, now, ACTIVE],
    );
    if (rows[0]) return { kind: 'cancelled', process: fromRow(rows[0]) };
    const current = await this.getForUser(id, userId);
    if (!current) return { kind: 'not-found' };
    if (current.status === 'CANCELLED') return { kind: 'already-cancelled', process: current };
    return { kind: 'invalid-state', process: current };
  }

  /** The worker takes an attempt: PENDING → PROCESSING (or stays PROCESSING when resumed). */
  async markProcessing(id: string, attempt: number, now: Date): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET status = 'PROCESSING', progress = GREATEST(progress, 1), heartbeat_at = $3, updated_at = $3
        WHERE id = $1 AND attempt = $2 AND status = ANY($4) RETURNING *`,
      [id, attempt, now, ACTIVE],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Stores the slice generated by step `step` and the new progress. The write only lands if the
   * attempt is still running and no other invocation stored this step already.
   */
  async appendSlice(id: string, attempt: number, step: number, slice: unknown, progress: number, now: Date): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET partial_result = partial_result || jsonb_build_array($4::jsonb),
              progress = GREATEST(progress, $5), heartbeat_at = $6, updated_at = $6
        WHERE id = $1 AND attempt = $2 AND status = 'PROCESSING' AND jsonb_array_length(partial_result) = $3
        RETURNING *`,
      [id, attempt, step, JSON.stringify(slice), progress, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** PROCESSING → COMPLETED with the result, for the running attempt only. */
  async complete(id: string, attempt: number, result: Record<string, unknown>, now: Date): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET status = 'COMPLETED', progress = 100, result = $3, completed_at = $4, heartbeat_at = $4, updated_at = $4
        WHERE id = $1 AND attempt = $2 AND status = 'PROCESSING' RETURNING *`,
      [id, attempt, JSON.stringify(result), now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** An active attempt ends FAILED or TIMEOUT with an error code. */
  async fail(
    id: string,
    attempt: number,
    status: Extract<ProcessStatus, 'FAILED' | 'TIMEOUT'>,
    code: ProcessErrorCode,
    message: string,
    now: Date,
  ): Promise<ProcessRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET status = $3, error_code = $4, error_message = $5, completed_at = $6, updated_at = $6
        WHERE id = $1 AND attempt = $2 AND status = ANY($7) RETURNING *`,
      [id, attempt, status, code, message.slice(0, 1000), now, ACTIVE],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Ends every attempt that has been active longer than `maxAgeSeconds` as TIMEOUT: the rule
   * Step Functions applies to an execution past its TimeoutSeconds, applied to rows whose
   * execution could not say so itself (never started, aborted, lost with a host). Rows another
   * session holds are skipped, never waited for: the queue monitor must publish every minute, and a
   * row that stays held shows as the oldest active process.
   */
  async sweepStale(maxAgeSeconds: number, now: Date): Promise<ProcessRecord[]> {
    const { rows } = await this.pool.query(
      `UPDATE processing_state
          SET status = 'TIMEOUT', error_code = 'TIMEOUT_ERROR',
              error_message = $4, completed_at = $2, updated_at = $2
        WHERE id IN (
          SELECT id FROM processing_state
           WHERE status = ANY($3) AND started_at < $2::timestamptz - make_interval(secs => $1)
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [maxAgeSeconds, now, ACTIVE, SWEPT_MESSAGE],
    );
    return rows.map(fromRow);
  }

  async unstartedAttempts(olderThanSeconds: number, now: Date, limit: number): Promise<ProcessRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM processing_state
        WHERE status = 'PENDING' AND execution_arn IS NULL AND started_at < $2::timestamptz - make_interval(secs => $1)
        ORDER BY started_at LIMIT $3`,
      [olderThanSeconds, now, limit],
    );
    return rows.map(fromRow);
  }

  async quietAttempts(quietForSeconds: number, now: Date, limit: number): Promise<ProcessRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM processing_state
        WHERE status = ANY($4) AND execution_arn IS NOT NULL AND heartbeat_at < $2::timestamptz - make_interval(secs => $1)
        ORDER BY heartbeat_at LIMIT $3`,
      [quietForSeconds, now, limit, ACTIVE],
    );
    return rows.map(fromRow);
  }

  async queueDepth(now: Date): Promise<QueueDepth> {
    const { rows } = await this.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
              count(*) FILTER (WHERE status = 'PROCESSING')::int AS processing,
              COALESCE(EXTRACT(EPOCH FROM ($1 - min(started_at))), 0)::float AS oldest
         FROM processing_state WHERE status = ANY($2)`,
      [now, ACTIVE],
    );
    const r = rows[0];
    return { pending: r.pending, processing: r.processing, oldestActiveAgeSeconds: Math.max(0, Math.round(r.oldest)) };
  }
}
