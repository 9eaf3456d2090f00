import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../config/issues.ts';
import { EscalationInputsSchema, ManualActionSchema } from './inputs-schema.ts';
import { createEscalation } from './protocol.ts';

describe('escalation input schemas (the edges)', () => {
  it('accepts a measurement set and feeds the protocol', () => {
    const inputs = parseOrThrow(EscalationInputsSchema, { timeMs: 5, indexDrop: 0.08, feedStale: false });
    expect(createEscalation().update(inputs)[0]).toMatchObject({ to: 'DE-RISK', driver: 'indexDrop' });
  });

  it('names the bad field', () => {
    expect(() => parseOrThrow(EscalationInputsSchema, { indexDrop: 0.1 }, 'body')).toThrow(
      /body: timeMs: must be a finite number \(got nothing\)/,
    );
    expect(() => parseOrThrow(EscalationInputsSchema, { timeMs: 1, feedProblems: 1.5 })).toThrow(
      /feedProblems: must be an integer \(got 1\.5\)/,
    );
    expect(() => parseOrThrow(EscalationInputsSchema, { timeMs: 1, indexdrop: 0.1 })).toThrow(
      /unknown key \(allowed here: timeMs, /,
    );
  });

  it('validates manual actions: known kinds and levels, a named operator', () => {
    expect(parseOrThrow(ManualActionSchema, { kind: 'override', level: 'WATCH', actor: ' ann ' })).toEqual({
      kind: 'override',
      level: 'WATCH',
      actor: 'ann',
    });
    expect(() => parseOrThrow(ManualActionSchema, { kind: 'override', level: 'PANIC', actor: 'x' })).toThrow(
      /level: /,
    );
    expect(() => parseOrThrow(ManualActionSchema, { kind: 'rearm', actor: '  ' })).toThrow(
      /actor: must name the operator/,
    );
    expect(() => parseOrThrow(ManualActionSchema, { kind: 'reboot', actor: 'x' })).toThrow(/kind/);
  });
});
