import { describe, expect, it } from 'vitest';
import type { SentimentClassifier } from '../../models/sentiment/classifier';
import { heatVerdictDisagreement, unitLeaning, verdictCaution } from './heatVerdict';

// unit 1 has a negative weight: a high cell state reads negative
const c = {
  hidden: 3,
  pool: 'final',
  mean: [0, 2, 0],
  std: [1, 0.5, 1],
  w: [0.3, -1.2, 0],
  b: 0,
  sentimentUnit: 1,
  unitWeight: -1.2,
  nonZero: 2,
} as unknown as SentimentClassifier;

describe('heat map and verdict', () => {
  it('reads the unit by the sign of its own term in the logit, mean and weight included', () => {
    expect(unitLeaning(c, 2.5)).toBe('negative');
    expect(unitLeaning(c, 1.5)).toBe('positive');
    // at the training mean the unit says nothing: as p = 0.5, negative
    expect(unitLeaning(c, 2)).toBe('negative');
  });

  it('names a disagreement in words and stays quiet when they agree', () => {
    expect(heatVerdictDisagreement(c, 1, 1.5, 0.2)).toBe(
      'They disagree on this text: unit 1 alone leans positive at the last byte, ' +
        'but the 2 units with non-zero weight together read negative.',
    );
    expect(heatVerdictDisagreement(c, 1, 2.5, 0.9)).toMatch(/unit 1 alone leans negative/);
    expect(heatVerdictDisagreement(c, 1, 1.5, 0.8)).toBeNull();
    expect(heatVerdictDisagreement(c, 1, 2.5, 0.3)).toBeNull();
  });

  it('says nothing for another unit, mean-pooled features or a non-finite value', () => {
    expect(heatVerdictDisagreement(c, 0, 1.5, 0.2)).toBeNull();
    expect(heatVerdictDisagreement({ ...c, pool: 'mean' }, 1, 1.5, 0.2)).toBeNull();
    expect(heatVerdictDisagreement(c, 1, NaN, 0.2)).toBeNull();
  });
});

describe('verdictCaution', () => {
  it('cautions below 60% and names how the accuracy was measured', () => {
    expect(verdictCaution({ accuracy: 0.432, folds: 5 })).toBe(
      'The classifier scored 43.2% cross-validated, near chance: ' +
        'read this verdict as a guess, however sure its probability looks.',
    );
    expect(verdictCaution({ accuracy: 0.55, folds: 0 })).toContain('55.0% held-out');
    expect(verdictCaution({ accuracy: 0.6, folds: 5 })).toBeNull();
    expect(verdictCaution({ accuracy: 0.9, folds: 5 })).toBeNull();
  });
});
