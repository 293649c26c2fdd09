import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor } from '../tensor';
import { slice } from './slice';

const gpu = await testGpu();

/** x[..., start:end, ...] along `axis`, in float64. */
function sliceReference(
  x: ArrayLike<number>,
  shape: number[],
  axis: number,
  start: number,
  end: number,
): Float64Array {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const dim = shape[axis];
  const len = end - start;
  const out = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < len; j++) {
      for (let i = 0; i < inner; i++) {
        out[(o * len + j) * inner + i] = x[(o * dim + start + j) * inner + i];
      }
    }
  }
  return out;
}

/** Gradient of slice: g placed at [start, end) along `axis`, zeros elsewhere. */
function sliceBackwardReference(
  g: ArrayLike<number>,
  shape: number[],
  axis: number,
  start: number,
  end: number,
): Float64Array {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const dim = shape[axis];
  const len = end - start;
  const out = new Float64Array(sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < len; j++) {
      for (let i = 0; i < inner; i++) {
        out[(o * dim + start + j) * inner + i] = g[(o * len + j) * inner + i];
      }
    }
  }
  return out;
}

const cases = [
  { shape: [2, 5, 3, 7], axis: 0, start: 1, end: 2 },
  { shape: [2, 5, 3, 7], axis: 1, start: 1, end: 4 },
  { shape: [2, 5, 3, 7], axis: 2, start: 0, end: 3 },
  { shape: [2, 5, 3, 7], axis: 3, start: 2, end: 7 },
  { shape: [9], axis: 0, start: 3, end: 8 },
  { shape: [3, 65], axis: -1, start: 1, end: 64 },
];

describe.skipIf(!gpu)('slice', () => {
  afterAll(() => gpu?.flush());

  for (const c of cases) {
    it(`matches the CPU reference forward and backward for ${JSON.stringify(c)}`, async () => {
      const { shape, start, end } = c;
      const axis = c.axis < 0 ? c.axis + shape.length : c.axis;
      const xd = randomArray(sizeOf(shape), 11 + axis);
      const x = tensor(gpu!, xd, shape, true);
      const out = slice(x, c.axis, start, end);
      const outShape = [...shape];
      outShape[axis] = end - start;
      expect(out.shape).toEqual(outShape);
      expect(
        closeness(await out.read(), sliceReference(xd, shape, axis, start, end)),
      ).toBeLessThanOrEqual(1);

      const gd = randomArray(out.size, 12);
      backward(out, tensor(gpu!, gd, out.shape));
      const expected = sliceBackwardReference(gd, shape, axis, start, end);
      expect(closeness(await x.grad!.read(), expected)).toBeLessThanOrEqual(1);
      for (const t of [x, x.grad!, out]) t.dispose();
    });
  }

  it('gradient agrees with finite differences', async () => {
    const shape = [2, 4, 3];
    const xd = randomArray(sizeOf(shape), 21);
    const gd = randomArray(2 * 2 * 3, 22);
    const x = tensor(gpu!, xd, shape, true);
    backward(slice(x, 1, 1, 3), tensor(gpu!, gd, [2, 2, 3]));
    const grad = await x.grad!.read();
    const loss = async (data: Float32Array) => {
      const v = await slice(tensor(gpu!, data, shape), 1, 1, 3).read();
      return v.reduce((s, y, i) => s + y * gd[i], 0);
    };
    const eps = 1e-2;
    for (const i of [0, 4, 5, 16, 23]) {
      const plus = xd.slice();
      plus[i] += eps;
      const minus = xd.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('returns an empty tensor for start == end', async () => {
    const x = tensor(gpu!, randomArray(6), [2, 3]);
    const out = slice(x, 1, 2, 2);
    expect(out.shape).toEqual([2, 0]);
    expect((await out.read()).length).toBe(0);
  });

  it('rejects out-of-range bounds and axes with both values in the message', () => {
    const x = tensor(gpu!, randomArray(6), [2, 3]);
    expect(() => slice(x, 1, 2, 4)).toThrow(/expected 0 <= start <= end <= 3 .*got start 2, end 4/);
    expect(() => slice(x, 1, 2, 1)).toThrow(/range out of bounds/);
    expect(() => slice(x, 2, 0, 1)).toThrow(/axis out of range \(expected -2 <= axis < 2, got 2\)/);
  });
});
