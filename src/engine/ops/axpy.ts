import code from '../../../shaders/axpy.wgsl?raw';
import { assert } from '../assert';
import { grid1d, packUniform } from '../gpu';
import { shapeText, type Tensor } from '../tensor';

export function validateAxpy(x: Tensor, y: Tensor): void {
  assert(
    x.size === y.size,
    () => `axpy: sizes differ (expected ${shapeText(y.shape)}, got ${shapeText(x.shape)})`,
  );
}

/** y += alpha * x, in place on y. Not recorded by autograd. */
export function axpyInPlace(y: Tensor, x: Tensor, alpha = 1): void {
  validateAxpy(x, y);
  if (y.size === 0) return;
  const gpu = y.gpu;
  const WorkgroupSize = gpu.profile.elementwise.WorkgroupSize;
  gpu.dispatch({
    kernel: { name: 'axpy', code, overrides: { WorkgroupSize } },
    buffers: [x.buffer, y.buffer],
    uniform: packUniform([y.size, { f32: alpha }]),
    workgroups: grid1d(y.size, WorkgroupSize),
  });
}
