/** The live config of the restart tests: a 2008 replay of the S&P 500 with the protocol on. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Writes a config in a fresh directory and returns its path and the ledger's.
 * @param speed replay speed (the child paces on the system clock; 'max' for in-process runs)
 */
export function restartConfig(
  speed: number | 'max',
  from = '2008-01-02',
  to = '2009-03-31',
): { file: string; store: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hk-restart-'));
  const file = join(dir, 'live.yaml');
  const store = join(dir, 'ledger.sqlite');
  writeFileSync(
    file,
    `name: restart
scenario: ${join(ROOT, 'src/live/fixtures/scenario-2008.yaml')}
trade: cppi m=4
feed: { kind: replay, file: ${join(ROOT, 'data/sp500.csv')}, columns: { SPX: close }, from: ${from}, to: ${to}, speed: ${speed} }
session: { steps: 400 }
execution: { latencyMs: 43200000 }
escalation: { dwellHours: 48 }
store: ${store}
snapshotEvery: 16
`,
  );
  return { file, store };
}
