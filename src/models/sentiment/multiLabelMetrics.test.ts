import { describe, expect, it } from 'vitest';
import { scoreMultiLabel, thresholded } from './multiLabelMetrics';

describe('scoreMultiLabel', () => {
  it('matches F1 and Jaccard worked out by hand', () => {
    // 3 examples, 3 labels
    const gold = Uint8Array.of(1, 0, 1, 0, 1, 0, 0, 0, 0);
    const pred = Uint8Array.of(1, 1, 0, 0, 1, 0, 0, 0, 1);
    const s = scoreMultiLabel(pred, gold, 3);
    // label 0: tp 1 -> F1 1; label 1: tp 1, fp 1 -> 2/3; label 2: fp 1, fn 1 -> 0
    expect(s.f1[0]).toBeCloseTo(1, 12);
    expect(s.f1[1]).toBeCloseTo(2 / 3, 12);
    expect(s.f1[2]).toBe(0);
    expect(s.macroF1).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    // row 0: {0,1} vs {0,2} -> 1/3; row 1: {1} vs {1} -> 1; row 2: {2} vs {} -> 0
    expect(s.jaccard).toBeCloseTo((1 / 3 + 1 + 0) / 3, 12);
    expect(s.count).toBe(3);
  });

  it('counts an example with no gold and no predicted label as Jaccard 1', () => {
    const s = scoreMultiLabel(Uint8Array.of(0, 0, 1, 0), Uint8Array.of(0, 0, 1, 1), 2);
    // row 0 both empty -> 1; row 1 {0} vs {0,1} -> 1/2
    expect(s.jaccard).toBeCloseTo(0.75, 12);
    // label 1 never predicted, present once -> F1 0; a label absent everywhere also scores 0
    expect(s.f1).toEqual([1, 0]);
    expect(scoreMultiLabel(Uint8Array.of(0, 0), Uint8Array.of(0, 0), 1).f1).toEqual([0]);
  });

  it('rejects predictions and labels of different shapes', () => {
    expect(() => scoreMultiLabel(Uint8Array.of(1, 0), Uint8Array.of(1, 0, 1), 1)).toThrow(
      /expected two \[N, 1\] arrays, got 2 and 3/,
    );
  });
});

describe('thresholded', () => {
  it('reads p > 0.5 as present and exactly 0.5 as absent, as transfer.py (logit > 0)', () => {
    expect(Array.from(thresholded([0.2, 0.5, 0.51, 0.99]))).toEqual([0, 0, 1, 1]);
    expect(Array.from(thresholded([0.2, 0.5, 0.51], 0.3))).toEqual([0, 1, 1]);
  });
});
