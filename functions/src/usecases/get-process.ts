import { NotFoundError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';

/** Reads a user's process (null when it is missing or another user's). */
export type ProcessReader = (processId: string, userId: string) => Promise<ProcessRecord | null>;

/** Status check (StatusCheckHandler): a user's own process, or 404. */
export async function getProcess(read: ProcessReader, cmd: { userId: string; processId: string }): Promise<ProcessRecord> {
  const process = await read(cmd.processId, cmd.userId);
  if (!process) throw new NotFoundError();
  return process;
}
