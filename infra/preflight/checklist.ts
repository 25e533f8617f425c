/**
 * What the AWS checks verify, and how to verify each by hand: printed when there are no
 * credentials (or with --checklist), and the README's list of manual prerequisites.
 */
import type { StackConfig } from '../config';
import type { AlertingSettings } from '../config/alerting';
import { LAMBDA_CONCURRENCY_QUOTA, reservedConcurrency, UNRESERVED_MINIMUM } from './aws-checks';

export interface ChecklistItem {
  readonly check: string;
  readonly what: string;
  readonly byHand: string;
}

export function checklist(config?: StackConfig, alerting?: AlertingSettings): ChecklistItem[] {
  const region = config?.region ?? '<aws:region>';
  const needed = config ? reservedConcurrency(config).total + UNRESERVED_MINIMUM : '<reserved total + 100>';
  const model = config?.bedrockModelId ?? '<bedrockModelId>';
  return [
    {
      check: 'lambda-concurrency',
      what: `the account's Lambda concurrency quota (${LAMBDA_CONCURRENCY_QUOTA}) is at least ${needed}: what the stack reserves plus the ${UNRESERVED_MINIMUM} Lambda keeps unreserved; new accounts often start lower`,
      byHand: `aws lambda get-account-settings --region ${region} --query AccountLimit; raise it with aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA} --desired-value ${needed} --region ${region}`,
    },
    {
      check: 'bedrock-model',
      what: `the account has access to ${model} in ${region} (first use of an Anthropic model needs the use-case form; the offer must be accepted)`,
      byHand: `aws bedrock get-foundation-model-availability --model-id ${model.replace(/^(us|eu|apac|jp|au|ca|global)\./, '')} --region ${region}: every field AVAILABLE / AUTHORIZED`,
    },
    {
      check: 'chatbot-slack',
      what: 'the Slack workspace of slackWorkspaceId is authorised in AWS Chatbot (a console step, once per account), and @aws is invited to #async-processing-alerts',
      byHand: `aws chatbot describe-slack-workspaces --region ${alerting?.chatbotRegion ?? 'us-west-2'}`,
    },
    {
      check: 'aurora-engine',
      what: `Aurora PostgreSQL ${config?.database.engineVersion ?? '<database.engineVersion>'} is offered in ${region} with the stack's Serverless v2 capacity`,
      byHand: `aws rds describe-db-engine-versions --engine aurora-postgresql --engine-version ${config?.database.engineVersion ?? '<version>'} --region ${region} --query "DBEngineVersions[].[Status,ServerlessV2FeaturesSupport]"`,
    },
    {
      check: 'incident-manager',
      what: 'only with alerting.incidentManager.enabled (off by default): Incident Manager has one replication set per account, created when alerting.incidentManager.createReplicationSet is true and none exists',
      byHand: `aws ssm-incidents list-replication-sets --region ${region}`,
    },
    {
      check: 'budget-bedrock',
      what: 'every service the account is billed under for Bedrock (third-party models: "<model> (Amazon Bedrock Edition)") is in the Bedrock budget line',
      byHand:
        'aws ce get-dimension-values --dimension SERVICE --search-string Bedrock --time-period Start=<90 days ago>,End=<today> --region us-east-1 (each request costs $0.01)',
    },
    {
      check: 'after the first deploy',
      what: 'confirm the e-mail subscription of each alert topic (one message per topic, three topics), and that each PagerDuty escalation level (team lead, manager) has a high-urgency phone notification rule',
      byHand: `aws sns list-subscriptions --region ${region} and --region us-east-1 (PendingConfirmation); in PagerDuty: People → the user → Notification Rules`,
    },
  ];
}

export const formatChecklist = (items: readonly ChecklistItem[]): string =>
  items.map((i) => `☐ ${i.check}: ${i.what}\n     by hand: ${i.byHand}`).join('\n');
