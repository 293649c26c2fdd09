import { afterAll, describe, expect, it } from 'vitest';
import { backward, noGrad } from '../autograd';
import { axpyInPlace } from '../ops/axpy';
import { matmul } from '../ops/matmul';
import { closeness, randomArray, testGpu } from '../testing';
import { clone, scope, tensor, type Tensor } from '../tensor';
import { Adam, type AdamOptions } from './adam';

const gpu = await testGpu();

/** torch.optim.Adam (no amsgrad) over a sequence of gradients, in float64. */
function adamReference(
  p0: Float32Array,
  grads: Float32Array[],
  o: Required<AdamOptions>,
): Float64Array {
  const p = Float64Array.from(p0);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  grads.forEach((grad, t) => {
    const step = t + 1;
    const bc1 = 1 - o.beta1 ** step;
    const bc2 = 1 - o.beta2 ** step;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + o.weightDecay * p[i];
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
      p[i] -= (o.lr / bc1) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + o.eps));
    }
  });
  return p;
}

const defaults = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/** 0.5 * ||A w - b||^2: sets w.grad = A^T (A w - b) and returns the residual (seed) tensor. */
function leastSquaresStep(a: Tensor, w: Tensor, b: Tensor): Tensor {
  const pred = matmul(a, w);
  const residual = noGrad(() => clone(pred));
  axpyInPlace(residual, b, -1);
  backward(pred, residual);
  pred.dispose();
  return residual;
}

describe.skipIf(!gpu)('Adam', () => {
  afterAll(() => gpu?.flush());

  const settings: Array<Required<AdamOptions>> = [
    { ...defaults, lr: 0.01 },
    { ...defaults, lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-3 },
    { ...defaults, lr: 0.05, weightDecay: 0.1 },
    { ...defaults, lr: 0.02, beta1: 0 },
  ];

  for (const opts of settings) {
    it(`matches PyTorch's update rule over 5 steps for ${JSON.stringify(opts)}`, async () => {
      const shapes = [[4, 3], [9]];
      const inits = shapes.map((s, k) =>
        randomArray(
          s.reduce((x, y) => x * y),
          181 + k,
        ),
      );
      const params = inits.map((d, k) => tensor(gpu!, d, shapes[k], true));
      // gradients of mixed scale, so the second moment differs per element
      const grads = params.map((p, k) =>
        [0, 1, 2, 3, 4].map((t) =>
          randomArray(p.size, 190 + 10 * k + t).map((g, i) => g * (1 + (i % 4))),
        ),
      );
      const opt = new Adam(params, opts);
      for (let t = 0; t < 5; t++) {
        params.forEach((p, k) => (p.grad = tensor(gpu!, grads[k][t], p.shape)));
        opt.step();
        opt.zeroGrad();
      }
      for (const [k, p] of params.entries()) {
        const expected = adamReference(inits[k], grads[k], opts);
        expect(closeness(await p.read(), expected, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      }
      opt.dispose();
    });
  }

  it('counts steps per parameter, skipping those without a gradient', async () => {
    const ad = randomArray(5, 201);
    const bd = randomArray(5, 202);
    const a = tensor(gpu!, ad, [5], true);
    const b = tensor(gpu!, bd, [5], true);
    const opts = { ...defaults, lr: 0.1 };
    const opt = new Adam([a, b], opts);
    const ga = [randomArray(5, 203), randomArray(5, 204), randomArray(5, 205)];
    const gb = randomArray(5, 206);
    ga.forEach((g, t) => {
      scope(gpu!, () => {
        a.grad = tensor(gpu!, g, [5]).keep();
        if (t === 2) b.grad = tensor(gpu!, gb, [5]).keep();
        opt.step();
        opt.zeroGrad();
      });
    });
    // b took one step, so its bias correction is that of step 1
    expect(closeness(await a.read(), adamReference(ad, ga, opts), 1e-5, 1e-5)).toBeLessThanOrEqual(
      1,
    );
    expect(
      closeness(await b.read(), adamReference(bd, [gb], opts), 1e-5, 1e-5),
    ).toBeLessThanOrEqual(1);
    const before = gpu!.stats().liveBuffers;
    opt.dispose();
    expect(gpu!.stats().liveBuffers).toBe(before - 4);
  });

  it('drives least squares to a low loss', async () => {
    const [m, k] = [24, 5];
    const ad = randomArray(m * k, 211);
    const truth = randomArray(k, 212);
    const bd = new Float32Array(m).map((_, i) =>
      truth.reduce((s, v, j) => s + ad[i * k + j] * v, 0),
    );
    const a = tensor(gpu!, ad, [m, k]);
    const b = tensor(gpu!, bd, [m, 1]);
    const w = tensor(gpu!, new Float32Array(k), [k, 1], true);
    const opt = new Adam([w], { lr: 0.05 });
    const lossOf = async (r: Tensor) => 0.5 * (await r.read()).reduce((s, v) => s + v * v, 0);
    const first = leastSquaresStep(a, w, b);
    const initial = await lossOf(first);
    first.dispose();
    opt.step();
    opt.zeroGrad();
    for (let step = 0; step < 250; step++) {
      leastSquaresStep(a, w, b).dispose();
      opt.step();
      opt.zeroGrad();
    }
    const final = await lossOf(leastSquaresStep(a, w, b));
    expect(final).toBeLessThan(1e-4 * initial);
    expect(closeness(await w.read(), truth, 1e-2, 1e-2)).toBeLessThanOrEqual(1);
    opt.dispose();
  });

  it('rejects betas outside [0, 1) and a frozen parameter', () => {
    const p = tensor(gpu!, randomArray(4), [4], true);
    expect(() => new Adam([p], { lr: 0.1, beta2: 1 })).toThrow(
      /Adam: beta2 must be in \[0, 1\) \(got 1\)/,
    );
    expect(() => new Adam([p], { lr: 0.1, eps: -1 })).toThrow(/eps must be >= 0 \(got -1\)/);
    expect(() => new Adam([tensor(gpu!, randomArray(4), [4])], { lr: 0.1 })).toThrow(
      /does not require grad/,
    );
  });
});
