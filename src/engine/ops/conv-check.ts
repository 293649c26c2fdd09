// Test-only harness shared by the conv op tests: runs an op forward and
// backward on random data and compares output, input/weight/bias gradients
// with the float64 references of conv-reference.ts, and a few gradient
// entries with central finite differences of loss = sum(out * seed).
import { expect } from 'vitest';
import { backward } from '../autograd';
import type { Gpu } from '../gpu';
import { tensor, type Tensor } from '../tensor';
import { closeness, randomArray } from '../testing';
import {
  biasGradReference,
  convReference,
  convTransposeReference,
  convWeightGradReference,
  dot,
  refOutShape,
  type RefConv,
} from './conv-reference';

export type ConvOp = (x: Tensor, w: Tensor, bias: Tensor | null) => Tensor;

export interface ConvCase {
  /** the conv in reference form; for a transposed op, the conv it transposes */
  ref: RefConv;
  /** 'transpose': the op is the transpose of `ref` (its input is ref's output) */
  mode: 'conv' | 'transpose';
  /** 1 for conv1d-style [N, C, L] tensors, 2 for NCHW */
  dims: 1 | 2;
  bias: boolean;
}

interface Shapes {
  x: number[];
  w: number[];
  out: number[];
  biasSize: number;
}

function shapesOf(c: ConvCase): Shapes {
  const r = c.ref;
  const [outH, outW] = refOutShape(r);
  const spatial = (h: number, w: number) => (c.dims === 1 ? [w] : [h, w]);
  const convIn = [r.batch, r.cIn, ...spatial(r.inH, r.inW)];
  const convOut = [r.batch, r.cOut, ...spatial(outH, outW)];
  const k = spatial(r.kH, r.kW);
  if (c.mode === 'conv') {
    return { x: convIn, w: [r.cOut, r.cIn / r.groups, ...k], out: convOut, biasSize: r.cOut };
  }
  // ConvTranspose weights [Cin_T, Cout_T/groups, K] are the conv's [cOut, cIn/groups, K]
  return { x: convOut, w: [r.cOut, r.cIn / r.groups, ...k], out: convIn, biasSize: r.cIn };
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Forward and gradients against the references; returns nothing, fails via expect. */
export async function checkConv(gpu: Gpu, op: ConvOp, c: ConvCase, seed = 1): Promise<void> {
  const s = shapesOf(c);
  const xd = randomArray(size(s.x), seed);
  const wd = randomArray(size(s.w), seed + 1);
  const bd = c.bias ? randomArray(s.biasSize, seed + 2) : null;
  const gd = randomArray(size(s.out), seed + 3);
  const x = tensor(gpu, xd, s.x, true);
  const w = tensor(gpu, wd, s.w, true);
  const b = bd ? tensor(gpu, bd, [s.biasSize], true) : null;
  const out = op(x, w, b);
  expect(out.shape).toEqual(s.out);

  const r = c.ref;
  const conv = c.mode === 'conv';
  const want = conv ? convReference(r, xd, wd, bd) : convTransposeReference(r, xd, wd, bd);
  expect(closeness(await out.read(), want, 1e-4, 1e-4)).toBeLessThanOrEqual(1);

  backward(out, tensor(gpu, gd, s.out));
  const gx = conv ? convTransposeReference(r, gd, wd, null) : convReference(r, gd, wd, null);
  const gw = conv ? convWeightGradReference(r, xd, gd) : convWeightGradReference(r, gd, xd);
  expect(closeness(await x.grad!.read(), gx, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  expect(closeness(await w.grad!.read(), gw, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  if (b && bd) {
    const gb = biasGradReference(gd, r.batch, s.biasSize);
    expect(closeness(await b.grad!.read(), gb, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  }
  for (const t of [x, w, b, out, x.grad, w.grad, b?.grad]) t?.dispose();
}

/** Central finite differences of sum(op(x, w, b) * seed) at a few entries of x, w and b. */
export async function checkConvFiniteDifferences(
  gpu: Gpu,
  op: ConvOp,
  c: ConvCase,
  seed = 7,
): Promise<void> {
  const s = shapesOf(c);
  const data = [
    randomArray(size(s.x), seed),
    randomArray(size(s.w), seed + 1),
    c.bias ? randomArray(s.biasSize, seed + 2) : null,
  ];
  const shapes = [s.x, s.w, [s.biasSize]];
  const gd = randomArray(size(s.out), seed + 3);
  const upload = (values: Array<Float32Array | null>, grad: boolean) =>
    values.map((v, i) => (v ? tensor(gpu, v, shapes[i], grad) : null));

  const [x, w, b] = upload(data, true);
  backward(op(x!, w!, b), tensor(gpu, gd, s.out));
  const grads = await Promise.all([x, w, b].map((t) => t?.grad?.read() ?? null));

  const loss = async (values: Array<Float32Array | null>) => {
    const [x2, w2, b2] = upload(values, false);
    const out = op(x2!, w2!, b2);
    const v = dot(await out.read(), gd);
    for (const t of [x2, w2, b2, out]) t?.dispose();
    return v;
  };
  const eps = 1e-2;
  for (let which = 0; which < 3; which++) {
    const base = data[which];
    const grad = grads[which];
    if (!base || !grad) continue;
    for (const i of new Set([0, Math.floor(base.length / 2), base.length - 1])) {
      const plus = data.slice();
      const minus = data.slice();
      plus[which] = base.slice();
      plus[which]![i] += eps;
      minus[which] = base.slice();
      minus[which]![i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i]), `d/d${['x', 'w', 'b'][which]}[${i}]`).toBeLessThan(
        2e-3 * Math.max(1, Math.abs(fd)),
      );
    }
  }
  for (const t of [x, w, b]) {
    t?.grad?.dispose();
    t?.dispose();
  }
}
