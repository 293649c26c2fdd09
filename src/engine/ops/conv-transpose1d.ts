// convTranspose1d: forward by runConv1dTranspose (a tiled conv1d on flipped
// weights at stride 1 where the profile picks 'register', else
// conv-transpose2d.wgsl at height 1). Backward: input gradient is a conv1d,
// weight gradient by runConv1dWeightGrad with input and output swapped.
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { shapeText, type Tensor } from '../tensor';
import { runConv1d, runConv1dTranspose } from './conv1d';
import { runConv1dWeightGrad } from './conv1d-weight-grad';
import { runConv2dBiasGrad } from './conv2d-bias-grad';
import {
  assertChannels,
  assertRank,
  convTransposeOutSize,
  geometry1d,
  single,
  type ConvGeometry,
} from './conv-geometry';

export interface ConvTranspose1dOptions {
  /** default 1 */
  stride?: number;
  /** trims this many steps from each end of the full output; default 0 */
  padding?: number;
  /** extra steps at the end; must be < stride or < dilation; default 0 */
  outputPadding?: number;
  /** default 1 */
  dilation?: number;
  /** default 1 */
  groups?: number;
}

/**
 * Shapes: x [N, Cin, L], w [Cin, Cout/groups, K], bias [Cout] or null.
 * Returns the geometry (height 1) of the conv this op transposes.
 */
export function validateConvTranspose1d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: ConvTranspose1dOptions = {},
): ConvGeometry {
  const op = 'convTranspose1d';
  assertRank(op, 'x', x, 'N, Cin, L');
  assertRank(op, 'weight', w, 'Cin, Cout/groups, K');
  const stride = single(op, 'stride', opts.stride, 1, 1);
  const pad = single(op, 'padding', opts.padding, 0, 0);
  const outPad = single(op, 'outputPadding', opts.outputPadding, 0, 0);
  const dil = single(op, 'dilation', opts.dilation, 1, 1);
  const groups = single(op, 'groups', opts.groups, 1, 1);
  assert(
    outPad < stride || outPad < dil,
    () => `${op}: outputPadding must be smaller than stride or dilation (got ${outPad})`,
  );
  const [batch, cIn, len] = x.shape;
  const [wIn, wOut, k] = w.shape;
  assert(k > 0 && wOut > 0, () => `${op}: empty weight ${shapeText(w.shape)}`);
  assert(wIn === cIn, () => `${op}: weight input channels (expected ${cIn}, got ${wIn})`);
  const cOut = wOut * groups;
  assertChannels(op, groups, cIn, cOut, bias, cOut);
  const outLen = convTransposeOutSize(len, k, stride, pad, outPad, dil);
  assert(
    outLen > 0,
    () => `${op}: output would be empty (expected positive length, got ${outLen})`,
  );
  return geometry1d(batch, cOut, outLen, cIn, len, groups, k, stride, pad, dil);
}

/**
 * Differentiable 1-D transposed convolution, PyTorch `F.conv_transpose1d`
 * semantics ([N, C, L], f32). Gradients flow to x, w and bias.
 * @returns a new tensor [N, Cout, Lout], Lout = (L-1)s - 2p + d(K-1) + outputPadding + 1
 */
export function convTranspose1d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  opts: ConvTranspose1dOptions = {},
): Tensor {
  const geom = validateConvTranspose1d(x, w, bias, opts);
  const out = runConv1dTranspose(geom, x, w, bias);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'convTranspose1d', inputs, (g) =>
    noGrad(() => [
      x.requiresGrad ? runConv1d(geom, g, w, null, x.shape) : null,
      w.requiresGrad ? runConv1dWeightGrad(geom, g, x, w.shape) : null,
      bias?.requiresGrad ? runConv2dBiasGrad(g) : null,
    ]),
  );
}
