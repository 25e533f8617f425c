/**
 * The generated, committed artifacts, in two groups named for what they are: `npm run dashboards`
 * writes the dashboard JSON of each stack; `npm run docs` writes the documents (the runbook, the
 * OpenAPI contract, the README's generated regions). A test regenerates both and fails when a
 * committed file differs.
 */
import { alarmCatalog, type AlarmCatalog } from '../observability/alarms/catalog';
import { buildDashboard } from '../observability/dashboard/body';
import { renderRunbook, RUNBOOK_PATH } from '../observability/runbook';
import { rawStackConfig } from '../infra/config/stack-file';
import { OPENAPI_PATH, renderOpenApi } from '../infra/specs/openapi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadme } from './readme';
import { reviewContacts, reviewResources, reviewSettings, ROOT, STACKS } from './review-stacks';

export const dashboardPath = (stack: string): string => `dashboards/generated/${stack}.json`;

/** Its generated regions (tools/readme.ts); the rest is written by hand. */
const README = 'README.md';

export const ARTIFACT_GROUPS = ['dashboards', 'docs'] as const;
export type ArtifactGroup = (typeof ARTIFACT_GROUPS)[number];

function catalogsByStack(): Record<string, AlarmCatalog> {
  return Object.fromEntries(STACKS.map((stack) => [stack, alarmCatalog(reviewResources(stack))]));
}

const perStack = <T>(catalogs: Record<string, AlarmCatalog>, pick: (c: AlarmCatalog) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(catalogs).map(([stack, c]) => [stack, pick(c)]));

/** A stack's dashboard body as committed, from its stack config (`Pulumi.<stack>.yaml` unless given). */
export function dashboardJson(stack: string, raw: Record<string, unknown> = rawStackConfig(stack)): string {
  const resources = reviewResources(stack, raw);
  const catalog = alarmCatalog(resources);
  return `${JSON.stringify(buildDashboard(resources, catalog.metrics, reviewSettings(stack, raw).runbookUrl, catalog.composites), null, 2)}\n`;
}

const GENERATORS: Record<ArtifactGroup, () => Record<string, string>> = {
  dashboards: () => Object.fromEntries(STACKS.map((stack) => [dashboardPath(stack), dashboardJson(stack)])),
  docs: () => {
    const catalogs = catalogsByStack();
    return {
      [RUNBOOK_PATH]: `${renderRunbook(
        perStack(catalogs, (c) => c.metrics),
        perStack(catalogs, (c) => c.composites),
        Object.fromEntries(STACKS.map((s) => [s, reviewContacts(s)])),
      )}\n`,
      [OPENAPI_PATH]: renderOpenApi(),
      [README]: renderReadme(readFileSync(join(ROOT, README), 'utf8')),
    };
  },
};

/** Path (from the repository root) → content, of one group or of all. */
export function generatedArtifacts(groups: readonly ArtifactGroup[] = ARTIFACT_GROUPS): Record<string, string> {
  return Object.assign({}, ...groups.map((g) => GENERATORS[g]()));
}

/** The command that regenerates `path`. */
export const commandFor = (path: string): string =>
  `npm run ${ARTIFACT_GROUPS.find((g) => path in GENERATORS[g]()) ?? ARTIFACT_GROUPS.join(' / npm run ')}`;
