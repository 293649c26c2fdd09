// convTranspose2d: direct kernel (shaders/conv-transpose2d.wgsl), the adjoint
// of conv2d. Backward: input gradient by the conv2d kernel, weight gradient by
// conv2d-weight-grad.wgsl with the roles of input and output swapped.
import body from '../../../shaders/conv-transpose2d.wgsl?raw';
import convParams from '../../../shaders/lib/conv-params.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { runConv2d } from './conv2d';
import { runConv2dBiasGrad } from './conv2d-bias-grad';
import { runConv2dWeightGrad } from './conv2d-weight-grad';
import {
  assertChannels,
  assertRank,
  convTransposeOutSize,
  packConvGeometry,
  pair,
  single,
  type ConvGeometry,
  type Pair,
} from './conv-geometry';

const code = convParams + body;

export interface ConvTranspose2dOptions {
  /** default 1 */
  stride?: Pair;
  /** trims this many rows/columns from each side of the full output; default 0 */
  padding?: Pair;
  /** extra rows/columns on the bottom/right; must be < stride or < dilation; default 0 */
  outputPadding?: Pair;
  /** default 1 */
  dilation?: Pair;
  /** default 1 */
  groups?: number;
}

/**
 * Shapes: x [N, Cin, H, W], w [Cin, Cout/groups, KH, KW], bias [Cout] or null.
 * Returns the geometry of the conv this op transposes (its `x` is our output).
 */
export function validateConvTranspose2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: ConvTranspose2dOptions = {},
): ConvGeometry {
  const op = 'convTranspose2d';
  assertRank(op, 'x', x, 'N, Cin, H, W');
  assertRank(op, 'weight', w, 'Cin, Cout/groups, KH, KW');
  const [strideH, strideW] = pair(op, 'stride', opts.stride, 1, 1);
  const [padH, padW] = pair(op, 'padding', opts.padding, 0, 0);
  const [opH, opW] = pair(op, 'outputPadding', opts.outputPadding, 0, 0);
  const [dilH, dilW] = pair(op, 'dilation', opts.dilation, 1, 1);
  const groups = single(op, 'groups', opts.groups, 1, 1);
  assert(
    (opH < strideH || opH < dilH) && (opW < strideW || opW < dilW),
    () => `${op}: outputPadding must be smaller than stride or dilation (got ${opH}, ${opW})`,
  );
  const [batch, cIn, h, wd] = x.shape;
  const [wIn, wOut, kH, kW] = w.shape;
  assert(kH > 0 && kW > 0 && wOut > 0, () => `${op}: empty weight ${shapeText(w.shape)}`);
  assert(wIn === cIn, () => `${op}: weight input channels (expected ${cIn}, got ${wIn})`);
  const cOut = wOut * groups;
  assertChannels(op, groups, cIn, cOut, bias, cOut);
  const outH = convTransposeOutSize(h, kH, strideH, padH, opH, dilH);
  const outW = convTransposeOutSize(wd, kW, strideW, padW, opW, dilW);
  assert(
    outH > 0 && outW > 0,
    () => `${op}: output would be empty (expected positive size, got ${outH}x${outW})`,
  );
  // the transposed conv maps our output (its x) back to our input (its y)
  return {
    batch,
    cIn: cOut,
    inH: outH,
    inW: outW,
    cOut: cIn,
    outH: h,
    outW: wd,
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

export function createConvTranspose2dProgram(gpu: Gpu): KernelSpec {
  return {
    name: 'conv-transpose2d',
    code,
    overrides: { WorkgroupSize: gpu.profile.conv.WorkgroupSize },
  };
}

/**
 * Dispatches the transpose of the conv `geom`: from `dy` [batch, cOut, outH,
 * outW] to [batch, cIn, inH, inW] (no autograd, shapes trusted). The input
 * gradient of conv1d/conv2d and the forward pass of the transposed convs.
 */
export function runConvTranspose2d(
  geom: ConvGeometry,
  dy: Tensor,
  w: Tensor,
  bias: Tensor | null,
  outShape: readonly number[] = [geom.batch, geom.cIn, geom.inH, geom.inW],
): Tensor {
  const gpu = dy.gpu;
  const out = empty(gpu, outShape, 'conv-transpose2d.out');
  if (out.size === 0) return out;
  gpu.dispatch({
    kernel: createConvTranspose2dProgram(gpu),
    // NOTE: without a bias the weights stand in (read-only aliasing is valid)
    buffers: [dy.buffer, w.buffer, (bias ?? w).buffer, out.buffer],
    uniform: packConvGeometry(geom, bias !== null),
    workgroups: grid1d(out.size, gpu.profile.conv.WorkgroupSize),
  });
  return out;
}

/**
 * Differentiable 2-D transposed convolution, PyTorch `F.conv_transpose2d`
 * semantics (NCHW, f32). Gradients flow to x, w and bias.
 * @returns a new tensor [N, Cout, OH, OW], OH = (H-1)s - 2p + d(KH-1) + outputPadding + 1
 */
export function convTranspose2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: ConvTranspose2dOptions = {},
): Tensor {
  const geom = validateConvTranspose2d(x, w, bias, opts);
  const out = runConvTranspose2d(geom, x, w, bias);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'convTranspose2d', inputs, (g) =>
    noGrad(() => [
      x.requiresGrad ? runConv2d(geom, g, w, null, x.shape) : null,
      w.requiresGrad ? runConv2dWeightGrad(geom, g, x, w.shape) : null,
      bias?.requiresGrad ? runConv2dBiasGrad(g) : null,
    ]),
  );
}
