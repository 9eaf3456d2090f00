/**
 * Live monitoring (issue 9, "Performance"): a book of 200 written European options over 3 assets,
 * delta-gamma hedged (greek-hedge: a listed 3-month ATM call and the underlying per asset, solved
 * exactly per tick; trades when delta is off by more than 0.1 % of the option notional), driven by a
 * quote feed in tick mode: every quote is one engine step (the same EngineStepper back-tests use),
 * with feed health, the escalation protocol, the level gate, orders with their ids, the paper
 * broker and the SQLite ledger (WAL, synchronous=FULL) on disk. Shocked loss, Greeks and ladder
 * every 1,000 ticks.
 *
 * - `live-tick`: one ledger transaction (one fsync) per tick; unit = tick. Its accuracy column
 *   reports the tick-to-decision latency p50 / p99 / max in µs (event in → orders decided, written,
 *   committed, sent to the paper broker and its fills recorded) over the timed run, and the
 *   throughput. Goals: p99 ≤ 2 ms; ≥ 20,000 ticks/s.
 * - `live-tick-replay`: what a full-speed file replay does (`hedgekit live` with commitEvery 256):
 *   groups of 256 ticks per call, one transaction each; unit = tick (its figure is the throughput).
 * - `live-tick-batched`: the same replay with group commit (256 ticks per transaction, what
 *   `commitEvery` does for a full-speed file replay); unit = tick. Its latencies are per tick
 *   without the fsync (each tick in a savepoint of the group's transaction): the decision itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioSchema } from '../../src/config/scenario.ts';
import { createRng } from '../../src/core/rng.ts';
import { createEscalation } from '../../src/live/escalation/protocol.ts';
import type { FeedEvent } from '../../src/live/feed/event.ts';
import { VirtualClock } from '../../src/live/feed/feed.ts';
import { DEFAULT_HEALTH } from '../../src/live/feed/health.ts';
import { LedgerStore } from '../../src/live/ledger-store.ts';
import { LiveMonitor } from '../../src/live/monitor.ts';
import { PaperBroker } from '../../src/live/paper-broker.ts';
import { type BuiltScenario, buildScenario } from '../../src/scenario/build.ts';
import type { BenchWorkload } from '../types.ts';

const TICKS = 10_000;
const ASSETS = ['EQ1', 'EQ2', 'EQ3'];
/** Ticks per year: one quote a second over 6.5-hour days. */
const PER_YEAR = 252 * 6.5 * 3600;

function scenario(): BuiltScenario {
  const legs = [];
  // 200 written options: per asset 67 (66 on the last), strikes 80 %–120 % × expiries 3M–2Y, calls and puts
  const strikes = [0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2];
  const expiries = [0.25, 0.5, 0.75, 1, 1.5, 2];
  outer: for (const asset of ASSETS)
    for (const expiry of expiries)
      for (const strike of strikes)
        for (const type of ['call', 'put'] as const) {
          if (legs.length >= 200) break outer;
          if (legs.filter((l) => l.asset === asset).length >= 67) continue;
          legs.push({ asset, type, strike, expiry, quantity: -10 });
        }
  const s = ScenarioSchema.parse({
    name: 'live-tick',
    portfolio: {
      initialValue: 100_000,
      assets: ASSETS.map((name) => ({ name, class: 'equity', spot: 100, weight: 1 / 3 })),
    },
    floor: { level: 0.8 },
    // The scenario's grid is nominal here (a back-test's; scenario files cap it at 100,000): the
    // live monitor below takes its own steps per year, one quote a second.
    stepsPerYear: 252,
    rate: 0.03,
    markets: [{ kind: 'gbm', vols: [0.2, 0.2, 0.2] }],
    costs: { bps: { equity: 2 }, optionSpreadFraction: 0.01 },
    pricingVol: { kind: 'constant', vol: 0.2 },
    rebalance: { calendar: 1, deltaBand: 0.001 },
    strategies: [{ kind: 'greek-hedge', name: 'delta-gamma', book: legs, neutralize: 'delta-gamma' }],
  });
  return buildScenario(s, process.cwd());
}

function ticks(): FeedEvent[] {
  const rng = createRng(20261203);
  const z = new Float64Array(TICKS);
  rng.fillNormal(z);
  const px = [100, 100, 100];
  const sd = 0.2 / Math.sqrt(PER_YEAR / 3); // each asset quotes every third tick
  return Array.from({ length: TICKS }, (_, i) => {
    const a = i % 3;
    px[a] *= Math.exp(sd * z[i] - 0.5 * sd * sd);
    const mid = px[a];
    return {
      kind: 'quote',
      seq: i + 1,
      ts: 1_700_000_000_000 + i * 1000,
      instrument: ASSETS[a],
      bid: mid * 0.9999,
      ask: mid * 1.0001,
    };
  });
}

let built: BuiltScenario;
let events: FeedEvent[];
let lat = new Float64Array(0);
let latBatched = new Float64Array(0);
let lastLevel = '';
let lastOrders = 0;

function monitor(dir: string): { m: LiveMonitor; ledger: LedgerStore; close: () => void } {
  const ledger = new LedgerStore(join(dir, 'ledger.sqlite'), 'bench', 'live-tick');
  const broker = new PaperBroker({ costs: built.costs });
  const m = LiveMonitor.openFresh({
    run: 'bench',
    built,
    trade: 0,
    instruments: ASSETS,
    stepsPerYear: PER_YEAR,
    mode: 'tick',
    health: { ...DEFAULT_HEALTH, suspectSigmas: 0 },
    // opening the 200-leg book is ~200 orders in one step: the order-rate limit sits above it
    escalation: createEscalation({ orderRate: { watch: 300, halted: 600 } }),
    adapter: broker,
    ledger,
    risk: { multiplier: 4, shock: { spot: -0.1, volPoints: 10 }, every: 1000, index: 0, lambda: 0.94 },
    snapshotEvery: 5000,
    clock: new VirtualClock(0),
    attribution: false,
  });
  return {
    m,
    ledger,
    close: () => {
      if (process.env.LIVE_TICK_DEBUG)
        for (const e of ledger.events({ types: ['transition'] })) {
          const t = e.payload as { from: string; to: string; driver: string; value: unknown };
          console.error(e.seq, t.from, '->', t.to, t.driver, t.value);
        }
      lastLevel = m.level;
      lastOrders = ledger.counts().order ?? 0;
      ledger.close();
      broker.close();
    },
  };
}

/** A full-speed file replay as `hedgekit live` runs one (commitEvery = group): whole groups per call. */
function replay(group: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'hk-bench-live-'));
  const { m, close } = monitor(dir);
  try {
    for (let i = 0; i < TICKS; i += group) m.processBatchSync(events.slice(i, i + group));
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function once(batch: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'hk-bench-live-'));
  const { m, ledger, close } = monitor(dir);
  try {
    if (batch === 1) {
      lat = new Float64Array(TICKS);
      for (let i = 0; i < TICKS; i++) {
        const t0 = process.hrtime.bigint();
        m.processBatchSync([events[i]]);
        lat[i] = Number(process.hrtime.bigint() - t0);
      }
    } else {
      // each tick still goes through its own (nested: a savepoint) transaction, timed; the group's
      // outer transaction commits (one fsync) every `batch` ticks
      latBatched = new Float64Array(TICKS);
      for (let i = 0; i < TICKS; i += batch)
        ledger.transaction(() => {
          for (let k = i; k < Math.min(TICKS, i + batch); k++) {
            const t0 = process.hrtime.bigint();
            m.processBatchSync([events[k]]);
            latBatched[k] = Number(process.hrtime.bigint() - t0);
          }
        });
    }
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const workloads: BenchWorkload[] = [
  {
    name: 'live-tick',
    unit: 'tick',
    n: TICKS,
    reps: 2,
    description:
      '200 written options on 3 assets, delta-gamma hedged per quote; ledger on disk, one commit per tick',
    setup() {
      built = scenario();
      events = ticks();
    },
    run() {
      once(1);
    },
    accuracy() {
      const s = lat.slice().sort();
      const total = lat.reduce((a, b) => a + b, 0);
      return {
        p50us: pct(s, 0.5) / 1e3,
        p99us: pct(s, 0.99) / 1e3,
        maxus: s[s.length - 1] / 1e3,
        ticksPerSec: TICKS / (total / 1e9),
        orders: lastOrders,
        haltedAtEnd: lastLevel === 'HALTED' ? 1 : 0,
      };
    },
  },
  {
    name: 'live-tick-batched',
    unit: 'tick',
    n: TICKS,
    reps: 2,
    description: 'the same replay with group commit: 256 ticks per ledger transaction',
    setup() {
      built = scenario();
      events = ticks();
    },
    run() {
      once(256);
    },
    accuracy() {
      const s = latBatched.slice().sort();
      return {
        p50us: pct(s, 0.5) / 1e3,
        p99us: pct(s, 0.99) / 1e3,
        maxus: s[s.length - 1] / 1e3,
        orders: lastOrders,
      };
    },
  },
  {
    name: 'live-tick-replay',
    unit: 'tick',
    n: TICKS,
    reps: 2,
    description:
      'throughput of a full-speed replay: 256 ticks per processBatchSync (one ledger transaction, no per-tick savepoint)',
    setup() {
      built = scenario();
      events = ticks();
    },
    run() {
      replay(256);
    },
    accuracy() {
      return { orders: lastOrders, haltedAtEnd: lastLevel === 'HALTED' ? 1 : 0 };
    },
  },
];
