/**
 * Resource policies of the alert topics and their KMS key, as plain data (tests read them).
 * CloudWatch alarms and AWS Budgets publish to the topics; an encrypted topic needs the publisher
 * to be allowed on the key too, or its messages are dropped without an error anyone sees.
 */
import type { Severity } from '../guide';

/** Services that publish to the alert topics. */
export const PUBLISHERS = ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] as const;

/** The alerting secrets a stack holds (`pulumi config set --secret <key>`): never committed. */
export const SECRET_KEYS = ['pagerDutyIntegrationUrl', 'slackWorkspaceId', 'slackChannelId', 'escalationAddresses'] as const;

export const topicName = (stack: string, severity: Severity): string => `AsyncProcessing-${stack}-alerts-${severity}`;

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
    Statement: [{
      Sid: 'AlarmsAndBudgetsOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: [...PUBLISHERS] },
      Action: 'sns:Publish',
      Resource: topicArn,
      // Confused deputy: only this account's alarms and budgets.
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    }],
  };
}

/** What AWS Chatbot may do from the Slack channel: read CloudWatch, nothing else. */
export const CHATBOT_POLICY_ARN = (partition = 'aws') => `arn:${partition}:iam::aws:policy/CloudWatchReadOnlyAccess`;
