// The K problems of fitL1Logistic (l1Logistic.ts: one per lambda and held-out
// fold) solved on the CPU with fitL1LogisticCpu, in the same output layout:
// the classifier's fit where the page has no WebGPU (features from wasm).
import { assert } from '../../engine/assert';
import { fitL1LogisticCpu, sparseFromDense, sparseLipschitz } from './cpuL1Logistic';
import type { L1Fit, L1FitOptions, L1Problem } from './l1Logistic';

/**
 * Fits K problems on standardised features x [N, H] with labels y (0/1), one after another,
 * yielding to the event loop between problems.
 * @returns w [H, K] (column k = problem k) and b [K], as fitL1Logistic
 * @throws when shapes disagree, a problem has no rows, or the signal aborts
 */
export async function fitL1LogisticProblemsCpu(
  x: Float32Array,
  y: Uint8Array,
  problems: readonly L1Problem[],
  opts: L1FitOptions = {},
): Promise<L1Fit> {
  const n = y.length;
  const k = problems.length;
  assert(n > 0 && k > 0, () => `l1Logistic: need rows and problems (got ${n} rows, ${k} problems)`);
  assert(x.length % n === 0, () => `l1Logistic: x size ${x.length} is not a multiple of ${n} rows`);
  const h = x.length / n;
  const sparse = sparseFromDense(x, n, h);
  const w = new Float32Array(h * k);
  const b = new Float32Array(k);
  let iterations = 0;
  let converged = true;
  for (let c = 0; c < k; c++) {
    opts.signal?.throwIfAborted();
    const p = problems[c];
    assert(
      p.rows.length === n,
      () => `l1Logistic: rows mask (expected ${n}, got ${p.rows.length})`,
    );
    assert(p.lambda >= 0, () => `l1Logistic: lambda must be >= 0 (got ${p.lambda})`);
    const rows = [...p.rows.keys()].filter((i) => p.rows[i]);
    assert(rows.length > 0, `l1Logistic: problem ${c} has no rows`);
    const fit = fitL1LogisticCpu(sparse, y, rows, p.lambda, {
      maxIter: opts.maxIter ?? 1000,
      // NOTE: the GPU trainer's stopping rule (change < tol * max(1, |w|), default 1e-4)
      tol: opts.tol ?? 1e-4,
      lipschitz: sparseLipschitz(sparse, rows),
      penalty: p.penalty,
    });
    for (let j = 0; j < h; j++) w[j * k + c] = fit.w[j];
    b[c] = fit.b;
    iterations = Math.max(iterations, fit.iterations);
    converged &&= fit.converged;
    opts.onProgress?.((c + 1) / k);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { w, b, iterations, converged };
}
