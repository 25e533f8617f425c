/**
 * Resource-based policies (a bucket policy, a topic policy, a key policy) as the rules read them:
 * who a statement lets in. `*` is anyone, unless a condition narrows it; a service principal acts
 * for any account unless a source condition ties it to ours (the confused deputy).
 */
import { isUnknown, type Known } from './known';
import {
  NARROWING_KEYS,
  SOURCE_KEYS,
  asList,
  hasAnyCondition,
  isAllow,
  principalsOf,
  statementLabel,
  statementsOf,
  type Statement,
} from './policy-document';

const actionsOf = (s: Statement): string => asList(s.Action ?? s.NotAction).join(', ') || 'every action';

/** Allow statements open to anyone (`*`) without a narrowing condition, as message fragments. Unknown or absent documents have none. */
export function publicStatements(policy: Known<unknown>): string[] {
  if (isUnknown(policy)) return [];
  return (statementsOf(policy) ?? []).flatMap((s, i) => {
    const open = principalsOf(s.Principal).aws.includes('*') || s.NotPrincipal !== undefined;
    if (!isAllow(s) || !open || hasAnyCondition(s, NARROWING_KEYS)) return [];
    return [
      `${statementLabel(s, i)} lets anyone (Principal "*") ${actionsOf(s)} with no condition naming who (aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount, …)`,
    ];
  });
}

/** Allow statements that let a service principal in without tying it to this account or a resource. */
export function unscopedServiceStatements(policy: Known<unknown>): string[] {
  if (isUnknown(policy)) return [];
  return (statementsOf(policy) ?? []).flatMap((s, i) => {
    const services = principalsOf(s.Principal).services;
    if (!isAllow(s) || services.length === 0 || hasAnyCondition(s, SOURCE_KEYS)) return [];
    return [
      `${statementLabel(s, i)} lets ${services.join(', ')} ${actionsOf(s)} on behalf of any account: add a condition on aws:SourceArn or aws:SourceAccount`,
    ];
  });
}

/** Whether a document is unparseable JSON (reported: AWS refuses it, and nothing in it can be checked). */
export const unreadable = (policy: Known<unknown>): boolean =>
  typeof policy === 'string' && policy !== '' && statementsOf(policy)?.length === 0 && !/"Statement"\s*:\s*\[\s*\]/.test(policy);
