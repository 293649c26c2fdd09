import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, closeness, testGpu } from '../testing';
import { tensor } from '../tensor';
import {
  conv1d,
  runConv1d,
  runConv1dTranspose,
  validateConv1d,
  type Conv1dOptions,
  type Conv1dVariant,
} from './conv1d';
import { runConv1dWeightGrad } from './conv1d-weight-grad';
import { checkConv, checkConvFiniteDifferences, type ConvCase } from './conv-check';
import {
  convReference,
  convTransposeReference,
  convWeightGradReference,
  type RefConv,
} from './conv-reference';

const gpu = await testGpu();

interface Case {
  n: number;
  cIn: number;
  cOut: number;
  len: number;
  k: number;
  opts: Conv1dOptions;
  bias: boolean;
}

const cases: Case[] = [
  { n: 1, cIn: 3, cOut: 5, len: 11, k: 3, opts: {}, bias: false },
  {
    n: 2,
    cIn: 4,
    cOut: 6,
    len: 13,
    k: 3,
    opts: { stride: 2, padding: 2, dilation: 2, groups: 2 },
    bias: true,
  },
  {
    n: 2,
    cIn: 6,
    cOut: 6,
    len: 17,
    k: 5,
    opts: { padding: 3, dilation: 3, groups: 6 },
    bias: true,
  },
  { n: 1, cIn: 7, cOut: 9, len: 10, k: 1, opts: { stride: 2 }, bias: true },
  { n: 2, cIn: 4, cOut: 10, len: 9, k: 4, opts: { padding: 1, groups: 2 }, bias: false },
  { n: 1, cIn: 16, cOut: 32, len: 67, k: 3, opts: { padding: 8, dilation: 8 }, bias: true },
  { n: 1, cIn: 3, cOut: 4, len: 5, k: 3, opts: { stride: 3, padding: 4, dilation: 3 }, bias: true },
  // padding beyond the dilated kernel's reach (the flipped-weights path cannot take it)
  { n: 1, cIn: 3, cOut: 4, len: 6, k: 2, opts: { padding: 2 }, bias: false },
  // long enough that the tiled kernel's interior (unpadded) loop runs with stride and groups
  {
    n: 2,
    cIn: 6,
    cOut: 10,
    len: 53,
    k: 3,
    opts: { stride: 2, padding: 1, dilation: 2, groups: 2 },
    bias: true,
  },
];

function refOf(c: Case): RefConv {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = c.opts;
  return {
    batch: c.n,
    cIn: c.cIn,
    inH: 1,
    inW: c.len,
    cOut: c.cOut,
    kH: 1,
    kW: c.k,
    groups,
    stride: [1, stride],
    pad: [0, padding],
    dil: [1, dilation],
  };
}

const convCase = (c: Case): ConvCase => ({ ref: refOf(c), mode: 'conv', dims: 1, bias: c.bias });

describe.skipIf(!gpu)('conv1d', () => {
  afterAll(() => gpu?.flush());

  for (const variant of ['naive', 'register'] as Conv1dVariant[]) {
    for (const c of cases) {
      it(`${variant} kernel matches the CPU reference for ${JSON.stringify(c)}`, async () => {
        const xd = randomArray(c.n * c.cIn * c.len, 11);
        const wd = randomArray((c.cOut * c.cIn * c.k) / (c.opts.groups ?? 1), 12);
        const bd = c.bias ? randomArray(c.cOut, 13) : null;
        const x = tensor(gpu!, xd, [c.n, c.cIn, c.len]);
        const w = tensor(gpu!, wd, [c.cOut, c.cIn / (c.opts.groups ?? 1), c.k]);
        const b = bd ? tensor(gpu!, bd, [c.cOut]) : null;
        const out = runConv1d(validateConv1d(x, w, b, c.opts), x, w, b, undefined, variant);
        const want = convReference(refOf(c), xd, wd, bd);
        expect(out.size).toBe(want.length);
        expect(closeness(await out.read(), want, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
        for (const t of [x, w, b, out]) t?.dispose();
      });
    }
  }

  for (const variant of ['naive', 'register'] as Conv1dVariant[]) {
    it(`${variant} input- and weight-gradient kernels match the CPU reference`, async () => {
      for (const c of cases) {
        const groups = c.opts.groups ?? 1;
        const xd = randomArray(c.n * c.cIn * c.len, 21);
        const wd = randomArray((c.cOut * c.cIn * c.k) / groups, 22);
        const x = tensor(gpu!, xd, [c.n, c.cIn, c.len]);
        const w = tensor(gpu!, wd, [c.cOut, c.cIn / groups, c.k]);
        const geom = validateConv1d(x, w, null, c.opts);
        const gd = randomArray(c.n * c.cOut * geom.outW, 23);
        const g = tensor(gpu!, gd, [c.n, c.cOut, geom.outW]);
        const gx = runConv1dTranspose(geom, g, w, null, x.shape, variant);
        const gw = runConv1dWeightGrad(geom, x, g, w.shape, variant);
        const ref = refOf(c);
        const label = JSON.stringify(c);
        const wantX = convTransposeReference(ref, gd, wd, null);
        const wantW = convWeightGradReference(ref, xd, gd);
        expect(closeness(await gx.read(), wantX, 1e-4, 1e-4), label).toBeLessThanOrEqual(1);
        expect(closeness(await gw.read(), wantW, 1e-4, 1e-4), label).toBeLessThanOrEqual(1);
        for (const t of [x, w, g, gx, gw]) t.dispose();
      }
    });
  }

  for (const c of cases) {
    it(`gradients match the CPU reference for ${JSON.stringify(c)}`, async () => {
      await checkConv(gpu!, (x, w, b) => conv1d(x, w, b, c.opts), convCase(c));
    });
  }

  it('gradients agree with finite differences (stride 2, dilation 2, groups 2)', async () => {
    const c = cases[1];
    await checkConvFiniteDifferences(gpu!, (x, w, b) => conv1d(x, w, b, c.opts), convCase(c));
  });

  it('rejects bad shapes and options with the values in the message', () => {
    const x = tensor(gpu!, randomArray(2 * 4 * 8), [2, 4, 8]);
    const w = tensor(gpu!, randomArray(6 * 4 * 3), [6, 4, 3]);
    expect(() => conv1d(x, w, null, { groups: 2 })).toThrow(/expected Cin\/groups = 2, got 4/);
    expect(() => conv1d(x, w, null, { groups: 4 })).toThrow(/channels must divide by groups/);
    expect(() => conv1d(x, w, null, { dilation: 5 })).toThrow(/output would be empty/);
    expect(() => conv1d(x, w, null, { stride: 0 })).toThrow(/stride must be an integer >= 1/);
    expect(() => conv1d(x, w, tensor(gpu!, [1, 2], [2]))).toThrow(
      /bias shape \(expected \[6\], got \[2\]\)/,
    );
    expect(() => conv1d(x, tensor(gpu!, randomArray(6), [6, 1]), null)).toThrow(
      /weight must be rank 3/,
    );
  });
});
