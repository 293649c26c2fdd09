import { afterAll, describe, expect, it } from 'vitest';
import { backward, noGrad } from '../autograd';
import { axpyInPlace } from '../ops/axpy';
import { matmul } from '../ops/matmul';
import { closeness, randomArray, testGpu } from '../testing';
import { clone, scope, tensor, type Tensor } from '../tensor';
import { SGD } from './sgd';

const gpu = await testGpu();

/** torch.optim.SGD (dampening 0, no nesterov) over a sequence of gradients, in float64. */
function sgdReference(
  p0: Float32Array,
  grads: Float32Array[],
  lr: number,
  momentum: number,
  weightDecay: number,
): Float64Array[] {
  const p = Float64Array.from(p0);
  let buf: Float64Array | null = null;
  const history: Float64Array[] = [];
  for (const grad of grads) {
    const g = Float64Array.from(grad, (v, i) => v + weightDecay * p[i]);
    let d: Float64Array = g;
    if (momentum !== 0) {
      buf = buf ? buf.map((b, i) => momentum * b + g[i]) : Float64Array.from(g);
      d = buf;
    }
    for (let i = 0; i < p.length; i++) p[i] -= lr * d[i];
    history.push(Float64Array.from(p));
  }
  return history;
}

/** 0.5 * ||A w - b||^2: sets w.grad = A^T (A w - b) and returns the residual (seed) tensor. */
function leastSquaresStep(a: Tensor, w: Tensor, b: Tensor): Tensor {
  const pred = matmul(a, w);
  const residual = noGrad(() => clone(pred));
  axpyInPlace(residual, b, -1);
  backward(pred, residual);
  pred.dispose();
  return residual;
}

describe.skipIf(!gpu)('SGD', () => {
  afterAll(() => gpu?.flush());

  const settings = [
    { lr: 0.1, momentum: 0, weightDecay: 0 },
    { lr: 0.05, momentum: 0.9, weightDecay: 0 },
    { lr: 0.2, momentum: 0.5, weightDecay: 0.01 },
    { lr: 0.03, momentum: 0, weightDecay: 0.1 },
  ];

  for (const opts of settings) {
    it(`matches PyTorch's update rule over 5 steps for ${JSON.stringify(opts)}`, async () => {
      const shapes = [[3, 5], [7]];
      const inits = shapes.map((s, k) =>
        randomArray(
          s.reduce((x, y) => x * y),
          141 + k,
        ),
      );
      const params = inits.map((d, k) => tensor(gpu!, d, shapes[k], true));
      const grads = params.map((_, k) =>
        [0, 1, 2, 3, 4].map((t) => randomArray(params[k].size, 150 + 10 * k + t)),
      );
      const opt = new SGD(params, opts);
      for (let t = 0; t < 5; t++) {
        params.forEach((p, k) => (p.grad = tensor(gpu!, grads[k][t], p.shape)));
        opt.step();
        opt.zeroGrad();
      }
      for (const [k, p] of params.entries()) {
        const expected = sgdReference(inits[k], grads[k], opts.lr, opts.momentum, opts.weightDecay);
        expect(p.grad).toBeNull();
        expect(closeness(await p.read(), expected[4], 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      }
      opt.dispose();
    });
  }

  it('skips parameters without a gradient and keeps momentum across a scope', async () => {
    const ad = randomArray(4, 161);
    const bd = randomArray(4, 162);
    const a = tensor(gpu!, ad, [4], true);
    const b = tensor(gpu!, bd, [4], true);
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    const g = [randomArray(4, 163), randomArray(4, 164)];
    for (const gt of g) {
      scope(gpu!, () => {
        a.grad = tensor(gpu!, gt, [4]).keep();
        opt.step();
        opt.zeroGrad();
      });
    }
    expect(Array.from(await b.read())).toEqual(Array.from(bd));
    expect(closeness(await a.read(), sgdReference(ad, g, 0.1, 0.9, 0)[1])).toBeLessThanOrEqual(1);
    const before = gpu!.stats().liveBuffers;
    opt.dispose();
    expect(gpu!.stats().liveBuffers).toBe(before - 1);
  });

  it('drives least squares to a low loss with momentum', async () => {
    const [m, k] = [24, 5];
    const ad = randomArray(m * k, 171);
    const truth = randomArray(k, 172);
    const bd = new Float32Array(m).map((_, i) =>
      truth.reduce((s, v, j) => s + ad[i * k + j] * v, 0),
    );
    const a = tensor(gpu!, ad, [m, k]);
    const b = tensor(gpu!, bd, [m, 1]);
    const w = tensor(gpu!, new Float32Array(k), [k, 1], true);
    const opt = new SGD([w], { lr: 0.02, momentum: 0.9 });
    const lossOf = async (r: Tensor) => 0.5 * (await r.read()).reduce((s, v) => s + v * v, 0);
    const first = leastSquaresStep(a, w, b);
    const initial = await lossOf(first);
    first.dispose();
    opt.step();
    opt.zeroGrad();
    for (let step = 0; step < 150; step++) {
      leastSquaresStep(a, w, b).dispose();
      opt.step();
      opt.zeroGrad();
    }
    const last = leastSquaresStep(a, w, b);
    const final = await lossOf(last);
    expect(final).toBeLessThan(1e-4 * initial);
    expect(closeness(await w.read(), truth, 1e-3, 1e-3)).toBeLessThanOrEqual(1);
    opt.dispose();
  });

  it('rejects non-leaf, frozen or repeated parameters and bad options', () => {
    const p = tensor(gpu!, randomArray(4), [2, 2], true);
    const frozen = tensor(gpu!, randomArray(4), [2, 2]);
    const computed = matmul(p, p);
    expect(() => new SGD([frozen], { lr: 0.1 })).toThrow(/SGD: parameter 0 does not require grad/);
    expect(() => new SGD([p, computed], { lr: 0.1 })).toThrow(
      /parameter 1 is not a leaf \(it was computed by matmul\)/,
    );
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/parameter 1 appears twice/);
    expect(() => new SGD([p], { lr: 0.1, momentum: 1 })).toThrow(
      /momentum must be in \[0, 1\) \(got 1\)/,
    );
    expect(() => new SGD([p], { lr: -1 })).toThrow(/lr must be >= 0 \(got -1\)/);
  });
});
