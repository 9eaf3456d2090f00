/**
 * The live monitor's options (monitor.ts): what run-live.ts builds from a validated config, and
 * what benchmarks and tests pass directly.
 */

import type { LadderSpec } from '../risk/scenario-ladder.ts';
import type { BuiltScenario } from '../scenario/build.ts';
import type { Escalation } from './escalation/types.ts';
import type { Clock } from './feed/feed.ts';
import type { FeedHealthConfig } from './feed/health.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { StepMode } from './live-source.ts';
import type { ExecutionAdapter } from './orders.ts';

export interface RiskOptions {
  /** CPPI multiplier m for the cushion in units of 1/m. */
  readonly multiplier: number;
  /** The protocol's shock: relative spot move and vol points. */
  readonly shock: { readonly spot: number; readonly volPoints: number };
  /** Ladder axes (default src/risk/scenario-ladder.ts's). */
  readonly ladder?: LadderSpec;
  /** Shocked loss, Greeks and ladder every this many steps (the floor and cushion: every step). */
  readonly every: number;
  /** Index asset (for the index drop and the move in sigmas). */
  readonly index: number;
  /** EWMA decay of the index's daily variance (moves in sigmas), e.g. RiskMetrics 0.94. */
  readonly lambda: number;
}

export interface MonitorOptions {
  /** The run's name: part of every order id. */
  readonly run: string;
  readonly built: BuiltScenario;
  /** Index of the strategy whose trades become orders. */
  readonly trade: number;
  /** Instrument per asset (null = flat). */
  readonly instruments: readonly (string | null)[];
  readonly stepsPerYear: number;
  readonly plannedSteps?: number | undefined;
  readonly mode?: StepMode;
  readonly health: FeedHealthConfig;
  readonly escalation?: Escalation | undefined;
  readonly adapter: ExecutionAdapter;
  readonly ledger: LedgerStore;
  readonly risk: RiskOptions;
  readonly snapshotEvery: number;
  readonly clock: Clock;
  /** Track P&L attribution since the open (the stepper's 'book' attribution). */
  readonly attribution: boolean;
  /** Keep every run's value path and trade list in memory (tests, reports). */
  readonly keepHistory?: boolean;
}
