/**
 * Paging (アラート通知先, エスカレーション): the guide's high alerts page. Every alarm of a high alert
 * (and every alarm tagged critical) notifies a topic that PagerDuty subscribes to and starts an
 * Incident Manager response plan whose escalation plan engages the guide's tiers in order: on-call
 * 0–30 min, team lead 30–60 min by phone, manager after 1 h by phone.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { ESCALATION, GUIDE_ALERTS } from '../../../guide';
import { channelTypeOf } from '../../../infra/observability/config';
import { escalationStages } from '../../../infra/observability/plan/escalation';
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
  for (const [i, stage] of expected.entries()) {
    const targets = knownItems(() => (stages[i] as { targets?: { contactTargetInfo?: { contactId?: string; isEssential?: boolean } }[] }).targets);
    const contacts = targets.flatMap((t) => {
      const id = read(() => t.contactTargetInfo?.contactId);
      return resources.filter((c) => c.isType(aws.ssmcontacts.Contact) && read(() => c.props.type) === 'PERSONAL'
        && ((!isUnknown(id) && id !== undefined && [read(() => c.props.arn), read(() => c.props.alias)].includes(id))
          || (isUnknown(id) && refersTo(resources, contactPlan!, 'stages', c))));
    });
    const channel = channelTypeOf(stage.responder);
    // Unknown contact ids at preview narrow to the stage's contacts by the plan's dependencies only:
    // the stage is right when one of them is reached the guide's way.
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
