/**
 * The comparison table of `hedgekit run`: for each market (regime preset, model or history), one
 * table of strategies × key metrics — annualized return, volatility, max drawdown, P(end < floor),
 * P(touch floor), 20th percentile of the terminal value, CVaR 95 %, cost of protection, upside
 * given up and excess return vs the benchmark. Plain text (cli-table3, no colours).
 */
import Table from 'cli-table3';
import { ATTRIBUTION_COMPONENTS } from '../attribution/pnl-attribution.ts';
import { ValidationError } from '../core/errors.ts';
import { percentLabel, percentValue } from '../core/format.ts';
import type { KeyMetrics, MarketResult, ScenarioResult } from '../scenario/run.ts';
import { fitColumns, wrapLine } from './fit-width.ts';
import { headlineReport } from './headline-table.ts';
import { isShortWindow, MIN_ANNUALIZED_YEARS } from './short-window.ts';

/** One column of the table: header, the metric, and how it prints. */
export interface KeyColumn {
  readonly header: string;
  readonly key: keyof KeyMetrics;
  readonly format: 'pct' | 'value';
  /** One line for the legend. */
  readonly meaning: string;
}

/** The table's columns in order (see docs/metrics.md for the formulas). */
export const KEY_COLUMNS: readonly KeyColumn[] = [
  {
    header: 'ann. return',
    key: 'annualizedReturn',
    format: 'pct',
    meaning: 'mean annualized return (V_T/V0)^(1/T) - 1',
  },
  { header: 'vol', key: 'volatility', format: 'pct', meaning: 'mean annualized volatility of step returns' },
  { header: 'max DD', key: 'maxDrawdown', format: 'pct', meaning: 'mean maximum drawdown' },
  {
    header: 'P(end<F)',
    key: 'probEndBelowFloor',
    format: 'pct',
    meaning: 'probability of ending below the floor',
  },
  {
    header: 'P(touch F)',
    key: 'probTouchFloor',
    format: 'pct',
    meaning: 'probability of touching the floor at some step',
  },
  {
    header: 'V_T p20',
    key: 'terminalP20',
    format: 'value',
    meaning: '20th percentile of the terminal value',
  },
  { header: 'CVaR95', key: 'cvar95', format: 'pct', meaning: 'CVaR 95 % of the horizon return (loss > 0)' },
  {
    header: 'cost',
    key: 'costOfProtection',
    format: 'pct',
    meaning: 'mean trading costs + net option premiums, % of V0',
  },
  {
    header: 'upside lost',
    key: 'upsideGivenUp',
    format: 'pct',
    meaning: 'horizon return given up when the benchmark rose',
  },
  {
    header: 'excess',
    key: 'excessReturn',
    format: 'pct',
    meaning: 'mean annualized return minus the benchmark’s',
  },
];

function value(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : 'n/a';
}

/** Title line of one market: label, paths × steps, kind, dates of a replay, flat assets. */
export function marketTitle(m: MarketResult, assetNames: readonly string[]): string {
  const what =
    m.kind === 'regime'
      ? `regime preset ${m.preset}`
      : m.kind === 'history'
        ? m.replay
          ? 'historical replay'
          : 'block bootstrap of history'
        : `${m.kind} model`;
  const size = m.replay
    ? `1 path × ${m.steps} steps`
    : `${m.paths.toLocaleString('en-US')} paths × ${m.steps} steps`;
  const dates = m.dates && m.dates.length > 0 ? `, ${m.dates[0]} … ${m.dates[m.dates.length - 1]}` : '';
  const map = m.columns ? `; ${m.columns.map((c, a) => `${assetNames[a]}→${c ?? 'flat'}`).join(', ')}` : '';
  const span = m.replay
    ? `; ${m.horizon.toFixed(2)} y (ACT/365F), protection ${Math.abs(m.protectionHorizon - m.horizon) < 1e-9 ? 'over the whole window' : `over ${m.protectionHorizon} y`}`
    : '';
  return `${m.label} — ${what}, ${size}${dates}${span}${map}`;
}

/**
 * One table per market: rows = strategies, columns = {@link KEY_COLUMNS}.
 * @example comparisonTable(result.markets[0], ['equity']).split('\n')[0] // '┌──…'
 */
/** Annualized columns (flagged on short windows). */
const ANNUALIZED: ReadonlySet<keyof KeyMetrics> = new Set(['annualizedReturn', 'volatility', 'excessReturn']);

/** True when a market's window is too short for its annualized figures to stand unflagged. */
export const shortWindow = (m: MarketResult) => isShortWindow(m.horizon);

export function comparisonTable(
  m: MarketResult,
  benchmark: string,
  columns: readonly KeyColumn[] = KEY_COLUMNS,
): string {
  const t = new Table({
    head: ['strategy', ...columns.map((c) => c.header)],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', ...columns.map(() => 'right' as const)],
  });
  for (const s of m.strategies) {
    t.push([
      s.name === benchmark ? `${s.name} (benchmark)` : s.name,
      ...columns.map((c) => {
        const text = c.format === 'pct' ? percentValue(s.key[c.key]) : value(s.key[c.key]);
        return shortWindow(m) && ANNUALIZED.has(c.key) ? `${text} †` : text;
      }),
    ]);
  }
  return t.toString();
}

/**
 * The whole report: a heading, the headline (excess return, p20 − floor and cost per market ×
 * strategy: headline-table.ts), one titled table per market and a legend.
 */
export function comparisonReport(r: ScenarioResult, layout: ReportLayout = {}): string {
  const names = r.assets.map((a) => a.name);
  const width = layout.width;
  const { columns, dropped } = reportColumns(r, layout);
  const book = r.assets.map((a) => `${percentLabel(a.weight, { space: true })} ${a.name}`).join(' / ');
  const lines: string[] = [
    `Scenario "${r.name}"${r.description ? ` — ${r.description}` : ''}`,
    `Book ${book}, V0 = ${r.initialValue}, floor ${percentLabel(r.floor.level, { space: true })} of V0${r.floor.accrues ? ' (accruing)' : ''}, seed ${r.seed}, benchmark ${r.benchmark}.`,
    '',
    headlineReport(r, width),
    '',
  ];
  for (const m of r.markets) {
    lines.push(marketTitle(m, names));
    lines.push(comparisonTable(m, r.benchmark, columns));
    if (shortWindow(m)) lines.push(shortWindowNote(m, r.benchmark));
    for (const st of m.strategies) lines.push(...reportLines(st));
    lines.push('');
  }
  lines.push('Columns (means across paths unless stated; a replay has one path):');
  for (const c of columns) lines.push(`  ${c.header.padEnd(11)} ${c.meaning}`);
  if (dropped.length > 0)
    lines.push(
      `  (not shown, to fit ${width} columns: ${dropped.join(', ')} — --wide shows every column, --columns picks them)`,
    );
  if (r.markets.some((m) => m.strategies.some((s) => s.attribution))) {
    lines.push('');
    for (const m of r.markets) {
      lines.push(`P&L attribution — ${m.label} (present value at inception, mean per path, currency):`);
      lines.push(attributionTable(m));
      lines.push('');
    }
    lines.push('residual: what the second-order expansion leaves out (docs/attribution.md).');
  }
  const text = lines.join('\n');
  if (width === undefined) return text;
  // Tables were fitted above; prose lines (titles, strategy reports, notes) wrap at word boundaries.
  return text
    .split('\n')
    .flatMap((l) => (/^[┌│├└]/.test(l) ? [l] : wrapLine(l, width)))
    .join('\n');
}

/** How a report is laid out: fitted to `width` columns (absent: as wide as it needs), or with chosen columns. */
export interface ReportLayout {
  /** Terminal width to fit, columns; undefined = no limit (`--wide`, or output not to a terminal). */
  readonly width?: number | undefined;
  /** Table columns to show (headers or metric keys, e.g. `excess` or `excessReturn`); default all that fit. */
  readonly columns?: readonly string[] | undefined;
}

/** Columns dropped first when a table is too wide (the last ones kept are return, floor and excess). */
const DROP_ORDER = ['upside lost', 'CVaR95', 'P(touch F)', 'max DD', 'vol', 'cost', 'V_T p20'];

/**
 * The table columns of a report: those chosen by name, or all of them minus what does not fit.
 * @throws ValidationError for a column name that is not one of {@link KEY_COLUMNS}
 */
export function reportColumns(
  r: ScenarioResult,
  layout: ReportLayout,
): { columns: readonly KeyColumn[]; dropped: string[] } {
  if (layout.columns !== undefined) {
    const pick = layout.columns.map((name) => {
      const c = KEY_COLUMNS.find((k) => k.header.toLowerCase() === name.toLowerCase() || k.key === name);
      if (!c)
        throw new ValidationError(
          '--columns',
          `unknown column ${JSON.stringify(name)} (columns: ${KEY_COLUMNS.map((k) => k.header).join(', ')})`,
        );
      return c;
    });
    return { columns: pick, dropped: [] };
  }
  if (layout.width === undefined) return { columns: KEY_COLUMNS, dropped: [] };
  const width = layout.width;
  const byHeader = (names: readonly string[]) => KEY_COLUMNS.filter((c) => names.includes(c.header));
  const { kept, dropped } = fitColumns(
    KEY_COLUMNS.map((c) => c.header),
    DROP_ORDER,
    width,
    (names) => r.markets.map((m) => comparisonTable(m, r.benchmark, byHeader(names))).join('\n'),
  );
  return { columns: byHeader(kept), dropped };
}

const ATTRIBUTION_COLUMNS = ATTRIBUTION_COMPONENTS;

/**
 * Rows = strategies (and, with per-line attribution, their position lines indented), columns = the
 * attribution components' means per path.
 */
export function attributionTable(m: MarketResult): string {
  const t = new Table({
    head: ['strategy / line', ...ATTRIBUTION_COLUMNS],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', ...ATTRIBUTION_COLUMNS.map(() => 'right' as const)],
  });
  for (const s of m.strategies) {
    const a = s.attribution;
    if (!a) continue;
    t.push([s.name, ...ATTRIBUTION_COLUMNS.map((c) => value(a.book[c].mean))]);
    for (const line of a.lines)
      t.push([`  ${line.contract}`, ...ATTRIBUTION_COLUMNS.map((c) => value(line.components[c].mean))]);
  }
  return t.toString();
}

/**
 * One line per strategy report (today the vol-target overlay) and one per typed warning:
 * `  cppi m=4 vt=10%: vol target sleeve 10.0% → realized 10.3%, mean weight 0.52; worst-day exposure 41.2%`.
 */
function reportLines(s: MarketResult['strategies'][number]): string[] {
  const rep = s.report;
  if (!rep) return [];
  const out: string[] = [];
  const d = rep.details as {
    kind?: string;
    legs?: { leg: string; target: number; realizedVol: number; meanWeight: number }[];
    worstDayExposure?: number;
  };
  if (d.kind === 'vol-target' && d.legs) {
    const legs = d.legs
      .map(
        (l) =>
          `${l.leg} ${percentValue(l.target)} → realized ${percentValue(l.realizedVol)}, mean weight ${l.meanWeight.toFixed(2)}`,
      )
      .join('; ');
    out.push(
      `  ${s.name}: vol target ${legs}; worst-day exposure ${percentValue(d.worstDayExposure ?? Number.NaN)}`,
    );
  }
  for (const w of rep.warnings) out.push(`  ${s.name}: warning ${w.code} ×${w.count}: ${w.message}`);
  return out;
}

/** The † note under a short window's table: the window, the rule, the benchmark's horizon return. */
export function shortWindowNote(m: MarketResult, benchmark: string): string {
  const b = m.strategies.find((x) => x.name === benchmark) ?? m.strategies[0];
  const horizonReturn = (1 + b.key.annualizedReturn) ** m.horizon - 1;
  return `† window ${m.horizon.toFixed(3)} y < ${MIN_ANNUALIZED_YEARS} y: annualized figures extrapolate a short window to a year; ${b.name}'s return over the window itself is ${percentValue(horizonReturn)}`;
}
