/**
 * Budget (コスト管理): $500/month for the account, with actual and forecast notifications to the
 * alerting topics, and one budget per major cost line at its guide share (Lambda 40 %, Bedrock
 * 30 %, Aurora 20 %) so a drifting line shows before the total does.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BUDGET, INFRA } from '../../guide';
import type { Stage } from '../config';

export const BUDGET_TYPE = 'async-ai-pipeline:infra:Budget';

/** Cost Explorer service names of the guide's cost lines. */
export const COST_LINES = {
  lambda: 'AWS Lambda',
  bedrock: 'Amazon Bedrock',
  aurora: 'Amazon Relational Database Service',
} as const satisfies Partial<Record<keyof typeof BUDGET.sharePercent, string>>;

export interface BudgetArgs {
  readonly stage: Stage;
  /** SNS topics that receive the notifications (the observability component's alert topics). */
  readonly alertTopicArns: pulumi.Input<string>[];
  /** The topics' policies: AWS Budgets checks that it may publish to a topic when a budget names it. */
  readonly after?: pulumi.Resource[];
}

export interface BudgetLine {
  readonly name: string;
  readonly limitUsd: number;
  readonly service?: string;
  readonly notifications: { readonly type: 'ACTUAL' | 'FORECASTED'; readonly percent: number }[];
}

/** The budgets, as data: the total with actual and forecast alerts, then each line at 100 % actual. */
export function budgetLines(): BudgetLine[] {
  const total: BudgetLine = {
    name: 'monthly-total',
    limitUsd: BUDGET.monthlyUsd,
    notifications: [
      ...INFRA.budget.actualAlertPercents.map((percent) => ({ type: 'ACTUAL' as const, percent })),
      { type: 'FORECASTED', percent: INFRA.budget.forecastAlertPercent },
    ],
  };
  const lines = (Object.keys(COST_LINES) as (keyof typeof COST_LINES)[]).map((k) => ({
    name: `monthly-${k}`,
    limitUsd: (BUDGET.monthlyUsd * BUDGET.sharePercent[k]) / 100,
    service: COST_LINES[k],
    notifications: [{ type: 'ACTUAL' as const, percent: 100 }],
  }));
  return [total, ...lines];
}

export class Budget extends pulumi.ComponentResource {
  readonly budgetNames: string[] = [];

  constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BUDGET_TYPE, name, {}, opts);
    if (args.alertTopicArns.length === 0) {
      pulumi.log.warn('Budgets are created without notifications: no alert topics yet (observability).', this);
    }
    for (const line of budgetLines()) {
      const budgetName = `async-ai-pipeline-${args.stage}-${line.name}`;
      new aws.budgets.Budget(`${name}-${line.name}`, {
        name: budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        limitAmount: line.limitUsd.toFixed(2),
        limitUnit: 'USD',
        costFilters: line.service ? [{ name: 'Service', values: [line.service] }] : undefined,
        notifications: args.alertTopicArns.length === 0 ? [] : line.notifications.map((n) => ({
          comparisonOperator: 'GREATER_THAN',
          notificationType: n.type,
          threshold: n.percent,
          thresholdType: 'PERCENTAGE',
          subscriberSnsTopicArns: args.alertTopicArns,
        })),
      }, { parent: this, dependsOn: args.after ?? [] });
      this.budgetNames.push(budgetName);
    }
    this.registerOutputs({ budgetNames: this.budgetNames });
  }
}
