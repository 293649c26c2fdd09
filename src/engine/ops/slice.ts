import code from '../../../shaders/slice.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { empty, shapeText, zeros, type Tensor } from '../tensor';

/** `axis` as a non-negative index into a shape of `rank` (negative counts from the end). */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  assert(
    Number.isInteger(axis) && a >= 0 && a < rank,
    () => `${op}: axis out of range (expected ${-rank} <= axis < ${rank}, got ${axis})`,
  );
  return a;
}

/** [outer, dim, inner] view of `shape` around `axis`. */
export function axisView(shape: readonly number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((x, y) => x * y, 1);
  const inner = shape.slice(axis + 1).reduce((x, y) => x * y, 1);
  return [outer, shape[axis], inner];
}

export interface BlockCopy {
  /** axis index of both tensors (they agree on all other axes) */
  axis: number;
  /** elements copied along the axis */
  len: number;
  srcOffset: number;
  dstOffset: number;
}

export function createSliceProgram(gpu: Tensor['gpu']): KernelSpec {
  return {
    name: 'slice',
    code,
    overrides: { WorkgroupSize: gpu.profile.elementwise.WorkgroupSize },
  };
}

/**
 * dst[..., dstOffset + j, ...] = src[..., srcOffset + j, ...] for j < len along
 * `axis`, in place on `dst`. Not recorded by autograd. Shared by slice and concat.
 */
export function runBlockCopy(src: Tensor, dst: Tensor, c: BlockCopy): void {
  const [outer, srcDim, inner] = axisView(src.shape, c.axis);
  const dstDim = dst.shape[c.axis];
  assert(
    c.srcOffset + c.len <= srcDim && c.dstOffset + c.len <= dstDim,
    () => `slice: block copy out of bounds (len ${c.len}, src dim ${srcDim}, dst dim ${dstDim})`,
  );
  const total = outer * c.len * inner;
  if (total === 0) return;
  const kernel = createSliceProgram(src.gpu);
  src.gpu.dispatch({
    kernel,
    buffers: [src.buffer, dst.buffer],
    uniform: packUniform([total, c.len, inner, srcDim, c.srcOffset, dstDim, c.dstOffset]),
    workgroups: grid1d(total, kernel.overrides!.WorkgroupSize),
  });
}

export function validateSlice(x: Tensor, axis: number, start: number, end: number): number {
  const a = normalizeAxis('slice', axis, x.rank);
  const dim = x.shape[a];
  assert(
    Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= dim,
    () =>
      `slice: range out of bounds (expected 0 <= start <= end <= ${dim} on axis ${a} of ` +
      `${shapeText(x.shape)}, got start ${start}, end ${end})`,
  );
  return a;
}

/** Copies x[..., start:end, ...] along `axis` into a new tensor (no autograd). */
export function runSlice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const a = validateSlice(x, axis, start, end);
  const shape = [...x.shape];
  shape[a] = end - start;
  const out = empty(x.gpu, shape, 'slice.out');
  runBlockCopy(x, out, { axis: a, len: end - start, srcOffset: start, dstOffset: 0 });
  return out;
}

/**
 * Differentiable slice: x[..., start:end, ...] along `axis` (negative axis counts
 * from the end). Indices must satisfy 0 <= start <= end <= x.shape[axis].
 * @returns a new tensor (a copy, not a view); its backward pads with zeros.
 */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const out = runSlice(x, axis, start, end);
  const a = validateSlice(x, axis, start, end);
  return record(out, 'slice', [x], (g) =>
    noGrad(() => {
      const gx = zeros(x.gpu, x.shape);
      runBlockCopy(g, gx, { axis: a, len: end - start, srcOffset: 0, dstOffset: start });
      return [gx];
    }),
  );
}
