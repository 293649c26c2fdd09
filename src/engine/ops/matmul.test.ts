import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { matmul } from './matmul';

const gpu = await testGpu();

/** C[b] = opA(A[b]) opB(B[b]) in float64; aBatch/bBatch false = broadcast. */
function matmulReference(
  a: Float32Array,
  b: Float32Array,
  batch: number,
  m: number,
  n: number,
  k: number,
  o: { transA?: boolean; transB?: boolean; aBatched?: boolean; bBatched?: boolean } = {},
): Float64Array {
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = o.aBatched === false ? 0 : t * m * k;
    const bo = o.bBatched === false ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = o.transA ? a[ao + p * m + i] : a[ao + i * k + p];
          const bv = o.transB ? b[bo + j * k + p] : b[bo + p * n + j];
          s += av * bv;
        }
        out[t * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

const cases = [
  { batch: 1, m: 1, n: 1, k: 1 },
  { batch: 1, m: 7, n: 5, k: 3 },
  { batch: 3, m: 33, n: 17, k: 65 },
  { batch: 2, m: 64, n: 64, k: 64 },
  { batch: 1, m: 130, n: 1, k: 9 },
];

describe.skipIf(!gpu)('matmul', () => {
  afterAll(() => gpu?.flush());

  for (const c of cases) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`matches the CPU reference for ${JSON.stringify(c)} transA=${transA} transB=${transB}`, async () => {
          const { batch, m, n, k } = c;
          const ad = randomArray(batch * m * k, 1 + m);
          const bd = randomArray(batch * k * n, 2 + n);
          const a = tensor(gpu!, ad, transA ? [batch, k, m] : [batch, m, k]);
          const b = tensor(gpu!, bd, transB ? [batch, n, k] : [batch, k, n]);
          const out = matmul(a, b, { transA, transB });
          expect(out.shape).toEqual([batch, m, n]);
          const expected = matmulReference(ad, bd, batch, m, n, k, { transA, transB });
          expect(closeness(await out.read(), expected, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
          for (const t of [a, b, out]) t.dispose();
        });
      }
    }
  }

  it('broadcasts a rank-2 operand over the batch and sums its gradient', async () => {
    const [batch, m, n, k] = [3, 5, 6, 7];
    const ad = randomArray(batch * m * k, 3);
    const bd = randomArray(k * n, 4);
    const gd = randomArray(batch * m * n, 5);
    const a = tensor(gpu!, ad, [batch, m, k], true);
    const b = tensor(gpu!, bd, [k, n], true);
    const out = matmul(a, b);
    const expected = matmulReference(ad, bd, batch, m, n, k, { bBatched: false });
    expect(closeness(await out.read(), expected)).toBeLessThanOrEqual(1);

    backward(out, tensor(gpu!, gd, out.shape));
    // dB = sum_b A[b]^T G[b]
    const gb = new Float64Array(k * n);
    for (let t = 0; t < batch; t++) {
      const part = matmulReference(
        ad.subarray(t * m * k, (t + 1) * m * k),
        gd.subarray(t * m * n, (t + 1) * m * n),
        1,
        k,
        n,
        m,
        { transA: true },
      );
      part.forEach((v, i) => (gb[i] += v));
    }
    const ga = matmulReference(gd, bd, batch, m, k, n, { transB: true, bBatched: false });
    expect(b.grad!.shape).toEqual([k, n]);
    expect(closeness(await b.grad!.read(), gb)).toBeLessThanOrEqual(1);
    expect(closeness(await a.grad!.read(), ga)).toBeLessThanOrEqual(1);
  });

  it('gradients of transposed operands agree with finite differences', async () => {
    const [m, n, k] = [4, 3, 5];
    const ad = randomArray(k * m, 6);
    const bd = randomArray(n * k, 7);
    const gd = randomArray(m * n, 8);
    const a = tensor(gpu!, ad, [k, m], true);
    const b = tensor(gpu!, bd, [n, k], true);
    backward(matmul(a, b, { transA: true, transB: true }), tensor(gpu!, gd, [m, n]));
    const loss = async (ad2: Float32Array, bd2: Float32Array) => {
      const out = matmul(tensor(gpu!, ad2, [k, m]), tensor(gpu!, bd2, [n, k]), {
        transA: true,
        transB: true,
      });
      const v = await out.read();
      return v.reduce((s, x, i) => s + x * gd[i], 0);
    };
    const eps = 1e-2;
    const gaGpu = await a.grad!.read();
    const gbGpu = await b.grad!.read();
    for (const i of [0, 7, k * m - 1]) {
      const plus = ad.slice();
      plus[i] += eps;
      const minus = ad.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus, bd)) - (await loss(minus, bd))) / (2 * eps);
      expect(Math.abs(fd - gaGpu[i])).toBeLessThan(2e-3);
    }
    for (const i of [0, 4, n * k - 1]) {
      const plus = bd.slice();
      plus[i] += eps;
      const minus = bd.slice();
      minus[i] -= eps;
      const fd = ((await loss(ad, plus)) - (await loss(ad, minus))) / (2 * eps);
      expect(Math.abs(fd - gbGpu[i])).toBeLessThan(2e-3);
    }
  });

  it('rejects mismatched inner sizes with both values in the message', () => {
    const a = tensor(gpu!, randomArray(6), [2, 3]);
    const b = tensor(gpu!, randomArray(8), [4, 2]);
    expect(() => matmul(a, b)).toThrow(/inner sizes differ \(expected 3, got 4/);
  });
});
