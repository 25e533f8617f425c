/**
 * The migration runner on a real PostgreSQL: each migration once, its checksum recorded; an
 * applied migration whose file was edited stops the run with the file's name and what to do;
 * a database migrated before checksums existed is upgraded without an error.
 */
import { checksumOf, EditedMigrationError, loadMigrations, migrate, type Migration } from '../../../functions/src/state/migrate';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';

const V1: Migration = { version: '0001_first', sql: 'CREATE TABLE first (id int PRIMARY KEY);' };
const V2: Migration = { version: '0002_second', sql: 'CREATE TABLE second (id int PRIMARY KEY);' };
const V3: Migration = { version: '0003_third', sql: 'CREATE TABLE third (id int PRIMARY KEY);' };

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterEach(() => db.drop());

const recorded = async () =>
  (await db.pool.query<{ version: string; checksum: string | null }>('SELECT version, checksum FROM schema_migrations ORDER BY version'))
    .rows;
const tables = async () =>
  (
    await db.pool.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1",
    )
  ).rows.map((r) => r.t);

describe('migrate', () => {
  it('applies each migration once and records its checksum', async () => {
    // act
    const first = await migrate(db.pool, [V1, V2]);
    const again = await migrate(db.pool, [V1, V2]);

    // assess
    expect(first).toEqual(['0001_first', '0002_second']);
    expect(again).toEqual([]);
    expect(await recorded()).toEqual([
      { version: '0001_first', checksum: checksumOf(V1.sql) },
      { version: '0002_second', checksum: checksumOf(V2.sql) },
    ]);
  });

  it("records the checksums of the project's own migrations", async () => {
    const files = loadMigrations();
    await migrate(db.pool, files);
    expect(await recorded()).toEqual(files.map((m) => ({ version: m.version, checksum: checksumOf(m.sql) })));
  });

  it('refuses an applied migration whose file was edited, naming it and the fix, and applies nothing', async () => {
    // prepare
    await migrate(db.pool, [V1, V2]);
    const edited = { ...V1, sql: 'CREATE TABLE first (id int PRIMARY KEY, name text);' };

    // act
    const attempt = migrate(db.pool, [edited, V2, V3]);

    // assess
    await expect(attempt).rejects.toThrow(EditedMigrationError);
    await expect(migrate(db.pool, [edited, V2, V3])).rejects.toThrow(
      'functions/migrations/0001_first.sql changed after it was applied to this database. An applied migration never changes: ' +
        'restore the file (git checkout -- functions/migrations/) and put the change in a new migration, functions/migrations/0004_<what>.sql. Nothing was migrated.',
    );
    expect(await tables()).toEqual(['first', 'second']);
    expect((await recorded()).map((r) => r.version)).toEqual(['0001_first', '0002_second']);
  });

  it('does not count line endings as an edit', async () => {
    const multiline: Migration = { version: '0001_lines', sql: 'CREATE TABLE lines (\n  id int PRIMARY KEY\n);\n' };
    await migrate(db.pool, [multiline]);
    await expect(migrate(db.pool, [{ ...multiline, sql: multiline.sql.replace(/\n/g, '\r\n') }])).resolves.toEqual([]);
  });

  it('upgrades a database migrated before checksums existed, without an error, and checks it from then on', async () => {
    // prepare: the table as the runner created it before checksums
    await db.pool.query('CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    await db.pool.query(V1.sql);
    await db.pool.query("INSERT INTO schema_migrations (version) VALUES ('0001_first')");

    // act
    const applied = await migrate(db.pool, [V1, V2]);

    // assess
    expect(applied).toEqual(['0002_second']);
    expect(await recorded()).toEqual([
      { version: '0001_first', checksum: checksumOf(V1.sql) },
      { version: '0002_second', checksum: checksumOf(V2.sql) },
    ]);
    await expect(migrate(db.pool, [{ ...V1, sql: `${V1.sql} -- edited` }, V2])).rejects.toThrow(
      'functions/migrations/0001_first.sql changed after it was applied',
    );
  });

  it('names every edited migration at once', async () => {
    await migrate(db.pool, [V1, V2]);
    await expect(
      migrate(db.pool, [
        { ...V1, sql: `${V1.sql} ` },
        { ...V2, sql: `${V2.sql} ` },
      ]),
    ).rejects.toThrow('functions/migrations/0001_first.sql, functions/migrations/0002_second.sql changed after they were applied');
  });
});
