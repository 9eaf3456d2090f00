/**
 * The last hedge plan (plan-recorder.ts) on a live replay of the scheduled −20 % day
 * (examples/live-crash.csv): a short strangle delta-gamma hedged with a listed 3-month ATM call and
 * the index (greek-hedge). The plan of every step is the strategy's own solve: its Greeks after the
 * plan equal the book's Greeks after the fill (the state's risk report, by full revaluation) when it
 * was executed, its aim (Δ = Γ = 0) is met, its estimated cost is what the orders paid; once the
 * crash escalates the protocol, plans are refused by the level gate and say at which level. CPPI,
 * which has no solver, shows its last rebalance instead.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLiveConfig } from './config.ts';
import { VirtualClock } from './feed/feed.ts';
import type { LiveState } from './live-state.ts';
import { openLive } from './run-live.ts';

const cwd = process.cwd();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The crash scenario with a delta-gamma hedged short strangle added; live config trading `trade`. */
function config(trade: string, escalation: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'hk-plan-'));
  dirs.push(dir);
  const scenario = readFileSync(join(cwd, 'examples/live-crash-scenario.yaml'), 'utf8')
    .replace('file: live-crash.csv', `file: ${JSON.stringify(join(cwd, 'examples/live-crash.csv'))}`)
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
    );
  writeFileSync(join(dir, 'scenario.yaml'), scenario);
  const file = join(dir, 'live.yaml');
  writeFileSync(
    file,
    [
      'name: plan-test',
      'scenario: scenario.yaml',
      `trade: ${trade}`,
      `feed: { kind: replay, file: ${JSON.stringify(join(cwd, 'examples/live-crash.csv'))}, columns: { SPX: SPX } }`,
      'health: { suspectSigmas: 0 }',
      escalation ? 'escalation: { dwellHours: 48 }' : '',
      'store: ledger.sqlite',
      '',
    ].join('\n'),
  );
  return file;
}

async function replay(trade: string, escalation: boolean): Promise<LiveState[]> {
  const states: LiveState[] = [];
  const s = await openLive(loadLiveConfig(config(trade, escalation)), {
    clock: new VirtualClock(0),
    onState: (x) => states.push(x),
  });
  try {
    await s.run();
  } finally {
    s.close();
  }
  return states;
}

/** One state per engine step: the one published with the step (orders of that step). */
function perStep(states: LiveState[]): LiveState[] {
  const by = new Map<number, LiveState>();
  for (const st of states) if (st.step >= 0 && !by.has(st.step)) by.set(st.step, st);
  return [...by.values()];
}

describe('the last hedge plan of the live book', () => {
  it('is the delta-gamma solve of the step; executed, its Greeks after equal the book after the fill', async () => {
    const steps = perStep(await replay('delta-gamma', false));
    const solved = steps.filter((st) => st.plan?.source === 'solver' && st.plan.step === st.step);
    expect(solved.length).toBeGreaterThan(40); // every step while the strangle lives
    let compared = 0;
    for (const st of solved) {
      const plan = st.plan;
      const risk = st.risk;
      if (!plan || !risk) continue;
      expect(plan.strategy).toBe('delta-gamma');
      expect(plan.greeks.map((g) => [g.asset, g.method, g.solves])).toEqual([
        ['SPX', 'square', ['delta', 'gamma']],
      ]);
      const hedges = plan.legs.filter((l) => l.role === 'hedge');
      // the listed call and the index, labelled as contracts
      expect(hedges.map((l) => l.contract)).toEqual([
        expect.stringMatching(/^SPX call K=[\d.]+ T=[\d.]+$/),
        'SPX',
      ]);
      for (const l of plan.legs) expect(l.trade).toBeCloseTo(l.target - l.held, 12);
      if (plan.status !== 'executed') continue;
      compared++;
      const g = plan.greeks[0];
      const a = risk.perAsset[0];
      // Two computations of the same book: the plan sums the engine's marks with the plan's
      // quantities, the risk report revalues the book after the fill (src/risk/book-greeks.ts).
      // Both are Black–Scholes at the step's pricing vol, so they differ by rounding of the sums:
      // a few ulps of the gross Σ|qᵢ·Greekᵢ| of the lines (the book's lines' own marks, below).
      const book = st.book;
      const gross =
        (book?.lines ?? []).reduce((s, x) => s + Math.abs(x.qty) * a.spot, 0) +
        Math.abs(book?.units.SPX ?? 0) * a.spot;
      const tol = 64 * Number.EPSILON * gross;
      expect(Math.abs(g.after.cashDelta - a.cashDelta)).toBeLessThanOrEqual(tol);
      expect(Math.abs(g.after.cashGamma - a.cashGamma)).toBeLessThanOrEqual(tol);
      expect(Math.abs(g.after.vega - a.vega)).toBeLessThanOrEqual(tol);
      // the solve's aim is met: delta and gamma neutral
      expect(g.target).toEqual({ cashDelta: 0, cashGamma: 0, vega: null });
      expect(Math.abs(g.after.cashDelta)).toBeLessThanOrEqual(tol);
      expect(Math.abs(g.after.cashGamma)).toBeLessThanOrEqual(tol);
      // the estimated cost is what the step's orders paid
      const paid = st.orders.filter((o) => o.step === st.step).reduce((s, o) => s + o.cost, 0);
      expect(Math.abs(plan.cost - paid)).toBeLessThanOrEqual(1e-12 * (1 + paid));
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('says at which escalation level a plan was refused once the crash escalates', async () => {
    const steps = perStep(await replay('delta-gamma', true));
    const refused = steps.filter(
      (st) => st.plan?.step === st.step && st.plan.legs.some((l) => l.status === 'refused'),
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const st of refused) {
      const plan = st.plan;
      expect(plan?.level).not.toBe('NORMAL');
      expect(plan?.status).not.toBe('executed');
      expect(plan?.reason).toContain(`refused by the level gate at ${plan?.level}`);
      // what was refused did not trade: no order of that step for it
      for (const l of plan?.legs ?? [])
        if (l.status === 'refused')
          expect(
            st.orders.some((o) => o.step === st.step && o.instrument === l.contract && o.qty === l.trade),
          ).toBe(false);
    }
  });

  it('is the same after a restart from the ledger (kept in the snapshots)', async () => {
    const file = config('delta-gamma', false);
    const first = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
    await first.run();
    const plan = first.monitor.state().plan;
    first.close();
    expect(plan?.source).toBe('solver');
    const again = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
    try {
      expect(again.monitor.state().plan).toEqual(plan);
    } finally {
      again.close();
    }
  });

  it('shows the last rebalance of a strategy without a solver (CPPI)', async () => {
    const steps = perStep(await replay('cppi m=4', false));
    const last = steps[steps.length - 1];
    const plan = last.plan;
    expect(plan?.source).toBe('rebalance');
    expect(plan?.greeks).toEqual([]);
    expect(plan?.legs.length).toBeGreaterThan(0);
    expect(plan?.legs.every((l) => l.contract === 'SPX' && l.role === 'target')).toBe(true);
    // recorded at a step where CPPI traded: its legs are that step's orders
    const at = steps.find((st) => st.step === plan?.step);
    expect(plan?.status).toBe('executed');
    expect(at?.orders.filter((o) => o.step === plan?.step).map((o) => o.qty)).toEqual(
      plan?.legs.map((l) => l.trade),
    );
  });
});
