import body from '../../../shaders/conv2d-weight-grad.wgsl?raw';
import convParams from '../../../shaders/lib/conv-params.wgsl?raw';
import { grid1d, type Gpu, type KernelSpec } from '../gpu';
import { empty, type Tensor } from '../tensor';
import { packConvGeometry, type ConvGeometry } from './conv-geometry';

const code = convParams + body;

export function createConv2dWeightGradProgram(gpu: Gpu): KernelSpec {
  return {
    name: 'conv2d-weight-grad',
    code,
    overrides: { WorkgroupSize: gpu.profile.conv.WorkgroupSize },
  };
}

/**
 * dW of the conv `geom` from its input `x` and output gradient `dy` (no
 * autograd). For a transposed conv pass its output gradient as `x` and its
 * input as `dy`. Shapes are trusted: callers validated them.
 * @returns a new tensor [cOut, cIn/groups, kH, kW] viewed as `wShape`
 */
export function runConv2dWeightGrad(
  geom: ConvGeometry,
  x: Tensor,
  dy: Tensor,
  wShape: readonly number[],
): Tensor {
  const gpu = x.gpu;
  const out = empty(gpu, wShape, 'conv2d-weight-grad.out');
  if (out.size === 0) return out;
  if (geom.batch * geom.outH * geom.outW === 0) {
    gpu.commandEncoder().clearBuffer(out.buffer);
    return out;
  }
  const kernel = createConv2dWeightGradProgram(gpu);
  gpu.dispatch({
    kernel,
    buffers: [x.buffer, dy.buffer, out.buffer],
    uniform: packConvGeometry(geom, false),
    workgroups: grid1d(out.size, gpu.profile.conv.WorkgroupSize),
  });
  return out;
}
