/**
 * The generated, committed artefacts: the dashboard JSON of each stack and the runbook. The
 * `dashboards` script writes them; a test regenerates them and fails when the committed ones differ.
 */
import type { AlarmSpec } from '../observability/alarms/spec';
import { alarmCatalog } from '../observability/alarms/catalog';
import type { CompositeSpec } from '../observability/alarms/composites';
import { renderRunbook, RUNBOOK_PATH } from '../observability/runbook';
import { buildDashboard } from '../observability/dashboard/body';
import { reviewResources, reviewSettings, STACKS } from './review-stacks';

export const dashboardPath = (stack: string): string => `dashboards/generated/${stack}.json`;

/** Path (from the repository root) → content. */
export function generatedArtifacts(): Record<string, string> {
  const files: Record<string, string> = {};
  const specsByStack: Record<string, AlarmSpec[]> = {};
  const compositesByStack: Record<string, CompositeSpec[]> = {};
  for (const stack of STACKS) {
    const resources = reviewResources(stack);
    const { metrics, composites } = alarmCatalog(resources);
    specsByStack[stack] = metrics;
    compositesByStack[stack] = composites;
    files[dashboardPath(stack)] = `${JSON.stringify(buildDashboard(resources, metrics, reviewSettings(stack).runbookUrl, composites), null, 2)}\n`;
  }
  files[RUNBOOK_PATH] = `${renderRunbook(specsByStack, compositesByStack)}\n`;
  return files;
}
