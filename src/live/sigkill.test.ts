/**
 * The crash test: a child process runs a live replay (S&P 500, June–November 2008, CPPI with the
 * escalation protocol, fills half a day after their orders) and is killed with SIGKILL at random
 * points — after a random step, while it keeps writing, so the kill lands anywhere: inside a ledger
 * transaction, between an order's commit and its submission to the broker, between a fill and its
 * record. It is restarted until it completes. The final ledger (every row by id), engine state,
 * escalation history and broker positions equal an uninterrupted run's: no lost and no duplicated
 * trade. fast-check picks the kill points (seeded; 22 of them); at least 20 kills must land before the end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerDigest } from '../../test/live/ledger-digest.ts';
import { ROOT, restartConfig } from '../../test/live/restart-config.ts';
import { loadLiveConfig } from './config.ts';
import { VirtualClock } from './feed/feed.ts';
import { openLive } from './run-live.ts';

const FROM = '2008-06-02';
const TO = '2008-11-28';
const STEPS = 125; // rows in the window
/** Replay speed: one calendar day of feed time in 2 ms. */
const SPEED = 86_400_000 / 2;
const CHILD = join(ROOT, 'test/live/live-child.ts');

function runChild(file: string, killAfterStep?: number): Promise<{ killed: boolean; done: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let done = false;
    let sent = false;
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'done') done = true;
      const m = /^step (\d+)$/.exec(line);
      if (m && killAfterStep !== undefined && !sent && Number(m[1]) >= killAfterStep) {
        sent = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: !done, done });
      else if (code === 0) resolve({ killed: false, done: true });
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('live ledger under SIGKILL', () => {
  it('after kills at random points and restarts, ledger, positions and escalation history equal an uninterrupted run', async () => {
    const ref = (() => {
      const { file, store } = restartConfig('max', FROM, TO);
      return openLive(loadLiveConfig(file), { clock: new VirtualClock(0) }).then(async (s) => {
        await s.run();
        s.close();
        return ledgerDigest(store);
      });
    })();
    const reference = await ref;
    expect(reference.rows.order?.length).toBeGreaterThan(10);
    expect(reference.rows.transition?.length).toBeGreaterThan(2);
    let kills = 0;
    await fc.assert(
      fc.asyncProperty(
        // Kill points end 40 steps (≈ 80 ms of replay) before the end: on a loaded machine the signal can
        // arrive a few steps after the child announced step k, and a child that already finished is no kill.
        fc.uniqueArray(fc.integer({ min: 0, max: STEPS - 40 }), { minLength: 2, maxLength: 2 }),
        async (points) => {
          const { file, store } = restartConfig(SPEED, FROM, TO);
          for (const k of [...points].sort((a, b) => a - b)) {
            const r = await runChild(file, k);
            if (r.killed) kills++;
          }
          const last = await runChild(file);
          expect(last.done).toBe(true);
          expect(ledgerDigest(store)).toEqual(reference);
        },
      ),
      { seed: 20261203, numRuns: 11, endOnFailure: true },
    );
    expect(kills).toBeGreaterThanOrEqual(20);
  }, 300_000);
});
