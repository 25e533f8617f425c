/**
 * Cost (コスト管理): a monthly budget of $500 for the account, and one per major cost line at its
 * share of it (Lambda 40 %, Bedrock 30 %, Aurora 20 %), each notifying the team, so a drifting
 * line shows before the total does.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { BUDGET } from '../../../guide';
import { COST_LINES } from '../../../infra/components/budget';
import { isUnknown, items, read } from '../../lib/known';
import { displayName, type PackStackPolicy } from '../../lib/pack-policy';

/** How Cost Explorer names a third-party model sold on Bedrock. */
const BEDROCK_EDITION = / \(Amazon Bedrock Edition\)$/;

interface Notification {
  readonly subscriberSnsTopicArns?: string[];
  readonly subscriberEmailAddresses?: string[];
  readonly threshold?: number;
  readonly thresholdType?: string;
  readonly notificationType?: string;
}

/** Whether a budget warns before its limit is passed: a notification at or below 100 % of it (actual or forecast). */
const warnsInTime = (r: PolicyResource): boolean => {
  const list = items(() => r.props.notifications as Notification[] | undefined);
  if (isUnknown(list)) return true;
  const limit = Number(r.props.limitAmount);
  return list.some((n) => {
    if (isUnknown(n)) return true;
    const threshold = read(() => n.threshold) ?? Infinity;
    if (isUnknown(threshold)) return true;
    return (n.thresholdType ?? 'PERCENTAGE') === 'PERCENTAGE' ? threshold <= 100 : threshold <= limit;
  });
};

/** Whether a budget notifies anyone: a subscriber, known or computed (an alert topic of this run). */
const notifies = (r: PolicyResource): boolean => {
  const list = items(() => r.props.notifications as Notification[] | undefined);
  if (isUnknown(list)) return true;
  return list.some(
    (n) =>
      isUnknown(n) ||
      [items(() => n?.subscriberSnsTopicArns), items(() => n?.subscriberEmailAddresses)].some(
        (subs) => isUnknown(subs) || (subs as unknown[]).length > 0,
      ),
  );
};

/** The Cost Explorer services a budget is filtered to ([] for the whole account). */
const servicesOf = (r: PolicyResource): string[] =>
  ((read(() => r.props.costFilters) ?? []) as { name?: string; values?: string[] }[]).flatMap((f) =>
    f.name === 'Service' ? (f.values ?? []) : [],
  );

const monthlyCost = (args: { resources: PolicyResource[] }) =>
  args.resources.filter((r) => r.isType(aws.budgets.Budget) && r.props.budgetType === 'COST' && r.props.timeUnit === 'MONTHLY');

export const budgetLimit: PackStackPolicy = {
  name: 'budget-limit',
  description: `A monthly cost budget for the whole account of at most $${BUDGET.monthlyUsd} (月次予算) notifies the team; no budget of the stack allows more.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const budgets = args.resources.filter((r) => r.isType(aws.budgets.Budget) && r.props.budgetType === 'COST');
    const total = monthlyCost(args).filter((r) => !(read(() => r.props.costFilters) ?? []).length);
    if (total.length === 0)
      report(`No monthly COST budget covers the whole account; the guide's budget is $${BUDGET.monthlyUsd} per month.`);
    for (const r of budgets) {
      const name = `Budget "${displayName(r.props, r.name)}"`;
      const amount = Number(r.props.limitAmount);
      if (r.props.limitUnit !== 'USD' || !(amount <= BUDGET.monthlyUsd)) {
        report(
          `${name} allows ${r.props.limitAmount} ${r.props.limitUnit} (${r.props.timeUnit}); the guide's budget is $${BUDGET.monthlyUsd} per month.`,
          r.urn,
        );
      }
      if (!notifies(r))
        report(
          `${name} notifies nobody: it could not warn before the money is spent; add a notification with subscriberSnsTopicArns.`,
          r.urn,
        );
      else if (!warnsInTime(r))
        report(
          `${name} notifies only past its limit: add a notification at or below 100 % (ACTUAL or FORECASTED), so the team can act before the money is spent.`,
          r.urn,
        );
    }
  },
};

export const budgetServiceLines: PackStackPolicy = {
  name: 'budget-service-lines',
  description: `Each of the guide's cost lines (${(Object.keys(COST_LINES) as (keyof typeof COST_LINES)[]).map((k) => `${k} ${BUDGET.sharePercent[k]} %`).join(', ')} of $${BUDGET.monthlyUsd}) has a monthly cost budget filtered to its service, at most its share, that notifies the team: a line drifting past its share shows before the total does.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const budgets = monthlyCost(args);
    for (const key of Object.keys(COST_LINES) as (keyof typeof COST_LINES)[]) {
      const service = COST_LINES[key][0];
      const share = (BUDGET.monthlyUsd * BUDGET.sharePercent[key]) / 100;
      const line = budgets.filter((r) => servicesOf(r).includes(service));
      if (line.length === 0) {
        report(
          `No monthly COST budget is filtered to ${service}: the guide gives ${key} ${BUDGET.sharePercent[key]} % of $${BUDGET.monthlyUsd} ($${share}); add one with costFilters [{ name: "Service", values: ["${service}"] }].`,
        );
      }
      for (const r of line) {
        const name = `Budget "${displayName(r.props, r.name)}"`;
        const amount = Number(r.props.limitAmount);
        // Bedrock's line also counts the model's own Marketplace service (third-party models bill as "<model> (Amazon Bedrock Edition)").
        const foreign = servicesOf(r).filter((s) => s !== service && !(key === 'bedrock' && BEDROCK_EDITION.test(s)));
        if (foreign.length > 0)
          report(
            `${name} mixes ${servicesOf(r).join(', ')}: the guide's ${key} line is ${service}${key === 'bedrock' ? ' and the model\'s "(Amazon Bedrock Edition)" service' : ''} alone.`,
            r.urn,
          );
        if (r.props.limitUnit !== 'USD' || !(amount <= share)) {
          report(
            `${name} allows ${r.props.limitAmount} ${r.props.limitUnit} for ${service}; the guide's ${key} share is ${BUDGET.sharePercent[key]} % of $${BUDGET.monthlyUsd} = $${share}.`,
            r.urn,
          );
        }
        if (!notifies(r)) report(`${name} notifies nobody: add a notification with subscriberSnsTopicArns.`, r.urn);
      }
    }
  },
};
