/**
 * `npm run ops` beside `npm start`, as a user runs them: the runtime says where it runs in
 * runtime.json and keeps its log lines in its data folder, and the ops CLI (its own process, no
 * setting but AIP_DATA_DIR) finds both, reports what happened and traces a process.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Report } from '../../../../functions/src/reports/report';
import { isTerminal, LocalRuntime } from '../../../../harness/local-runtime';
import { createTestDatabase, type TestDatabase } from '../../../../harness/test-database';
import { VALID_INPUTS } from '../../../../harness/processes';
import { runtimeFilePath } from '../../../../local/runtime-file';

const ROOT = resolve(__dirname, '../../../..');

async function opsCli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const env: Record<string, string | undefined> = { ...process.env, AIP_DATA_DIR: dataDir };
  for (const key of ['DATABASE_URL', 'PORT', 'AIP_URL', 'AIP_PG_PORT', 'STATE_MACHINE_ARN']) delete env[key];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'ops.ts'), ...argv], {
      cwd: ROOT,
      env,
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('npm run ops beside npm start', () => {
  let db: TestDatabase;
  let rt: LocalRuntime;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    rt = await LocalRuntime.start({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await rt?.dispose();
    await db?.drop();
  });

  it('reports the day so far, counts the refused request, and traces the process, from the runtime’s own files', async () => {
    // prepare
    const token = await rt.token('user-ops-e2e');
    expect((await rt.request('GET', '/v1/processes/00000000-0000-4000-8000-000000000000')).status).toBe(401);
    const started = await rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'SUBGOAL_GENERATION', input: VALID_INPUTS.SUBGOAL_GENERATION },
    });
    const id = started.body.processId as string;
    const seen = await rt.poll(token, id, isTerminal);
    expect(seen.at(-1).status).toBe('COMPLETED');

    // act
    const report = await opsCli(rt.opts.dataDir, 'report', 'daily', '--edition', 'evening', '--format', 'json');
    const trace = await opsCli(rt.opts.dataDir, 'logs', 'trace', id);

    // assess
    // stderr may carry the AWS SDK's Node.js version notice on Node 20; nothing of ours.
    expect(report).toMatchObject({ code: 0, err: expect.not.stringContaining('ops ') });
    const r = JSON.parse(report.out) as Report;
    const section = (sid: string) => r.sections.find((s) => s.id === sid)!;
    expect(section('processing').table!.rows[0]).toEqual(['SUBGOAL_GENERATION', 1, 1, 0, 0, 0]);
    expect(section('executions').table!.rows).toContainEqual(['SUCCEEDED', 1]);
    expect(section('security').checks![0]!.value).toBe(1);
    expect(trace.code).toBe(0);
    const lines = trace.out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line).toContain(`processId=${id}`);
  });

  it('removes runtime.json when the runtime stops', async () => {
    // prepare
    expect(existsSync(runtimeFilePath(rt.opts.dataDir))).toBe(true);

    // act
    await rt.stop();

    // assess
    expect(existsSync(runtimeFilePath(rt.opts.dataDir))).toBe(false);
    const r = await opsCli(rt.opts.dataDir, 'report', 'daily');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`No local runtime is running for the data folder ${rt.opts.dataDir}`);
  });
});
