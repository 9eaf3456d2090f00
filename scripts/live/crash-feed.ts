/**
 * Writes examples/live-crash.csv: one simulated quarter of an equity index from the `crash` regime
 * preset (docs/regimes.md: a scheduled −20 % gap on trading day 21, then volatility ×3 decaying
 * with a 21-day half-life), seed 2008, path 0, dated on weekdays from 2026-01-05. The live demo
 * (`hedgekit feed examples/live-crash.csv` + `hedgekit live examples/live-crash.yaml`) replays it.
 *
 * Run: npx tsx scripts/live/crash-feed.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constantRate } from '../../src/market/rate.ts';
import { regimePreset } from '../../src/paths/presets.ts';
import { simulatePaths, uniformGrid } from '../../src/paths/types.ts';

const STEPS = 63;
const gen = regimePreset('crash')([{ name: 'SPX', assetClass: 'equity', spot: 100 }], constantRate(0.02));
const spot = simulatePaths(gen, uniformGrid(STEPS / 252, STEPS), 1, 2008)[0];
const dates: string[] = [];
for (let d = new Date(Date.UTC(2026, 0, 5)); dates.length <= STEPS; d.setUTCDate(d.getUTCDate() + 1))
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
const rows = dates.map((date, i) => `${date},${Number(spot[i].toPrecision(10))}`);
const out = join(import.meta.dirname, '..', '..', 'examples', 'live-crash.csv');
writeFileSync(out, `date,SPX\n${rows.join('\n')}\n`);
process.stdout.write(`wrote ${out}: ${rows.length} rows, day 21 ${rows[21]} (day 20 ${rows[20]})\n`);
