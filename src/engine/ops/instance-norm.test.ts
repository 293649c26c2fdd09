import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor, type Tensor } from '../tensor';
import { instanceNorm } from './instance-norm';

const gpu = await testGpu();

interface Affine {
  weight: Float32Array | null;
  bias: Float32Array | null;
}

/** F.instance_norm of x [N, C, S] in float64 (biased variance). */
function instanceNormReference(
  x: Float32Array,
  n: number,
  c: number,
  s: number,
  { weight, bias }: Affine,
  eps = 1e-5,
): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < n * c; r++) {
    const row = Array.from(x.subarray(r * s, (r + 1) * s));
    const mean = row.reduce((a, b) => a + b, 0) / s;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / s;
    const rstd = 1 / Math.sqrt(variance + eps);
    const ch = r % c;
    row.forEach((v, k) => {
      y[r * s + k] = (v - mean) * rstd * (weight ? weight[ch] : 1) + (bias ? bias[ch] : 0);
    });
  }
  return y;
}

/** Vector-Jacobian product of instance norm for output gradient g, in float64. */
function instanceNormBackwardReference(
  x: Float32Array,
  g: Float32Array,
  n: number,
  c: number,
  s: number,
  { weight }: Affine,
  eps = 1e-5,
): { dx: Float64Array; dweight: Float64Array; dbias: Float64Array } {
  const dx = new Float64Array(x.length);
  const dweight = new Float64Array(c);
  const dbias = new Float64Array(c);
  for (let r = 0; r < n * c; r++) {
    const ch = r % c;
    const w = weight ? weight[ch] : 1;
    const row = Array.from(x.subarray(r * s, (r + 1) * s));
    const mean = row.reduce((a, b) => a + b, 0) / s;
    const rstd = 1 / Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / s + eps);
    const xhat = row.map((v) => (v - mean) * rstd);
    // d/dx of xhat: rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
    const dxhat = xhat.map((_, k) => g[r * s + k] * w);
    const m1 = dxhat.reduce((a, b) => a + b, 0) / s;
    const m2 = dxhat.reduce((a, b, k) => a + b * xhat[k], 0) / s;
    xhat.forEach((xh, k) => {
      dx[r * s + k] = rstd * (dxhat[k] - m1 - xh * m2);
      dweight[ch] += g[r * s + k] * xh;
      dbias[ch] += g[r * s + k];
    });
  }
  return { dx, dweight, dbias };
}

const cases = [
  { shape: [2, 3, 5, 7], weight: true, bias: true },
  { shape: [2, 3, 11], weight: false, bias: false },
  { shape: [2, 4, 1], weight: true, bias: true },
  { shape: [1, 2, 2, 3, 2], weight: true, bias: false },
  { shape: [2, 2, 67], weight: false, bias: true },
];

describe.skipIf(!gpu)('instanceNorm', () => {
  afterAll(() => gpu?.flush());

  for (const cs of cases) {
    it(`matches the CPU reference with gradients for ${JSON.stringify(cs)}`, async () => {
      const [n, c] = cs.shape;
      const s = sizeOf(cs.shape.slice(2));
      // an offset and scale make the mean and variance matter
      const xd = randomArray(sizeOf(cs.shape), 121 + s).map((v, i) => 3 * v + (i % 5) - 1);
      const affine: Affine = {
        weight: cs.weight ? randomArray(c, 122).map((v) => v + 1.5) : null,
        bias: cs.bias ? randomArray(c, 123) : null,
      };
      const x = tensor(gpu!, xd, cs.shape, true);
      const w = affine.weight && tensor(gpu!, affine.weight, [c], true);
      const b = affine.bias && tensor(gpu!, affine.bias, [c], true);
      const out = instanceNorm(x, w, b);
      expect(out.shape).toEqual(cs.shape);
      const expected = instanceNormReference(xd, n, c, s, affine);
      expect(closeness(await out.read(), expected, 1e-4, 1e-4)).toBeLessThanOrEqual(1);

      const gd = randomArray(out.size, 124);
      backward(out, tensor(gpu!, gd, out.shape));
      const ref = instanceNormBackwardReference(xd, gd, n, c, s, affine);
      expect(closeness(await x.grad!.read(), ref.dx, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
      if (w)
        expect(closeness(await w.grad!.read(), ref.dweight, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
      if (b) expect(closeness(await b.grad!.read(), ref.dbias, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
    });
  }

  it('gives bias and a zero input gradient when the spatial size is 1', async () => {
    const x = tensor(gpu!, [5, -2, 7, 0.5], [2, 2, 1], true);
    const w = tensor(gpu!, [2, 3], [2], true);
    const b = tensor(gpu!, [0.25, -1], [2], true);
    const out = instanceNorm(x, w, b);
    expect(Array.from(await out.read())).toEqual([0.25, -1, 0.25, -1]);
    backward(out, tensor(gpu!, [1, 2, 3, 4], [2, 2, 1]));
    expect(Array.from(await x.grad!.read())).toEqual([0, 0, 0, 0]);
    expect(Array.from(await w.grad!.read())).toEqual([0, 0]);
    expect(Array.from(await b.grad!.read())).toEqual([4, 6]);
  });

  it('uses eps inside the square root', async () => {
    const xd = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = instanceNorm(tensor(gpu!, xd, [1, 1, 6]), null, null, 0.5);
    const expected = instanceNormReference(xd, 1, 1, 6, { weight: null, bias: null }, 0.5);
    expect(closeness(await out.read(), expected)).toBeLessThanOrEqual(1);
  });

  it('gradients agree with finite differences', async () => {
    const shape = [2, 2, 3, 2];
    const [n, c, s] = [2, 2, 6];
    const xd = randomArray(n * c * s, 131).map((v) => 2 * v);
    const wd = Float32Array.from([1.3, -0.7]);
    const bd = Float32Array.from([0.2, 0.4]);
    const gd = randomArray(n * c * s, 132);
    const x = tensor(gpu!, xd, shape, true);
    const w = tensor(gpu!, wd, [c], true);
    const b = tensor(gpu!, bd, [c], true);
    backward(instanceNorm(x, w, b), tensor(gpu!, gd, shape));
    const loss = async (xv: Float32Array, wv: Float32Array, bv: Float32Array) => {
      const out = instanceNorm(
        tensor(gpu!, xv, shape),
        tensor(gpu!, wv, [c]),
        tensor(gpu!, bv, [c]),
      );
      return (await out.read()).reduce((acc, y, i) => acc + y * gd[i], 0);
    };
    const eps = 1e-2;
    const check = async (which: 0 | 1 | 2, t: Tensor, indices: number[]) => {
      const grad = await t.grad!.read();
      for (const i of indices) {
        const plus = [xd, wd, bd].map((a) => a.slice());
        plus[which][i] += eps;
        const minus = [xd, wd, bd].map((a) => a.slice());
        minus[which][i] -= eps;
        const fd =
          ((await loss(plus[0], plus[1], plus[2])) - (await loss(minus[0], minus[1], minus[2]))) /
          (2 * eps);
        expect(Math.abs(fd - grad[i])).toBeLessThan(5e-3 + 5e-3 * Math.abs(fd));
      }
    };
    await check(0, x, [0, 5, 13, 23]);
    await check(1, w, [0, 1]);
    await check(2, b, [0, 1]);
  });

  it('rejects a wrong weight shape or a rank-2 input with both values in the message', () => {
    const x = tensor(gpu!, randomArray(12), [2, 3, 2]);
    const w = tensor(gpu!, randomArray(2), [2]);
    expect(() => instanceNorm(x, w)).toThrow(
      /instanceNorm: weight shape \(expected \[3\], got \[2\]\)/,
    );
    const flat = tensor(gpu!, randomArray(6), [2, 3]);
    expect(() => instanceNorm(flat)).toThrow(
      /input must be \[N, C, \.\.\.spatial\] \(got \[2, 3\]\)/,
    );
  });
});
