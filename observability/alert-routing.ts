/**
 * Resource policies of the alert topics and their KMS key, as plain data (tests read them).
 * CloudWatch alarms and AWS Budgets publish to the topics; an encrypted topic needs the publisher
 * to be allowed on the key too, or its messages are dropped without an error anyone sees.
 */
import type { Severity } from '../guide';

/** Services that publish to the alert topics. */
export const PUBLISHERS = ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] as const;

/** The alerting secrets a stack holds (`pulumi config set --secret <key>`): never committed. */
export const SECRET_KEYS = ['slackWorkspaceId', 'slackChannelId'] as const;

/** The PagerDuty provider's API token (a secret of the `pagerduty` provider's namespace). */
export const PAGERDUTY_TOKEN_KEY = 'pagerduty:token';

export const topicName = (stack: string, severity: Severity): string => `AsyncProcessing-${stack}-alerts-${severity}`;

/**
 * The one topic in us-east-1, for the edge alarms (CloudFront, WAF): an alarm notifies topics of its
 * own region only. Warnings only: no edge alarm pages.
 */
export const edgeTopicName = (stack: string): string => `AsyncProcessing-${stack}-edge-alerts-warning`;

/**
 * The PagerDuty CloudWatch integration's endpoint for an integration key: the critical topic's
 * HTTPS subscription. PagerDuty opens an incident on ALARM, de-duplicates by alarm while it is open,
 * and resolves it on OK.
 */
export const pagerDutyIntegrationUrl = (integrationKey: string, region: 'us' | 'eu' = 'us'): string =>
  `https://events.${region === 'eu' ? 'eu.' : ''}pagerduty.com/integration/${integrationKey}/enqueue`;

export function alertKeyPolicy(accountId: string, partition = 'aws') {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // Without it nobody, not even the account, could administer the key.
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        // Resource '*' in a key policy means this key only.
        Sid: 'PublishersEncryptAlerts',
        Effect: 'Allow',
        Principal: { Service: [...PUBLISHERS] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ],
  };
}

export function alertTopicPolicy(topicArn: string, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AlarmsAndBudgetsOfThisAccountPublish',
        Effect: 'Allow',
        Principal: { Service: [...PUBLISHERS] },
        Action: 'sns:Publish',
        Resource: topicArn,
        // Confused deputy: only this account's alarms and budgets.
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/** What AWS Chatbot may do from the Slack channel: read CloudWatch, nothing else. */
export const CHATBOT_POLICY_ARN = (partition = 'aws') => `arn:${partition}:iam::aws:policy/CloudWatchReadOnlyAccess`;
