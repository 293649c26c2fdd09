import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { resizeBilinear, resizeLinear1d, resizeNearest, resizeNearest1d } from './resize';

const gpu = await testGpu();

type Mode = 'nearest' | 'linear';

/** PyTorch 'nearest' source index: floor(dst * float32(in / out)) in float32, clamped. */
function nearestIndex(dst: number, inSize: number, outSize: number): number {
  const scale = Math.fround(inSize / outSize);
  return Math.min(Math.floor(Math.fround(dst * scale)), inSize - 1);
}

/** Linear taps in float64: [i0, i1, weight of i1]. */
function linearTaps(dst: number, inSize: number, outSize: number, alignCorners: boolean): number[] {
  const src = alignCorners
    ? outSize > 1
      ? (dst * (inSize - 1)) / (outSize - 1)
      : 0
    : Math.max(((dst + 0.5) * inSize) / outSize - 0.5, 0);
  const i0 = Math.min(Math.floor(src), inSize - 1);
  return [i0, Math.min(i0 + 1, inSize - 1), src - i0];
}

/** For each (oy, ox), the list of [iy, ix, weight] it reads. */
function contributions(
  inH: number,
  inW: number,
  oy: number,
  ox: number,
  outH: number,
  outW: number,
  mode: Mode,
  alignCorners: boolean,
): number[][] {
  if (mode === 'nearest') {
    return [[nearestIndex(oy, inH, outH), nearestIndex(ox, inW, outW), 1]];
  }
  const [y0, y1, ly] = linearTaps(oy, inH, outH, alignCorners);
  const [x0, x1, lx] = linearTaps(ox, inW, outW, alignCorners);
  return [
    [y0, x0, (1 - ly) * (1 - lx)],
    [y0, x1, (1 - ly) * lx],
    [y1, x0, ly * (1 - lx)],
    [y1, x1, ly * lx],
  ];
}

/** F.interpolate of x [planes, inH, inW] in float64. */
function resizeReference(
  x: Float32Array,
  planes: number,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
  mode: Mode,
  alignCorners = false,
): Float64Array {
  const out = new Float64Array(planes * outH * outW);
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let s = 0;
        for (const [iy, ix, w] of contributions(inH, inW, oy, ox, outH, outW, mode, alignCorners)) {
          s += w * x[(p * inH + iy) * inW + ix];
        }
        out[(p * outH + oy) * outW + ox] = s;
      }
    }
  }
  return out;
}

/** Input gradient by scattering each output gradient onto what it read. */
function resizeBackwardReference(
  g: Float32Array,
  planes: number,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
  mode: Mode,
  alignCorners = false,
): Float64Array {
  const dx = new Float64Array(planes * inH * inW);
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const go = g[(p * outH + oy) * outW + ox];
        for (const [iy, ix, w] of contributions(inH, inW, oy, ox, outH, outW, mode, alignCorners)) {
          dx[(p * inH + iy) * inW + ix] += w * go;
        }
      }
    }
  }
  return dx;
}

const sizes = [
  { inH: 5, inW: 7, outH: 9, outW: 4 },
  { inH: 3, inW: 3, outH: 8, outW: 8 },
  { inH: 6, inW: 10, outH: 2, outW: 3 },
  { inH: 1, inW: 1, outH: 3, outW: 2 },
  { inH: 4, inW: 5, outH: 4, outW: 1 },
];

const variants: Array<{ mode: Mode; alignCorners: boolean }> = [
  { mode: 'nearest', alignCorners: false },
  { mode: 'linear', alignCorners: false },
  { mode: 'linear', alignCorners: true },
];

describe.skipIf(!gpu)('resize', () => {
  afterAll(() => gpu?.flush());

  for (const s of sizes) {
    for (const { mode, alignCorners } of variants) {
      const name = `${mode}${mode === 'linear' ? ` alignCorners=${alignCorners}` : ''}`;
      const title = `${name} ${s.inH}x${s.inW} -> ${s.outH}x${s.outW}`;
      it(`${title} matches the CPU reference with its gradient`, async () => {
        const { inH, inW, outH, outW } = s;
        const [n, c] = [2, 3];
        const planes = n * c;
        const xd = randomArray(planes * inH * inW, 91 + inH);
        const x = tensor(gpu!, xd, [n, c, inH, inW], true);
        const out =
          mode === 'nearest'
            ? resizeNearest(x, outH, outW)
            : resizeBilinear(x, outH, outW, { alignCorners });
        expect(out.shape).toEqual([n, c, outH, outW]);
        const expected = resizeReference(xd, planes, inH, inW, outH, outW, mode, alignCorners);
        expect(closeness(await out.read(), expected)).toBeLessThanOrEqual(1);

        const gd = randomArray(out.size, 92);
        backward(out, tensor(gpu!, gd, out.shape));
        const gx = resizeBackwardReference(gd, planes, inH, inW, outH, outW, mode, alignCorners);
        expect(closeness(await x.grad!.read(), gx)).toBeLessThanOrEqual(1);
      });
    }
  }

  for (const [inL, outL] of [
    [5, 11],
    [8, 3],
  ]) {
    for (const { mode, alignCorners } of variants) {
      const title = `1-D ${mode} alignCorners=${alignCorners} ${inL} -> ${outL}`;
      it(`${title} matches the CPU reference`, async () => {
        const planes = 2 * 2;
        const xd = randomArray(planes * inL, 101 + inL);
        const x = tensor(gpu!, xd, [2, 2, inL], true);
        const out =
          mode === 'nearest' ? resizeNearest1d(x, outL) : resizeLinear1d(x, outL, { alignCorners });
        expect(out.shape).toEqual([2, 2, outL]);
        const expected = resizeReference(xd, planes, 1, inL, 1, outL, mode, alignCorners);
        expect(closeness(await out.read(), expected)).toBeLessThanOrEqual(1);
        const gd = randomArray(out.size, 102);
        backward(out, tensor(gpu!, gd, out.shape));
        const gx = resizeBackwardReference(gd, planes, 1, inL, 1, outL, mode, alignCorners);
        expect(closeness(await x.grad!.read(), gx)).toBeLessThanOrEqual(1);
      });
    }
  }

  it('picks the same pixels and values as PyTorch F.interpolate (golden values)', async () => {
    // produced by torch 1.13: F.interpolate(arange(in), size=out, mode='nearest')
    const golden: Array<[number, number, number[]]> = [
      [5, 9, [0, 0, 1, 1, 2, 2, 3, 3, 4]],
      [7, 4, [0, 1, 3, 5]],
      [3, 8, [0, 0, 0, 1, 1, 1, 2, 2]],
      [14, 20, [0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 9, 10, 11, 11, 12, 13]],
      [13, 6, [0, 2, 4, 6, 8, 10]],
    ];
    for (const [inL, outL, picked] of golden) {
      const x = tensor(
        gpu!,
        Float32Array.from({ length: inL }, (_, i) => i),
        [1, 1, inL],
      );
      expect(Array.from(await resizeNearest1d(x, outL).read())).toEqual(picked);
    }
    // torch 1.13 bilinear of [[0, 1, 4], [9, 16, 25]] to 3x5
    const x = tensor(gpu!, [0, 1, 4, 9, 16, 25], [1, 1, 2, 3]);
    const half = [0, 0.4, 1, 2.8, 4, 4.5, 6.1, 8.5, 12.1, 14.5, 9, 11.8, 16, 21.4, 25];
    const corners = [0, 0.5, 1, 2.5, 4, 4.5, 6.5, 8.5, 11.5, 14.5, 9, 12.5, 16, 20.5, 25];
    expect(closeness(await resizeBilinear(x, 3, 5).read(), half)).toBeLessThanOrEqual(1);
    const aligned = resizeBilinear(x, 3, 5, { alignCorners: true });
    expect(closeness(await aligned.read(), corners)).toBeLessThanOrEqual(1);
  });

  it('bilinear gradient agrees with finite differences', async () => {
    const shape = [2, 1, 3, 4];
    const xd = randomArray(24, 111);
    const gd = randomArray(2 * 5 * 3, 112);
    const x = tensor(gpu!, xd, shape, true);
    backward(resizeBilinear(x, 5, 3), tensor(gpu!, gd, [2, 1, 5, 3]));
    const grad = await x.grad!.read();
    const loss = async (data: Float32Array) => {
      const v = await resizeBilinear(tensor(gpu!, data, shape), 5, 3).read();
      return v.reduce((s, y, i) => s + y * gd[i], 0);
    };
    const eps = 1e-2;
    for (const i of [0, 5, 11, 12, 23]) {
      const plus = xd.slice();
      plus[i] += eps;
      const minus = xd.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('rejects a wrong rank or a non-positive size with the values in the message', () => {
    const x = tensor(gpu!, randomArray(12), [1, 3, 4]);
    expect(() => resizeBilinear(x, 2, 2)).toThrow(
      /resizeBilinear: input must be \[N, C, H, W\] \(got \[1, 3, 4\]\)/,
    );
    expect(() => resizeNearest1d(x, 0)).toThrow(
      /output size must hold positive integers \(got \[0\]\)/,
    );
  });
});
