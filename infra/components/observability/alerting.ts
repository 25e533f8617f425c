/**
 * Alert routing (アラート通知先): one SNS topic per severity, encrypted with a key CloudWatch and
 * Budgets may use; critical → PagerDuty + Slack + e-mail, warning → Slack + e-mail. Slack goes
 * through AWS Chatbot to #async-processing-alerts.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { NOTIFICATIONS, type Severity } from '../../../guide';
import { serviceTrust } from '../../specs/policy-documents';
import type { AlertingSecrets, AlertingSettings } from '../../config/alerting';
import { alertKeyPolicy, alertTopicPolicy, CHATBOT_POLICY_ARN, topicName } from '../../../observability/alert-routing';

export const ALERTING_TYPE = 'async-ai-pipeline:observability:Alerting';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning'];

export interface AlertingArgs {
  readonly stack: string;
  readonly accountId: pulumi.Input<string>;
  readonly settings: AlertingSettings;
  readonly secrets: Pick<AlertingSecrets, 'pagerDutyIntegrationUrl' | 'slackWorkspaceId' | 'slackChannelId'>;
}

export class Alerting extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly topicArns: Record<Severity, pulumi.Output<string>>;
  /** Who publishes (Budgets checks it when a budget names a topic; Chatbot subscribes) waits for these. */
  readonly topicPolicies: aws.sns.TopicPolicy[] = [];

  constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALERTING_TYPE, name, {}, opts);
    const key = this.createKey(name, args);
    const topics = Object.fromEntries(SEVERITIES.map((s) => [s, this.createTopic(name, args, s, key)])) as Record<Severity, aws.sns.Topic>;
    this.subscribe(name, args, topics);
    this.createChatbot(name, args, Object.values(topics));
    this.keyArn = key.arn;
    this.topicArns = { critical: topics.critical.arn, warning: topics.warning.arn };
    this.registerOutputs({ keyArn: this.keyArn, topicArns: this.topicArns });
  }

  private createKey(name: string, args: AlertingArgs): aws.kms.Key {
    const key = new aws.kms.Key(`${name}-key`, {
      description: `AsyncProcessing ${args.stack}: encrypts the alert topics`,
      enableKeyRotation: true,
      policy: pulumi.output(args.accountId).apply((id) => JSON.stringify(alertKeyPolicy(id))),
    }, { parent: this });
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/async-processing-${args.stack}-alerts`, targetKeyId: key.keyId }, { parent: this });
    return key;
  }

  private createTopic(name: string, args: AlertingArgs, severity: Severity, key: aws.kms.Key): aws.sns.Topic {
    const topic = new aws.sns.Topic(`${name}-${severity}`, { name: topicName(args.stack, severity), kmsMasterKeyId: key.arn }, { parent: this });
    // The topic's ARN from its name, so the policy is known at preview (and checked by the pack then).
    const arn = pulumi.interpolate`arn:aws:sns:${aws.getRegionOutput().region}:${args.accountId}:${topicName(args.stack, severity)}`;
    this.topicPolicies.push(new aws.sns.TopicPolicy(`${name}-${severity}-policy`, {
      arn: topic.arn,
      policy: pulumi.all([arn, args.accountId]).apply(([a, id]) => JSON.stringify(alertTopicPolicy(a, id))),
    }, { parent: this }));
    return topic;
  }

  private subscribe(name: string, args: AlertingArgs, topics: Record<Severity, aws.sns.Topic>): void {
    // PagerDuty's CloudWatch integration confirms the subscription itself, and resolves on OK.
    new aws.sns.TopicSubscription(`${name}-critical-pagerduty`, {
      topic: topics.critical.arn, protocol: 'https', endpoint: args.secrets.pagerDutyIntegrationUrl, endpointAutoConfirms: true,
    }, { parent: this });
    for (const severity of SEVERITIES) {
      new aws.sns.TopicSubscription(`${name}-${severity}-email`, {
        topic: topics[severity].arn, protocol: 'email', endpoint: args.settings.email,
      }, { parent: this });
    }
  }

  private createChatbot(name: string, args: AlertingArgs, topics: aws.sns.Topic[]): void {
    const role = new aws.iam.Role(`${name}-chatbot-role`, {
      description: `AWS Chatbot for ${NOTIFICATIONS.slackChannel} (${args.stack}): reads CloudWatch`,
      assumeRolePolicy: pulumi.output(args.accountId).apply((id) => JSON.stringify(serviceTrust('chatbot.amazonaws.com', id))),
    }, { parent: this });
    const read = new aws.iam.RolePolicyAttachment(`${name}-chatbot-read`, { role: role.name, policyArn: CHATBOT_POLICY_ARN() }, { parent: this });
    new aws.chatbot.SlackChannelConfiguration(`${name}-slack`, {
      configurationName: `async-processing-alerts-${args.stack}`,
      region: args.settings.chatbotRegion,
      iamRoleArn: role.arn,
      slackTeamId: args.secrets.slackWorkspaceId,
      slackChannelId: args.secrets.slackChannelId,
      snsTopicArns: topics.map((t) => t.arn),
      // Guardrail: whatever a channel member's role, Slack commands stay read-only.
      guardrailPolicyArns: [CHATBOT_POLICY_ARN()],
      loggingLevel: 'ERROR',
    }, { parent: this, dependsOn: [read, ...this.topicPolicies] });
  }
}
