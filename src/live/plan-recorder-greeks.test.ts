/**
 * The plan's Greeks per hedged asset (PlanRecorder.settle: one pass over the lines for every solved
 * asset, planned quantities looked up in a small list) equal, bit for bit, the reference computation
 * the recorder used before — a map of planned quantities and a pass over the lines per solve — over
 * random one-path books, solves and targets (fast-check, seeded; zero, NaN and stale targets
 * included; the lines in a LineArena, read by slot, or not). The plan's contract labels are the lines' own `contractId(0)`, also after a freed
 * line's slot is reused by another contract.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { Book } from '../portfolio/book.ts';
import { costModel } from '../portfolio/costs.ts';
import type { HedgeGreek } from '../portfolio/plan-observer.ts';
import { TargetSink } from '../portfolio/target-sink.ts';
import { PlanRecorder } from './plan-recorder.ts';

const assets = ['A', 'B', 'C'].map((name) => ({ name, assetClass: 'equity' as const, spot: 100 }));

function view(spots: readonly number[]): MarketView {
  return testView(assets, spots, { step: 5, t: 0.2, date: '2026-12-03' });
}

const num = fc.oneof(
  { arbitrary: fc.integer({ min: -30, max: 30 }), weight: 2 },
  { arbitrary: fc.double({ min: -100, max: 100, noNaN: true }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0), weight: 1 },
);
const input = fc.record({
  lines: fc.array(
    fc.record({
      asset: fc.integer({ min: 0, max: 2 }),
      type: fc.constantFrom<'call' | 'put'>('call', 'put'),
      strike: fc.integer({ min: 50, max: 150 }),
      qty: num,
      delta: num,
      gamma: num,
      vega: num,
      /** Target of the plan: none, a quantity, or NaN (a dropped target). */
      target: fc.oneof(fc.constant(undefined), num, fc.constant(Number.NaN)),
    }),
    { maxLength: 12 },
  ),
  units: fc.array(num, { minLength: 3, maxLength: 3 }),
  unitTargets: fc.array(fc.oneof(fc.constant(undefined), num), { minLength: 3, maxLength: 3 }),
  solves: fc.array(
    fc.record({
      asset: fc.integer({ min: 0, max: 2 }),
      greeks: fc.constantFrom<HedgeGreek[]>(['delta', 'gamma'], ['delta', 'gamma', 'vega'], ['delta']),
      aim: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  spots: fc.array(fc.integer({ min: 50, max: 150 }), { minLength: 3, maxLength: 3 }),
});

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** The reference: the recorder's former per-solve computation (a map, a pass per solve). */
function reference(book: Book, v: MarketView, x: Input, ids: number[]) {
  const legs: { asset: number; lineId: number; proposed: number }[] = [];
  x.lines.forEach((l, k) => {
    if (l.target !== undefined) legs.push({ asset: l.asset, lineId: ids[k], proposed: l.target });
  });
  x.unitTargets.forEach((u, a) => {
    if (u !== undefined) legs.push({ asset: a, lineId: -1, proposed: u });
  });
  return x.solves.map((s) => {
    const a = s.asset;
    const planned = new Map<number, number>();
    let units = book.units[a][0];
    for (const l of legs) {
      if (l.asset !== a || Number.isNaN(l.proposed)) continue;
      if (l.lineId >= 0) planned.set(l.lineId, l.proposed);
      else units = l.proposed;
    }
    let delta = units;
    let gamma = 0;
    let vega = 0;
    for (const line of book.lines) {
      if (line.terms.asset !== a) continue;
      const q = planned.get(line.id) ?? line.qty[0];
      if (q === 0) continue;
      delta += q * line.greeks.delta[0];
      gamma += q * line.greeks.gamma[0];
      vega += q * line.greeks.vega[0];
    }
    const S = v.spot[a][0];
    const cash = (g: HedgeGreek, y: number) =>
      g === 'delta' ? y * S : g === 'gamma' ? (y * S * S) / 100 : y;
    const aim = (g: HedgeGreek) => {
      const k = s.greeks.indexOf(g);
      return k < 0 ? null : cash(g, s.aim ? 0.25 * (k + 1) : 0);
    };
    return {
      target: { cashDelta: aim('delta'), cashGamma: aim('gamma'), vega: aim('vega') },
      after: { cashDelta: cash('delta', delta), cashGamma: cash('gamma', gamma), vega },
    };
  });
}

function run(x: Input, lineArena: boolean) {
  const v = view(x.spots);
  const book = new Book(1, assets, 1000, { lineArena });
  // A line opened and freed first: the book's slots are reused, ids are not.
  const gone = book.openLine({ kind: 'option', asset: 0, type: 'call', style: 'european' }, v, 90, 1);
  book.releaseEmpty(false);
  const ids = x.lines.map((l) => {
    const terms: OptionTerms = { kind: 'option', asset: l.asset, type: l.type, style: 'european' };
    const id = book.openLine(terms, v, l.strike, 1);
    const line = book.line(id);
    if (!line) throw new Error('opened line missing');
    line.qty[0] = l.qty;
    line.greeks.delta[0] = l.delta;
    line.greeks.gamma[0] = l.gamma;
    line.greeks.vega[0] = l.vega;
    return id;
  });
  x.units.forEach((u, a) => {
    book.units[a][0] = u;
  });
  const sink = new TargetSink(book);
  sink.reset(v);
  const rec = new PlanRecorder();
  rec.begin();
  for (const s of x.solves)
    rec.solved({
      asset: s.asset,
      method: 'square',
      solves: s.greeks,
      ...(s.aim ? { aim: Float64Array.from(s.greeks, (_, k) => 0.25 * (k + 1)) } : {}),
      instruments: [...ids.filter((_, k) => x.lines[k].asset === s.asset), gone, -1],
    });
  x.lines.forEach((l, k) => {
    if (l.target !== undefined) sink.qty(ids[k])[0] = l.target;
  });
  x.unitTargets.forEach((u, a) => {
    if (u !== undefined) sink.units(a)[0] = u;
  });
  rec.proposed(book, sink);
  rec.gated(sink);
  const plan = rec.settle(book, v, { strategy: 's', level: 'NORMAL', ts: 0, costs: costModel() });
  return { plan, book, v, ids };
}

describe('PlanRecorder: the plan’s Greeks', () => {
  it('equal the per-solve reference bit for bit, and its labels are the lines’ own', () => {
    fc.assert(
      fc.property(input, fc.boolean(), (x, lineArena) => {
        const { plan, book, v, ids } = run(x, lineArena);
        expect(book.arena !== undefined).toBe(lineArena);
        const ref = reference(book, v, x, ids);
        expect(plan?.greeks.length).toBe(ref.length);
        plan?.greeks.forEach((g, k) => {
          for (const part of ['target', 'after'] as const)
            for (const key of ['cashDelta', 'cashGamma', 'vega'] as const)
              expect(Object.is(g[part][key], ref[k][part][key]), `${part}.${key}`).toBe(true);
          expect(g.asset).toBe(assets[x.solves[k].asset].name);
        });
        const labels = new Set(book.lines.map((l) => l.contractId(0)));
        for (const leg of plan?.legs ?? [])
          expect(labels.has(leg.contract) || leg.contract === leg.asset).toBe(true);
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('labels a line by its current contract: the same recorder, a freed slot reused at another strike', () => {
    const v = view([100, 100, 100]);
    const book = new Book(1, assets, 1000);
    const rec = new PlanRecorder();
    const terms: OptionTerms = { kind: 'option', asset: 1, type: 'put', style: 'european' };
    const plan = (id: number) => {
      const sink = new TargetSink(book);
      sink.reset(v);
      rec.begin();
      rec.solved({ asset: 1, method: 'square', solves: ['delta'], instruments: [id, -1] });
      sink.qty(id)[0] = 3;
      rec.proposed(book, sink);
      rec.gated(sink);
      return rec.settle(book, v, { strategy: 's', level: 'NORMAL', ts: 0, costs: costModel() });
    };
    const first = book.openLine(terms, v, 95, 0.5);
    expect(plan(first)?.legs[0].contract).toBe(book.line(first)?.contractId(0));
    book.releaseEmpty(false); // holds nothing: freed, its slot free
    const second = book.openLine(terms, v, 105, 0.5);
    const label = plan(second)?.legs[0].contract;
    expect(label).toBe(book.line(second)?.contractId(0));
    expect(label).toContain('105');
  });
});
