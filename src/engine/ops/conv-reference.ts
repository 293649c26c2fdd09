// Test-only float64 references for the conv kernels, written from PyTorch's
// definitions and independent of the engine: one loop nest enumerates every
// (output position, tap, input position) triple of a convolution; forward,
// transposed conv and both gradients are sums over those triples.

/** A convolution in 2-D form (1-D: inH = outH = kH = 1), as PyTorch Conv2d sees it. */
export interface RefConv {
  batch: number;
  cIn: number;
  inH: number;
  inW: number;
  cOut: number;
  kH: number;
  kW: number;
  groups: number;
  stride: [number, number];
  pad: [number, number];
  dil: [number, number];
  /** output size; PyTorch's formula unless given (a transposed conv fixes it) */
  outH?: number;
  outW?: number;
}

const outSize = (size: number, k: number, s: number, p: number, d: number): number =>
  Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

export function refOutShape(c: RefConv): [number, number] {
  return [
    c.outH ?? outSize(c.inH, c.kH, c.stride[0], c.pad[0], c.dil[0]),
    c.outW ?? outSize(c.inW, c.kW, c.stride[1], c.pad[1], c.dil[1]),
  ];
}

/** Calls fn(xIndex, yIndex, wIndex) for every product x * w that feeds y. */
export function forEachTap(c: RefConv, fn: (xi: number, yi: number, wi: number) => void): void {
  const [outH, outW] = refOutShape(c);
  const cinG = c.cIn / c.groups;
  const coutG = c.cOut / c.groups;
  for (let n = 0; n < c.batch; n++) {
    for (let co = 0; co < c.cOut; co++) {
      const g = Math.floor(co / coutG);
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const yi = ((n * c.cOut + co) * outH + oy) * outW + ox;
          for (let cl = 0; cl < cinG; cl++) {
            const ci = g * cinG + cl;
            for (let ky = 0; ky < c.kH; ky++) {
              const iy = oy * c.stride[0] - c.pad[0] + ky * c.dil[0];
              if (iy < 0 || iy >= c.inH) continue;
              for (let kx = 0; kx < c.kW; kx++) {
                const ix = ox * c.stride[1] - c.pad[1] + kx * c.dil[1];
                if (ix < 0 || ix >= c.inW) continue;
                const xi = ((n * c.cIn + ci) * c.inH + iy) * c.inW + ix;
                const wi = ((co * cinG + cl) * c.kH + ky) * c.kW + kx;
                fn(xi, yi, wi);
              }
            }
          }
        }
      }
    }
  }
}

/** y = conv(x, w) + bias, shape [batch, cOut, outH, outW]. */
export function convReference(
  c: RefConv,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
): Float64Array {
  const [outH, outW] = refOutShape(c);
  const y = new Float64Array(c.batch * c.cOut * outH * outW);
  if (bias) y.forEach((_, i) => (y[i] = bias[Math.floor(i / (outH * outW)) % c.cOut]));
  forEachTap(c, (xi, yi, wi) => (y[yi] += x[xi] * w[wi]));
  return y;
}

/**
 * The transpose of conv `c` applied to dy (its input gradient), plus a bias
 * over cIn: also PyTorch ConvTranspose's forward, whose input is dy here.
 */
export function convTransposeReference(
  c: RefConv,
  dy: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
): Float64Array {
  const plane = c.inH * c.inW;
  const x = new Float64Array(c.batch * c.cIn * plane);
  if (bias) x.forEach((_, i) => (x[i] = bias[Math.floor(i / plane) % c.cIn]));
  forEachTap(c, (xi, yi, wi) => (x[xi] += dy[yi] * w[wi]));
  return x;
}

/** dW of conv `c`: sum of dy * x over batch and positions. */
export function convWeightGradReference(
  c: RefConv,
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
): Float64Array {
  const gw = new Float64Array((c.cOut * c.cIn * c.kH * c.kW) / c.groups);
  forEachTap(c, (xi, yi, wi) => (gw[wi] += dy[yi] * x[xi]));
  return gw;
}

/** db[c] = sum of dy[n, c, ...] for dy [batch, channels, ...spatial]. */
export function biasGradReference(
  dy: ArrayLike<number>,
  batch: number,
  channels: number,
): Float64Array {
  const spatial = dy.length / (batch * channels);
  const gb = new Float64Array(channels);
  for (let i = 0; i < dy.length; i++) gb[Math.floor(i / spatial) % channels] += dy[i];
  return gb;
}

/** sum_i a[i] * b[i] in float64 (the scalar loss of finite-difference checks). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
