/**
 * The guide's Logs Insights queries (ログ検索クエリ例), saved in CloudWatch with the log groups
 * they search, so an operator runs them from the console instead of retyping them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { LOG_QUERIES } from '../../guide';

export const QUERIES_TYPE = 'async-ai-pipeline:observability:SavedQueries';

export interface SavedQueriesArgs {
  /** Log groups of the functions that print the guide's log format. */
  readonly logGroupNames: pulumi.Input<string>[];
}

export class SavedQueries extends pulumi.ComponentResource {
  readonly queryIds: Record<keyof typeof LOG_QUERIES, pulumi.Output<string>>;

  constructor(name: string, args: SavedQueriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(QUERIES_TYPE, name, {}, opts);
    const ids = {} as Record<keyof typeof LOG_QUERIES, pulumi.Output<string>>;
    for (const [key, q] of Object.entries(LOG_QUERIES) as [keyof typeof LOG_QUERIES, (typeof LOG_QUERIES)[keyof typeof LOG_QUERIES]][]) {
      ids[key] = new aws.cloudwatch.QueryDefinition(`${name}-${key}`, {
        name: q.name, queryString: q.query, logGroupNames: args.logGroupNames,
      }, { parent: this }).queryDefinitionId;
    }
    this.queryIds = ids;
    this.registerOutputs({ queryIds: this.queryIds });
  }
}
