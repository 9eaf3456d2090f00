/**
 * Book.line (lines by id in an array) against a model map of the lines in use, over random
 * sequences of opens, frees and snapshot restores (fast-check, seeded): an id resolves to its line
 * while the line is open and never again once freed, also when its slot is reused; the target
 * sink's remembered slot follows a reused slot to its new line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { Book } from './book.ts';
import { TargetSink } from './target-sink.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
const v = testView(assets, [100], { t: 0, dt: 0 });
const terms: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };

const op = fc.oneof(
  fc.record({ kind: fc.constant('open' as const), strike: fc.integer({ min: 50, max: 150 }) }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const) }),
);

describe('Book.line', () => {
  it('resolves exactly the open lines by id, through frees, slot reuse and restores', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const book = new Book(1, assets, 1000);
        const sink = new TargetSink(book);
        sink.reset(v);
        const model = new Map<number, number>(); // id → strike
        let maxId = -1;
        for (const o of ops) {
          if (o.kind === 'open') {
            const id = book.openLine(terms, v, o.strike, 1);
            book.line(id)?.qty.fill(1);
            model.set(id, o.strike);
            maxId = Math.max(maxId, id);
            sink.qty(id)[0] = o.strike; // the sink's slot of the (possibly reused) slot's new line
            expect(sink.lineTargets[book.slots.indexOf(book.line(id) ?? book.slots[0])][0]).toBe(o.strike);
          } else if (o.kind === 'free' && model.size > 0) {
            const id = [...model.keys()][o.pick % model.size];
            book.line(id)?.qty.fill(0);
            book.releaseEmpty(false);
            model.delete(id);
          } else if (o.kind === 'restore') {
            const copy = new Book(1, assets, 1000);
            copy.restore(book.snapshot());
            book.restore(copy.snapshot());
          }
          for (let id = -1; id <= maxId + 1; id++) {
            const line = book.line(id);
            const strike = model.get(id);
            if (strike === undefined) expect(line).toBeUndefined();
            else {
              expect(line?.id).toBe(id);
              expect(line?.strike[0]).toBe(strike);
            }
          }
          expect(book.lines.map((l) => l.id).sort((a, b) => a - b)).toEqual(
            [...model.keys()].sort((a, b) => a - b),
          );
        }
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });
});
