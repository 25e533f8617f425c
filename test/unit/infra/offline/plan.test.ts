/** `npm run plan`: the inventory a reviewer reads, exit codes, and the mocks it runs on. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTH, BACKUP, FUNCTIONS, INFRA, MAINTENANCE, TIMEZONE } from '../../../../guide';
import { componentLabel, formatInventory, inventory } from '../../../../infra/offline/inventory';
import { RecordingMocks } from '../../../../infra/offline/mocks';
import { stackConfigPath } from '../../../../infra/config/stack-file';
import { rdsWindows, weeklyCron } from '../../../../infra/specs/schedules';
import { parseArgs, runPlan } from '../../../../infra/offline/plan-cli';
import { withoutStackTraces } from '../helpers/stacks';

function capture() {
  const out = { log: [] as string[], error: [] as string[] };
  return { out, console: { log: (t: string) => out.log.push(t), error: (t: string) => out.error.push(t) } };
}

describe('runPlan', () => {
  it('prints the prod inventory grouped by component, with the guide settings, and exits 0', async () => {
    const { out, console } = capture();
    const code = await withoutStackTraces(() => runPlan(['--stack', 'prod'], console));
    expect(code).toBe(0);
    const text = out.log.join('\n');
    expect(text).toMatch(/^Stack prod: \d+ resources in \d+ components/);
    for (const group of [
      'Network',
      'Database',
      'Iam',
      'Functions',
      'Workflow',
      'Api',
      'Edge',
      'Maintenance',
      'LogArchive',
      'Backup',
      'DrTest',
      'Budget',
    ]) {
      expect(text).toMatch(new RegExp(`^${group} \\(\\d+\\)$`, 'm'));
    }
    const worker = FUNCTIONS.aiGenerationWorker;
    // prod reserves the guide's current capacity (Pulumi.prod.yaml).
    expect(text).toContain(
      `${worker.name}: ${worker.memoryMb} MB, ${worker.timeoutSeconds} s, reserved ${worker.reservedConcurrency.current}, ${INFRA.lambda.runtime}/${INFRA.lambda.architecture}, X-Ray Active`,
    );
    expect(text).toContain(`backups ${BACKUP.retentionDays} d in ${rdsWindows().backup} UTC`);
    expect(text).toContain(`weekly-maintenance-2: ${weeklyCron(MAINTENANCE.weekly.startJst, `${MAINTENANCE.weekly.day}#2`)} ${TIMEZONE}`);
    expect(text).toContain(`monthly-maintenance: ${weeklyCron(MAINTENANCE.monthly.startJst, MAINTENANCE.monthly.day)} ${TIMEZONE}`);
    expect(text).toContain(`per-user-rate-limit ${AUTH.rateLimit.requests}/${AUTH.rateLimit.windowSeconds}s by header authorization`);
    expect(text).toContain(`tokens valid ${AUTH.tokenValidityHours} hours`);
    expect(text).toMatch(/^ {2}stateMachineArn: "arn:aws:states:.*:stateMachine:AIGenerationStateMachine"$/m);
  });

  it('exits 1 naming each bad key and its fix when the stack file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-plan-'));
    try {
      const bad = readFileSync(stackConfigPath('dev'), 'utf8')
        .replace('minCapacity: 0.5', 'minCapacity: 0.3')
        .replace(/natGateways: \w+/, 'natGateways: Many');
      writeFileSync(join(dir, 'Pulumi.dev.yaml'), bad);
      const { out, console } = capture();
      expect(await withoutStackTraces(() => runPlan(['--stack', 'dev'], console, dir))).toBe(1);
      expect(out.error.join('\n')).toMatch(/database\.minCapacity must be a number from 0 to 256 ACUs in steps of 0\.5; got 0\.3/);
      expect(out.error.join('\n')).toMatch(
        /network\.natGateways must be one of Single, OnePerAz, got "Many"\. Fix: pulumi config set --path network\.natGateways Single/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with the usage when the stack is missing or unknown', async () => {
    const { out, console } = capture();
    expect(await runPlan([], console)).toBe(2);
    expect(await runPlan(['--stack', 'staging'], console)).toBe(2);
    expect(out.error[0]).toMatch(/^No --stack given\.\nusage: npm run plan -- --stack <dev\|prod>/);
    expect(out.error[1]).toMatch(/No stack file .*Pulumi\.staging\.yaml/);
  });

  it('reads --stack NAME, --stack=NAME and --json', () => {
    expect(parseArgs(['--stack', 'dev'])).toEqual({ stack: 'dev', json: false });
    expect(parseArgs(['--stack=prod', '--json'])).toEqual({ stack: 'prod', json: true });
    expect(parseArgs(['--stack', '--json'])).toEqual({ error: expect.stringContaining("'--stack'") });
    expect(parseArgs(['--stack', 'dev', '--verbose'])).toEqual({ error: expect.stringContaining("Unknown option '--verbose'") });
    expect(parseArgs(['dev'])).toEqual({ error: expect.stringContaining("Unexpected argument 'dev'") });
    expect(parseArgs([])).toEqual({ error: 'No --stack given.' });
  });
});

describe('inventory', () => {
  it('labels components by name, prefixing those of other modules', () => {
    expect(componentLabel('async-ai-pipeline:infra:Network')).toBe('Network');
    expect(componentLabel('async-ai-pipeline:observability:Alarms')).toBe('observability/Alarms');
  });

  it('groups resources under their component and skips the components themselves', () => {
    const groups = inventory([
      { type: 'async-ai-pipeline:infra:Workflow', name: 'workflow', inputs: {}, custom: false },
      {
        type: 'aws:cloudwatch/logGroup:LogGroup',
        name: 'workflow-logs',
        inputs: { name: '/x', retentionInDays: 30 },
        custom: true,
        parentType: 'async-ai-pipeline:infra:Workflow',
      },
      { type: 'aws:s3/bucket:Bucket', name: 'loose', inputs: {}, custom: true },
    ]);
    expect(groups).toEqual([
      { component: '(stack)', rows: [{ type: 'aws:s3/bucket:Bucket', name: 'loose', settings: '' }] },
      {
        component: 'async-ai-pipeline:infra:Workflow',
        rows: [{ type: 'aws:cloudwatch/logGroup:LogGroup', name: 'workflow-logs', settings: '/x, 30 d' }],
      },
    ]);
    expect(formatInventory('dev', groups, { a: 1 })).toMatch(
      /^Stack dev: 2 resources in 2 components[\s\S]*^Workflow \(1\)$[\s\S]*^ {2}a: 1$/m,
    );
  });
});

describe('RecordingMocks', () => {
  it('throws on, and remembers, any invoke it was not told about', () => {
    const mocks = new RecordingMocks('ap-northeast-1');
    expect(() => mocks.call({ token: 'aws:ec2/getVpc:getVpc', inputs: {} })).toThrow(/Unmocked invoke aws:ec2\/getVpc:getVpc/);
    expect(mocks.unmockedCalls).toEqual(['aws:ec2/getVpc:getVpc']);
    expect(mocks.call({ token: 'aws:index/getCallerIdentity:getCallerIdentity', inputs: {} })).toMatchObject({ accountId: '123456789012' });
  });

  it('supplies the outputs of awsx Vpc, a remote component under mocks', () => {
    const { state } = new RecordingMocks('ap-northeast-1').newResource({
      type: 'awsx:ec2:Vpc',
      name: 'v',
      inputs: { numberOfAvailabilityZones: 3 },
      custom: false,
    });
    expect(state).toMatchObject({ vpcId: 'vpc-v', privateSubnetIds: ['subnet-private-1', 'subnet-private-2', 'subnet-private-3'] });
  });
});
