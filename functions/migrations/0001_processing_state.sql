-- processing_state: one row per process (operations guide: ProcessingState).
-- The status/type lists must equal guide/index.ts; test/integration/state/schema.test.ts checks it.

CREATE TABLE processing_state (
  id                 uuid        PRIMARY KEY,
  user_id            text        NOT NULL,
  type               text        NOT NULL,
  status             text        NOT NULL DEFAULT 'PENDING',
  progress           smallint    NOT NULL DEFAULT 0,
  input              jsonb       NOT NULL,
  result             jsonb,
  partial_result     jsonb       NOT NULL DEFAULT '[]'::jsonb,
  error_code         text,
  error_message      text,
  retry_count        smallint    NOT NULL DEFAULT 0,
  attempt            smallint    NOT NULL DEFAULT 1,
  execution_name     text,
  execution_arn      text,
  idempotency_key    text,
  request_hash       text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  completed_at       timestamptz,
  heartbeat_at       timestamptz,

  CONSTRAINT processing_state_type_check
    CHECK (type IN ('SUBGOAL_GENERATION', 'ACTION_GENERATION', 'TASK_GENERATION')),
  CONSTRAINT processing_state_status_check
    CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT')),
  CONSTRAINT processing_state_progress_check CHECK (progress BETWEEN 0 AND 100),
  CONSTRAINT processing_state_retry_count_check CHECK (retry_count >= 0),
  CONSTRAINT processing_state_attempt_check CHECK (attempt >= 1),
  -- A terminal status and completed_at go together.
  CONSTRAINT processing_state_terminal_completed_check
    CHECK ((status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT')) = (completed_at IS NOT NULL)),
  -- A result only when completed; an error code only when failed or timed out.
  CONSTRAINT processing_state_result_check CHECK (result IS NULL OR status = 'COMPLETED'),
  CONSTRAINT processing_state_error_check
    CHECK (error_code IS NULL OR (status IN ('FAILED', 'TIMEOUT')
      AND error_code IN ('AI_ERROR', 'DATABASE_ERROR', 'TIMEOUT_ERROR', 'VALIDATION_ERROR'))),
  CONSTRAINT processing_state_idempotency_check CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);

-- A user's processes by time (status API, per-user listing).
CREATE INDEX processing_state_user_created_idx ON processing_state (user_id, created_at DESC);
-- Waiting and running processes (QueueDepth, oldest active age, sweeper).
CREATE INDEX processing_state_active_idx ON processing_state (started_at)
  WHERE status IN ('PENDING', 'PROCESSING');
-- Terminal processes by completion time (weekly cleanup of rows older than 90 days).
CREATE INDEX processing_state_terminal_completed_idx ON processing_state (completed_at)
  WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT');
-- Idempotency: one process per (user, key).
CREATE UNIQUE INDEX processing_state_user_idempotency_key_idx ON processing_state (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Per-user request counters for the application rate limit (20 requests/min/user), shared by
-- every handler instance. One row per user and fixed one-minute window.
CREATE TABLE api_rate_limit (
  user_id       text        NOT NULL,
  window_start  timestamptz NOT NULL,
  request_count integer     NOT NULL,
  PRIMARY KEY (user_id, window_start)
);
CREATE INDEX api_rate_limit_window_idx ON api_rate_limit (window_start);
