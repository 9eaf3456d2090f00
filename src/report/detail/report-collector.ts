/**
 * Collects the HTML report's detail ({@link ReportDetail}) while a scenario runs, through the
 * run's metrics (RunOptions.collect): at each sampled step the value of every path goes into a
 * bounded per-step histogram (StepQuantiles) and the exposure and Greeks into running sums; at the
 * end of a market the per-path results give the histograms and the payoff sample. Nothing is kept
 * per path × step. The wrapped metrics are called first and unchanged: results are bit-identical
 * with or without the collector.
 */

import { extname } from 'node:path';
import { DomainError } from '../../core/errors.ts';
import type { MarketView } from '../../market/market-view.ts';
import { StepQuantiles, type StepQuantilesState } from '../../metrics/step-quantiles.ts';
import type { RunMetrics } from '../../metrics/types.ts';
import type { BookView } from '../../portfolio/book.ts';
import type { BuiltMarket } from '../../scenario/build.ts';
import type { SplitCollector } from '../../scenario/split-collector.ts';
import {
  FAN_QUANTILES,
  HIST_BINS,
  MAX_POINTS,
  type MarketDetail,
  PAYOFF_SAMPLE,
  type ReportDetail,
  type StrategyDetail,
} from './report-detail.ts';

interface RunState {
  /** Made at the first observation (V₀ = the book's initial value). */
  q: StepQuantiles | undefined;
  readonly exposure: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly n: Float64Array;
  /** 1/V per path of the chunk (0 where V ≤ 0). */
  inv: Float64Array;
}

interface MarketState {
  readonly sampleOf: Int32Array;
  readonly steps: Float32Array;
  readonly times: Float32Array;
  readonly runs: RunState[];
  detail?: MarketDetail;
}

/** One strategy run's collection over part of the paths (plain data: crosses threads). */
export interface CollectorPart {
  readonly v0: number;
  readonly q: StepQuantilesState | undefined;
  readonly exposure: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly n: Float64Array;
}

/** The sampled steps of an n-step grid: every ⌈n / MAX_POINTS⌉-th and the last. */
export function sampledSteps(nSteps: number): number[] {
  const stride = Math.max(1, Math.ceil(nSteps / MAX_POINTS));
  const out: number[] = [];
  for (let i = 0; i <= nSteps; i += stride) out.push(i);
  if (out[out.length - 1] !== nSteps) out.push(nSteps);
  return out;
}

function histogram(x: Float64Array, lo: number, hi: number): Float32Array {
  const h = new Float32Array(HIST_BINS);
  const w = (hi - lo) / HIST_BINS;
  for (let p = 0; p < x.length; p++) {
    const v = x[p];
    if (Number.isNaN(v)) continue;
    const b = Math.min(HIST_BINS - 1, Math.max(0, Math.floor((v - lo) / w)));
    h[b]++;
  }
  return h;
}

/** [lo, hi] covering the 0.5–99.5 % range of every array (widened when degenerate). */
function edges(xs: readonly Float64Array[], floorAtZero: boolean): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    const s = Float64Array.from(x.filter((v) => !Number.isNaN(v))).sort();
    if (s.length === 0) continue;
    lo = Math.min(lo, s[Math.floor(0.005 * (s.length - 1))]);
    hi = Math.max(hi, s[Math.ceil(0.995 * (s.length - 1))]);
  }
  if (!Number.isFinite(lo)) return Float64Array.of(0, 1);
  if (floorAtZero) lo = Math.max(0, lo);
  if (!(hi > lo)) {
    const pad = Math.max(Math.abs(lo) * 0.01, 1e-6);
    return Float64Array.of(floorAtZero ? Math.max(0, lo - pad) : lo - pad, hi + pad);
  }
  return Float64Array.of(lo, hi);
}

/**
 * The report's detail collector: pass it as `RunOptions.collect`, then read `detail()`.
 * Memory: per strategy run of the current market, (dates × 1,602) histogram counts and 4 sums per
 * date; per market after it ran, the bounded {@link MarketDetail}.
 * @example const c = new ReportCollector(); runScenarioFile(f, { collect: c }); c.detail().markets[0].strategies[0].fan
 */
export class ReportCollector implements SplitCollector {
  /** Worker threads build their ranges' configs here (collect-builder.ts; .js in the compiled package). */
  readonly partBuilder = {
    module: new URL(`./collect-builder${extname(new URL(import.meta.url).pathname)}`, import.meta.url).href,
    builder: 'collectedMarketConfig',
  };

  forRange(): ReportCollector {
    return new ReportCollector();
  }

  partsOf(market: number, runs: number): (CollectorPart | undefined)[] {
    return Array.from({ length: runs }, (_, r) => this.partOf(market, r));
  }

  absorb(market: number, parts: readonly unknown[]): void {
    parts.forEach((p, r) => {
      if (p) this.absorbPart(market, r, p as CollectorPart);
    });
  }

  /** V₀, from the first book observed. */
  private v0 = Number.NaN;
  private readonly markets: MarketState[] = [];

  metrics(market: number, run: number, base: RunMetrics, built: BuiltMarket): RunMetrics {
    let m = this.markets[market];
    if (!m) {
      const nSteps = built.grid.nSteps;
      const steps = sampledSteps(nSteps);
      const sampleOf = new Int32Array(nSteps + 1).fill(-1);
      steps.forEach((s, k) => {
        sampleOf[s] = k;
      });
      const t0 = built.grid.times[0];
      m = {
        sampleOf,
        steps: Float32Array.from(steps),
        times: Float32Array.from(steps, (s) => built.grid.times[s] - t0),
        runs: [],
      };
      this.markets[market] = m;
    }
    const k = m.steps.length;
    const st: RunState = {
      q: undefined,
      exposure: new Float64Array(k),
      gamma: new Float64Array(k),
      vega: new Float64Array(k),
      n: new Float64Array(k),
      inv: new Float64Array(0),
    };
    m.runs[run] = st;
    const sampleOf = m.sampleOf;
    const record = (view: MarketView, book: BookView) => {
      const k = sampleOf[view.step];
      if (k < 0) return;
      const n = book.nPaths;
      const v = book.value;
      if (!st.q) {
        this.v0 = book.initialValue;
        st.q = new StepQuantiles(m.steps.length, book.initialValue);
      }
      st.q.add(k, v, n);
      if (st.inv.length !== n) st.inv = new Float64Array(n);
      const inv = st.inv;
      let c = 0;
      for (let p = 0; p < n; p++) {
        const vp = v[p];
        if (vp > 0) {
          inv[p] = 1 / vp;
          c++;
        } else inv[p] = 0; // V ≤ 0 or NaN: left out of the means
      }
      let e = 0;
      let ga = 0;
      let ve = 0;
      // Units count Δ = 1 (no Γ, ν); each line adds qty × its per-unit Greeks (Book.exposure's
      // sum, taken here straight from the lines to avoid filling a Greeks block per asset).
      for (let a = 0; a < book.assets.length; a++) {
        const u = book.units[a];
        const S = view.spot[a];
        for (let p = 0; p < n; p++) if (inv[p] !== 0) e += u[p] * S[p] * inv[p];
      }
      for (const line of book.lines) {
        const S = view.spot[line.terms.asset];
        const q = line.qty;
        const g = line.greeks;
        for (let p = 0; p < n; p++) {
          const x = q[p];
          const w = inv[p];
          if (x === 0 || w === 0) continue;
          const s = S[p];
          e += x * g.delta[p] * s * w;
          ga += 0.5e-4 * x * g.gamma[p] * s * s * w;
          ve += 0.01 * x * g.vega[p] * w;
        }
      }
      st.exposure[k] += e;
      st.gamma[k] += ga;
      st.vega[k] += ve;
      st.n[k] += c;
    };
    return {
      ...(base.results ? { results: () => base.results!() } : {}),
      begin(view, book) {
        base.begin(view, book);
        record(view, book);
      },
      observe(view, book, benchmark) {
        base.observe(view, book, benchmark);
        record(view, book);
      },
      finish(view, book, firstPath) {
        base.finish(view, book, firstPath);
      },
      ...(base.snapshot ? { snapshot: () => base.snapshot!() } : {}),
      ...(base.restore ? { restore: (s: unknown) => base.restore!(s) } : {}),
    };
  }

  marketDone(market: number, perPath: readonly Readonly<Record<string, Float64Array>>[]): void {
    const m = this.markets[market];
    if (!m) return;
    const k = m.steps.length;
    const terminalEdges = edges(
      perPath.map((r) => r.terminalValue),
      false,
    );
    const drawdownEdges = edges(
      perPath.map((r) => r.maxDrawdown),
      true,
    );
    const strategies: StrategyDetail[] = perPath.map((r, i) => {
      const st = m.runs[i];
      const fan = new Float32Array(FAN_QUANTILES.length * k);
      FAN_QUANTILES.forEach((q, j) => {
        for (let s = 0; s < k; s++) fan[j * k + s] = st.q ? st.q.quantile(s, q) : Number.NaN;
      });
      const mean = (x: Float64Array) =>
        Float32Array.from(x, (v, s) => (st.n[s] > 0 ? v / st.n[s] : Number.NaN));
      const nPay = Math.min(PAYOFF_SAMPLE, r.terminalValue.length);
      const payoff = new Float32Array(2 * nPay);
      for (let p = 0; p < nPay; p++) {
        payoff[2 * p] = this.v0 * (1 + r.benchmarkReturn[p]);
        payoff[2 * p + 1] = r.terminalValue[p];
      }
      return {
        fan,
        exposure: mean(st.exposure),
        gamma: mean(st.gamma),
        vega: mean(st.vega),
        terminalHist: histogram(r.terminalValue, terminalEdges[0], terminalEdges[1]),
        drawdownHist: histogram(r.maxDrawdown, drawdownEdges[0], drawdownEdges[1]),
        payoff,
      };
    });
    m.detail = { steps: m.steps, times: m.times, terminalEdges, drawdownEdges, strategies };
    m.runs.length = 0; // the histograms are no longer needed
  }

  /**
   * What run `run` of market `market` observed so far — for a threaded run, one range's part
   * (src/report/detail/collect-builder.ts); undefined if the run was not set up.
   */
  partOf(market: number, run: number): CollectorPart | undefined {
    const st = this.markets[market]?.runs[run];
    if (!st) return undefined;
    return {
      v0: this.v0,
      q: st.q?.state(),
      exposure: st.exposure.slice(),
      gamma: st.gamma.slice(),
      vega: st.vega.slice(),
      n: st.n.slice(),
    };
  }

  /**
   * Adds a range's part to run `run` of market `market` (set up by {@link metrics}). Parts absorbed
   * in path order, one per engine chunk, give the bits of the single-thread collection: the chunk
   * sums are added in the same order and the histograms are counts.
   * @throws DomainError if the run was not set up
   */
  absorbPart(market: number, run: number, part: CollectorPart): void {
    const st = this.markets[market]?.runs[run];
    if (!st) throw new DomainError('run', `${market}/${run}`, 'must be set up by metrics() before its parts');
    if (part.q) {
      if (!st.q) {
        this.v0 = part.v0;
        st.q = new StepQuantiles(part.q.samples, part.q.v0);
      }
      st.q.absorb(part.q);
    }
    for (let k = 0; k < st.exposure.length; k++) {
      st.exposure[k] += part.exposure[k];
      st.gamma[k] += part.gamma[k];
      st.vega[k] += part.vega[k];
      st.n[k] += part.n[k];
    }
  }

  /** The detail of every market run so far. */
  detail(): ReportDetail {
    return { markets: this.markets.map((m) => m.detail).filter((d): d is MarketDetail => d !== undefined) };
  }
}
