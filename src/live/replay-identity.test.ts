/**
 * The live monitor is the back-test engine driven by a feed: replaying a history file at full
 * speed gives, for every strategy, the value path and the trade list of `hedgekit run` on the same
 * window, bit for bit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../config/scenario-load.ts';
import { buildScenario } from '../scenario/build.ts';
import { runScenario } from '../scenario/run.ts';
import { loadLiveConfig } from './config.ts';
import { VirtualClock } from './feed/feed.ts';
import { openLive } from './run-live.ts';

const SCENARIO = 'src/live/fixtures/scenario-2008.yaml';

function liveConfig(dir: string, extra = ''): string {
  const file = join(dir, 'live.yaml');
  writeFileSync(
    file,
    `name: identity
scenario: ${join(process.cwd(), SCENARIO)}
trade: cppi m=4
feed:
  kind: replay
  file: ${join(process.cwd(), 'data/sp500.csv')}
  columns: { SPX: close }
  from: 2008-09-02
  to: 2008-10-31
  speed: max
health: { suspectSigmas: 0 }
store: ${join(dir, 'ledger.sqlite')}
snapshotEvery: 7
${extra}`,
  );
  return file;
}

describe('live replay = back-test', () => {
  it.each([1, 64])(
    'gives every strategy the value path and trade list of hedgekit run, bit for bit (commitEvery %i)',
    async (commitEvery) => {
      const ls = loadScenario(SCENARIO);
      const ref = runScenario(buildScenario(ls.scenario, ls.dir), { attribution: 'book' });
      const dir = mkdtempSync(join(tmpdir(), 'hk-live-id-'));
      const session = await openLive(loadLiveConfig(liveConfig(dir, `commitEvery: ${commitEvery}`)), {
        clock: new VirtualClock(0),
        keepHistory: true,
      });
      try {
        const summary = await session.run();
        const m = session.monitor;
        const market = ref.markets[0];
        expect(summary.steps).toBe(market.steps);
        // a real comparison: the book moves, CPPI trades most days, the put line trades options
        expect(new Set(market.strategies[1].valuePath).size).toBeGreaterThan(30);
        expect(market.strategies[1].ledger.length).toBeGreaterThan(20);
        expect(market.strategies[2].ledger.some((t) => t.kind === 'option')).toBe(true);
        market.strategies.forEach((s, r) => {
          expect(m.values?.[r], s.name).toEqual(s.valuePath);
          expect(m.trades?.[r], s.name).toEqual(s.ledger);
        });
        // the traded strategy's trades are exactly the orders in the ledger, and every one was filled
        const orders = session.ledger
          .events({ types: ['order'] })
          .map((e) => e.payload as { qty: number; price: number; cost: number; instrument: string });
        const cppi = market.strategies[1].ledger.filter((t) => t.kind !== 'settle');
        expect(orders.map((o) => [o.instrument, o.qty, o.price, o.cost])).toEqual(
          cppi.map((t) => [t.instrument, t.qty, t.price, t.cost]),
        );
        expect(session.ledger.counts().fill).toBe(orders.length);
        expect(session.ledger.openOrders()).toEqual([]);
        expect(await m.positionsMismatch()).toBe(false);
      } finally {
        session.close();
      }
    },
  );
});
