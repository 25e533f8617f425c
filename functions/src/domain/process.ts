import type { ProcessErrorCode, ProcessStatus, ProcessType } from '../../../guide';
import { ACTIVE_STATUSES, TERMINAL_STATUSES } from '../../../guide';

/** A row of `processing_state`, in camelCase. */
export interface ProcessRecord {
  id: string;
  userId: string;
  type: ProcessType;
  status: ProcessStatus;
  progress: number;
  input: Record<string, unknown>;
  result: Record<string, unknown> | null;
  /** Slices generated so far by the current attempt (one per workflow step). */
  partialResult: unknown[];
  errorCode: ProcessErrorCode | null;
  errorMessage: string | null;
  retryCount: number;
  attempt: number;
  executionName: string | null;
  executionArn: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  heartbeatAt: Date | null;
}

/** The process as the API contract shows it. */
export interface ApiProcess {
  processId: string;
  type: ProcessType;
  status: ProcessStatus;
  progress: number;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  retryCount: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export function toApiProcess(p: ProcessRecord): ApiProcess {
  return {
    processId: p.id,
    type: p.type,
    status: p.status,
    progress: p.progress,
    result: p.result,
    error: p.errorCode ? { code: p.errorCode, message: p.errorMessage ?? '' } : null,
    retryCount: p.retryCount,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    completedAt: p.completedAt ? p.completedAt.toISOString() : null,
  };
}

export const isActive = (s: ProcessStatus): boolean => (ACTIVE_STATUSES as readonly string[]).includes(s);
export const isTerminal = (s: ProcessStatus): boolean => (TERMINAL_STATUSES as readonly string[]).includes(s);

/** Step Functions execution name for an attempt: deterministic, so a repeated start is a no-op. */
export const executionNameFor = (processId: string, attempt: number): string => `${processId}-a${attempt}`;
