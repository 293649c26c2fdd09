import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor, type Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { crossEntropy } from './cross-entropy';
import { logsumexp, max, mean, sum } from './reduce';
import { logSoftmax, softmax } from './softmax';
import { exp, leakyRelu, log, tanh } from './unary';

const gpu = await testGpu();

/** mean_n (logsumexp(x[n]) - x[n, t[n]]) in float64. */
function crossEntropyReference(x: ArrayLike<number>, t: Int32Array, classes: number): number {
  let total = 0;
  t.forEach((target, n) => {
    const row = Array.from({ length: classes }, (_, c) => x[n * classes + c]);
    const m = Math.max(...row);
    total += m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[target];
  });
  return total / t.length;
}

/** g * (softmax(x[n]) - onehot(t[n])) / N in float64. */
function crossEntropyGradReference(
  x: ArrayLike<number>,
  t: Int32Array,
  classes: number,
  g: number,
): Float64Array {
  const dx = new Float64Array(x.length);
  t.forEach((target, n) => {
    const row = Array.from({ length: classes }, (_, c) => x[n * classes + c]);
    const m = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    row.forEach((v, c) => {
      dx[n * classes + c] = (g * (Math.exp(v - m) / z - (c === target ? 1 : 0))) / t.length;
    });
  });
  return dx;
}

function targetsFor(rows: number, classes: number, seed: number): Int32Array {
  return Int32Array.from(randomArray(rows, seed), (v) => Math.floor(((v + 1) / 2) * classes));
}

describe.skipIf(!gpu)('crossEntropy', () => {
  afterAll(() => gpu?.flush());

  for (const [rows, classes] of [
    [1, 1],
    [1, 7],
    [7, 3],
    [33, 256],
    [5, 1031],
  ]) {
    it(`matches the reference loss and gradient for [${rows}, ${classes}]`, async () => {
      const xd = randomArray(rows * classes, rows + classes).map((v) => 4 * v);
      const t = targetsFor(rows, classes, rows);
      const x = tensor(gpu!, xd, [rows, classes], true);
      const loss = crossEntropy(x, t);
      expect(loss.shape).toEqual([]);
      const expected = crossEntropyReference(xd, t, classes);
      expect(closeness(await loss.read(), [expected], 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      backward(loss, tensor(gpu!, [0.5], []));
      const grad = crossEntropyGradReference(xd, t, classes, 0.5);
      expect(closeness(await x.grad!.read(), grad, 1e-7, 1e-4)).toBeLessThanOrEqual(1);
    });
  }

  it('stays finite and exact for logits near 1000', async () => {
    const xd = [1000, 1001, 999, -1000, -1001, -999];
    const t = Int32Array.from([0, 2]);
    const x = tensor(gpu!, xd, [2, 3], true);
    const loss = crossEntropy(x, t);
    expect(
      closeness(await loss.read(), [crossEntropyReference(xd, t, 3)], 1e-4, 1e-5),
    ).toBeLessThanOrEqual(1);
    backward(loss);
    const grad = crossEntropyGradReference(xd, t, 3, 1);
    expect(closeness(await x.grad!.read(), grad, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
  });

  it('gradient agrees with finite differences', async () => {
    const [rows, classes] = [4, 6];
    const xd = randomArray(rows * classes, 51).map((v) => 2 * v);
    const t = targetsFor(rows, classes, 52);
    const x = tensor(gpu!, xd, [rows, classes], true);
    backward(crossEntropy(x, t));
    const gpuGrad = await x.grad!.read();
    const lossAt = async (data: Float32Array): Promise<number> =>
      (await crossEntropy(tensor(gpu!, data, [rows, classes]), t).read())[0];
    const eps = 1e-2;
    for (const i of [0, t[1] + classes, rows * classes - 1]) {
      const plus = xd.slice();
      plus[i] += eps;
      const minus = xd.slice();
      minus[i] -= eps;
      const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * eps);
      expect(Math.abs(fd - gpuGrad[i]), `[${i}]`).toBeLessThan(1e-3);
    }
  });

  it('frees every intermediate of a forward and backward through all elementwise ops', async () => {
    // no scope here: a scope would dispose what a backward forgot and hide the leak
    const before = gpu!.stats().liveBuffers;
    const made: Tensor[] = [];
    const t = (x: Tensor): Tensor => (made.push(x), x);
    const x = t(tensor(gpu!, randomArray(12, 61), [3, 4], true));
    const w = t(tensor(gpu!, randomArray(4, 62), [4], true));
    const b = t(tensor(gpu!, [0.5], [1], true));
    const h = t(tanh(t(add(t(mul(x, w)), b))));
    const z = t(div(t(sub(t(leakyRelu(h, 0.1)), w)), t(add(t(exp(b)), b))));
    const extra = t(add(t(mean(t(log(t(softmax(z, 0)))))), t(sum(t(max(z, 1))))));
    const ce = t(crossEntropy(t(logSoftmax(z)), Int32Array.from([0, 3, 1])));
    backward(t(add(t(add(ce, extra)), t(logsumexp(z)))));
    for (const g of [x.grad!, w.grad!, b.grad!]) {
      expect((await g.read()).every(Number.isFinite)).toBe(true);
      g.dispose();
    }
    for (const m of made) m.dispose();
    gpu!.flush();
    expect(gpu!.stats().liveBuffers).toBe(before);
  });

  it('rejects bad targets with the offending value', () => {
    const x = tensor(gpu!, randomArray(6), [2, 3]);
    expect(() => crossEntropy(x, Int32Array.from([0, 3]))).toThrow(
      /crossEntropy: target 1 out of range \(expected 0\.\.2, got 3\)/,
    );
    expect(() => crossEntropy(x, Int32Array.from([0]))).toThrow(
      /one target per row \(expected 2, got 1\)/,
    );
    expect(() => crossEntropy(tensor(gpu!, randomArray(6), [6]), Int32Array.from([0]))).toThrow(
      /logits need shape \[N, C\]/,
    );
  });
});
