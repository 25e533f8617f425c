/**
 * The guide's appendix commands (便利なコマンド) as one CLI, for the local runtime or AWS:
 *
 *   npm run --silent ops -- executions [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED] [--max N]
 *   npm run --silent ops -- stats        # processes by status and type, last 24 h
 *   npm run --silent ops -- durations    # completion time by type, last 7 days
 *
 * Local (default): finds the Step Functions endpoint from `http://127.0.0.1:$PORT/health`, and
 * the database from DATABASE_URL or the embedded server's default. AWS: set STATE_MACHINE_ARN
 * (and DATABASE_URL for the SQL commands); credentials come from the usual chain.
 */
import { ListExecutionsCommand, SFNClient, type ExecutionStatus } from '@aws-sdk/client-sfn';
import { Client } from 'pg';
import { OPS_SQL } from '../guide';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function stepFunctions(): Promise<{ client: SFNClient; stateMachineArn: string }> {
  if (process.env.STATE_MACHINE_ARN) return { client: new SFNClient({}), stateMachineArn: process.env.STATE_MACHINE_ARN };
  const base = process.env.AIP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const health = (await (await fetch(`${base}/health`)).json()) as { stepFunctions: string; stateMachineArn: string };
  const client = new SFNClient({
    endpoint: health.stepFunctions,
    region: process.env.AWS_REGION ?? 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, stateMachineArn: health.stateMachineArn };
}

async function sql(query: string) {
  const db = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://aip:aip@127.0.0.1:54329/aip' });
  await db.connect();
  try {
    console.table((await db.query(query)).rows);
  } finally {
    await db.end();
  }
}

async function main() {
  switch (process.argv[2]) {
    case 'executions': {
      const { client, stateMachineArn } = await stepFunctions();
      const out = await client.send(
        new ListExecutionsCommand({
          stateMachineArn,
          statusFilter: arg('status') as ExecutionStatus | undefined,
          maxResults: Number(arg('max') ?? 10),
        }),
      );
      console.table(
        (out.executions ?? []).map((e) => ({
          name: e.name,
          status: e.status,
          startDate: e.startDate?.toISOString(),
          stopDate: e.stopDate?.toISOString(),
        })),
      );
      return;
    }
    case 'stats':
      return sql(OPS_SQL.statusStats24h);
    case 'durations':
      return sql(OPS_SQL.durations7d);
    default:
      console.error('usage: npm run --silent ops -- executions [--status S] [--max N] | stats | durations');
      process.exitCode = 2;
  }
}

main().catch((err) => {
  console.error(`ops: ${(err as Error).message}`);
  process.exitCode = 1;
});
