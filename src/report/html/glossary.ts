/**
 * Definitions of the report's metrics (the metrics table's hover text and the glossary section),
 * from docs/metrics.md and docs/glossary.md. One entry per comparison-table column, then the
 * terms the charts use.
 */
import type { KeyMetrics } from '../../scenario/run.ts';

export interface GlossaryEntry {
  readonly term: string;
  readonly definition: string;
}

/** Definition of each comparison-table metric (KeyMetrics), formula and unit. */
export const METRIC_DEFINITIONS: Readonly<Record<keyof KeyMetrics, GlossaryEntry>> = {
  annualizedReturn: {
    term: 'ann. return',
    definition: 'Mean over paths of the annualized return (V_T / V₀)^(1/T) − 1, fraction per year.',
  },
  volatility: {
    term: 'vol',
    definition:
      'Mean over paths of the annualized volatility of step log returns, std(r₁ … r_N)·√(steps per year).',
  },
  maxDrawdown: {
    term: 'max DD',
    definition:
      'Mean over paths of the maximum drawdown max_t (M_t − V_t) / M_t, M_t the running peak of the value.',
  },
  probEndBelowFloor: {
    term: 'P(end<F)',
    definition:
      'Probability of ending below the floor, P(V_T < F_T): the share of paths that breach at the horizon.',
  },
  probTouchFloor: {
    term: 'P(touch F)',
    definition: 'Probability that the value falls below the floor at some step, P(V_t < F_t for some t).',
  },
  terminalP20: {
    term: 'V_T p20',
    definition:
      '20th percentile of the terminal value V_T across paths (NumPy’s linear percentile), currency: one path in five ends lower.',
  },
  cvar95: {
    term: 'CVaR95',
    definition:
      'Conditional value at risk at 95 % of the horizon return, −mean{R : R ≤ −VaR₉₅}: the mean loss in the worst 5 % of paths (positive = loss).',
  },
  costOfProtection: {
    term: 'cost',
    definition:
      'Mean trading costs plus net option premiums paid (bought − sold, at mid) per path, fraction of V₀.',
  },
  upsideGivenUp: {
    term: 'upside lost',
    definition:
      'E[R^B − R | R^B > 0]: horizon return given up against the benchmark in paths where the benchmark rose.',
  },
  excessReturn: {
    term: 'excess',
    definition:
      'Mean over paths of the annualized return minus the benchmark’s annualized return on the same path.',
  },
};

/** Terms the charts use. */
export const CHART_TERMS: readonly GlossaryEntry[] = [
  {
    term: 'floor F_t',
    definition: 'The protected level: level·V₀, growing at the short rate when the floor accrues.',
  },
  {
    term: 'benchmark',
    definition: 'The strategy every other one is compared with on the same paths (buy-and-hold by default).',
  },
  {
    term: 'fan chart bands',
    definition:
      'Quantiles of the value across paths at each date, from a per-step histogram of ln(V/V₀) with 0.5 % bins (bounded memory: no paths × steps matrix).',
  },
  {
    term: 'Δ exposure',
    definition:
      'Σ over assets of net delta × spot / value: the risky weight, counting options and futures by their delta.',
  },
  {
    term: 'P&L attribution',
    definition:
      'The horizon P&L split into delta, gamma, vega, theta, vanna, volga, carry, financing, costs and a residual, in present value (docs/attribution.md).',
  },
  {
    term: 'payoff map',
    definition:
      'Terminal value of a strategy against the benchmark’s on the same path: the shape of the insurance.',
  },
];
