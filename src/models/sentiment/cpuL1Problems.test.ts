import { describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../../engine/testing';
import { fitSentimentClassifier } from './classifier';
import { fitL1LogisticProblemsCpu } from './cpuL1Problems';
import { fitL1Logistic, type L1Problem } from './l1Logistic';

const gpu = await testGpu();

/** standardised-looking features [n, h]; the label follows unit `unit` (with a little noise) */
function data(n: number, h: number, unit: number, seed: number) {
  const x = randomArray(n * h, seed);
  const noise = randomArray(n, seed + 100);
  const labels = Uint8Array.from({ length: n }, (_, i) =>
    x[i * h + unit] + 0.3 * noise[i] > 0 ? 1 : 0,
  );
  return { x, labels };
}

describe('fitL1LogisticProblemsCpu', () => {
  it('lays out every problem as a column and grows sparser with lambda', async () => {
    const { x, labels } = data(40, 6, 2, 5);
    const rows = new Uint8Array(40).fill(1);
    const problems: L1Problem[] = [0.001, 0.05, 10].map((lambda) => ({ lambda, rows }));
    const fit = await fitL1LogisticProblemsCpu(x, labels, problems, { maxIter: 800 });
    expect(fit.w.length).toBe(6 * 3);
    expect(fit.b.length).toBe(3);
    const col = (k: number) => Array.from({ length: 6 }, (_, j) => fit.w[j * 3 + k]);
    const nonZero = (k: number) => col(k).filter((v) => v !== 0).length;
    // the informative unit carries the largest positive weight
    expect(Math.max(...col(0).map(Math.abs))).toBe(col(0)[2]);
    expect(col(0)[2]).toBeGreaterThan(1);
    expect(nonZero(1)).toBeLessThanOrEqual(nonZero(0));
    expect(nonZero(2)).toBe(0);
  });

  it('refuses a rows mask of the wrong length and an aborted signal', async () => {
    const { x, labels } = data(10, 3, 0, 1);
    await expect(
      fitL1LogisticProblemsCpu(x, labels, [{ lambda: 0.1, rows: new Uint8Array(9).fill(1) }]),
    ).rejects.toThrow(/rows mask \(expected 10, got 9\)/);
    const rows = new Uint8Array(10).fill(1);
    await expect(
      fitL1LogisticProblemsCpu(x, labels, [{ lambda: 0.1, rows }], {
        signal: AbortSignal.abort(),
      }),
    ).rejects.toThrow();
  });

  it('fits the sentiment classifier without a GPU (cross-validated)', async () => {
    const h = 8;
    const { x, labels } = data(30, h, 5, 9);
    const c = await fitSentimentClassifier(null, x, labels, { maxIter: 600 });
    expect(c.accuracyKind).toBe('cross-validation');
    expect(c.sentimentUnit).toBe(5);
    expect(c.unitWeight).toBeGreaterThan(0);
    expect(c.accuracy).toBeGreaterThanOrEqual(0.8);
  });
});

describe.skipIf(!gpu)('fitL1LogisticProblemsCpu against the GPU trainer', () => {
  it('reaches the same weights on held-out folds', async () => {
    const { x, labels } = data(24, 5, 1, 3);
    const fold = Uint8Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const problems: L1Problem[] = [
      { lambda: 0.02, rows: new Uint8Array(24).fill(1) },
      { lambda: 0.02, rows: fold },
    ];
    const opts = { maxIter: 3000, tol: 1e-7 };
    const cpu = await fitL1LogisticProblemsCpu(x, labels, problems, opts);
    const ref = await fitL1Logistic(gpu!, x, labels, problems, opts);
    for (let i = 0; i < cpu.w.length; i++) expect(cpu.w[i]).toBeCloseTo(ref.w[i], 2);
    for (let k = 0; k < 2; k++) expect(cpu.b[k]).toBeCloseTo(ref.b[k], 2);
  });
});
