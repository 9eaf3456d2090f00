import { describe, expect, it } from 'vitest';
import type { OptionTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
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
