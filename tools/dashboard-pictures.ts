/**
 * The dashboard pictures for review (`npm run dashboards`): each stack's AsyncProcessing-Dashboard
 * as the live page of the local runtime draws it (local/dashboard: the deployed body's widgets,
 * uPlot, each alarm's state from the evaluator), after a scripted scenario run, photographed in
 * Debian's Chromium and written to dashboards/generated/<stack>.png.
 *
 * The live page rather than a separate SVG drawing: it is what an operator sees, the same code
 * the browser test checks, so a picture cannot drift from the dashboard. Its pixels depend on the
 * clock (the time axis), so the picture is not byte-for-byte reproducible; instead each PNG carries
 * the digest of what it shows (the stack's dashboard body and alarm specs) in a tEXt chunk, and a
 * test fails when the committed picture's digest is not the current source's.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alarmSpecs } from '../observability/alarms/catalog';
import { launchBrowser } from '../harness/browser';
import { freePort, isTerminal, LocalRuntime } from '../harness/local-runtime';
import { rawStackConfig } from '../infra/config/stack-file';
import { dashboardJson } from './artifacts';
import { readText, withText } from './png-text';
import { reviewResources, ROOT, STACKS } from './review-stacks';

export const picturePath = (stack: string): string => `dashboards/generated/${stack}.png`;
/** The tEXt keyword of the source digest. */
export const SOURCE_DIGEST_KEY = 'aip-dashboard-source-sha256';

/** sha256 of what a stack's picture shows: its dashboard body (as `npm run dashboards` writes it) and its alarms. */
export function pictureSourceDigest(stack: string, raw: Record<string, unknown> = rawStackConfig(stack)): string {
  return createHash('sha256')
    .update(dashboardJson(stack, raw))
    .update('\n')
    .update(JSON.stringify(alarmSpecs(reviewResources(stack, raw))))
    .digest('hex');
}

/** Why the committed picture of `stack` is not the current source's, or undefined when it is. */
export function staleness(stack: string, png: Buffer, digest = pictureSourceDigest(stack)): string | undefined {
  const shown = readText(png)[SOURCE_DIGEST_KEY];
  if (shown === undefined)
    return `${picturePath(stack)} does not say what it shows (no ${SOURCE_DIGEST_KEY}): run \`npm run dashboards\` and commit the result`;
  if (shown !== digest)
    return `${picturePath(stack)} shows an older dashboard or alarms than the program's: run \`npm run dashboards\` and commit the result`;
  return undefined;
}

/** The scenario: two processes of every type completed, two failed, one cancelled. */
async function scenario(rt: LocalRuntime): Promise<void> {
  const token = await rt.token('dashboard-picture');
  const start = async (body: unknown) => {
    const res = await rt.request('POST', '/v1/processes', { token, body });
    if (res.status !== 202) throw new Error(`start answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.processId as string;
  };
  const inputs = [
    { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'Run a marathon' } } },
    { type: 'ACTION_GENERATION', input: { goal: { title: 'Run a marathon' }, subgoal: { title: 'Build endurance' } } },
    { type: 'TASK_GENERATION', input: { action: { title: 'Jog 5 km' } } },
  ];
  const completed = await Promise.all([...inputs, ...inputs].map(start));
  for (const id of completed) await rt.poll(token, id, isTerminal, 60_000);
  await rt.setFaults({ mode: 'error', count: 1000 });
  const failed = await Promise.all(inputs.slice(0, 2).map(start));
  for (const id of failed) await rt.poll(token, id, isTerminal, 60_000);
  // A model call that hangs until its step's timeout keeps the process running long enough to cancel it.
  await rt.setFaults({ mode: 'timeout', count: 1000 });
  const cancelled = await start(inputs[0]);
  const answer = await rt.request('POST', `/v1/processes/${cancelled}/cancel`, { token });
  if (answer.status !== 200) throw new Error(`cancel answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  await rt.poll(token, cancelled, isTerminal, 60_000);
  await rt.setFaults({ mode: 'none', count: 0 });
}

/** Runs the scenario on a fresh runtime (embedded PostgreSQL) per stack and writes each picture. */
export async function renderPictures(stacks: readonly string[] = STACKS, log: (line: string) => void = console.log): Promise<void> {
  const browser = await launchBrowser();
  try {
    for (const stack of stacks) {
      const rt = await LocalRuntime.start({ env: { AIP_DASHBOARD_STACK: stack, AIP_PG_PORT: String(await freePort()) } });
      try {
        await scenario(rt);
        const page = await browser.browser.newPage({ viewport: { width: 1600, height: 1000 } });
        await page.goto(`${rt.url}/dashboard`);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
        const png = await page.screenshot({ fullPage: true });
        await page.close();
        const file = picturePath(stack);
        writeFileSync(
          join(ROOT, file),
          withText(png, { [SOURCE_DIGEST_KEY]: pictureSourceDigest(stack), Software: 'async-ai-pipeline npm run dashboards' }),
        );
        log(`wrote ${file} (${readFileSync(join(ROOT, file)).length} bytes)`);
      } finally {
        await rt.dispose();
      }
    }
  } finally {
    await browser.close();
  }
}
