import code from '../../../shaders/conv2d-bias-grad.wgsl?raw';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, type Tensor } from '../tensor';

export function createConv2dBiasGradProgram(gpu: Gpu): KernelSpec {
  return {
    name: 'conv2d-bias-grad',
    code,
    overrides: { WorkgroupSize: gpu.profile.conv.WorkgroupSize },
  };
}

/**
 * dBias of any conv: sums `dy` [N, C, ...spatial] over all axes but 1 (no autograd).
 * @returns a new tensor [C]
 */
export function runConv2dBiasGrad(dy: Tensor): Tensor {
  const gpu = dy.gpu;
  const [batch, channels] = dy.shape;
  const spatial = dy.shape.slice(2).reduce((a, b) => a * b, 1);
  const out = empty(gpu, [channels], 'conv2d-bias-grad.out');
  if (channels === 0) return out;
  if (batch * spatial === 0) {
    gpu.commandEncoder().clearBuffer(out.buffer);
    return out;
  }
  gpu.dispatch({
    kernel: createConv2dBiasGradProgram(gpu),
    buffers: [dy.buffer, out.buffer],
    uniform: packUniform([batch, channels, spatial]),
    workgroups: grid1d(channels, gpu.profile.conv.WorkgroupSize),
  });
  return out;
}
