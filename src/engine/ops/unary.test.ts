import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { runUnary, unary, UNARY_OPS, type UnaryOp } from './unary';

const gpu = await testGpu();

/** f(v) in float64. */
function unaryReference(op: UnaryOp, v: number, alpha: number): number {
  switch (op) {
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'relu':
      return Math.max(v, 0);
    case 'leakyRelu':
      return v > 0 ? v : alpha * v;
    case 'exp':
      return Math.exp(v);
    case 'log':
      return Math.log(v);
    case 'neg':
      return -v;
    case 'abs':
      return Math.abs(v);
    case 'sqrt':
      return Math.sqrt(v);
    case 'square':
      return v * v;
    case 'scale':
      return alpha * v;
    case 'shift':
      return v + alpha;
  }
}

/** f'(v) in float64, PyTorch's conventions at kinks. */
function unaryGradReference(op: UnaryOp, v: number, alpha: number): number {
  switch (op) {
    case 'tanh':
      return 1 - Math.tanh(v) ** 2;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 - s);
    }
    case 'relu':
      return v > 0 ? 1 : 0;
    case 'leakyRelu':
      return v > 0 ? 1 : alpha;
    case 'exp':
      return Math.exp(v);
    case 'log':
      return 1 / v;
    case 'neg':
      return -1;
    case 'abs':
      return Math.sign(v);
    case 'sqrt':
      return 0.5 / Math.sqrt(v);
    case 'square':
      return 2 * v;
    case 'scale':
      return alpha;
    case 'shift':
      return 1;
  }
}

/** inputs in each op's domain: positive for log and sqrt, wider for the saturating ones */
function inputs(op: UnaryOp, n: number, seed: number): Float32Array {
  const r = randomArray(n, seed);
  if (op === 'log' || op === 'sqrt') return r.map((v) => 0.05 + 2 * Math.abs(v));
  if (op === 'tanh' || op === 'sigmoid') return r.map((v) => 6 * v);
  return r.map((v) => 3 * v);
}

const ALPHA: Partial<Record<UnaryOp, number>> = { leakyRelu: 0.1, scale: -2.5, shift: 0.75 };
const OPS = Object.keys(UNARY_OPS) as UnaryOp[];

describe.skipIf(!gpu)('unary', () => {
  afterAll(() => gpu?.flush());

  for (const op of OPS) {
    it(`${op} and its gradient match the float64 reference at sizes 1, 7, 33, 1031`, async () => {
      const alpha = ALPHA[op] ?? 0;
      for (const [k, shape] of [[1], [7], [3, 11], [1031]].entries()) {
        const n = shape.reduce((a, b) => a * b, 1);
        const xd = inputs(op, n, 10 + k);
        const gd = randomArray(n, 20 + k);
        const x = tensor(gpu!, xd, shape, true);
        const y = unary(op, x, alpha);
        expect(y.shape).toEqual(shape);
        const expected = Array.from(xd, (v) => unaryReference(op, v, alpha));
        expect(closeness(await y.read(), expected, 1e-5, 1e-5)).toBeLessThanOrEqual(1);

        backward(y, tensor(gpu!, gd, shape));
        const grad = Array.from(xd, (v, i) => gd[i] * unaryGradReference(op, v, alpha));
        expect(closeness(await x.grad!.read(), grad, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
        for (const t of [x, y, x.grad!]) t.dispose();
      }
    });
  }

  it('gradients agree with finite differences of the forward kernel', async () => {
    const n = 9;
    const gd = randomArray(n, 5);
    for (const op of ['tanh', 'sigmoid', 'log', 'sqrt', 'leakyRelu', 'exp', 'abs'] as const) {
      const alpha = ALPHA[op] ?? 0;
      // keep |x| away from the kinks of abs and leakyRelu
      const xd = inputs(op, n, 6).map((v) => (Math.abs(v) < 0.1 ? v + 0.3 : v));
      const x = tensor(gpu!, xd, [n], true);
      backward(unary(op, x, alpha), tensor(gpu!, gd, [n]));
      const gpuGrad = await x.grad!.read();
      const loss = async (data: Float32Array): Promise<number> => {
        const y = runUnary(op, tensor(gpu!, data, [n]), alpha);
        return (await y.read()).reduce((s, v, i) => s + v * gd[i], 0);
      };
      const eps = 1e-2;
      for (const i of [0, 4, n - 1]) {
        const plus = xd.slice();
        plus[i] += eps;
        const minus = xd.slice();
        minus[i] -= eps;
        const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
        expect(Math.abs(fd - gpuGrad[i]), `${op}[${i}]`).toBeLessThan(3e-3 * (1 + Math.abs(fd)));
      }
    }
  });

  it('saturates tanh and sigmoid without overflow at |x| = 1000', async () => {
    const xd = new Float32Array([-1000, -80, -20, 0, 20, 80, 1000]);
    const x = tensor(gpu!, xd, [7], true);
    const t = unary('tanh', x);
    const s = unary('sigmoid', x);
    expect(Array.from(await t.read())).toEqual([-1, -1, -1, 0, 1, 1, 1]);
    const sig = Array.from(xd, (v) => 1 / (1 + Math.exp(-v)));
    expect(closeness(await s.read(), sig, 1e-30, 1e-5)).toBeLessThanOrEqual(1);
    backward(s);
    const ds = sig.map((v) => v * (1 - v));
    expect(closeness(await x.grad!.read(), ds, 1e-30, 1e-4)).toBeLessThanOrEqual(1);
    x.grad = null;
    backward(t);
    const dt = Array.from(xd, (v) => 1 / Math.cosh(v) ** 2);
    expect(closeness(await x.grad!.read(), dt, 1e-30, 1e-4)).toBeLessThanOrEqual(1);
  });

  it('takes logs of small positives and follows PyTorch at the kinks', async () => {
    const small = new Float32Array([1e-30, 1e-10, 1e-6, 3e-3]);
    const y = unary('log', tensor(gpu!, small, [4]));
    const logs = Array.from(small, (v) => Math.log(v));
    expect(closeness(await y.read(), logs, 1e-5, 1e-6)).toBeLessThanOrEqual(1);

    const zero = tensor(gpu!, [0, 0, 0], [3], true);
    const r = unary('relu', zero);
    const l = unary('leakyRelu', zero, 0.2);
    const a = unary('abs', zero);
    backward(r);
    expect(Array.from(await zero.grad!.read())).toEqual([0, 0, 0]);
    zero.grad = null;
    backward(l);
    expect(Array.from(await zero.grad!.read())).toEqual([0.2, 0.2, 0.2].map(Math.fround));
    zero.grad = null;
    backward(a);
    expect(Array.from(await zero.grad!.read())).toEqual([0, 0, 0]);
  });

  it('rejects a non-finite parameter', () => {
    const x = tensor(gpu!, [1, 2], [2]);
    expect(() => unary('scale', x, Number.NaN)).toThrow(/scale: parameter must be finite/);
  });
});
