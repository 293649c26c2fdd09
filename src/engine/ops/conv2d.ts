// conv2d: direct kernels, not im2col + matmul (simpler, and no
// [Cin*KH*KW, OH*OW] scratch buffer): naive (shaders/conv2d.wgsl, version 1)
// or register-tiled (conv2d-tiled.wgsl), picked by gpu.profile.conv.conv2d.
// Backward: input gradient by the transposed-conv kernel, weight gradient by
// conv2d-weight-grad.wgsl.
import naiveBody from '../../../shaders/conv2d.wgsl?raw';
import tiledBody from '../../../shaders/conv2d-tiled.wgsl?raw';
import convParams from '../../../shaders/lib/conv-params.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { runConv2dBiasGrad } from './conv2d-bias-grad';
import { runConv1dFlipWeights } from './conv1d-flip-weights';
import { runConv2dWeightGrad } from './conv2d-weight-grad';
import {
  assertChannels,
  assertRank,
  convOutSize,
  packConvGeometry,
  pair,
  single,
  type ConvGeometry,
  type Pair,
} from './conv-geometry';
import { runConvTranspose2d } from './conv-transpose2d';

const code = convParams + naiveBody;
const tiledCode = convParams + tiledBody;

export interface Conv2dOptions {
  /** step between output positions; default 1 */
  stride?: Pair;
  /** zeros added on both sides of each axis; default 0 */
  padding?: Pair;
  /** spacing between kernel taps; default 1 */
  dilation?: Pair;
  /** channel groups (Cin and Cout both divide by it); default 1 */
  groups?: number;
}

/**
 * Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias [Cout] or null.
 * Throws on rank, channel or group mismatches and on an empty output.
 */
export function validateConv2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: Conv2dOptions = {},
): ConvGeometry {
  const op = 'conv2d';
  assertRank(op, 'x', x, 'N, Cin, H, W');
  assertRank(op, 'weight', w, 'Cout, Cin/groups, KH, KW');
  const [strideH, strideW] = pair(op, 'stride', opts.stride, 1, 1);
  const [padH, padW] = pair(op, 'padding', opts.padding, 0, 0);
  const [dilH, dilW] = pair(op, 'dilation', opts.dilation, 1, 1);
  const groups = single(op, 'groups', opts.groups, 1, 1);
  const [batch, cIn, inH, inW] = x.shape;
  const [cOut, wIn, kH, kW] = w.shape;
  assert(kH > 0 && kW > 0 && cOut > 0, () => `${op}: empty weight ${shapeText(w.shape)}`);
  assertChannels(op, groups, cIn, cOut, bias, cOut);
  assert(
    wIn * groups === cIn,
    () => `${op}: weight input channels (expected Cin/groups = ${cIn / groups}, got ${wIn})`,
  );
  const outH = convOutSize(inH, kH, strideH, padH, dilH);
  const outW = convOutSize(inW, kW, strideW, padW, dilW);
  assert(
    outH > 0 && outW > 0,
    () =>
      `${op}: output would be empty (expected positive size, got ${outH}x${outW} from input ` +
      `${inH}x${inW}, kernel ${kH}x${kW})`,
  );
  return {
    batch,
    cIn,
    inH,
    inW,
    cOut,
    outH,
    outW,
    groups,
    kH,
    kW,
    strideH,
    strideW,
    padH,
    padW,
    dilH,
    dilW,
  };
}

export type Conv2dVariant = 'naive' | 'register';

export function createConv2dProgram(
  gpu: Gpu,
  variant: Conv2dVariant = gpu.profile.conv.conv2d,
): KernelSpec {
  const { WorkgroupSize, WorkgroupX, WorkgroupY } = gpu.profile.conv;
  if (variant === 'register') {
    return { name: 'conv2d-tiled', code: tiledCode, overrides: { WorkgroupX, WorkgroupY } };
  }
  return { name: 'conv2d', code, overrides: { WorkgroupSize } };
}

const MAX_GROUPS_PER_DIM = 65535;

/** Grid of conv2d-tiled.wgsl: column tiles x rows x (batch * channel tiles). */
function tiledGrid(geom: ConvGeometry, gpu: Gpu): [number, number, number] {
  const { WorkgroupX, WorkgroupY } = gpu.profile.conv;
  const tiles = geom.groups * Math.ceil(geom.cOut / geom.groups / 4);
  const grid: [number, number, number] = [
    Math.ceil(geom.outW / 8 / WorkgroupX), // 8 columns per invocation
    Math.ceil(geom.outH / WorkgroupY),
    geom.batch * tiles,
  ];
  assert(
    grid.every((d) => d <= MAX_GROUPS_PER_DIM),
    () => `conv2d: grid too large for one dispatch (got ${grid.join('x')} workgroups)`,
  );
  return grid;
}

/**
 * Dispatches the conv `geom` (no autograd, shapes trusted). Also the input
 * gradient of convTranspose2d.
 * @returns a new tensor [batch, cOut, outH, outW] viewed as `outShape`
 */
export function runConv2d(
  geom: ConvGeometry,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  outShape: readonly number[] = [geom.batch, geom.cOut, geom.outH, geom.outW],
  variant: Conv2dVariant = x.gpu.profile.conv.conv2d,
): Tensor {
  const gpu = x.gpu;
  const out = empty(gpu, outShape, 'conv2d.out');
  if (out.size === 0) return out;
  gpu.dispatch({
    kernel: createConv2dProgram(gpu, variant),
    // NOTE: without a bias the weights stand in (read-only aliasing is valid)
    buffers: [x.buffer, w.buffer, (bias ?? w).buffer, out.buffer],
    uniform: packConvGeometry(geom, bias !== null),
    workgroups:
      variant === 'register'
        ? tiledGrid(geom, gpu)
        : grid1d(out.size, gpu.profile.conv.WorkgroupSize),
  });
  return out;
}

/**
 * Input gradient of the conv `geom`: dy [batch, cOut, outH, outW] -> [batch,
 * cIn, inH, inW]. For stride 1 it is itself a conv of dy with the weights
 * flipped in both axes and channels swapped (the flip of the flattened
 * KH*KW taps reverses both axes), so it runs on the fast forward kernel;
 * other strides use the direct transposed-conv kernel.
 */
export function runConv2dInputGrad(
  geom: ConvGeometry,
  dy: Tensor,
  w: Tensor,
  outShape: readonly number[],
  variant: Conv2dVariant = dy.gpu.profile.conv.conv2d,
): Tensor {
  const reachH = geom.dilH * (geom.kH - 1);
  const reachW = geom.dilW * (geom.kW - 1);
  const direct =
    variant === 'naive' ||
    geom.strideH !== 1 ||
    geom.strideW !== 1 ||
    geom.padH > reachH ||
    geom.padW > reachW;
  if (direct) return runConvTranspose2d(geom, dy, w, null, outShape);
  const flipped = runConv1dFlipWeights({ ...geom, kW: geom.kH * geom.kW }, w);
  const asConv: ConvGeometry = {
    ...geom,
    cIn: geom.cOut,
    inH: geom.outH,
    inW: geom.outW,
    cOut: geom.cIn,
    outH: geom.inH,
    outW: geom.inW,
    padH: reachH - geom.padH,
    padW: reachW - geom.padW,
  };
  const out = runConv2d(asConv, dy, flipped, null, outShape, variant);
  flipped.dispose();
  return out;
}

/**
 * Differentiable 2-D convolution with PyTorch `F.conv2d` semantics (NCHW, f32).
 * Gradients flow to x, w and bias. See `validateConv2d` for shapes.
 * @returns a new tensor [N, Cout, OH, OW], OH = floor((H + 2p - d(KH-1) - 1)/s) + 1
 */
export function conv2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: Conv2dOptions = {},
): Tensor {
  const geom = validateConv2d(x, w, bias, opts);
  const out = runConv2d(geom, x, w, bias);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'conv2d', inputs, (g) =>
    noGrad(() => [
      x.requiresGrad ? runConv2dInputGrad(geom, g, w, x.shape) : null,
      w.requiresGrad ? runConv2dWeightGrad(geom, x, g, w.shape) : null,
      bias?.requiresGrad ? runConv2dBiasGrad(g) : null,
    ]),
  );
}
