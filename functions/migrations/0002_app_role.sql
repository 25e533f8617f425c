-- aip_app: the application role. Every function but db-migrate and processing-cleanup signs in
-- as aip_app, with IAM database authentication on Aurora (no password). It reads and writes the
-- rows the code touches and nothing else: no DDL, no other table. The master user (the
-- RDS-managed secret) keeps the migrations and the weekly REINDEX / VACUUM, which need table
-- ownership before PostgreSQL 17. The name must equal INFRA.database.appUsername (guide/index.ts);
-- test/integration/state/app-role.test.ts checks it and these grants.

-- Roles are cluster-wide: another database of the same server (tests, the local runtime) may
-- have created it, or be creating it now (unique_violation once that transaction commits).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aip_app') THEN
    CREATE ROLE aip_app LOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- rds_iam exists on Aurora/RDS only: it makes the role sign in with IAM tokens. The same file
-- then runs unchanged on a plain PostgreSQL (local runtime, tests).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN
    GRANT rds_iam TO aip_app;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO aip_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON processing_state, api_rate_limit TO aip_app;
