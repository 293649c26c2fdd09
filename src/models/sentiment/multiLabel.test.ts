import { describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../../engine/testing';
import { fitBagOfWordsMultiLabel } from './bowMultiLabel';
import { fitMultiLabel, nonFiniteRows, parseMultiLabel, predictMultiLabel } from './multiLabel';
import { scoreMultiLabel, thresholded } from './multiLabelMetrics';
import { leakSensitiveSet, outOfFoldReference } from './crossValidationReference';

const gpu = await testGpu();

/** features [n, h]; label 0 follows unit 1, label 1 follows unit 4, label 2 is never present */
function data(n: number, h: number, seed: number) {
  const x = randomArray(n * h, seed).map((v, i) => v * (1 + (i % h)) + 3 * (i % h));
  const labels = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    labels[i * 3] = x[i * h + 1] > 3 ? 1 : 0;
    labels[i * 3 + 1] = x[i * h + 4] < 12 ? 1 : 0;
  }
  return { x, labels };
}

const NAMES = ['anger', 'joy', 'surprise'];

describe.skipIf(!gpu)('fitMultiLabel', () => {
  it('finds each label its own unit and scores validation as its predictions do', async () => {
    const h = 7;
    const train = data(80, h, 31);
    const val = data(50, h, 32);
    const c = await fitMultiLabel(gpu!, train.x, train.labels, NAMES, {
      val: { features: val.x, labels: val.labels },
      maxIter: 600,
    });
    expect(c.labels).toEqual(NAMES);
    expect(c.scoresKind).toBe('validation');
    expect(c.classifiers[0].sentimentUnit).toBe(1);
    expect(c.classifiers[0].unitWeight).toBeGreaterThan(0);
    expect(c.classifiers[1].sentimentUnit).toBe(4);
    expect(c.classifiers[1].unitWeight).toBeLessThan(0);
    // the absent label: no weights, a bias that always says "absent"
    expect(c.classifiers[2].nonZero).toBe(0);
    expect(c.classifiers[2].b).toBeLessThan(-4);
    expect(c.scores.f1[0]).toBeGreaterThan(0.9);
    expect(c.scores.f1[1]).toBeGreaterThan(0.9);
    expect(c.scores.f1[2]).toBe(0);
    const probs = predictMultiLabel(c, val.x);
    expect(probs.length).toBe(50 * 3);
    const again = scoreMultiLabel(thresholded(probs), val.labels, 3);
    expect(again.macroF1).toBeCloseTo(c.scores.macroF1, 12);
    expect(again.jaccard).toBeCloseTo(c.scores.jaccard, 12);
    // saved and read back as JSON
    const parsed = parseMultiLabel(JSON.parse(JSON.stringify(c)));
    expect(parsed.ok && predictMultiLabel(parsed.value, val.x)).toEqual(probs);
  }, 600_000);

  it('cross-validates without a validation set and scores every example out of fold', async () => {
    const h = 7;
    const train = data(40, h, 33);
    const c = await fitMultiLabel(gpu!, train.x, train.labels, NAMES, { maxIter: 400 });
    expect(c.scoresKind).toBe('cross-validation');
    expect(c.scores.count).toBe(40);
    expect(c.classifiers[0].folds).toBe(5);
    expect(c.scores.f1[0]).toBeGreaterThan(0.8);
    expect(c.scores.f1[0]).toBeLessThanOrEqual(1);
    // without a validation set the one-class label still scores 0 and predicts absent
    expect(c.scores.f1[2]).toBe(0);
    expect(c.scores.jaccard).toBeGreaterThan(0.6);
  }, 600_000);

  it('names the examples whose features are not finite instead of fitting NaN', async () => {
    const x = new Float32Array(4 * 2).fill(1);
    x[5] = NaN;
    await expect(
      fitMultiLabel(gpu!, x, Uint8Array.of(1, 0, 0, 1, 1, 0, 0, 1), ['a', 'b']),
    ).rejects.toThrow(/features of 1 training example\(s\) are not finite \(number 3\)/);
  });

  it('refuses fewer than two examples', async () => {
    await expect(
      fitMultiLabel(gpu!, new Float32Array(4), Uint8Array.of(1, 0, 1), NAMES),
    ).rejects.toThrow(/need at least 2 examples with 3 labels each/);
  });
});

describe('fitMultiLabel cross-validation', () => {
  it('scores out of fold with each fold standardised by its own training rows', async () => {
    const { x, y } = leakSensitiveSet();
    // one label, plus one never present (a constant classifier)
    const labels = Uint8Array.from({ length: y.length * 2 }, (_, i) => (i % 2 ? 0 : y[i / 2]));
    const c = await fitMultiLabel(null, x, labels, ['joy', 'fear'], { maxIter: 3000 });
    const cl = c.classifiers[0];
    expect(cl.folds).toBe(5);
    const f1Of = (p: Float64Array) => scoreMultiLabel(thresholded(p, 0.5), y, 1).f1[0];
    const honest = f1Of(outOfFoldReference(x, y, cl.lambda, 5));
    const leaky = f1Of(outOfFoldReference(x, y, cl.lambda, 5, { leak: true }));
    expect(leaky).not.toBeCloseTo(honest, 3);
    expect(c.scores.f1[0]).toBeCloseTo(honest, 12);
    expect(c.scores.f1[1]).toBe(0);
  });
});

describe('nonFiniteRows', () => {
  it('finds rows with a NaN or an infinity', () => {
    const x = Float32Array.of(1, 2, NaN, 0, 3, 4, 5, -Infinity);
    expect(nonFiniteRows(x, 4)).toEqual([1, 3]);
    expect(nonFiniteRows(Float32Array.of(1, 2), 1)).toEqual([]);
  });
});

describe('parseMultiLabel', () => {
  it('names what is wrong with a saved classifier', () => {
    expect(parseMultiLabel(null)).toEqual({
      ok: false,
      error: 'multi-label classifier: expected a JSON object',
    });
    const bad = parseMultiLabel({
      format: 'semilab.multi-label-classifier',
      labels: ['a'],
      classifiers: [],
    });
    expect(!bad.ok && bad.error).toMatch(/classifiers \(expected 1, one per label\)/);
    const wrong = parseMultiLabel({
      format: 'semilab.multi-label-classifier',
      labels: ['joy'],
      classifiers: [{ format: 'semilab.sentiment-classifier', hidden: 2, w: [1] }],
    });
    expect(!wrong.ok && wrong.error).toMatch(
      /label 'joy': sentiment classifier: mean \(expected 2/,
    );
  });
});

describe('fitBagOfWordsMultiLabel', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('separates labels carried by words, and scores one that never appears as 0', () => {
    const rows: Array<[string, number, number]> = [
      ['so angry today', 1, 0],
      ['angry and furious', 1, 0],
      ['happy happy day', 0, 1],
      ['what a happy moment', 0, 1],
      ['angry but happy', 1, 1],
      ['a plain day', 0, 0],
      ['the bus was late', 0, 0],
      ['furious at the bus', 1, 0],
    ];
    const set = (r: typeof rows) => ({
      texts: r.map(([t]) => enc(t)),
      labels: Uint8Array.from(r.flatMap(([, a, j]) => [a, j, 0])),
    });
    const val = set([
      ['angry again', 1, 0],
      ['happy again', 0, 1],
      ['late again', 0, 0],
    ]);
    const r = fitBagOfWordsMultiLabel(set(rows), val, 3);
    expect(r.scores.f1[0]).toBe(1);
    expect(r.scores.f1[1]).toBe(1);
    expect(r.scores.f1[2]).toBe(0);
    expect(r.scores.jaccard).toBe(1);
    expect(r.lambdas[2]).toBe(0);
    expect(r.lambdas[0]).toBeGreaterThan(0);
  }, 300_000);
});
