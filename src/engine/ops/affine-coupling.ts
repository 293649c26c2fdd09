// WaveGlow's affine coupling: the second half of the channels is scaled and
// shifted by the WN output (shift b in its first half, log-scale in its second).
import code from '../../../shaders/affine-coupling.wgsl?raw';
import backwardCode from '../../../shaders/affine-coupling-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';

/** Shapes: x [N, H, T], wn [N, 2H, T]. */
export function validateAffineCoupling(x: Tensor, wn: Tensor): void {
  assert(x.rank === 3, () => `affineCoupling: x must be [N, H, T] (got ${shapeText(x.shape)})`);
  const [n, h, t] = x.shape;
  assert(
    shapeText(wn.shape) === shapeText([n, 2 * h, t]),
    () =>
      `affineCoupling: wn shape (expected ${shapeText([n, 2 * h, t])}, got ${shapeText(wn.shape)})`,
  );
}

/** y = exp(log_s) * x + b, or with `inverse` x = (y - b) * exp(-log_s). */
export function runAffineCoupling(x: Tensor, wn: Tensor, inverse = false): Tensor {
  validateAffineCoupling(x, wn);
  const out = empty(x.gpu, x.shape, 'coupling.out');
  if (out.size === 0) return out;
  const WorkgroupSize = x.gpu.profile.elementwise.WorkgroupSize;
  x.gpu.dispatch({
    kernel: {
      name: 'affine-coupling',
      code,
      overrides: { WorkgroupSize, Inverse: inverse ? 1 : 0 },
    },
    buffers: [x.buffer, wn.buffer, out.buffer],
    uniform: packUniform([x.size, x.shape[1], x.shape[2]]),
    workgroups: grid1d(x.size, WorkgroupSize),
  });
  return out;
}

export function runAffineCouplingBackward(x: Tensor, wn: Tensor, grad: Tensor): [Tensor, Tensor] {
  validateAffineCoupling(x, wn);
  const dx = empty(x.gpu, x.shape, 'coupling.dx');
  const dwn = empty(x.gpu, wn.shape, 'coupling.dwn');
  if (x.size === 0) return [dx, dwn];
  const WorkgroupSize = x.gpu.profile.elementwise.WorkgroupSize;
  x.gpu.dispatch({
    kernel: { name: 'affine-coupling-backward', code: backwardCode, overrides: { WorkgroupSize } },
    buffers: [x.buffer, wn.buffer, grad.buffer, dx.buffer, dwn.buffer],
    uniform: packUniform([x.size, x.shape[1], x.shape[2]]),
    workgroups: grid1d(x.size, WorkgroupSize),
  });
  return [dx, dwn];
}

/** Differentiable forward coupling: x [N, H, T], wn [N, 2H, T] -> [N, H, T]. */
export function affineCoupling(x: Tensor, wn: Tensor): Tensor {
  const out = runAffineCoupling(x, wn);
  return record(out, 'affineCoupling', [x, wn], (g) =>
    noGrad(() => runAffineCouplingBackward(x, wn, g)),
  );
}

/** Inverse coupling for synthesis (not differentiable). */
export function affineCouplingInverse(y: Tensor, wn: Tensor): Tensor {
  return runAffineCoupling(y, wn, true);
}
