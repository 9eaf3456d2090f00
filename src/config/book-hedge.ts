/**
 * The optional `hedge:` section of a book file (`hedgekit hedge`): bands per risk bucket and the
 * hedge instruments per asset. Units are those of `hedgekit greeks`' tables: delta in units of the
 * asset, gamma as cash gamma per 1 % move (Γ·S²/100, currency), vega per vol point (currency), one
 * band per vega bucket of the book's `vegaBuckets`. Quantities, `maxQty` and `lotSize` in units of
 * underlying; fees in currency; spreads are the full bid/ask spread (half is paid per unit).
 *
 * ```yaml
 * hedge:
 *   targets:
 *     delta: { SPX: 25 }                 # a band ±25, or [lo, hi]
 *     gamma: { SPX: [-3000, 3000] }
 *     vega: { SPX: 400 }                 # every bucket, or { buckets: [band or null per bucket] }
 *     weights: { gamma: 1, vega: 1 }     # per unit of violation; delta default = the asset's spot
 *   instruments:
 *     SPX:
 *       underlying: { spreadBps: 1, maxQty: 5000, lotSize: 1 }
 *       futures: [{ expiry: 3M, spreadBps: 0.5, multiplier: 50, feePerContract: 1.5, lotSize: 50 }]
 *       options: { types: [put, call], strikes: [0.9, 1, 1.1], expiries: [1M, 3M],
 *                  spread: { volPoints: 0.5 }, feePerContract: 1, multiplier: 10, lotSize: 10 }
 * ```
 * Value rules (a band's x ≥ 0 and lo ≤ hi, assets listed, one vega band per bucket, one spread
 * kind, no duplicate strikes / expiries) are checked in {@link hedgeChecks} so each error names its
 * own path and line.
 */
import { z } from 'zod';
import { nonNegative, obj, positive } from '../core/schema.ts';
import type { AssetHedgeSpec, BookHedgeSpec, HedgeBand } from '../risk/book-hedge-problem.ts';
import { tenorSchema, tenorYears } from './tenor.ts';

const BAND_RULE = 'must be a band: a number x >= 0 (meaning [-x, x]) or a list [lo, hi]';
const pair = () => z.tuple([z.number(), z.number()]);
const Band = z.union([z.number(), pair()], { error: BAND_RULE });
const Vega = z.union(
  [z.number(), pair(), obj({ buckets: z.array(z.union([z.number(), pair(), z.null()])) })],
  {
    error: `${BAND_RULE} for every vega bucket, or { buckets: [one band or null per vega bucket] }`,
  },
);

const fee = () => nonNegative().default(0).describe('Fee per unit traded, currency.');
const feePerContract = () => nonNegative().default(0).describe('Fee per contract, currency.');
const multiplier = () => positive().default(1).describe('Units of underlying per contract.');
const maxQty = () =>
  nonNegative().optional().describe('Largest |quantity| traded, units (default no limit).');
const lotSize = () => positive().optional().describe('Units per lot: whole lots only (default continuous).');
const spreadBps = () => nonNegative().default(0).describe('Full bid/ask spread, basis points of the price.');

const Underlying = obj({ spreadBps: spreadBps(), fee: fee(), maxQty: maxQty(), lotSize: lotSize() });

const Future = obj({
  kind: z.enum(['future', 'forward']).default('future').describe('Daily-settled future or forward.'),
  expiry: tenorSchema().describe('Years or a tenor (3M, 1Y).'),
  spreadBps: spreadBps(),
  fee: fee(),
  feePerContract: feePerContract(),
  multiplier: multiplier(),
  maxQty: maxQty(),
  lotSize: lotSize(),
});

const Options = obj({
  types: z
    .array(z.enum(['call', 'put']))
    .min(1)
    .default(['put', 'call']),
  strikes: z.array(positive()).min(1).describe('Strikes as fractions of spot (0.95 = 95 % of spot).'),
  expiries: z.array(tenorSchema()).min(1).describe('Years or tenors.'),
  spread: obj({
    price: nonNegative().optional().describe('Full spread ask − bid, currency per unit.'),
    volPoints: nonNegative().optional().describe('Full spread in implied-vol points (1 = 0.01 vol).'),
  })
    .optional()
    .describe('One of price, volPoints (default no spread).'),
  fee: fee(),
  feePerContract: feePerContract(),
  multiplier: multiplier(),
  maxQty: maxQty(),
  lotSize: lotSize(),
});

/** The `hedge:` section's schema (value rules in {@link hedgeChecks}). */
export const HedgeSectionSchema = obj({
  targets: obj({
    delta: z.record(z.string(), Band).default({}).describe('Band per asset, units of the asset.'),
    gamma: z.record(z.string(), Band).default({}).describe('Band per asset, cash gamma per 1 % (currency).'),
    vega: z
      .record(z.string(), Vega)
      .default({})
      .describe('Band(s) per asset, vega per vol point (currency).'),
    weights: obj({
      delta: nonNegative().optional().describe('Per unit of delta violation (default the asset spot).'),
      gamma: nonNegative().default(1).describe('Per currency of cash gamma violation.'),
      vega: nonNegative().default(1).describe('Per currency-per-vol-point of vega violation.'),
    }).default({ gamma: 1, vega: 1 }),
  }).default({ delta: {}, gamma: {}, vega: {}, weights: { gamma: 1, vega: 1 } }),
  instruments: z
    .record(
      z.string(),
      obj({
        underlying: Underlying.optional(),
        futures: z.array(Future).default([]),
        options: Options.optional(),
      }),
    )
    .default({}),
});

/** A validated `hedge:` section. */
export type HedgeSection = z.output<typeof HedgeSectionSchema>;
type BandIn = z.output<typeof Band>;
type Issue = (path: (string | number)[], message: string) => void;

const show = (v: unknown) => JSON.stringify(v).replace(/,/g, ', ');

function checkBand(v: BandIn | null, path: (string | number)[], issue: Issue): void {
  if (v === null) return;
  if (typeof v === 'number') {
    if (!(v >= 0)) issue(path, `a band ±x needs x >= 0 (got ${v})`);
  } else if (!(v[0] <= v[1])) issue(path, `a band [lo, hi] needs lo <= hi (got ${show(v)})`);
}

function checkUnique<T>(
  list: readonly T[],
  path: (string | number)[],
  what: string,
  issue: Issue,
  key = (x: T) => x as unknown,
) {
  const seen = new Set<unknown>();
  list.forEach((x, j) => {
    const k = key(x);
    if (seen.has(k)) issue([...path, j], `duplicate ${what} (got ${show(x)})`);
    seen.add(k);
  });
}

/**
 * Cross-field rules of the `hedge:` section.
 * @param assets the book's asset names
 * @param bucketLabels the labels of the book's vega buckets (one band each)
 */
export function hedgeChecks(
  h: HedgeSection,
  assets: readonly string[],
  bucketLabels: readonly string[],
  issue: Issue,
): void {
  const list = assets.join(', ');
  const known = (path: (string | number)[], name: string) => {
    if (!assets.includes(name))
      issue(path, `must name an asset of the book: one of ${list} (got ${JSON.stringify(name)})`);
  };
  const t = h.targets;
  for (const g of ['delta', 'gamma'] as const)
    for (const [name, band] of Object.entries(t[g])) {
      known(['hedge', 'targets', g, name], name);
      checkBand(band, ['hedge', 'targets', g, name], issue);
    }
  for (const [name, v] of Object.entries(t.vega)) {
    const at = ['hedge', 'targets', 'vega', name];
    known(at, name);
    if (typeof v === 'number' || Array.isArray(v)) checkBand(v, at, issue);
    else if (v.buckets.length !== bucketLabels.length)
      issue(
        [...at, 'buckets'],
        `needs one band (or null) per vega bucket: ${bucketLabels.length} (${bucketLabels.join(', ')}) (got ${v.buckets.length})`,
      );
    else
      v.buckets.forEach((b, j) => {
        checkBand(b, [...at, 'buckets', j], issue);
      });
  }
  for (const [name, inst] of Object.entries(h.instruments)) {
    const at = ['hedge', 'instruments', name];
    known(at, name);
    const seen = new Set<string>();
    inst.futures.forEach((f, j) => {
      const key = `${f.kind} ${tenorYears(f.expiry)}`;
      if (seen.has(key))
        issue([...at, 'futures', j, 'expiry'], `duplicate ${f.kind} expiry (got ${show(f.expiry)})`);
      seen.add(key);
    });
    const o = inst.options;
    if (o === undefined) continue;
    const op = [...at, 'options'];
    checkUnique(o.types, [...op, 'types'], 'option type', issue);
    checkUnique(o.strikes, [...op, 'strikes'], 'strike', issue);
    checkUnique(o.expiries, [...op, 'expiries'], 'expiry', issue, tenorYears);
    if (o.spread && (o.spread.price === undefined) === (o.spread.volPoints === undefined))
      issue(
        [...op, 'spread'],
        `must give exactly one of price, volPoints (got ${o.spread.price === undefined ? 'neither' : 'both'})`,
      );
  }
}

const toBand = (v: BandIn | null | undefined): HedgeBand | undefined =>
  v === null || v === undefined
    ? undefined
    : typeof v === 'number'
      ? { lo: -v, hi: v }
      : { lo: v[0], hi: v[1] };

/**
 * The validated section as the risk module's {@link BookHedgeSpec}: assets in book order (those
 * with a target or an instrument), bands as [lo, hi], tenors as years, vega bands per bucket.
 */
export function hedgeSpecFromFile(
  h: HedgeSection,
  assets: readonly string[],
  nVegaBuckets: number,
): BookHedgeSpec {
  const t = h.targets;
  const used = new Set([
    ...Object.keys(t.delta),
    ...Object.keys(t.gamma),
    ...Object.keys(t.vega),
    ...Object.keys(h.instruments),
  ]);
  const out: AssetHedgeSpec[] = [];
  assets.forEach((name, asset) => {
    if (!used.has(name)) return;
    const v = t.vega[name];
    const vega =
      v === undefined
        ? undefined
        : typeof v === 'number' || Array.isArray(v)
          ? Array.from({ length: nVegaBuckets }, () => toBand(v) ?? null)
          : v.buckets.map((b) => toBand(b) ?? null);
    const inst = h.instruments[name];
    const o = inst?.options;
    out.push({
      asset,
      delta: toBand(t.delta[name]),
      gamma: toBand(t.gamma[name]),
      vega,
      underlying: inst?.underlying ? { ...inst.underlying, feePerContract: 0, multiplier: 1 } : undefined,
      futures: (inst?.futures ?? []).map((f) => ({ ...f, expiry: tenorYears(f.expiry) })),
      options: o
        ? {
            ...o,
            expiries: o.expiries.map(tenorYears),
            spread:
              o.spread?.price !== undefined
                ? { kind: 'price', spread: o.spread.price }
                : { kind: 'vol', points: o.spread?.volPoints ?? 0 },
          }
        : undefined,
    });
  });
  return { assets: out, weights: t.weights };
}
