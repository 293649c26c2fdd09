// L1-penalised logistic regression on the GPU, several problems at once.
//
// Each problem k (a lambda, a subset of rows) minimises
//   mean_{i in rows_k} BCE(x_i . w_k + b_k, y_i) + lambda_k * |w_k|_1
// by FISTA (accelerated proximal gradient; Beck & Teboulle 2009): a full-batch
// gradient step of size 1/L_k on the smooth part, then soft-thresholding of
// w_k by lambda_k / L_k (the bias is not penalised). L_k bounds the
// gradient's Lipschitz constant: 0.25 * largest eigenvalue of [X 1]^T [X 1] / n_k,
// by power iteration on the CPU; problem k's feature j may carry its own
// multiple of lambda_k (L1Problem.penalty). The gradient is the closed form
// X^T (sigmoid(Xw + b) - y) / n_k: one matmul each way, no autograd graph.
// All problems share X, so their weights are the K columns of W [H, K].
import { assert } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import { runBinary } from '../../engine/ops/binary';
import { runMatmul } from '../../engine/ops/matmul';
import { runReduce } from '../../engine/ops/reduce';
import { runUnary } from '../../engine/ops/unary';
import { scope, tensor, type Tensor } from '../../engine/tensor';

export interface L1Problem {
  /** L1 strength (>= 0) */
  lambda: number;
  /** which rows train this problem (1) or are held out (0); length N */
  rows: Uint8Array;
  /**
   * per-feature multiplier of lambda, length H (default all 1): a fold standardised with its
   * own statistics is this problem on shared features with penalty s_fold / s_all
   * (classifier.ts, foldPenalties)
   */
  penalty?: Float32Array;
}

export interface L1FitOptions {
  /** most FISTA iterations (default 1000) */
  maxIter?: number;
  /** stop when max |w_t - w_{t-check}| < tol * max(1, max |w|) (default 1e-4) */
  tol?: number;
  /** iterations between convergence checks, which read W back (default 25) */
  checkEvery?: number;
  signal?: AbortSignal;
  /** fraction of maxIter done */
  onProgress?: (fraction: number) => void;
}

export interface L1Fit {
  /** [H, K] row-major: column k holds problem k's weights */
  w: Float32Array;
  /** [K] */
  b: Float32Array;
  iterations: number;
  converged: boolean;
}

/** 0.25 * lambda_max([X 1]^T diag(rows) [X 1] / n): a Lipschitz bound of the mean-BCE gradient. */
export function lipschitzBound(x: Float32Array, n: number, h: number, rows: Uint8Array): number {
  const count = rows.reduce((a, r) => a + (r ? 1 : 0), 0);
  assert(count > 0, 'l1Logistic: a problem has no training rows');
  let v = new Float64Array(h + 1).fill(1 / Math.sqrt(h + 1));
  let eig = 0;
  const xv = new Float64Array(n);
  for (let it = 0; it < 60; it++) {
    for (let i = 0; i < n; i++) {
      if (!rows[i]) continue;
      let s = v[h];
      const o = i * h;
      for (let j = 0; j < h; j++) s += x[o + j] * v[j];
      xv[i] = s;
    }
    const next = new Float64Array(h + 1);
    for (let i = 0; i < n; i++) {
      if (!rows[i]) continue;
      const s = xv[i] / count;
      const o = i * h;
      for (let j = 0; j < h; j++) next[j] += x[o + j] * s;
      next[h] += s;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) break;
    const prev = eig;
    eig = norm;
    v = next.map((a) => a / norm);
    if (Math.abs(eig - prev) <= 1e-6 * eig) break;
  }
  // power iteration approaches from below: a margin keeps the step safe
  return 0.25 * Math.max(eig, 1e-6) * 1.05;
}

/** soft(v, t) = sign(v) * max(|v| - t, 0) = relu(v - t) - relu(-v - t) */
function softThreshold(v: Tensor, t: Tensor): Tensor {
  const up = runUnary('relu', runBinary('sub', v, t));
  const down = runUnary('relu', runBinary('sub', runUnary('neg', v), t));
  return runBinary('sub', up, down);
}

/**
 * Fits K problems on standardised features x [N, H] with labels y (0/1).
 * @returns every problem's weights and bias, read back to the CPU
 * @throws when shapes disagree, a problem has no rows, or the signal aborts
 */
export async function fitL1Logistic(
  gpu: Gpu,
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
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-4;
  const checkEvery = opts.checkEvery ?? 25;

  const weights = new Float32Array(n * k);
  const step = new Float32Array(k);
  // [H, K]: soft-threshold of feature j in problem c
  const threshold = new Float32Array(h * k);
  problems.forEach((p, c) => {
    assert(
      p.rows.length === n,
      () => `l1Logistic: rows mask (expected ${n}, got ${p.rows.length})`,
    );
    assert(p.lambda >= 0, () => `l1Logistic: lambda must be >= 0 (got ${p.lambda})`);
    const count = p.rows.reduce((a, r) => a + (r ? 1 : 0), 0);
    for (let i = 0; i < n; i++) if (p.rows[i]) weights[i * k + c] = 1 / count;
    assert(
      !p.penalty || p.penalty.length === h,
      () => `l1Logistic: penalty (expected ${h} values, got ${p.penalty?.length})`,
    );
    step[c] = 1 / lipschitzBound(x, n, h, p.rows);
    for (let j = 0; j < h; j++) threshold[j * k + c] = p.lambda * step[c] * (p.penalty?.[j] ?? 1);
  });

  const keep = <T extends Tensor>(t: T) => t.keep();
  const xt = keep(tensor(gpu, x, [n, h]));
  const yt = keep(tensor(gpu, Float32Array.from(y), [n, 1]));
  const mw = keep(tensor(gpu, weights, [n, k]));
  const stepT = keep(tensor(gpu, step, [1, k]));
  const thrT = keep(tensor(gpu, threshold, [h, k]));
  let xw = keep(tensor(gpu, new Float32Array(h * k), [h, k]));
  let xb = keep(tensor(gpu, new Float32Array(k), [1, k]));
  let yw = keep(tensor(gpu, new Float32Array(h * k), [h, k]));
  let yb = keep(tensor(gpu, new Float32Array(k), [1, k]));
  let t = 1;
  let last: Float32Array = new Float32Array(h * k);
  let iterations = 0;
  let converged = false;
  try {
    while (iterations < maxIter) {
      opts.signal?.throwIfAborted();
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const beta = (t - 1) / tNext;
      const next = scope(gpu, () => {
        const z = runBinary('add', runMatmul(xt, yw), yb);
        const g = runBinary('mul', runBinary('sub', runUnary('sigmoid', z), yt), mw);
        const gw = runMatmul(xt, g, { transA: true });
        const gb = runReduce('sum', g, 0, true);
        const nw = softThreshold(runBinary('sub', yw, runBinary('mul', gw, stepT)), thrT);
        const nb = runBinary('sub', yb, runBinary('mul', gb, stepT));
        const mw2 = runBinary('add', nw, runUnary('scale', runBinary('sub', nw, xw), beta));
        const mb2 = runBinary('add', nb, runUnary('scale', runBinary('sub', nb, xb), beta));
        return { nw, nb, mw2, mb2 };
      });
      for (const old of [xw, xb, yw, yb]) old.dispose();
      xw = next.nw;
      xb = next.nb;
      yw = next.mw2;
      yb = next.mb2;
      t = tNext;
      iterations++;
      if (iterations % checkEvery === 0 || iterations === maxIter) {
        const now = await xw.read();
        let change = 0;
        let size = 1;
        for (let i = 0; i < now.length; i++) {
          change = Math.max(change, Math.abs(now[i] - last[i]));
          size = Math.max(size, Math.abs(now[i]));
        }
        last = now;
        opts.onProgress?.(iterations / maxIter);
        if (change < tol * size || change === 0) {
          converged = true;
          break;
        }
      }
    }
    return { w: await xw.read(), b: await xb.read(), iterations, converged };
  } finally {
    for (const tt of [xt, yt, mw, stepT, thrT, xw, xb, yw, yb]) tt.dispose();
  }
}
