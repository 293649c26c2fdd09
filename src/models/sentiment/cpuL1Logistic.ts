// The same L1 logistic regression as l1Logistic.ts (FISTA, step 1/L,
// soft-thresholding, unpenalised bias) on the CPU in float64 over sparse
// rows: the bag-of-words baseline (2^16 hashed features would not fit the
// GPU as a dense matrix) and the tests' reference for the GPU trainer.

/** Rows in compressed sparse row form. */
export interface SparseRows {
  /** n + 1 offsets into cols/values */
  offsets: Uint32Array;
  cols: Uint32Array;
  values: Float32Array;
  /** number of columns */
  width: number;
}

export function sparseFromDense(x: Float32Array, n: number, h: number): SparseRows {
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = i * h;
  const cols = Uint32Array.from({ length: n * h }, (_, i) => i % h);
  return { offsets, cols, values: x, width: h };
}

function dot(x: SparseRows, i: number, w: Float64Array): number {
  let s = 0;
  for (let p = x.offsets[i]; p < x.offsets[i + 1]; p++) s += x.values[p] * w[x.cols[p]];
  return s;
}

/** 0.25 * lambda_max([X 1]^T [X 1] / n) over `rows`, by power iteration. */
export function sparseLipschitz(x: SparseRows, rows: readonly number[]): number {
  const h = x.width;
  let v = new Float64Array(h + 1).fill(1 / Math.sqrt(h + 1));
  let eig = 0;
  for (let it = 0; it < 60; it++) {
    const next = new Float64Array(h + 1);
    for (const i of rows) {
      const s = (dot(x, i, v) + v[h]) / rows.length;
      for (let p = x.offsets[i]; p < x.offsets[i + 1]; p++) next[x.cols[p]] += x.values[p] * s;
      next[h] += s;
    }
    let norm = 0;
    for (const a of next) norm += a * a;
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    const prev = eig;
    eig = norm;
    v = next.map((a) => a / norm);
    if (Math.abs(eig - prev) <= 1e-6 * eig) break;
  }
  return 0.25 * Math.max(eig, 1e-6) * 1.05;
}

export interface CpuFit {
  w: Float64Array;
  b: number;
  iterations: number;
  converged: boolean;
}

/** FISTA on mean BCE over `rows` + lambda * sum_j penalty_j |w_j| (penalty default 1). */
export function fitL1LogisticCpu(
  x: SparseRows,
  y: ArrayLike<number>,
  rows: readonly number[],
  lambda: number,
  opts: { maxIter?: number; tol?: number; lipschitz?: number; penalty?: ArrayLike<number> } = {},
): CpuFit {
  const h = x.width;
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-6;
  const step = 1 / (opts.lipschitz ?? sparseLipschitz(x, rows));
  let w = new Float64Array(h);
  let b = 0;
  let yw = new Float64Array(h);
  let yb = 0;
  let t = 1;
  let iterations = 0;
  let converged = false;
  const gw = new Float64Array(h);
  while (iterations < maxIter) {
    gw.fill(0);
    let gb = 0;
    for (const i of rows) {
      const z = dot(x, i, yw) + yb;
      const r = (1 / (1 + Math.exp(-z)) - y[i]) / rows.length;
      for (let p = x.offsets[i]; p < x.offsets[i + 1]; p++) gw[x.cols[p]] += x.values[p] * r;
      gb += r;
    }
    const nw = new Float64Array(h);
    const thr = lambda * step;
    let change = 0;
    let size = 1;
    for (let j = 0; j < h; j++) {
      const v = yw[j] - step * gw[j];
      const t = thr * (opts.penalty?.[j] ?? 1);
      nw[j] = Math.sign(v) * Math.max(Math.abs(v) - t, 0);
      change = Math.max(change, Math.abs(nw[j] - w[j]));
      size = Math.max(size, Math.abs(nw[j]));
    }
    const nb = yb - step * gb;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    yw = nw.map((v, j) => v + beta * (v - w[j]));
    yb = nb + beta * (nb - b);
    w = nw;
    b = nb;
    t = tNext;
    iterations++;
    if (change <= tol * size) {
      converged = true;
      break;
    }
  }
  return { w, b, iterations, converged };
}

/** The L1-penalised objective at (w, b) over `rows`, for tests and reports. */
export function l1Objective(
  x: SparseRows,
  y: ArrayLike<number>,
  rows: readonly number[],
  w: ArrayLike<number>,
  b: number,
  lambda: number,
): number {
  const wf = Float64Array.from(w);
  let loss = 0;
  for (const i of rows) {
    const z = dot(x, i, wf) + b;
    // log(1 + e^z) - y z, stable for large |z|
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i] * z;
  }
  let l1 = 0;
  for (let j = 0; j < wf.length; j++) l1 += Math.abs(wf[j]);
  return loss / rows.length + lambda * l1;
}

/** sigmoid(x_i . w + b) for each row i. */
export function predictSparse(x: SparseRows, w: ArrayLike<number>, b: number): Float64Array {
  const wf = Float64Array.from(w);
  const n = x.offsets.length - 1;
  return Float64Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-(dot(x, i, wf) + b))));
}
