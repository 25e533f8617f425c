/**
 * The guide's Logs Insights queries (ログ検索クエリ例, observability/saved-queries.ts), saved in
 * CloudWatch with the log groups they search, so an operator runs them from the console instead of
 * retyping them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FunctionKey } from '../../../guide';
import { SAVED_QUERIES, type SavedQueryKey } from '../../../observability/saved-queries';

export const QUERIES_TYPE = 'async-ai-pipeline:observability:SavedQueries';

export interface SavedQueriesArgs {
  /** Log group of each function (they all print the guide's log format). */
  readonly logGroupNames: Partial<Record<FunctionKey, pulumi.Input<string>>>;
}

export class SavedQueries extends pulumi.ComponentResource {
  readonly queryIds: Record<SavedQueryKey, pulumi.Output<string>>;

  constructor(name: string, args: SavedQueriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(QUERIES_TYPE, name, {}, opts);
    const ids = {} as Record<SavedQueryKey, pulumi.Output<string>>;
    for (const q of SAVED_QUERIES) {
      ids[q.key] = new aws.cloudwatch.QueryDefinition(
        `${name}-${q.key}`,
        {
          name: q.name,
          queryString: q.queryString,
          logGroupNames: q.functions.flatMap((f) => (args.logGroupNames[f] ? [args.logGroupNames[f]!] : [])),
        },
        { parent: this },
      ).queryDefinitionId;
    }
    this.queryIds = ids;
    this.registerOutputs({ queryIds: this.queryIds });
  }
}
