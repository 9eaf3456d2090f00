/**
 * Shared helpers of the CPPI / OBPI Monte-Carlo verification tests: a floor-breach accumulator and
 * sample statistics with their standard errors.
 */
import type { MarketView } from '../src/market/market-view.ts';
import type { FloorSpec, PathMetricsAccumulator } from '../src/metrics/types.ts';
import type { BookView } from '../src/portfolio/book.ts';

/**
 * Per path: the minimum over steps of (V − F)/F after trading, with F the engine's floor
 * (level·V₀·e^{∫r} when it accrues). A path "breaches" when this minimum is < 0.
 * Shape: minCushion [nPaths].
 */
export class FloorWatch implements PathMetricsAccumulator {
  readonly minCushion: Float64Array;
  private chunk = new Float64Array(0);
  constructor(nPaths: number) {
    this.minCushion = new Float64Array(nPaths);
  }
  begin(_view: MarketView, book: BookView, floor: Float64Array): void {
    this.chunk = new Float64Array(book.nPaths);
    for (let p = 0; p < book.nPaths; p++) this.chunk[p] = (book.value[p] - floor[p]) / floor[p];
  }
  observe(_view: MarketView, book: BookView, floor: Float64Array): void {
    const c = this.chunk;
    for (let p = 0; p < book.nPaths; p++) {
      const x = (book.value[p] - floor[p]) / floor[p];
      if (x < c[p]) c[p] = x;
    }
  }
  finish(_view: MarketView, _book: BookView, firstPath: number): void {
    this.minCushion.set(this.chunk, firstPath);
  }
  /** Number of paths whose value went below the floor at some step. */
  breaches(): number {
    let k = 0;
    for (const x of this.minCushion) if (x < 0) k++;
    return k;
  }
}

export const floorSpec = (level: number, accrues: boolean): FloorSpec => ({ level, accrues });

/** Sample mean, standard deviation and the standard errors of both (delta method for the std). */
export function sampleStats(x: Float64Array): { mean: number; std: number; seMean: number; seStd: number } {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = (v - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const var_ = m2 / (n - 1);
  const std = Math.sqrt(var_);
  // Var(s²) ≈ (μ₄ − σ⁴)/n; s = √(s²) → SE(s) ≈ SE(s²)/(2s).
  const seVar = Math.sqrt((m4 / n - (m2 / n) ** 2) / n);
  return { mean, std, seMean: std / Math.sqrt(n), seStd: seVar / (2 * std) };
}
