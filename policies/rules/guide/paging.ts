/**
 * Paging (アラート通知先, エスカレーション): the guide's high alerts page. Every alarm of a high alert
 * (and every alarm tagged critical) notifies a topic that PagerDuty subscribes to and starts an
 * Incident Manager response plan whose escalation plan engages the guide's tiers in order: on-call
 * 0–30 min, team lead 30–60 min by phone, manager after 1 h by phone.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { ESCALATION, GUIDE_ALERTS, NOTIFICATIONS } from '../../../guide';
import { channelTypeOf } from '../../../infra/config/alerting';
import { escalationStages } from '../../../observability/escalation-stages';
import { referenced, refersTo } from '../../lib/graph';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import type { PackStackPolicy } from '../../lib/pack-policy';

const PAGERDUTY = /^https:\/\/events\.(eu\.)?pagerduty\.com\//;
const HIGH_ALERTS = Object.values(GUIDE_ALERTS).filter((a) => a.importanceJa === '高');
const TIERS = ESCALATION.map((t) => `${t.responder} ${t.fromMinutes}–${t.toMinutes ?? '…'} min (${t.channels.join(', ')})`).join(', ');

/** Whether an alarm is one the guide wants paged. */
function isHigh(alarm: PolicyResource): boolean {
  const tags = (read(() => alarm.props.tags) ?? {}) as Record<string, string>;
  if (isUnknown(tags)) return false;
  return tags.severity === 'critical' || HIGH_ALERTS.some((a) => tags.runbookSection === a.id);
}

/** A topic PagerDuty subscribes to (its CloudWatch integration URL, over HTTPS). */
function pagesPagerDuty(resources: readonly PolicyResource[], topic: PolicyResource): boolean {
  return resources.some((s) => s.isType(aws.sns.TopicSubscription) && refersTo(resources, s, 'topic', topic)
    && read(() => s.props.protocol) === 'https' && PAGERDUTY.test(String(read(() => s.props.endpoint))));
}

/** What is wrong with the escalation a response plan engages, if anything. */
function escalationProblem(resources: readonly PolicyResource[], plan: PolicyResource): string | undefined {
  const escalation = referenced(resources, plan, 'engagements', aws.ssmcontacts.Contact).find((c) => read(() => c.props.type) === 'ESCALATION');
  if (!escalation) return `engages no escalation plan (an ssmcontacts Contact of type ESCALATION in engagements)`;
  const contactPlan = resources.find((p) => p.isType(aws.ssmcontacts.Plan) && refersTo(resources, p, 'contactId', escalation));
  const stages = contactPlan ? knownItems(() => contactPlan.props.stages as { durationInMinutes?: number; targets?: unknown[] }[]) : [];
  const expected = escalationStages();
  const durations = stages.map((s) => read(() => s.durationInMinutes));
  if (stages.length !== expected.length || expected.some((e, i) => e.durationInMinutes !== durations[i])) {
    return `escalates in stages of ${durations.length ? durations.join(', ') : 'no'} minutes; the guide escalates ${expected.map((e) => e.durationInMinutes).join(', ')} (${TIERS})`;
  }
  // At preview the targets' contact ids are unknown; the engine records the contacts `stages` comes
  // from in the order the SDK serialized them (stage by stage, target by target).
  const byPlace = contactPlan!.propertyDependencies.stages ?? [];
  let place = 0;
  for (const [i, stage] of expected.entries()) {
    const targets = knownItems(() => (stages[i] as { targets?: { contactTargetInfo?: { contactId?: string; isEssential?: boolean } }[] }).targets);
    const contacts = targets.flatMap((t) => {
      const id = read(() => t.contactTargetInfo?.contactId);
      const dependency = byPlace[place++];
      return resources.filter((c) => c.isType(aws.ssmcontacts.Contact) && read(() => c.props.type) === 'PERSONAL'
        && (isUnknown(id) ? c === dependency : id !== undefined && [read(() => c.props.arn), read(() => c.props.alias)].includes(id)));
    });
    const channel = channelTypeOf(stage.responder);
    const reached = contacts.some((c) => resources.some((ch) => ch.isType(aws.ssmcontacts.ContactChannel)
      && refersTo(resources, ch, 'contactId', c) && read(() => ch.props.type) === channel));
    if (!reached) return `reaches the ${stage.responder} (stage ${i + 1}) by no ${channel} channel; the guide reaches them by ${ESCALATION[i]!.channels.join(', ')}`;
  }
  return undefined;
}

export const alertPaging: PackStackPolicy = {
  name: 'alert-paging',
  description: `The guide's high alerts (${HIGH_ALERTS.map((a) => a.titleJa).join(', ')}) and every alarm tagged severity=critical page: they notify a topic PagerDuty subscribes to and start an Incident Manager response plan that escalates as the guide's table does (${TIERS}).`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const { resources } = args;
    for (const alarm of resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm) && isHigh(r))) {
      const name = `Alarm "${knownString(read(() => alarm.props.name), alarm.name)}"`;
      const topics = referenced(resources, alarm, 'alarmActions', aws.sns.Topic);
      if (!topics.some((t) => pagesPagerDuty(resources, t))) {
        report(`${name} is a high alert but notifies no topic PagerDuty subscribes to: add the critical topic (with its https subscription to events.pagerduty.com) to alarmActions.`, alarm.urn);
      }
      const plans = referenced(resources, alarm, 'alarmActions', aws.ssmincidents.ResponsePlan);
      if (plans.length === 0) {
        report(`${name} is a high alert but starts no Incident Manager response plan: add the response plan's ARN to alarmActions, so the team lead and the manager are called when on-call does not answer.`, alarm.urn);
        continue;
      }
      const problems = plans.map((p) => escalationProblem(resources, p));
      if (problems.every((p) => p !== undefined)) report(`${name} starts response plan "${knownString(read(() => plans[0]!.props.name), plans[0]!.name)}", which ${problems[0]}.`, alarm.urn);
    }
  },
};

/** A topic Slack hears (an AWS Chatbot channel configuration lists it). */
const reachesSlack = (resources: readonly PolicyResource[], topic: PolicyResource): boolean =>
  resources.some((c) => c.isType(aws.chatbot.SlackChannelConfiguration) && refersTo(resources, c, 'snsTopicArns', topic));

/** A topic an e-mail address subscribes to. */
const reachesEmail = (resources: readonly PolicyResource[], topic: PolicyResource): boolean =>
  resources.some((s) => s.isType(aws.sns.TopicSubscription) && refersTo(resources, s, 'topic', topic) && read(() => s.props.protocol) === 'email');

export const alertRouting: PackStackPolicy = {
  name: 'alert-routing',
  description: `Every alarm of the stack reaches the guide's notification targets (アラート通知先): Slack ${NOTIFICATIONS.slackChannel} through AWS Chatbot and the ops team's e-mail, through the topics in its alarm actions; an alarm whose topic nobody hears fires in silence.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const { resources } = args;
    for (const alarm of resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm) || r.isType(aws.cloudwatch.CompositeAlarm))) {
      const topics = referenced(resources, alarm, 'alarmActions', aws.sns.Topic);
      if (topics.length === 0) continue; // alarm-actions-runbook reports an alarm that notifies nobody
      const name = `Alarm "${knownString(read(() => alarm.props.name ?? alarm.props.alarmName), alarm.name)}"`;
      if (!topics.some((t) => reachesSlack(resources, t))) {
        report(`${name} notifies no topic that Slack ${NOTIFICATIONS.slackChannel} hears: list its topic in the AWS Chatbot channel configuration's snsTopicArns.`, alarm.urn);
      }
      if (!topics.some((t) => reachesEmail(resources, t))) report(`${name} notifies no topic with an e-mail subscription: subscribe the ops team's address to its topic.`, alarm.urn);
    }
  },
};
