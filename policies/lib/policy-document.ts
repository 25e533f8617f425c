/**
 * IAM policy documents as the rules read them: a resource's `policy` input may be JSON text or an
 * object, and `Action` / `Resource` may be a string or a list. Everything here is pure.
 */

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
}

export const asList = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);

/**
 * The statements of a policy document, or `undefined` when there is no document yet (a value
 * computed during a preview). A document that is not JSON is a statement-less string: reported
 * by the caller, since AWS would refuse it anyway.
 */
export function statementsOf(policy: unknown): Statement[] | undefined {
  if (policy === undefined || policy === null || policy === '') return undefined;
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  const statements = (doc as { Statement?: Statement | Statement[] }).Statement;
  if (statements === undefined) return [];
  return Array.isArray(statements) ? statements : [statements];
}

/** How a statement is named in a message: its Sid, else its position. */
export const statementLabel = (s: Statement, index: number): string => (s.Sid ? `statement "${s.Sid}"` : `statement ${index + 1}`);

export const isAllow = (s: Statement): boolean => s.Effect === 'Allow';

/** `*` or `service:*`: every action, or every action of a service. */
export const isWildcardAction = (action: string): boolean => action === '*' || /^[\w-]+:\*$/.test(action);
