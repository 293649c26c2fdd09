import code from '../../../shaders/binary.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { empty, shapeText, sizeOf, type Tensor } from '../tensor';
import { sumToShape } from './reduce';
import { runUnary } from './unary';

/** Op codes of shaders/binary.wgsl (keep in sync). */
export const BINARY_OPS = { add: 0, sub: 1, mul: 2, div: 3 } as const;

export type BinaryOp = keyof typeof BINARY_OPS;

/** Axes the kernel decodes after merging (the uniform holds 8 slots). */
const MAX_RANK = 6;

/** How the kernel walks the output: merged axes, innermost first, with operand strides. */
export interface BinaryLayout {
  outShape: number[];
  /** merged output dims, innermost first */
  dims: number[];
  aStrides: number[];
  bStrides: number[];
}

/**
 * NumPy broadcasting: shapes are right-aligned, and on each axis the sizes
 * must be equal or one of them 1 (a missing axis counts as 1).
 */
export function broadcastShapes(
  a: readonly number[],
  b: readonly number[],
  op = 'broadcast',
): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    assert(
      da === db || da === 1 || db === 1,
      () => `${op}: shapes do not broadcast (got ${shapeText(a)} and ${shapeText(b)})`,
    );
    return da === 1 ? db : da;
  });
}

/** Row-major strides of `shape` right-aligned to `out`, 0 on broadcast axes. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const padded = [...Array<number>(out.length - shape.length).fill(1), ...shape];
  const strides = new Array<number>(out.length);
  let step = 1;
  for (let i = out.length - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : step;
    step *= padded[i];
  }
  return strides;
}

export function validateBinary(op: BinaryOp, a: Tensor, b: Tensor): BinaryLayout {
  assert(op in BINARY_OPS, () => `binary: unknown op (expected add, sub, mul or div, got ${op})`);
  const outShape = broadcastShapes(a.shape, b.shape, op);
  const sa = broadcastStrides(a.shape, outShape);
  const sb = broadcastStrides(b.shape, outShape);
  // merge axis k into the inner neighbour when both operands step through
  // them as one (contiguous, or broadcast on both); size-1 axes vanish
  const dims: number[] = [];
  const aStrides: number[] = [];
  const bStrides: number[] = [];
  for (let k = outShape.length - 1; k >= 0; k--) {
    const d = outShape[k];
    if (d === 1) continue;
    const last = dims.length - 1;
    if (
      last >= 0 &&
      sa[k] === aStrides[last] * dims[last] &&
      sb[k] === bStrides[last] * dims[last]
    ) {
      dims[last] *= d;
      continue;
    }
    dims.push(d);
    aStrides.push(sa[k]);
    bStrides.push(sb[k]);
  }
  if (dims.length === 0) {
    dims.push(1);
    aStrides.push(0);
    bStrides.push(0);
  }
  assert(
    dims.length <= MAX_RANK,
    () =>
      `${op}: more than ${MAX_RANK} broadcast axes is not supported yet ` +
      `(got ${shapeText(a.shape)} and ${shapeText(b.shape)})`,
  );
  return { outShape, dims, aStrides, bStrides };
}

export function createBinaryProgram(a: Tensor): KernelSpec {
  const { WorkgroupSize } = a.gpu.profile.elementwise;
  return { name: 'binary', code, overrides: { WorkgroupSize } };
}

/** out = a op b with broadcasting, into a new tensor (no autograd). */
export function runBinary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const l = validateBinary(op, a, b);
  const out = empty(a.gpu, l.outShape, `${op}.out`);
  const n = sizeOf(l.outShape);
  if (n === 0) return out;
  const slots = (v: number[]): number[] => [...v, ...Array<number>(8 - v.length).fill(0)];
  const kernel = createBinaryProgram(a);
  a.gpu.dispatch({
    kernel,
    buffers: [a.buffer, b.buffer, out.buffer],
    uniform: packUniform([
      n,
      BINARY_OPS[op],
      l.dims.length,
      0,
      ...slots(l.dims),
      ...slots(l.aStrides),
      ...slots(l.bStrides),
    ]),
    workgroups: grid1d(n, kernel.overrides!.WorkgroupSize),
  });
  return out;
}

/** sumToShape that frees `t` when it made a new tensor. */
function reduceTo(t: Tensor, shape: readonly number[]): Tensor {
  const out = sumToShape(t, shape);
  if (out !== t) t.dispose();
  return out;
}

/** Gradients of a op b for the inputs that need them; built from run-level kernels. */
function binaryBackward(op: BinaryOp, a: Tensor, b: Tensor, g: Tensor): (Tensor | null)[] {
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  if (a.requiresGrad) {
    if (op === 'add' || op === 'sub') ga = sumToShape(g, a.shape);
    else ga = reduceTo(runBinary(op === 'mul' ? 'mul' : 'div', g, b), a.shape);
  }
  if (b.requiresGrad) {
    if (op === 'add') gb = sumToShape(g, b.shape);
    else if (op === 'mul') gb = reduceTo(runBinary('mul', g, a), b.shape);
    else {
      // sub: -g; div: -g a / b^2. The sign goes on after the sum, on fewer elements.
      let t = g;
      if (op === 'div') {
        const q = runBinary('div', g, b);
        const r = runBinary('mul', q, a);
        q.dispose();
        t = runBinary('div', r, b);
        r.dispose();
      }
      const s = t === g ? sumToShape(g, b.shape) : reduceTo(t, b.shape);
      gb = runUnary('neg', s);
      if (s !== g) s.dispose();
    }
  }
  return [ga, gb];
}

/**
 * Differentiable a op b with NumPy/PyTorch broadcasting (see
 * `broadcastShapes`); gradients are summed back to each operand's shape.
 * @returns a new tensor of the broadcast shape; the caller owns it
 */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const out = runBinary(op, a, b);
  return record(out, op, [a, b], (g) => noGrad(() => binaryBackward(op, a, b, g)));
}

export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);
