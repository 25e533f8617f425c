/**
 * Checks of the target account before the first `pulumi up`, each with the fix: what a new account
 * lacks that the program cannot create (quotas, model access, an authorised Slack workspace) and
 * what AWS would refuse in the stack's region. Every check takes the SDK clients it calls, so the
 * tests give it clients that answer with recorded responses.
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetServiceQuotaCommand, type ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import {
  GetFoundationModelAvailabilityCommand,
  GetInferenceProfileCommand,
  type BedrockClient,
  type GetFoundationModelAvailabilityCommandOutput,
} from '@aws-sdk/client-bedrock';
import { DescribeSlackWorkspacesCommand, type ChatbotClient, type SlackWorkspace } from '@aws-sdk/client-chatbot';
import { DescribeDBEngineVersionsCommand, type DBEngineVersion, type RDSClient } from '@aws-sdk/client-rds';
import { ListReplicationSetsCommand, type SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { GetDimensionValuesCommand, type CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { FUNCTIONS, type FunctionKey } from '../../guide';
import { bedrockCostServices } from '../components/budget';
import type { StackConfig } from '../config';
import { lambdaSpecs } from '../specs/lambdas';
import type { AlertingSettings } from '../config/alerting';
import { cannotLook, errorName, fail, isAccessDenied, ok, warn, type Finding } from './findings';

export interface AwsClients {
  readonly sts: STSClient;
  readonly lambda: LambdaClient;
  readonly quotas: ServiceQuotasClient;
  readonly bedrock: BedrockClient;
  /** In the Chatbot API's region (alerting.chatbotRegion). */
  readonly chatbot: ChatbotClient;
  readonly rds: RDSClient;
  readonly incidents: SSMIncidentsClient;
  /** Cost Explorer answers in us-east-1 only. */
  readonly costExplorer: CostExplorerClient;
}

export interface AwsCheckContext {
  readonly stack: string;
  readonly config: StackConfig;
  readonly alerting: AlertingSettings;
  /** The Slack workspace id to look for (the stack holds it encrypted); without it the check lists what is authorised. */
  readonly slackWorkspaceId?: string;
  readonly now: Date;
}

/** Lambda keeps this many concurrent executions unreserved for every other function of the account. */
export const UNRESERVED_MINIMUM = 100;
export const LAMBDA_CONCURRENCY_QUOTA = 'L-B99A9384';

/** What the stack reserves, from the same plan the program deploys with. */
export function reservedConcurrency(config: StackConfig): { total: number; byFunction: Partial<Record<FunctionKey, number>> } {
  const byFunction: Partial<Record<FunctionKey, number>> = {};
  for (const p of lambdaSpecs(config.functions)) if (p.reservedConcurrency) byFunction[p.key] = p.reservedConcurrency;
  return { total: Object.values(byFunction).reduce((a, b) => a + b, 0), byFunction };
}

export async function checkIdentity(c: AwsClients): Promise<Finding> {
  const id = await c.sts.send(new GetCallerIdentityCommand({}));
  return ok('account', `account ${id.Account} as ${id.Arn}`);
}

export async function checkLambdaConcurrency(c: AwsClients, ctx: AwsCheckContext): Promise<Finding[]> {
  const check = 'lambda-concurrency';
  const { total, byFunction } = reservedConcurrency(ctx.config);
  const needed = total + UNRESERVED_MINIMUM;
  const increase = (to: number) =>
    `aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA} --desired-value ${to} --region ${ctx.config.region} (or lower functions.reservedConcurrency in Pulumi.${ctx.stack}.yaml)`;
  let limit: number;
  let unreserved: number;
  try {
    const settings = await c.lambda.send(new GetAccountSettingsCommand({}));
    limit = settings.AccountLimit?.ConcurrentExecutions ?? 0;
    unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? limit;
  } catch (err) {
    if (isAccessDenied(err)) return [cannotLook(check, 'lambda:GetAccountSettings', err)];
    throw err;
  }
  const findings: Finding[] = [];
  if (limit < needed) {
    findings.push(
      fail(
        check,
        `the account may run ${limit} concurrent executions; the stack reserves ${total} and Lambda keeps ${UNRESERVED_MINIMUM} unreserved: ${needed} needed`,
        increase(needed),
      ),
    );
  } else {
    // What our functions reserve already (a re-run) is part of today's reserved share, not new demand.
    let ours = 0;
    for (const key of Object.keys(byFunction) as FunctionKey[]) {
      try {
        ours +=
          (await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: FUNCTIONS[key].name }))).ReservedConcurrentExecutions ?? 0;
      } catch (err) {
        if (errorName(err) !== 'ResourceNotFoundException') throw err;
      }
    }
    const left = unreserved + ours - total;
    findings.push(
      left < UNRESERVED_MINIMUM
        ? fail(
            check,
            `other functions of the account reserve ${limit - unreserved - ours}: after this stack's ${total}, ${left} would stay unreserved (Lambda requires ${UNRESERVED_MINIMUM})`,
            increase(limit + UNRESERVED_MINIMUM - left),
          )
        : ok(check, `quota ${limit} ≥ ${total} reserved by the stack + ${UNRESERVED_MINIMUM} unreserved (${left} left unreserved)`),
    );
  }
  try {
    const quota = await c.quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'lambda', QuotaCode: LAMBDA_CONCURRENCY_QUOTA }));
    const applied = quota.Quota?.Value ?? 0;
    if (applied > limit)
      findings.push(
        warn(
          check,
          `Service Quotas shows ${applied} while Lambda still applies ${limit}: an increase is on its way`,
          'wait until aws lambda get-account-settings shows it, then deploy',
        ),
      );
  } catch (err) {
    if (!isAccessDenied(err) && errorName(err) !== 'NoSuchResourceException') throw err;
  }
  return findings;
}

const GEO = /^(us|eu|apac|jp|au|ca|global|us-gov)\./;

export async function checkBedrockModel(c: AwsClients, ctx: AwsCheckContext): Promise<Finding[]> {
  const check = 'bedrock-model';
  const modelId = ctx.config.bedrockModelId;
  const base = modelId.replace(GEO, '');
  const access = `Bedrock console (${ctx.config.region}) → Model catalog → ${base} → request access / submit the use-case form (Anthropic models) and accept the offer`;
  const findings: Finding[] = [];
  if (base !== modelId) {
    try {
      const profile = await c.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: modelId }));
      if (profile.status !== 'ACTIVE')
        findings.push(
          fail(check, `inference profile ${modelId} is ${profile.status}`, 'choose an ACTIVE profile: aws bedrock list-inference-profiles'),
        );
    } catch (err) {
      if (isAccessDenied(err)) return [cannotLook(check, 'bedrock:GetInferenceProfile', err)];
      if (errorName(err) === 'ResourceNotFoundException' || errorName(err) === 'ValidationException') {
        return [
          fail(
            check,
            `inference profile ${modelId} does not exist in ${ctx.config.region}`,
            `pulumi config set bedrockModelId <model or profile id> --stack ${ctx.stack} (aws bedrock list-inference-profiles)`,
          ),
        ];
      }
      throw err;
    }
  }
  let a: GetFoundationModelAvailabilityCommandOutput;
  try {
    a = await c.bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId: base }));
  } catch (err) {
    if (isAccessDenied(err)) return [...findings, cannotLook(check, 'bedrock:GetFoundationModelAvailability', err)];
    if (errorName(err) === 'ResourceNotFoundException' || errorName(err) === 'ValidationException') {
      return [
        ...findings,
        fail(
          check,
          `${base} is not a Bedrock model in ${ctx.config.region}`,
          `pulumi config set bedrockModelId <model id> --stack ${ctx.stack} (aws bedrock list-foundation-models)`,
        ),
      ];
    }
    throw err;
  }
  if (a.regionAvailability !== 'AVAILABLE') {
    findings.push(
      fail(
        check,
        `${base} is not offered in ${ctx.config.region}`,
        `use a cross-region inference profile (e.g. apac.${base}) or another model: pulumi config set bedrockModelId …`,
      ),
    );
  } else if (
    a.entitlementAvailability !== 'AVAILABLE' ||
    a.agreementAvailability?.status === 'NOT_AVAILABLE' ||
    a.agreementAvailability?.status === 'ERROR'
  ) {
    findings.push(
      fail(
        check,
        `the account has no access to ${base} (entitlement ${a.entitlementAvailability}, agreement ${a.agreementAvailability?.status}${a.agreementAvailability?.errorMessage ? `: ${a.agreementAvailability.errorMessage}` : ''})`,
        access,
      ),
    );
  } else if (a.agreementAvailability?.status === 'PENDING') {
    findings.push(warn(check, `access to ${base} is being granted (agreement PENDING)`, 'wait a few minutes and run the preflight again'));
  } else if (a.authorizationStatus !== 'AUTHORIZED') {
    findings.push(
      fail(
        check,
        `${base} is available but this principal is not authorized to use it (IAM or an SCP denies it)`,
        "allow bedrock:InvokeModel on the model for the deploying principal; the worker's role is created by the stack",
      ),
    );
  } else {
    findings.push(ok(check, `${modelId} is available and granted in ${ctx.config.region}`));
  }
  return findings;
}

export async function checkChatbotWorkspace(c: AwsClients, ctx: AwsCheckContext): Promise<Finding> {
  const check = 'chatbot-slack';
  const authorise =
    'AWS Chatbot console → Configure new client → Slack → authorise the workspace (once per account), then invite @aws to #async-processing-alerts';
  let workspaces: SlackWorkspace[];
  try {
    workspaces = (await c.chatbot.send(new DescribeSlackWorkspacesCommand({}))).SlackWorkspaces ?? [];
  } catch (err) {
    if (isAccessDenied(err)) return cannotLook(check, 'chatbot:DescribeSlackWorkspaces', err);
    throw err;
  }
  if (workspaces.length === 0) return fail(check, 'no Slack workspace is authorised in AWS Chatbot for this account', authorise);
  const names = workspaces.map((w) => `${w.SlackTeamName} (${w.SlackTeamId})`).join(', ');
  if (!ctx.slackWorkspaceId)
    return warn(
      check,
      `authorised: ${names}; the stack's slackWorkspaceId is encrypted, so the preflight cannot compare`,
      'pass --slack-workspace-id T… (or SLACK_WORKSPACE_ID) to check it, or compare with pulumi config get slackWorkspaceId',
    );
  return workspaces.some((w) => w.SlackTeamId === ctx.slackWorkspaceId)
    ? ok(check, `Slack workspace ${ctx.slackWorkspaceId} is authorised`)
    : fail(check, `Slack workspace ${ctx.slackWorkspaceId} is not authorised (authorised: ${names})`, authorise);
}

export async function checkAuroraEngine(c: AwsClients, ctx: AwsCheckContext): Promise<Finding> {
  const check = 'aurora-engine';
  const { engineVersion, minCapacity, maxCapacity } = ctx.config.database;
  let versions: DBEngineVersion[];
  try {
    versions =
      (await c.rds.send(new DescribeDBEngineVersionsCommand({ Engine: 'aurora-postgresql', EngineVersion: engineVersion })))
        .DBEngineVersions ?? [];
  } catch (err) {
    if (isAccessDenied(err)) return cannotLook(check, 'rds:DescribeDBEngineVersions', err);
    throw err;
  }
  const pick = `pulumi config set --path database.engineVersion <version> --stack ${ctx.stack} (aws rds describe-db-engine-versions --engine aurora-postgresql --query "DBEngineVersions[].EngineVersion")`;
  const v = versions[0];
  if (!v) return fail(check, `Aurora PostgreSQL ${engineVersion} is not offered in ${ctx.config.region}`, pick);
  const support = v.ServerlessV2FeaturesSupport;
  if (support?.MinCapacity !== undefined && minCapacity < support.MinCapacity) {
    return fail(
      check,
      `Aurora PostgreSQL ${engineVersion} scales Serverless v2 down to ${support.MinCapacity} ACU, not ${minCapacity}`,
      `pulumi config set --path database.minCapacity ${support.MinCapacity} --stack ${ctx.stack}, or a newer engine version`,
    );
  }
  if (support?.MaxCapacity !== undefined && maxCapacity > support.MaxCapacity) {
    return fail(
      check,
      `Aurora PostgreSQL ${engineVersion} scales Serverless v2 up to ${support.MaxCapacity} ACU, not ${maxCapacity}`,
      `pulumi config set --path database.maxCapacity ${support.MaxCapacity} --stack ${ctx.stack}`,
    );
  }
  if (v.Status && v.Status !== 'available') return warn(check, `Aurora PostgreSQL ${engineVersion} is ${v.Status}`, pick);
  return ok(
    check,
    `Aurora PostgreSQL ${engineVersion} (Serverless v2 ${minCapacity}-${maxCapacity} ACU) is available in ${ctx.config.region}`,
  );
}

export async function checkIncidentManager(c: AwsClients, ctx: AwsCheckContext): Promise<Finding> {
  const check = 'incident-manager';
  const im = ctx.alerting.incidentManager;
  if (!im.enabled) return ok(check, 'Incident Manager is off (alerting.incidentManager.enabled): PagerDuty pages and escalates');
  let sets: string[];
  try {
    sets = (await c.incidents.send(new ListReplicationSetsCommand({}))).replicationSetArns ?? [];
  } catch (err) {
    if (isAccessDenied(err)) return cannotLook(check, 'ssm-incidents:ListReplicationSets', err);
    throw err;
  }
  if (sets.length > 0 && im.createReplicationSet) {
    return fail(
      check,
      `the account already has an Incident Manager replication set (${sets[0]}); a second one is refused`,
      `pulumi config set --path alerting.incidentManager.createReplicationSet false --stack ${ctx.stack}`,
    );
  }
  if (sets.length === 0 && !im.createReplicationSet) {
    return fail(
      check,
      'the account has no Incident Manager replication set, and the stack is told not to create one (new accounts cannot create one since 7 November 2025)',
      `pulumi config set --path alerting.incidentManager.enabled false --stack ${ctx.stack}`,
    );
  }
  return ok(check, sets.length > 0 ? "the account's replication set is used" : "the stack creates the account's replication set");
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Every Bedrock service the account was billed under lately must be in the budget's Bedrock line. */
export async function checkBedrockBudget(c: AwsClients, ctx: AwsCheckContext): Promise<Finding> {
  const check = 'budget-bedrock';
  const budgeted = bedrockCostServices(ctx.config.bedrockModelId, ctx.config.bedrockServiceNames);
  const start = new Date(ctx.now.getTime() - 90 * 86_400_000);
  let seen: string[];
  try {
    const r = await c.costExplorer.send(
      new GetDimensionValuesCommand({
        Dimension: 'SERVICE',
        SearchString: 'Bedrock',
        Context: 'COST_AND_USAGE',
        TimePeriod: { Start: isoDay(start), End: isoDay(ctx.now) },
      }),
    );
    seen = (r.DimensionValues ?? []).map((v) => v.Value ?? '').filter(Boolean);
  } catch (err) {
    if (isAccessDenied(err) || errorName(err) === 'DataUnavailableException') return cannotLook(check, 'ce:GetDimensionValues', err);
    throw err;
  }
  const missed = seen.filter((s) => !budgeted.includes(s));
  if (missed.length > 0) {
    return fail(
      check,
      `Bedrock costs of the last 90 days are billed under ${missed.join(', ')}, which the Bedrock budget line does not count`,
      `pulumi config set --path 'budget.bedrockServiceNames[0]' '${missed[0]}' --stack ${ctx.stack} (one index per name)`,
    );
  }
  return ok(
    check,
    seen.length > 0
      ? `the Bedrock budget line counts every Bedrock service billed lately (${seen.join(', ')})`
      : `no Bedrock charges yet; the line counts ${budgeted.join(', ')}`,
  );
}

/** Every AWS check, in the order they are printed. A check that throws becomes a failing finding. */
export async function awsChecks(c: AwsClients, ctx: AwsCheckContext): Promise<Finding[]> {
  const checks: [string, () => Promise<Finding | Finding[]>][] = [
    ['lambda-concurrency', () => checkLambdaConcurrency(c, ctx)],
    ['bedrock-model', () => checkBedrockModel(c, ctx)],
    ['chatbot-slack', () => checkChatbotWorkspace(c, ctx)],
    ['aurora-engine', () => checkAuroraEngine(c, ctx)],
    ['incident-manager', () => checkIncidentManager(c, ctx)],
    ['budget-bedrock', () => checkBedrockBudget(c, ctx)],
  ];
  const findings: Finding[] = [];
  for (const [check, run] of checks) {
    try {
      findings.push(...[await run()].flat());
    } catch (err) {
      findings.push(
        fail(
          check,
          `the check failed: ${errorName(err)}: ${(err as Error).message}`,
          'run it again; if it persists, check by hand (--checklist)',
        ),
      );
    }
  }
  return findings;
}
