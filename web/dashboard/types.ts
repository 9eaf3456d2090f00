/**
 * The dashboard's view of what the live API sends (docs/live.md §5): the parts of `LiveState` it
 * draws. Plain structural types with no import from src/ (the browser bundle carries no library
 * code); test/dashboard/state-compat.ts checks at compile time that a `LiveState` is assignable to
 * `DashState`, so a change of the server's state that breaks the dashboard fails `tsc`.
 */

export type Level = 'NORMAL' | 'WATCH' | 'DE-RISK' | 'PROTECT' | 'HALTED';

export interface DashTransition {
  readonly timeMs: number;
  readonly from: Level;
  readonly to: Level;
  readonly driver: string;
  readonly value: number | boolean | null;
  readonly reason: string;
}

export interface DashHealthProblem {
  readonly kind: string;
  readonly seq: number;
  readonly ts: number;
  readonly instrument?: string;
  readonly detail: string;
}

export type DashAlert =
  | { readonly kind: 'health'; readonly problem: DashHealthProblem }
  | { readonly kind: 'transition'; readonly transition: DashTransition };

export interface DashOrder {
  readonly id: string;
  readonly seq: number;
  readonly step: number;
  readonly ts: number;
  readonly instrument: string;
  readonly qty: number;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly cost: number;
  readonly level: Level;
}

export interface DashFill {
  readonly id: string;
  readonly orderId: string;
  readonly ts: number;
  readonly instrument: string;
  readonly qty: number;
  readonly price: number;
  readonly cost: number;
}

export interface DashFloor {
  readonly floor: number;
  readonly value: number;
  readonly distance: number;
  readonly cushion: number;
  readonly cushionUnits: number;
  readonly multiplier: number;
}

export interface DashLadder {
  readonly spotShocks: readonly number[];
  readonly volShocks: readonly number[];
  readonly baseValue: number;
  readonly pnl: readonly (readonly number[])[];
}

export interface DashAssetRisk {
  readonly asset: string;
  readonly spot: number;
  readonly cashDelta: number;
  readonly cashGamma: number;
  readonly vega: number;
  readonly vegaBuckets: readonly number[];
  readonly theta: number;
}

/** Net Greeks by asset × expiry bucket (src/live/greeks-heatmap.ts); matrices [asset][column]. */
export interface DashHeatmap {
  /** `spot` (the assets held), then the expiry buckets. */
  readonly columns: readonly string[];
  readonly assets: readonly string[];
  readonly cashDelta: readonly (readonly number[])[];
  readonly cashGamma: readonly (readonly number[])[];
  readonly vega: readonly (readonly number[])[];
}

export interface DashRisk {
  readonly perAsset: readonly DashAssetRisk[];
  readonly heatmap: DashHeatmap;
  readonly bucketLabels: readonly string[];
  readonly vegaBuckets: readonly number[];
  readonly cashDelta: number;
  readonly cashGamma: number;
  readonly vega: number;
  readonly gross: number;
  readonly ladder: DashLadder | undefined;
}

/** One instrument of the last plan (src/live/plan-recorder.ts). */
export interface DashPlanLeg {
  readonly contract: string;
  readonly asset: string;
  readonly role: 'hedge' | 'target';
  readonly held: number;
  readonly target: number;
  readonly trade: number;
  readonly status: 'traded' | 'refused' | 'not due' | 'no trade';
}

export interface DashPlanGreeks {
  readonly asset: string;
  readonly method: string;
  readonly solves: readonly string[];
  readonly target: {
    readonly cashDelta: number | null;
    readonly cashGamma: number | null;
    readonly vega: number | null;
  };
  readonly after: { readonly cashDelta: number; readonly cashGamma: number; readonly vega: number };
}

/** The traded strategy's last plan: a hedge solve, or the last rebalance of a strategy without one. */
export interface DashPlan {
  readonly source: 'solver' | 'rebalance';
  readonly strategy: string;
  readonly step: number;
  readonly date: string | undefined;
  readonly ts: number;
  readonly level: Level;
  readonly status: 'executed' | 'partly executed' | 'not executed' | 'nothing to trade';
  readonly reason: string;
  readonly legs: readonly DashPlanLeg[];
  readonly greeks: readonly DashPlanGreeks[];
  readonly cost: number;
}

export interface DashState {
  readonly run: string;
  readonly seq: number;
  readonly step: number;
  readonly date: string | undefined;
  readonly ts: number;
  readonly level: Level;
  readonly spot: Readonly<Record<string, number>>;
  readonly book:
    | {
        readonly value: number;
        readonly cash: number;
        readonly units: Readonly<Record<string, number>>;
        readonly lines: readonly { readonly contract: string; readonly qty: number; readonly mark: number }[];
        readonly fees: number;
      }
    | undefined;
  readonly floor: DashFloor | undefined;
  readonly shockedLoss: number | undefined;
  readonly risk: DashRisk | undefined;
  readonly attribution: Readonly<Record<string, number>> | undefined;
  readonly plan: DashPlan | undefined;
  readonly orders: readonly DashOrder[];
  readonly fills: readonly DashFill[];
  readonly alerts: readonly DashAlert[];
}

/** A ledger row as `GET /api/history` and `GET /api/audit` return it. */
export interface StoredEvent {
  readonly rowid: number;
  readonly id: string;
  readonly type: string;
  readonly seq: number;
  readonly ts: number;
  readonly payload: unknown;
}
