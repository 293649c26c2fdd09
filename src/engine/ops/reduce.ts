import code from '../../../shaders/reduce.wgsl?raw';
import backwardCode from '../../../shaders/reduce-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { clone, empty, shapeText, sizeOf, Tensor } from '../tensor';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'logsumexp';

/** Op codes of shaders/reduce.wgsl and reduce-backward.wgsl (keep in sync). */
const OP_CODE = { sum: 0, max: 1, logsumexp: 2, argmax: 3 } as const;

/** A long axis with few outputs is reduced in two passes past these sizes. */
const SPLIT_MIN_LEN = 4096;
const SPLIT_MAX_OUTPUTS = 4096;
const SPLIT_MIN_CHUNK = 256;

/** `shape` viewed as [outer, len, inner] around one axis. */
export interface AxisSplit {
  /** the axis, made non-negative */
  axis: number;
  outer: number;
  len: number;
  inner: number;
}

/**
 * Views `shape` as [outer, len, inner] around `axis` (negative counts from
 * the end). Throws `op: axis out of range` for a bad axis.
 */
export function splitAxis(shape: readonly number[], axis: number, op = 'reduce'): AxisSplit {
  const rank = shape.length;
  assert(
    Number.isInteger(axis) && axis >= -rank && axis < rank,
    () =>
      `${op}: axis out of range (expected -${rank}..${rank - 1}, got ${axis}; ${shapeText(shape)})`,
  );
  const a = axis < 0 ? axis + rank : axis;
  return {
    axis: a,
    outer: sizeOf(shape.slice(0, a)),
    len: shape[a],
    inner: sizeOf(shape.slice(a + 1)),
  };
}

/** The split for `axis`, or the whole tensor as one axis when `axis` is undefined. */
function splitFor(x: Tensor, axis: number | undefined, op: string): AxisSplit {
  if (axis === undefined) return { axis: -1, outer: 1, len: x.size, inner: 1 };
  return splitAxis(x.shape, axis, op);
}

/** Output shape of a reduction; over all axes it is [] (or all ones with keepDims). */
export function reducedShape(
  shape: readonly number[],
  axis: number | undefined,
  keepDims: boolean,
): number[] {
  if (axis === undefined) return keepDims ? shape.map(() => 1) : [];
  const a = splitAxis(shape, axis).axis;
  return keepDims ? shape.map((d, i) => (i === a ? 1 : d)) : shape.filter((_, i) => i !== a);
}

export function validateReduce(op: ReduceOp | 'argmax', x: Tensor, axis?: number): AxisSplit {
  assert(op === 'mean' || op in OP_CODE, () => `reduce: unknown op (got ${op})`);
  const split = splitFor(x, axis, op);
  assert(
    op === 'sum' || split.len > 0 || split.outer * split.inner === 0,
    () => `${op}: cannot reduce an empty axis (shape ${shapeText(x.shape)}, axis ${axis ?? 'all'})`,
  );
  assert(
    op !== 'argmax' || split.len < 2 ** 24,
    () => `argmax: axis too long for f32 indices (expected < ${2 ** 24}, got ${split.len})`,
  );
  return split;
}

export function createReduceProgram(x: Tensor, backward: boolean): KernelSpec {
  const { WorkgroupSize } = x.gpu.profile.elementwise;
  return backward
    ? { name: 'reduce-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'reduce', code, overrides: { WorkgroupSize } };
}

/** One pass of reduce.wgsl: [outer, len, inner] -> [outer, parts, inner]. */
function dispatchReduce(
  x: Tensor,
  out: Tensor,
  s: AxisSplit,
  parts: number,
  code: number,
  scale: number,
): void {
  const kernel = createReduceProgram(x, false);
  const chunk = Math.ceil(s.len / parts);
  x.gpu.dispatch({
    kernel,
    buffers: [x.buffer, out.buffer],
    uniform: packUniform([s.outer, s.len, s.inner, parts, chunk, code, { f32: scale }]),
    workgroups: grid1d(s.outer * parts * s.inner, kernel.overrides!.WorkgroupSize),
  });
}

/**
 * Reduces `x` along `axis` (all elements when undefined) into a new tensor
 * (no autograd). 'argmax' gives the first index of the maximum, as f32.
 */
export function runReduce(
  op: ReduceOp | 'argmax',
  x: Tensor,
  axis?: number,
  keepDims = false,
): Tensor {
  const s = validateReduce(op, x, axis);
  const out = empty(x.gpu, reducedShape(x.shape, axis, keepDims), `${op}.out`);
  const outputs = s.outer * s.inner;
  if (outputs === 0) return out;
  if (s.len === 0) {
    // only a sum gets here: the sum over nothing is 0
    x.gpu.commandEncoder().clearBuffer(out.buffer);
    return out;
  }
  const code = OP_CODE[op === 'mean' ? 'sum' : op];
  const scale = op === 'mean' ? 1 / s.len : 1;
  if (op === 'argmax' || s.len < SPLIT_MIN_LEN || outputs >= SPLIT_MAX_OUTPUTS) {
    dispatchReduce(x, out, s, 1, code, scale);
    return out;
  }
  // two passes: runs of ~sqrt(len) elements, then the partial results
  const chunk = Math.max(SPLIT_MIN_CHUNK, Math.ceil(Math.sqrt(s.len)));
  const parts = Math.ceil(s.len / chunk);
  const partial = empty(x.gpu, [s.outer, parts, s.inner], `${op}.partial`);
  dispatchReduce(x, partial, s, parts, code, 1);
  dispatchReduce(partial, out, { ...s, len: parts }, 1, code, scale);
  partial.dispose();
  return out;
}

/**
 * Gradient of `op(x, axis)` with respect to x, given the output gradient `g`
 * (either keepDims layout). Recomputes what it needs from x (no autograd).
 */
export function runReduceBackward(op: ReduceOp, x: Tensor, g: Tensor, axis?: number): Tensor {
  const s = validateReduce(op, x, axis);
  assert(
    g.size === s.outer * s.inner,
    () => `${op}: gradient size (expected ${s.outer * s.inner}, got ${shapeText(g.shape)})`,
  );
  const dx = empty(x.gpu, x.shape, `${op}.dx`);
  if (x.size === 0) return dx;
  let aux: Tensor | null = null;
  if (op === 'max') aux = runReduce('argmax', x, axis);
  if (op === 'logsumexp') aux = runReduce('logsumexp', x, axis);
  const kernel = createReduceProgram(x, true);
  const code = op === 'mean' ? OP_CODE.sum : OP_CODE[op];
  x.gpu.dispatch({
    kernel,
    // NOTE: sum and mean read no aux; g stands in so every binding is bound
    buffers: [x.buffer, g.buffer, (aux ?? g).buffer, dx.buffer],
    uniform: packUniform([s.outer, s.len, s.inner, code, { f32: op === 'mean' ? 1 / s.len : 1 }]),
    workgroups: grid1d(x.size, kernel.overrides!.WorkgroupSize),
  });
  aux?.dispose();
  return dx;
}

/**
 * Differentiable reduction of `x` along `axis` (negative counts from the end;
 * undefined reduces all elements to shape [], or to all ones with keepDims).
 * max sends the gradient to the first maximum; logsumexp is computed as
 * m + log(sum exp(x - m)), stable for large x.
 * @returns a new tensor; the caller owns it
 */
export function reduce(op: ReduceOp, x: Tensor, axis?: number, keepDims = false): Tensor {
  const out = runReduce(op, x, axis, keepDims);
  return record(out, op, [x], (g) => noGrad(() => [runReduceBackward(op, x, g, axis)]));
}

export const sum = (x: Tensor, axis?: number, keepDims = false): Tensor =>
  reduce('sum', x, axis, keepDims);
export const mean = (x: Tensor, axis?: number, keepDims = false): Tensor =>
  reduce('mean', x, axis, keepDims);
export const max = (x: Tensor, axis?: number, keepDims = false): Tensor =>
  reduce('max', x, axis, keepDims);
export const logsumexp = (x: Tensor, axis?: number, keepDims = false): Tensor =>
  reduce('logsumexp', x, axis, keepDims);

/**
 * Sums `g` over the axes that broadcasting expanded, so the result has
 * `shape` (the gradient of a broadcast operand). `shape` must broadcast to
 * g's shape. Adjacent axes are merged, so each run of summed axes costs one
 * reduction. Returns `g` itself when the shapes are equal (no autograd).
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const rank = g.rank;
  assert(
    shape.length <= rank,
    () => `sumToShape: target rank too high (expected <= ${rank}, got ${shapeText(shape)})`,
  );
  const target = [...Array<number>(rank - shape.length).fill(1), ...shape];
  assert(
    target.every((d, i) => d === g.shape[i] || d === 1),
    () => `sumToShape: ${shapeText(shape)} does not broadcast to ${shapeText(g.shape)}`,
  );
  if (shapeText(shape) === shapeText(g.shape)) return g;

  // merge adjacent axes of the same kind (summed or kept); size-1 axes join either
  const dims: number[] = [];
  const summed: boolean[] = [];
  g.shape.forEach((d, i) => {
    if (d === 1) return;
    const s = target[i] === 1;
    if (dims.length > 0 && summed[summed.length - 1] === s) dims[dims.length - 1] *= d;
    else {
      dims.push(d);
      summed.push(s);
    }
  });
  let current = new Tensor(g.gpu, dims, g);
  let copied = false;
  summed.forEach((s, axis) => {
    if (!s) return;
    const next = runReduce('sum', current, axis, true);
    current.dispose();
    current = next;
    copied = true;
  });
  if (!copied) {
    // NOTE: a second view of g's storage would let a later in-place gradient
    // accumulation write through to g, so equal sizes still get a copy
    const copy = clone(current);
    current.dispose();
    current = copy;
  }
  const out = new Tensor(g.gpu, shape, current);
  current.dispose();
  return out;
}
