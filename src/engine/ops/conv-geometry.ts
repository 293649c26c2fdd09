import { assert } from '../assert';
import { packUniform } from '../gpu';
import { shapeText, type Tensor } from '../tensor';

/**
 * The index relation of one convolution, shared by every conv kernel: input x
 * [batch, cIn, inH, inW], output y [batch, cOut, outH, outW], weights
 * [cOut, cIn/groups, kH, kW], and y[o] reads x[o*stride - pad + k*dil]. A
 * transposed conv is described by the conv it transposes (its output is `x`
 * here, its input is `y`); 1-D convs have inH = outH = kH = 1.
 */
export interface ConvGeometry {
  batch: number;
  cIn: number;
  inH: number;
  inW: number;
  cOut: number;
  outH: number;
  outW: number;
  groups: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilH: number;
  dilW: number;
}

/** A per-axis option: one number for both axes, or [h, w]. */
export type Pair = number | readonly [number, number];

/** Validated [h, w] of an option (integers >= min). */
export function pair(
  op: string,
  name: string,
  value: Pair | undefined,
  fallback: number,
  min: number,
): [number, number] {
  const v: [number, number] =
    value === undefined
      ? [fallback, fallback]
      : typeof value === 'number'
        ? [value, value]
        : [value[0], value[1]];
  assert(
    v.every((d) => Number.isInteger(d) && d >= min),
    () => `${op}: ${name} must be integers >= ${min} (got ${JSON.stringify(value)})`,
  );
  return v;
}

/** Validated single-axis option (integer >= min). */
export function single(
  op: string,
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
): number {
  const v = value ?? fallback;
  assert(
    Number.isInteger(v) && v >= min,
    () => `${op}: ${name} must be an integer >= ${min} (got ${v})`,
  );
  return v;
}

/** out = floor((in + 2 pad - dil (k - 1) - 1) / stride) + 1, PyTorch's Conv output size. */
export function convOutSize(
  size: number,
  k: number,
  stride: number,
  pad: number,
  dil: number,
): number {
  return Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
}

/** out = (in - 1) stride - 2 pad + dil (k - 1) + outPad + 1, as PyTorch's ConvTranspose. */
export function convTransposeOutSize(
  size: number,
  k: number,
  stride: number,
  pad: number,
  outPad: number,
  dil: number,
): number {
  return (size - 1) * stride - 2 * pad + dil * (k - 1) + outPad + 1;
}

/** Checks the rank of a conv operand, with the layout in the message. */
export function assertRank(op: string, name: string, t: Tensor, layout: string): void {
  const rank = layout.split(',').length;
  assert(
    t.rank === rank,
    () => `${op}: ${name} must be rank ${rank} [${layout}] (got ${shapeText(t.shape)})`,
  );
}

/** Checks groups against channel counts and the bias shape. */
export function assertChannels(
  op: string,
  groups: number,
  cIn: number,
  cOut: number,
  bias: Tensor | null,
  biasSize: number,
): void {
  assert(
    cIn % groups === 0 && cOut % groups === 0,
    () =>
      `${op}: channels must divide by groups ` +
      `(expected multiples of ${groups}, got in ${cIn}, out ${cOut})`,
  );
  if (bias) {
    assert(
      bias.rank === 1 && bias.size === biasSize,
      () => `${op}: bias shape (expected [${biasSize}], got ${shapeText(bias.shape)})`,
    );
  }
}

/** The uniform of conv2d, conv-transpose2d and conv2d-weight-grad (field order of their Params). */
export function packConvGeometry(g: ConvGeometry, hasBias: boolean): ArrayBuffer {
  return packUniform([
    g.batch,
    g.cIn,
    g.inH,
    g.inW,
    g.cOut,
    g.outH,
    g.outW,
    g.groups,
    g.kH,
    g.kW,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilH,
    g.dilW,
    hasBias ? 1 : 0,
  ]);
}

/** The uniform of the 1-D kernels (conv1d, conv1d-tiled, conv1d-weight-grad), height 1. */
export function packConv1dGeometry(g: ConvGeometry, hasBias: boolean): ArrayBuffer {
  return packUniform([
    g.batch,
    g.cIn,
    g.inW,
    g.cOut,
    g.outW,
    g.kW,
    g.strideW,
    g.padW,
    g.dilW,
    g.groups,
    hasBias ? 1 : 0,
  ]);
}

/** A 1-D conv as a geometry of height 1. */
export function geometry1d(
  batch: number,
  cIn: number,
  inLen: number,
  cOut: number,
  outLen: number,
  groups: number,
  k: number,
  stride: number,
  pad: number,
  dil: number,
): ConvGeometry {
  return {
    batch,
    cIn,
    inH: 1,
    inW: inLen,
    cOut,
    outH: 1,
    outW: outLen,
    groups,
    kH: 1,
    kW: k,
    strideH: 1,
    strideW: stride,
    padH: 0,
    padW: pad,
    dilH: 1,
    dilW: dil,
  };
}
