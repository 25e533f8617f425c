/**
 * Composite alarm rule syntax, with the user guide's examples.
 * Source: Amazon CloudWatch User Guide, "Creating a composite alarm" (rule expressions),
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html,
 * and the PutCompositeAlarm API reference (AlarmRule),
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import { evaluateRule, parseRule } from '../../../../observability/evaluator/composite/rule';
import type { AlarmState } from '../../../../observability/evaluator';

const states = (s: Record<string, AlarmState>) => (name: string) => s[name] ?? 'INSUFFICIENT_DATA';

describe("the guide's examples", () => {
  const both = 'ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)';
  const unlessDeploying = 'ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)';
  const unlessNetwork = '(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)';
  const quoted = '(ALARM("CPUUtilizationTooHigh") OR \nALARM("DiskReadOpsTooHigh")) AND \nOK("NetworkOutTooHigh")';

  it.each([
    [both, { CPUUtilizationTooHigh: 'ALARM', DiskReadOpsTooHigh: 'ALARM' }, true],
    [both, { CPUUtilizationTooHigh: 'ALARM', DiskReadOpsTooHigh: 'OK' }, false],
    [unlessDeploying, { CPUUtilizationTooHigh: 'ALARM', DeploymentInProgress: 'OK' }, true],
    [unlessDeploying, { CPUUtilizationTooHigh: 'ALARM', DeploymentInProgress: 'ALARM' }, false],
    [unlessNetwork, { DiskReadOpsTooHigh: 'ALARM', NetworkOutTooHigh: 'OK' }, true],
    [unlessNetwork, { DiskReadOpsTooHigh: 'ALARM', NetworkOutTooHigh: 'ALARM' }, false],
    [unlessNetwork, { DiskReadOpsTooHigh: 'ALARM' }, false], // NetworkOutTooHigh is INSUFFICIENT_DATA, not OK
    [quoted, { CPUUtilizationTooHigh: 'ALARM', NetworkOutTooHigh: 'OK' }, true],
  ] as const)('%s with %j is %s', (rule, children, expected) => {
    expect(evaluateRule(parseRule(rule), states(children))).toBe(expected);
  });
});

describe('functions and constants', () => {
  it.each([
    ['TRUE', true],
    ['FALSE', false],
    ['NOT FALSE', true],
    ['INSUFFICIENT_DATA(fresh)', true],
    ['OK(fresh)', false],
    ['ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:fresh") OR TRUE', true],
    // NOT before AND before OR
    ['NOT TRUE AND FALSE OR TRUE', true],
    ['FALSE AND FALSE OR TRUE', true],
    ['FALSE AND (FALSE OR TRUE)', false],
  ])('%s is %s', (rule, expected) => {
    expect(evaluateRule(parseRule(rule), states({}))).toBe(expected);
  });

  it('reads names with spaces and ARNs, quoted or bare', () => {
    const rule = parseRule('ALARM("my alarm (eu)") OR ALARM(arn:aws:cloudwatch:eu-west-1:123456789012:alarm:other)');
    expect(rule).toEqual({
      type: 'or',
      left: { type: 'state', state: 'ALARM', alarm: 'my alarm (eu)' },
      right: { type: 'state', state: 'ALARM', alarm: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:other' },
    });
  });
});

describe('errors', () => {
  it.each([
    ['ALARM(a) AND', /expected ALARM\(…\), OK\(…\), INSUFFICIENT_DATA\(…\), TRUE, FALSE, NOT or "\(" at position 13/],
    ['ALARM(a', /missing "\)"/],
    ['ALARM("a)', /unclosed quote/],
    ['WARNING(a)', /expected ALARM/],
    ['ALARM()', /empty alarm name/],
    ['(ALARM(a)', /expected "\)"/],
    ['ALARM(a) ALARM(b)', /unexpected text at position 10/],
  ])('%s fails with a message that says where', (rule, message) => {
    expect(() => parseRule(rule)).toThrow(message);
  });
});
