import code from '../../../shaders/cross-entropy.wgsl?raw';
import backwardCode from '../../../shaders/cross-entropy-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';
import { runReduce } from './reduce';

export function validateCrossEntropy(logits: Tensor, targets: Int32Array): [number, number] {
  assert(
    logits.rank === 2,
    () => `crossEntropy: logits need shape [N, C] (got ${shapeText(logits.shape)})`,
  );
  const [rows, classes] = logits.shape;
  assert(
    rows > 0 && classes > 0,
    () => `crossEntropy: empty logits (got ${shapeText(logits.shape)})`,
  );
  assert(
    targets.length === rows,
    () => `crossEntropy: one target per row (expected ${rows}, got ${targets.length})`,
  );
  const bad = targets.findIndex((t) => t < 0 || t >= classes);
  assert(
    bad < 0,
    () =>
      `crossEntropy: target ${bad} out of range (expected 0..${classes - 1}, got ${targets[bad]})`,
  );
  return [rows, classes];
}

export function createCrossEntropyProgram(logits: Tensor, backward: boolean): KernelSpec {
  const { WorkgroupSize } = logits.gpu.profile.elementwise;
  return backward
    ? { name: 'cross-entropy-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'cross-entropy', code, overrides: { WorkgroupSize } };
}

/** Uploads class indices into a tensor-owned buffer holding i32 (not f32) values. */
function uploadTargets(logits: Tensor, targets: Int32Array): Tensor {
  const t = empty(logits.gpu, [targets.length], 'crossEntropy.targets');
  logits.gpu.device.queue.writeBuffer(t.buffer, 0, Int32Array.from(targets));
  return t;
}

/** Per-row losses logsumexp(logits[n]) - logits[n, t[n]] as a new [N] tensor (no autograd). */
export function runCrossEntropyRows(logits: Tensor, targets: Int32Array): Tensor {
  const [rows, classes] = validateCrossEntropy(logits, targets);
  const t = uploadTargets(logits, targets);
  const loss = empty(logits.gpu, [rows], 'crossEntropy.rows');
  const kernel = createCrossEntropyProgram(logits, false);
  logits.gpu.dispatch({
    kernel,
    buffers: [logits.buffer, t.buffer, loss.buffer],
    uniform: packUniform([rows, classes]),
    workgroups: grid1d(rows, kernel.overrides!.WorkgroupSize),
  });
  t.dispose();
  return loss;
}

/** Gradient of the mean loss with respect to the logits, given the scalar gradient `g`. */
export function runCrossEntropyBackward(logits: Tensor, targets: Int32Array, g: Tensor): Tensor {
  const [rows, classes] = validateCrossEntropy(logits, targets);
  assert(g.size === 1, () => `crossEntropy: gradient must be a scalar (got ${shapeText(g.shape)})`);
  const t = uploadTargets(logits, targets);
  const dx = empty(logits.gpu, logits.shape, 'crossEntropy.dx');
  const kernel = createCrossEntropyProgram(logits, true);
  logits.gpu.dispatch({
    kernel,
    buffers: [logits.buffer, t.buffer, g.buffer, dx.buffer],
    uniform: packUniform([rows, classes, { f32: 1 / rows }]),
    workgroups: grid1d(rows, kernel.overrides!.WorkgroupSize),
  });
  t.dispose();
  return dx;
}

/**
 * Mean softmax cross-entropy of `logits` [N, C] against class indices
 * `targets` (N values in 0..C-1), differentiable in the logits; stable for
 * large logits. The targets are copied, so the caller may reuse the array.
 * @returns a new scalar tensor (shape []); the caller owns it
 * @throws when shapes disagree or a target is out of range
 */
export function crossEntropy(logits: Tensor, targets: Int32Array): Tensor {
  const labels = targets.slice();
  const rows = runCrossEntropyRows(logits, labels);
  const out = runReduce('mean', rows);
  rows.dispose();
  return record(out, 'crossEntropy', [logits], (g) =>
    noGrad(() => [runCrossEntropyBackward(logits, labels, g)]),
  );
}
