import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { closeness } from '../testing';
import {
  conv2d,
  runConv2d,
  validateConv2d,
  type Conv2dOptions,
  type Conv2dVariant,
} from './conv2d';
import { checkConv, checkConvFiniteDifferences, type ConvCase } from './conv-check';
import { convReference, type RefConv } from './conv-reference';

const gpu = await testGpu();

interface Case {
  n: number;
  cIn: number;
  cOut: number;
  hw: [number, number];
  k: [number, number];
  opts: Conv2dOptions;
  bias: boolean;
}

const cases: Case[] = [
  { n: 1, cIn: 2, cOut: 3, hw: [5, 7], k: [3, 3], opts: {}, bias: false },
  {
    n: 2,
    cIn: 4,
    cOut: 6,
    hw: [9, 8],
    k: [3, 2],
    opts: { stride: 2, padding: [1, 2], groups: 2 },
    bias: true,
  },
  {
    n: 2,
    cIn: 3,
    cOut: 3,
    hw: [11, 10],
    k: [3, 3],
    opts: { padding: 3, dilation: [3, 2], groups: 3 },
    bias: true,
  },
  { n: 1, cIn: 5, cOut: 4, hw: [6, 7], k: [1, 1], opts: { stride: [2, 1] }, bias: true },
  {
    n: 2,
    cIn: 2,
    cOut: 4,
    hw: [7, 9],
    k: [2, 3],
    opts: { stride: [1, 2], dilation: 2, padding: [0, 1] },
    bias: false,
  },
];

function refOf(c: Case): RefConv {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = c.opts;
  const two = (v: number | readonly [number, number]): [number, number] =>
    typeof v === 'number' ? [v, v] : [v[0], v[1]];
  return {
    batch: c.n,
    cIn: c.cIn,
    inH: c.hw[0],
    inW: c.hw[1],
    cOut: c.cOut,
    kH: c.k[0],
    kW: c.k[1],
    groups,
    stride: two(stride),
    pad: two(padding),
    dil: two(dilation),
  };
}

const convCase = (c: Case): ConvCase => ({ ref: refOf(c), mode: 'conv', dims: 2, bias: c.bias });

describe.skipIf(!gpu)('conv2d', () => {
  afterAll(() => gpu?.flush());

  for (const c of cases) {
    it(`output and gradients match the CPU reference for ${JSON.stringify(c)}`, async () => {
      await checkConv(gpu!, (x, w, b) => conv2d(x, w, b, c.opts), convCase(c));
    });
  }

  // both forward kernels, whatever the profile picks: naive is version 1
  for (const variant of ['naive', 'register'] as Conv2dVariant[]) {
    it(`${variant} forward kernel matches the CPU reference on every case`, async () => {
      for (const [i, c] of cases.entries()) {
        const ref = refOf(c);
        const xd = randomArray(c.n * c.cIn * c.hw[0] * c.hw[1], 40 + i);
        const groups = c.opts.groups ?? 1;
        const wd = randomArray(c.cOut * (c.cIn / groups) * c.k[0] * c.k[1], 50 + i);
        const bd = c.bias ? randomArray(c.cOut, 60 + i) : null;
        const x = tensor(gpu!, xd, [c.n, c.cIn, ...c.hw]);
        const w = tensor(gpu!, wd, [c.cOut, c.cIn / groups, ...c.k]);
        const b = bd ? tensor(gpu!, bd, [c.cOut]) : null;
        const geom = validateConv2d(x, w, b, c.opts);
        const out = runConv2d(geom, x, w, b, undefined, variant);
        const expected = convReference(ref, xd, wd, bd);
        expect(closeness(await out.read(), expected, 1e-5, 1e-4), `case ${i}`).toBeLessThanOrEqual(
          1,
        );
        for (const t of [x, w, b, out]) t?.dispose();
      }
    });
  }

  it('register kernel handles more than 4 output channels per group and wide rows', async () => {
    const c: Case = {
      n: 2,
      cIn: 3,
      cOut: 10,
      hw: [4, 13],
      k: [3, 3],
      opts: { padding: 1 },
      bias: true,
    };
    const xd = randomArray(2 * 3 * 4 * 13, 71);
    const wd = randomArray(10 * 3 * 9, 72);
    const bd = randomArray(10, 73);
    const x = tensor(gpu!, xd, [2, 3, 4, 13]);
    const w = tensor(gpu!, wd, [10, 3, 3, 3]);
    const b = tensor(gpu!, bd, [10]);
    const out = runConv2d(validateConv2d(x, w, b, c.opts), x, w, b, undefined, 'register');
    expect(closeness(await out.read(), convReference(refOf(c), xd, wd, bd))).toBeLessThanOrEqual(1);
  });

  it('gradients agree with finite differences (stride 2, groups 2, uneven padding)', async () => {
    const c = cases[1];
    await checkConvFiniteDifferences(gpu!, (x, w, b) => conv2d(x, w, b, c.opts), convCase(c));
  });

  it('rejects bad shapes and options with the values in the message', () => {
    const x = tensor(gpu!, randomArray(4 * 5 * 5), [1, 4, 5, 5]);
    const w = tensor(gpu!, randomArray(2 * 4 * 9), [2, 4, 3, 3]);
    expect(() => conv2d(x, w, null, { groups: 2 })).toThrow(/expected Cin\/groups = 2, got 4/);
    expect(() => conv2d(x, w, null, { dilation: [1, 3] })).toThrow(/output would be empty/);
    expect(() => conv2d(x, w, null, { padding: [-1, 0] })).toThrow(/padding must be integers >= 0/);
    expect(() => conv2d(tensor(gpu!, randomArray(4), [4, 1]), w, null)).toThrow(/x must be rank 4/);
  });
});
