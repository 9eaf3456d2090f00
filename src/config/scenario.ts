/**
 * The scenario file schema (YAML or JSON) of `hedgekit run`: portfolio, floor, horizon, markets,
 * paths, costs, rebalancing, the pricing vol and the strategies to compare. Every default of a
 * scenario lives here, once (docs/scenarios.md and schemas/scenario.schema.json point at it).
 * Strategy parameters left out are the strategy's own defaults (docs/strategies/<kind>.md), except
 * `floor`, `floorAccrues` and `tenor`, which default to the scenario's floor and horizon.
 *
 * Units: fractions are decimals (0.7 = 70 %), rates and vols annualized decimals, times in years,
 * costs in basis points (1 bp = 0.0001) or vol points (1 = 0.01 of vol), money in the book's currency.
 *
 * Unknown keys are errors everywhere (a typo must never pass silently). Cross-field rules (weights
 * summing to 1, one entry per asset, positive semi-definite correlations, known regime presets,
 * unique names) are checked by {@link ScenarioSchema}'s refinement and name the offending entry.
 *
 * References: zod 4 (https://zod.dev); JSON Schema 2020-12 via `z.toJSONSchema`.
 */
import { z } from 'zod';
import { PATHS_BOUND, RATE_BOUND, STEPS_PER_YEAR_BOUND } from '../core/bounds.ts';
import { choleskyCorrelation } from '../core/cholesky.ts';
import { DomainError, formatValue } from '../core/errors.ts';
import {
  fraction,
  intWithin,
  isoDate,
  matrix,
  moneyNum,
  nonNegative,
  num,
  obj,
  perAsset,
  perAssetRequired,
  posInt,
  positive,
  rateNum,
  volNum,
  within,
  yearsNum,
} from '../core/schema.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { normalizeWeights } from '../core/weights.ts';
import { listRegimes } from '../market/regimes.ts';
import type { AnyStrategyDefinition, CommonEntry, ScenarioContext } from '../strategies/definition.ts';
import { checkOverlays, OverlaySchema, overlayLabel } from '../strategies/overlays/overlay.ts';
import { STRATEGY_KINDS, STRATEGY_REGISTRY, strategyDefinition } from '../strategies/registry.ts';
import { checkEvents, eventsFields } from './events-schema.ts';

/** Most paths whose full trade ledgers a scenario may keep. */
export const MAX_LEDGER_PATHS = 1000;

export const ASSET_CLASSES = ['equity', 'bond', 'commodity', 'fx'] as const;

const AssetSchema = obj({
  name: z
    .string()
    .min(1, { error: 'must be a non-empty string' })
    .describe('Unique asset name (also the default history column).'),
  class: z
    .enum(ASSET_CLASSES)
    .describe('Asset class: sets the cost bucket and the regime presets’ parameters.'),
  spot: moneyNum().default(100).describe('Price at inception, currency.'),
  weight: fraction().describe('Weight in the risky sleeve; the weights sum to 1.'),
  carry: rateNum()
    .default(0)
    .describe('Dividend / coupon / convenience yield, annualized decimal, paid in cash.'),
});

const PortfolioSchema = obj({
  initialValue: moneyNum().default(100).describe('Portfolio value V0 at inception, currency.'),
  assets: z.array(AssetSchema).min(1, { error: 'must list at least one asset' }),
});

const FloorSchema = obj({
  level: z
    .number()
    .gt(0, { error: 'must be > 0' })
    .lt(1.5, { error: 'must be < 1.5' })
    .describe('Floor as a fraction of V0.'),
  accrues: z
    .boolean()
    .default(false)
    .describe('Whether the floor grows at the short rate (a zero-coupon floor).'),
});

const SmileSchema = obj({
  skew: num().describe('Relative vol change per unit of ln(K/S).'),
  curvature: num().default(0).describe('Relative vol change per unit of ln(K/S)².'),
  termSlope: num().default(0).describe('Absolute vol change per year of expiry beyond one year.'),
  minVol: positive().optional().describe('Lower bound of the smile (vol-input default 0.01).'),
});

const PricingVolSchema = z.discriminatedUnion('kind', [
  obj({ kind: z.literal('constant'), vol: perAsset(volNum()), smile: SmileSchema.optional() }),
  obj({ kind: z.literal('model'), smile: SmileSchema.optional() }),
  obj({
    kind: z.literal('ewma'),
    lambda: z.number().gt(0, { error: 'must be > 0' }).lt(1, { error: 'must be < 1' }).default(0.94),
    initial: perAssetRequired(volNum(), 'the starting annualized vol').describe(
      'Initial annualized vol per asset.',
    ),
    smile: SmileSchema.optional(),
  }),
  obj({
    kind: z.literal('garch'),
    omega: positive().describe('Per-step GARCH(1,1) constant.'),
    alpha: nonNegative(),
    beta: nonNegative(),
    initial: perAssetRequired(volNum(), 'the starting annualized vol'),
    smile: SmileSchema.optional(),
  }),
]);

/** Named rebalancing calendars (or a whole number of steps). */
export const REBALANCE_CALENDARS = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
const CalendarSchema = z.union([z.enum(REBALANCE_CALENDARS), posInt()], {
  error: `must be ${REBALANCE_CALENDARS.join(', ')} or a whole number of steps >= 1`,
});

const RebalanceSchema = obj({
  calendar: CalendarSchema.optional().describe(
    'daily | weekly | monthly | quarterly | every k steps; omitted = every step.',
  ),
  band: positive()
    .optional()
    .describe('Trade only when an asset is off target by more than band × portfolio value.'),
  deltaBand: positive()
    .optional()
    .describe('Trade only when units are off target by more than deltaBand × the option notional.'),
});

const CostsSchema = obj({
  bps: obj({
    equity: nonNegative().default(5),
    bond: nonNegative().default(2),
    commodity: nonNegative().default(10),
    fx: nonNegative().default(1),
  })
    .prefault({})
    .describe('Proportional cost per asset class, basis points of traded notional.'),
  optionSpreadFraction: fraction()
    .default(0.02)
    .describe('Options: full bid/ask spread as a fraction of mid (half paid per trade).'),
  optionSpreadVolPoints: nonNegative()
    .default(0)
    .describe('Options: full bid/ask spread in vol points (1 = 0.01 of vol), through vega.'),
  feePerContract: nonNegative().default(0).describe('Fee per option contract, currency.'),
  contractMultiplier: positive().default(1).describe('Units of underlying per option contract.'),
});

// ---- markets --------------------------------------------------------------------------------

const marketBase = {
  name: z
    .string()
    .min(1)
    .optional()
    .describe('Label in the report (default: the preset name or the model kind).'),
  paths: intWithin(PATHS_BOUND).optional().describe('Overrides the scenario’s paths for this market.'),
};
const drifts = () =>
  z.array(num()).optional().describe('Real-world drifts per asset; omitted = risk-neutral (r − carry).');

/** Names of the regime presets (src/market/regimes.ts). */
export const REGIME_NAMES = listRegimes().map((r) => r.name) as [string, ...string[]];

const RegimeMarket = obj({
  kind: z.literal('regime'),
  preset: z.enum(REGIME_NAMES).describe('A preset of src/market/regimes.ts (listed in docs/regimes.md).'),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe('Asset → history column, for the hist-* presets.'),
  ...marketBase,
});

const GbmMarket = obj({
  kind: z.literal('gbm'),
  vols: z.array(volNum()).describe('σ per asset, annualized.'),
  correlation: matrix().optional().describe('Correlation of the shocks; default identity.'),
  drifts: drifts(),
  ...marketBase,
});

const HestonMarket = obj({
  kind: z.literal('heston'),
  heston: z.array(
    obj({
      v0: nonNegative(),
      kappa: positive(),
      theta: positive(),
      xi: positive(),
      rho: z.number().gte(-1, { error: 'must be >= -1' }).lte(1, { error: 'must be <= 1' }),
    }),
  ),
  correlation: matrix().optional(),
  drifts: drifts(),
  martingaleCorrection: z.boolean().default(true),
  ...marketBase,
});

const JumpSize = { mean: num(), std: nonNegative() };
const MertonMarket = obj({
  kind: z.literal('merton'),
  vols: z.array(volNum()),
  correlation: matrix().optional(),
  jumps: z
    .array(obj({ intensity: nonNegative(), ...JumpSize }))
    .optional()
    .describe('Idiosyncratic jumps per asset.'),
  commonJumps: obj({ intensity: nonNegative(), sizes: z.array(obj(JumpSize)) }).optional(),
  drifts: drifts(),
  ...marketBase,
});

const RegimeSwitchingMarket = obj({
  kind: z.literal('regime-switching'),
  regimes: z
    .array(
      obj({
        name: z.string().min(1),
        drift: z.array(num()),
        vol: z.array(volNum()),
        correlation: matrix().optional(),
        jumpIntensity: nonNegative().default(0),
        jumpMean: z.array(num()).optional(),
        jumpStd: z.array(nonNegative()).optional(),
      }),
    )
    .min(1),
  transition: z.discriminatedUnion('kind', [
    obj({ kind: z.literal('generator'), matrix: matrix() }),
    obj({ kind: z.literal('per-step'), matrix: matrix(), stepDt: positive() }),
  ]),
  initialRegime: z.union([z.number().int(), z.string(), z.array(num())]).default(0),
  ...marketBase,
});

const HistoryMarket = obj({
  kind: z.literal('history'),
  file: z
    .string()
    .min(1)
    .describe('Price CSV (date + one column per series), relative to the scenario file.'),
  from: isoDate().optional(),
  to: isoDate().optional(),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe('Asset name → CSV column; unmapped non-equity assets stay flat.'),
  dateColumn: z.string().default('date'),
  fill: z.enum(['none', 'forward', 'drop']).default('none'),
  periodsPerYear: positive().default(TRADING_DAYS_PER_YEAR),
  bootstrap: obj({
    meanBlockLength: z.number().gte(1, { error: 'must be >= 1' }).default(20),
  })
    .optional()
    .describe(
      'Resample the window with a stationary block bootstrap (many paths over the horizon) instead of replaying it once.',
    ),
  ...marketBase,
});

export const MARKET_KINDS = ['regime', 'gbm', 'heston', 'merton', 'regime-switching', 'history'] as const;

const MarketSchema = z.discriminatedUnion('kind', [
  RegimeMarket,
  GbmMarket,
  HestonMarket,
  MertonMarket,
  RegimeSwitchingMarket,
  HistoryMarket,
]);

// ---- strategies -----------------------------------------------------------------------------

const strategyBase = {
  name: z
    .string()
    .min(1)
    .optional()
    .describe('Display name, unique in the scenario (default: the strategy’s own).'),
  rebalance: RebalanceSchema.optional().describe(
    'This strategy’s own rebalancing; its fields win over the strategy’s parameters and the scenario’s.',
  ),
  overlays: z
    .array(OverlaySchema)
    .optional()
    .describe(
      'Overlays wrapping this strategy, first innermost (vol-target: docs/strategies/vol-target.md).',
    ),
};
const sleeveBase = {
  weights: z
    .array(fraction())
    .optional()
    .describe('Sleeve weights per asset; default the portfolio weights.'),
};

/** One scenario entry schema per registered strategy (src/strategies/registry.ts). */
function entrySchema(d: AnyStrategyDefinition) {
  return obj({
    kind: z.literal(d.kind).describe(d.summary),
    ...d.shape,
    name: strategyBase.name,
    ...(d.sleeve ? sleeveBase : {}),
    rebalance: strategyBase.rebalance,
    overlays: strategyBase.overlays,
  });
}

export { STRATEGY_KINDS };

// The union's static type is the common entry: each member is checked by its own definition's schema.
const StrategySchema = z.discriminatedUnion(
  'kind',
  STRATEGY_REGISTRY.map(entrySchema) as unknown as [
    ReturnType<typeof entrySchema>,
    ...ReturnType<typeof entrySchema>[],
  ],
) as unknown as z.ZodType<StrategyConfig, Record<string, unknown>>;

// ---- the scenario ---------------------------------------------------------------------------

const ScenarioObject = obj({
  $schema: z.string().optional().describe('Path or URL of schemas/scenario.schema.json, for editors.'),
  name: z.string().min(1, { error: 'must be a non-empty string' }),
  description: z.string().optional(),
  portfolio: PortfolioSchema,
  floor: FloorSchema,
  horizon: yearsNum().default(1).describe('Years.'),
  stepsPerYear: intWithin(STEPS_PER_YEAR_BOUND)
    .default(TRADING_DAYS_PER_YEAR)
    .describe('Grid steps per year (252 = daily).'),
  rate: rateNum().default(0).describe('Short rate, continuously compounded annual decimal.'),
  borrowSpread: within({ ...RATE_BOUND, min: 0 })
    .default(0)
    .describe('Extra annual rate paid on negative cash.'),
  financing: z
    .enum(['financed', 'unfinanced'])
    .default('financed')
    .describe(
      'financed: cash (premiums, hedge trades) accrues at the short rate; unfinanced: it earns and pays nothing (Hull’s Table 19.4 convention).',
    ),
  markets: z.array(MarketSchema).min(1, { error: 'must list at least one market' }),
  replayHorizon: z
    .enum(['window', 'scenario'])
    .default('window')
    .describe(
      'Protection horizon of a historical replay: window = the strategies’ default tenor is the replayed window’s length (no unprotected tail); scenario = the scenario horizon, and a window longer than it is an error.',
    ),
  paths: intWithin(PATHS_BOUND)
    .default(2000)
    .describe('Monte-Carlo paths per market (a replay runs one path).'),
  seed: z.number().int({ error: 'must be an integer' }).gte(0, { error: 'must be >= 0' }).default(1),
  costs: CostsSchema.prefault({}),
  rebalance: RebalanceSchema.prefault({}).describe('Default rebalancing of every strategy.'),
  pricingVol: PricingVolSchema.default({ kind: 'model' }).describe(
    'The vol options are priced with (src/market/pricing-vol.ts).',
  ),
  strategies: z.array(StrategySchema).min(1, { error: 'must list at least one strategy' }),
  benchmark: z
    .string()
    .optional()
    .describe('Name of the benchmark strategy; default the first buy-and-hold, else the first.'),
  attribution: z
    .enum(['off', 'book', 'lines'])
    .default('off')
    .describe(
      'P&L attribution per strategy (book) or per strategy and position line (lines): delta, gamma, vega, theta, vanna, volga, carry, financing, costs, residual, in present value.',
    ),
  ledgerPaths: z
    .array(z.number().int().gte(0))
    .max(MAX_LEDGER_PATHS, {
      error: `must list at most ${MAX_LEDGER_PATHS} paths (each kept ledger holds every trade of its path)`,
    })
    .default([])
    .describe('Path indices whose full trade ledgers are kept.'),
  ...eventsFields,
});

type Ctx = z.core.$RefinementCtx;
type Path = (string | number)[];

function checkLength(ctx: Ctx, value: readonly unknown[] | undefined, n: number, path: Path): void {
  if (value !== undefined && value.length !== n)
    ctx.addIssue({
      code: 'custom',
      path,
      message: `must have ${n} entries, one per asset (got ${value.length})`,
      input: value,
    });
}

function checkCorrelation(ctx: Ctx, corr: number[][] | undefined, n: number, path: Path): void {
  if (corr === undefined) return;
  try {
    choleskyCorrelation(corr, n, 'correlation');
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    // e.param is `correlation`, `correlation.length`, `correlation[i]` or `correlation[i][j]`.
    const sub = [...e.param.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const prefix = `${e.param} (${formatValue(e.value)}) `;
    const message = e.message.startsWith(prefix)
      ? `${e.message.slice(prefix.length)} (got ${formatValue(e.value)})`
      : e.message
          .replace(/^correlation /, '')
          .replace(/remainder (-?[\d.e+-]+)/, (_, d) => `remainder ${Number(Number(d).toPrecision(6))}`);
    ctx.addIssue({ code: 'custom', path: [...path, ...sub], message, input: undefined });
  }
}

/** What a validated scenario tells its strategies (src/strategies/definition.ts). */
export function scenarioContext(s: z.output<typeof ScenarioObject>): ScenarioContext {
  return {
    assets: s.portfolio.assets.map((a) => ({
      name: a.name,
      assetClass: a.class,
      spot: a.spot,
      carry: a.carry,
    })),
    weights: normalizeWeights(s.portfolio.assets.map((a) => a.weight)),
    floor: { level: s.floor.level, accrues: s.floor.accrues },
    horizon: s.horizon,
    rate: s.rate,
  };
}

function crossChecks(s: z.output<typeof ScenarioObject>, ctx: Ctx): void {
  const scenario = scenarioContext(s);
  const assets = s.portfolio.assets;
  const n = assets.length;
  const names = new Set<string>();
  assets.forEach((a, i) => {
    if (names.has(a.name))
      ctx.addIssue({
        code: 'custom',
        path: ['portfolio', 'assets', i, 'name'],
        message: 'must be unique',
        input: a.name,
      });
    names.add(a.name);
  });
  const sum = assets.reduce((t, a) => t + a.weight, 0);
  if (Math.abs(sum - 1) > 1e-6)
    ctx.addIssue({
      code: 'custom',
      path: ['portfolio', 'assets'],
      message: `weights must sum to 1 (got ${Number(sum.toPrecision(12))})`,
      input: undefined,
    });

  s.markets.forEach((m, i) => {
    const at = (...p: Path): Path => ['markets', i, ...p];
    switch (m.kind) {
      case 'regime':
        break;
      case 'gbm':
        checkLength(ctx, m.vols, n, at('vols'));
        checkLength(ctx, m.drifts, n, at('drifts'));
        checkCorrelation(ctx, m.correlation, n, at('correlation'));
        break;
      case 'heston':
        checkLength(ctx, m.heston, n, at('heston'));
        checkLength(ctx, m.drifts, n, at('drifts'));
        checkCorrelation(ctx, m.correlation, n, at('correlation'));
        break;
      case 'merton':
        checkLength(ctx, m.vols, n, at('vols'));
        checkLength(ctx, m.jumps, n, at('jumps'));
        checkLength(ctx, m.commonJumps?.sizes, n, at('commonJumps', 'sizes'));
        checkLength(ctx, m.drifts, n, at('drifts'));
        checkCorrelation(ctx, m.correlation, n, at('correlation'));
        break;
      case 'regime-switching':
        m.regimes.forEach((r, k) => {
          checkLength(ctx, r.drift, n, at('regimes', k, 'drift'));
          checkLength(ctx, r.vol, n, at('regimes', k, 'vol'));
          checkLength(ctx, r.jumpMean, n, at('regimes', k, 'jumpMean'));
          checkLength(ctx, r.jumpStd, n, at('regimes', k, 'jumpStd'));
          checkCorrelation(ctx, r.correlation, n, at('regimes', k, 'correlation'));
        });
        break;
      case 'history':
        for (const key of Object.keys(m.columns ?? {}))
          if (!names.has(key))
            ctx.addIssue({
              code: 'custom',
              path: at('columns', key),
              message: `must name an asset (${[...names].join(', ')})`,
              input: key,
            });
        break;
    }
  });

  const vi = s.pricingVol;
  if (vi.kind === 'constant' && Array.isArray(vi.vol)) checkLength(ctx, vi.vol, n, ['pricingVol', 'vol']);
  if ((vi.kind === 'ewma' || vi.kind === 'garch') && Array.isArray(vi.initial))
    checkLength(ctx, vi.initial, n, ['pricingVol', 'initial']);
  if (vi.kind === 'garch' && vi.alpha + vi.beta >= 1)
    ctx.addIssue({
      code: 'custom',
      path: ['pricingVol', 'beta'],
      message: `alpha + beta must be < 1 (got ${vi.alpha + vi.beta})`,
      input: undefined,
    });

  const stratNames = new Set<string>();
  s.strategies.forEach((st, i) => {
    const name = strategyLabel(st);
    if (stratNames.has(name))
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', i, 'name'],
        message: `must be unique (another strategy is called "${name}": give each a name)`,
        input: undefined,
      });
    stratNames.add(name);
    const weights = st.weights;
    if (weights) {
      checkLength(ctx, weights, n, ['strategies', i, 'weights']);
      const w = weights.reduce((t, x) => t + x, 0);
      if (weights.length === n && Math.abs(w - 1) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: ['strategies', i, 'weights'],
          message: `must sum to 1 (got ${Number(w.toPrecision(12))})`,
          input: undefined,
        });
    }
    const def = strategyDefinition(st.kind);
    const issue = (path: readonly (string | number)[], message: string, input?: unknown) =>
      ctx.addIssue({ code: 'custom', path: ['strategies', i, ...path], message, input });
    def?.check?.(st, scenario, issue);
    checkOverlays(st.overlays, scenario, issue);
  });
  checkEvents(s, (path, message, input) => ctx.addIssue({ code: 'custom', path, message, input }));
  // A replay runs one path; the others run their own `paths` or the scenario's.
  const mostPaths = Math.max(
    ...s.markets.map((m) => (m.kind === 'history' && !m.bootstrap ? 1 : (m.paths ?? s.paths))),
  );
  s.ledgerPaths.forEach((p, k) => {
    if (p >= mostPaths)
      ctx.addIssue({
        code: 'custom',
        path: ['ledgerPaths', k],
        message: `path ${p} does not exist: the most paths a market runs is ${mostPaths} (indices 0 to ${mostPaths - 1})`,
        input: undefined,
      });
  });
  if (s.benchmark !== undefined && !stratNames.has(s.benchmark))
    ctx.addIssue({
      code: 'custom',
      path: ['benchmark'],
      message: `must name a strategy (${[...stratNames].join(', ')})`,
      input: s.benchmark,
    });
}

/**
 * The validated scenario. Parse with `ScenarioSchema.safeParse(data, { reportInput: true })` or,
 * better, through `src/config/scenario-load.ts`, which adds file:line to every error.
 */
export const ScenarioSchema = ScenarioObject.superRefine(crossChecks);

/** A scenario as written (defaults optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type MarketConfig = Scenario['markets'][number];
/** One strategy entry: the common fields plus its definition's parameters (validated by its schema). */
export type StrategyConfig = CommonEntry & { readonly [param: string]: unknown };
export type AssetConfig = Scenario['portfolio']['assets'][number];

/** The display name of a strategy entry: `name`, else its definition's label. */
export function strategyLabel(st: StrategyConfig): string {
  if (st.name) return st.name;
  return (strategyDefinition(st.kind)?.label(st) ?? st.kind) + overlayLabel(st.overlays);
}

/** The display name of a market entry: `name`, else the preset / file and window / model kind. */
export function marketLabel(m: MarketConfig): string {
  if (m.name) return m.name;
  if (m.kind === 'regime') return m.preset;
  if (m.kind === 'history') {
    const file = m.file.split(/[\\/]/).pop() ?? m.file;
    const win = m.from || m.to ? ` ${m.from ?? 'start'}…${m.to ?? 'end'}` : '';
    return `${m.bootstrap ? 'bootstrap' : 'history'} ${file}${win}`;
  }
  return m.kind;
}

/**
 * The JSON Schema (draft 2020-12) of a scenario file as written — defaults optional — for editors
 * (`# yaml-language-server: $schema=…`). Cross-field rules (weights summing to 1, one entry per
 * asset, PSD correlations, known presets) are not expressible there; hedgekit checks them.
 * Committed as schemas/scenario.schema.json by scripts/export-schema.ts.
 * @example scenarioJsonSchema().title // 'hedgekit scenario'
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioObject, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    $id: 'https://hedgekit.dev/schemas/scenario.schema.json',
    title: 'hedgekit scenario',
    description:
      'A hedgekit scenario file (hedgekit run). Generated from src/config/scenario.ts by scripts/export-schema.ts; do not edit.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
