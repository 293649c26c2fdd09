import { assert } from '../assert';
import type { Tensor } from '../tensor';

/** Checks that params are distinct leaf tensors that require grad; returns a copy of the list. */
export function validateParams(owner: string, params: readonly Tensor[]): Tensor[] {
  assert(params.length > 0, `${owner}: needs at least one parameter (got 0)`);
  const seen = new Set<number>();
  params.forEach((p, i) => {
    assert(p.requiresGrad, () => `${owner}: parameter ${i} does not require grad`);
    assert(
      !p.node,
      () => `${owner}: parameter ${i} is not a leaf (it was computed by ${p.node!.name})`,
    );
    assert(!seen.has(p.id), () => `${owner}: parameter ${i} appears twice`);
    seen.add(p.id);
  });
  return [...params];
}
