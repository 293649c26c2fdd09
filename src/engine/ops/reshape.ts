import { assert } from '../assert';
import { record } from '../autograd';
import { shapeText, sizeOf, Tensor } from '../tensor';

/**
 * A view of `x` with another shape of the same size; shares the buffer (no copy).
 * One entry may be -1 and is inferred.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1);
  const inferred = shape.length - known.length;
  assert(inferred <= 1, () => `reshape: at most one -1 allowed (got ${shapeText(shape)})`);
  const full = inferred ? shape.map((d) => (d === -1 ? x.size / sizeOf(known) : d)) : [...shape];
  assert(
    sizeOf(full) === x.size && full.every((d) => Number.isInteger(d) && d >= 0),
    () => `reshape: size must stay ${x.size} (shape ${shapeText(x.shape)} -> ${shapeText(shape)})`,
  );
  const out = new Tensor(x.gpu, full, x);
  return record(out, 'reshape', [x], (g) => [reshape(g, x.shape)]);
}
