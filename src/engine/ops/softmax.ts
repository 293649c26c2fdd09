import code from '../../../shaders/softmax.wgsl?raw';
import backwardCode from '../../../shaders/softmax-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { splitAxis, type AxisSplit } from './reduce';

export function validateSoftmax(x: Tensor, axis: number, logOutput: boolean): AxisSplit {
  const op = logOutput ? 'logSoftmax' : 'softmax';
  assert(x.rank >= 1, () => `${op}: input needs rank >= 1 (got ${shapeText(x.shape)})`);
  return splitAxis(x.shape, axis, op);
}

export function createSoftmaxProgram(x: Tensor, backward: boolean): KernelSpec {
  const { WorkgroupSize } = x.gpu.profile.elementwise;
  return backward
    ? { name: 'softmax-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'softmax', code, overrides: { WorkgroupSize } };
}

/** softmax (or log-softmax) of `x` along `axis` into a new tensor (no autograd). */
export function runSoftmax(x: Tensor, axis = -1, logOutput = false): Tensor {
  const s = validateSoftmax(x, axis, logOutput);
  const y = empty(x.gpu, x.shape, logOutput ? 'logSoftmax.out' : 'softmax.out');
  if (x.size === 0) return y;
  const kernel = createSoftmaxProgram(x, false);
  x.gpu.dispatch({
    kernel,
    buffers: [x.buffer, y.buffer],
    uniform: packUniform([s.outer, s.len, s.inner, logOutput ? 1 : 0]),
    workgroups: grid1d(s.outer * s.inner, kernel.overrides!.WorkgroupSize),
  });
  return y;
}

/** Gradient with respect to x given the output gradient `g`; recomputes softmax (no autograd). */
export function runSoftmaxBackward(x: Tensor, g: Tensor, axis = -1, logOutput = false): Tensor {
  const s = validateSoftmax(x, axis, logOutput);
  assert(
    g.size === x.size,
    () => `softmax: gradient size (expected ${shapeText(x.shape)}, got ${shapeText(g.shape)})`,
  );
  const dx = empty(x.gpu, x.shape, logOutput ? 'logSoftmax.dx' : 'softmax.dx');
  if (x.size === 0) return dx;
  const kernel = createSoftmaxProgram(x, true);
  x.gpu.dispatch({
    kernel,
    buffers: [x.buffer, g.buffer, dx.buffer],
    uniform: packUniform([s.outer, s.len, s.inner, logOutput ? 1 : 0]),
    workgroups: grid1d(s.outer * s.inner, kernel.overrides!.WorkgroupSize),
  });
  return dx;
}

/**
 * Differentiable softmax along `axis` (default last): exp(x - max) / sum,
 * stable for large inputs. Rows of all -inf give NaN, as in PyTorch.
 * @returns a new tensor of x's shape; the caller owns it
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const y = runSoftmax(x, axis, false);
  return record(y, 'softmax', [x], (g) => noGrad(() => [runSoftmaxBackward(x, g, axis, false)]));
}

/**
 * Differentiable log-softmax along `axis` (default last): x - logsumexp(x).
 * @returns a new tensor of x's shape; the caller owns it
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const y = runSoftmax(x, axis, true);
  return record(y, 'logSoftmax', [x], (g) => noGrad(() => [runSoftmaxBackward(x, g, axis, true)]));
}
