/**
 * Composite alarm rules (PutCompositeAlarm `AlarmRule`): ALARM(x), OK(x), INSUFFICIENT_DATA(x),
 * TRUE, FALSE, combined with AND, OR, NOT and parentheses; x an alarm name or ARN, in double
 * quotes or bare. The guide gives no precedence; as usual NOT binds tightest, then AND, then OR.
 */
import type { AlarmState } from '../types';

export type Rule =
  | { readonly type: 'constant'; readonly value: boolean }
  | { readonly type: 'state'; readonly state: AlarmState; readonly alarm: string }
  | { readonly type: 'not'; readonly rule: Rule }
  | { readonly type: 'and' | 'or'; readonly left: Rule; readonly right: Rule };

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

export function parseRule(text: string): Rule {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`Alarm rule "${text}": ${what} at position ${pos + 1}.`);
  };
  const skip = () => {
    while (/\s/.test(text[pos] ?? '')) pos++;
  };
  const word = (): string => {
    skip();
    const m = /^[A-Z_]+/.exec(text.slice(pos));
    return m ? m[0] : '';
  };
  const take = (w: string) => {
    if (word() !== w) return false;
    pos += w.length;
    return true;
  };

  const reference = (): string => {
    skip();
    let name: string;
    if (text[pos] === '"') {
      const end = text.indexOf('"', pos + 1);
      if (end < 0) fail('unclosed quote');
      name = text.slice(pos + 1, end);
      pos = end + 1;
    } else {
      const end = text.indexOf(')', pos);
      if (end < 0) fail('missing ")"');
      name = text.slice(pos, end).trim();
      pos = end;
    }
    skip();
    if (text[pos] !== ')') fail('expected ")"');
    pos++;
    if (!name) fail('empty alarm name');
    return name;
  };

  const primary = (): Rule => {
    skip();
    if (text[pos] === '(') {
      pos++;
      const inner = or();
      skip();
      if (text[pos] !== ')') fail('expected ")"');
      pos++;
      return inner;
    }
    if (take('TRUE')) return { type: 'constant', value: true };
    if (take('FALSE')) return { type: 'constant', value: false };
    if (take('NOT')) return { type: 'not', rule: primary() };
    const fn = word();
    const state = STATES.find((s) => s === fn);
    if (!state) return fail('expected ALARM(…), OK(…), INSUFFICIENT_DATA(…), TRUE, FALSE, NOT or "("');
    pos += fn.length;
    skip();
    if (text[pos] !== '(') fail(`expected "(" after ${fn}`);
    pos++;
    return { type: 'state', state, alarm: reference() };
  };
  const and = (): Rule => {
    let left = primary();
    while (take('AND')) left = { type: 'and', left, right: primary() };
    return left;
  };
  const or = (): Rule => {
    let left = and();
    while (take('OR')) left = { type: 'or', left, right: and() };
    return left;
  };

  const rule = or();
  skip();
  if (pos < text.length) fail('unexpected text');
  return rule;
}

/** Every alarm a rule reads. */
export function ruleAlarms(rule: Rule): string[] {
  switch (rule.type) {
    case 'state':
      return [rule.alarm];
    case 'not':
      return ruleAlarms(rule.rule);
    case 'and':
    case 'or':
      return [...ruleAlarms(rule.left), ...ruleAlarms(rule.right)];
    default:
      return [];
  }
}

export function evaluateRule(rule: Rule, stateOf: (alarm: string) => AlarmState): boolean {
  switch (rule.type) {
    case 'constant':
      return rule.value;
    case 'state':
      return stateOf(rule.alarm) === rule.state;
    case 'not':
      return !evaluateRule(rule.rule, stateOf);
    case 'and':
      return evaluateRule(rule.left, stateOf) && evaluateRule(rule.right, stateOf);
    case 'or':
      return evaluateRule(rule.left, stateOf) || evaluateRule(rule.right, stateOf);
  }
}
