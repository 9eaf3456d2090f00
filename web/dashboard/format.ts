/** Number and time formatting for the panels (never prints NaN or Infinity: a dash instead). */

export function num(x: number | null | undefined, digits = 2): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '–' : `${num(x * 100, digits)} %`;
}

/** Quantity with up to 6 significant decimals. */
export function qty(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : '–';
}

/** Feed time (ms since the epoch) as an ISO date-time in UTC, seconds dropped. */
export function when(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

/**
 * Background of a heat-map cell: blue for gains / long, red for losses / short, opacity by |x|
 * relative to the largest |x| of its grid.
 */
export function heat(x: number, maxAbs: number): string {
  if (!Number.isFinite(x) || maxAbs <= 0 || x === 0) return 'transparent';
  const a = Math.min(1, Math.abs(x) / maxAbs) * 0.75;
  return x > 0 ? `rgba(37, 99, 235, ${a.toFixed(3)})` : `rgba(220, 38, 38, ${a.toFixed(3)})`;
}

export function maxAbs(xs: readonly number[]): number {
  return xs.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
}
