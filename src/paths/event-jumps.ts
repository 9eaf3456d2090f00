/**
 * Scheduled events on top of any path model (issue 8 §3): a wrapper generator that lets the inner
 * model step, then, at each event time τ, moves every affected asset by a log jump and raises its
 * diffusive vol for a while:
 *
 *   ln S ← ln S + J,  J = m + s·Z  (Z ~ N(0, 1), one draw per path shared by the affected assets)
 *     on the step (t, t + dt] with t < τ ≤ t + dt;
 *   after the event, an extra diffusion with vol b(t) = Σ_{τ ≤ t} bump·2^{−(t − τ)/h}:
 *   ln S ← ln S − ½b²dt + b·√dt·Z',  Z' ~ N(0, 1) per path (shared by the affected assets),
 *   and the reported model vol becomes √(σ² + b²) (what `pricingVol: model` prices options with).
 *
 * E[S after the jump] = S·e^{m + s²/2}. The extra diffusion is a martingale term, so the event leaves
 * the drift of the model unchanged except for the jump itself. Draws come from the block's stream
 * after the inner model's, only on steps with an event or a live bump, so a scenario without events
 * is untouched (the scenario builds no wrapper then). A bump below 10⁻⁴ of its size is dropped.
 *
 * State: adds `eventBaseVol` (the inner model's vol per asset, [nPaths] each) so the bump never
 * compounds on models that set their vol once at init.
 *
 * @example
 * new EventJumpGenerator(gbm, [{ name: 'CPI', t: 0.25, jumpMean: -0.05, jumpStd: 0.03, volBump: 0.1, volHalfLife: 0.02 }])
 * // on a daily grid, ln(S(t₆₃)/S(t₆₂)) ≈ −0.05 ± 0.03 on top of the diffusion
 * References: R. C. Merton, "Option pricing when underlying stock returns are discontinuous",
 * J. Financial Economics 3 (1976) (log-normal jumps); Glasserman (2003) §3.5 (jumps at fixed times).
 */

import type { Rng } from '../core/rng.ts';
import { TIME_EPS } from '../core/time.ts';
import { type EventSpec, sortEvents } from '../market/events.ts';
import type { AssetSpec, InitOptions, MarketState, PathGenerator, RateModel } from './types.ts';

type EventState = MarketState & { eventBaseVol: Float64Array[] };

/** A path model with scheduled events applied on top (formulas in the file header). */
export class EventJumpGenerator implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  readonly inner: PathGenerator;
  readonly events: readonly EventSpec[];
  private readonly affects: Uint8Array; // [nEvents·nA]
  private readonly bump: Float64Array; // b per asset at the current step
  private z = new Float64Array(0);

  /** @throws DomainError for an invalid event (events.ts `sortEvents`) or asset index */
  constructor(inner: PathGenerator, events: readonly EventSpec[]) {
    this.inner = inner;
    this.assets = inner.assets;
    this.rate = inner.rate;
    this.events = sortEvents(events);
    const nA = inner.assets.length;
    this.affects = new Uint8Array(this.events.length * nA);
    this.events.forEach((e, k) => {
      if (!e.assets) this.affects.fill(1, k * nA, (k + 1) * nA);
      else for (const a of e.assets) if (a >= 0 && a < nA) this.affects[k * nA + a] = 1;
    });
    this.bump = new Float64Array(nA);
  }

  init(nPaths: number, opts?: InitOptions): MarketState {
    const state = this.inner.init(nPaths, opts);
    Object.assign(state, { eventBaseVol: state.vol.map((v) => v.slice()) });
    this.z = new Float64Array(nPaths);
    return state;
  }

  step(t: number, dt: number, state: MarketState, rng: Rng): void {
    this.baseVolIn(state);
    this.inner.step(t, dt, state, rng);
    this.afterInner(t, dt, state, rng);
  }

  /**
   * All blocks at once when the inner model can (the WebAssembly GBM step): the inner model draws
   * from every block's stream, then each block's events draw from its own — per stream the same
   * order as `step`, so the same paths.
   */
  stepBlocks(t: number, dt: number, blocks: readonly MarketState[], rngs: readonly Rng[]): void {
    if (!this.inner.stepBlocks) {
      for (let b = 0; b < blocks.length; b++) this.step(t, dt, blocks[b], rngs[b]);
      return;
    }
    for (let b = 0; b < blocks.length; b++) this.baseVolIn(blocks[b]);
    this.inner.stepBlocks(t, dt, blocks, rngs);
    for (let b = 0; b < blocks.length; b++) this.afterInner(t, dt, blocks[b], rngs[b]);
  }

  /** The inner model's own vol back in place before it steps (the bumps never compound). */
  private baseVolIn(state: MarketState): void {
    const base = (state as EventState).eventBaseVol;
    for (let a = 0; a < this.assets.length; a++) state.vol[a].set(base[a]);
  }

  /** After the inner step: its vol saved, then the bumps' diffusion, the jumps and the reported vol. */
  private afterInner(t: number, dt: number, state: MarketState, rng: Rng): void {
    const st = state as EventState;
    const n = state.nPaths;
    const nA = this.assets.length;
    const base = st.eventBaseVol;
    for (let a = 0; a < nA; a++) base[a].set(state.vol[a]);
    const z = this.z.length === n ? this.z : this.z.subarray(0, n);
    const te = t + dt;
    // Extra diffusion of the bumps live at the start of the step (events at or before t).
    let anyBump = false;
    this.bump.fill(0);
    for (let k = 0; k < this.events.length; k++) {
      const e = this.events[k];
      if (!(e.volBump > 0) || e.t > t + TIME_EPS) continue;
      const decay = 2 ** (-(t - e.t) / e.volHalfLife);
      if (decay < 1e-4) continue;
      for (let a = 0; a < nA; a++)
        if (this.affects[k * nA + a]) {
          this.bump[a] += e.volBump * decay;
          anyBump = true;
        }
    }
    if (anyBump) {
      rng.fillNormal(z);
      const sq = Math.sqrt(dt);
      for (let a = 0; a < nA; a++) {
        const b = this.bump[a];
        if (b === 0) continue;
        const drift = -0.5 * b * b * dt;
        const spot = state.spot[a];
        const lr = state.logReturn[a];
        const ls = state.logSpot?.[a];
        for (let p = 0; p < n; p++) {
          const x = drift + b * sq * z[p];
          spot[p] *= Math.exp(x);
          lr[p] += x;
          if (ls) ls[p] += x;
        }
      }
    }
    // Jumps of the events in (t, t + dt].
    for (let k = 0; k < this.events.length; k++) {
      const e = this.events[k];
      if (!(t + TIME_EPS < e.t && e.t <= te + TIME_EPS)) continue;
      if (e.jumpStd > 0) rng.fillNormal(z);
      for (let a = 0; a < nA; a++) {
        if (!this.affects[k * nA + a]) continue;
        const spot = state.spot[a];
        const lr = state.logReturn[a];
        const ls = state.logSpot?.[a];
        for (let p = 0; p < n; p++) {
          const J = e.jumpMean + (e.jumpStd > 0 ? e.jumpStd * z[p] : 0);
          spot[p] *= Math.exp(J);
          lr[p] += J;
          if (ls) ls[p] += J;
        }
      }
    }
    // Reported vol after the step: the bumps live at its end.
    for (let a = 0; a < nA; a++) {
      let b = 0;
      for (let k = 0; k < this.events.length; k++) {
        const e = this.events[k];
        if (!(e.volBump > 0) || e.t > te + TIME_EPS || !this.affects[k * nA + a]) continue;
        const decay = 2 ** (-Math.max(0, te - e.t) / e.volHalfLife);
        if (decay >= 1e-4) b += e.volBump * decay;
      }
      if (b === 0) continue;
      const v = state.vol[a];
      for (let p = 0; p < n; p++) v[p] = Math.sqrt(v[p] * v[p] + b * b);
    }
  }
}
