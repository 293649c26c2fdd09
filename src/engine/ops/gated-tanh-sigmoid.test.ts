import { describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { tensor } from '../tensor';
import { closeness, randomArray, testGpu } from '../testing';
import { gatedTanhSigmoid } from './gated-tanh-sigmoid';

const gpu = await testGpu();

function reference(a: Float32Array, c: Float32Array, n: number, ch: number, t: number) {
  const out = new Float64Array(n * ch * t);
  const dTanh = new Float64Array(n * 2 * ch * t); // d out / d x for the tanh half (for g = 1)
  const dSig = new Float64Array(n * 2 * ch * t);
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < ch; k++) {
      for (let j = 0; j < t; j++) {
        const ta = b * 2 * ch * t + k * t + j;
        const sa = ta + ch * t;
        const th = Math.tanh(a[ta] + c[ta]);
        const sg = 1 / (1 + Math.exp(-(a[sa] + c[sa])));
        out[b * ch * t + k * t + j] = th * sg;
        dTanh[ta] = sg * (1 - th * th);
        dSig[sa] = th * sg * (1 - sg);
      }
    }
  }
  return { out, dTanh, dSig };
}

describe.skipIf(!gpu)('gatedTanhSigmoid', () => {
  for (const [n, ch, t] of [
    [1, 1, 1],
    [2, 3, 17],
    [3, 8, 65],
  ]) {
    it(`matches the CPU reference forward and backward for N=${n} C=${ch} T=${t}`, async () => {
      const ad = randomArray(n * 2 * ch * t, 3).map((v) => v * 3);
      const cd = randomArray(n * 2 * ch * t, 4);
      const gd = randomArray(n * ch * t, 5);
      const a = tensor(gpu!, ad, [n, 2 * ch, t], true);
      const c = tensor(gpu!, cd, [n, 2 * ch, t], true);
      const out = gatedTanhSigmoid(a, c);
      const ref = reference(ad, cd, n, ch, t);
      expect(out.shape).toEqual([n, ch, t]);
      expect(closeness(await out.read(), ref.out)).toBeLessThanOrEqual(1);

      backward(out, tensor(gpu!, gd, out.shape));
      const expected = new Float64Array(ad.length);
      for (let b = 0; b < n; b++) {
        for (let k = 0; k < ch; k++) {
          for (let j = 0; j < t; j++) {
            const g = gd[b * ch * t + k * t + j];
            const ta = b * 2 * ch * t + k * t + j;
            expected[ta] = g * ref.dTanh[ta];
            expected[ta + ch * t] = g * ref.dSig[ta + ch * t];
          }
        }
      }
      expect(closeness(await a.grad!.read(), expected)).toBeLessThanOrEqual(1);
      expect(closeness(await c.grad!.read(), expected)).toBeLessThanOrEqual(1);
    });
  }

  it('stays finite for pre-activations far in the tails (|x| up to 300)', async () => {
    // NOTE: SwiftShader expands tanh through exp(2v) and exp(-x) overflows: inf / inf
    const [n, ch, t] = [1, 4, 9];
    const ad = randomArray(n * 2 * ch * t, 7).map((v) => v * 300);
    const cd = new Float32Array(ad.length);
    const a = tensor(gpu!, ad, [n, 2 * ch, t], true);
    const out = gatedTanhSigmoid(a, tensor(gpu!, cd, [n, 2 * ch, t]));
    const got = await out.read();
    expect(got.every(Number.isFinite)).toBe(true);
    expect(closeness(got, reference(ad, cd, n, ch, t).out)).toBeLessThanOrEqual(1);
    backward(out, tensor(gpu!, new Float32Array(out.size).fill(1), out.shape));
    expect((await a.grad!.read()).every(Number.isFinite)).toBe(true);
  });

  it('agrees with finite differences', async () => {
    const [n, ch, t] = [1, 2, 5];
    const ad = randomArray(n * 2 * ch * t, 7);
    const cd = randomArray(n * 2 * ch * t, 8);
    const gd = randomArray(n * ch * t, 9);
    const a = tensor(gpu!, ad, [n, 2 * ch, t], true);
    backward(gatedTanhSigmoid(a, tensor(gpu!, cd, a.shape)), tensor(gpu!, gd, [n, ch, t]));
    const grad = await a.grad!.read();
    const loss = async (x: Float32Array) => {
      const y = await gatedTanhSigmoid(tensor(gpu!, x, a.shape), tensor(gpu!, cd, a.shape)).read();
      return y.reduce((s, v, i) => s + v * gd[i], 0);
    };
    const eps = 1e-2;
    for (const i of [0, 6, 13, 19]) {
      const plus = ad.slice();
      plus[i] += eps;
      const minus = ad.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('rejects an odd channel count', () => {
    const a = tensor(gpu!, randomArray(6), [1, 3, 2]);
    expect(() => gatedTanhSigmoid(a, a)).toThrow(/channels must be even \(got 3\)/);
  });
});
