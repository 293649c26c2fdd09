import code from '../../../shaders/conv1d-flip-weights.wgsl?raw';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, type Tensor } from '../tensor';
import type { ConvGeometry } from './conv-geometry';

export function createConv1dFlipWeightsProgram(gpu: Gpu): KernelSpec {
  const WorkgroupSize = gpu.profile.conv.WorkgroupSize;
  return { name: 'conv1d-flip-weights', code, overrides: { WorkgroupSize } };
}

/**
 * Weights of the 1-D conv `geom` [cOut, cIn/groups, K] rearranged for its
 * transpose as a conv: [cIn, cOut/groups, K] with the taps reversed (no autograd).
 * @returns a new tensor; the caller disposes it
 */
export function runConv1dFlipWeights(geom: ConvGeometry, w: Tensor): Tensor {
  const gpu = w.gpu;
  const out = empty(gpu, [geom.cIn, geom.cOut / geom.groups, geom.kW], 'conv1d-flip-weights.out');
  if (out.size === 0) return out;
  gpu.dispatch({
    kernel: createConv1dFlipWeightsProgram(gpu),
    buffers: [w.buffer, out.buffer],
    uniform: packUniform([geom.cIn, geom.cOut, geom.kW, geom.groups]),
    workgroups: grid1d(out.size, gpu.profile.conv.WorkgroupSize),
  });
  return out;
}
