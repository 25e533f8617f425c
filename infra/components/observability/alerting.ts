/**
 * Alert routing (アラート通知先): SNS topics encrypted with a key CloudWatch and Budgets may use.
 * In the stack's region: critical → PagerDuty (the incident composites only) + Slack + e-mail,
 * warning → Slack + e-mail. In us-east-1, where CloudFront and WAF publish their metrics: one
 * warning topic for the edge alarms (an alarm notifies topics of its own region only). Slack goes
 * through AWS Chatbot to #async-processing-alerts.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { NOTIFICATIONS, type Severity } from '../../../guide';
import { serviceTrust } from '../../specs/policy-documents';
import type { AlertingSecrets, AlertingSettings } from '../../config/alerting';
import { alertKeyPolicy, alertTopicPolicy, CHATBOT_POLICY_ARN, edgeTopicName, topicName } from '../../../observability/alert-routing';
import { CLOUDFRONT_REGION } from '../../../observability/monitored-resources';

export const ALERTING_TYPE = 'async-ai-pipeline:observability:Alerting';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning'];

export interface AlertingArgs {
  readonly stack: string;
  readonly accountId: pulumi.Input<string>;
  readonly settings: AlertingSettings;
  readonly secrets: AlertingSecrets;
  /** The PagerDuty CloudWatch integration the critical topic delivers to (Paging). */
  readonly pagerDutyUrl: pulumi.Input<string>;
}

export class Alerting extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly topicArns: Record<Severity, pulumi.Output<string>>;
  /** The edge region's warning topic (us-east-1). */
  readonly edgeTopicArn: pulumi.Output<string>;
  /** Who publishes (Budgets checks it when a budget names a topic; Chatbot subscribes) waits for these. */
  readonly topicPolicies: aws.sns.TopicPolicy[] = [];

  constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALERTING_TYPE, name, {}, opts);
    const key = this.createKey(name, args);
    const topics = Object.fromEntries(
      SEVERITIES.map((s) => [s, this.createTopic(`${name}-${s}`, args, topicName(args.stack, s), key)]),
    ) as Record<Severity, aws.sns.Topic>;
    const edgeKey = this.createKey(`${name}-edge`, args, CLOUDFRONT_REGION);
    const edge = this.createTopic(`${name}-edge-warning`, args, edgeTopicName(args.stack), edgeKey, CLOUDFRONT_REGION);
    this.subscribe(name, args, topics, edge);
    this.createChatbot(name, args, [...Object.values(topics), edge]);
    this.keyArn = key.arn;
    this.topicArns = { critical: topics.critical.arn, warning: topics.warning.arn };
    this.edgeTopicArn = edge.arn;
    this.registerOutputs({ keyArn: this.keyArn, topicArns: this.topicArns, edgeTopicArn: this.edgeTopicArn });
  }

  private createKey(name: string, args: AlertingArgs, region?: string): aws.kms.Key {
    const where = region ? ` (${region})` : '';
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `AsyncProcessing ${args.stack}: encrypts the alert topics${where}`,
        enableKeyRotation: true,
        policy: pulumi.output(args.accountId).apply((id) => JSON.stringify(alertKeyPolicy(id))),
        ...(region ? { region } : {}),
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      {
        name: `alias/async-processing-${args.stack}-${region ? 'edge-' : ''}alerts`,
        targetKeyId: key.keyId,
        ...(region ? { region } : {}),
      },
      { parent: this },
    );
    return key;
  }

  private createTopic(name: string, args: AlertingArgs, topic: string, key: aws.kms.Key, region?: string): aws.sns.Topic {
    const t = new aws.sns.Topic(name, { name: topic, kmsMasterKeyId: key.arn, ...(region ? { region } : {}) }, { parent: this });
    // The topic's ARN from its name, so the policy is known at preview (and checked by the pack then).
    const arn = pulumi.interpolate`arn:aws:sns:${region ?? aws.getRegionOutput().region}:${args.accountId}:${topic}`;
    this.topicPolicies.push(
      new aws.sns.TopicPolicy(
        `${name}-policy`,
        {
          arn: t.arn,
          policy: pulumi.all([arn, args.accountId]).apply(([a, id]) => JSON.stringify(alertTopicPolicy(a, id))),
          ...(region ? { region } : {}),
        },
        { parent: this },
      ),
    );
    return t;
  }

  private subscribe(name: string, args: AlertingArgs, topics: Record<Severity, aws.sns.Topic>, edge: aws.sns.Topic): void {
    // PagerDuty's CloudWatch integration confirms the subscription itself, and resolves on OK.
    new aws.sns.TopicSubscription(
      `${name}-critical-pagerduty`,
      {
        topic: topics.critical.arn,
        protocol: 'https',
        endpoint: args.pagerDutyUrl,
        endpointAutoConfirms: true,
      },
      { parent: this },
    );
    for (const severity of SEVERITIES) {
      new aws.sns.TopicSubscription(
        `${name}-${severity}-email`,
        {
          topic: topics[severity].arn,
          protocol: 'email',
          endpoint: args.settings.email,
        },
        { parent: this },
      );
    }
    new aws.sns.TopicSubscription(
      `${name}-edge-warning-email`,
      {
        topic: edge.arn,
        protocol: 'email',
        endpoint: args.settings.email,
        region: CLOUDFRONT_REGION,
      },
      { parent: this },
    );
  }

  private createChatbot(name: string, args: AlertingArgs, topics: aws.sns.Topic[]): void {
    const role = new aws.iam.Role(
      `${name}-chatbot-role`,
      {
        description: `AWS Chatbot for ${NOTIFICATIONS.slackChannel} (${args.stack}): reads CloudWatch`,
        assumeRolePolicy: pulumi.output(args.accountId).apply((id) => JSON.stringify(serviceTrust('chatbot.amazonaws.com', id))),
      },
      { parent: this },
    );
    const read = new aws.iam.RolePolicyAttachment(
      `${name}-chatbot-read`,
      { role: role.name, policyArn: CHATBOT_POLICY_ARN() },
      { parent: this },
    );
    new aws.chatbot.SlackChannelConfiguration(
      `${name}-slack`,
      {
        configurationName: `async-processing-alerts-${args.stack}`,
        region: args.settings.chatbotRegion,
        iamRoleArn: role.arn,
        slackTeamId: args.secrets.slackWorkspaceId,
        slackChannelId: args.secrets.slackChannelId,
        snsTopicArns: topics.map((t) => t.arn),
        // Guardrail: whatever a channel member's role, Slack commands stay read-only.
        guardrailPolicyArns: [CHATBOT_POLICY_ARN()],
        loggingLevel: 'ERROR',
      },
      { parent: this, dependsOn: [read, ...this.topicPolicies] },
    );
  }
}
