// Inverse and log|det| of small square matrices: WaveGlow's invertible 1x1
// convolution needs W^-1 to synthesise and log|det W| (with gradient W^-T)
// for the likelihood.
import code from '../../../shaders/matrix-inverse.wgsl?raw';
import { assert } from '../assert';
import { needsGrad, noGrad, record } from '../autograd';
import { packUniform } from '../gpu';
import { empty, shapeText, tensor, type Tensor } from '../tensor';
import { runMatmul } from './matmul';
import { reshape } from './reshape';

const MAX_SIZE = 64;

/** Shapes: [..., C, C] with C <= 64. Returns [batch, C]. */
export function validateMatrixInverse(a: Tensor): [number, number] {
  assert(a.rank >= 2, () => `matrixInverse: need [..., C, C] (got ${shapeText(a.shape)})`);
  const [r, c] = a.shape.slice(-2);
  assert(r === c, () => `matrixInverse: matrix must be square (got ${r}x${c})`);
  assert(
    c <= MAX_SIZE,
    () => `matrixInverse: size ${c} exceeds ${MAX_SIZE} (one invocation per matrix)`,
  );
  return [a.size / (c * c), c];
}

/** Inverse [..., C, C] and log|det| [...] of each matrix (no autograd). */
export function runMatrixInverse(a: Tensor): { inverse: Tensor; logAbsDet: Tensor } {
  const [batch, c] = validateMatrixInverse(a);
  const inverse = empty(a.gpu, a.shape, 'inverse.out');
  const logAbsDet = empty(a.gpu, a.shape.slice(0, -2), 'inverse.logdet');
  if (batch === 0 || c === 0) return { inverse, logAbsDet };
  const work = empty(a.gpu, [batch, c, 2 * c], 'inverse.work');
  a.gpu.dispatch({
    kernel: { name: 'matrix-inverse', code },
    buffers: [a.buffer, work.buffer, inverse.buffer, logAbsDet.buffer],
    uniform: packUniform([batch, c]),
    workgroups: [batch],
  });
  work.dispose();
  return { inverse, logAbsDet };
}

/** Matrix inverse for synthesis (not differentiable). */
export function matrixInverse(a: Tensor): Tensor {
  const { inverse, logAbsDet } = runMatrixInverse(a);
  logAbsDet.dispose();
  return inverse;
}

/**
 * Differentiable log|det| of one matrix [C, C] -> [1].
 * d log|det W| / dW = W^-T.
 */
export function logAbsDet(w: Tensor): Tensor {
  assert(w.rank === 2, () => `logAbsDet: need one matrix [C, C] (got ${shapeText(w.shape)})`);
  const { inverse, logAbsDet: out1 } = runMatrixInverse(w);
  const out = reshape(out1, [1]);
  out1.dispose();
  if (!needsGrad([w])) {
    inverse.dispose();
    return out;
  }
  return record(out, 'logAbsDet', [w], (g) =>
    noGrad(() => {
      const c = w.shape[0];
      // (W^-1)^T, then scaled by the scalar g through a [C*C, 1] x [1, 1] product
      const identity = new Float32Array(c * c);
      for (let i = 0; i < c; i++) identity[i * c + i] = 1;
      const eye = tensor(w.gpu, identity, [c, c]);
      const invT = runMatmul(inverse, eye, { transA: true });
      const column = reshape(invT, [c * c, 1]);
      const g2 = reshape(g, [1, 1]);
      const scaled = runMatmul(column, g2);
      const grad = reshape(scaled, [c, c]);
      for (const t of [eye, invT, column, g2, scaled, inverse]) t.dispose();
      return [grad];
    }),
  );
}
