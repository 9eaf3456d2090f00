import { describe, expect, it } from 'vitest';
import { parseEscalationConfig } from './config.ts';
import { createEscalation } from './protocol.ts';

const H = 3_600_000;
const DAY = 24 * H;

describe('escalation config', () => {
  it('fills every default from an empty object', () => {
    const c = parseEscalationConfig({});
    expect(c.dwellHours).toBe(24);
    expect([c.indexDrop.deRisk, c.indexDrop.protect, c.indexDrop.halted]).toEqual([0.07, 0.13, 0.2]);
    expect(c.reconciliation.level).toBe('HALTED');
    expect(c.feedHealth.stale).toBe('DE-RISK');
  });

  it('names the field when thresholds are out of order', () => {
    expect(() => parseEscalationConfig({ indexDrop: { protect: 0.05 } })).toThrow(
      /indexDrop\.protect: must be > deRisk \(0\.07\).*\(got 0\.05\)/,
    );
    expect(() => parseEscalationConfig({ cushion: { deRisk: 0.4 } })).toThrow(
      /cushion\.deRisk: must be < watch \(0\.3\)/,
    );
  });

  it('names unknown keys, negative margins and a margin that could never clear', () => {
    expect(() => parseEscalationConfig({ indexDrop: { halt: 0.2 } })).toThrow(/indexDrop: unknown key/);
    expect(() => parseEscalationConfig({ volRatio: { margin: -1 } })).toThrow(
      /volRatio\.margin: must be >= 0/,
    );
    expect(() => parseEscalationConfig({ moveSigmas: { margin: 3.5 } })).toThrow(
      /moveSigmas\.margin: must be <= the lowest threshold \(3\)/,
    );
  });

  it('lets a level be switched off with null, and skips it in the ordering', () => {
    const c = parseEscalationConfig({ indexDrop: { protect: null } });
    expect(c.indexDrop.protect).toBeNull();
    const esc = createEscalation({ indexDrop: { protect: null } });
    esc.update({ timeMs: 0, indexDrop: 0.15 });
    expect(esc.level).toBe('DE-RISK');
  });
});

describe('escalation: each level up', () => {
  it.each([
    [0.04, 'WATCH'],
    [0.07, 'DE-RISK'],
    [0.13, 'PROTECT'],
    [0.2, 'HALTED'],
  ] as const)('an index drop of %s goes NORMAL → %s at once, with an audit record', (drop, level) => {
    const esc = createEscalation();
    const tr = esc.update({ timeMs: 1000, indexDrop: drop, cushionUnits: 0.5 });
    expect(esc.level).toBe(level);
    expect(tr).toHaveLength(1);
    expect(tr[0]).toMatchObject({
      timeMs: 1000,
      from: 'NORMAL',
      to: level,
      driver: 'indexDrop',
      value: drop,
      actor: 'auto',
      inputs: { timeMs: 1000, indexDrop: drop, cushionUnits: 0.5 },
    });
    expect(tr[0].thresholds).toMatchObject({ WATCH: 0.035, 'DE-RISK': 0.07, PROTECT: 0.13, HALTED: 0.2 });
  });

  it('the cushion escalates as it falls (lower is worse)', () => {
    const esc = createEscalation();
    expect(esc.update({ timeMs: 0, cushionUnits: 0.31 })).toEqual([]);
    expect(esc.update({ timeMs: 1, cushionUnits: 0.3 })[0]).toMatchObject({ to: 'WATCH', driver: 'cushion' });
    expect(esc.update({ timeMs: 2, cushionUnits: 0.15 })[0]).toMatchObject({ from: 'WATCH', to: 'DE-RISK' });
    expect(esc.update({ timeMs: 3, cushionUnits: -0.1 })[0]).toMatchObject({
      from: 'DE-RISK',
      to: 'PROTECT',
    });
  });

  it('each driver reaches its levels', () => {
    const cases: [Parameters<ReturnType<typeof createEscalation>['update']>[0], string, string][] = [
      [{ timeMs: 0, shockedLossOverCushion: 0.9 }, 'DE-RISK', 'shockedLoss'],
      [{ timeMs: 0, moveSigmas: -4.2 }, 'DE-RISK', 'moveSigmas'],
      [{ timeMs: 0, volRatio: 2.1 }, 'PROTECT', 'volRatio'],
      [{ timeMs: 0, feedProblems: 1 }, 'WATCH', 'feedHealth'],
      [{ timeMs: 0, feedStale: true }, 'DE-RISK', 'feedHealth'],
      [{ timeMs: 0, ordersPerMinute: 61 }, 'HALTED', 'orderRate'],
      [{ timeMs: 0, reconciliationMismatch: true }, 'HALTED', 'reconciliation'],
    ];
    for (const [inputs, level, driver] of cases) {
      const esc = createEscalation();
      expect(esc.update(inputs)[0]).toMatchObject({ to: level, driver });
    }
  });

  it('the level is the most restrictive driver and the transition names the driver that moved it', () => {
    const esc = createEscalation();
    esc.update({ timeMs: 0, volRatio: 1.3 });
    expect(esc.level).toBe('WATCH');
    const tr = esc.update({ timeMs: 1, volRatio: 1.3, moveSigmas: 4.5 });
    expect(tr[0]).toMatchObject({ from: 'WATCH', to: 'DE-RISK', driver: 'moveSigmas', value: 4.5 });
    expect(esc.driverLevels()).toMatchObject({ volRatio: 'WATCH', moveSigmas: 'DE-RISK', cushion: 'NORMAL' });
  });
});

describe('escalation: stepping down', () => {
  it('steps down one level at a time, each after the dwell time cleared', () => {
    const esc = createEscalation({ dwellHours: 24 });
    esc.update({ timeMs: 0, indexDrop: 0.15 });
    expect(esc.level).toBe('PROTECT');
    // cleared of everything at t = 1 day: the dwell clock starts
    expect(esc.update({ timeMs: DAY, indexDrop: 0 })).toEqual([]);
    expect(esc.update({ timeMs: 2 * DAY - 1, indexDrop: 0 })).toEqual([]);
    expect(esc.update({ timeMs: 2 * DAY, indexDrop: 0 })[0]).toMatchObject({
      from: 'PROTECT',
      to: 'DE-RISK',
      driver: 'indexDrop',
      actor: 'auto',
    });
    // the next step needs its own dwell
    expect(esc.update({ timeMs: 2 * DAY + H, indexDrop: 0 })).toEqual([]);
    expect(esc.update({ timeMs: 3 * DAY, indexDrop: 0 })[0]).toMatchObject({ from: 'DE-RISK', to: 'WATCH' });
    expect(esc.update({ timeMs: 4 * DAY, indexDrop: 0 })[0]).toMatchObject({ from: 'WATCH', to: 'NORMAL' });
    expect(esc.update({ timeMs: 5 * DAY, indexDrop: 0 })).toEqual([]);
  });

  it('hysteresis: a value just below the threshold but within the margin does not clear', () => {
    const esc = createEscalation({ dwellHours: 0 });
    esc.update({ timeMs: 0, indexDrop: 0.07 });
    expect(esc.level).toBe('DE-RISK');
    // 0.065 is below 0.07 but not by the margin 0.01
    expect(esc.update({ timeMs: DAY, indexDrop: 0.065 })).toEqual([]);
    expect(esc.update({ timeMs: 10 * DAY, indexDrop: 0.065 })).toEqual([]);
    expect(esc.level).toBe('DE-RISK');
    expect(esc.update({ timeMs: 11 * DAY, indexDrop: 0.059 })[0]).toMatchObject({
      from: 'DE-RISK',
      to: 'WATCH',
    });
  });

  it('the cushion clears upwards by its margin', () => {
    const esc = createEscalation({ dwellHours: 0 });
    esc.update({ timeMs: 0, cushionUnits: 0.19 });
    expect(esc.level).toBe('DE-RISK');
    expect(esc.update({ timeMs: 1, cushionUnits: 0.24 })).toEqual([]);
    expect(esc.update({ timeMs: 2, cushionUnits: 0.26 })[0]).toMatchObject({ to: 'WATCH' });
  });

  it('a relapse during the dwell restarts the clock', () => {
    const esc = createEscalation({ dwellHours: 24 });
    esc.update({ timeMs: 0, moveSigmas: 4.5 });
    esc.update({ timeMs: H, moveSigmas: 0 });
    esc.update({ timeMs: 20 * H, moveSigmas: 3.8 }); // not cleared of DE-RISK (4 − 0.5)
    expect(esc.update({ timeMs: 26 * H, moveSigmas: 0 })).toEqual([]);
    expect(esc.update({ timeMs: 49 * H, moveSigmas: 0 })).toEqual([]);
    expect(esc.update({ timeMs: 50 * H, moveSigmas: 0 })[0]).toMatchObject({ from: 'DE-RISK', to: 'WATCH' });
  });

  it('a driver whose input is missing keeps its level (and does not step down)', () => {
    const esc = createEscalation({ dwellHours: 0 });
    esc.update({ timeMs: 0, volRatio: 1.6 });
    expect(esc.update({ timeMs: DAY, cushionUnits: 1 })).toEqual([]);
    expect(esc.update({ timeMs: 2 * DAY, volRatio: Number.NaN })).toEqual([]);
    expect(esc.level).toBe('DE-RISK');
    expect(esc.update({ timeMs: 3 * DAY, volRatio: 1 })[0]).toMatchObject({ from: 'DE-RISK', to: 'WATCH' });
  });

  it('the book steps down only when its most restrictive driver does', () => {
    const esc = createEscalation({ dwellHours: 0 });
    esc.update({ timeMs: 0, volRatio: 1.6, moveSigmas: 4.5 });
    expect(esc.update({ timeMs: 1, volRatio: 1, moveSigmas: 4.5 })).toEqual([]);
    expect(esc.driverLevels().volRatio).toBe('WATCH');
    expect(esc.level).toBe('DE-RISK');
  });
});

describe('escalation: HALTED and manual actions', () => {
  it('HALTED is never left automatically, only by rearm, which goes to PROTECT', () => {
    const esc = createEscalation({ dwellHours: 0 });
    esc.update({ timeMs: 0, indexDrop: 0.25 });
    expect(esc.level).toBe('HALTED');
    for (let d = 1; d < 30; d++) expect(esc.update({ timeMs: d * DAY, indexDrop: -0.01 })).toEqual([]);
    expect(esc.level).toBe('HALTED');
    const tr = esc.manual({ kind: 'rearm', actor: 'alice' }, 30 * DAY);
    expect(tr).toEqual([
      expect.objectContaining({
        from: 'HALTED',
        to: 'PROTECT',
        driver: 'manual',
        actor: { manual: 'alice' },
      }),
    ]);
    expect(esc.update({ timeMs: 31 * DAY, indexDrop: 0 })[0]).toMatchObject({
      from: 'PROTECT',
      to: 'DE-RISK',
    });
  });

  it('a condition still present after rearm halts again at once', () => {
    const esc = createEscalation();
    esc.update({ timeMs: 0, reconciliationMismatch: true });
    esc.manual({ kind: 'rearm', actor: 'ops' }, 1);
    expect(esc.update({ timeMs: 2, reconciliationMismatch: true })[0]).toMatchObject({
      from: 'PROTECT',
      to: 'HALTED',
      driver: 'reconciliation',
    });
  });

  it('halt by hand, recorded with the actor; rearm returns to what the drivers ask', () => {
    const esc = createEscalation();
    esc.update({ timeMs: 0, volRatio: 1.3 });
    expect(esc.manual({ kind: 'halt', actor: 'bob' }, 5)[0]).toMatchObject({
      from: 'WATCH',
      to: 'HALTED',
      driver: 'manual',
      actor: { manual: 'bob' },
      reason: 'halted by bob',
    });
    expect(esc.policy().trade).toBe(false);
    expect(esc.manual({ kind: 'rearm', actor: 'bob' }, 6)[0]).toMatchObject({ from: 'HALTED', to: 'WATCH' });
  });

  it('override raises at once and holds; lowering clears latches but not live conditions', () => {
    const esc = createEscalation();
    esc.manual({ kind: 'override', level: 'PROTECT', actor: 'carol' }, 0);
    expect(esc.level).toBe('PROTECT');
    expect(esc.update({ timeMs: 10 * DAY, indexDrop: 0 })).toEqual([]);
    esc.update({ timeMs: 11 * DAY, volRatio: 1.6 });
    const down = esc.manual({ kind: 'override', level: 'NORMAL', actor: 'carol' }, 11 * DAY);
    expect(down[0]).toMatchObject({ from: 'PROTECT', to: 'NORMAL', actor: { manual: 'carol' } });
    expect(esc.update({ timeMs: 11 * DAY + 1, volRatio: 1.6 })[0]).toMatchObject({ to: 'DE-RISK' });
  });

  it('override cannot leave HALTED; rearm needs HALTED; acknowledge changes nothing', () => {
    const esc = createEscalation();
    expect(() => esc.manual({ kind: 'rearm', actor: 'x' }, 0)).toThrow(
      /rearm.*needs level HALTED \(now NORMAL\)/,
    );
    esc.update({ timeMs: 1, volRatio: 1.3 });
    expect(esc.manual({ kind: 'acknowledge', actor: 'dan' }, 2)[0]).toMatchObject({
      from: 'WATCH',
      to: 'WATCH',
      reason: 'acknowledged by dan',
    });
    esc.manual({ kind: 'halt', actor: 'x' }, 3);
    expect(() => esc.manual({ kind: 'override', level: 'NORMAL', actor: 'x' }, 4)).toThrow(/use rearm/);
  });

  it('refuses time running backwards and non-finite times', () => {
    const esc = createEscalation();
    esc.update({ timeMs: 100 });
    expect(() => esc.update({ timeMs: 99 })).toThrow(
      /timeMs \(99\) must be >= the previous update's \(100\)/,
    );
    expect(() => esc.update({ timeMs: Number.NaN })).toThrow(/timeMs \(NaN\) must be a finite number/);
  });

  it('policy per level', () => {
    const esc = createEscalation();
    expect(esc.policy()).toEqual({ trade: true, riskReducingOnly: false, cashLock: false });
    esc.update({ timeMs: 0, indexDrop: 0.08 });
    expect(esc.policy()).toEqual({ trade: true, riskReducingOnly: true, cashLock: false });
    esc.update({ timeMs: 1, indexDrop: 0.14 });
    expect(esc.policy()).toEqual({ trade: true, riskReducingOnly: true, cashLock: true });
  });

  it('snapshot is JSON-safe and restore rejects a malformed one', () => {
    const esc = createEscalation();
    esc.update({ timeMs: 0, indexDrop: 0.08 });
    const snap = JSON.parse(JSON.stringify(esc.snapshot()));
    const other = createEscalation();
    other.restore(snap);
    expect(other.level).toBe('DE-RISK');
    expect(() => other.restore({ version: 1, levels: [9], since: [], lastTimeMs: 0 })).toThrow(
      /escalation snapshot: levels/,
    );
  });
});
