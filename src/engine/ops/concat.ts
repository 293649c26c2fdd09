import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { empty, shapeText, type Tensor } from '../tensor';
import { normalizeAxis, runBlockCopy, runSlice } from './slice';

/** Checks that all tensors agree except along `axis`; returns the axis and output shape. */
export function validateConcat(tensors: readonly Tensor[], axis: number): [number, number[]] {
  assert(tensors.length > 0, 'concat: needs at least one tensor (got 0)');
  const first = tensors[0];
  const a = normalizeAxis('concat', axis, first.rank);
  const shape = [...first.shape];
  shape[a] = 0;
  for (const [k, t] of tensors.entries()) {
    const same = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    assert(
      same,
      () =>
        `concat: tensor ${k} does not match off axis ${a} ` +
        `(expected ${shapeText(first.shape)}, got ${shapeText(t.shape)})`,
    );
    assert(t.gpu === first.gpu, () => `concat: tensor ${k} lives on another Gpu`);
    shape[a] += t.shape[a];
  }
  return [a, shape];
}

/** Joins `tensors` along `axis` into a new tensor (no autograd). */
export function runConcat(tensors: readonly Tensor[], axis: number): Tensor {
  const [a, shape] = validateConcat(tensors, axis);
  const out = empty(tensors[0].gpu, shape, 'concat.out');
  let offset = 0;
  for (const t of tensors) {
    runBlockCopy(t, out, { axis: a, len: t.shape[a], srcOffset: 0, dstOffset: offset });
    offset += t.shape[a];
  }
  return out;
}

/**
 * Differentiable concatenation along `axis` (negative counts from the end).
 * All tensors must share every other axis. @returns a new tensor.
 */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  const out = runConcat(tensors, axis);
  const [a] = validateConcat(tensors, axis);
  const inputs = [...tensors];
  return record(out, 'concat', inputs, (g) =>
    noGrad(() => {
      let offset = 0;
      return inputs.map((t) => {
        const start = offset;
        offset += t.shape[a];
        return t.requiresGrad ? runSlice(g, a, start, offset) : null;
      });
    }),
  );
}
