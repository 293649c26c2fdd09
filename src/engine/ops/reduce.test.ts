import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor } from '../tensor';
import { reduce, reducedShape, runReduce, sumToShape, type ReduceOp } from './reduce';

const gpu = await testGpu();

/** [outer, len, inner] around `axis` (all elements when undefined). */
function split(shape: number[], axis?: number): [number, number, number] {
  if (axis === undefined) return [1, sizeOf(shape), 1];
  const a = axis < 0 ? axis + shape.length : axis;
  return [sizeOf(shape.slice(0, a)), shape[a], sizeOf(shape.slice(a + 1))];
}

/** Reduction in float64, plus the first argmax of each output (for gradients). */
function reduceReference(op: ReduceOp, x: ArrayLike<number>, shape: number[], axis?: number) {
  const [outer, len, inner] = split(shape, axis);
  const out = new Float64Array(outer * inner);
  const arg = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const row = Array.from({ length: len }, (_, j) => x[(o * len + j) * inner + i]);
      let m = -Infinity;
      row.forEach((v, j) => {
        if (v > m) [m, arg[o * inner + i]] = [v, j];
      });
      const s = row.reduce((a, v) => a + v, 0);
      out[o * inner + i] =
        op === 'sum'
          ? s
          : op === 'mean'
            ? s / len
            : op === 'max'
              ? m
              : m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    }
  }
  return { out, arg };
}

/** d(sum g * op(x)) / dx in float64. */
function reduceGradReference(
  op: ReduceOp,
  x: ArrayLike<number>,
  g: ArrayLike<number>,
  shape: number[],
  axis?: number,
): Float64Array {
  const [outer, len, inner] = split(shape, axis);
  const { out, arg } = reduceReference(op, x, shape, axis);
  const dx = new Float64Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < len; j++) {
      for (let i = 0; i < inner; i++) {
        const e = (o * len + j) * inner + i;
        const oi = o * inner + i;
        dx[e] =
          op === 'sum'
            ? g[oi]
            : op === 'mean'
              ? g[oi] / len
              : op === 'max'
                ? arg[oi] === j
                  ? g[oi]
                  : 0
                : g[oi] * Math.exp(x[e] - out[oi]);
      }
    }
  }
  return dx;
}

const OPS: ReduceOp[] = ['sum', 'mean', 'max', 'logsumexp'];
const CASES: Array<{ shape: number[]; axes: Array<number | undefined> }> = [
  { shape: [1], axes: [0, undefined] },
  { shape: [7], axes: [0, -1, undefined] },
  { shape: [3, 5, 4], axes: [0, 1, 2, -2, undefined] },
  { shape: [2, 33, 1], axes: [1, 2] },
  { shape: [3, 1031], axes: [0, 1, undefined] },
];

describe.skipIf(!gpu)('reduce', () => {
  afterAll(() => gpu?.flush());

  for (const op of OPS) {
    for (const { shape, axes } of CASES) {
      it(`${op} over ${JSON.stringify(shape)} and its gradient match the reference`, async () => {
        const n = sizeOf(shape);
        const xd = randomArray(n, n + 3).map((v) => 4 * v);
        for (const axis of axes) {
          for (const keepDims of [false, true]) {
            const x = tensor(gpu!, xd, shape, true);
            const y = reduce(op, x, axis, keepDims);
            expect(y.shape).toEqual(reducedShape(shape, axis, keepDims));
            const ref = reduceReference(op, xd, shape, axis).out;
            const what = `axis ${axis} keepDims ${keepDims}`;
            expect(closeness(await y.read(), ref, 1e-4, 1e-5), what).toBeLessThanOrEqual(1);

            const gd = randomArray(y.size, 7);
            backward(y, tensor(gpu!, gd, y.shape));
            const grad = reduceGradReference(op, xd, gd, shape, axis);
            expect(closeness(await x.grad!.read(), grad, 1e-5, 1e-4), what).toBeLessThanOrEqual(1);
            for (const t of [x, y, x.grad!]) t.dispose();
          }
        }
      });
    }
  }

  it('reduces long axes with few outputs in two passes', async () => {
    for (const [shape, axis] of [
      [[5003], undefined],
      [[2, 4500], -1],
      [[4500, 3], 0],
    ] as const) {
      const xd = randomArray(sizeOf(shape), 11).map((v) => 3 * v + 0.5);
      const x = tensor(gpu!, xd, shape, true);
      for (const op of OPS) {
        const y = runReduce(op, x, axis);
        const ref = reduceReference(op, xd, [...shape], axis).out;
        expect(closeness(await y.read(), ref, 1e-3, 1e-5), `${op} ${shape}`).toBeLessThanOrEqual(1);
      }
      backward(reduce('logsumexp', x, axis), undefined);
      const g = new Float64Array(split([...shape], axis)[0] * split([...shape], axis)[2]).fill(1);
      const grad = reduceGradReference('logsumexp', xd, g, [...shape], axis);
      expect(closeness(await x.grad!.read(), grad, 1e-6, 1e-3)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps logsumexp finite for inputs near 1000 and exact for -inf', async () => {
    const big = tensor(gpu!, [1000, 1001, 999, -1000, -999, -1001], [2, 3], true);
    const y = reduce('logsumexp', big, 1);
    const tail = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expect(closeness(await y.read(), [1001 + tail, -999 + tail], 1e-3, 1e-6)).toBeLessThanOrEqual(
      1,
    );
    backward(y);
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    const soft = [Math.exp(-1) / z, 1 / z, Math.exp(-2) / z];
    const expected = [...soft, Math.exp(-1) / z, 1 / z, Math.exp(-2) / z];
    expect(closeness(await big.grad!.read(), expected, 1e-5, 1e-4)).toBeLessThanOrEqual(1);

    const inf = tensor(gpu!, [-Infinity, -Infinity, -Infinity, 0.5], [2, 2]);
    expect(Array.from(await runReduce('logsumexp', inf, 1).read())).toEqual([-Infinity, 0.5]);
  });

  it('sends the max gradient to the first of tied maxima', async () => {
    // ties along the middle axis of [2, 3, 2]
    const xd = [3, 1, 3, 5, 2, 5, 0, 0, 0, 0, -1, 0];
    const x = tensor(gpu!, xd, [2, 3, 2], true);
    const y = reduce('max', x, 1);
    expect(Array.from(await y.read())).toEqual([3, 5, 0, 0]);
    backward(y, tensor(gpu!, [1, 2, 3, 4], [2, 2]));
    expect(Array.from(await x.grad!.read())).toEqual([1, 0, 0, 2, 0, 0, 3, 4, 0, 0, 0, 0]);
  });

  it('gradients agree with finite differences', async () => {
    const shape = [3, 4, 5];
    const xd = randomArray(60, 21);
    const gd = randomArray(15, 22);
    for (const op of ['mean', 'logsumexp', 'max'] as const) {
      const x = tensor(gpu!, xd, shape, true);
      backward(reduce(op, x, 1), tensor(gpu!, gd, [3, 5]));
      const gpuGrad = await x.grad!.read();
      const loss = async (data: Float32Array): Promise<number> => {
        const v = await runReduce(op, tensor(gpu!, data, shape), 1).read();
        return v.reduce((s, y, i) => s + y * gd[i], 0);
      };
      const eps = 1e-2;
      for (const i of [0, 17, 59]) {
        const plus = xd.slice();
        plus[i] += eps;
        const minus = xd.slice();
        minus[i] -= eps;
        const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
        expect(Math.abs(fd - gpuGrad[i]), `${op}[${i}]`).toBeLessThan(2e-3);
      }
    }
  });

  it('sums a broadcast gradient back to each operand shape', async () => {
    const shape = [2, 3, 4];
    const gd = randomArray(24, 31);
    const g = tensor(gpu!, gd, shape);
    const at = (a: number, b: number, c: number) => gd[(a * 3 + b) * 4 + c];
    const cases: Array<[number[], (a: number, b: number, c: number) => number]> = [
      [[4], (_a, _b, c) => c],
      [[2, 1, 4], (a, _b, c) => a * 4 + c],
      [[3, 1], (_a, b) => b],
      [[1], () => 0],
      [[], () => 0],
      [[2, 3, 1], (a, b) => a * 3 + b],
      [[1, 3, 4], (_a, b, c) => b * 4 + c],
    ];
    for (const [target, index] of cases) {
      const expected = new Float64Array(sizeOf(target));
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 3; b++) {
          for (let c = 0; c < 4; c++) expected[index(a, b, c)] += at(a, b, c);
        }
      }
      const out = sumToShape(g, target);
      expect(out.shape).toEqual(target);
      expect(closeness(await out.read(), expected), JSON.stringify(target)).toBeLessThanOrEqual(1);
      out.dispose();
    }
    expect(sumToShape(g, shape)).toBe(g);
    const row = tensor(gpu!, [1, 2, 3], [1, 3]);
    const lead = sumToShape(row, [3]);
    expect(lead.shape).toEqual([3]);
    expect(lead.buffer).not.toBe(row.buffer);
    expect(Array.from(await lead.read())).toEqual([1, 2, 3]);
  });

  it('sums an empty axis to zeros', async () => {
    const y = runReduce('sum', tensor(gpu!, [], [2, 0]), 1);
    expect(y.shape).toEqual([2]);
    expect(Array.from(await y.read())).toEqual([0, 0]);
  });

  it('rejects a bad axis and a shape that does not broadcast', () => {
    const x = tensor(gpu!, randomArray(6), [2, 3]);
    expect(() => reduce('sum', x, 2)).toThrow(
      /sum: axis out of range \(expected -2\.\.1, got 2; \[2, 3\]\)/,
    );
    expect(() => sumToShape(x, [2])).toThrow(/sumToShape: \[2\] does not broadcast to \[2, 3\]/);
    expect(() => reduce('max', tensor(gpu!, [], [2, 0]), 1)).toThrow(/max: cannot reduce an empty/);
  });
});
