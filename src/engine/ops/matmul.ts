import registerCode from '../../../shaders/matmul.wgsl?raw';
import sharedCode from '../../../shaders/matmul-shared.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { packUniform, type KernelSpec } from '../gpu';
import { empty, filled, shapeText, type Tensor } from '../tensor';
import { reshape } from './reshape';

export interface MatmulOptions {
  /** use A transposed (A is [..., K, M]) */
  transA?: boolean;
  /** use B transposed (B is [..., N, K]) */
  transB?: boolean;
}

interface MatmulDims {
  batch: number;
  m: number;
  n: number;
  k: number;
  aBatched: boolean;
  bBatched: boolean;
  outShape: number[];
}

/**
 * Shapes: A [..., M, K] and B [..., K, N] (last two axes swapped where
 * transposed). Leading batch axes must match, or one side is rank 2 and is
 * broadcast over the other's batch.
 */
export function validateMatmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): MatmulDims {
  assert(
    a.rank >= 2 && b.rank >= 2,
    () => `matmul: operands need rank >= 2 (got ${shapeText(a.shape)} and ${shapeText(b.shape)})`,
  );
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const [m, ka] = opts.transA ? [a1, a0] : [a0, a1];
  const [kb, n] = opts.transB ? [b1, b0] : [b0, b1];
  assert(
    ka === kb,
    () =>
      `matmul: inner sizes differ (expected ${ka}, got ${kb}; A ${shapeText(a.shape)}, B ${shapeText(b.shape)})`,
  );
  const aLead = a.shape.slice(0, -2);
  const bLead = b.shape.slice(0, -2);
  const aBatched = aLead.length > 0;
  const bBatched = bLead.length > 0;
  if (aBatched && bBatched) {
    assert(
      shapeText(aLead) === shapeText(bLead),
      () => `matmul: batch axes differ (expected ${shapeText(aLead)}, got ${shapeText(bLead)})`,
    );
  }
  const lead = aBatched ? aLead : bLead;
  const batch = lead.reduce((x, y) => x * y, 1);
  assert(batch <= 65535, () => `matmul: batch of ${batch} exceeds 65535`);
  return { batch, m, n, k: ka, aBatched, bBatched, outShape: [...lead, m, n] };
}

export function createMatmulProgram(a: Tensor): { kernel: KernelSpec; tile: [number, number] } {
  const { variant, WorkgroupX, WorkgroupY } = a.gpu.profile.matmul;
  if (variant === 'shared') {
    return { kernel: { name: 'matmul-shared', code: sharedCode }, tile: [16, 16] };
  }
  return {
    kernel: { name: 'matmul', code: registerCode, overrides: { WorkgroupX, WorkgroupY } },
    tile: [WorkgroupX * 8, WorkgroupY * 4], // 4 rows x 8 columns per invocation
  };
}

/** Dispatches C = opA(A) @ opB(B) into a new tensor (no autograd). */
export function runMatmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const d = validateMatmul(a, b, opts);
  const out = empty(a.gpu, d.outShape, 'matmul.out');
  if (out.size === 0) return out;
  if (d.k === 0) {
    a.gpu.commandEncoder().clearBuffer(out.buffer);
    return out;
  }
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const { kernel, tile } = createMatmulProgram(a);
  a.gpu.dispatch({
    kernel,
    buffers: [a.buffer, b.buffer, out.buffer],
    uniform: packUniform([
      d.m,
      d.n,
      d.k,
      d.aBatched ? aRows * aCols : 0,
      opts.transA ? 1 : aCols,
      opts.transA ? aCols : 1,
      d.bBatched ? bRows * bCols : 0,
      opts.transB ? 1 : bCols,
      opts.transB ? bCols : 1,
    ]),
    workgroups: [Math.ceil(d.n / tile[0]), Math.ceil(d.m / tile[1]), d.batch],
  });
  return out;
}

/** Sums a [batch, ...] gradient over its batch axis into `shape` (for broadcast operands). */
function sumBatch(g: Tensor, batch: number, shape: readonly number[]): Tensor {
  const rows = reshape(g, [batch, g.size / batch]);
  const ones = filled(g.gpu, [1, batch], 1);
  const summed = runMatmul(ones, rows);
  ones.dispose();
  rows.dispose();
  const out = reshape(summed, shape);
  summed.dispose();
  return out;
}

/**
 * Differentiable (batched) matrix product. See `validateMatmul` for shapes.
 * @returns a new tensor [...batch, M, N]
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const out = runMatmul(a, b, opts);
  const { transA = false, transB = false } = opts;
  return record(out, 'matmul', [a, b], (g) =>
    noGrad(() => {
      const d = validateMatmul(a, b, opts);
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (a.requiresGrad) {
        ga = transA
          ? runMatmul(b, g, { transA: transB, transB: true })
          : runMatmul(g, b, { transB: !transB });
        if (!d.aBatched && d.batch > 1) ga = replace(ga, (t) => sumBatch(t, d.batch, a.shape));
      }
      if (b.requiresGrad) {
        gb = transB
          ? runMatmul(g, a, { transA: true, transB: transA })
          : runMatmul(a, g, { transA: !transA });
        if (!d.bBatched && d.batch > 1) gb = replace(gb, (t) => sumBatch(t, d.batch, b.shape));
      }
      return [ga, gb];
    }),
  );
}

function replace(t: Tensor, f: (t: Tensor) => Tensor): Tensor {
  const out = f(t);
  t.dispose();
  return out;
}
