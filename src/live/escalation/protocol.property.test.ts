import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEscalation, type EscalationProtocol } from './protocol.ts';
import {
  DRIVERS,
  type EscalationInputs,
  LEVELS,
  levelRank,
  type ManualAction,
  type Transition,
} from './types.ts';

const H = 3_600_000;
type Step =
  | { kind: 'update'; inputs: EscalationInputs }
  | { kind: 'manual'; action: ManualAction; timeMs: number };

/** Random measurement streams around the default thresholds, with gaps and occasional manual actions. */
const stepsArb = fc
  .array(
    fc.record({
      dt: fc.integer({ min: 0, max: 30 * H }),
      cushionUnits: fc.option(fc.double({ min: -0.2, max: 0.6, noNaN: true }), { nil: undefined }),
      shockedLossOverCushion: fc.option(fc.double({ min: 0, max: 1.5, noNaN: true }), { nil: undefined }),
      moveSigmas: fc.option(fc.double({ min: -8, max: 8, noNaN: true }), { nil: undefined }),
      indexDrop: fc.option(fc.double({ min: -0.05, max: 0.22, noNaN: true }), { nil: undefined }),
      volRatio: fc.option(fc.double({ min: 0.5, max: 2.5, noNaN: true }), { nil: undefined }),
      feedProblems: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      feedStale: fc.option(fc.boolean(), { nil: undefined }),
      ordersPerMinute: fc.option(fc.integer({ min: 0, max: 70 }), { nil: undefined }),
      reconciliationMismatch: fc.option(fc.constantFrom(false, false, false, true), { nil: undefined }),
      manual: fc.option(
        fc.oneof(
          fc.constant({ kind: 'rearm', actor: 'op' } as const),
          fc.constant({ kind: 'halt', actor: 'op' } as const),
          fc.constant({ kind: 'acknowledge', actor: 'op' } as const),
          fc.constantFrom(...LEVELS).map((level) => ({ kind: 'override', level, actor: 'op' }) as const),
        ),
        { nil: undefined, freq: 8 },
      ),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((raw) => {
    let t = 0;
    const steps: Step[] = [];
    for (const { dt, manual, ...fields } of raw) {
      t += dt;
      const inputs: Record<string, unknown> = { timeMs: t };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) inputs[k] = v;
      steps.push({ kind: 'update', inputs: inputs as unknown as EscalationInputs });
      if (manual) steps.push({ kind: 'manual', action: manual, timeMs: t });
    }
    return steps;
  });

/** Runs a step; manual actions the protocol refuses (rearm when not halted, …) are skipped. */
function run(esc: EscalationProtocol, step: Step): Transition[] {
  if (step.kind === 'update') return esc.update(step.inputs);
  const r = levelRank(esc.level);
  if (step.action.kind === 'rearm' && r !== 4) return [];
  if (step.action.kind === 'override' && r === 4 && step.action.level !== 'HALTED') return [];
  return esc.manual(step.action, step.timeMs);
}

const OPTS = { seed: 20261203, numRuns: 300 };

describe('escalation protocol properties', () => {
  it('the level is always the maximum of the drivers levels', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const esc = createEscalation();
        for (const s of steps) {
          run(esc, s);
          const max = Math.max(...DRIVERS.map((d) => levelRank(esc.driverLevels()[d])));
          expect(levelRank(esc.level)).toBe(max);
        }
      }),
      OPTS,
    );
  });

  it('escalation is immediate: after an update the index-drop driver is at least the level its value asks', () => {
    const asked = (v: number) => (v >= 0.2 ? 4 : v >= 0.13 ? 3 : v >= 0.07 ? 2 : v >= 0.035 ? 1 : 0);
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const esc = createEscalation();
        for (const s of steps) {
          run(esc, s);
          if (s.kind === 'update' && s.inputs.indexDrop !== undefined)
            expect(levelRank(esc.driverLevels().indexDrop)).toBeGreaterThanOrEqual(asked(s.inputs.indexDrop));
        }
      }),
      OPTS,
    );
  });

  it('HALTED is never left automatically, and automatic step-downs never skip a level', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const esc = createEscalation({ dwellHours: 6 });
        for (const s of steps) {
          const before = esc.level;
          const tr = run(esc, s);
          if (s.kind === 'update') {
            if (before === 'HALTED') expect(esc.level).toBe('HALTED');
            for (const t of tr) {
              expect(t.actor).toBe('auto');
              if (levelRank(t.to) < levelRank(t.from)) expect(levelRank(t.to)).toBe(levelRank(t.from) - 1);
            }
          }
          // every transition chains from the level before it
          for (const t of tr) expect(t.from).toBe(before);
        }
      }),
      OPTS,
    );
  });

  it('a replay of the same inputs gives the same transitions', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const a = createEscalation();
        const b = createEscalation();
        const ta = steps.flatMap((s) => run(a, s));
        const tb = steps.flatMap((s) => run(b, s));
        expect(tb).toEqual(ta);
      }),
      OPTS,
    );
  });

  it('snapshot / restore mid-stream (through JSON) continues identically', () => {
    fc.assert(
      fc.property(stepsArb, fc.nat(), (steps, cut) => {
        const k = cut % (steps.length + 1);
        const a = createEscalation({ dwellHours: 12 });
        for (const s of steps.slice(0, k)) run(a, s);
        const b = createEscalation({ dwellHours: 12 });
        b.restore(JSON.parse(JSON.stringify(a.snapshot())));
        expect(b.level).toBe(a.level);
        for (const s of steps.slice(k)) expect(run(b, s)).toEqual(run(a, s));
        expect(b.snapshot()).toEqual(a.snapshot());
      }),
      OPTS,
    );
  });
});
