import activations from '../../../shaders/lib/activations.wgsl?raw';
import body from '../../../shaders/unary.wgsl?raw';
import backwardCode from '../../../shaders/unary-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';

const code = activations + body;

/** Op codes of shaders/unary.wgsl and unary-backward.wgsl (keep in sync). */
export const UNARY_OPS = {
  tanh: 0,
  sigmoid: 1,
  relu: 2,
  leakyRelu: 3,
  exp: 4,
  log: 5,
  neg: 6,
  abs: 7,
  sqrt: 8,
  square: 9,
  scale: 10,
  shift: 11,
} as const;

export type UnaryOp = keyof typeof UNARY_OPS;

export function validateUnary(op: UnaryOp, x: Tensor, alpha: number): void {
  assert(
    op in UNARY_OPS,
    () => `unary: unknown op (expected one of ${Object.keys(UNARY_OPS).join(', ')}, got ${op})`,
  );
  assert(Number.isFinite(alpha), () => `${op}: parameter must be finite (got ${alpha})`);
  assert(!x.disposed, () => `${op}: input is disposed (shape ${shapeText(x.shape)})`);
}

export function createUnaryProgram(x: Tensor, backward: boolean): KernelSpec {
  const { WorkgroupSize } = x.gpu.profile.elementwise;
  return backward
    ? { name: 'unary-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'unary', code, overrides: { WorkgroupSize } };
}

/** y = f(x) into a new tensor of x's shape (no autograd). `alpha`: slope, factor or shift. */
export function runUnary(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  validateUnary(op, x, alpha);
  const out = empty(x.gpu, x.shape, `${op}.out`);
  if (x.size === 0) return out;
  const kernel = createUnaryProgram(x, false);
  x.gpu.dispatch({
    kernel,
    buffers: [x.buffer, out.buffer],
    uniform: packUniform([x.size, UNARY_OPS[op], { f32: alpha }]),
    workgroups: grid1d(x.size, kernel.overrides!.WorkgroupSize),
  });
  return out;
}

/** dx = g * f'(x) into a new tensor (no autograd). `g` must have x's size. */
export function runUnaryBackward(op: UnaryOp, x: Tensor, g: Tensor, alpha = 0): Tensor {
  validateUnary(op, x, alpha);
  assert(
    g.size === x.size,
    () => `${op}: gradient size (expected ${shapeText(x.shape)}, got ${shapeText(g.shape)})`,
  );
  const dx = empty(x.gpu, x.shape, `${op}.dx`);
  if (x.size === 0) return dx;
  const kernel = createUnaryProgram(x, true);
  x.gpu.dispatch({
    kernel,
    buffers: [x.buffer, g.buffer, dx.buffer],
    uniform: packUniform([x.size, UNARY_OPS[op], { f32: alpha }]),
    workgroups: grid1d(x.size, kernel.overrides!.WorkgroupSize),
  });
  return dx;
}

/**
 * Differentiable pointwise function of `x` (any shape, f32).
 * @returns a new tensor of x's shape; the caller owns it
 */
export function unary(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  const out = runUnary(op, x, alpha);
  return record(out, op, [x], (g) => noGrad(() => [runUnaryBackward(op, x, g, alpha)]));
}

export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** 1 / (1 + exp(-x)) */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** x for x > 0, slope * x otherwise */
export const leakyRelu = (x: Tensor, slope = 0.01): Tensor => unary('leakyRelu', x, slope);
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** natural log; NaN below 0, -inf at 0 */
export const log = (x: Tensor): Tensor => unary('log', x);
export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const square = (x: Tensor): Tensor => unary('square', x);
/** a * x */
export const scale = (x: Tensor, a: number): Tensor => unary('scale', x, a);
/** x + b */
export const shift = (x: Tensor, b: number): Tensor => unary('shift', x, b);
