/**
 * Builds `data/us-multiasset.csv`: a daily multi-asset history for the article case
 * (examples/article-case.yaml) — S&P 500 close, NASDAQ Composite close, WTI crude spot and a
 * constant-maturity bond price index made from Moody's seasoned AAA corporate yield.
 *
 * Run: `npx tsx scripts/data/bond-index.ts` (reads data/sp500.csv, data/nasdaq.csv, data/wti.csv,
 * data/corporate-yields-monthly.csv; writes data/us-multiasset.csv). Construction and limits:
 * data/README.md ("us-multiasset.csv").
 *
 * Dates: the S&P 500's exchange days 1999-01-04 … 2018-12-31, inner-joined with the NASDAQ and WTI
 * (a day without a WTI price is dropped, never filled).
 *
 * Bond index: yields y (decimal) are monthly averages dated the 1st; each is anchored mid-month
 * (the 15th) and interpolated linearly in calendar days to the equity dates (held flat before the
 * first and after the last anchor). Then, with Δt = calendar days / 365 and modified duration D,
 *
 *     P_t = P_{t−1} · exp( y_{t−1}·Δt − D·(y_t − y_{t−1}) ),   P_0 = 100,
 *
 * i.e. the bond earns its yield and loses D per unit rise in yield (no convexity, no roll-down).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Modified duration of the constant-maturity bond, years (≈ a 10-year AAA corporate bond). */
export const BOND_DURATION = 7;
/** Day of the month a monthly-average yield is anchored at for interpolation. */
export const ANCHOR_DAY = 15;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (UTC). */
export function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY;
}

/** Reads a simple CSV (header, comma-separated, no quoting) into a header and rows. */
export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/**
 * Monthly yields (dated the 1st, percent) → a yield (decimal) on each of `dates`, linear in
 * calendar days between mid-month anchors, flat outside them.
 *
 * Shape: returns [dates.length].
 * @param monthly - `{ date: 'YYYY-MM-01', percent }`, sorted by date.
 * @example interpolateYields([{ date: '2000-01-01', percent: 4 }, { date: '2000-02-01', percent: 5 }], ['2000-01-15', '2000-01-30'])
 * // returns ≈ [0.04, 0.0448] (15 of 31 days towards 5 %)
 */
export function interpolateYields(
  monthly: readonly { date: string; percent: number }[],
  dates: readonly string[],
): Float64Array {
  const ax = monthly.map((m) => dayNumber(m.date) + (ANCHOR_DAY - 1));
  const ay = monthly.map((m) => m.percent / 100);
  const out = new Float64Array(dates.length);
  let k = 0;
  for (let i = 0; i < dates.length; i++) {
    const x = dayNumber(dates[i]);
    while (k + 1 < ax.length && ax[k + 1] <= x) k++;
    if (x <= ax[0]) out[i] = ay[0];
    else if (k + 1 >= ax.length) out[i] = ay[ay.length - 1];
    else out[i] = ay[k] + ((ay[k + 1] - ay[k]) * (x - ax[k])) / (ax[k + 1] - ax[k]);
  }
  return out;
}

/**
 * Constant-maturity bond price index from daily yields:
 * P_t = P_{t−1}·exp(y_{t−1}·Δt − D·(y_t − y_{t−1})), Δt = calendar days / 365.
 *
 * Shape: `dates`, `yields` and the result are [n].
 * @param yields - annual decimals. @param duration - modified duration D, years. @param start - P_0.
 * @example bondIndex(['2000-01-03', '2000-01-04'], Float64Array.of(0.07, 0.071), 7)
 * // returns [100, 100·exp(0.07/365 − 0.007)] ≈ [100, 99.3232]
 */
export function bondIndex(
  dates: readonly string[],
  yields: Float64Array,
  duration = BOND_DURATION,
  start = 100,
): Float64Array {
  const p = new Float64Array(dates.length);
  p[0] = start;
  for (let i = 1; i < dates.length; i++) {
    const dt = (dayNumber(dates[i]) - dayNumber(dates[i - 1])) / 365;
    p[i] = p[i - 1] * Math.exp(yields[i - 1] * dt - duration * (yields[i] - yields[i - 1]));
  }
  return p;
}

/** The joined daily table: dates and one column of text values per series, plus the yields. */
export interface MultiAsset {
  readonly dates: string[];
  readonly sp500: string[];
  readonly nasdaq: string[];
  readonly wti: string[];
  readonly yields: Float64Array;
  readonly bond: Float64Array;
  /** S&P 500 dates dropped because NASDAQ or WTI had no value that day. */
  readonly droppedDates: string[];
}

/** Joins the four source files of `dir` (see the file header). */
export function buildMultiAsset(dir: string): MultiAsset {
  const close = (file: string) => {
    const { header, rows } = readCsv(`${dir}/${file}`);
    const j = header.indexOf('close');
    return new Map(rows.map((r) => [r[0], r[j]]));
  };
  const sp = readCsv(`${dir}/sp500.csv`);
  const spClose = sp.header.indexOf('close');
  const nq = close('nasdaq.csv');
  const wtiRows = readCsv(`${dir}/wti.csv`).rows;
  const wti = new Map(wtiRows.map((r) => [r[0], r[1]]));
  const dates: string[] = [];
  const s: string[] = [];
  const n: string[] = [];
  const w: string[] = [];
  const droppedDates: string[] = [];
  for (const r of sp.rows) {
    const d = r[0];
    const nv = nq.get(d);
    const wv = wti.get(d);
    if (nv === undefined || wv === undefined) {
      droppedDates.push(d);
      continue;
    }
    dates.push(d);
    s.push(r[spClose]);
    n.push(nv);
    w.push(wv);
  }
  const monthly = readCsv(`${dir}/corporate-yields-monthly.csv`).rows.map((r) => ({
    date: r[0],
    percent: Number(r[1]),
  }));
  const yields = interpolateYields(monthly, dates);
  return { dates, sp500: s, nasdaq: n, wti: w, yields, bond: bondIndex(dates, yields), droppedDates };
}

/** CSV text of a {@link MultiAsset}: `date,sp500,nasdaq,wti,aaa_bond`. */
export function multiAssetCsv(m: MultiAsset): string {
  const lines = ['date,sp500,nasdaq,wti,aaa_bond'];
  for (let i = 0; i < m.dates.length; i++)
    lines.push(`${m.dates[i]},${m.sp500[i]},${m.nasdaq[i]},${m.wti[i]},${m.bond[i].toFixed(6)}`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../../data', import.meta.url));
  const m = buildMultiAsset(dir);
  writeFileSync(`${dir}/us-multiasset.csv`, multiAssetCsv(m));
  console.log(
    `data/us-multiasset.csv: ${m.dates.length} rows, ${m.dates[0]} … ${m.dates[m.dates.length - 1]}; ` +
      `${m.droppedDates.length} S&P 500 dates dropped (no WTI or NASDAQ value): ${m.droppedDates.join(' ')}; ` +
      `bond index ${m.bond[0].toFixed(2)} → ${m.bond[m.bond.length - 1].toFixed(2)}`,
  );
}
