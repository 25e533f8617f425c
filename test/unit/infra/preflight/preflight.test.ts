/**
 * `npm run preflight` against recorded AWS answers: the real SDK clients parse the HTTP responses
 * AWS sends (fixtures/), the findings name the problem and its fix, and the exit code says it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FUNCTIONS } from '../../../../guide';
import { PAGERDUTY_TOKEN_KEY, SECRET_KEYS } from '../../../../observability/alert-routing';
import { REPO_ROOT } from '../../../../infra/build/bundle';
import { lambdaSpecs } from '../../../../infra/specs/lambdas';
import { parseStackConfig } from '../../../../infra/config';
import { EXIT, runPreflight } from '../../../../infra/preflight/cli';
import { reservedConcurrency, UNRESERVED_MINIMUM } from '../../../../infra/preflight/aws-checks';
import { noCredentials, recordedAws, type Answers } from '../../../helpers/recorded-aws';

/** A copy of a committed stack file with the secrets set (as `pulumi config set --secret` stores them). */
function stackDir(stack: 'dev' | 'prod', change: (config: Record<string, unknown>) => void = () => undefined): string {
  const doc = parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  for (const key of [...SECRET_KEYS.map((k) => `async-ai-pipeline:${k}`), PAGERDUTY_TOKEN_KEY])
    doc.config[key] = { secure: 'v1:AAAArecordedEXAMPLE==' };
  // What prod must set in plain text: a real alert list, an https runbook, the PagerDuty responders.
  doc.config['async-ai-pipeline:alerting'] = {
    email: 'ops@corp.co.jp',
    runbookUrl: 'https://github.com/corp/async-ai-pipeline/blob/main/docs/runbook.md',
  };
  doc.config['async-ai-pipeline:pagerDuty'] = {
    escalation: { 'on-call': 'schedule:PABC123', 'team-lead': 'user:PDEF456', manager: 'user:PGHI789' },
  };
  doc.config['async-ai-pipeline:tags'] = { costCentre: 'CC-1234' };
  doc.config['async-ai-pipeline:security'] = { email: 'security@example.org', phone: '+81300000000', slackChannel: '#sec-incidents' };
  change(doc.config);
  const dir = mkdtempSync(join(tmpdir(), 'aip-preflight-'));
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
  return dir;
}

/** An account where everything is in order for prod. */
const READY: Answers = {
  GetCallerIdentity: 'sts-get-caller-identity',
  GetAccountSettings: 'lambda-account-settings-1000',
  GetFunctionConcurrency: 'lambda-function-concurrency-not-found',
  GetServiceQuota: 'service-quotas-lambda-concurrency',
  GetFoundationModelAvailability: 'bedrock-availability-granted',
  DescribeSlackWorkspaces: 'chatbot-one-workspace',
  DescribeDBEngineVersions: 'rds-engine-version-16-6',
  ListReplicationSets: 'ssm-incidents-none',
  GetDimensionValues: 'ce-bedrock-services-budgeted',
};

async function preflight(answers: Answers, opts: { stack?: 'dev' | 'prod'; dir?: string; args?: string[]; credentials?: 'none' } = {}) {
  const stack = opts.stack ?? 'prod';
  const aws = recordedAws(answers);
  const lines: string[] = [];
  const code = await runPreflight(['--stack', stack, '--json', ...(opts.args ?? [])], {
    configDir: opts.dir ?? stackDir(stack),
    clientConfig: opts.credentials === 'none' ? { ...aws.config, ...noCredentials() } : aws.config,
    env: {},
    now: () => new Date('2026-12-06T00:00:00Z'),
    out: (l) => lines.push(l),
  });
  const report = JSON.parse(lines.join('\n')) as {
    findings: { check: string; status: string; message: string; fix?: string }[];
    checklist?: { check: string }[];
  };
  const of = (check: string) => report.findings.filter((f) => f.check === check);
  return { code, report, of, calls: aws.calls };
}

describe('preflight', () => {
  it('passes an account that is ready, checking every prerequisite once', async () => {
    const r = await preflight(READY, { args: ['--slack-workspace-id', 'T0123ABCD'] });

    expect(r.report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(r.code).toBe(EXIT.ok);
    expect(new Set(r.report.findings.map((f) => f.check))).toEqual(
      new Set([
        'config',
        'secrets',
        'security-contacts',
        'account',
        'lambda-concurrency',
        'bedrock-model',
        'chatbot-slack',
        'aurora-engine',
        'incident-manager',
        'budget-bedrock',
      ]),
    );
    expect(r.of('account')[0]!.message).toBe('account 111122223333 as arn:aws:sts::111122223333:assumed-role/Deployer/deployer-session');
  });

  it('asks Lambda for the concurrency of exactly the functions that reserve, by their guide names', async () => {
    const r = await preflight(READY);
    const planned = lambdaSpecs(parseStackConfig(parse(readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8')).config, 'prod').functions)
      .filter((p) => p.reservedConcurrency)
      .map((p) => FUNCTIONS[p.key].name);
    expect(r.calls.filter((c) => c.operation === 'GetFunctionConcurrency').map((c) => c.path.split('/')[3])).toEqual(planned);
    expect(r.calls.find((c) => c.operation === 'GetDimensionValues')!.hostname).toBe('ce.us-east-1.amazonaws.com');
  });

  it("fails a new account's concurrency quota, with the increase to request", async () => {
    const r = await preflight({
      ...READY,
      GetAccountSettings: 'lambda-account-settings-new-account',
      GetServiceQuota: 'service-quotas-new-account',
    });
    const config = parseStackConfig(parse(readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8')).config, 'prod');
    const needed = reservedConcurrency(config).total + UNRESERVED_MINIMUM;

    expect(r.code).toBe(EXIT.failed);
    expect(r.of('lambda-concurrency')).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: `the account may run 10 concurrent executions; the stack reserves ${needed - 100} and Lambda keeps 100 unreserved: ${needed} needed`,
        fix: expect.stringContaining(`--quota-code L-B99A9384 --desired-value ${needed} --region ap-northeast-1`),
      }),
    ]);
    expect(needed).toBe(310);
  });

  it('fails when other functions of the account leave too little unreserved, and counts what this stack already reserves', async () => {
    const crowded = await preflight({ ...READY, GetAccountSettings: 'lambda-account-settings-reserved-by-others' });
    expect(crowded.of('lambda-concurrency')[0]).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/after this stack's 210, -60 would stay unreserved/),
    });

    // A re-run: four handlers already reserve 50 each, so they are not new demand.
    const rerun = await preflight({
      ...READY,
      GetAccountSettings: 'lambda-account-settings-reserved-by-others',
      GetFunctionConcurrency: 'lambda-function-concurrency-50',
    });
    expect(rerun.of('lambda-concurrency')[0]!.status).toBe('ok');
  });

  it('warns when Service Quotas has approved an increase that Lambda does not apply yet', async () => {
    const r = await preflight({ ...READY, GetServiceQuota: 'service-quotas-increase-pending' });
    expect(r.of('lambda-concurrency').map((f) => f.status)).toEqual(['ok', 'warn']);
    expect(r.of('lambda-concurrency')[1]!.message).toMatch(/Service Quotas shows 2000 while Lambda still applies 1000/);
  });

  it('turns AccessDenied into a warning naming the permission, not a pass', async () => {
    const r = await preflight({
      ...READY,
      GetAccountSettings: 'lambda-access-denied',
      GetFoundationModelAvailability: 'bedrock-access-denied',
    });
    expect(r.of('lambda-concurrency')).toEqual([
      expect.objectContaining({ status: 'warn', message: 'could not check: AccessDeniedException on lambda:GetAccountSettings' }),
    ]);
    expect(r.of('bedrock-model')).toEqual([
      expect.objectContaining({
        status: 'warn',
        message: 'could not check: AccessDeniedException on bedrock:GetFoundationModelAvailability',
      }),
    ]);
  });

  it('fails a model the account has no access to, saying how to get it', async () => {
    const r = await preflight({ ...READY, GetFoundationModelAvailability: 'bedrock-availability-not-granted' });
    expect(r.of('bedrock-model')).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: 'the account has no access to anthropic.claude-3-haiku-20240307-v1:0 (entitlement NOT_AVAILABLE, agreement NOT_AVAILABLE)',
        fix: expect.stringContaining('Model catalog'),
      }),
    ]);
    const pending = await preflight({ ...READY, GetFoundationModelAvailability: 'bedrock-availability-pending' });
    expect(pending.of('bedrock-model')[0]!.status).toBe('warn');
  });

  it("fails when no Slack workspace is authorised in AWS Chatbot, or not the stack's", async () => {
    const none = await preflight({ ...READY, DescribeSlackWorkspaces: 'chatbot-no-workspace' });
    expect(none.of('chatbot-slack')[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('AWS Chatbot console') });
    const other = await preflight(READY, { args: ['--slack-workspace-id', 'T9999ZZZZ'] });
    expect(other.of('chatbot-slack')[0]).toMatchObject({
      status: 'fail',
      message: 'Slack workspace T9999ZZZZ is not authorised (authorised: example-ops (T0123ABCD))',
    });
    const unknown = await preflight(READY);
    expect(unknown.of('chatbot-slack')[0]!.status).toBe('warn');
    expect(unknown.calls.find((c) => c.operation === 'DescribeSlackWorkspaces')!.hostname).toBe('chatbot.us-west-2.amazonaws.com');
  });

  it('fails an engine version the region does not offer, or whose Serverless v2 range does not fit', async () => {
    const none = await preflight({ ...READY, DescribeDBEngineVersions: 'rds-engine-version-none' });
    expect(none.of('aurora-engine')[0]).toMatchObject({
      status: 'fail',
      message: 'Aurora PostgreSQL 16.6 is not offered in ap-northeast-1',
    });
    const old = await preflight({ ...READY, DescribeDBEngineVersions: 'rds-engine-version-old-serverless' });
    expect(old.of('aurora-engine')[0]).toMatchObject({
      status: 'fail',
      message: 'Aurora PostgreSQL 16.6 scales Serverless v2 down to 1 ACU, not 0.5',
    });
  });

  it('fails a second Incident Manager replication set when the optional incident record is on', async () => {
    const on = (c: Record<string, unknown>) => {
      (c['async-ai-pipeline:alerting'] as Record<string, unknown>).incidentManager = { enabled: true };
    };
    const r = await preflight({ ...READY, ListReplicationSets: 'ssm-incidents-one' }, { dir: stackDir('prod', on) });
    expect(r.of('incident-manager')[0]).toMatchObject({
      status: 'fail',
      fix: 'pulumi config set --path alerting.incidentManager.createReplicationSet false --stack prod',
    });
    // Off (the default: PagerDuty alone pages), an existing replication set is none of the stack's business.
    const off = await preflight({ ...READY, ListReplicationSets: 'ssm-incidents-one' });
    expect(off.of('incident-manager')[0]!.status).toBe('ok');
  });

  it('refuses placeholders in prod, naming the key and the fix', async () => {
    const dir = stackDir('prod', (c) => {
      c['async-ai-pipeline:alerting'] = { email: 'ops@example.org', runbookUrl: 'http://wiki/runbook' };
      delete c['async-ai-pipeline:pagerDuty'];
    });
    const r = await preflight(READY, { dir });
    const failed = r.of('alerting').filter((f) => f.status === 'fail');
    expect(failed.map((f) => f.message.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'async-ai-pipeline:alerting.email',
        'async-ai-pipeline:alerting.runbookUrl',
        'async-ai-pipeline:pagerDuty.escalation.on-call',
      ]),
    );
    expect(failed.every((f) => (f.fix ?? '').startsWith('pulumi config set --path '))).toBe(true);
    expect(r.code).toBe(EXIT.failed);
  });

  it('fails when the account is billed for Bedrock under a service the budget line does not count', async () => {
    const r = await preflight({ ...READY, GetDimensionValues: 'ce-bedrock-services-unbudgeted' });
    expect(r.of('budget-bedrock')[0]).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('Claude Sonnet 4.5 (Amazon Bedrock Edition)'),
      fix: "pulumi config set --path 'budget.bedrockServiceNames[0]' 'Claude Sonnet 4.5 (Amazon Bedrock Edition)' --stack prod (one index per name)",
    });
    expect((await preflight({ ...READY, GetDimensionValues: 'ce-no-bedrock-yet' })).of('budget-bedrock')[0]!.status).toBe('ok');
  });

  it('fails missing or plain-text secrets and placeholders, without AWS', async () => {
    const dir = stackDir('dev', (c) => {
      delete c['async-ai-pipeline:slackChannelId'];
      c['async-ai-pipeline:slackWorkspaceId'] = 'T0123ABCD';
      delete c['async-ai-pipeline:alerting'];
      c['async-ai-pipeline:security'] = { email: 'security@example.org' };
    });
    const r = await preflight(READY, { stack: 'dev', dir });
    expect(r.of('security-contacts')).toEqual([
      expect.objectContaining({
        status: 'warn',
        message: "the security-incident contacts phone, slackChannel are the guide's placeholders",
        fix: 'pulumi config set --path security.phone <value> --stack dev && pulumi config set --path security.slackChannel <value> --stack dev',
      }),
    ]);
    expect(
      r
        .of('secrets')
        .filter((f) => f.status === 'fail')
        .map((f) => f.message),
    ).toEqual([
      'async-ai-pipeline:slackWorkspaceId is in the stack file in plain text',
      'async-ai-pipeline:slackChannelId is not set: pulumi up stops at the observability component',
    ]);
    expect(r.of('alerting')[0]).toMatchObject({ status: 'warn', message: "alerts e-mail the guide's placeholder ops-team@example.com" });
    expect(r.code).toBe(EXIT.failed);
  });

  it('fails a malformed security-incident contact, naming the key and the fix', async () => {
    const r = await preflight(READY, {
      stack: 'dev',
      dir: stackDir('dev', (c) => {
        c['async-ai-pipeline:security'] = { phone: '03-1234-5678' };
      }),
    });
    expect(r.of('security-contacts')).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining('security.phone must be a phone number in E.164 form'),
        fix: 'pulumi config set --path security.phone +81300000000',
      }),
    ]);
    expect(r.code).toBe(EXIT.failed);
  });

  it('reports an invalid stack file key by key with its fix, and skips the account', async () => {
    const dir = stackDir('dev', (c) => {
      c['async-ai-pipeline:database'] = { engineVersion: '16.6', minCapacity: 4, maxCapacity: 2, instances: 1 };
    });
    const r = await preflight(READY, { stack: 'dev', dir });
    expect(r.of('config')).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining('database.maxCapacity'),
        fix: expect.stringMatching(/^pulumi config set --path database\.maxCapacity/),
      }),
    ]);
    expect(r.calls).toEqual([]);
    expect(r.code).toBe(EXIT.failed);
  });

  it('prints the checklist and exits 3 without credentials', async () => {
    const r = await preflight(READY, { credentials: 'none' });
    expect(r.code).toBe(EXIT.noCredentials);
    expect(r.report.checklist!.map((c) => c.check)).toEqual([
      'lambda-concurrency',
      'bedrock-model',
      'chatbot-slack',
      'aurora-engine',
      'incident-manager',
      'budget-bedrock',
      'after the first deploy',
    ]);
    expect(r.calls.map((c) => c.operation)).toEqual([]);
  });

  it.each([
    [['--stack'], 'argument missing'],
    [[], '--stack is required'],
    [['--stack', 'prod', '--frobnicate'], 'Unknown option'],
    [['--stack', 'nope'], 'No stack file'],
  ])('exits 2 on %j (%s)', async (argv, text) => {
    const lines: string[] = [];
    expect(await runPreflight(argv, { out: (l) => lines.push(l) })).toBe(EXIT.usage);
    expect(lines.join('\n')).toContain(text);
  });
});
