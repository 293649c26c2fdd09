import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { convTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d';
import { checkConv, checkConvFiniteDifferences, type ConvCase } from './conv-check';
import type { RefConv } from './conv-reference';

const gpu = await testGpu();

interface Case {
  n: number;
  cIn: number;
  cOut: number;
  hw: [number, number];
  k: [number, number];
  opts: ConvTranspose2dOptions;
  bias: boolean;
}

const cases: Case[] = [
  { n: 1, cIn: 2, cOut: 3, hw: [4, 5], k: [3, 3], opts: {}, bias: false },
  {
    n: 2,
    cIn: 4,
    cOut: 6,
    hw: [5, 4],
    k: [3, 2],
    opts: { stride: 2, padding: [1, 0], outputPadding: [1, 0], groups: 2 },
    bias: true,
  },
  {
    n: 2,
    cIn: 3,
    cOut: 3,
    hw: [5, 6],
    k: [3, 3],
    opts: { stride: [2, 3], padding: 2, dilation: [3, 2], groups: 3 },
    bias: true,
  },
  {
    n: 1,
    cIn: 5,
    cOut: 4,
    hw: [3, 4],
    k: [1, 1],
    opts: { stride: 2, outputPadding: 1 },
    bias: true,
  },
  {
    n: 1,
    cIn: 2,
    cOut: 2,
    hw: [4, 3],
    k: [2, 2],
    opts: { dilation: 3, outputPadding: 2 },
    bias: false,
  },
];

function refOf(c: Case): RefConv {
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = c.opts;
  const two = (v: number | readonly [number, number]): [number, number] =>
    typeof v === 'number' ? [v, v] : [v[0], v[1]];
  const [s, p, op, d] = [two(stride), two(padding), two(outputPadding), two(dilation)];
  const out = (i: 0 | 1) => (c.hw[i] - 1) * s[i] - 2 * p[i] + d[i] * (c.k[i] - 1) + op[i] + 1;
  // the conv that this op transposes: from our output back to our input
  return {
    batch: c.n,
    cIn: c.cOut,
    inH: out(0),
    inW: out(1),
    cOut: c.cIn,
    kH: c.k[0],
    kW: c.k[1],
    groups,
    stride: s,
    pad: p,
    dil: d,
    outH: c.hw[0],
    outW: c.hw[1],
  };
}

const convCase = (c: Case): ConvCase => ({
  ref: refOf(c),
  mode: 'transpose',
  dims: 2,
  bias: c.bias,
});

describe.skipIf(!gpu)('convTranspose2d', () => {
  afterAll(() => gpu?.flush());

  for (const c of cases) {
    it(`output and gradients match the CPU reference for ${JSON.stringify(c)}`, async () => {
      await checkConv(gpu!, (x, w, b) => convTranspose2d(x, w, b, c.opts), convCase(c));
    });
  }

  it('gradients agree with finite differences (stride 2, output padding, groups 2)', async () => {
    const c = cases[1];
    await checkConvFiniteDifferences(
      gpu!,
      (x, w, b) => convTranspose2d(x, w, b, c.opts),
      convCase(c),
    );
  });

  it('rejects bad shapes and options with the values in the message', () => {
    const x = tensor(gpu!, randomArray(4 * 9), [1, 4, 3, 3]);
    const w = tensor(gpu!, randomArray(4 * 2 * 9), [4, 2, 3, 3]);
    expect(() => convTranspose2d(x, w, null, { outputPadding: 1 })).toThrow(
      /outputPadding must be smaller/,
    );
    expect(() => convTranspose2d(x, w, null, { groups: 3 })).toThrow(
      /channels must divide by groups/,
    );
    const w3 = tensor(gpu!, randomArray(3 * 2 * 9), [3, 2, 3, 3]);
    expect(() => convTranspose2d(x, w3, null)).toThrow(
      /weight input channels \(expected 4, got 3\)/,
    );
    expect(() => convTranspose2d(x, w, null, { padding: 3 })).toThrow(/output would be empty/);
  });
});
