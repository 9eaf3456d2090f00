/**
 * A price-history CSV (the format `src/market/history-csv.ts` loads) replayed as a feed: per row,
 * one `vol` event per instrument with the causal EWMA volatility of that column, then one `bar`
 * event per instrument (the bars complete the row's observation, so the vol comes first) (λ = 0.94, annualized, exactly the vol a `history` market of a back-test shows, so
 * a full-speed replay is bit-identical to `hedgekit run`). Rows are stamped at 00:00 UTC of their
 * date; sequence numbers run 1, 2, 3, … over all events.
 *
 * Pacing: real time (speed 1), ×N, or 'max' (no waiting), on the given clock (virtual in tests).
 *
 * References: RiskMetrics — Technical Document (1996) §5.2 (EWMA); hedgekit docs/data.md (CSV).
 */
import { loadPriceHistory } from '../../market/history-csv.ts';
import { ewmaVolColumn, historyWindow, REPLAY_EWMA_LAMBDA } from '../../paths/replay.ts';
import type { FeedEvent } from './event.ts';
import { type Clock, type Feed, Pacer, type ReplaySpeed, systemClock } from './feed.ts';

export interface ReplayFeedOptions {
  /** CSV file (date column + one column per series). */
  readonly file: string;
  /** Instrument name → CSV column (default: every column under its own name). */
  readonly instruments?: Readonly<Record<string, string>>;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly dateColumn?: string;
  readonly fill?: 'none' | 'forward' | 'drop';
  /** Rows per year for annualizing the EWMA vol (default 252). */
  readonly periodsPerYear?: number;
  readonly speed?: ReplaySpeed;
  readonly clock?: Clock;
  /** Emit the EWMA `vol` events (default true). */
  readonly vol?: boolean;
}

/** ms since the epoch of an ISO date at 00:00 UTC. */
export function dateToMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The replayed events of a history window, in feed order (no pacing). */
export function replayEvents(opts: ReplayFeedOptions): FeedEvent[] {
  const wanted = opts.instruments ? Object.values(opts.instruments) : undefined;
  const history = loadPriceHistory(opts.file, {
    ...(wanted ? { columns: [...new Set(wanted)] } : {}),
    ...(opts.dateColumn ? { dateColumn: opts.dateColumn } : {}),
    ...(opts.fill ? { fill: opts.fill } : {}),
  });
  const names = opts.instruments
    ? Object.entries(opts.instruments)
    : history.columns.map((c) => [c, c] as [string, string]);
  const cols = names.map(([, c]) => history.columns.indexOf(c));
  const { first, last } = historyWindow(history, opts.from, opts.to);
  const ppy = opts.periodsPerYear ?? 252;
  const vols = cols.map((j) => ewmaVolColumn(history.prices[j], REPLAY_EWMA_LAMBDA, ppy));
  const out: FeedEvent[] = [];
  let seq = 0;
  for (let row = first; row <= last; row++) {
    const ts = dateToMs(history.dates[row]);
    if (opts.vol !== false)
      names.forEach(([instrument], k) => {
        out.push({ kind: 'vol', seq: ++seq, ts, instrument, vol: vols[k][row], measure: 'ewma' });
      });
    names.forEach(([instrument], k) => {
      out.push({ kind: 'bar', seq: ++seq, ts, instrument, close: history.prices[cols[k]][row] });
    });
  }
  return out;
}

/**
 * A feed replaying a history CSV.
 * @throws CsvValidationError (file:line) for a bad CSV; DomainError for an empty window
 * @example for await (const e of replayFeed({ file: 'data/sp500.csv', instruments: { SPX: 'close' }, from: '2008-09-02', to: '2008-09-03' })) …
 */
export function replayFeed(
  opts: ReplayFeedOptions,
): Feed & { readonly rows: number; readonly timestamps: readonly number[] } {
  const events = replayEvents(opts);
  const timestamps = [...new Set(events.map((e) => e.ts))].sort((a, b) => a - b);
  const rows = timestamps.length;
  const pacer = new Pacer(opts.speed ?? 'max', opts.clock ?? systemClock);
  let closed = false;
  return {
    name: `replay ${opts.file}`,
    rows,
    timestamps,
    close() {
      closed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (const e of events) {
        if (closed) return;
        await pacer.wait(e.ts);
        if (closed) return;
        yield e;
      }
    },
  };
}
