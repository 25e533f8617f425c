/**
 * The DR test's verdict (災害復旧手順のテスト): does the restored database hold what the source held
 * at the recovery point, and were the guide's RTO (4 h) and RPO (24 h) kept?
 *
 * - schema: every migration the source had applied before the recovery point is recorded in the
 *   restore; when the source has not migrated since, every table and index of the source exists too;
 * - rows: every process the source created before the recovery point (less a commit margin) is in
 *   the restore (processes deleted since, by the weekly cleanup, are not asked for);
 * - time: restore time (restore start → validated) ≤ RTO, recovery point age at the restore's start ≤ RPO.
 */
import type { Pool } from 'pg';
import { BACKUP, DR } from '../../../guide';
import type { Clock } from '../ports';
import { appliedMigrations, catalog, countCreatedBefore, missingInRestore } from '../state/dr-validation';

export interface RestoreTimes {
  /** When AWS Backup started the restore job: the simulated disaster. */
  readonly restoreStartedAt: Date;
  /** When the restored recovery point was taken. */
  readonly recoveryPointAt: Date;
}

export interface DrMeasurements {
  readonly restoreSeconds: number;
  readonly recoveryPointAgeSeconds: number;
  readonly failed: boolean;
}

/** Where the measurements go (CloudWatch EMF in Lambda; the DR alarms read them). */
export interface DrMetricsPort {
  publish(m: DrMeasurements): void;
}

export interface DrReport extends DrMeasurements {
  readonly ok: boolean;
  /** What failed, in words an operator can act on; empty when the test passed. */
  readonly problems: string[];
  readonly migrations: { readonly expected: string[]; readonly missing: string[] };
  /** False when the source migrated after the recovery point: its catalog is no reference then. */
  readonly catalogCompared: boolean;
  readonly missingTables: string[];
  readonly missingIndexes: string[];
  readonly rows: {
    /** Processes created before this must be in the restore. */
    readonly cutoff: string;
    readonly sourceBeforeCutoff: number;
    readonly restoredBeforeCutoff: number;
    readonly missing: number;
    readonly missingSample: string[];
  };
}

const minus = (a: readonly string[], b: readonly string[]): string[] => {
  const have = new Set(b);
  return a.filter((x) => !have.has(x));
};

const hours = (seconds: number): string => `${(seconds / 3600).toFixed(2)} h`;

export interface ValidateRestoreDeps {
  readonly source: Pool;
  readonly restored: Pool;
  readonly clock: Clock;
  readonly metrics: DrMetricsPort;
}

export async function validateRestore(deps: ValidateRestoreDeps, times: RestoreTimes): Promise<DrReport> {
  const { source, restored } = deps;
  const problems: string[] = [];

  const [sourceMigrations, restoredMigrations] = await Promise.all([appliedMigrations(source), appliedMigrations(restored)]);
  const expected = sourceMigrations.filter((m) => m.appliedAt < times.recoveryPointAt).map((m) => m.version);
  const missingMigrations = minus(
    expected,
    restoredMigrations.map((m) => m.version),
  );
  if (missingMigrations.length > 0) problems.push(`migrations missing from the restore: ${missingMigrations.join(', ')}`);

  const migratedSince = sourceMigrations.length > expected.length;
  let missingTables: string[] = [];
  let missingIndexes: string[] = [];
  if (!migratedSince) {
    const [want, have] = await Promise.all([catalog(source), catalog(restored)]);
    missingTables = minus(want.tables, have.tables);
    missingIndexes = minus(want.indexes, have.indexes);
    if (missingTables.length > 0) problems.push(`tables missing from the restore: ${missingTables.join(', ')}`);
    if (missingIndexes.length > 0) problems.push(`indexes missing from the restore: ${missingIndexes.join(', ')}`);
  }

  const cutoff = new Date(times.recoveryPointAt.getTime() - DR.commitMarginSeconds * 1000);
  const rows = missingTables.includes('processing_state')
    ? {
        sourceBeforeCutoff: await countCreatedBefore(source, cutoff),
        restoredBeforeCutoff: 0,
        missing: { count: 0, sample: [] as string[] },
      }
    : {
        sourceBeforeCutoff: await countCreatedBefore(source, cutoff),
        restoredBeforeCutoff: await countCreatedBefore(restored, cutoff),
        missing: await missingInRestore(source, restored, cutoff),
      };
  if (rows.missing.count > 0) {
    problems.push(
      `${rows.missing.count} of ${rows.sourceBeforeCutoff} processes created before ${cutoff.toISOString()} are missing from the restore (e.g. ${rows.missing.sample.join(', ')})`,
    );
  }

  const restoreSeconds = Math.round((deps.clock.now().getTime() - times.restoreStartedAt.getTime()) / 1000);
  const recoveryPointAgeSeconds = Math.round((times.restoreStartedAt.getTime() - times.recoveryPointAt.getTime()) / 1000);
  if (restoreSeconds > BACKUP.rtoHours * 3600) problems.push(`restore took ${hours(restoreSeconds)}, over the RTO of ${BACKUP.rtoHours} h`);
  if (recoveryPointAgeSeconds > BACKUP.rpoHours * 3600) {
    problems.push(
      `the recovery point was ${hours(recoveryPointAgeSeconds)} old when the restore started, over the RPO of ${BACKUP.rpoHours} h`,
    );
  }

  const report: DrReport = {
    ok: problems.length === 0,
    problems,
    migrations: { expected, missing: missingMigrations },
    catalogCompared: !migratedSince,
    missingTables,
    missingIndexes,
    rows: {
      cutoff: cutoff.toISOString(),
      sourceBeforeCutoff: rows.sourceBeforeCutoff,
      restoredBeforeCutoff: rows.restoredBeforeCutoff,
      missing: rows.missing.count,
      missingSample: rows.missing.sample,
    },
    restoreSeconds,
    recoveryPointAgeSeconds,
    failed: problems.length > 0,
  };
  deps.metrics.publish(report);
  return report;
}

/**
 * A test that could not reach validation (restore job failed, instance never available, …) still
 * publishes: failed, and the time since the restore started, so an unfinished restore shows against the RTO.
 */
export function recordFailedTest(deps: Pick<ValidateRestoreDeps, 'clock' | 'metrics'>, times: Partial<RestoreTimes>): DrMeasurements {
  const now = deps.clock.now().getTime();
  const m: DrMeasurements = {
    restoreSeconds: times.restoreStartedAt ? Math.round((now - times.restoreStartedAt.getTime()) / 1000) : 0,
    recoveryPointAgeSeconds:
      times.restoreStartedAt && times.recoveryPointAt
        ? Math.round((times.restoreStartedAt.getTime() - times.recoveryPointAt.getTime()) / 1000)
        : 0,
    failed: true,
  };
  deps.metrics.publish(m);
  return m;
}

/** One line for AWS Backup's validation status (its console shows it next to the restore job). */
export function validationMessage(report: Pick<DrReport, 'ok' | 'problems' | 'restoreSeconds' | 'recoveryPointAgeSeconds'>): string {
  const measured = `restore ${hours(report.restoreSeconds)} (RTO ${BACKUP.rtoHours} h), recovery point ${hours(report.recoveryPointAgeSeconds)} old (RPO ${BACKUP.rpoHours} h)`;
  const text = report.ok
    ? `Restore validated: schema and rows match the source; ${measured}`
    : `Restore FAILED validation: ${report.problems.join('; ')}; ${measured}`;
  // PutRestoreValidationResult keeps a short message; the full report is in the function's log.
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
