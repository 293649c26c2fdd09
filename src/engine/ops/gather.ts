import code from '../../../shaders/gather.wgsl?raw';
import backwardCode from '../../../shaders/gather-backward.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, shapeText, zeros, type Tensor } from '../tensor';

export type Indices = Int32Array | Uint32Array | readonly number[];

/** Checks the table rank and that every index is an integer in [0, V); returns them as u32. */
export function validateGather(table: Tensor, indices: Indices): Uint32Array<ArrayBuffer> {
  assert(table.rank === 2, () => `gather: table must be [V, D] (got ${shapeText(table.shape)})`);
  const rows = table.shape[0];
  const out = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    assert(
      Number.isInteger(v) && v >= 0 && v < rows,
      () => `gather: index out of range at position ${i} (expected 0 <= index < ${rows}, got ${v})`,
    );
    out[i] = v;
  }
  return out;
}

export function createGatherProgram(gpu: Gpu, backward = false): KernelSpec {
  const WorkgroupSize = gpu.profile.elementwise.WorkgroupSize;
  return backward
    ? { name: 'gather-backward', code: backwardCode, overrides: { WorkgroupSize } }
    : { name: 'gather', code, overrides: { WorkgroupSize } };
}

/** A pooled storage buffer holding `data`; release it after the dispatch that reads it. */
function uploadU32(gpu: Gpu, data: Uint32Array<ArrayBuffer>, label: string): GPUBuffer {
  const buffer = gpu.pool.acquire(Math.max(4, data.byteLength), label);
  if (data.length > 0) gpu.device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** Rows [n, D] of `table` picked by `indices` (no autograd). */
export function runGather(table: Tensor, indices: Indices): Tensor {
  return gatherRows(table, validateGather(table, indices));
}

function gatherRows(table: Tensor, idx: Uint32Array<ArrayBuffer>): Tensor {
  const dim = table.shape[1];
  const gpu = table.gpu;
  const out = empty(gpu, [idx.length, dim], 'gather.out');
  const total = idx.length * dim;
  if (total === 0) return out;
  const kernel = createGatherProgram(gpu);
  const idxBuffer = uploadU32(gpu, idx, 'gather.indices');
  gpu.dispatch({
    kernel,
    buffers: [table.buffer, idxBuffer, out.buffer],
    uniform: packUniform([total, dim]),
    workgroups: grid1d(total, kernel.overrides!.WorkgroupSize),
  });
  gpu.pool.release(idxBuffer);
  return out;
}

/**
 * Output positions grouped by table row, as [rows (U) | starts (U+1) | positions (n)].
 * Positions keep ascending order, so the GPU sum order is fixed (deterministic).
 */
export function groupByRow(idx: Uint32Array): { csr: Uint32Array<ArrayBuffer>; used: number } {
  const byRow = new Map<number, number[]>();
  idx.forEach((row, pos) => {
    const list = byRow.get(row);
    if (list) list.push(pos);
    else byRow.set(row, [pos]);
  });
  const used = byRow.size;
  const csr = new Uint32Array(2 * used + 1 + idx.length);
  let u = 0;
  let k = 0;
  for (const [row, positions] of byRow) {
    csr[u] = row;
    csr[used + u] = k;
    for (const p of positions) csr[2 * used + 1 + k++] = p;
    u++;
  }
  csr[2 * used] = k;
  return { csr, used };
}

/** Table gradient [V, D]: sum of the rows of `grad` [n, D] per looked-up index (no autograd). */
export function runGatherBackward(
  grad: Tensor,
  indices: Uint32Array,
  tableShape: readonly number[],
): Tensor {
  const gpu = grad.gpu;
  const dim = tableShape[1];
  assert(
    grad.size === indices.length * dim,
    () => `gather: grad shape (expected [${indices.length}, ${dim}], got ${shapeText(grad.shape)})`,
  );
  const out = zeros(gpu, tableShape);
  const { csr, used } = groupByRow(indices);
  const total = used * dim;
  if (total === 0) return out;
  const kernel = createGatherProgram(gpu, true);
  const csrBuffer = uploadU32(gpu, csr, 'gather.csr');
  gpu.dispatch({
    kernel,
    buffers: [grad.buffer, csrBuffer, out.buffer],
    uniform: packUniform([total, dim, used]),
    workgroups: grid1d(total, kernel.overrides!.WorkgroupSize),
  });
  gpu.pool.release(csrBuffer);
  return out;
}

/**
 * Differentiable embedding lookup: out[r] = table[indices[r]], table [V, D].
 * Throws when an index is not an integer in [0, V). Repeated indices sum their
 * gradients. @returns a new tensor [indices.length, D]
 */
export function gather(table: Tensor, indices: Indices): Tensor {
  const idx = validateGather(table, indices); // a private copy: the caller may reuse its array
  const out = gatherRows(table, idx);
  return record(out, 'gather', [table], (g) =>
    noGrad(() => [runGatherBackward(g, idx, table.shape)]),
  );
}
