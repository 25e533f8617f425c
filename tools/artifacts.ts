/**
 * The generated, committed artefacts: the dashboard JSON of each stack and the runbook. The
 * `dashboards` script writes them; a test regenerates them and fails when the committed ones differ.
 */
import type { AlarmSpec } from '../observability/alarms/spec';
import { alarmSpecs } from '../observability/alarms/catalog';
import { renderRunbook, RUNBOOK_PATH } from '../observability/runbook';
import { buildDashboard } from '../observability/dashboard/body';
import { reviewResources, reviewSettings, STACKS } from './review-stacks';

export const dashboardPath = (stack: string): string => `dashboards/generated/${stack}.json`;

/** Path (from the repository root) → content. */
export function generatedArtifacts(): Record<string, string> {
  const files: Record<string, string> = {};
  const specsByStack: Record<string, AlarmSpec[]> = {};
  for (const stack of STACKS) {
    const resources = reviewResources(stack);
    const specs = alarmSpecs(resources);
    specsByStack[stack] = specs;
    files[dashboardPath(stack)] = `${JSON.stringify(buildDashboard(resources, specs, reviewSettings(stack).runbookUrl), null, 2)}\n`;
  }
  files[RUNBOOK_PATH] = `${renderRunbook(specsByStack)}\n`;
  return files;
}
