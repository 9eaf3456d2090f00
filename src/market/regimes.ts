/**
 * Named market regimes: presets usable by name from a scenario file. Each preset turns any asset
 * list (equity, bond, commodity, fx — parameters are set per asset class) and a rate into a
 * PathGenerator. Parameters and descriptions are listed by {@link listRegimes} and tabulated in
 * docs/regimes.md.
 *
 * Time unit: days are trading days, t = day/252 years (TRADING_DAYS_PER_YEAR, src/core/time.ts).
 *
 * Historical presets replay windows of data/eustockmarkets.csv (DAX, SMI, CAC, FTSE, 1991–1998;
 * dates reconstructed, see data/README.md). Asset → column: an asset named like a column uses it;
 * other equities take DAX, SMI, CAC, FTSE in that order (cycling); bonds, commodities and fx stay
 * flat (the file has no such column). Prices are rescaled to start at each asset's spot.
 */
import { DomainError } from '../core/errors.ts';
import type { AssetClass, AssetSpec } from './asset.ts';

/** Class order of the class-level correlation matrices. */
export const CLASS_ORDER: readonly AssetClass[] = ['equity', 'bond', 'commodity', 'fx'];

/** One value per asset class. */
export type ByClass<T> = { readonly [C in AssetClass]: T };

/** Dynamics of one asset class in one regime; annualized decimals. */
export interface ClassDynamics {
  /** Expected price return μ per year (jumps included). */
  readonly drift: number;
  /** Diffusive volatility σ per year. */
  readonly vol: number;
  /** Mean log jump size (regime-switching presets with jumps). */
  readonly jumpMean?: number;
  /** Std of the log jump size. */
  readonly jumpStd?: number;
  /** Mean-reversion speed κ per year (scheduled presets). */
  readonly meanReversion?: number;
}

/**
 * Class-level correlation K, 4×4 in {@link CLASS_ORDER}: K[c][c] is the correlation between two
 * different assets of class c, K[c][d] between an asset of class c and one of class d.
 */
export type ClassCorrelation = readonly (readonly number[])[];

/** A regime of a regime-switching preset. */
export interface PresetRegime {
  readonly name: string;
  readonly dynamics: ByClass<ClassDynamics>;
  readonly correlation: ClassCorrelation;
  /** Market-wide jump events per year. */
  readonly jumpIntensity: number;
}

/** Preset parameters, by model. */
export type PresetModel =
  | {
      readonly kind: 'regime-switching';
      readonly regimes: readonly PresetRegime[];
      /** Generator Q, per year, rows/columns in `regimes` order. */
      readonly generator: readonly (readonly number[])[];
      readonly initialRegime: string;
    }
  | {
      readonly kind: 'scheduled-jumps';
      readonly dynamics: ByClass<ClassDynamics>;
      readonly correlation: ClassCorrelation;
      readonly shocks: readonly {
        readonly day: number;
        readonly gap: ByClass<number>;
        readonly volMultiplier: ByClass<number>;
        readonly halfLifeDays: number;
      }[];
      /** Extra log move spread evenly over trading days [startDay, endDay). */
      readonly phases: readonly {
        readonly startDay: number;
        readonly endDay: number;
        readonly logMove: ByClass<number>;
      }[];
    }
  | { readonly kind: 'replay'; readonly from: string; readonly to: string }
  | {
      readonly kind: 'bootstrap';
      readonly meanBlockLength: number;
      readonly from: string;
      readonly to: string;
    };

/** A listed preset. */
export interface RegimeInfo {
  readonly name: string;
  readonly description: string;
  readonly model: PresetModel['kind'];
  readonly parameters: PresetModel;
}

const d = (drift: number, vol: number, extra: Partial<ClassDynamics> = {}): ClassDynamics => ({
  drift,
  vol,
  ...extra,
});

/** Symmetric 4×4 from within-class correlations [eq, bond, com, fx] and cross terms. */
function classCorr(
  within: readonly [number, number, number, number],
  eqBond: number,
  eqCom: number,
  eqFx: number,
  bondCom: number,
  bondFx: number,
  comFx: number,
): ClassCorrelation {
  return [
    [within[0], eqBond, eqCom, eqFx],
    [eqBond, within[1], bondCom, bondFx],
    [eqCom, bondCom, within[2], comFx],
    [eqFx, bondFx, comFx, within[3]],
  ];
}

const CALM = classCorr([0.7, 0.8, 0.4, 0.5], -0.2, 0.2, 0, -0.1, 0, 0.1);
const STRESS = classCorr([0.85, 0.8, 0.5, 0.5], -0.35, 0.35, 0.1, -0.15, 0, 0.1);
const STAG = classCorr([0.8, 0.8, 0.5, 0.5], 0.5, -0.1, 0, -0.3, 0, 0);
const STAG_SHOCK = classCorr([0.85, 0.85, 0.6, 0.5], 0.6, -0.2, 0, -0.4, 0, 0);

/** The presets, in listing order. */
const PRESETS: readonly { name: string; description: string; model: PresetModel }[] = [
  {
    name: 'calm-bull',
    description:
      'Steady bull market: low-vol calm regime most of the time, brief turbulent spells with small jumps.',
    model: {
      kind: 'regime-switching',
      regimes: [
        {
          name: 'calm',
          dynamics: { equity: d(0.12, 0.12), bond: d(0.03, 0.04), commodity: d(0.06, 0.14), fx: d(0, 0.07) },
          correlation: CALM,
          jumpIntensity: 0,
        },
        {
          name: 'turbulent',
          dynamics: {
            equity: d(-0.1, 0.25, { jumpMean: -0.03, jumpStd: 0.02 }),
            bond: d(0.05, 0.06, { jumpMean: 0.005, jumpStd: 0.003 }),
            commodity: d(-0.05, 0.25, { jumpMean: -0.02, jumpStd: 0.02 }),
            fx: d(0, 0.1),
          },
          correlation: STRESS,
          jumpIntensity: 3,
        },
      ],
      generator: [
        [-0.5, 0.5],
        [3, -3],
      ],
      initialRegime: 'calm',
    },
  },
  {
    name: 'bear-grind',
    description:
      'Slow bear market: long grinding declines broken by short relief rallies; equities ≈ −10 %/yr on average.',
    model: {
      kind: 'regime-switching',
      regimes: [
        {
          name: 'grind',
          dynamics: { equity: d(-0.25, 0.22), bond: d(0.04, 0.05), commodity: d(-0.1, 0.2), fx: d(0, 0.09) },
          correlation: STRESS,
          jumpIntensity: 0,
        },
        {
          name: 'relief',
          dynamics: { equity: d(0.2, 0.18), bond: d(0, 0.05), commodity: d(0.05, 0.18), fx: d(0, 0.08) },
          correlation: CALM,
          jumpIntensity: 0,
        },
      ],
      generator: [
        [-4, 4],
        [8, -8],
      ],
      initialRegime: 'grind',
    },
  },
  {
    name: 'crash',
    description:
      'One-day crash: equities gap −20 % on trading day 21, then volatility triples and decays back (half-life 21 days).',
    model: {
      kind: 'scheduled-jumps',
      dynamics: { equity: d(0.06, 0.15), bond: d(0.03, 0.05), commodity: d(0.03, 0.2), fx: d(0, 0.08) },
      correlation: STRESS,
      shocks: [
        {
          day: 21,
          gap: { equity: -0.2, bond: 0.02, commodity: -0.08, fx: 0 },
          volMultiplier: { equity: 3, bond: 1.6, commodity: 2, fx: 1.5 },
          halfLifeDays: 21,
        },
      ],
      phases: [],
    },
  },
  {
    name: 'v-rebound',
    description:
      'V-shaped sell-off: equities fall ≈28 % over days 10–25 with doubled vol, then recover fully by day 85.',
    model: {
      kind: 'scheduled-jumps',
      dynamics: { equity: d(0.06, 0.18), bond: d(0.03, 0.05), commodity: d(0.03, 0.2), fx: d(0, 0.08) },
      correlation: STRESS,
      shocks: [
        {
          day: 10,
          gap: { equity: 0, bond: 0, commodity: 0, fx: 0 },
          volMultiplier: { equity: 2.2, bond: 1.4, commodity: 1.8, fx: 1.3 },
          halfLifeDays: 30,
        },
      ],
      phases: [
        {
          startDay: 10,
          endDay: 25,
          logMove: { equity: Math.log(0.72), bond: Math.log(1.03), commodity: Math.log(0.85), fx: 0 },
        },
        {
          startDay: 25,
          endDay: 85,
          logMove: { equity: -Math.log(0.72), bond: -Math.log(1.03), commodity: -Math.log(0.85), fx: 0 },
        },
      ],
    },
  },
  {
    name: 'whipsaw',
    description:
      'Sideways, high-volatility market: prices mean-revert around their start level (equity σ 30 %, half-life ≈ 17 days).',
    model: {
      kind: 'scheduled-jumps',
      dynamics: {
        equity: d(0.5 * 0.3 ** 2, 0.3, { meanReversion: 10 }),
        bond: d(0.5 * 0.06 ** 2, 0.06, { meanReversion: 6 }),
        commodity: d(0.5 * 0.35 ** 2, 0.35, { meanReversion: 8 }),
        fx: d(0.5 * 0.1 ** 2, 0.1, { meanReversion: 4 }),
      },
      correlation: CALM,
      shocks: [],
      phases: [],
    },
  },
  {
    name: 'vol-spike',
    description:
      'Volatility shock: a −4 % equity dip on day 10 with equity vol jumping 3.5× (to 49 %), halving every 15 days.',
    model: {
      kind: 'scheduled-jumps',
      dynamics: { equity: d(0.06, 0.14), bond: d(0.03, 0.05), commodity: d(0.03, 0.18), fx: d(0, 0.08) },
      correlation: STRESS,
      shocks: [
        {
          day: 10,
          gap: { equity: -0.04, bond: 0.005, commodity: -0.02, fx: 0 },
          volMultiplier: { equity: 3.5, bond: 1.8, commodity: 2.2, fx: 1.6 },
          halfLifeDays: 15,
        },
      ],
      phases: [],
    },
  },
  {
    name: 'stagflation',
    description:
      'Stagflation: stocks and bonds fall together (stock–bond correlation +0.5), commodities rally; occasional inflation shocks.',
    model: {
      kind: 'regime-switching',
      regimes: [
        {
          name: 'stagflation',
          dynamics: { equity: d(-0.08, 0.2), bond: d(-0.05, 0.07), commodity: d(0.15, 0.22), fx: d(0, 0.1) },
          correlation: STAG,
          jumpIntensity: 0,
        },
        {
          name: 'inflation-shock',
          dynamics: {
            equity: d(-0.3, 0.3, { jumpMean: -0.04, jumpStd: 0.02 }),
            bond: d(-0.2, 0.12, { jumpMean: -0.015, jumpStd: 0.005 }),
            commodity: d(0.4, 0.35, { jumpMean: 0.03, jumpStd: 0.03 }),
            fx: d(0, 0.12),
          },
          correlation: STAG_SHOCK,
          jumpIntensity: 2,
        },
      ],
      generator: [
        [-1.5, 1.5],
        [6, -6],
      ],
      initialRegime: 'stagflation',
    },
  },
  {
    name: 'hist-1997-asian-crisis',
    description:
      'Replay 1997-07-01…1997-12-31: summer peak, August sell-off, the late-October crash (DAX −13 % in a week), recovery.',
    model: { kind: 'replay', from: '1997-07-01', to: '1997-12-31' },
  },
  {
    name: 'hist-1998-august',
    description:
      'Replay 1998-07-01…1998-08-14: July 1998 all-time highs, then the Russia-crisis sell-off (DAX −15 % peak to trough).',
    model: { kind: 'replay', from: '1998-07-01', to: '1998-08-14' },
  },
  {
    name: 'hist-full',
    description:
      'Replay the whole history 1991-07-01…1998-08-14 (DAX 1,629 → 5,474): the 1990s European bull market.',
    model: { kind: 'replay', from: '1991-07-01', to: '1998-08-14' },
  },
  {
    name: 'hist-bootstrap',
    description:
      'Stationary block bootstrap of 1991–1998 daily returns (mean block 20 days): many paths that look like the 1990s.',
    model: { kind: 'bootstrap', meanBlockLength: 20, from: '1991-07-01', to: '1998-08-14' },
  },
];

/**
 * The asset-level correlation matrix of a class-level one: C[a][a] = 1, C[a][b] = K[class a][class b].
 * Positive semi-definite for any asset list when K is (C = B·K·Bᵀ + diag(1 − K[c][c]), B the class
 * indicator, 0 ≤ K[c][c] ≤ 1).
 *
 * Shape: K [4][4] in CLASS_ORDER; returns [nAssets][nAssets].
 * @example
 * assetCorrelation([{ name: 'E', assetClass: 'equity', spot: 1 }, { name: 'B', assetClass: 'bond', spot: 1 }], K)[0][1];
 * // returns K[0][1] (equity–bond)
 * References: factor (block) correlation structure, e.g. Meucci, Risk and Asset Allocation (2005), §3.4.
 */
export function assetCorrelation(assets: readonly AssetSpec[], k: ClassCorrelation): number[][] {
  const idx = assets.map((a) => CLASS_ORDER.indexOf(a.assetClass));
  return idx.map((i, a) => idx.map((j, b) => (a === b ? 1 : k[i][j])));
}

/**
 * Every preset with its one-line description, model kind and parameters (per asset class).
 *
 * @example
 * listRegimes().map((r) => r.name); // returns ['calm-bull', 'bear-grind', 'crash', 'v-rebound', 'whipsaw',
 * //   'vol-spike', 'stagflation', 'hist-1997-asian-crisis', 'hist-1998-august', 'hist-full', 'hist-bootstrap']
 * References: docs/regimes.md.
 */
export function listRegimes(): RegimeInfo[] {
  return PRESETS.map((p) => ({
    name: p.name,
    description: p.description,
    model: p.model.kind,
    parameters: p.model,
  }));
}

/**
 * The model of the preset `name` (its parameters per asset class).
 * @throws DomainError for an unknown name, listing the valid ones:
 *   `regime ("boom") must be one of: calm-bull, bear-grind, …`.
 * @example regimeModel('crash').kind // returns 'scheduled-jumps'
 */
export function regimeModel(name: string): PresetModel {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new DomainError('regime', name, `must be one of: ${PRESETS.map((x) => x.name).join(', ')}`);
  return p.model;
}
