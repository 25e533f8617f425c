-- The rate-limit counters need no durable commit: they live for one minute, and losing the last
-- increments in a crash only lets a user send a few more requests in that minute. An UNLOGGED
-- table writes no WAL, so the upsert every API request makes no longer waits for a WAL flush
-- (on PostgreSQL a transaction that wrote no WAL commits without one). PostgreSQL empties the
-- table after a crash; Aurora keeps it (its storage does not rely on the WAL) and serves it from
-- the writer only, where every handler connects. processing_state stays logged: every commit of a
-- process is durable.
ALTER TABLE api_rate_limit SET UNLOGGED;
