/**
 * What the Pulumi program declares, for the monthly security audit to hold AWS against: each IAM
 * role's one inline policy (the program attaches no managed policy) and each security group's
 * rules. The program writes it as JSON next to the reports (infra/components/ops-reports.ts).
 */
export interface DeclaredRole {
  readonly roleName: string;
  readonly policyName: string;
  /** The policy document as the program set it (JSON text). */
  readonly policy: string;
}

export interface DeclaredRule {
  readonly groupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly protocol: string;
  readonly port: number;
  /** Exactly one of the two. */
  readonly peerGroupId?: string;
  readonly cidrIpv4?: string;
}

export interface Declared {
  readonly roles: readonly DeclaredRole[];
  readonly securityGroupRules: readonly DeclaredRule[];
}

/** A rule as one comparable string. */
export const ruleKey = (r: Omit<DeclaredRule, 'groupId'>): string =>
  `${r.direction} ${r.protocol}/${r.port} ${r.peerGroupId ? `from/to ${r.peerGroupId}` : r.cidrIpv4}`;

const LISTS = ['Action', 'NotAction', 'Resource', 'NotResource', 'Statement'];

/** JSON with object keys sorted and a single statement/action/resource as an array: two spellings of one policy compare equal. */
export function canonicalPolicy(text: string): string {
  const norm = (v: unknown, key?: string): unknown => {
    // IAM may answer a single statement, action or resource without its array.
    if (key && LISTS.includes(key) && !Array.isArray(v)) return norm([v]);
    if (Array.isArray(v)) return v.map((x) => norm(x)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k], k)]),
      );
    return v;
  };
  return JSON.stringify(norm(JSON.parse(text)));
}

/** Actions in one policy and not in the other, for an audit finding a person can act on. */
export function actionDiff(declared: string, actual: string): { added: string[]; removed: string[] } {
  const actions = (text: string): Set<string> => {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const stmts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return new Set(
      stmts.flatMap((s) => {
        const a = (s as { Action?: unknown }).Action;
        return (Array.isArray(a) ? a : [a]).filter((x): x is string => typeof x === 'string');
      }),
    );
  };
  const d = actions(declared);
  const a = actions(actual);
  return { added: [...a].filter((x) => !d.has(x)).sort(), removed: [...d].filter((x) => !a.has(x)).sort() };
}
