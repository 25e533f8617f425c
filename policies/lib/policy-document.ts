/**
 * IAM policy documents as the rules read them: a resource's `policy` input may be JSON text or an
 * object, and `Action` / `Resource` may be a string or a list. Everything here is pure.
 */

export type Principal =
  | '*'
  | { readonly AWS?: string | string[]; readonly Service?: string | string[]; readonly Federated?: string | string[] };

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

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

/** A partial wildcard in an action: `s3:Get*`, `iam:*Policy`, `*:GetObject` (the whole-service `*` forms are isWildcardAction). */
export const isPartialWildcardAction = (action: string): boolean => /[*?]/.test(action) && !isWildcardAction(action);

/** The AWS principals (`*`, ARNs, account ids) and service principals a statement names. */
export function principalsOf(p: Principal | undefined): { aws: string[]; services: string[]; federated: string[] } {
  if (p === undefined) return { aws: [], services: [], federated: [] };
  if (p === '*') return { aws: ['*'], services: [], federated: [] };
  return { aws: asList(p.AWS), services: asList(p.Service), federated: asList(p.Federated) };
}

/** Condition keys a statement tests, lower-cased (IAM compares them case-insensitively). */
export const conditionKeys = (s: Statement): Set<string> =>
  new Set(Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey ?? {}).map((k) => k.toLowerCase())));

/** Keys that tie a service principal's request to this account or one resource (confused deputy). */
export const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths'];

/** Keys that narrow a `*` principal to someone in particular (an org, an account, a VPC endpoint, a source). */
export const NARROWING_KEYS = [
  ...SOURCE_KEYS,
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:principalorgpaths',
];

export const hasAnyCondition = (s: Statement, keys: readonly string[]): boolean => {
  const present = conditionKeys(s);
  return keys.some((k) => present.has(k));
};
