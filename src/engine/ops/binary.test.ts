import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { sizeOf, tensor } from '../tensor';
import { binary, broadcastShapes, runBinary, type BinaryOp } from './binary';

const gpu = await testGpu();

const apply = (op: BinaryOp, x: number, y: number): number =>
  op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y;

/** Flat index into `shape` (right-aligned to out) of the out coordinate `c`, size-1 axes pinned. */
function sourceIndex(shape: number[], out: number[], c: number[]): number {
  let index = 0;
  shape.forEach((d, i) => {
    const coord = c[out.length - shape.length + i];
    index = index * d + (d === 1 ? 0 : coord);
  });
  return index;
}

/** Every coordinate of `shape`, row-major. */
function coords(shape: number[]): number[][] {
  const all: number[][] = [];
  for (let e = 0; e < sizeOf(shape); e++) {
    const c: number[] = [];
    let rem = e;
    for (let i = shape.length - 1; i >= 0; i--) {
      c[i] = rem % shape[i];
      rem = Math.floor(rem / shape[i]);
    }
    all.push(c);
  }
  return all;
}

/** out, and the gradients of sum(g * out) for both operands, in float64. */
function binaryReference(
  op: BinaryOp,
  a: ArrayLike<number>,
  as: number[],
  b: ArrayLike<number>,
  bs: number[],
  g: ArrayLike<number>,
) {
  const os = broadcastShapes(as, bs);
  const out = new Float64Array(sizeOf(os));
  const ga = new Float64Array(a.length);
  const gb = new Float64Array(b.length);
  coords(os).forEach((c, e) => {
    const ia = sourceIndex(as, os, c);
    const ib = sourceIndex(bs, os, c);
    const [x, y] = [a[ia], b[ib]];
    out[e] = apply(op, x, y);
    const dx = op === 'mul' ? y : op === 'div' ? 1 / y : 1;
    const dy = op === 'mul' ? x : op === 'div' ? -x / (y * y) : op === 'sub' ? -1 : 1;
    ga[ia] += g[e] * dx;
    gb[ib] += g[e] * dy;
  });
  return { out, ga, gb, os };
}

const SHAPES: Array<[number[], number[]]> = [
  [[7], [7]],
  [[1], [1]],
  [[2, 3, 4], [4]],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [[1], [5, 7]],
  [[33, 5], [1]],
  [
    [3, 1, 5],
    [3, 4, 1],
  ],
  [
    [2, 1, 3, 1, 2, 3],
    [3, 1, 4, 1, 1],
  ],
  [[1031], [1031]],
  [
    [4, 1, 1],
    [3, 33],
  ],
  [[], [2, 3]],
];

describe.skipIf(!gpu)('binary', () => {
  afterAll(() => gpu?.flush());

  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    it(`${op} broadcasts and reduces gradients like the float64 reference`, async () => {
      const pairs = SHAPES.flatMap(([x, y]) => [
        [x, y],
        [y, x],
      ]);
      for (const [as, bs] of pairs) {
        const ad = randomArray(sizeOf(as), 3 + as.length);
        // divisors kept away from 0
        const bd = randomArray(sizeOf(bs), 4 + bs.length).map((v) =>
          op === 'div' ? Math.sign(v || 1) * (0.5 + Math.abs(v)) : v,
        );
        const gd = randomArray(sizeOf(broadcastShapes(as, bs)), 5);
        const ref = binaryReference(op, ad, as, bd, bs, gd);
        const a = tensor(gpu!, ad, as, true);
        const b = tensor(gpu!, bd, bs, true);
        const out = binary(op, a, b);
        const what = `${JSON.stringify(as)} ${op} ${JSON.stringify(bs)}`;
        expect(out.shape, what).toEqual(ref.os);
        expect(closeness(await out.read(), ref.out), what).toBeLessThanOrEqual(1);
        backward(out, tensor(gpu!, gd, ref.os));
        expect(a.grad!.shape).toEqual(as);
        expect(b.grad!.shape).toEqual(bs);
        expect(closeness(await a.grad!.read(), ref.ga, 1e-5, 1e-4), what).toBeLessThanOrEqual(1);
        expect(closeness(await b.grad!.read(), ref.gb, 1e-5, 1e-4), what).toBeLessThanOrEqual(1);
        for (const t of [a, b, out, a.grad!, b.grad!]) t.dispose();
      }
    });
  }

  it('accumulates both gradients when an operand is used twice', async () => {
    const xd = randomArray(6, 9);
    const x = tensor(gpu!, xd, [2, 3], true);
    backward(binary('mul', x, x));
    expect(
      closeness(
        await x.grad!.read(),
        Array.from(xd, (v) => 2 * v),
      ),
    ).toBeLessThanOrEqual(1);
    const y = tensor(gpu!, xd, [2, 3], true);
    backward(binary('add', y, y));
    expect(Array.from(await y.grad!.read())).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('gradients agree with finite differences', async () => {
    const [as, bs] = [
      [2, 1, 4],
      [3, 1],
    ];
    const ad = randomArray(8, 12);
    const bd = randomArray(3, 13).map((v) => v + 2);
    const gd = randomArray(24, 14);
    for (const op of ['mul', 'div', 'sub'] as const) {
      const a = tensor(gpu!, ad, as, true);
      const b = tensor(gpu!, bd, bs, true);
      backward(binary(op, a, b), tensor(gpu!, gd, [2, 3, 4]));
      const [gaGpu, gbGpu] = [await a.grad!.read(), await b.grad!.read()];
      const loss = async (ad2: Float32Array, bd2: Float32Array): Promise<number> => {
        const v = await runBinary(op, tensor(gpu!, ad2, as), tensor(gpu!, bd2, bs)).read();
        return v.reduce((s, y, i) => s + y * gd[i], 0);
      };
      const eps = 1e-2;
      const fd = async (data: Float32Array, i: number, first: boolean): Promise<number> => {
        const plus = data.slice();
        plus[i] += eps;
        const minus = data.slice();
        minus[i] -= eps;
        const [lp, lm] = first
          ? [await loss(plus, bd), await loss(minus, bd)]
          : [await loss(ad, plus), await loss(ad, minus)];
        return (lp - lm) / (2 * eps);
      };
      for (const i of [0, 5, 7]) {
        expect(Math.abs((await fd(ad, i, true)) - gaGpu[i]), `${op} a[${i}]`).toBeLessThan(2e-3);
      }
      for (const i of [0, 2]) {
        expect(Math.abs((await fd(bd, i, false)) - gbGpu[i]), `${op} b[${i}]`).toBeLessThan(2e-3);
      }
    }
  });

  it('rejects shapes that do not broadcast, naming both', () => {
    const a = tensor(gpu!, randomArray(6), [2, 3]);
    const b = tensor(gpu!, randomArray(4), [4]);
    expect(() => binary('add', a, b)).toThrow(
      /add: shapes do not broadcast \(got \[2, 3\] and \[4\]\)/,
    );
    // seven alternating broadcast axes cannot merge below six
    const c = tensor(gpu!, randomArray(16), [2, 1, 2, 1, 2, 1, 2]);
    const d = tensor(gpu!, randomArray(8), [2, 1, 2, 1, 2, 1]);
    expect(() => binary('mul', c, d)).toThrow(
      /mul: more than 6 broadcast axes is not supported yet/,
    );
  });
});
