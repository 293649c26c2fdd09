// The WaveNet gated unit of WaveGlow's WN layers, fused with the
// conditioning add: tanh(x[:, :C]) * sigmoid(x[:, C:]) with x = a + cond.
import backwardBody from '../../../shaders/gated-tanh-sigmoid-backward.wgsl?raw';
import body from '../../../shaders/gated-tanh-sigmoid.wgsl?raw';
import activations from '../../../shaders/lib/activations.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';

const code = activations + body;
const backwardCode = activations + backwardBody;

/** Shapes: a and cond [N, 2C, T]; returns C. */
export function validateGatedTanhSigmoid(a: Tensor, cond: Tensor): number {
  assert(a.rank === 3, () => `gatedTanhSigmoid: a must be [N, 2C, T] (got ${shapeText(a.shape)})`);
  assert(
    shapeText(a.shape) === shapeText(cond.shape),
    () =>
      `gatedTanhSigmoid: cond shape (expected ${shapeText(a.shape)}, got ${shapeText(cond.shape)})`,
  );
  assert(a.shape[1] % 2 === 0, () => `gatedTanhSigmoid: channels must be even (got ${a.shape[1]})`);
  return a.shape[1] / 2;
}

export function runGatedTanhSigmoid(a: Tensor, cond: Tensor): Tensor {
  const c = validateGatedTanhSigmoid(a, cond);
  const [n, , t] = a.shape;
  const out = empty(a.gpu, [n, c, t], 'gated.out');
  if (out.size === 0) return out;
  const WorkgroupSize = a.gpu.profile.elementwise.WorkgroupSize;
  a.gpu.dispatch({
    kernel: { name: 'gated-tanh-sigmoid', code, overrides: { WorkgroupSize } },
    buffers: [a.buffer, cond.buffer, out.buffer],
    uniform: packUniform([out.size, c, t]),
    workgroups: grid1d(out.size, WorkgroupSize),
  });
  return out;
}

/** Gradient with respect to the pre-activation a + cond, [N, 2C, T]. */
export function runGatedTanhSigmoidBackward(a: Tensor, cond: Tensor, grad: Tensor): Tensor {
  const c = validateGatedTanhSigmoid(a, cond);
  const [n, , t] = a.shape;
  assert(
    shapeText(grad.shape) === shapeText([n, c, t]),
    () =>
      `gatedTanhSigmoid: grad shape ` +
      `(expected ${shapeText([n, c, t])}, got ${shapeText(grad.shape)})`,
  );
  const dx = empty(a.gpu, a.shape, 'gated.dx');
  if (grad.size === 0) return dx;
  const WorkgroupSize = a.gpu.profile.elementwise.WorkgroupSize;
  a.gpu.dispatch({
    kernel: {
      name: 'gated-tanh-sigmoid-backward',
      code: backwardCode,
      overrides: { WorkgroupSize },
    },
    buffers: [a.buffer, cond.buffer, grad.buffer, dx.buffer],
    uniform: packUniform([grad.size, c, t]),
    workgroups: grid1d(grad.size, WorkgroupSize),
  });
  return dx;
}

/**
 * Differentiable gated unit. a, cond [N, 2C, T] -> [N, C, T].
 * The gradient is the same for a and cond.
 */
export function gatedTanhSigmoid(a: Tensor, cond: Tensor): Tensor {
  const out = runGatedTanhSigmoid(a, cond);
  return record(out, 'gatedTanhSigmoid', [a, cond], (g) =>
    noGrad(() => {
      const dx = runGatedTanhSigmoidBackward(a, cond, g);
      return [dx, dx];
    }),
  );
}
