import code from '../../../shaders/instance-norm.wgsl?raw';
import statsCode from '../../../shaders/instance-norm-stats.wgsl?raw';
import rowsCode from '../../../shaders/instance-norm-backward-rows.wgsl?raw';
import backwardCode from '../../../shaders/instance-norm-backward.wgsl?raw';
import paramsCode from '../../../shaders/instance-norm-backward-params.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, filled, shapeText, type Tensor } from '../tensor';

interface InstanceNormDims {
  batch: number;
  channels: number;
  /** product of the spatial axes */
  spatial: number;
}

/** x [N, C, ...spatial] (rank >= 3); weight and bias [C] or null. */
export function validateInstanceNorm(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): InstanceNormDims {
  assert(
    x.rank >= 3,
    () => `instanceNorm: input must be [N, C, ...spatial] (got ${shapeText(x.shape)})`,
  );
  const [batch, channels] = x.shape;
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    assert(
      !t || (t.rank === 1 && t.shape[0] === channels),
      () => `instanceNorm: ${name} shape (expected [${channels}], got ${shapeText(t!.shape)})`,
    );
  }
  assert(eps >= 0, () => `instanceNorm: eps must be >= 0 (got ${eps})`);
  return { batch, channels, spatial: x.size / (batch * channels || 1) };
}

type Stage = 'stats' | 'apply' | 'rows' | 'dx' | 'params';

const stageCode: Record<Stage, [string, string]> = {
  stats: ['instance-norm-stats', statsCode],
  apply: ['instance-norm', code],
  rows: ['instance-norm-backward-rows', rowsCode],
  dx: ['instance-norm-backward', backwardCode],
  params: ['instance-norm-backward-params', paramsCode],
};

export function createInstanceNormProgram(gpu: Gpu, stage: Stage): KernelSpec {
  const [name, source] = stageCode[stage];
  return {
    name,
    code: source,
    overrides: { WorkgroupSize: gpu.profile.elementwise.WorkgroupSize },
  };
}

function dispatch(
  gpu: Gpu,
  stage: Stage,
  buffers: GPUBuffer[],
  uniform: ArrayBuffer,
  n: number,
): void {
  const kernel = createInstanceNormProgram(gpu, stage);
  gpu.dispatch({
    kernel,
    buffers,
    uniform,
    workgroups: grid1d(n, kernel.overrides!.WorkgroupSize),
  });
}

/** Per-row (mean, rstd) of x as a [N * C, 2] tensor. */
function runStats(x: Tensor, d: InstanceNormDims, eps: number): Tensor {
  const rows = d.batch * d.channels;
  const stats = empty(x.gpu, [rows, 2], 'instanceNorm.stats');
  dispatch(
    x.gpu,
    'stats',
    [x.buffer, stats.buffer],
    packUniform([rows, d.spatial, { f32: eps }]),
    rows,
  );
  return stats;
}

/** Normalizes each (n, c) row of x over its spatial axes (no autograd). */
export function runInstanceNorm(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps = 1e-5,
): Tensor {
  const d = validateInstanceNorm(x, weight, bias, eps);
  const gpu = x.gpu;
  const out = empty(gpu, x.shape, 'instanceNorm.out');
  if (x.size === 0) return out;
  const stats = runStats(x, d, eps);
  const w = weight ?? filled(gpu, [d.channels], 1);
  const b = bias ?? filled(gpu, [d.channels], 0);
  dispatch(
    gpu,
    'apply',
    [x.buffer, stats.buffer, w.buffer, b.buffer, out.buffer],
    packUniform([x.size, d.spatial, d.channels]),
    x.size,
  );
  stats.dispose();
  if (!weight) w.dispose();
  if (!bias) b.dispose();
  return out;
}

/**
 * Gradients of instance norm for output gradient g: [dx, dweight, dbias]
 * (dweight and dbias null without those parameters). No autograd.
 */
export function runInstanceNormBackward(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  g: Tensor,
  eps = 1e-5,
): [Tensor, Tensor | null, Tensor | null] {
  const d = validateInstanceNorm(x, weight, bias, eps);
  const gpu = x.gpu;
  const rows = d.batch * d.channels;
  const dx = empty(gpu, x.shape, 'instanceNorm.dx');
  if (x.size === 0)
    return [dx, weight && filled(gpu, weight.shape, 0), bias && filled(gpu, bias.shape, 0)];
  // NOTE: statistics are recomputed rather than saved from the forward, so a
  // forward run inside a `scope` can still be differentiated after it ends.
  const stats = runStats(x, d, eps);
  const sums = empty(gpu, [rows, 2], 'instanceNorm.sums');
  dispatch(
    gpu,
    'rows',
    [x.buffer, g.buffer, stats.buffer, sums.buffer],
    packUniform([rows, d.spatial]),
    rows,
  );
  const w = weight ?? filled(gpu, [d.channels], 1);
  dispatch(
    gpu,
    'dx',
    [x.buffer, g.buffer, stats.buffer, sums.buffer, w.buffer, dx.buffer],
    packUniform([x.size, d.spatial, d.channels]),
    x.size,
  );
  if (!weight) w.dispose();
  let dweight: Tensor | null = null;
  let dbias: Tensor | null = null;
  if (weight || bias) {
    dweight = empty(gpu, [d.channels], 'instanceNorm.dweight');
    dbias = empty(gpu, [d.channels], 'instanceNorm.dbias');
    dispatch(
      gpu,
      'params',
      [sums.buffer, dweight.buffer, dbias.buffer],
      packUniform([d.batch, d.channels]),
      d.channels,
    );
    if (!weight) {
      dweight.dispose();
      dweight = null;
    }
    if (!bias) {
      dbias.dispose();
      dbias = null;
    }
  }
  stats.dispose();
  sums.dispose();
  return [dx, dweight, dbias];
}

/**
 * Differentiable instance normalization (PyTorch F.instance_norm without running
 * stats): each (n, c) slice of x [N, C, ...spatial] is normalized over its
 * spatial axes with the biased variance, then scaled by weight[c] and shifted by
 * bias[c] when given. A spatial size of 1 gives bias (PyTorch refuses it in
 * training). @returns a new tensor of x's shape
 */
export function instanceNorm(
  x: Tensor,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  const out = runInstanceNorm(x, weight, bias, eps);
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return record(out, 'instanceNorm', inputs, (g) =>
    noGrad(() => {
      const [dx, dw, db] = runInstanceNormBackward(x, weight, bias, g, eps);
      const grads = [x.requiresGrad ? dx : null];
      if (weight) grads.push(weight.requiresGrad ? dw : null);
      if (bias) grads.push(bias.requiresGrad ? db : null);
      for (const t of [dx, dw, db]) if (t && !grads.includes(t)) t.dispose();
      return grads;
    }),
  );
}
