/**
 * The generated, committed artefacts: the dashboard JSON of each stack and the runbook. The
 * `dashboards` script writes them; a test regenerates them and fails when the committed ones differ.
 */
import type { AlarmPlan } from '../infra/observability/plan/alarm-plan';
import { planAlarms } from '../infra/observability/plan/catalog';
import { renderRunbook, RUNBOOK_PATH } from '../infra/observability/plan/runbook';
import { buildDashboard } from './dashboard';
import { reviewResources, reviewSettings, STACKS } from './stacks';

export const dashboardPath = (stack: string): string => `dashboards/generated/${stack}.json`;

/** Path (from the repository root) → content. */
export function generatedArtifacts(): Record<string, string> {
  const files: Record<string, string> = {};
  const plansByStack: Record<string, AlarmPlan[]> = {};
  for (const stack of STACKS) {
    const resources = reviewResources(stack);
    const plans = planAlarms(resources);
    plansByStack[stack] = plans;
    files[dashboardPath(stack)] = `${JSON.stringify(buildDashboard(resources, plans, reviewSettings(stack).runbookUrl), null, 2)}\n`;
  }
  files[RUNBOOK_PATH] = `${renderRunbook(plansByStack)}\n`;
  return files;
}
