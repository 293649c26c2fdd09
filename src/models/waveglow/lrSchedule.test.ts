import { describe, expect, it } from 'vitest';
import { scheduledLr, warmupSteps } from './lrSchedule';

const S = { peak: 1e-4, warmupShare: 0.1, floorShare: 0.1 };

describe('learning-rate schedule (warmup, cosine to a floor)', () => {
  it('warms up over 10% of 20 steps, peaks, halves at the middle, ends at the floor', () => {
    expect(warmupSteps(20, 0.1)).toBe(2);
    // step 0 of the warmup: a third of the peak; step 1: two thirds
    expect(scheduledLr(0, 20, S)).toBeCloseTo(1e-4 / 3, 12);
    expect(scheduledLr(1, 20, S)).toBeCloseTo(2e-4 / 3, 12);
    // the end of the warmup is the peak
    expect(scheduledLr(2, 20, S)).toBeCloseTo(1e-4, 12);
    // the middle of the decay (step 2 + 17 / 2 = 10.5) is halfway between peak and floor
    const mid = (scheduledLr(10, 20, S) + scheduledLr(11, 20, S)) / 2;
    expect(mid).toBeCloseTo(5.5e-5, 6);
    expect(scheduledLr(19, 20, S)).toBeCloseTo(1e-5, 12);
  });

  it('decreases monotonically after the warmup and stays within [floor, peak]', () => {
    let last = Infinity;
    for (let step = warmupSteps(50, 0.1); step < 50; step++) {
      const lr = scheduledLr(step, 50, S);
      expect(lr).toBeLessThanOrEqual(last);
      expect(lr).toBeGreaterThanOrEqual(1e-5 - 1e-15);
      expect(lr).toBeLessThanOrEqual(1e-4 + 1e-15);
      last = lr;
    }
  });

  it('is constant with no warmup and a floor of 1; one step uses the peak', () => {
    const flat = { peak: 3e-5, warmupShare: 0, floorShare: 1 };
    for (const step of [0, 3, 7]) expect(scheduledLr(step, 8, flat)).toBeCloseTo(3e-5, 15);
    expect(scheduledLr(0, 1, S)).toBe(1e-4);
    // 8 steps at 10% warmup: one warmup step at half the peak, then the peak
    expect(scheduledLr(0, 8, S)).toBeCloseTo(5e-5, 12);
    expect(scheduledLr(1, 8, S)).toBeCloseTo(1e-4, 12);
    expect(scheduledLr(7, 8, S)).toBeCloseTo(1e-5, 12);
  });

  it('ends short runs at the floor even when the decay is a single step', () => {
    const half = { peak: 1e-4, warmupShare: 0.5, floorShare: 0.1 };
    // 2 steps: one warmup step at half the peak, then the last step at the floor
    expect(warmupSteps(2, 0.5)).toBe(1);
    expect(scheduledLr(0, 2, half)).toBeCloseTo(5e-5, 12);
    expect(scheduledLr(1, 2, half)).toBeCloseTo(1e-5, 12);
    // 3 steps: round(1.5) = 2 warmup steps (a third, two thirds), then the floor
    expect(warmupSteps(3, 0.5)).toBe(2);
    expect(scheduledLr(0, 3, half)).toBeCloseTo(1e-4 / 3, 12);
    expect(scheduledLr(1, 3, half)).toBeCloseTo(2e-4 / 3, 12);
    expect(scheduledLr(2, 3, half)).toBeCloseTo(1e-5, 12);
    // 2 steps without warmup: the peak, then the floor
    const cold = { ...half, warmupShare: 0 };
    expect(scheduledLr(0, 2, cold)).toBeCloseTo(1e-4, 12);
    expect(scheduledLr(1, 2, cold)).toBeCloseTo(1e-5, 12);
  });

  it('refuses steps outside the run', () => {
    expect(() => scheduledLr(8, 8, S)).toThrow('expected 0..7, got 8');
    expect(() => scheduledLr(-1, 8, S)).toThrow('step out of range');
    expect(() => scheduledLr(0, 0, S)).toThrow('total >= 1');
  });
});
