/**
 * The reserve (safe) asset of CPPI, TIPP and the synthetic put: where the value that is not in the
 * risky sleeve is held. Default cash at the short rate (Black & Jones 1987; Perold & Sharpe 1988);
 * `reserve: <asset name>` holds it in a market asset instead, e.g. a bond index, as insurers do in
 * practice (Bertrand & Prigent 2005, §1, "the reserve asset, usually a T-bill or a bond"). The floor
 * keeps its definition; a reserve that can fall (a bond index in a rate rise) can take the book
 * below it, which the floor metrics then show.
 */
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import type { IssueSink, ScenarioContext } from './definition.ts';
import type { Sleeve } from './types.ts';

/** The scenario field: an asset name of the portfolio. */
export const reserveField = () =>
  z
    .string()
    .min(1, { error: 'must be a non-empty asset name' })
    .optional()
    .describe(
      'Asset holding the value not in the sleeve (e.g. a bond index); default cash at the short rate.',
    );

/** A scenario entry's reserve name → asset index (undefined = cash). */
export function entryReserve(name: string | undefined, ctx: ScenarioContext): number | undefined {
  if (name === undefined) return undefined;
  const i = ctx.assets.findIndex((a) => a.name === name);
  return i >= 0 ? i : undefined;
}

/** Scenario check: the reserve names an asset of the portfolio. */
export function checkReserveName(
  p: { reserve?: string | undefined },
  ctx: ScenarioContext,
  issue: IssueSink,
): void {
  if (p.reserve !== undefined && !ctx.assets.some((a) => a.name === p.reserve))
    issue(['reserve'], `must name an asset (${ctx.assets.map((a) => a.name).join(', ')})`, p.reserve);
}

/**
 * Validates a constructor's reserve index against its sleeve.
 * @throws DomainError for an index that is not an asset of the sleeve's weights
 */
export function checkReserve(params: Sleeve): number | undefined {
  const r = params.reserve;
  if (r === undefined) return undefined;
  if (!(Number.isInteger(r) && r >= 0 && r < params.weights.length))
    throw new DomainError('reserve', r, `must be an asset index in [0, ${params.weights.length - 1}]`);
  return r;
}
