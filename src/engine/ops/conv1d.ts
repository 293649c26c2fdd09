// conv1d: forward by a naive kernel (shaders/conv1d.wgsl, version 1) or a
// register-tiled one (conv1d-tiled.wgsl), picked by gpu.profile.conv.conv1d.
// Backward with 'register': input gradient (stride 1) as a tiled conv1d with
// flipped weights, weight gradient by conv1d-weight-grad.wgsl; otherwise, and
// for strides > 1, the 2-D kernels at height 1 (conv-transpose2d.wgsl,
// conv2d-weight-grad.wgsl).
import naiveCode from '../../../shaders/conv1d.wgsl?raw';
import tiledCode from '../../../shaders/conv1d-tiled.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { runConv2dBiasGrad } from './conv2d-bias-grad';
import { runConv1dFlipWeights } from './conv1d-flip-weights';
import { runConv1dWeightGrad } from './conv1d-weight-grad';
import {
  assertChannels,
  assertRank,
  convOutSize,
  geometry1d,
  packConv1dGeometry,
  single,
  type ConvGeometry,
} from './conv-geometry';
import { runConvTranspose2d } from './conv-transpose2d';

export interface Conv1dOptions {
  /** step between output positions; default 1 */
  stride?: number;
  /** zeros added on both ends; default 0 */
  padding?: number;
  /** spacing between kernel taps; default 1 */
  dilation?: number;
  /** channel groups (Cin and Cout both divide by it); default 1 */
  groups?: number;
}

export type Conv1dVariant = 'naive' | 'register';

const MAX_GROUPS_PER_DIM = 65535;
/** time steps per invocation of conv1d-tiled.wgsl (its TimeTile); channels per invocation are 4 */
const TIME_TILE = 8;

/**
 * Shapes: x [N, Cin, L], w [Cout, Cin/groups, K], bias [Cout] or null.
 * Returns the conv as a geometry of height 1.
 */
export function validateConv1d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: Conv1dOptions = {},
): ConvGeometry {
  const op = 'conv1d';
  assertRank(op, 'x', x, 'N, Cin, L');
  assertRank(op, 'weight', w, 'Cout, Cin/groups, K');
  const stride = single(op, 'stride', opts.stride, 1, 1);
  const pad = single(op, 'padding', opts.padding, 0, 0);
  const dil = single(op, 'dilation', opts.dilation, 1, 1);
  const groups = single(op, 'groups', opts.groups, 1, 1);
  const [batch, cIn, len] = x.shape;
  const [cOut, wIn, k] = w.shape;
  assert(k > 0 && cOut > 0, () => `${op}: empty weight ${shapeText(w.shape)}`);
  assertChannels(op, groups, cIn, cOut, bias, cOut);
  assert(
    wIn * groups === cIn,
    () => `${op}: weight input channels (expected Cin/groups = ${cIn / groups}, got ${wIn})`,
  );
  const outLen = convOutSize(len, k, stride, pad, dil);
  assert(
    outLen > 0,
    () =>
      `${op}: output would be empty ` +
      `(expected positive length, got ${outLen} from L ${len}, K ${k})`,
  );
  return geometry1d(batch, cIn, len, cOut, outLen, groups, k, stride, pad, dil);
}

export function createConv1dProgram(
  gpu: Gpu,
  variant: Conv1dVariant = gpu.profile.conv.conv1d,
): { kernel: KernelSpec; variant: Conv1dVariant } {
  const { WorkgroupSize, WorkgroupX, WorkgroupY } = gpu.profile.conv;
  if (variant === 'register') {
    return {
      kernel: { name: 'conv1d-tiled', code: tiledCode, overrides: { WorkgroupX, WorkgroupY } },
      variant,
    };
  }
  return { kernel: { name: 'conv1d', code: naiveCode, overrides: { WorkgroupSize } }, variant };
}

/**
 * Dispatches the 1-D conv `geom` (height 1; no autograd, shapes trusted).
 * Also the input gradient of convTranspose1d. `variant` overrides the profile.
 * @returns a new tensor [batch, cOut, outW] viewed as `outShape`
 */
export function runConv1d(
  geom: ConvGeometry,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  outShape: readonly number[] = [geom.batch, geom.cOut, geom.outW],
  variant?: Conv1dVariant,
): Tensor {
  const gpu = x.gpu;
  const out = empty(gpu, outShape, 'conv1d.out');
  if (out.size === 0) return out;
  const program = createConv1dProgram(gpu, variant);
  const uniform = packConv1dGeometry(geom, bias !== null);
  // NOTE: without a bias the weights stand in (read-only aliasing is valid)
  const buffers = [x.buffer, w.buffer, (bias ?? w).buffer, out.buffer];
  if (program.variant === 'naive') {
    const { WorkgroupSize } = gpu.profile.conv;
    gpu.dispatch({
      kernel: program.kernel,
      buffers,
      uniform,
      workgroups: grid1d(out.size, WorkgroupSize),
    });
    return out;
  }
  const { WorkgroupX, WorkgroupY } = gpu.profile.conv;
  const tilesPerGroup = Math.ceil(geom.cOut / geom.groups / 4);
  const workgroups: [number, number, number] = [
    Math.ceil(geom.outW / TIME_TILE / WorkgroupX),
    Math.ceil((geom.groups * tilesPerGroup) / WorkgroupY),
    geom.batch,
  ];
  assert(
    workgroups.every((d) => d <= MAX_GROUPS_PER_DIM),
    () =>
      `conv1d: grid too large for one dispatch (got ${workgroups.join('x')} workgroups; ` +
      `TODO: split long sequences or batches)`,
  );
  gpu.dispatch({ kernel: program.kernel, buffers, uniform, workgroups });
  return out;
}

/**
 * The transpose of the 1-D conv `geom`: from `dy` [batch, cOut, outW] to
 * [batch, cIn, inW], plus a bias over cIn (no autograd, shapes trusted). The
 * input gradient of conv1d and the forward pass of convTranspose1d. With
 * stride 1 and the register variant it runs as a conv1d on flipped weights:
 *   dx[i] = sum_k dy[i + pad - k dil] w[k] = sum_k' dy[i - pad' + k' dil] w[K-1-k'],
 * pad' = dil (K-1) - pad; otherwise on conv-transpose2d.wgsl.
 */
export function runConv1dTranspose(
  geom: ConvGeometry,
  dy: Tensor,
  w: Tensor,
  bias: Tensor | null,
  outShape: readonly number[] = [geom.batch, geom.cIn, geom.inW],
  variant: Conv1dVariant = dy.gpu.profile.conv.conv1d,
): Tensor {
  const reach = geom.dilW * (geom.kW - 1);
  if (variant === 'naive' || geom.strideW !== 1 || geom.padW > reach) {
    return runConvTranspose2d(geom, dy, w, bias, outShape);
  }
  const flipped = runConv1dFlipWeights(geom, w);
  const { batch, cIn, inW, cOut, outW, groups, kW, dilW, padW } = geom;
  const asConv = geometry1d(batch, cOut, outW, cIn, inW, groups, kW, 1, reach - padW, dilW);
  const out = runConv1d(asConv, dy, flipped, bias, outShape, variant);
  flipped.dispose();
  return out;
}

/**
 * Differentiable 1-D convolution with PyTorch `F.conv1d` semantics ([N, C, L], f32).
 * Gradients flow to x, w and bias. See `validateConv1d` for shapes.
 * @returns a new tensor [N, Cout, Lout], Lout = floor((L + 2p - d(K-1) - 1)/s) + 1
 */
export function conv1d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: Conv1dOptions = {},
): Tensor {
  const geom = validateConv1d(x, w, bias, opts);
  const out = runConv1d(geom, x, w, bias);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'conv1d', inputs, (g) =>
    noGrad(() => [
      x.requiresGrad ? runConv1dTranspose(geom, g, w, null, x.shape) : null,
      w.requiresGrad ? runConv1dWeightGrad(geom, x, g, w.shape) : null,
      bias?.requiresGrad ? runConv2dBiasGrad(g) : null,
    ]),
  );
}
