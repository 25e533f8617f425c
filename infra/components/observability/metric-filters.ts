/**
 * Metrics derived from log lines (observability/metric-filters.ts): AuthFailures from the API
 * access log, and each function's peak memory from its REPORT lines.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { MetricFilterSpec } from '../../../observability/metric-filters';

export const METRIC_FILTERS_TYPE = 'async-ai-pipeline:observability:MetricFilters';

export interface MetricFiltersArgs {
  readonly specs: readonly MetricFilterSpec[];
}

export class MetricFilters extends pulumi.ComponentResource {
  constructor(name: string, args: MetricFiltersArgs, opts?: pulumi.ComponentResourceOptions) {
    super(METRIC_FILTERS_TYPE, name, {}, opts);
    for (const f of args.specs) {
      new aws.cloudwatch.LogMetricFilter(
        `${name}-${f.id}`,
        {
          name: f.id,
          logGroupName: f.logGroupName,
          pattern: f.pattern,
          metricTransformation: {
            namespace: f.metric.namespace,
            name: f.metric.name,
            value: f.metric.value,
            unit: f.metric.unit,
            ...(f.metric.defaultValue === undefined ? {} : { defaultValue: String(f.metric.defaultValue) }),
          },
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
