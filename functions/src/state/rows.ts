import type { ProcessRecord } from '../domain/process';

/** Maps a `processing_state` row to a ProcessRecord. */
export function fromRow(r: Record<string, any>): ProcessRecord {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    status: r.status,
    progress: r.progress,
    input: r.input,
    result: r.result,
    partialResult: r.partial_result,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    retryCount: r.retry_count,
    attempt: r.attempt,
    executionName: r.execution_name,
    executionArn: r.execution_arn,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    heartbeatAt: r.heartbeat_at,
  };
}
