import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { conv2d, type Conv2dOptions } from './conv2d';
import { checkConv, checkConvFiniteDifferences, type ConvCase } from './conv-check';
import type { RefConv } from './conv-reference';

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
