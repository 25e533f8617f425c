-- The heartbeat of the scheduled maintenance (定期メンテナンス): per task, its last success and when
-- it is due again (the end of its next window). ProcessingCleanup (the master user) writes it on
-- success; the queue monitor (aip_app) reads it every minute to publish MaintenanceOverdue, and
-- creates a task's row on first sight (a new stack is due at the end of its first window).
CREATE TABLE IF NOT EXISTS maintenance_runs (
  task text PRIMARY KEY,
  succeeded_at timestamptz,
  due_at timestamptz NOT NULL
);

GRANT SELECT, INSERT ON maintenance_runs TO aip_app;
