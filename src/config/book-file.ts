/**
 * The book file of `hedgekit greeks` (YAML or JSON): market inputs (assets with spot, carry, vol or
 * smile, beta; the rate; an optional valuation date), positions, vega bucket edges and the scenario
 * ladder's axes. Every default lives here or in the risk module it names (vega edges
 * `DEFAULT_VEGA_EDGES`, ladder axes `DEFAULT_SPOT_SHOCKS` / `DEFAULT_VOL_SHOCKS`).
 *
 * Errors print one line each, `book.yaml:14: positions[2].strike: must be > 0 (got -1)`, through
 * the same YAML line mapping as scenario files (yaml-source.ts). Unknown keys are errors.
 * Cross-field rules name the entry: a barrier only on options and only European; type / style /
 * strike / expiry / payoff only where the instrument has them; a position's asset must be listed;
 * a date expiry needs `valuationDate` and must fall after it; beta-weighting needs a beta for every
 * asset; bucket edges strictly increasing; unique names. The optional `hedge:` section (bands and
 * hedge instruments of `hedgekit hedge`) has its schema and rules in book-hedge.ts.
 *
 * Units: spot, strike, barrier, rebate, cash in currency; rate, carry, vol annualized decimals;
 * expiry in years or an ISO date (ACT/365 from valuationDate); quantity in units of underlying
 * (negative = short); vega bucket edges in years or tenors (`2W`, `1M`, `1Y`); ladder spot shocks
 * relative (−0.3 = −30 %), vol shocks in vol points, time shift in calendar days.
 */
import { z } from 'zod';
import { type Contract, contractId, type InstrumentTerms } from '../instruments/terms.ts';
import { type Book, bucketLabels, DEFAULT_VEGA_EDGES } from '../risk/book-greeks.ts';
import type { BookHedgeSpec } from '../risk/book-hedge-problem.ts';
import type { VolQuote } from '../risk/contract-value.ts';
import { DEFAULT_SPOT_SHOCKS, DEFAULT_VOL_SHOCKS, type LadderSpec } from '../risk/scenario-ladder.ts';
import { HedgeSectionSchema, hedgeChecks, hedgeSpecFromFile } from './book-hedge.ts';
import { DAYS_PER_YEAR, tenorSchema, tenorYears } from './tenor.ts';
import { type FileIssue, FileValidationError, parseYamlWith, readConfigText } from './yaml-source.ts';

/** A book file that failed validation (code `book-invalid`); one `file:line: path: rule` per issue. */
export class BookFileError extends FileValidationError {
  constructor(file: string, issues: readonly FileIssue[]) {
    super(file, issues, 'book-invalid');
  }
}

/** A strict object whose unknown-key error lists the allowed keys. */
function obj<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key (allowed here: ${allowed})` : undefined),
  });
}

const positive = () => z.number().gt(0, { error: 'must be > 0' });
const nonNegative = () => z.number().gte(0, { error: 'must be >= 0' });
const isoDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be an ISO date YYYY-MM-DD' });

/** `2W` → 14/365, `3M` → 0.25, `1Y` → 1 (D = 1/365, W = 7/365, M = 1/12, Y = 1); years pass through. */
export { tenorYears };

const SmileSchema = obj({
  skew: z.number().describe('Relative vol change per unit of ln(K/S) (negative for an equity skew).'),
  curvature: z.number().default(0).describe('Relative vol change per unit of ln(K/S)².'),
  termSlope: z.number().default(0).describe('Absolute vol change per year of expiry beyond one year.'),
  minVol: positive().optional().describe('Lower bound of the smile (default 0.01).'),
});

const AssetSchema = obj({
  name: z.string().min(1).describe('Unique asset name, as positions refer to it.'),
  spot: positive().describe('Spot price, currency.'),
  carry: z.number().default(0).describe('Continuous dividend / coupon / convenience yield q.'),
  vol: z
    .union([positive(), obj({ base: positive(), smile: SmileSchema })])
    .describe('Pricing vol: a number, or { base, smile } (the smile of docs/scenarios.md).'),
  beta: z.number().optional().describe('Beta to the index asset (for beta-weighted delta).'),
});

const INSTRUMENTS = ['option', 'digital', 'forward', 'future', 'asset'] as const;
const BARRIER_TYPES = ['down-in', 'down-out', 'up-in', 'up-out'] as const;

const PositionSchema = obj({
  name: z.string().min(1).optional().describe('Display name; default the contract id.'),
  instrument: z.enum(INSTRUMENTS),
  asset: z.string().min(1).describe('Name of the underlying (an entry of assets).'),
  type: z.enum(['call', 'put']).optional(),
  style: z.enum(['european', 'american']).optional().describe('Options only; default european.'),
  strike: positive().optional().describe('Strike (options, digitals) or delivery price (forwards).'),
  expiry: z
    .union([positive(), isoDate()])
    .optional()
    .describe('Time to expiry in years, or an ISO date (needs valuationDate).'),
  barrier: obj({
    type: z.enum(BARRIER_TYPES),
    level: positive(),
    rebate: nonNegative().default(0),
  })
    .optional()
    .describe('Single barrier, continuously monitored (European options only).'),
  payoff: z.enum(['cash', 'asset']).optional().describe('Digitals only; default cash.'),
  cash: positive().optional().describe('Cash amount of a cash-or-nothing digital (default 1).'),
  quantity: z.number().describe('Units of underlying; negative = short.'),
});

const Edge = tenorSchema();

const LadderSchema = obj({
  spotShocks: z
    .array(z.number().gt(-1, { error: 'must be > -1 (a relative shock)' }))
    .min(1)
    .default([...DEFAULT_SPOT_SHOCKS]),
  volShocks: z
    .array(z.number())
    .min(1)
    .default([...DEFAULT_VOL_SHOCKS]),
  timeShiftDays: nonNegative().default(0),
  asset: z.string().min(1).optional().describe('Shock only this asset (default every asset).'),
});

const BookFileObject = obj({
  $schema: z.string().optional(),
  valuationDate: isoDate().optional().describe('Needed when expiries are dates.'),
  rate: z.number().describe('Risk-free rate r, continuously compounded annual decimal.'),
  betaIndex: z.string().min(1).optional().describe('Asset to beta-weight delta to.'),
  assets: z.array(AssetSchema).min(1),
  positions: z.array(PositionSchema).min(1),
  vegaBuckets: z
    .array(Edge)
    .default([...DEFAULT_VEGA_EDGES])
    .describe('Vega bucket edges (years or tenors).'),
  ladder: LadderSchema.default({
    spotShocks: [...DEFAULT_SPOT_SHOCKS],
    volShocks: [...DEFAULT_VOL_SHOCKS],
    timeShiftDays: 0,
  }),
  hedge: HedgeSectionSchema.optional().describe(
    'Bands and hedge instruments of `hedgekit hedge` (book-hedge.ts).',
  ),
});

type Parsed = z.output<typeof BookFileObject>;
type Ctx = z.core.$RefinementCtx;

/** Years from `from` to `to` (ISO dates), ACT/365. */
function yearsBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 / DAYS_PER_YEAR;
}

function validDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}

function crossChecks(b: Parsed, ctx: Ctx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const names = b.assets.map((a) => a.name);
  const list = names.join(', ');
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) issue(['assets', i, 'name'], `must be unique (got ${JSON.stringify(n)})`);
  });
  if (b.valuationDate !== undefined && !validDate(b.valuationDate))
    issue(['valuationDate'], `is not a calendar date (got ${JSON.stringify(b.valuationDate)})`);
  const seen = new Set<string>();
  b.positions.forEach((p, i) => {
    const at = (k: string) => ['positions', i, k];
    const label = positionName(p, b);
    const kind = p.instrument;
    const isOption = kind === 'option';
    const hasType = isOption || kind === 'digital';
    if (!names.includes(p.asset))
      issue(
        at('asset'),
        `position ${JSON.stringify(label)} names an unknown asset: must be one of ${list} (got ${JSON.stringify(p.asset)})`,
      );
    if (hasType && p.type === undefined) issue(at('type'), `is required for ${a(kind)}`);
    if (!hasType && p.type !== undefined)
      issue(at('type'), `not allowed for ${a(kind)} (got ${JSON.stringify(p.type)})`);
    if (!isOption && p.style !== undefined)
      issue(at('style'), `only options have a style (instrument is ${kind})`);
    if (p.barrier !== undefined && !isOption)
      issue(at('barrier'), `only options have a barrier (instrument is ${kind})`);
    if (p.barrier !== undefined && isOption && p.style === 'american')
      issue(at('barrier'), 'a barrier option must be european (style is american)');
    if (kind !== 'digital' && p.payoff !== undefined)
      issue(at('payoff'), `only digitals have a payoff (instrument is ${kind})`);
    if (kind !== 'digital' && p.cash !== undefined)
      issue(at('cash'), `only digitals have a cash amount (instrument is ${kind})`);
    if (kind === 'digital' && p.payoff === 'asset' && p.cash !== undefined)
      issue(at('cash'), 'an asset-or-nothing digital has no cash amount');
    if (kind === 'asset') {
      if (p.strike !== undefined) issue(at('strike'), 'not allowed for an asset holding');
      if (p.expiry !== undefined) issue(at('expiry'), 'not allowed for an asset holding');
    } else {
      if (p.strike === undefined) issue(at('strike'), `is required for ${a(kind)}`);
      if (p.expiry === undefined) issue(at('expiry'), `is required for ${a(kind)}`);
      if (typeof p.expiry === 'string') {
        if (b.valuationDate === undefined)
          issue(at('expiry'), `a date expiry needs valuationDate (got ${JSON.stringify(p.expiry)})`);
        else if (!validDate(p.expiry))
          issue(at('expiry'), `is not a calendar date (got ${JSON.stringify(p.expiry)})`);
        else if (!(yearsBetween(b.valuationDate, p.expiry) > 0))
          issue(
            at('expiry'),
            `must be after valuationDate ${b.valuationDate} (got ${JSON.stringify(p.expiry)})`,
          );
      }
    }
    if (seen.has(label))
      issue(
        at(p.name === undefined ? 'instrument' : 'name'),
        `position name must be unique (got ${JSON.stringify(label)}); add a name`,
      );
    seen.add(label);
  });
  b.vegaBuckets.forEach((e, j) => {
    if (j > 0 && !(tenorYears(e) > tenorYears(b.vegaBuckets[j - 1])))
      issue(['vegaBuckets', j], `must be greater than the previous edge (got ${JSON.stringify(e)})`);
  });
  if (b.betaIndex !== undefined) {
    const k = names.indexOf(b.betaIndex);
    if (k < 0) issue(['betaIndex'], `must be one of ${list} (got ${JSON.stringify(b.betaIndex)})`);
    b.assets.forEach((x, i) => {
      if (i === k) {
        if (x.beta !== undefined && x.beta !== 1)
          issue(['assets', i, 'beta'], `the index's own beta must be 1 (got ${x.beta})`);
      } else if (x.beta === undefined)
        issue(['assets', i], `beta is required when betaIndex is set (asset ${JSON.stringify(x.name)})`);
    });
  }
  if (b.ladder.asset !== undefined && !names.includes(b.ladder.asset))
    issue(['ladder', 'asset'], `must be one of ${list} (got ${JSON.stringify(b.ladder.asset)})`);
  if (b.hedge !== undefined) hedgeChecks(b.hedge, names, bucketLabels(b.vegaBuckets.map(tenorYears)), issue);
}

function a(kind: string): string {
  return kind === 'asset' || kind === 'option' ? `an ${kind}` : `a ${kind}`;
}

/** The schema of a book file (cross-field rules included). */
export const BookFileSchema = BookFileObject.superRefine(crossChecks);

/** A validated book file. */
export type BookFile = z.output<typeof BookFileSchema>;

function expiryYears(p: BookFile['positions'][number], b: BookFile): number {
  if (p.expiry === undefined) return Number.POSITIVE_INFINITY;
  return typeof p.expiry === 'number' ? p.expiry : yearsBetween(b.valuationDate!, p.expiry);
}

function termsOf(p: BookFile['positions'][number], asset: number): InstrumentTerms {
  switch (p.instrument) {
    case 'asset':
      return { kind: 'asset', asset };
    case 'forward':
    case 'future':
      return { kind: p.instrument, asset };
    case 'digital':
      return {
        kind: 'digital',
        asset,
        type: p.type!,
        payoff: p.payoff ?? 'cash',
        ...(p.cash !== undefined ? { cash: p.cash } : {}),
      };
    case 'option':
      return {
        kind: 'option',
        asset,
        type: p.type!,
        style: p.style ?? 'european',
        ...(p.barrier ? { barrier: { type: p.barrier.type, rebate: p.barrier.rebate } } : {}),
      };
  }
}

function positionName(p: BookFile['positions'][number], b: BookFile): string {
  if (p.name !== undefined) return p.name;
  const asset = Math.max(
    0,
    b.assets.findIndex((x) => x.name === p.asset),
  );
  const expiry =
    typeof p.expiry === 'number' ? p.expiry : p.expiry === undefined ? Number.POSITIVE_INFINITY : 0;
  try {
    const id = contractId(termsOf(p, asset), p.asset, p.strike ?? 0, expiry, p.barrier?.level);
    return typeof p.expiry === 'string' ? id.replace(/T=0$/, `exp ${p.expiry}`) : id;
  } catch {
    return `${p.asset} ${p.instrument}`;
  }
}

/** A validated book file as the risk module's inputs. */
export interface LoadedBook {
  readonly file: string;
  readonly valuationDate: string | undefined;
  readonly book: Book;
  readonly vegaEdges: readonly number[];
  readonly ladder: LadderSpec;
  readonly betaIndex: string | undefined;
  /** The `hedge:` section (bands, hedge instruments), when the file has one. */
  readonly hedge: BookHedgeSpec | undefined;
}

/** Converts a validated book file into a {@link Book} (asset names → indices, dates → years). */
export function bookFromFile(b: BookFile, file = 'book'): LoadedBook {
  const book: Book = {
    rate: b.rate,
    assets: b.assets.map((x) => {
      const vol: VolQuote = typeof x.vol === 'number' ? x.vol : { base: x.vol.base, smile: x.vol.smile };
      return {
        name: x.name,
        spot: x.spot,
        carry: x.carry,
        vol,
        ...(x.beta !== undefined ? { beta: x.beta } : {}),
      };
    }),
    positions: b.positions.map((p) => {
      const asset = b.assets.findIndex((x) => x.name === p.asset);
      const contract: Contract = {
        id: positionName({ ...p, name: undefined }, b),
        terms: termsOf(p, asset),
        strike: p.strike ?? 0,
        expiry: expiryYears(p, b),
        ...(p.barrier ? { barrier: p.barrier.level } : {}),
      };
      return { name: positionName(p, b), contract, quantity: p.quantity };
    }),
  };
  return {
    file,
    valuationDate: b.valuationDate,
    book,
    vegaEdges: b.vegaBuckets.map(tenorYears),
    ladder: {
      spotShocks: b.ladder.spotShocks,
      volShocks: b.ladder.volShocks,
      timeShiftDays: b.ladder.timeShiftDays,
      ...(b.ladder.asset !== undefined ? { asset: b.ladder.asset } : {}),
    },
    betaIndex: b.betaIndex,
    hedge:
      b.hedge === undefined
        ? undefined
        : hedgeSpecFromFile(
            b.hedge,
            b.assets.map((x) => x.name),
            b.vegaBuckets.length + 1,
          ),
  };
}

const bookError = (file: string, issues: FileIssue[]) => new BookFileError(file, issues);

/**
 * Parses and validates book-file text (YAML or JSON).
 * @throws BookFileError listing every issue as `file:line: path: rule (got x)`
 * @example parseBookFile(text, 'book.yaml').book.positions.length // the number of positions
 */
export function parseBookFile(text: string, file = 'book'): LoadedBook {
  return bookFromFile(parseYamlWith(BookFileSchema, text, file, bookError).value, file);
}

/**
 * Reads and validates a book file.
 * @throws BookFileError for an unreadable file, invalid YAML/JSON or any rule broken
 * @example loadBookFile('examples/book.yaml').book.assets.length // returns 3
 */
export function loadBookFile(file: string): LoadedBook {
  return parseBookFile(readConfigText(file, 'book file', bookError), file);
}
