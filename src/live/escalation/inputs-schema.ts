/**
 * zod schemas of what reaches the protocol from outside (HTTP bodies, JSON Lines, ledger replay):
 * a measurement set (`EscalationInputs`) and an operator's action (`ManualAction`). The protocol
 * itself trusts its callers; the edges validate with these and report `path: rule (got x)`.
 */
import { z } from 'zod';
import { nonNegative, obj } from '../../core/schema.ts';
import type { EscalationInputs, ManualAction } from './types.ts';
import { LEVELS } from './types.ts';

const finite = () => z.number({ error: 'must be a finite number' });

/** One measurement set; every field but `timeMs` optional ("not measured now"). */
export const EscalationInputsSchema = obj({
  timeMs: finite().describe('Time of the measurements, ms since the epoch (back-tests: model time).'),
  cushionUnits: finite().optional().describe('m·(V − F)/V.'),
  shockedLossOverCushion: nonNegative().optional().describe('Shocked loss / cushion.'),
  moveSigmas: finite().optional().describe('One-day move in EWMA sigmas.'),
  indexDrop: finite().optional().describe('Drop against the previous close, fraction (rise < 0).'),
  volRatio: nonNegative().optional().describe('Realised vol / implied vol.'),
  feedProblems: z
    .number()
    .int({ error: 'must be an integer' })
    .gte(0, { error: 'must be >= 0' })
    .optional()
    .describe('Feed problems since the last update.'),
  feedStale: z.boolean().optional(),
  ordersPerMinute: nonNegative().optional(),
  reconciliationMismatch: z.boolean().optional(),
}) satisfies z.ZodType<EscalationInputs>;

const actor = () =>
  z
    .string()
    .trim()
    .min(1, { error: 'must name the operator' })
    .max(100, { error: 'must be at most 100 characters' });

/** An operator's action (HALTED is left only by `rearm`). */
export const ManualActionSchema = z.discriminatedUnion('kind', [
  obj({ kind: z.literal('acknowledge'), actor: actor() }),
  obj({ kind: z.literal('override'), level: z.enum(LEVELS), actor: actor() }),
  obj({ kind: z.literal('halt'), actor: actor() }),
  obj({ kind: z.literal('rearm'), actor: actor() }),
]) satisfies z.ZodType<ManualAction>;
