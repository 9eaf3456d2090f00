/**
 * The protocol's market drivers for the live monitor, one observation at a time: the index's move
 * since the previous close in daily sigmas, its drop against the previous close, and realised
 * against implied vol. Closes are the last observation of each date (daily bars: every step;
 * ticks: the last tick of the day).
 *
 * - σ of a day: from the feed's vol at the previous close when it sends one (a replay's EWMA over
 *   the whole history, an implied vol), else from an EWMA (λ) of daily close-to-close log returns,
 *   annualized, once `SIGMA_WARMUP` days are in; move = |ln(S/C₋₁)| / (σ·√(1/252));
 * - drop = max(0, 1 − S/C₋₁);
 * - realised / implied: √(EWMA variance) over the feed's implied vol (only when the feed sends
 *   implied vols, after the warm-up).
 * The formulas are the protocol's shared ones (src/live/escalation/measure.ts). State is plain data.
 *
 * References: RiskMetrics — Technical Document (4th ed., 1996) §5.2.1; NYSE Rule 7.12 (the
 * market-wide circuit breakers measure the drop against the prior day's close).
 */
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { ewmaVariance, moveInSigmas } from './escalation/measure.ts';

/** Daily returns our own EWMA needs before a move is measured in its sigmas (no vol from the feed). */
export const SIGMA_WARMUP = 20;

export interface MarketDriverState {
  /** Annualized EWMA variance of daily log returns. */
  variance: number;
  returns: number;
  curDate: string | undefined;
  lastClose: number;
  prevClose: number;
  /** The feed's vol at the previous close, and at the last observation (0: none). */
  prevVol: number;
  lastVol: number;
  /** Whether the feed has sent implied vols. */
  impliedSeen: boolean;
}

export interface MarketMeasures {
  readonly moveSigmas?: number;
  readonly indexDrop?: number;
  readonly volRatio?: number;
}

export class MarketDrivers {
  state: MarketDriverState = {
    variance: 0,
    returns: 0,
    curDate: undefined,
    lastClose: Number.NaN,
    prevClose: Number.NaN,
    prevVol: 0,
    lastVol: 0,
    impliedSeen: false,
  };

  /** @param lambda EWMA decay of the daily variance, in (0, 1) */
  constructor(private readonly lambda: number) {}

  /** Measures one observation of the index: its price, the feed's vol for it, its date. */
  observe(spot: number, vol: number, date: string | undefined): MarketMeasures {
    const c = this.state;
    const day = 1 / TRADING_DAYS_PER_YEAR;
    if (date !== c.curDate) {
      // a new day closes the last one: its close-to-close return enters the EWMA
      if (!Number.isNaN(c.prevClose) && !Number.isNaN(c.lastClose)) {
        const r = Math.log(c.lastClose / c.prevClose);
        c.variance = c.returns === 0 ? (r * r) / day : ewmaVariance(c.variance, r, day, this.lambda);
        c.returns++;
      }
      if (!Number.isNaN(c.lastClose)) c.prevVol = c.lastVol;
      c.prevClose = c.lastClose;
      c.curDate = date;
    }
    c.lastClose = spot;
    c.lastVol = vol;
    const hasClose = !Number.isNaN(c.prevClose);
    const variance = c.prevVol > 0 ? c.prevVol * c.prevVol : c.variance;
    const warm = c.prevVol > 0 || c.returns >= SIGMA_WARMUP;
    const out: { moveSigmas?: number; indexDrop?: number; volRatio?: number } = {};
    if (hasClose && warm && variance > 0)
      out.moveSigmas = moveInSigmas(Math.log(spot / c.prevClose), variance, day);
    if (hasClose) out.indexDrop = Math.max(0, 1 - spot / c.prevClose);
    if (c.impliedSeen && vol > 0 && c.returns >= SIGMA_WARMUP) out.volRatio = Math.sqrt(c.variance) / vol;
    return out;
  }

  snapshot(): MarketDriverState {
    return { ...this.state };
  }

  restore(s: MarketDriverState): void {
    this.state = { ...s };
  }
}
