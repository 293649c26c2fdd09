import { describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../../engine/testing';
import {
  fitSentimentClassifier,
  foldOf,
  parseClassifier,
  predictProbs,
  standardiser,
  STD_FLOOR_SHARE,
} from './classifier';
import { crossValidatedAccuracy, leakSensitiveSet } from './crossValidationReference';

const gpu = await testGpu();

/** features [n, h] on a wild scale; the label follows unit `unit` only */
function data(n: number, h: number, unit: number, seed: number) {
  const x = randomArray(n * h, seed).map((v, i) => v * (1 + (i % h)) + 5 * (i % h));
  const labels = Uint8Array.from({ length: n }, (_, i) => (x[i * h + unit] > 5 * unit ? 1 : 0));
  return { x, labels };
}

describe('foldOf', () => {
  it('deals each class round-robin so every fold holds both classes when it can', () => {
    const folds = foldOf(Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0), 4);
    for (let f = 0; f < 4; f++) {
      const members = [...folds.keys()].filter((i) => folds[i] === f);
      expect(members.length).toBe(2);
    }
    expect(Array.from(foldOf(Uint8Array.of(1, 1, 0, 0), 4)).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe.skipIf(!gpu)('fitSentimentClassifier', () => {
  it('finds the one informative unit and reaches full validation accuracy', async () => {
    const h = 8;
    const train = data(60, h, 5, 21);
    const val = data(40, h, 5, 22);
    const c = await fitSentimentClassifier(gpu!, train.x, train.labels, {
      val: { features: val.x, labels: val.labels },
      maxIter: 600,
    });
    expect(c.sentimentUnit).toBe(5);
    expect(c.unitWeight).toBeGreaterThan(0);
    expect(c.accuracyKind).toBe('validation');
    expect(c.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(c.grid.map((g) => g.lambda)).toEqual(
      [...c.grid.map((g) => g.lambda)].sort((a, b) => b - a),
    );
    // predictions on the CPU agree with the reported accuracy
    const probs = predictProbs(c, val.x);
    const right = val.labels.filter((y, i) => (probs[i] > 0.5 ? 1 : 0) === y).length;
    expect(right / val.labels.length).toBeCloseTo(c.accuracy, 10);
    expect(c.nonZero).toBeLessThan(h);
    // survives a JSON round trip
    const back = parseClassifier(JSON.parse(JSON.stringify(c)));
    expect(back.ok).toBe(true);
  });

  it('cross-validates a tiny labelled set and refuses a single class', async () => {
    const x = Float32Array.of(3, 0, 1, 0, 2.5, 1, 0, 1, -3, 0, 1, 0, -2, 1, 0, 1);
    const labels = Uint8Array.of(1, 1, 0, 0);
    const c = await fitSentimentClassifier(gpu!, x, labels, { maxIter: 300 });
    expect(c.accuracyKind).toBe('cross-validation');
    expect(c.folds).toBe(4);
    expect(c.accuracy).toBe(1);
    expect(c.sentimentUnit).toBe(0);
    await expect(fitSentimentClassifier(gpu!, x, Uint8Array.of(1, 1, 1, 1))).rejects.toThrow(
      /need both positive and negative examples \(got 4 positive of 4\)/,
    );
    await expect(fitSentimentClassifier(gpu!, x.subarray(0, 4), Uint8Array.of(1))).rejects.toThrow(
      /at least 2 labelled examples/,
    );
  });
});

describe('parseClassifier', () => {
  it('names what is wrong with a saved classifier', () => {
    expect(parseClassifier(null)).toEqual({
      ok: false,
      error: 'sentiment classifier: expected a JSON object',
    });
    const r = parseClassifier({
      format: 'semilab.sentiment-classifier',
      hidden: 2,
      mean: [0],
      std: [1, 1],
      w: [1, 1],
    });
    expect(!r.ok && r.error).toMatch(/mean \(expected 2 finite numbers\)/);
  });
});

describe('cross-validation', () => {
  it('standardises each fold with its training rows only (the leak would read 100%)', async () => {
    const { x, y } = leakSensitiveSet();
    const c = await fitSentimentClassifier(null, x, y, { maxIter: 3000 });
    expect(c.folds).toBe(5);
    const lambdas = c.grid.map((g) => g.lambda);
    const honest = crossValidatedAccuracy(x, y, lambdas, 5);
    const leaky = crossValidatedAccuracy(x, y, lambdas, 5, { leak: true });
    expect(c.grid.map((g) => g.accuracy)).toEqual(honest);
    expect(c.accuracy).toBeCloseTo(10 / 12, 12);
    expect(Math.max(...leaky)).toBe(1);
  });

  it('floors a near-constant feature at a share of the median std', () => {
    // feature 1 barely moves (std 1e-4); feature 0 and 2 have std 1 and 2
    const x = Float32Array.of(1, 5, 2, -1, 5.0002, -2, 1, 5, 2, -1, 5.0002, -2);
    const { mean, std } = standardiser(x, 4, 3);
    expect(mean[1]).toBeCloseTo(5.0001, 4);
    expect(std[0]).toBeCloseTo(1, 6);
    expect(std[2]).toBeCloseTo(2, 6);
    // median of (1, 1e-4, 2) is 1: floor 0.1
    expect(std[1]).toBeCloseTo(STD_FLOOR_SHARE * 1, 6);
    // over rows 0 and 1 only: the same floor rule on those rows' statistics
    const some = standardiser(x, 4, 3, Uint8Array.of(1, 1, 0, 0));
    expect(some.std[0]).toBeCloseTo(1, 6);
  });
});
