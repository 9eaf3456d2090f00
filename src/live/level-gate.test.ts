import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import { Book } from '../portfolio/book.ts';
import { TargetSink } from '../portfolio/target-sink.ts';
import { levelPolicy } from './escalation/admissible.ts';
import { gateTargets } from './level-gate.ts';

const assets = [{ name: 'SPX', assetClass: 'equity' as const, spot: 100 }];
const shock = { spot: -0.1, volPoints: 10 };

function setup() {
  const view = testView(assets, [100], {
    t: 0.1,
    dt: 1 / 252,
    dtNext: 1 / 252,
    stepsPerYear: 252,
    vol: [Float64Array.of(0.2)],
  });
  const book = new Book(1, assets, 100);
  book.units[0][0] = 1; // long one unit of the index
  book.cash[0] = 0;
  const sink = new TargetSink(book);
  sink.reset(view);
  return { view, book, sink };
}

describe('level gate', () => {
  it('passes every target at NORMAL and WATCH', () => {
    for (const level of ['NORMAL', 'WATCH'] as const) {
      const { view, book, sink } = setup();
      sink.units(0)[0] = 3;
      expect(gateTargets(levelPolicy(level), book, view, sink, shock)).toBe(0);
      expect(sink.unitTargets[0][0]).toBe(3);
    }
  });

  it('drops every target when HALTED', () => {
    const { view, book, sink } = setup();
    sink.units(0)[0] = 3;
    const put = sink.open({ kind: 'option', asset: 0, type: 'put', style: 'european' }, 95, 0.35);
    sink.qty(put)[0] = 1;
    expect(gateTargets(levelPolicy('HALTED'), book, view, sink, shock)).toBe(2);
    expect(sink.hasUnits[0][0]).toBe(0);
    expect(sink.hasQty.every((h) => h[0] === 0)).toBe(true);
  });

  it('at DE-RISK admits buying puts and reducing the long, refuses adding to it and flipping short', () => {
    const { view, book, sink } = setup();
    const put = sink.open({ kind: 'option', asset: 0, type: 'put', style: 'european' }, 95, 0.35);
    sink.qty(put)[0] = 0.5;
    sink.units(0)[0] = 0.6;
    expect(gateTargets(levelPolicy('DE-RISK'), book, view, sink, shock)).toBe(0);
    expect([sink.lineTargets[sink.touched[0]][0], sink.unitTargets[0][0]]).toEqual([0.5, 0.6]);

    const more = setup();
    more.sink.units(0)[0] = 1.5;
    expect(gateTargets(levelPolicy('DE-RISK'), more.book, more.view, more.sink, shock)).toBe(1);
    expect(more.sink.unitTargets[0][0]).toBe(1);

    const flip = setup();
    flip.sink.units(0)[0] = -0.5;
    expect(gateTargets(levelPolicy('DE-RISK'), flip.book, flip.view, flip.sink, shock)).toBe(1);
    expect(flip.sink.unitTargets[0][0]).toBe(1);
  });

  it('at PROTECT moves to cash at once (forced) and keeps the puts held', () => {
    const { view, book, sink } = setup();
    expect(gateTargets(levelPolicy('PROTECT'), book, view, sink, shock)).toBe(0);
    expect([sink.unitTargets[0][0], sink.hasUnits[0][0], sink.force[0]]).toEqual([0, 1, 1]);
  });
});
