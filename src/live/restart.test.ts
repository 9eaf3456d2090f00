/**
 * Restart = last snapshot + replay of the later ledger events + reconciliation with the broker.
 * In-process: a session is abandoned after any number of feed events (no `finish`, no final
 * snapshot: what a crash leaves), a new session on the same ledger resumes the feed, and the
 * result equals an uninterrupted run. The SIGKILL version (a real crash, mid-write) is
 * sigkill.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerDigest } from '../../test/live/ledger-digest.ts';
import { restartConfig } from '../../test/live/restart-config.ts';
import { loadLiveConfig } from './config.ts';
import { VirtualClock } from './feed/feed.ts';
import { replayEvents } from './feed/replay-feed.ts';
import { openLive } from './run-live.ts';

const FROM = '2008-06-02';
const TO = '2008-11-28';

async function uninterrupted() {
  const { file, store } = restartConfig('max', FROM, TO);
  const s = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
  await s.run();
  s.close();
  return ledgerDigest(store);
}

describe('live restart', () => {
  it('a session abandoned after any event and resumed equals an uninterrupted run', async () => {
    const ref = await uninterrupted();
    expect(ref.rows.order?.length).toBeGreaterThan(10);
    expect(ref.rows.transition?.length).toBeGreaterThan(2);
    const nEvents = replayEvents({
      file: 'data/sp500.csv',
      instruments: { SPX: 'close' },
      from: FROM,
      to: TO,
    }).length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: nEvents }), { minLength: 1, maxLength: 3 }),
        async (cuts) => {
          const { file, store } = restartConfig('max', FROM, TO);
          for (const cut of [...cuts].sort((a, b) => a - b)) {
            const s = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
            let k = 0;
            for await (const e of s.feed) {
              if (k++ >= cut) break;
              await s.monitor.process(e);
            }
            s.close(); // abandoned: no finish, no final snapshot
          }
          const s = await openLive(loadLiveConfig(file), { clock: new VirtualClock(0) });
          await s.run();
          s.close();
          expect(ledgerDigest(store)).toEqual(ref);
        },
      ),
      { seed: 20261203, numRuns: 12 },
    );
  }, 120_000);
});
