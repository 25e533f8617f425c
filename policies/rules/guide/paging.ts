/**
 * Paging (アラート通知先, エスカレーション): one engine pages, PagerDuty. Its escalation policy
 * engages the guide's levels at the guide's minutes (on-call at once, team lead after 30 minutes,
 * manager after 60); its service's Amazon CloudWatch integration is what the critical topic
 * delivers to; and only the incident composites (one per incident class) notify that topic, so one
 * incident pages once. Incident Manager, a second engine that would call people in parallel, is
 * absent unless the stack's policy config allows it as an incident record (no engagements).
 */
import * as aws from '@pulumi/aws';
import * as pagerduty from '@pulumi/pagerduty';
import type { PolicyResource } from '@pulumi/policy';
import { ESCALATION, NOTIFICATIONS } from '../../../guide';
import { INCIDENT_CLASSES } from '../../../observability/alarms/incidents';
import { referenced, refersTo } from '../../lib/graph';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import type { PackStackPolicy } from '../../lib/pack-policy';

/** PagerDuty's Events endpoint for a CloudWatch integration key (US or EU service region). */
const PAGERDUTY_URL = /^https:\/\/events\.(eu\.)?pagerduty\.com\/integration\/([^/]+)\/enqueue$/;
/** PagerDuty's integration type for Amazon CloudWatch: it opens on ALARM, de-duplicates, resolves on OK. */
export const CLOUDWATCH_INTEGRATION_TYPE = 'aws_cloudwatch_inbound_integration';
const LEVELS = ESCALATION.map((t) => `${t.responder} from ${t.fromMinutes} min`).join(', ');

/** The runbook sections of the incident classes: the composites that page. */
export const INCIDENT_SECTIONS: readonly string[] = Object.values(INCIDENT_CLASSES).map((c) => c.kind.section);

const tagsOf = (r: PolicyResource): Record<string, string> => {
  const tags = read(() => r.props.tags);
  return isUnknown(tags) || !tags || typeof tags !== 'object' ? {} : (tags as Record<string, string>);
};

export const isAlarm = (r: PolicyResource): boolean => r.isType(aws.cloudwatch.MetricAlarm) || r.isType(aws.cloudwatch.CompositeAlarm);
export const alarmNameOf = (r: PolicyResource): string =>
  knownString(
    read(() => r.props.alarmName ?? r.props.name),
    r.name,
  );

/** An incident class's composite alarm (tagged with the class's runbook section). */
export const isIncidentComposite = (r: PolicyResource): boolean =>
  r.isType(aws.cloudwatch.CompositeAlarm) && INCIDENT_SECTIONS.includes(tagsOf(r).runbookSection ?? '');

/** The PagerDuty CloudWatch integrations a subscription delivers to: by its endpoint's key, or (unknown at preview) by what it is computed from. */
function integrationsOf(resources: readonly PolicyResource[], subscription: PolicyResource): PolicyResource[] {
  const endpoint = read(() => subscription.props.endpoint);
  const integrations = resources.filter((r) => r.isType(pagerduty.ServiceIntegration));
  if (typeof endpoint === 'string') {
    const key = PAGERDUTY_URL.exec(endpoint)?.[2];
    return key
      ? integrations.filter(
          (i) =>
            read(() => i.props.integrationKey) === key ||
            (isUnknown(read(() => i.props.integrationKey)) && refersTo(resources, subscription, 'endpoint', i)),
        )
      : [];
  }
  return isUnknown(endpoint) ? integrations.filter((i) => refersTo(resources, subscription, 'endpoint', i)) : [];
}

/** The HTTPS subscriptions of a topic that deliver to a PagerDuty integration, with it. */
export function pagerDutyFeeds(
  resources: readonly PolicyResource[],
  topic: PolicyResource,
): { subscription: PolicyResource; integration: PolicyResource }[] {
  return resources
    .filter(
      (s) => s.isType(aws.sns.TopicSubscription) && refersTo(resources, s, 'topic', topic) && read(() => s.props.protocol) === 'https',
    )
    .flatMap((subscription) => integrationsOf(resources, subscription).map((integration) => ({ subscription, integration })));
}

/** A topic whose deliveries page (it feeds PagerDuty). */
export const pages = (resources: readonly PolicyResource[], topic: PolicyResource): boolean => pagerDutyFeeds(resources, topic).length > 0;

/**
 * The one alarm that may notify the paging topic without being an incident: the alarm on the
 * warning topic's own failed deliveries, which cannot report through the path that fails. It is
 * known by the metric it reads, not by a tag.
 */
function watchesWarningDeliveries(resources: readonly PolicyResource[], alarm: PolicyResource): boolean {
  if (!alarm.isType(aws.cloudwatch.MetricAlarm)) return false;
  const queries = knownItems(
    () => alarm.props.metricQueries as { metric?: { namespace?: string; metricName?: string; dimensions?: Record<string, string> } }[],
  );
  const topicNames = queries.flatMap((q) => {
    const m = read(() => q.metric);
    return !isUnknown(m) && m?.namespace === 'AWS/SNS' && m.metricName === 'NumberOfNotificationsFailed'
      ? [read(() => m.dimensions?.TopicName)]
      : [];
  });
  if (topicNames.length !== 1) return false;
  const topic = resources.find((t) => t.isType(aws.sns.Topic) && read(() => t.props.name) === topicNames[0]);
  return topic !== undefined && !pages(resources, topic);
}

/** What is wrong with an escalation policy against the guide's table, if anything. */
function escalationProblem(policy: PolicyResource): string | undefined {
  const rules = knownItems(() => policy.props.rules as { escalationDelayInMinutes?: number; targets?: { id?: string; type?: string }[] }[]);
  if (rules.length !== ESCALATION.length) return `has ${rules.length} escalation levels; the guide has ${ESCALATION.length} (${LEVELS})`;
  let start = 0;
  for (const [i, level] of ESCALATION.entries()) {
    if (start !== level.fromMinutes)
      return `engages level ${i + 1} (the ${level.responder}) after ${start} min; the guide engages the ${level.responder} after ${level.fromMinutes} min (${LEVELS})`;
    const targets = knownItems(() => rules[i]!.targets);
    if (targets.length === 0) return `reaches nobody at level ${i + 1} (the ${level.responder}): give the rule a user or schedule target`;
    const previous = i > 0 ? JSON.stringify(knownItems(() => rules[i - 1]!.targets)) : undefined;
    if (previous === JSON.stringify(targets))
      return `engages the same targets at level ${i + 1} (the ${level.responder}) as at level ${i}: the escalation reaches nobody new`;
    start += Number(read(() => rules[i]!.escalationDelayInMinutes) ?? 0);
  }
  const loops = read(() => policy.props.numLoops);
  if (typeof loops === 'number' && loops > 0)
    return `loops ${loops} time(s) back to the on-call after the manager; the guide's table ends with the manager (numLoops 0)`;
  return undefined;
}

/** What is wrong with the PagerDuty service incidents open on, if anything: acknowledging must stop it, only OK resolve it. */
function serviceProblem(service: PolicyResource): string | undefined {
  const ack = read(() => service.props.acknowledgementTimeout);
  if (typeof ack === 'string' && ack !== 'null')
    return `re-triggers an acknowledged incident after ${ack} s (acknowledgementTimeout): acknowledging must stop the escalation; set it to "null"`;
  const resolve = read(() => service.props.autoResolveTimeout);
  if (typeof resolve === 'string' && resolve !== 'null')
    return `resolves incidents after ${resolve} s by itself (autoResolveTimeout), while the alarm may still be in ALARM: only the alarm's OK resolves; set it to "null"`;
  const urgency = read(() => (service.props.incidentUrgencyRule as { urgency?: string } | undefined)?.urgency);
  if (urgency === 'low') return "opens low-urgency incidents, which do not page by phone: the guide's high alerts need high urgency";
  return undefined;
}

export interface AlertPagingConfig {
  /** Allow an Incident Manager response plan as an incident record (it must engage nobody). */
  readonly allowIncidentRecord: boolean;
}

export const alertPaging: PackStackPolicy = {
  name: 'alert-paging',
  description: `One engine pages, PagerDuty: an escalation policy with the guide's levels at the guide's minutes (${LEVELS}), its service (acknowledging stops it, only OK resolves) and an Amazon CloudWatch integration the critical topic delivers to over HTTPS. Only the incident composites (${INCIDENT_SECTIONS.join(', ')}) notify that topic, so one incident pages once. No Incident Manager contacts or escalation plans; a response plan only where the stack allows it as a record.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: {
      allowIncidentRecord: {
        type: 'boolean',
        default: false,
        description:
          'Allow an Incident Manager response plan as an incident record (alerting.incidentManager.enabled); it must engage nobody.',
      },
    },
  },
  validateStack: (args, report) => {
    const { resources } = args;
    const topics = resources.filter((r) => r.isType(aws.sns.Topic));
    const pagingTopics = topics.filter((t) => pages(resources, t));

    // The path: incident composite → critical topic → HTTPS subscription → CloudWatch integration → service → escalation policy.
    if (pagingTopics.length === 0)
      report(
        `No topic delivers to a PagerDuty CloudWatch integration: subscribe the critical topic over HTTPS to the integration's URL (https://events.pagerduty.com/integration/<key>/enqueue).`,
      );
    for (const topic of pagingTopics) {
      for (const { integration } of pagerDutyFeeds(resources, topic)) {
        const where = `PagerDuty integration "${knownString(
          read(() => integration.props.name),
          integration.name,
        )}"`;
        const type = read(() => integration.props.type);
        if (!isUnknown(type) && type !== CLOUDWATCH_INTEGRATION_TYPE)
          report(
            `${where} is of type ${type}; the critical topic needs ${CLOUDWATCH_INTEGRATION_TYPE}, which opens on ALARM and resolves on OK.`,
            integration.urn,
          );
        const services = referenced(resources, integration, 'service', pagerduty.Service);
        if (services.length === 0)
          report(
            `${where} belongs to no PagerDuty service of the stack: its incidents would follow an escalation nobody reviewed.`,
            integration.urn,
          );
        for (const service of services) {
          const name = `PagerDuty service "${knownString(
            read(() => service.props.name),
            service.name,
          )}"`;
          const problem = serviceProblem(service);
          if (problem) report(`${name} ${problem}.`, service.urn);
          const policies = referenced(resources, service, 'escalationPolicy', pagerduty.EscalationPolicy);
          if (policies.length === 0)
            report(
              `${name} follows no escalation policy of the stack: add a pagerduty.EscalationPolicy with the guide's levels (${LEVELS}).`,
              service.urn,
            );
          for (const policy of policies) {
            const p = escalationProblem(policy);
            if (p)
              report(
                `PagerDuty escalation policy "${knownString(
                  read(() => policy.props.name),
                  policy.name,
                )}" ${p}.`,
                policy.urn,
              );
          }
        }
      }
    }

    // Who pages: the incident composites, and nothing else.
    for (const alarm of resources.filter(isAlarm)) {
      const name = `Alarm "${alarmNameOf(alarm)}"`;
      const paged = referenced(resources, alarm, 'alarmActions', aws.sns.Topic).some((t) => pagingTopics.includes(t));
      if (isIncidentComposite(alarm)) {
        if (!paged)
          report(
            `${name} is the composite of incident class ${tagsOf(alarm).runbookSection} but notifies no topic that feeds PagerDuty: add the critical topic to its alarmActions, or the incident never pages.`,
            alarm.urn,
          );
      } else if (paged && !watchesWarningDeliveries(resources, alarm)) {
        report(
          `${name} notifies the paging topic, but it is not an incident composite: it would page on its own, beside its incident's page. Notify the warning topic; its incident class's composite pages.`,
          alarm.urn,
        );
      }
    }

    // One engine: Incident Manager does not call anyone.
    for (const r of resources.filter(
      (x) => x.isType(aws.ssmcontacts.Contact) || x.isType(aws.ssmcontacts.Plan) || x.isType(aws.ssmcontacts.ContactChannel),
    )) {
      report(
        `${r.type} "${r.name}" is an Incident Manager contact or escalation plan: a second paging engine that keeps calling after the PagerDuty incident is acknowledged. Escalate in PagerDuty only.`,
        r.urn,
      );
    }
    const { allowIncidentRecord } = args.getConfig<AlertPagingConfig>();
    for (const plan of resources.filter((x) => x.isType(aws.ssmincidents.ResponsePlan))) {
      const name = `Incident Manager response plan "${knownString(
        read(() => plan.props.name),
        plan.name,
      )}"`;
      if (!allowIncidentRecord)
        report(
          `${name} exists, but Incident Manager is off for this stack (PagerDuty is the one engine, and Incident Manager is closed to new accounts): remove it, or allow it as a record in the stack's policy config (allowIncidentRecord).`,
          plan.urn,
        );
      else if (knownItems(() => plan.props.engagements as unknown[]).length > 0 || isUnknown(read(() => plan.props.engagements))) {
        report(`${name} engages contacts: as a record it must engage nobody, or it pages beside PagerDuty.`, plan.urn);
      }
    }
  },
};

/** A topic Slack hears (an AWS Chatbot channel configuration lists it). */
const reachesSlack = (resources: readonly PolicyResource[], topic: PolicyResource): boolean =>
  resources.some((c) => c.isType(aws.chatbot.SlackChannelConfiguration) && refersTo(resources, c, 'snsTopicArns', topic));

/** A topic an e-mail address subscribes to. */
const reachesEmail = (resources: readonly PolicyResource[], topic: PolicyResource): boolean =>
  resources.some(
    (s) => s.isType(aws.sns.TopicSubscription) && refersTo(resources, s, 'topic', topic) && read(() => s.props.protocol) === 'email',
  );

/** Where a resource lives: its own `region`, or the stack's (the provider's) region. */
const regionOf = (r: PolicyResource): string => {
  const region = read(() => r.props.region);
  return typeof region === 'string' && region !== '' ? region : "the stack's region";
};

export const alertRouting: PackStackPolicy = {
  name: 'alert-routing',
  description: `Every alarm reaches the guide's notification targets (アラート通知先) through topics of its own region: Slack ${NOTIFICATIONS.slackChannel} through AWS Chatbot and the ops team's e-mail. The critical topic also delivers to PagerDuty; the warning topic and the us-east-1 edge topic (CloudFront, WAF) to Slack and e-mail. An alarm whose topic nobody hears, or that names a topic the stack does not have, fires in silence.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const { resources } = args;
    for (const alarm of resources.filter(isAlarm)) {
      const name = `Alarm "${alarmNameOf(alarm)}"`;
      const actions = read(() => alarm.props.alarmActions);
      const named =
        isUnknown(actions) || (Array.isArray(actions) && actions.length > 0) || (alarm.propertyDependencies.alarmActions ?? []).length > 0;
      const topics = referenced(resources, alarm, 'alarmActions', aws.sns.Topic);
      if (topics.length === 0) {
        // An alarm without actions is alarm-actions-runbook's; one whose actions name no topic of the stack is this rule's.
        if (named && !referenced(resources, alarm, 'alarmActions', aws.ssmincidents.ResponsePlan).length)
          report(`${name} notifies no alert topic of the stack: its actions name a topic that does not exist here.`, alarm.urn);
        continue;
      }
      const local = topics.filter((t) => regionOf(t) === regionOf(alarm));
      if (local.length < topics.length) {
        report(
          `${name} lives in ${regionOf(alarm)} but notifies a topic in ${topics
            .filter((t) => !local.includes(t))
            .map(regionOf)
            .join(', ')}: CloudWatch delivers to topics of the alarm's own region only (the edge alarms have the us-east-1 edge topic).`,
          alarm.urn,
        );
      }
      if (!topics.some((t) => reachesSlack(resources, t))) {
        report(
          `${name} notifies no topic that Slack ${NOTIFICATIONS.slackChannel} hears: list its topic in the AWS Chatbot channel configuration's snsTopicArns.`,
          alarm.urn,
        );
      }
      if (!topics.some((t) => reachesEmail(resources, t)))
        report(`${name} notifies no topic with an e-mail subscription: subscribe the ops team's address to its topic.`, alarm.urn);
    }
    // The critical topic: what the incident composites notify, and PagerDuty hears.
    const composites = resources.filter(isIncidentComposite);
    if (
      composites.length > 0 &&
      !composites.some((c) => referenced(resources, c, 'alarmActions', aws.sns.Topic).some((t) => pages(resources, t)))
    ) {
      report(
        'No incident composite notifies a topic with a PagerDuty subscription: the critical topic needs its HTTPS subscription to the PagerDuty CloudWatch integration.',
      );
    }
  },
};
