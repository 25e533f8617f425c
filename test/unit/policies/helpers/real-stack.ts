/**
 * The real prod stack (the program under mocks, as `npm run policy -- --stack prod` captures it),
 * at `up` and as a first preview, captured once per test file, and one policy run over a copy
 * changed the way the mutation suite changes it (policies/mutations/target.ts). For rules whose
 * input is the whole alarm design (dozens of alarms, composites, topics, PagerDuty), where a
 * hand-made fixture would restate the program.
 */
import { captureStack, type CapturedStack } from '../../../../policies/lib/capture';
import { runPolicies } from '../../../../policies/lib/engine';
import { loadPackConfig } from '../../../../policies/lib/pack-config';
import { StackUnderMutation } from '../../../../policies/mutations/target';
import { POLICIES, policyNamed } from '../../../../policies/rules';
import { MODES, type Mode } from './policy-harness';

const captured = new Map<Mode, Promise<CapturedStack>>();
let queue: Promise<unknown> = Promise.resolve();

/** The prod stack in one mode (captures run one after the other: Pulumi's runtime state is global). */
export function prodIn(mode: Mode): Promise<CapturedStack> {
  if (!captured.has(mode)) {
    const next = queue.then(() => captureStack('prod', { preview: mode === 'preview' }));
    queue = next.catch(() => undefined);
    captured.set(mode, next);
  }
  return captured.get(mode)!;
}

export type Edit = (s: StackUnderMutation) => void;

/** What `policyName` reports over prod (with prod's policy config, `config` on top) after `edit`, in one mode. */
export async function prodViolationsIn(
  mode: Mode,
  policyName: string,
  edit: Edit = () => {},
  config: Record<string, unknown> = {},
): Promise<string[]> {
  const stack = new StackUnderMutation((await prodIn(mode)).resources);
  edit(stack);
  const pack = loadPackConfig('prod', POLICIES);
  const own = pack[policyName];
  const merged = { ...pack, [policyName]: { ...(typeof own === 'object' ? own : {}), ...config } };
  return (await runPolicies([policyNamed(policyName)], stack.resources, merged)).map((v) => v.message);
}

/** The same at `up` and at preview (the test fails otherwise), as policy-harness's `violations`. */
export async function prodViolations(policyName: string, edit?: Edit, config?: Record<string, unknown>): Promise<string[]> {
  const [up, preview] = [
    await prodViolationsIn(MODES[0]!, policyName, edit, config),
    await prodViolationsIn(MODES[1]!, policyName, edit, config),
  ];
  if (JSON.stringify(up) !== JSON.stringify(preview)) {
    throw new Error(
      `${policyName} reports differently at up and at preview:\n  up:      ${JSON.stringify(up)}\n  preview: ${JSON.stringify(preview)}`,
    );
  }
  return up;
}
