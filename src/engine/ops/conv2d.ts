// conv2d: direct kernel (shaders/conv2d.wgsl), not im2col + matmul: simpler,
// and no [Cin*KH*KW, OH*OW] scratch buffer. Backward: input gradient by the
// transposed-conv kernel, weight gradient by conv2d-weight-grad.wgsl.
import code from '../../../shaders/conv2d.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { runConv2dBiasGrad } from './conv2d-bias-grad';
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

export function createConv2dProgram(gpu: Gpu): KernelSpec {
  return { name: 'conv2d', code, overrides: { WorkgroupSize: gpu.profile.conv.WorkgroupSize } };
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
): Tensor {
  const gpu = x.gpu;
  const out = empty(gpu, outShape, 'conv2d.out');
  if (out.size === 0) return out;
  gpu.dispatch({
    kernel: createConv2dProgram(gpu),
    // NOTE: without a bias the weights stand in (read-only aliasing is valid)
    buffers: [x.buffer, w.buffer, (bias ?? w).buffer, out.buffer],
    uniform: packConvGeometry(geom, bias !== null),
    workgroups: grid1d(out.size, gpu.profile.conv.WorkgroupSize),
  });
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
      x.requiresGrad ? runConvTranspose2d(geom, g, w, null, x.shape) : null,
      w.requiresGrad ? runConv2dWeightGrad(geom, x, g, w.shape) : null,
      bias?.requiresGrad ? runConv2dBiasGrad(g) : null,
    ]),
  );
}
