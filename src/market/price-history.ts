/**
 * A validated table of prices: one row per date (strictly increasing), one column per asset.
 * Produced by the CSV loader (`history-csv.ts`) and consumed by historical replay, bootstrap and
 * volatility estimation.
 *
 * Shape: `prices[j]` is the column of asset `columns[j]`, length `dates.length`.
 */
export interface PriceHistory {
  /** ISO dates `YYYY-MM-DD`, strictly increasing. */
  readonly dates: readonly string[];
  /** Asset (column) names in file order, excluding the date column. */
  readonly columns: readonly string[];
  /** One Float64Array per column, all finite and > 0. */
  readonly prices: readonly Float64Array[];
  /** Where the data came from (file path or a label), for messages and reports. */
  readonly source: string;
}
