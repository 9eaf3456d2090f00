/**
 * The dashboard's last-hedge-plan panel and Greeks heat map in a real browser (chromium through
 * playwright-core). A live session runs in-process on the scheduled −20 % day of
 * examples/live-crash.csv, trading a short strangle delta-gamma hedged with a listed ATM call and
 * the index (greek-hedge, src/live/plan-recorder.ts), with the escalation protocol. Before the crash
 * and after it has escalated, the page shows the plan of the state the server sends (`GET
 * /api/state`): the step, the level it was decided at, its status and reason, its estimated cost,
 * one row per leg with the contract's label and the trade, the solve's target and after-the-plan
 * Greeks; and a heat map of 1 asset × 6 columns (spot and the five expiry buckets) whose cells hold
 * exactly the state's `risk.heatmap` numbers for each of Δ, Γ and ν chosen with the selector. No
 * console error. Screenshots go to artifacts/browser/; HEDGEKIT_UPDATE_DOCS_IMG=1 also refreshes
 * docs/img/dashboard-plan.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-dashboard.ts';
import {
  type LiveServer,
  type LiveSession,
  type LiveState,
  loadLiveConfig,
  openLive,
  startLiveServer,
} from '../../src/api.ts';
import type { FeedEvent } from '../../src/live/feed/event.ts';
import { VirtualClock } from '../../src/live/feed/feed.ts';
import { fileEvents } from '../../src/live/feed/feed-server.ts';
import { launch } from './chromium.ts';
import { Gate } from './feed-gate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(root, 'artifacts', 'browser');
const POLL = { timeout: 30_000 };

let dir: string;
let browser: Awaited<ReturnType<typeof launch>>;
let session: LiveSession;
let server: LiveServer;
let gate: Gate;
let events: FeedEvent[];
let running: Promise<unknown>;

beforeAll(async () => {
  await buildDashboard(); // this file may run before dashboard.browser.ts, which also builds it
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-dashboard-plan-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const ex = join(root, 'examples');
  writeFileSync(
    join(dir, 'scenario.yaml'),
    readFileSync(join(ex, 'live-crash-scenario.yaml'), 'utf8')
      .replace('file: live-crash.csv', `file: ${JSON.stringify(join(ex, 'live-crash.csv'))}`)
      .replace(
        'benchmark: buy-and-hold',
        [
          '  - kind: greek-hedge',
          '    name: delta-gamma',
          '    neutralize: delta-gamma',
          '    book:',
          '      - { asset: SPX, type: put, strike: 0.95, expiry: 0.25, quantity: -1 }',
          '      - { asset: SPX, type: call, strike: 1.05, expiry: 0.25, quantity: -1 }',
          'benchmark: buy-and-hold',
        ].join('\n'),
      ),
  );
  const config = join(dir, 'live.yaml');
  writeFileSync(
    config,
    [
      'name: live-crash-delta-gamma',
      'scenario: scenario.yaml',
      'trade: delta-gamma',
      'feed: { kind: jsonl, file: "-" }',
      'session: { steps: 63 }',
      'health: { staleSeconds: 30, suspectSigmas: 8 }',
      'execution: { kind: paper, latencyMs: 0 }',
      'escalation: { dwellHours: 48 }',
      'store: live.sqlite',
      'api: { host: 127.0.0.1, port: 0 }',
      '',
    ].join('\n'),
  );
  const loaded = loadLiveConfig(config);
  events = fileEvents({ file: join(ex, 'live-crash.csv'), periodsPerYear: 252 });
  gate = new Gate(events);
  session = await openLive(loaded, { stdin: gate, clock: new VirtualClock(0) });
  server = await startLiveServer(session, loaded);
  running = session.run();
  browser = await launch();
});

afterAll(async () => {
  gate?.end();
  await running?.catch(() => undefined);
  await server?.close();
  session?.close();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What the page prints for a number (web/dashboard/format.ts `num`, `qty`). */
const num = (x: number | null, digits = 2) =>
  x === null || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const qty = (x: number) => String(Number(x.toPrecision(6)));

const text = async (page: Page, id: string) => (await page.getByTestId(id).first().textContent()) ?? '';
const apiState = async () => (await (await fetch(`${server.url}/api/state`)).json()) as LiveState;

/** Waits until the session has processed `lastSeq` and the page shows the API's step; returns it. */
async function settle(page: Page, lastSeq: number): Promise<LiveState> {
  await expect.poll(() => session.monitor.lastSeq, POLL).toBe(lastSeq);
  const st = await apiState();
  await expect.poll(() => text(page, 'step'), POLL).toBe(String(st.step));
  return st;
}

/** The plan panel and the heat map show the state's plan and grid. */
async function expectPage(page: Page, st: LiveState): Promise<void> {
  const plan = st.plan;
  expect(plan?.source).toBe('solver');
  if (!plan) return;
  const panel = page.getByTestId('plan');
  expect(await text(page, 'plan-step')).toBe(String(plan.step));
  expect(await page.getByTestId('plan-level').getAttribute('data-level')).toBe(plan.level);
  expect(await text(page, 'plan-status')).toBe(plan.status);
  expect(await panel.getByTestId('plan-reason').count()).toBe(plan.reason ? 1 : 0);
  if (plan.reason) expect(await text(page, 'plan-reason')).toBe(` — ${plan.reason}`);
  expect(await text(page, 'plan-cost')).toBe(num(plan.cost, 4));
  expect(plan.legs.length).toBeGreaterThan(0);
  expect(await panel.getByTestId('plan-contract').allTextContents()).toEqual(
    plan.legs.map((l) => l.contract),
  );
  expect(await panel.getByTestId('plan-trade').allTextContents()).toEqual(plan.legs.map((l) => qty(l.trade)));
  const g = plan.greeks[0];
  for (const k of ['cashDelta', 'cashGamma', 'vega'] as const) {
    expect(await text(page, `plan-after-${k}`)).toBe(num(g.after[k]));
    expect(await text(page, `plan-target-${k}`)).toBe(g.target[k] === null ? 'not set' : num(g.target[k]));
  }
  const h = st.risk?.heatmap;
  expect(h?.columns).toEqual(['spot', '≤1M', '1M–3M', '3M–6M', '6M–1Y', '>1Y']);
  if (!h) return;
  const map = page.getByTestId('heatmap');
  for (const k of ['cashDelta', 'cashGamma', 'vega'] as const) {
    await page.getByTestId(`heat-${k}`).click();
    await expect.poll(() => map.getAttribute('data-greek'), POLL).toBe(k);
    const cells = map.getByTestId('heat-cell');
    expect(await cells.count()).toBe(h.assets.length * h.columns.length);
    const values = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    expect(values.map(Number)).toEqual(h[k].flat());
    expect(await cells.allTextContents()).toEqual(h[k].flat().map((x) => num(x)));
    expect(await cells.first().getAttribute('title')).toContain(`${h.assets[0]} · spot`);
  }
  // the index hedge in the spot column, the options' delta in their expiry bucket
  expect(h.cashDelta[0][0]).not.toBe(0);
  expect(h.cashDelta[0].slice(1).some((x) => x !== 0)).toBe(true);
}

describe('the live dashboard: last hedge plan and Greeks heat map', () => {
  it('shows the delta-gamma solve and the heat map of the state the server sends, through the crash', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.getByTestId('link').filter({ hasText: 'live' }).waitFor();

    // before the crash: an executed solve at NORMAL
    let last = Number.NaN;
    const crash = events.findIndex((e) => {
      if (e.kind !== 'bar') return false;
      const hit = e.close < 0.85 * last;
      last = e.close;
      return hit;
    });
    expect(crash).toBeGreaterThan(0);
    const before = await settle(page, gate.releaseTo(crash));
    expect(before.plan?.status).toBe('executed');
    expect(before.plan?.level).toBe('NORMAL');
    await expectPage(page, before);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-plan-normal.png'), fullPage: true });

    // the crash print and its confirmation: the protocol escalates; the page follows the plan
    const confirm = events.findIndex((e, i) => i > crash && e.kind === 'bar');
    const after = await settle(page, gate.releaseTo(confirm + 1));
    expect(after.level).not.toBe('NORMAL');
    await expectPage(page, after);
    await page.getByTestId('heat-cashGamma').click();
    await page.evaluate('window.scrollTo(0, 0)'); // the sticky header back on top
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-plan-crash.png'), fullPage: true });
    if (process.env.HEDGEKIT_UPDATE_DOCS_IMG === '1')
      await page.screenshot({ path: join(root, 'docs/img/dashboard-plan.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
