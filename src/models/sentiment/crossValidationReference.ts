// The tests' reference for cross-validation as the textbook does it: each
// fold's features standardised with its own training rows' statistics, one
// plain CPU fit per fold and lambda (no shared feature matrix, no penalty
// trick), or, with `leak`, with all rows' statistics (the optimistic way).
import { randomArray } from '../../engine/random';
import { foldOf, standardiser } from './classifier';
import { fitL1LogisticCpu, predictSparse, sparseFromDense } from './cpuL1Logistic';

/** Out-of-fold P(positive) of each row at `lambda`, features [N, H]. */
export function outOfFoldReference(
  x: Float32Array,
  y: Uint8Array,
  lambda: number,
  folds: number,
  opts: { leak?: boolean } = {},
): Float64Array {
  const n = y.length;
  const h = x.length / n;
  const ids = foldOf(y, folds);
  const out = new Float64Array(n);
  for (let f = 0; f < folds; f++) {
    const rows = ids.map((id) => (id === f ? 0 : 1));
    const { mean, std } = standardiser(x, n, h, opts.leak ? undefined : rows);
    const xs = sparseFromDense(
      x.map((v, i) => (v - mean[i % h]) / std[i % h]),
      n,
      h,
    );
    const train = [...rows.keys()].filter((i) => rows[i]);
    const fit = fitL1LogisticCpu(xs, y, train, lambda, { maxIter: 3000, tol: 1e-7 });
    const p = predictSparse(xs, fit.w, fit.b);
    for (let i = 0; i < n; i++) if (!rows[i]) out[i] = p[i];
  }
  return out;
}

/** Cross-validated accuracy at each lambda. */
export function crossValidatedAccuracy(
  x: Float32Array,
  y: Uint8Array,
  lambdas: readonly number[],
  folds: number,
  opts: { leak?: boolean } = {},
): number[] {
  return lambdas.map((lambda) => {
    const p = outOfFoldReference(x, y, lambda, folds, opts);
    return y.filter((v, i) => (p[i] > 0.5 ? 1 : 0) === v).length / y.length;
  });
}

/**
 * 12 rows of 3 heavy-tailed features (label from feature 0 plus noise) on which standardising
 * with all rows' statistics changes the cross-validated accuracy: 5 folds, best 10/12 with
 * each fold's own statistics, 12/12 with the leak (found by a seed search).
 */
export function leakSensitiveSet(): { x: Float32Array; y: Uint8Array; h: number } {
  const n = 12;
  const h = 3;
  const r = randomArray(n * h, 46);
  const x = r.map((v, i) => (i % h === 0 ? v * 3 : v) * (Math.abs(v) > 1.5 ? 4 : 1));
  const y = Uint8Array.from({ length: n }, (_, i) =>
    x[i * h] + 0.8 * r[(i * 7) % (n * h)] > 0 ? 1 : 0,
  );
  return { x, y, h };
}
