import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor } from '../tensor';
import { concat } from './concat';

const gpu = await testGpu();

/** Joins row-major arrays along `axis`, in float64. */
function concatReference(parts: Float32Array[], shapes: number[][], axis: number): Float64Array {
  const outer = sizeOf(shapes[0].slice(0, axis));
  const inner = sizeOf(shapes[0].slice(axis + 1));
  const total = shapes.reduce((s, sh) => s + sh[axis], 0);
  const out = new Float64Array(outer * total * inner);
  let offset = 0;
  parts.forEach((data, k) => {
    const dim = shapes[k][axis];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < dim; j++) {
        for (let i = 0; i < inner; i++) {
          out[(o * total + offset + j) * inner + i] = data[(o * dim + j) * inner + i];
        }
      }
    }
    offset += dim;
  });
  return out;
}

/** Splits a gradient back into the parts of `concatReference`. */
function splitReference(g: Float32Array, shapes: number[][], axis: number): Float64Array[] {
  const outer = sizeOf(shapes[0].slice(0, axis));
  const inner = sizeOf(shapes[0].slice(axis + 1));
  const total = shapes.reduce((s, sh) => s + sh[axis], 0);
  let offset = 0;
  return shapes.map((shape) => {
    const dim = shape[axis];
    const part = new Float64Array(sizeOf(shape));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < dim; j++) {
        for (let i = 0; i < inner; i++) {
          part[(o * dim + j) * inner + i] = g[(o * total + offset + j) * inner + i];
        }
      }
    }
    offset += dim;
    return part;
  });
}

/** Three shapes [2, 3, 5] with the concat axis sized 1, 2 and 3. */
function shapesFor(axis: number): number[][] {
  return [1, 2, 3].map((d) => {
    const shape = [2, 3, 5];
    shape[axis] = d;
    return shape;
  });
}

describe.skipIf(!gpu)('concat', () => {
  afterAll(() => gpu?.flush());

  for (const axis of [0, 1, 2, -1]) {
    it(`joins three tensors along axis ${axis} and splits the gradient`, async () => {
      const a = axis < 0 ? axis + 3 : axis;
      const shapes = shapesFor(a);
      const parts = shapes.map((s, k) => randomArray(sizeOf(s), 31 + k));
      const ts = parts.map((d, k) => tensor(gpu!, d, shapes[k], k !== 1));
      const out = concat(ts, axis);
      const outShape = [2, 3, 5];
      outShape[a] = 6;
      expect(out.shape).toEqual(outShape);
      expect(closeness(await out.read(), concatReference(parts, shapes, a))).toBeLessThanOrEqual(1);

      const gd = randomArray(out.size, 35);
      backward(out, tensor(gpu!, gd, out.shape));
      const expected = splitReference(gd, shapes, a);
      expect(closeness(await ts[0].grad!.read(), expected[0])).toBeLessThanOrEqual(1);
      expect(ts[1].grad).toBeNull();
      expect(closeness(await ts[2].grad!.read(), expected[2])).toBeLessThanOrEqual(1);
    });
  }

  it('sums the gradient of a tensor that appears twice', async () => {
    const xd = randomArray(6, 41);
    const x = tensor(gpu!, xd, [2, 3], true);
    const out = concat([x, x], 1);
    const gd = randomArray(12, 42);
    backward(out, tensor(gpu!, gd, out.shape));
    const [g0, g1] = splitReference(
      gd,
      [
        [2, 3],
        [2, 3],
      ],
      1,
    );
    expect(
      closeness(
        await x.grad!.read(),
        g0.map((v, i) => v + g1[i]),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('gradient agrees with finite differences', async () => {
    const shapes = [
      [3, 2],
      [3, 1],
      [3, 4],
    ];
    const parts = shapes.map((s, k) => randomArray(sizeOf(s), 51 + k));
    const gd = randomArray(3 * 7, 55);
    const ts = parts.map((d, k) => tensor(gpu!, d, shapes[k], true));
    backward(concat(ts, 1), tensor(gpu!, gd, [3, 7]));
    const loss = async (data: Float32Array[]) => {
      const v = await concat(
        data.map((d, k) => tensor(gpu!, d, shapes[k])),
        1,
      ).read();
      return v.reduce((s, y, i) => s + y * gd[i], 0);
    };
    const eps = 1e-2;
    for (const [k, i] of [
      [0, 3],
      [1, 2],
      [2, 11],
    ]) {
      const grad = await ts[k].grad!.read();
      const plus = parts.map((p) => p.slice());
      plus[k][i] += eps;
      const minus = parts.map((p) => p.slice());
      minus[k][i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('rejects tensors that differ off the axis with both shapes in the message', () => {
    const a = tensor(gpu!, randomArray(6), [2, 3]);
    const b = tensor(gpu!, randomArray(8), [4, 2]);
    expect(() => concat([a, b], 1)).toThrow(
      /tensor 1 does not match off axis 1 \(expected \[2, 3\], got \[4, 2\]\)/,
    );
    expect(() => concat([], 0)).toThrow(/at least one tensor/);
  });
});
