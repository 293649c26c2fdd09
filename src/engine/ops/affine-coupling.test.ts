import { describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { tensor } from '../tensor';
import { closeness, randomArray, testGpu } from '../testing';
import { affineCoupling, affineCouplingInverse } from './affine-coupling';

const gpu = await testGpu();

describe.skipIf(!gpu)('affineCoupling', () => {
  for (const [n, h, t] of [
    [1, 1, 1],
    [2, 3, 19],
    [3, 4, 64],
  ]) {
    it(`matches the reference, inverts, and differentiates for N=${n} H=${h} T=${t}`, async () => {
      const xd = randomArray(n * h * t, 1);
      const wd = randomArray(n * 2 * h * t, 2);
      const gd = randomArray(n * h * t, 3);
      const x = tensor(gpu!, xd, [n, h, t], true);
      const wn = tensor(gpu!, wd, [n, 2 * h, t], true);
      const y = affineCoupling(x, wn);
      const expected = new Float64Array(xd.length);
      const dx = new Float64Array(xd.length);
      const dwn = new Float64Array(wd.length);
      for (let i = 0; i < xd.length; i++) {
        const bAt = Math.floor(i / (h * t)) * 2 * h * t + (i % (h * t));
        const s = Math.exp(wd[bAt + h * t]);
        expected[i] = s * xd[i] + wd[bAt];
        dx[i] = gd[i] * s;
        dwn[bAt] = gd[i];
        dwn[bAt + h * t] = gd[i] * s * xd[i];
      }
      expect(closeness(await y.read(), expected)).toBeLessThanOrEqual(1);
      const back = affineCouplingInverse(y, wn);
      expect(closeness(await back.read(), xd, 1e-5, 1e-4)).toBeLessThanOrEqual(1);

      backward(y, tensor(gpu!, gd, y.shape));
      expect(closeness(await x.grad!.read(), dx)).toBeLessThanOrEqual(1);
      expect(closeness(await wn.grad!.read(), dwn)).toBeLessThanOrEqual(1);
    });
  }

  it('agrees with finite differences in the log-scale', async () => {
    const [n, h, t] = [1, 2, 3];
    const xd = randomArray(n * h * t, 4);
    const wd = randomArray(n * 2 * h * t, 5);
    const gd = randomArray(n * h * t, 6);
    const wn = tensor(gpu!, wd, [n, 2 * h, t], true);
    backward(affineCoupling(tensor(gpu!, xd, [n, h, t]), wn), tensor(gpu!, gd, [n, h, t]));
    const grad = await wn.grad!.read();
    const loss = async (w: Float32Array) => {
      const y = await affineCoupling(tensor(gpu!, xd, [n, h, t]), tensor(gpu!, w, wn.shape)).read();
      return y.reduce((s, v, i) => s + v * gd[i], 0);
    };
    const eps = 1e-2;
    for (const i of [0, 5, 6, 11]) {
      const plus = wd.slice();
      plus[i] += eps;
      const minus = wd.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('names both shapes when the WN output does not match', () => {
    const x = tensor(gpu!, randomArray(6), [1, 2, 3]);
    const wn = tensor(gpu!, randomArray(6), [1, 2, 3]);
    expect(() => affineCoupling(x, wn)).toThrow(/expected \[1, 4, 3\], got \[1, 2, 3\]/);
  });
});
