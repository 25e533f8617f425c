/**
 * The live dashboard in a real browser (Debian's Chromium through playwright-core): after a
 * scripted run of the local runtime the page loads, every widget of the deployed body renders
 * with its title, the numbers it shows are the database's, every alarm has a live state, and a
 * process's trace is one click from its id, its failed step marked. A screenshot is kept in
 * test-results/.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../../../../harness/browser';
import { FAST_ENV, isTerminal, useLocalRuntime } from '../../../../harness/local-runtime';
import { REPO_ROOT } from '../../../../infra/build/bundle';

const SCREENSHOTS = join(REPO_ROOT, 'test-results');
const body = JSON.parse(readFileSync(join(REPO_ROOT, 'dashboards/generated/prod.json'), 'utf8')) as {
  widgets: { properties: { title?: string } }[];
};

const legendSum = (page: Page, title: string, label: string) =>
  page.locator(`section.widget[data-title="${title}"] ul.legend li[data-label="${label}"]`).getAttribute('data-sum').then(Number);

describe('The live dashboard (/dashboard) in Chromium', () => {
  const fx = useLocalRuntime({ ...FAST_ENV, AIP_DASHBOARD_STACK: 'prod' });
  let browser: LaunchedBrowser;
  let page: Page;
  const ids = { completed: [] as string[], failed: '' };
  const requested: string[] = [];

  beforeAll(async () => {
    const rt = fx.rt;
    const token = await rt.token('operator-test');
    const start = async (body: unknown) => {
      const res = await rt.request('POST', '/v1/processes', { token, body });
      expect(res.status).toBe(202);
      return res.body.processId as string;
    };
    ids.completed.push(
      await start({ type: 'SUBGOAL_GENERATION', input: { goal: { title: 'Run a marathon' } } }),
      await start({ type: 'ACTION_GENERATION', input: { goal: { title: 'Run a marathon' }, subgoal: { title: 'Build endurance' } } }),
      await start({ type: 'TASK_GENERATION', input: { action: { title: 'Jog 5 km' } } }),
    );
    for (const id of ids.completed) await rt.poll(token, id, isTerminal);
    await rt.setFaults({ mode: 'error', count: 1000 });
    ids.failed = await start({ type: 'SUBGOAL_GENERATION', input: { goal: { title: 'This one fails' } } });
    await rt.poll(token, ids.failed, isTerminal);
    await rt.setFaults({ mode: 'none', count: 0 });
    browser = await launchBrowser();
    page = await browser.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${rt.url}/dashboard`);
    // The stack's body and alarms come from the offline run of the program: a few seconds.
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders every widget of the deployed body, with its title, in the body's order", async () => {
    const rendered = await page
      .locator('section.widget')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-title'), e.getAttribute('data-state'), e.getAttribute('data-type')]));
    expect(rendered.map(([title]) => title)).toEqual(body.widgets.map((w) => w.properties.title ?? ''));
    expect(rendered.filter(([, state]) => state !== 'rendered')).toEqual([]);
    const charts = await page.locator('section.widget[data-type="metric"] canvas').count();
    expect(charts).toBe(rendered.filter(([, , type]) => type === 'metric').length);
  });

  it('shows the numbers the database holds after the scripted run', async () => {
    const db = new Client({ connectionString: fx.db.url });
    await db.connect();
    const counts = Object.fromEntries(
      (await db.query('SELECT status, count(*)::int AS n FROM processing_state GROUP BY status')).rows.map((r) => [r.status, r.n]),
    );
    await db.end();
    const all = Object.values(counts).reduce((a: number, b) => a + Number(b), 0);
    expect(counts).toEqual({ COMPLETED: 3, FAILED: 1 });
    expect(await legendSum(page, '処理開始数の推移 (AsyncProcessingStarted)', 'all types')).toBe(all);
    const outcomes = '結果 (Completed / Failed / Timeout / Cancelled)';
    expect(await legendSum(page, outcomes, 'Completed')).toBe(counts.COMPLETED);
    expect(await legendSum(page, outcomes, 'Failed')).toBe(counts.FAILED);
    expect(await legendSum(page, outcomes, 'Timeout')).toBe(0);
  });

  it('gives every alarm of the stack its live state from the evaluator', async () => {
    const states = await page.locator('ul.alarms li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => !['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(s ?? ''))).toEqual([]);
  });

  it('loads everything from the runtime itself: no CDN, works offline', () => {
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((u) => !u.startsWith(`${fx.rt.url}/`))).toEqual([]);
    expect(requested.some((u) => /uplot/i.test(u))).toBe(true);
  });

  it('refreshes by itself: a process that ends after the page loaded shows without a reload', async () => {
    const started = '処理開始数の推移 (AsyncProcessingStarted)';
    const before = await legendSum(page, started, 'all types');
    const token = await fx.rt.token('operator-test');
    const res = await fx.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'TASK_GENERATION', input: { action: { title: 'Stretch' } } },
    });
    expect(res.status).toBe(202);
    await fx.rt.poll(token, res.body.processId, isTerminal);
    await page.waitForFunction(
      ([title, n]) =>
        Number(
          (globalThis as any).document
            .querySelector(`section.widget[data-title="${title}"] ul.legend li[data-label="all types"]`)
            ?.getAttribute('data-sum'),
        ) === n,
      [started, before + 1] as const,
      { timeout: 30_000 },
    );
    expect(await page.locator(`#processes tr[data-process="${res.body.processId}"]`).count()).toBe(1);
  });

  it('takes a screenshot', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(file).size).toBeGreaterThan(50_000);
  });

  it("opens a completed process's trace with one click from its id, showing every step", async () => {
    await page.click(`#processes tr[data-process="${ids.completed[0]}"] td:first-child a`);
    await page.waitForSelector('body[data-ready="true"]');
    const rows = await page
      .locator('.waterfall .row')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-span'), e.getAttribute('data-error')]));
    const names = rows.map(([n]) => n ?? '');
    expect(names.slice(0, 2)).toEqual(['API Gateway POST /v1/processes', 'Lambda async-processing-handler']);
    for (const step of ['StepFunctions.StartExecution', 'Begin', 'Complete']) expect(names).toContain(step);
    expect(names.filter((n) => n.startsWith('StepFunctions ') && n !== 'StepFunctions.StartExecution')).toHaveLength(1);
    expect(names.filter((n) => n === 'Generate')).toHaveLength(4);
    expect(names.filter((n) => n === 'bedrock.converse')).toHaveLength(4);
    expect(names.filter((n) => n === 'Lambda ai-generation-worker')).toHaveLength(6);
    expect(names.filter((n) => n.startsWith('pg.query ')).length).toBeGreaterThan(10);
    expect(rows.filter(([, error]) => error === 'true')).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'process-trace.png'), fullPage: true });
  });

  it('marks the failed step of a failed process, with its error', async () => {
    await page.goto(`${fx.rt.url}/dashboard`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#process-id', ids.failed);
    await page.click('#trace-form button');
    await page.waitForSelector('.waterfall .row');
    const failed = await page
      .locator('.waterfall .row.error')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-span'), e.querySelector('.detail')?.textContent ?? '']));
    const names = failed.map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(['Generate', 'Lambda ai-generation-worker', 'bedrock.converse']));
    expect(names.some((n) => n?.startsWith('StepFunctions ') && n !== 'StepFunctions.StartExecution')).toBe(true);
    expect(failed.find(([n]) => n === 'bedrock.converse')![1]).toMatch(/ModelError|ModelUnavailable|AI/i);
    expect(await page.locator('.waterfall .row[data-span="MarkFailed"]').count()).toBe(1);
    expect(await page.locator('#process dl').getAttribute('data-status')).toBe('FAILED');
  });
});
