import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import { uniforms } from '../../test/support/uniform.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { ExecArena } from '../wasm/exec-kernel.ts';
import { Book } from './book.ts';
import { costModel } from './costs.ts';
import { executeTargets } from './execute.ts';
import { Ledger } from './ledger.ts';
import { TargetSink } from './target-sink.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
const view = (t = 0, spot = [100, 100, 100]): MarketView => ({
  nPaths: 3,
  assets,
  step: t === 0 ? 0 : 1,
  t,
  dt: t,
  dtNext: 1 / 252,
  final: false,
  end: 1,
  stepsPerYear: 252,
  rate: 0.02,
  spot: [Float64Array.from(spot)],
  vol: [new Float64Array(3)],
  logReturn: [new Float64Array(3)],
  date: undefined,
});
const put: OptionTerms = { kind: 'option', asset: 0, type: 'put', style: 'european' };
const vols = pricingVol({ kind: 'constant', vol: 0.2 });

describe('TargetSink: explicit has-target masks, lines opened and closed at any step', () => {
  it('a path whose mask is cleared keeps its holding; NaN is never a "no target" sentinel', () => {
    const book = new Book(3, assets, 100);
    const sink = new TargetSink(book);
    const v = view();
    sink.reset(v);
    const u = sink.units(0);
    u.set([0.5, 0.6, 0.7]);
    sink.hasUnits[0][1] = 0; // leave path 1 alone
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 1, 1), costModel());
    expect(Array.from(book.units[0])).toEqual([0.5, 0, 0.7]);
    // After reset nothing is targeted: the same array values do not trade again.
    sink.reset(v);
    u.set([9, 9, 9]);
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 1, 1), costModel());
    expect(Array.from(book.units[0])).toEqual([0.5, 0, 0.7]);
  });

  it('opens lines at per-path strikes, trades them in touch order, and a closed line frees its place', () => {
    const book = new Book(3, assets, 100);
    const sink = new TargetSink(book);
    const ledger = new Ledger(3, 0, [0]);
    const v = view();
    sink.reset(v);
    const a = sink.open(put, Float64Array.of(90, 95, 100), 0.25);
    const b = sink.open({ ...put, type: 'call' }, 110, 0.5);
    sink.qty(a).fill(2);
    sink.qty(b).fill(-1);
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 1, 1), costModel(), ledger);
    expect(book.lines.map((l) => l.id)).toEqual([a, b]);
    expect(Array.from(book.line(a)!.strike)).toEqual([90, 95, 100]);
    expect(ledger.records.map((r) => [r.instrument, r.qty])).toEqual([
      ['EQ put K=90 T=0.25', 2],
      ['EQ call K=110 T=0.5', -1],
    ]);
    // Close the put: it trades back at its mark and its id no longer resolves.
    sink.reset(v);
    sink.close(a);
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 1, 1), costModel(), ledger);
    expect(book.line(a)).toBeUndefined();
    expect(book.lines.map((l) => l.id)).toEqual([b]);
    // A new line takes the freed slot under a fresh id; the stale id stays unresolved.
    sink.reset(v);
    const c = sink.open(put, 80, 1);
    expect(c).not.toBe(a);
    expect(book.line(a)).toBeUndefined();
    expect(book.slots.length).toBe(2);
    // Writing to a stale id is harmless: it trades nothing.
    sink.qty(a).fill(5);
    sink.qty(c).fill(1);
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 1, 1), costModel());
    expect(Array.from(book.line(c)!.qty)).toEqual([1, 1, 1]);
  });

  it('option trades obey the rebalancing mask like asset trades (force is what overrides it)', () => {
    const book = new Book(3, assets, 100);
    const sink = new TargetSink(book);
    const v = view();
    sink.reset(v);
    const a = sink.open(put, 95, 0.25);
    sink.qty(a).fill(1);
    executeTargets(book, v, vols, sink, Uint8Array.of(1, 0, 1), costModel());
    expect(Array.from(book.line(a)!.qty)).toEqual([1, 0, 1]);
  });

  it('a line that expired on every path is settled into cash and freed at the next mark', () => {
    const book = new Book(3, assets, 100);
    const sink = new TargetSink(book);
    const v0 = view();
    sink.reset(v0);
    const a = sink.open(put, 100, 0.1);
    sink.qty(a).fill(1);
    executeTargets(book, v0, vols, sink, Uint8Array.of(1, 1, 1), costModel());
    const cash = Array.from(book.cash);
    book.mark(view(0.1, [90, 100, 110]), vols);
    expect(book.line(a)).toBeUndefined();
    expect(Array.from(book.cash)).toEqual([cash[0] + 10, cash[1], cash[2]]);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TargetSink.hedgeUnits', () => {
  it('gives ratio·qty·greek where a position is held, +0 where not: in WebAssembly the JavaScript loop’s bits', () => {
    // Books of 64+ paths: their first lines' quantities and Δ live in the executor's memory with the
    // unit targets, so the kernel runs (counted); a line past those rows, or plain arrays, take the
    // loop. Quantities include ±0 and NaN, Greeks NaN and ±∞, odd path counts.
    const spy = vi.spyOn(ExecArena.prototype, 'hedgeUnits');
    const pick = (u: () => number, xs: readonly number[]) => xs[Math.floor(u() * xs.length)];
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 131 }),
        fc.integer(),
        fc.constantFrom(-1, 0.5, -0, 3),
        (n, seed, ratio) => {
          const u = uniforms(seed);
          const book = new Book(n, assets, 100);
          const sink = new TargetSink(book);
          const v = testView(assets, [100], { nPaths: n, t: 0 });
          const id = book.openLine(put, v, 95, 1);
          const line = book.line(id);
          if (!line) return false;
          for (let p = 0; p < n; p++) {
            line.qty[p] = pick(u, [0, -0, 1, -2, Number.NaN, 0.25 + u()]);
            line.greeks.delta[p] = pick(u, [Number.NaN, Infinity, -Infinity, 0, -0.5 + u()]);
          }
          sink.reset(v);
          sink.hedgeUnits(0, line.qty, line.greeks.delta, ratio);
          const got = sink.units(0);
          for (let p = 0; p < n; p++) {
            const q = line.qty[p];
            const want = q === 0 ? 0 : ratio * q * line.greeks.delta[p];
            if (!Object.is(got[p], want)) return false;
          }
          // Plain arrays: the loop, the same values.
          const plainQ = Float64Array.from(line.qty);
          const plainG = Float64Array.from(line.greeks.delta);
          const before = Float64Array.from(got);
          sink.hedgeUnits(0, plainQ, plainG, ratio);
          return sink.units(0).every((x, p) => Object.is(x, before[p]));
        },
      ),
      { numRuns: 120, seed: 20261204 },
    );
    // Per case: the kernel for the line's arrays, false for the plain ones.
    expect(spy.mock.results.map((r) => r.value)).toEqual(Array.from({ length: 240 }, (_, i) => i % 2 === 0));
  });
});
