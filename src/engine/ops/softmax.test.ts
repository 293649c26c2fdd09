import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor } from '../tensor';
import { logSoftmax, runSoftmax, softmax } from './softmax';

const gpu = await testGpu();

function split(shape: number[], axis: number): [number, number, number] {
  const a = axis < 0 ? axis + shape.length : axis;
  return [sizeOf(shape.slice(0, a)), shape[a], sizeOf(shape.slice(a + 1))];
}

/** Calls `f(indices of one row)` for every row along `axis`. */
function forRows(shape: number[], axis: number, f: (at: number[]) => void): void {
  const [outer, len, inner] = split(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++)
      f(Array.from({ length: len }, (_, j) => (o * len + j) * inner + i));
  }
}

/** softmax or log-softmax in float64. */
function softmaxReference(x: ArrayLike<number>, shape: number[], axis: number, log: boolean) {
  const y = new Float64Array(x.length);
  forRows(shape, axis, (at) => {
    const m = Math.max(...at.map((e) => x[e]));
    const z = at.reduce((s, e) => s + Math.exp(x[e] - m), 0);
    for (const e of at) y[e] = log ? x[e] - m - Math.log(z) : Math.exp(x[e] - m) / z;
  });
  return y;
}

/** d(sum g * out) / dx in float64. */
function softmaxGradReference(
  x: ArrayLike<number>,
  g: ArrayLike<number>,
  shape: number[],
  axis: number,
  log: boolean,
): Float64Array {
  const p = softmaxReference(x, shape, axis, false);
  const dx = new Float64Array(x.length);
  forRows(shape, axis, (at) => {
    if (log) {
      const sg = at.reduce((s, e) => s + g[e], 0);
      for (const e of at) dx[e] = g[e] - p[e] * sg;
    } else {
      const dot = at.reduce((s, e) => s + g[e] * p[e], 0);
      for (const e of at) dx[e] = p[e] * (g[e] - dot);
    }
  });
  return dx;
}

const CASES: Array<{ shape: number[]; axes: number[] }> = [
  { shape: [1], axes: [0] },
  { shape: [7], axes: [-1] },
  { shape: [3, 5, 4], axes: [0, 1, -1] },
  { shape: [4, 33], axes: [-1, 0] },
  { shape: [2, 1031], axes: [-1] },
  { shape: [5, 1], axes: [1] },
];

describe.skipIf(!gpu)('softmax', () => {
  afterAll(() => gpu?.flush());

  for (const log of [false, true]) {
    const name = log ? 'logSoftmax' : 'softmax';
    const op = log ? logSoftmax : softmax;
    for (const { shape, axes } of CASES) {
      it(`${name} over ${JSON.stringify(shape)} and its gradient match the reference`, async () => {
        const n = sizeOf(shape);
        const xd = randomArray(n, n).map((v) => 5 * v);
        const gd = randomArray(n, n + 1);
        for (const axis of axes) {
          const x = tensor(gpu!, xd, shape, true);
          const y = op(x, axis);
          expect(y.shape).toEqual(shape);
          const ref = softmaxReference(xd, shape, axis, log);
          expect(closeness(await y.read(), ref, 1e-6, 1e-4), `axis ${axis}`).toBeLessThanOrEqual(1);
          backward(y, tensor(gpu!, gd, shape));
          const grad = softmaxGradReference(xd, gd, shape, axis, log);
          expect(
            closeness(await x.grad!.read(), grad, 1e-6, 1e-4),
            `axis ${axis}`,
          ).toBeLessThanOrEqual(1);
          for (const t of [x, y, x.grad!]) t.dispose();
        }
      });
    }
  }

  it('stays finite for logits near 1000 and -1000', async () => {
    const xd = new Float32Array([1000, 1001, 999, 1000.5, -1000, -1001, -999, -1000.5]);
    for (const log of [false, true]) {
      const x = tensor(gpu!, xd, [2, 4], true);
      const y = log ? logSoftmax(x) : softmax(x);
      const out = await y.read();
      expect(out.every(Number.isFinite)).toBe(true);
      expect(closeness(out, softmaxReference(xd, [2, 4], -1, log), 1e-6, 1e-4)).toBeLessThanOrEqual(
        1,
      );
      const gd = randomArray(8, 3);
      backward(y, tensor(gpu!, gd, [2, 4]));
      const grad = softmaxGradReference(xd, gd, [2, 4], -1, log);
      expect(closeness(await x.grad!.read(), grad, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    }
  });

  it('gradients agree with finite differences', async () => {
    const shape = [3, 4, 5];
    const xd = randomArray(60, 41).map((v) => 2 * v);
    const gd = randomArray(60, 42);
    for (const log of [false, true]) {
      const x = tensor(gpu!, xd, shape, true);
      backward((log ? logSoftmax : softmax)(x, 1), tensor(gpu!, gd, shape));
      const gpuGrad = await x.grad!.read();
      const loss = async (data: Float32Array): Promise<number> => {
        const v = await runSoftmax(tensor(gpu!, data, shape), 1, log).read();
        return v.reduce((s, y, i) => s + y * gd[i], 0);
      };
      const eps = 1e-2;
      for (const i of [0, 23, 59]) {
        const plus = xd.slice();
        plus[i] += eps;
        const minus = xd.slice();
        minus[i] -= eps;
        const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
        expect(Math.abs(fd - gpuGrad[i]), `log ${log} [${i}]`).toBeLessThan(2e-3);
      }
    }
  });

  it('rejects an axis out of range', () => {
    const x = tensor(gpu!, randomArray(6), [2, 3]);
    expect(() => softmax(x, 2)).toThrow(/softmax: axis out of range/);
    expect(() => logSoftmax(x, -3)).toThrow(/logSoftmax: axis out of range/);
  });
});
