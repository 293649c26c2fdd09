import { assert } from './assert';
import { axpyInPlace } from './ops/axpy';
import { clone, filled, shapeText, type Tensor } from './tensor';

/** How a tensor was computed: its inputs and the vector-Jacobian product. */
export interface GradNode {
  name: string;
  inputs: readonly Tensor[];
  /** gradient of the output -> gradient of each input (null where not needed) */
  backward: (grad: Tensor) => (Tensor | null)[];
}

let enabled = true;

/** True when an op on `inputs` must be recorded for backward. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  return enabled && inputs.some((t) => t.requiresGrad);
}

/**
 * Records `out = op(inputs)` for reverse mode. The backward closure keeps its
 * inputs alive by reference: dispose them only after `backward` ran.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
): Tensor {
  if (needsGrad(inputs)) {
    out.requiresGrad = true;
    out.node = { name, inputs, backward };
  }
  return out;
}

/** Runs `fn` without recording (inference, optimizer updates, backward itself). */
export function noGrad<T>(fn: () => T): T {
  const before = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<number>();
  // iterative DFS: deep recurrent graphs would overflow the JS stack
  const stack: Array<{ t: Tensor; expanded: boolean }> = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.t);
      continue;
    }
    if (seen.has(top.t.id)) continue;
    seen.add(top.t.id);
    stack.push({ t: top.t, expanded: true });
    for (const input of top.t.node?.inputs ?? []) {
      if (input.requiresGrad && !seen.has(input.id)) stack.push({ t: input, expanded: false });
    }
  }
  return order; // inputs before outputs
}

/**
 * Reverse-mode sweep from `root`. Leaves with `requiresGrad` get `.grad`
 * (accumulated across calls, as in PyTorch); intermediate gradients are freed.
 * `seed` defaults to ones (so a scalar loss needs none).
 */
export function backward(root: Tensor, seed?: Tensor): void {
  assert(
    root.requiresGrad,
    'backward: the tensor does not require grad (no input had requiresGrad)',
  );
  if (seed) {
    assert(
      seed.size === root.size,
      () =>
        `backward: seed shape (expected ${shapeText(root.shape)}, got ${shapeText(seed.shape)})`,
    );
  }
  noGrad(() => {
    const grads = new Map<number, Tensor>();
    grads.set(root.id, seed ? clone(seed) : filled(root.gpu, root.shape, 1));
    const order = topologicalOrder(root);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const grad = grads.get(t.id);
      if (!grad) continue;
      grads.delete(t.id);
      if (!t.node) {
        // a leaf: keep its gradient beyond any scope
        grad.keep();
        if (t.grad) {
          axpyInPlace(t.grad, grad);
          grad.dispose();
        } else {
          t.grad = grad;
        }
        continue;
      }
      const inputGrads = t.node.backward(grad);
      // NOTE: a backward may pass `grad` through, or return one tensor for two
      // inputs; each stored gradient must own its buffer, so copy repeats.
      const owned = new Set<Tensor>();
      t.node.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (!g || !input.requiresGrad) return;
        assert(
          g.size === input.size,
          () =>
            `backward: ${t.node!.name} returned grad ${shapeText(g.shape)} ` +
            `for input ${shapeText(input.shape)}`,
        );
        const existing = grads.get(input.id);
        if (existing) {
          // binding one buffer as both operands of axpy is invalid: copy first
          const addend = existing === g ? clone(g) : g;
          axpyInPlace(existing, addend);
          if (addend !== g) addend.dispose();
          return;
        }
        const stored = owned.has(g) ? clone(g) : g;
        owned.add(stored);
        grads.set(input.id, stored);
      });
      if (!owned.has(grad)) grad.dispose();
      for (const g of new Set(inputGrads)) if (g && g !== grad && !owned.has(g)) g.dispose();
    }
  });
}
