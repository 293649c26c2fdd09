import { describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { tensor } from '../tensor';
import { closeness, randomArray, testGpu } from '../testing';
import { logAbsDet, matrixInverse, runMatrixInverse } from './matrix-inverse';

const gpu = await testGpu();

/** float64 Gauss-Jordan: inverse and log|det| of a row-major c x c matrix. */
function invertReference(a: ArrayLike<number>, c: number): { inv: Float64Array; logDet: number } {
  const m = Array.from({ length: c }, (_, r) => [
    ...Array.from({ length: c }, (_, k) => a[r * c + k]),
    ...Array.from({ length: c }, (_, k) => (r === k ? 1 : 0)),
  ]);
  let logDet = 0;
  for (let col = 0; col < c; col++) {
    let p = col;
    for (let r = col + 1; r < c; r++) if (Math.abs(m[r][col]) > Math.abs(m[p][col])) p = r;
    [m[col], m[p]] = [m[p], m[col]];
    const pivot = m[col][col];
    logDet += Math.log(Math.abs(pivot));
    m[col] = m[col].map((v) => v / pivot);
    for (let r = 0; r < c; r++) {
      if (r === col) continue;
      const f = m[r][col];
      m[r] = m[r].map((v, k) => v - f * m[col][k]);
    }
  }
  const inv = new Float64Array(c * c);
  for (let r = 0; r < c; r++) for (let k = 0; k < c; k++) inv[r * c + k] = m[r][c + k];
  return { inv, logDet };
}

/** A well-conditioned matrix: identity plus small noise, with one row swap (pivoting). */
function wellConditioned(c: number, seed: number): Float32Array {
  const a = randomArray(c * c, seed).map((v) => v * 0.3);
  for (let i = 0; i < c; i++) a[i * c + i] += 1.5;
  if (c > 1) {
    for (let k = 0; k < c; k++) [a[k], a[c + k]] = [a[c + k], a[k]];
  }
  return a;
}

describe.skipIf(!gpu)('matrixInverse and logAbsDet', () => {
  for (const c of [1, 2, 7, 8, 12]) {
    it(`inverts and takes log|det| of a ${c}x${c} matrix like the float64 reference`, async () => {
      const a = wellConditioned(c, c);
      const ref = invertReference(a, c);
      const { inverse, logAbsDet: ld } = runMatrixInverse(tensor(gpu!, a, [c, c]));
      expect(closeness(await inverse.read(), ref.inv, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
      expect((await ld.read())[0]).toBeCloseTo(ref.logDet, 4);
    });
  }

  it('handles a batch of matrices', async () => {
    const c = 4;
    const data = new Float32Array([
      ...wellConditioned(c, 1),
      ...wellConditioned(c, 2),
      ...wellConditioned(c, 3),
    ]);
    const { inverse, logAbsDet: ld } = runMatrixInverse(tensor(gpu!, data, [3, c, c]));
    const inv = await inverse.read();
    const lds = await ld.read();
    for (let b = 0; b < 3; b++) {
      const ref = invertReference(data.subarray(b * c * c, (b + 1) * c * c), c);
      expect(closeness(inv.subarray(b * c * c, (b + 1) * c * c), ref.inv)).toBeLessThanOrEqual(1);
      expect(lds[b]).toBeCloseTo(ref.logDet, 4);
    }
  });

  it('gives log|det| the gradient W^-T, agreeing with finite differences', async () => {
    const c = 5;
    const a = wellConditioned(c, 9);
    const w = tensor(gpu!, a, [c, c], true);
    const out = logAbsDet(w);
    backward(out, tensor(gpu!, [2], [1]));
    const ref = invertReference(a, c);
    const expected = new Float64Array(c * c);
    for (let r = 0; r < c; r++)
      for (let k = 0; k < c; k++) expected[r * c + k] = 2 * ref.inv[k * c + r];
    const grad = await w.grad!.read();
    expect(closeness(grad, expected, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    const eps = 1e-3;
    for (const i of [0, 7, 24]) {
      const plus = a.slice();
      plus[i] += eps;
      const minus = a.slice();
      minus[i] -= eps;
      const fd = (invertReference(plus, c).logDet - invertReference(minus, c).logDet) / (2 * eps);
      expect(Math.abs(2 * fd - grad[i])).toBeLessThan(1e-3);
    }
  });

  it('inverse times matrix is the identity for an orthogonal-like WaveGlow init', async () => {
    const c = 8;
    const a = wellConditioned(c, 4);
    const inv = await matrixInverse(tensor(gpu!, a, [c, c])).read();
    for (let r = 0; r < c; r++) {
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let j = 0; j < c; j++) s += inv[r * c + j] * a[j * c + k];
        expect(Math.abs(s - (r === k ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
  });

  it('rejects a non-square matrix', () => {
    expect(() => matrixInverse(tensor(gpu!, randomArray(6), [2, 3]))).toThrow(/square \(got 2x3\)/);
  });
});
