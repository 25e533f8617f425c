/** The real program's alarms for a stack: one offline run per test file, through the adapter. */
import { alarmsFromResources, type AdaptedAlarms } from '../../../../../observability/evaluator';
import { offline, type StackName } from '../../../infra/helpers/stacks';

const runs = new Map<StackName, Promise<AdaptedAlarms>>();

/** Every alarm the program deploys for `stack`, as evaluator definitions. */
export function programAlarms(stack: StackName): Promise<AdaptedAlarms> {
  if (!runs.has(stack))
    runs.set(
      stack,
      offline(stack).then((run) => alarmsFromResources(run.resources)),
    );
  return runs.get(stack)!;
}
