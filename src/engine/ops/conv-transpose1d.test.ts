import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { convTranspose1d, type ConvTranspose1dOptions } from './conv-transpose1d';
import { checkConv, checkConvFiniteDifferences, type ConvCase } from './conv-check';
import type { RefConv } from './conv-reference';

const gpu = await testGpu();

interface Case {
  n: number;
  cIn: number;
  cOut: number;
  len: number;
  k: number;
  opts: ConvTranspose1dOptions;
  bias: boolean;
}

const cases: Case[] = [
  { n: 1, cIn: 3, cOut: 5, len: 7, k: 3, opts: {}, bias: true },
  {
    n: 2,
    cIn: 4,
    cOut: 6,
    len: 9,
    k: 4,
    opts: { stride: 2, padding: 1, outputPadding: 1, groups: 2 },
    bias: true,
  },
  {
    n: 2,
    cIn: 6,
    cOut: 6,
    len: 8,
    k: 3,
    opts: { stride: 3, padding: 2, dilation: 2, groups: 6 },
    bias: true,
  },
  { n: 1, cIn: 7, cOut: 9, len: 6, k: 1, opts: { stride: 2 }, bias: true },
  {
    n: 2,
    cIn: 8,
    cOut: 12,
    len: 13,
    k: 5,
    opts: { padding: 3, dilation: 3, outputPadding: 2 },
    bias: false,
  },
  // the vocoder's upsampler shape: kernel twice the stride
  { n: 1, cIn: 8, cOut: 8, len: 10, k: 8, opts: { stride: 4, padding: 2 }, bias: true },
];

function refOf(c: Case): RefConv {
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = c.opts;
  const outLen = (c.len - 1) * stride - 2 * padding + dilation * (c.k - 1) + outputPadding + 1;
  return {
    batch: c.n,
    cIn: c.cOut,
    inH: 1,
    inW: outLen,
    cOut: c.cIn,
    kH: 1,
    kW: c.k,
    groups,
    stride: [1, stride],
    pad: [0, padding],
    dil: [1, dilation],
    outH: 1,
    outW: c.len,
  };
}

const convCase = (c: Case): ConvCase => ({
  ref: refOf(c),
  mode: 'transpose',
  dims: 1,
  bias: c.bias,
});

describe.skipIf(!gpu)('convTranspose1d', () => {
  afterAll(() => gpu?.flush());

  for (const c of cases) {
    it(`output and gradients match the CPU reference for ${JSON.stringify(c)}`, async () => {
      await checkConv(gpu!, (x, w, b) => convTranspose1d(x, w, b, c.opts), convCase(c));
    });
  }

  it('gradients agree with finite differences (stride 2, output padding, groups 2)', async () => {
    const c = cases[1];
    await checkConvFiniteDifferences(
      gpu!,
      (x, w, b) => convTranspose1d(x, w, b, c.opts),
      convCase(c),
    );
  });

  it('rejects bad shapes and options with the values in the message', () => {
    const x = tensor(gpu!, randomArray(4 * 5), [1, 4, 5]);
    const w = tensor(gpu!, randomArray(4 * 2 * 3), [4, 2, 3]);
    expect(() => convTranspose1d(x, w, null, { stride: 2, outputPadding: 2 })).toThrow(
      /outputPadding must be smaller than stride or dilation \(got 2\)/,
    );
    expect(() => convTranspose1d(x, w, tensor(gpu!, [1, 2], [2]), { groups: 2 })).toThrow(
      /bias shape \(expected \[4\], got \[2\]\)/,
    );
    expect(() => convTranspose1d(x, w, null, { padding: 4 })).toThrow(/output would be empty/);
  });
});
