/**
 * Read-only queries for operators (the dashboard's process list, a process's trace page, the
 * guide's reports): every SQL statement about processes as a population lives here.
 */
import type { Pool } from 'pg';
import type { ProcessErrorCode, ProcessStatus, ProcessType } from '../../../guide';

export interface ProcessSummary {
  readonly processId: string;
  readonly userId: string;
  readonly type: ProcessType;
  readonly status: ProcessStatus;
  readonly progress: number;
  readonly errorCode: ProcessErrorCode | null;
  readonly retryCount: number;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

const SUMMARY = `id AS "processId", user_id AS "userId", type, status, progress, error_code AS "errorCode",
  retry_count AS "retryCount", created_at AS "createdAt", completed_at AS "completedAt"`;

export class OpsStore {
  constructor(private readonly pool: Pool) {}

  /** The newest processes, newest first. */
  async recent(limit: number): Promise<ProcessSummary[]> {
    return (await this.pool.query(`SELECT ${SUMMARY} FROM processing_state ORDER BY created_at DESC, id LIMIT $1`, [limit])).rows;
  }

  async process(processId: string): Promise<ProcessSummary | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(processId)) return undefined;
    return (await this.pool.query(`SELECT ${SUMMARY} FROM processing_state WHERE id = $1`, [processId])).rows[0];
  }
}
