/** What the preflight reports: one finding per check, each failing one with the fix. */

export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Finding {
  /** The check's id (stable: scripts and tests match on it). */
  readonly check: string;
  readonly status: FindingStatus;
  readonly message: string;
  /** How to put it right (a command where there is one). */
  readonly fix?: string;
}

export const ok = (check: string, message: string): Finding => ({ check, status: 'ok', message });
export const warn = (check: string, message: string, fix?: string): Finding => ({
  check,
  status: 'warn',
  message,
  ...(fix ? { fix } : {}),
});
export const fail = (check: string, message: string, fix: string): Finding => ({ check, status: 'fail', message, fix });

const MARK: Record<FindingStatus, string> = { ok: '✅', warn: '⚠️ ', fail: '❌', skip: '⏭️ ' };

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${MARK[f.status]} ${f.check}: ${f.message}${f.fix ? `\n     fix: ${f.fix}` : ''}`).join('\n');
}

/** An AWS error the check cannot get past: no permission to look. */
export const isAccessDenied = (err: unknown): boolean =>
  /AccessDenied|UnauthorizedOperation|NotAuthorized/.test((err as { name?: string })?.name ?? '');

export const errorName = (err: unknown): string => (err as { name?: string })?.name ?? 'Error';

/** A check that could not look (permissions): a warning that says which permission to grant. */
export const cannotLook = (check: string, action: string, err: unknown): Finding =>
  warn(
    check,
    `could not check: ${errorName(err)} on ${action}`,
    `run the preflight with a principal allowed ${action} (or check by hand, see --checklist)`,
  );
