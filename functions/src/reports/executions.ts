/**
 * Step Functions executions started in a window, by status: ListExecutions per status filter with
 * the real SFNClient, on AWS and against the local runtime's endpoint alike. Both list newest
 * first, so paging stops at the first execution older than the window.
 */
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { EXECUTION_STATUSES, type ExecutionStatus, type Window } from './source';

export interface StateMachineRef {
  readonly client: Pick<SFNClient, 'send'>;
  readonly stateMachineArn: string;
}

export async function countExecutions(sfn: StateMachineRef, w: Window): Promise<Record<ExecutionStatus, number>> {
  const counts = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  for (const status of EXECUTION_STATUSES) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.client.send(
        new ListExecutionsCommand({ stateMachineArn: sfn.stateMachineArn, statusFilter: status, maxResults: 1000, nextToken }),
      );
      let older = false;
      for (const e of page.executions ?? []) {
        const t = e.startDate?.getTime() ?? 0;
        if (t < w.start.getTime()) older = true;
        else if (t < w.end.getTime()) counts[status]++;
      }
      nextToken = older ? undefined : page.nextToken;
    } while (nextToken);
  }
  return counts;
}
