/**
 * The headline of `hedgekit run`: the measures portfolio-insurance write-ups quote first, per market
 * (rows) and strategy (columns), in three compact tables —
 *
 *   excess        mean annualized return − the benchmark's (KeyMetrics.excessReturn)
 *   p20 − floor   (V_T p20 − F_T)/V₀: the 20th-percentile terminal value against the floor at the
 *                 end of the market's horizon (≥ 0: four paths in five end above the floor)
 *   cost          mean trading costs + net option premiums, % of V₀ (KeyMetrics.costOfProtection)
 *
 * A replay has one path: its p20 is that path's terminal value.
 */
import Table from 'cli-table3';
import { percentValue } from '../core/format.ts';
import type { ScenarioResult } from '../scenario/run.ts';
import { blockWidth } from './fit-width.ts';
import { isShortWindow, MIN_ANNUALIZED_YEARS } from './short-window.ts';

/** The three headline measures of one strategy in one market (fractions). */
export interface HeadlineCell {
  /** Mean annualized return minus the benchmark's. */
  readonly excessReturn: number;
  /** (V_T p20 − F_T)/V₀. */
  readonly p20OverFloor: number;
  /** Mean costs + net option premiums / V₀. */
  readonly costOfProtection: number;
}

/** One market of the headline: its label, whether it is a replay, one cell per strategy (in order). */
export interface HeadlineRow {
  readonly market: string;
  readonly replay: boolean;
  /** Window shorter than MIN_ANNUALIZED_YEARS: the annualized excess return is flagged †. */
  readonly short: boolean;
  readonly cells: readonly HeadlineCell[];
}

/**
 * The headline measures of every market and strategy.
 * Shape: rows [markets], cells [strategies] in the scenario's order.
 * @example headlineRows(result)[0].cells[1].p20OverFloor // e.g. 0.2958: p20 29.6 % of V0 above the floor
 */
export function headlineRows(r: ScenarioResult): HeadlineRow[] {
  const v0 = r.initialValue;
  return r.markets.map((m) => ({
    market: m.label,
    replay: m.replay,
    short: isShortWindow(m.horizon),
    cells: m.strategies.map((s) => ({
      excessReturn: s.key.excessReturn,
      p20OverFloor: (s.key.terminalP20 - m.floorAtEnd) / v0,
      costOfProtection: s.key.costOfProtection,
    })),
  }));
}

/** `+1.50 %`, `-0.68 %`, `0.00 %`, `n/a`. */
function signed(x: number): string {
  return x > 0 && Number.isFinite(x) ? `+${percentValue(x)}` : percentValue(x);
}

const MEASURES: readonly { key: keyof HeadlineCell; title: string; format: (x: number) => string }[] = [
  { key: 'excessReturn', title: 'excess ann. return vs the benchmark (mean over paths)', format: signed },
  {
    key: 'p20OverFloor',
    title: 'V_T p20 − floor, % of V0 (≥ 0: the 20th-percentile outcome ends above the floor)',
    format: signed,
  },
  {
    key: 'costOfProtection',
    title: 'cost of protection: trading costs + net option premiums, % of V0 (mean)',
    format: (x) => percentValue(x),
  },
];

/**
 * Three tables (excess return, p20 − floor, cost), rows = markets (replays marked), columns = strategies.
 * @example headlineReport(result).split('\n')[0] // 'Headline — excess ann. return vs the benchmark (mean over paths):'
 */
export function headlineReport(r: ScenarioResult, width?: number): string {
  const names =
    r.markets[0]?.strategies.map((s) => (s.name === r.benchmark ? `${s.name} (bm)` : s.name)) ?? [];
  const rows = headlineRows(r);
  const out: string[] = [];
  for (const measure of MEASURES) {
    const body = rows.map((row) => [
      `${row.market}${row.replay ? ' (replay)' : ''}${row.short ? ' †' : ''}`,
      ...row.cells.map((c) => measure.format(c[measure.key])),
    ]);
    const render = (colWidths?: number[]) => {
      const t = new Table({
        head: ['market', ...names],
        style: { head: [], border: [], compact: true },
        colAligns: ['left', ...names.map(() => 'right' as const)],
        ...(colWidths ? { colWidths, wordWrap: true } : {}),
      });
      for (const b of body) t.push(b);
      return t.toString();
    };
    let text = render();
    if (width !== undefined && blockWidth(text) > width) text = render(narrowWidths(body, names, width));
    out.push(`Headline — ${measure.title}:`, text);
  }
  if (rows.some((row) => row.short))
    out.push(
      `† window shorter than ${MIN_ANNUALIZED_YEARS} y: its annualized figures extrapolate a few weeks to a year (the market's table gives the return over the window).`,
    );
  return out.join('\n');
}

/**
 * Column widths (cell text + 2 of padding) that fit `width`: the strategy columns shrink to their
 * numbers (their names wrap over lines), then the market column shares what is left.
 */
function narrowWidths(body: readonly string[][], names: readonly string[], width: number): number[] {
  const n = names.length;
  const numbers = names.map((_, j) => Math.max(...body.map((b) => b[j + 1].length)) + 2);
  const headWords = names.map((h) => Math.max(...h.split(' ').map((w) => w.length)) + 2);
  const strat = numbers.map((w, j) => Math.max(w, headWords[j]));
  const borders = n + 2;
  const marketNatural = Math.max(6, ...body.map((b) => b[0].length)) + 2;
  const left = width - borders - strat.reduce((a, b) => a + b, 0);
  return [Math.max(10, Math.min(marketNatural, left)), ...strat];
}
