import { NotFoundError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import type { UseCaseContext } from '../ports';

/** Status check (StatusCheckHandler): a user's own process, or 404. */
export async function getProcess(deps: Pick<UseCaseContext, 'store'>, cmd: { userId: string; processId: string }): Promise<ProcessRecord> {
  const process = await deps.store.getForUser(cmd.processId, cmd.userId);
  if (!process) throw new NotFoundError();
  return process;
}
