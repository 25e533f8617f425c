/**
 * Budget (コスト管理): $500/month for the account, with actual and forecast notifications to the
 * alerting topics, and one budget per major cost line at its guide share (Lambda 40 %, Bedrock
 * 30 %, Aurora 20 %) so a drifting line shows before the total does.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BUDGET, INFRA } from '../../guide';
import { StackConfigError, PROJECT, type Stage } from '../config';

export const BUDGET_TYPE = 'async-ai-pipeline:infra:Budget';

/** Cost Explorer service names of the guide's cost lines (Bedrock's: see bedrockCostServices). */
export const COST_LINES = {
  lambda: ['AWS Lambda'],
  bedrock: ['Amazon Bedrock'],
  aurora: ['Amazon Relational Database Service'],
} as const satisfies Partial<Record<keyof typeof BUDGET.sharePercent, readonly string[]>>;

/**
 * Third-party models on Bedrock are sold through AWS Marketplace: Cost Explorer shows their
 * charges under a service of their own, "<model> (Amazon Bedrock Edition)", and a budget filtered
 * on "Amazon Bedrock" alone sees $0 of them. Known names per model (geography prefix removed);
 * Amazon's own models bill as "Amazon Bedrock". The preflight compares these with the service
 * names the account really has (Cost Explorer GetDimensionValues).
 */
export const BEDROCK_MARKETPLACE_SERVICES: Readonly<Record<string, string>> = {
  'anthropic.claude-3-haiku-20240307-v1:0': 'Claude 3 Haiku (Amazon Bedrock Edition)',
  'anthropic.claude-3-5-haiku-20241022-v1:0': 'Claude 3.5 Haiku (Amazon Bedrock Edition)',
  'anthropic.claude-haiku-4-5-20251001-v1:0': 'Claude Haiku 4.5 (Amazon Bedrock Edition)',
  'anthropic.claude-sonnet-4-5-20250929-v1:0': 'Claude Sonnet 4.5 (Amazon Bedrock Edition)',
};

const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|global|us-gov)\./;

/** The Cost Explorer services that carry the model's cost: "Amazon Bedrock" and its Marketplace edition. */
export function bedrockCostServices(modelId: string, configured?: readonly string[]): string[] {
  const base = modelId.replace(GEO_PREFIX, '');
  if (configured && configured.length > 0) return [...COST_LINES.bedrock, ...configured];
  if (base.startsWith('amazon.')) return [...COST_LINES.bedrock];
  const known = BEDROCK_MARKETPLACE_SERVICES[base];
  if (!known) {
    throw new StackConfigError([
      `${PROJECT}:budget.bedrockServiceNames must name the Cost Explorer service of ${modelId} (third-party models bill as "<model> (Amazon Bedrock Edition)"; find it with aws ce get-dimension-values --dimension SERVICE --search-string "Bedrock Edition" --time-period Start=<month start>,End=<today>). Fix: pulumi config set --path 'budget.bedrockServiceNames[0]' '<service name>'`,
    ]);
  }
  return [...COST_LINES.bedrock, known];
}

export interface BudgetArgs {
  readonly stage: Stage;
  /** Cost Explorer services of the Bedrock line (`bedrockCostServices`). */
  readonly bedrockServices: readonly string[];
  /** SNS topics that receive the notifications (the observability component's alert topics). */
  readonly alertTopicArns: pulumi.Input<string>[];
  /** The topics' policies: AWS Budgets checks that it may publish to a topic when a budget names it. */
  readonly after?: pulumi.Resource[];
}

export interface BudgetLine {
  readonly name: string;
  readonly limitUsd: number;
  readonly services?: readonly string[];
  readonly notifications: { readonly type: 'ACTUAL' | 'FORECASTED'; readonly percent: number }[];
}

/** The budgets, as data: the total with actual and forecast alerts, then each line at 100 % actual. */
export function budgetLines(bedrockServices: readonly string[] = COST_LINES.bedrock): BudgetLine[] {
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
    services: k === 'bedrock' ? bedrockServices : COST_LINES[k],
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
    for (const line of budgetLines(args.bedrockServices)) {
      const budgetName = `async-ai-pipeline-${args.stage}-${line.name}`;
      new aws.budgets.Budget(
        `${name}-${line.name}`,
        {
          name: budgetName,
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          limitAmount: line.limitUsd.toFixed(2),
          limitUnit: 'USD',
          costFilters: line.services ? [{ name: 'Service', values: [...line.services] }] : undefined,
          notifications:
            args.alertTopicArns.length === 0
              ? []
              : line.notifications.map((n) => ({
                  comparisonOperator: 'GREATER_THAN',
                  notificationType: n.type,
                  threshold: n.percent,
                  thresholdType: 'PERCENTAGE',
                  subscriberSnsTopicArns: args.alertTopicArns,
                })),
        },
        { parent: this, dependsOn: args.after ?? [] },
      );
      this.budgetNames.push(budgetName);
    }
    this.registerOutputs({ budgetNames: this.budgetNames });
  }
}
