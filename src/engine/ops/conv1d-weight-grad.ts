// conv1d weight gradient: register-tiled kernel (shaders/conv1d-weight-grad.wgsl)
// where gpu.profile.conv.conv1d is 'register', else conv2d-weight-grad.wgsl at height 1.
import code from '../../../shaders/conv1d-weight-grad.wgsl?raw';
import { assert } from '../assert';
import type { Gpu, KernelSpec } from '../gpu';
import { empty, type Tensor } from '../tensor';
import { runConv2dWeightGrad } from './conv2d-weight-grad';
import { packConv1dGeometry, type ConvGeometry } from './conv-geometry';
import type { Conv1dVariant } from './conv1d';

const MAX_GROUPS_PER_DIM = 65535;

export function createConv1dWeightGradProgram(gpu: Gpu): KernelSpec {
  const { WorkgroupX, WorkgroupY } = gpu.profile.conv;
  return { name: 'conv1d-weight-grad', code, overrides: { WorkgroupX, WorkgroupY } };
}

/**
 * dW of the 1-D conv `geom` (height 1) from its input `x` and output gradient
 * `dy` (no autograd, shapes trusted). For convTranspose1d pass its output
 * gradient as `x` and its input as `dy`. `variant` overrides the profile.
 * @returns a new tensor [cOut, cIn/groups, K] viewed as `wShape`
 */
export function runConv1dWeightGrad(
  geom: ConvGeometry,
  x: Tensor,
  dy: Tensor,
  wShape: readonly number[],
  variant: Conv1dVariant = x.gpu.profile.conv.conv1d,
): Tensor {
  if (variant === 'naive') return runConv2dWeightGrad(geom, x, dy, wShape);
  const gpu = x.gpu;
  const out = empty(gpu, wShape, 'conv1d-weight-grad.out');
  if (out.size === 0) return out;
  const { WorkgroupX, WorkgroupY } = gpu.profile.conv;
  const cinG = geom.cIn / geom.groups;
  const coTiles = Math.ceil(geom.cOut / geom.groups / 4);
  const workgroups: [number, number, number] = [
    Math.ceil(cinG / 4 / WorkgroupX),
    Math.ceil((geom.groups * coTiles) / WorkgroupY),
    geom.kW,
  ];
  assert(
    workgroups.every((d) => d <= MAX_GROUPS_PER_DIM),
    () => `conv1d: weight-gradient grid too large (got ${workgroups.join('x')} workgroups)`,
  );
  gpu.dispatch({
    kernel: createConv1dWeightGradProgram(gpu),
    buffers: [x.buffer, dy.buffer, out.buffer],
    uniform: packConv1dGeometry(geom, false),
    workgroups,
  });
  return out;
}
