import code from '../../../shaders/resize.wgsl?raw';
import backwardCode from '../../../shaders/resize-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, type Tensor } from '../tensor';

export type ResizeMode = 'nearest' | 'linear';

export interface ResizeOptions {
  /** PyTorch align_corners (linear only): map corner pixel centres onto each other */
  alignCorners?: boolean;
}

/** Two taps per output index along one axis: input indices and weights. */
export interface AxisTaps {
  i0: Uint32Array;
  i1: Uint32Array;
  w0: Float32Array;
  w1: Float32Array;
}

const f32 = Math.fround;

/**
 * Taps of PyTorch's F.interpolate (size given, no scale_factor) along one axis,
 * computed in float32 like its CPU kernels so nearest picks the same pixels.
 * nearest: src = min(floor(dst * (in / out)), in - 1).
 * linear: src = max((dst + 0.5) * in / out - 0.5, 0), or dst * (in-1)/(out-1)
 * with alignCorners; taps floor(src) and the next index, weights 1-frac, frac.
 */
export function axisTaps(
  inSize: number,
  outSize: number,
  mode: ResizeMode,
  alignCorners = false,
): AxisTaps {
  const t: AxisTaps = {
    i0: new Uint32Array(outSize),
    i1: new Uint32Array(outSize),
    w0: new Float32Array(outSize),
    w1: new Float32Array(outSize),
  };
  for (let o = 0; o < outSize; o++) {
    if (mode === 'nearest') {
      const scale = f32(inSize / outSize);
      const i = outSize === inSize ? o : Math.min(Math.floor(f32(o * scale)), inSize - 1);
      t.i0[o] = t.i1[o] = i;
      t.w0[o] = 1;
      continue;
    }
    let src: number;
    if (alignCorners) {
      const scale = outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : 0;
      src = f32(scale * o);
    } else {
      const scale = f32(inSize / outSize);
      src = Math.max(f32(f32(scale * f32(o + 0.5)) - 0.5), 0);
    }
    const i = Math.min(Math.floor(src), inSize - 1);
    const lambda = Math.min(Math.max(f32(src - i), 0), 1);
    t.i0[o] = i;
    t.i1[o] = i < inSize - 1 ? i + 1 : i;
    t.w0[o] = f32(1 - lambda);
    t.w1[o] = lambda;
  }
  return t;
}

/** An identity axis of length 1 (the row axis of a 1-D resize). */
const unitTaps = (): AxisTaps => axisTaps(1, 1, 'nearest');

/** Per input index, the range [begin, end) of outputs whose taps read it. */
export function tapRanges(taps: AxisTaps, inSize: number): Uint32Array {
  const r = new Uint32Array(2 * inSize);
  for (let i = 0; i < inSize; i++) r[2 * i] = 0xffffffff;
  for (let o = 0; o < taps.i0.length; o++) {
    for (const i of [taps.i0[o], taps.i1[o]]) {
      r[2 * i] = Math.min(r[2 * i], o);
      r[2 * i + 1] = Math.max(r[2 * i + 1], o + 1);
    }
  }
  for (let i = 0; i < inSize; i++) if (r[2 * i] === 0xffffffff) r[2 * i] = 0;
  return r;
}

/** Rows then columns, each (i0, i1, w0 bits, w1 bits) as in resize.wgsl. */
function packTaps(ty: AxisTaps, tx: AxisTaps): Uint32Array<ArrayBuffer> {
  const packed = new Uint32Array(4 * (ty.i0.length + tx.i0.length));
  const bits = new Float32Array(1);
  const asU32 = new Uint32Array(bits.buffer);
  let k = 0;
  for (const t of [ty, tx]) {
    for (let o = 0; o < t.i0.length; o++) {
      packed[k++] = t.i0[o];
      packed[k++] = t.i1[o];
      bits[0] = t.w0[o];
      packed[k++] = asU32[0];
      bits[0] = t.w1[o];
      packed[k++] = asU32[0];
    }
  }
  return packed;
}

function uploadU32(gpu: Gpu, data: Uint32Array<ArrayBuffer>, label: string): GPUBuffer {
  const buffer = gpu.pool.acquire(Math.max(4, data.byteLength), label);
  gpu.device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

interface ResizePlan {
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  outShape: number[];
  ty: AxisTaps;
  tx: AxisTaps;
}

/** Checks rank (4 for 2-D, 3 for 1-D) and sizes; builds the taps. */
export function validateResize(
  x: Tensor,
  outSize: readonly number[],
  mode: ResizeMode,
  alignCorners = false,
): ResizePlan {
  const spatial = outSize.length;
  const name = `resize${mode === 'nearest' ? 'Nearest' : spatial === 2 ? 'Bilinear' : 'Linear'}`;
  const axes = spatial === 2 ? 'H, W' : 'L';
  assert(
    x.rank === spatial + 2,
    () => `${name}: input must be [N, C, ${axes}] (got ${shapeText(x.shape)})`,
  );
  assert(
    outSize.every((d) => Number.isInteger(d) && d > 0),
    () => `${name}: output size must hold positive integers (got ${shapeText(outSize)})`,
  );
  assert(
    x.shape.slice(2).every((d) => d > 0),
    () => `${name}: input spatial axes must be non-empty (got ${shapeText(x.shape)})`,
  );
  const [inH, inW] = spatial === 2 ? [x.shape[2], x.shape[3]] : [1, x.shape[2]];
  const [outH, outW] = spatial === 2 ? [outSize[0], outSize[1]] : [1, outSize[0]];
  return {
    planes: x.shape[0] * x.shape[1],
    inH,
    inW,
    outH,
    outW,
    outShape: [x.shape[0], x.shape[1], ...outSize],
    ty: spatial === 2 ? axisTaps(inH, outH, mode, alignCorners) : unitTaps(),
    tx: axisTaps(inW, outW, mode, alignCorners),
  };
}

export function createResizeProgram(gpu: Gpu, backward = false): KernelSpec {
  const WorkgroupSize = gpu.profile.elementwise.WorkgroupSize;
  return backward
    ? { name: 'resize-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'resize', code, overrides: { WorkgroupSize } };
}

/** Forward dispatch for a validated plan (no autograd). */
export function runResize(x: Tensor, plan: ResizePlan): Tensor {
  const gpu = x.gpu;
  const out = empty(gpu, plan.outShape, 'resize.out');
  const total = out.size;
  if (total === 0) return out;
  const kernel = createResizeProgram(gpu);
  const taps = uploadU32(gpu, packTaps(plan.ty, plan.tx), 'resize.taps');
  gpu.dispatch({
    kernel,
    buffers: [x.buffer, taps, out.buffer],
    uniform: packUniform([total, plan.inH, plan.inW, plan.outH, plan.outW]),
    workgroups: grid1d(total, kernel.overrides!.WorkgroupSize),
  });
  gpu.pool.release(taps);
  return out;
}

/** Input gradient of `runResize` for output gradient `g` (no autograd). */
export function runResizeBackward(g: Tensor, plan: ResizePlan, inShape: readonly number[]): Tensor {
  const gpu = g.gpu;
  const dx = empty(gpu, inShape, 'resize.dx');
  const total = dx.size;
  if (total === 0) return dx;
  const kernel = createResizeProgram(gpu, true);
  const taps = uploadU32(gpu, packTaps(plan.ty, plan.tx), 'resize.taps');
  const ry = tapRanges(plan.ty, plan.inH);
  const rx = tapRanges(plan.tx, plan.inW);
  const packed = new Uint32Array(ry.length + rx.length);
  packed.set(ry);
  packed.set(rx, ry.length);
  const ranges = uploadU32(gpu, packed, 'resize.ranges');
  gpu.dispatch({
    kernel,
    buffers: [g.buffer, taps, ranges, dx.buffer],
    uniform: packUniform([total, plan.inH, plan.inW, plan.outH, plan.outW]),
    workgroups: grid1d(total, kernel.overrides!.WorkgroupSize),
  });
  gpu.pool.release(taps);
  gpu.pool.release(ranges);
  return dx;
}

function resize(x: Tensor, outSize: number[], mode: ResizeMode, alignCorners: boolean): Tensor {
  const plan = validateResize(x, outSize, mode, alignCorners);
  const out = runResize(x, plan);
  return record(out, `resize-${mode}`, [x], (g) =>
    noGrad(() => [runResizeBackward(g, plan, x.shape)]),
  );
}

/**
 * Differentiable nearest-neighbour resize of x [N, C, H, W] to [N, C, outH, outW],
 * matching PyTorch F.interpolate(mode='nearest', size=...). @returns a new tensor
 */
export function resizeNearest(x: Tensor, outH: number, outW: number): Tensor {
  return resize(x, [outH, outW], 'nearest', false);
}

/**
 * Differentiable bilinear resize of x [N, C, H, W] to [N, C, outH, outW], matching
 * PyTorch F.interpolate(mode='bilinear', size=..., align_corners), no antialiasing.
 * @returns a new tensor
 */
export function resizeBilinear(
  x: Tensor,
  outH: number,
  outW: number,
  opts: ResizeOptions = {},
): Tensor {
  return resize(x, [outH, outW], 'linear', opts.alignCorners ?? false);
}

/** 1-D nearest resize of x [N, C, L] to [N, C, outL] (PyTorch mode='nearest'). */
export function resizeNearest1d(x: Tensor, outL: number): Tensor {
  return resize(x, [outL], 'nearest', false);
}

/** 1-D linear resize of x [N, C, L] to [N, C, outL] (PyTorch mode='linear'). */
export function resizeLinear1d(x: Tensor, outL: number, opts: ResizeOptions = {}): Tensor {
  return resize(x, [outL], 'linear', opts.alignCorners ?? false);
}
