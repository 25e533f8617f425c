/**
 * Executions of the local Step Functions, kept in PostgreSQL (schema `local_sfn`) so they survive
 * a restart of the runtime, as they survive anything on AWS. Not part of the project's schema.
 */
import type { Pool } from 'pg';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: Date;
  stopDate: Date | null;
}

const fromRow = (r: any): ExecutionRecord => ({
  executionArn: r.execution_arn,
  stateMachineArn: r.state_machine_arn,
  name: r.name,
  status: r.status,
  input: r.input,
  output: r.output,
  error: r.error,
  cause: r.cause,
  startDate: r.start_date,
  stopDate: r.stop_date,
});

export class ExecutionStore {
  constructor(private readonly pool: Pool) {}

  async init(): Promise<void> {
    await this.pool.query(`
      CREATE SCHEMA IF NOT EXISTS local_sfn;
      CREATE TABLE IF NOT EXISTS local_sfn.execution (
        execution_arn     text PRIMARY KEY,
        state_machine_arn text NOT NULL,
        name              text NOT NULL,
        status            text NOT NULL,
        input             text NOT NULL,
        output            text,
        error             text,
        cause             text,
        start_date        timestamptz NOT NULL DEFAULT now(),
        stop_date         timestamptz
      );
      CREATE INDEX IF NOT EXISTS execution_status_idx ON local_sfn.execution (state_machine_arn, status, start_date DESC);`);
  }

  /** Inserts a RUNNING execution; returns null when the ARN exists already. */
  async insert(e: Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name' | 'input'>): Promise<ExecutionRecord | null> {
    const { rows } = await this.pool.query(
      `INSERT INTO local_sfn.execution (execution_arn, state_machine_arn, name, status, input)
       VALUES ($1, $2, $3, 'RUNNING', $4) ON CONFLICT (execution_arn) DO NOTHING RETURNING *`,
      [e.executionArn, e.stateMachineArn, e.name, e.input],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async get(executionArn: string): Promise<ExecutionRecord | null> {
    const { rows } = await this.pool.query('SELECT * FROM local_sfn.execution WHERE execution_arn = $1', [executionArn]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Closes a RUNNING execution; returns null if it was already closed. */
  async close(
    executionArn: string,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    fields: { output?: string; error?: string; cause?: string },
  ): Promise<ExecutionRecord | null> {
    const { rows } = await this.pool.query(
      `UPDATE local_sfn.execution SET status = $2, output = $3, error = $4, cause = $5, stop_date = now()
        WHERE execution_arn = $1 AND status = 'RUNNING' RETURNING *`,
      [executionArn, status, fields.output ?? null, fields.error ?? null, fields.cause ?? null],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async list(stateMachineArn: string, status: ExecutionStatus | undefined, limit: number, offset: number): Promise<ExecutionRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM local_sfn.execution WHERE state_machine_arn = $1 AND ($2::text IS NULL OR status = $2)
        ORDER BY start_date DESC, execution_arn LIMIT $3 OFFSET $4`,
      [stateMachineArn, status ?? null, limit, offset],
    );
    return rows.map(fromRow);
  }

  async running(stateMachineArn: string): Promise<ExecutionRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM local_sfn.execution WHERE state_machine_arn = $1 AND status = 'RUNNING' ORDER BY start_date`,
      [stateMachineArn],
    );
    return rows.map(fromRow);
  }
}
