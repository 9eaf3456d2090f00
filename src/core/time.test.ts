import { describe, expect, it } from 'vitest';
import { advanceRateIntegral, startRateIntegral, TIME_EPS, TRADING_DAYS_PER_YEAR } from './time.ts';

describe('time conventions', () => {
  it('252 trading days per year; grid times within TIME_EPS are the same instant', () => {
    expect(TRADING_DAYS_PER_YEAR).toBe(252);
    let t = 0;
    for (let i = 0; i < TRADING_DAYS_PER_YEAR; i++) t += 1 / TRADING_DAYS_PER_YEAR;
    expect(t).not.toBe(1);
    expect(Math.abs(t - 1)).toBeLessThan(TIME_EPS);
  });

  it('integrates the rate by the left-point rule, as the running sum r_{i-1}·dt_i', () => {
    const rates = [0.01, 0.02, 0.05, -0.01, 0.03];
    const dts = [0.1, 0.25, 0.05, 0.3, 0.2];
    const ri = startRateIntegral(rates[0]);
    let sum = 0;
    let prev = rates[0];
    for (let i = 1; i < rates.length; i++) {
      const inc = advanceRateIntegral(ri, dts[i], rates[i]);
      sum += prev * dts[i];
      expect(inc).toBe(prev * dts[i]);
      prev = rates[i];
      expect(ri.value).toBe(sum);
      expect(ri.prevRate).toBe(rates[i]);
    }
    expect(startRateIntegral(0.03)).toEqual({ value: 0, prevRate: 0.03 });
  });
});
