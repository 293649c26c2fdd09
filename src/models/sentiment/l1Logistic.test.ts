// The GPU L1 logistic regression against an independent check (the KKT
// conditions of the L1 problem), against the float64 CPU FISTA, and on
// data where the answer is known: separable, and with irrelevant features.
import { describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../../engine/testing';
import { fitL1LogisticCpu, l1Objective, sparseFromDense } from './cpuL1Logistic';
import { accuracyOf } from './grid';
import { fitL1Logistic, lipschitzBound } from './l1Logistic';

const gpu = await testGpu();

/** n rows of h standard-ish features; y from the sign of a planted score. */
function planted(n: number, h: number, wTrue: number[], seed: number, noise = 0) {
  const x = randomArray(n * h, seed).map((v) => v * 2);
  const e = randomArray(n, seed + 1);
  const y = Uint8Array.from({ length: n }, (_, i) => {
    let s = noise * e[i];
    wTrue.forEach((w, j) => (s += w * x[i * h + j]));
    return s > 0 ? 1 : 0;
  });
  return { x, y };
}

/** max violation of the L1 logistic KKT conditions at (w, b): 0 at the optimum. */
function kktViolation(
  x: Float32Array,
  y: Uint8Array,
  h: number,
  w: ArrayLike<number>,
  b: number,
  lambda: number,
) {
  const n = y.length;
  const g = new Float64Array(h + 1);
  for (let i = 0; i < n; i++) {
    let z = b;
    for (let j = 0; j < h; j++) z += x[i * h + j] * w[j];
    const r = (1 / (1 + Math.exp(-z)) - y[i]) / n;
    for (let j = 0; j < h; j++) g[j] += x[i * h + j] * r;
    g[h] += r;
  }
  let worst = Math.abs(g[h]);
  for (let j = 0; j < h; j++) {
    const v =
      w[j] === 0 ? Math.max(0, Math.abs(g[j]) - lambda) : Math.abs(g[j] + lambda * Math.sign(w[j]));
    worst = Math.max(worst, v);
  }
  return worst;
}

describe('lipschitzBound', () => {
  it('bounds 0.25 * the top eigenvalue of [X 1]^T [X 1] / n', () => {
    // X = [[1, 0], [0, 2]] with a ones column: eigenvalues of A^T A / 2 computed by hand
    const x = Float32Array.of(1, 0, 0, 2);
    const l = lipschitzBound(x, 2, 2, Uint8Array.of(1, 1));
    // A = [[1,0,1],[0,2,1]]: numpy.linalg.eigvalsh(A.T @ A / 2)[-1] = 2.6513878
    expect(l / 1.05 / 0.25).toBeCloseTo(2.6513878, 4);
  });
});

describe.skipIf(!gpu)('fitL1Logistic on the GPU', () => {
  it('separates separable data (100% training accuracy) at a small lambda', async () => {
    const h = 6;
    const { x, y } = planted(80, h, [1.5, -1, 0.5, 0, 0, 0], 3);
    const fit = await fitL1Logistic(
      gpu!,
      x,
      y,
      [{ lambda: 1e-3, rows: new Uint8Array(80).fill(1) }],
      {
        maxIter: 2000,
      },
    );
    const probs = Array.from({ length: 80 }, (_, i) => {
      let z = fit.b[0];
      for (let j = 0; j < h; j++) z += x[i * h + j] * fit.w[j];
      return 1 / (1 + Math.exp(-z));
    });
    expect(accuracyOf(probs, y)).toBe(1);
  });

  it('zeroes the irrelevant features and meets the KKT conditions, several problems at once', async () => {
    const n = 120;
    const h = 10;
    // only features 0 and 1 carry the label; 2..9 are noise
    const { x, y } = planted(n, h, [2, -1.5], 11, 0.3);
    const all = new Uint8Array(n).fill(1);
    const half = Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0));
    const problems = [
      { lambda: 0.05, rows: all },
      { lambda: 0.01, rows: all },
      { lambda: 0.05, rows: half },
    ];
    const fit = await fitL1Logistic(gpu!, x, y, problems, { maxIter: 3000, tol: 1e-6 });
    expect(fit.converged).toBe(true);
    const col = (c: number) => Array.from({ length: h }, (_, j) => fit.w[j * 3 + c]);
    const w0 = col(0);
    expect(w0[0]).toBeGreaterThan(0.1);
    expect(w0[1]).toBeLessThan(-0.1);
    expect(w0.slice(2).every((v) => v === 0)).toBe(true);
    // a smaller lambda keeps at least as many weights
    const nz = (w: number[]) => w.filter((v) => v !== 0).length;
    expect(nz(col(1))).toBeGreaterThanOrEqual(nz(w0));
    problems.forEach((p, c) => {
      const rows = Array.from({ length: n }, (_, i) => i).filter((i) => p.rows[i]);
      const xs = new Float32Array(rows.length * h);
      rows.forEach((i, r) => xs.set(x.subarray(i * h, (i + 1) * h), r * h));
      const ys = Uint8Array.from(rows, (i) => y[i]);
      expect(kktViolation(xs, ys, h, col(c), fit.b[c], p.lambda), `problem ${c}`).toBeLessThan(
        2e-3,
      );
      // the same objective as the float64 CPU solver reaches
      const sparse = sparseFromDense(x, n, h);
      const cpu = fitL1LogisticCpu(sparse, y, rows, p.lambda, { maxIter: 5000, tol: 1e-9 });
      const gpuObj = l1Objective(sparse, y, rows, col(c), fit.b[c], p.lambda);
      const cpuObj = l1Objective(sparse, y, rows, cpu.w, cpu.b, p.lambda);
      expect(Math.abs(gpuObj - cpuObj), `problem ${c}`).toBeLessThan(1e-4);
    });
  });

  it('scales lambda per feature as a problem asks, as the CPU solver does', async () => {
    const n = 90;
    const h = 5;
    const { x, y } = planted(n, h, [2, -1.5, 1], 13, 0.3);
    const rows = Uint8Array.from({ length: n }, (_, i) => (i % 3 ? 1 : 0));
    // feature 0 priced out, feature 1 free, the rest at 0.5 lambda
    const penalty = Float32Array.of(100, 0, 0.5, 0.5, 0.5);
    const problems = [
      { lambda: 0.04, rows },
      { lambda: 0.04, rows, penalty },
    ];
    const fit = await fitL1Logistic(gpu!, x, y, problems, { maxIter: 4000, tol: 1e-7 });
    const col = (c: number) => Array.from({ length: h }, (_, j) => fit.w[j * 2 + c]);
    expect(col(0)[0]).toBeGreaterThan(0.1);
    expect(col(1)[0]).toBe(0);
    const used = [...rows.keys()].filter((i) => rows[i]);
    const cpu = fitL1LogisticCpu(sparseFromDense(x, n, h), y, used, 0.04, {
      maxIter: 8000,
      tol: 1e-10,
      penalty,
    });
    expect(cpu.w[0]).toBe(0);
    col(1).forEach((w, j) => expect(Math.abs(w - cpu.w[j]), `w${j}`).toBeLessThan(2e-3));
    expect(Math.abs(fit.b[1] - cpu.b)).toBeLessThan(2e-3);
  });

  it('stops when its signal aborts and frees its buffers', async () => {
    const { x, y } = planted(20, 4, [1], 5);
    const before = gpu!.stats().liveBuffers;
    const controller = new AbortController();
    const run = fitL1Logistic(gpu!, x, y, [{ lambda: 0.01, rows: new Uint8Array(20).fill(1) }], {
      maxIter: 100000,
      tol: -1,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(run).rejects.toThrow('stop');
    gpu!.flush();
    expect(gpu!.stats().liveBuffers).toBe(before);
  });
});
