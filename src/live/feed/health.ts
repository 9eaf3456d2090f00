/**
 * Feed health: every event passes here before it can move the book.
 *
 * - Sequence: a repeated sequence number is a duplicate (dropped); a number below the last one
 *   seen, or a timestamp before the instrument's last, is out of order (dropped: a late price must
 *   not overwrite a newer one); a jump past last + 1 is a gap (the event is kept, the missing count
 *   logged).
 * - Staleness: no event (heartbeats count) for `staleMs` of the pacing clock.
 * - Suspicious prints: per instrument, an EWMA variance of log returns between accepted prices,
 *   σ²ₜ = λσ²ₜ₋₁ + (1 − λ)rₜ² (RiskMetrics), seeded with the first squared return. After `warmup`
 *   returns, a print with |ln(p/p_last)| > k·σ is held as suspect, not applied. The next print of
 *   the instrument decides: if it lies closer (in log terms) to the suspect price than to the last
 *   accepted one the move was real — the suspect is released, then the new print; otherwise the
 *   suspect was a bad print — it is dropped (a held bar is replaced by a bar at the last accepted
 *   price, so every timestamp still gets its bar) and the new print applies.
 *
 * Every finding is a `HealthProblem`, logged by the live monitor and counted into the escalation
 * protocol's feed-health driver. The state is plain data (`snapshot` / `restore`).
 *
 * References: J.P. Morgan/Reuters, RiskMetrics — Technical Document (1996) §5.2 (EWMA σ).
 */
import { eventPrice, type FeedEvent, type PriceEvent } from './event.ts';

export interface FeedHealthConfig {
  /** No event for this long (ms of the pacing clock) → stale. */
  readonly staleMs: number;
  /** k: a print beyond k EWMA sigmas is suspect; 0 turns the check off. */
  readonly suspectSigmas: number;
  /** EWMA decay λ of the return variance, in (0, 1). */
  readonly lambda: number;
  /** Returns seen before the suspect check starts. */
  readonly warmup: number;
}

export const DEFAULT_HEALTH: FeedHealthConfig = {
  staleMs: 30_000,
  suspectSigmas: 8,
  lambda: 0.94,
  warmup: 20,
};

export type HealthProblemKind =
  | 'gap'
  | 'duplicate'
  | 'out-of-order'
  | 'stale'
  | 'suspect'
  | 'suspect-confirmed'
  | 'suspect-rejected';

/** One finding of the health monitor. */
export interface HealthProblem {
  readonly kind: HealthProblemKind;
  /** Sequence number and time of the event concerned (the clock's time for `stale`). */
  readonly seq: number;
  readonly ts: number;
  readonly instrument?: string;
  /** e.g. the number of missing events of a gap, or the move in sigmas of a suspect print. */
  readonly value?: number;
  readonly detail: string;
}

/** What one event leads to: the events to apply now (0, 1 or 2) and the problems found. */
export interface HealthVerdict {
  readonly accepted: FeedEvent[];
  readonly problems: HealthProblem[];
}

interface InstrumentState {
  last: number;
  lastTs: number;
  variance: number;
  returns: number;
  held: PriceEvent | undefined;
  heldSigmas: number;
}

interface HealthSnapshot {
  lastSeq: number;
  recent: number[];
  lastEventAt: number;
  staleReported: boolean;
  instruments: [string, InstrumentState][];
}

const RECENT = 4096;

/** The health monitor of one feed. */
export class FeedHealth {
  private lastSeq = -1;
  private recent: number[] = [];
  private readonly recentSet = new Set<number>();
  private lastEventAt = Number.NaN;
  private staleReported = false;
  private readonly inst = new Map<string, InstrumentState>();

  constructor(readonly config: FeedHealthConfig = DEFAULT_HEALTH) {}

  /** Checks one event received at clock time `nowMs`. */
  check(e: FeedEvent, nowMs: number): HealthVerdict {
    const problems: HealthProblem[] = [];
    this.lastEventAt = nowMs;
    this.staleReported = false;
    if (this.recentSet.has(e.seq)) {
      problems.push({ kind: 'duplicate', seq: e.seq, ts: e.ts, detail: `sequence ${e.seq} seen before` });
      return { accepted: [], problems };
    }
    if (e.seq < this.lastSeq) {
      problems.push({
        kind: 'out-of-order',
        seq: e.seq,
        ts: e.ts,
        detail: `sequence ${e.seq} after ${this.lastSeq}`,
      });
      return { accepted: [], problems };
    }
    if (this.lastSeq >= 0 && e.seq > this.lastSeq + 1) {
      const missing = e.seq - this.lastSeq - 1;
      problems.push({
        kind: 'gap',
        seq: e.seq,
        ts: e.ts,
        value: missing,
        detail: `${missing} event(s) missing after sequence ${this.lastSeq}`,
      });
    }
    this.remember(e.seq);
    this.lastSeq = e.seq;
    const price = eventPrice(e);
    if (price === undefined || e.kind === 'heartbeat' || e.kind === 'vol') {
      return { accepted: [e], problems };
    }
    const pe = e as PriceEvent;
    let s = this.inst.get(pe.instrument);
    if (!s) {
      s = { last: price, lastTs: pe.ts, variance: 0, returns: 0, held: undefined, heldSigmas: 0 };
      this.inst.set(pe.instrument, s);
      return { accepted: [e], problems };
    }
    if (pe.ts < s.lastTs) {
      problems.push({
        kind: 'out-of-order',
        seq: e.seq,
        ts: e.ts,
        instrument: pe.instrument,
        detail: `${pe.instrument} time ${new Date(pe.ts).toISOString()} before its last`,
      });
      return { accepted: [], problems };
    }
    const accepted: FeedEvent[] = [];
    const held = s.held;
    if (held) {
      const hp = eventPrice(held) as number;
      s.held = undefined;
      if (Math.abs(Math.log(price / hp)) <= Math.abs(Math.log(price / s.last))) {
        problems.push({
          kind: 'suspect-confirmed',
          seq: held.seq,
          ts: held.ts,
          instrument: held.instrument,
          value: s.heldSigmas,
          detail: `${held.instrument} ${hp} confirmed by ${price} (sequence ${e.seq})`,
        });
        this.apply(s, hp, held.ts);
        accepted.push(held);
      } else {
        problems.push({
          kind: 'suspect-rejected',
          seq: held.seq,
          ts: held.ts,
          instrument: held.instrument,
          value: s.heldSigmas,
          detail: `${held.instrument} ${hp} rejected: ${price} (sequence ${e.seq}) is back near ${s.last}`,
        });
        if (held.kind === 'bar')
          accepted.push({ ...held, close: s.last, open: undefined, high: undefined, low: undefined });
      }
      this.apply(s, price, pe.ts);
      accepted.push(e);
      return { accepted: accepted.map(stripUndefined), problems };
    }
    const r = Math.log(price / s.last);
    const sigma = Math.sqrt(s.variance);
    const k = this.config.suspectSigmas;
    if (k > 0 && s.returns >= this.config.warmup && Math.abs(r) > k * sigma) {
      s.held = pe;
      s.heldSigmas = Math.abs(r) / sigma;
      problems.push({
        kind: 'suspect',
        seq: e.seq,
        ts: e.ts,
        instrument: pe.instrument,
        value: s.heldSigmas,
        detail: `${pe.instrument} ${price} is ${s.heldSigmas.toFixed(1)} EWMA sigmas from ${s.last}: held until confirmed`,
      });
      return { accepted: [], problems };
    }
    this.apply(s, price, pe.ts);
    return { accepted: [e], problems };
  }

  /** Whether `instrument` has a print held as suspect. */
  holding(instrument: string): boolean {
    return this.inst.get(instrument)?.held !== undefined;
  }

  /** At the end of a feed: held prints are released unconfirmed (nothing contradicted them). */
  flush(): HealthVerdict {
    const accepted: FeedEvent[] = [];
    const problems: HealthProblem[] = [];
    for (const s of this.inst.values()) {
      const h = s.held;
      if (!h) continue;
      s.held = undefined;
      const hp = eventPrice(h) as number;
      problems.push({
        kind: 'suspect-confirmed',
        seq: h.seq,
        ts: h.ts,
        instrument: h.instrument,
        value: s.heldSigmas,
        detail: `${h.instrument} ${hp} released at the end of the feed (not contradicted)`,
      });
      this.apply(s, hp, h.ts);
      accepted.push(h);
    }
    accepted.sort((a, b) => a.seq - b.seq);
    return { accepted, problems };
  }

  /** A `stale` problem when no event arrived for `staleMs` up to `nowMs` (reported once per silence). */
  checkStale(nowMs: number): HealthProblem | undefined {
    if (Number.isNaN(this.lastEventAt) || this.staleReported) return undefined;
    const quiet = nowMs - this.lastEventAt;
    if (quiet < this.config.staleMs) return undefined;
    this.staleReported = true;
    return {
      kind: 'stale',
      seq: this.lastSeq,
      ts: nowMs,
      value: quiet,
      detail: `no event for ${Math.round(quiet / 1000)} s (limit ${Math.round(this.config.staleMs / 1000)} s)`,
    };
  }

  /** True while the feed is silent beyond `staleMs`. */
  isStale(nowMs: number): boolean {
    return !Number.isNaN(this.lastEventAt) && nowMs - this.lastEventAt >= this.config.staleMs;
  }

  snapshot(): HealthSnapshot {
    return {
      lastSeq: this.lastSeq,
      recent: [...this.recent],
      lastEventAt: this.lastEventAt,
      staleReported: this.staleReported,
      instruments: [...this.inst.entries()].map(([k, v]) => [k, { ...v }]),
    };
  }

  restore(snap: unknown): void {
    const s = snap as HealthSnapshot;
    this.lastSeq = s.lastSeq;
    this.recent = [...s.recent];
    this.recentSet.clear();
    for (const q of this.recent) this.recentSet.add(q);
    this.lastEventAt = s.lastEventAt;
    this.staleReported = s.staleReported;
    this.inst.clear();
    for (const [k, v] of s.instruments) this.inst.set(k, { ...v });
  }

  private remember(seq: number): void {
    this.recent.push(seq);
    this.recentSet.add(seq);
    if (this.recent.length > RECENT) {
      const old = this.recent.shift() as number;
      this.recentSet.delete(old);
    }
  }

  private apply(s: InstrumentState, price: number, ts: number): void {
    const r = Math.log(price / s.last);
    const lambda = this.config.lambda;
    s.variance = s.returns === 0 ? r * r : lambda * s.variance + (1 - lambda) * r * r;
    s.returns++;
    s.last = price;
    s.lastTs = ts;
  }
}

function stripUndefined(e: FeedEvent): FeedEvent {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as FeedEvent;
}
