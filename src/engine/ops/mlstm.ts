// The multiplicative LSTM recurrence (Krause et al. 2016; Radford et al. 2017)
// over a batch of texts of different lengths, forward and backward through time.
// The input projections of all steps are one matmul done by the caller (see
// `mlstmSequence`); each step is then two dispatches forward (mlstm-step-m,
// mlstm-step-cell) and three backward (mlstm-backward-cell, -m, -h).
import stepMCode from '../../../shaders/mlstm-step-m.wgsl?raw';
import stepCellCode from '../../../shaders/mlstm-step-cell.wgsl?raw';
import backCellCode from '../../../shaders/mlstm-backward-cell.wgsl?raw';
import backMCode from '../../../shaders/mlstm-backward-m.wgsl?raw';
import backHCode from '../../../shaders/mlstm-backward-h.wgsl?raw';
import activations from '../../../shaders/lib/activations.wgsl?raw';
import { assert } from '../assert';
import { noGrad, record } from '../autograd';
import { grid1d, packUniform, type Gpu, type KernelSpec } from '../gpu';
import { empty, filled, shapeText, zeros, type Tensor } from '../tensor';
import { matmul, runMatmul } from './matmul';
import { reshape } from './reshape';
import { runSlice } from './slice';

export interface MlstmDims {
  /** N, texts in the batch */
  texts: number;
  /** T, padded steps */
  steps: number;
  /** H, hidden units */
  hidden: number;
  /** per-text lengths as u32, each in 0..T */
  lengths: Uint32Array<ArrayBuffer>;
}

/** The recurrent parameters: W_mh [H, H], W_m [4H, H] and the gate bias [4H] (order i f o u). */
export interface MlstmParams {
  wmh: Tensor;
  wm: Tensor;
  bias: Tensor;
}

/**
 * Shapes: xproj [N, T, 5H] (per step: W_mx x_t, then W_x x_t for i f o u),
 * wmh [H, H], wm [4H, H], bias [4H], init [N, 2H] (h0 | c0) or null for zeros,
 * and one length in 0..T per text.
 */
export function validateMlstm(
  xproj: Tensor,
  p: MlstmParams,
  lengths: ArrayLike<number>,
  init: Tensor | null,
): MlstmDims {
  assert(
    xproj.rank === 3 && xproj.shape[2] % 5 === 0 && xproj.shape[2] > 0,
    () => `mlstm: xproj must be [N, T, 5H] (got ${shapeText(xproj.shape)})`,
  );
  const [texts, steps, five] = xproj.shape;
  const hidden = five / 5;
  assert(texts > 0 && steps > 0, () => `mlstm: empty batch (got ${shapeText(xproj.shape)})`);
  const expect = (name: string, t: Tensor, shape: number[]): void =>
    assert(
      shapeText(t.shape) === shapeText(shape),
      () => `mlstm: ${name} shape (expected ${shapeText(shape)}, got ${shapeText(t.shape)})`,
    );
  expect('wmh', p.wmh, [hidden, hidden]);
  expect('wm', p.wm, [4 * hidden, hidden]);
  expect('bias', p.bias, [4 * hidden]);
  if (init) expect('init', init, [texts, 2 * hidden]);
  assert(
    lengths.length === texts,
    () => `mlstm: one length per text (expected ${texts}, got ${lengths.length})`,
  );
  const out = new Uint32Array(texts);
  for (let n = 0; n < texts; n++) {
    const len = lengths[n];
    assert(
      Number.isInteger(len) && len >= 0 && len <= steps,
      () => `mlstm: length of text ${n} out of range (expected 0..${steps}, got ${len})`,
    );
    out[n] = len;
  }
  return { texts, steps, hidden, lengths: out };
}

type Stage = 'step-m' | 'step-cell' | 'backward-cell' | 'backward-m' | 'backward-h';

const CODE: Record<Stage, string> = {
  'step-m': stepMCode,
  'step-cell': activations + stepCellCode,
  'backward-cell': activations + backCellCode,
  'backward-m': backMCode,
  'backward-h': backHCode,
};

export function createMlstmProgram(gpu: Gpu, stage: Stage): KernelSpec {
  const { WorkgroupSize } = gpu.profile.elementwise;
  return { name: `mlstm-${stage}`, code: CODE[stage], overrides: { WorkgroupSize } };
}

/** Forward activations kept for backward, each over all T steps. */
export interface MlstmSaved {
  /** W_mh h_{t-1} [N, T, H] */
  r: Tensor;
  /** m_t [N, T, H] */
  m: Tensor;
  /** h_{t-1} [N, T, H] */
  hprev: Tensor;
  /** activated gates i f o u [N, T, 4H] */
  gates: Tensor;
}

function uploadLengths(gpu: Gpu, lengths: Uint32Array<ArrayBuffer>): GPUBuffer {
  const buffer = gpu.pool.acquire(Math.max(4, lengths.byteLength), 'mlstm.lengths');
  gpu.device.queue.writeBuffer(buffer, 0, lengths);
  return buffer;
}

function stepDispatch(gpu: Gpu, stage: Stage, buffers: GPUBuffer[], fields: number[]): void {
  const kernel = createMlstmProgram(gpu, stage);
  gpu.dispatch({
    kernel,
    buffers,
    uniform: packUniform(fields),
    workgroups: grid1d(fields[0] * fields[1], kernel.overrides!.WorkgroupSize),
  });
}

/**
 * Runs the recurrence (no autograd). Steps at or past a text's length keep
 * its state, so states[n, T-1] is text n's final state.
 * @returns states [N, T, 2H] (h_t | c_t per step), and with `save` the
 * activations backward needs (the caller disposes all of them)
 */
export function runMlstm(
  xproj: Tensor,
  p: MlstmParams,
  lengths: ArrayLike<number>,
  init: Tensor | null = null,
  save = false,
): { states: Tensor; saved: MlstmSaved | null } {
  const d = validateMlstm(xproj, p, lengths, init);
  const { texts: n, steps: t, hidden: h } = d;
  const gpu = xproj.gpu;
  const h0 = init ?? zeros(gpu, [n, 2 * h]);
  const slots = save ? t : 1;
  const states = empty(gpu, [n, t, 2 * h], 'mlstm.states');
  const r = empty(gpu, [n, slots, h], 'mlstm.r');
  const m = empty(gpu, [n, slots, h], 'mlstm.m');
  const hprev = empty(gpu, [n, slots, h], 'mlstm.hprev');
  const gates = empty(gpu, [n, slots, 4 * h], 'mlstm.gates');
  const len = uploadLengths(gpu, d.lengths);
  for (let step = 0; step < t; step++) {
    const fields = [n, h, t, step, save ? step : 0, slots];
    stepDispatch(
      gpu,
      'step-m',
      [xproj.buffer, states.buffer, h0.buffer, len, p.wmh.buffer, r.buffer, m.buffer, hprev.buffer],
      fields,
    );
    stepDispatch(
      gpu,
      'step-cell',
      [
        xproj.buffer,
        h0.buffer,
        len,
        p.wm.buffer,
        p.bias.buffer,
        m.buffer,
        states.buffer,
        gates.buffer,
      ],
      fields,
    );
  }
  gpu.pool.release(len);
  if (!init) h0.dispose();
  if (save) return { states, saved: { r, m, hprev, gates } };
  for (const s of [r, m, hprev, gates]) s.dispose();
  return { states, saved: null };
}

export interface MlstmGrads {
  dxproj: Tensor;
  dwmh: Tensor;
  dwm: Tensor;
  dbias: Tensor;
  /** gradient of the initial state [N, 2H] */
  dinit: Tensor;
}

/**
 * Backpropagation through time for the gradient `dstates` [N, T, 2H] of the
 * states. Recomputes the forward (activations are not kept between calls,
 * so a forward run inside a `scope` can be differentiated later). Weight and
 * bias gradients are summed over texts and steps as matmuls at the end.
 */
export function runMlstmBackward(
  xproj: Tensor,
  p: MlstmParams,
  lengths: ArrayLike<number>,
  init: Tensor | null,
  dstates: Tensor,
): MlstmGrads {
  const d = validateMlstm(xproj, p, lengths, init);
  const { texts: n, steps: t, hidden: h } = d;
  assert(
    shapeText(dstates.shape) === shapeText([n, t, 2 * h]),
    () =>
      `mlstm: gradient shape (expected ${shapeText([n, t, 2 * h])}, got ${shapeText(dstates.shape)})`,
  );
  const gpu = xproj.gpu;
  const { states, saved } = runMlstm(xproj, p, lengths, init, true);
  const s = saved!;
  const h0 = init ?? zeros(gpu, [n, 2 * h]);
  const carry = zeros(gpu, [n, 2 * h]);
  const dxproj = empty(gpu, [n, t, 5 * h], 'mlstm.dxproj');
  const dr = empty(gpu, [n, t, h], 'mlstm.dr');
  const len = uploadLengths(gpu, d.lengths);
  for (let step = t - 1; step >= 0; step--) {
    const fields = [n, h, t, step];
    stepDispatch(
      gpu,
      'backward-cell',
      [dstates.buffer, states.buffer, h0.buffer, len, s.gates.buffer, carry.buffer, dxproj.buffer],
      fields,
    );
    stepDispatch(
      gpu,
      'backward-m',
      [xproj.buffer, len, p.wm.buffer, s.r.buffer, dxproj.buffer, dr.buffer],
      fields,
    );
    stepDispatch(gpu, 'backward-h', [len, p.wmh.buffer, dr.buffer, carry.buffer], fields);
  }
  gpu.pool.release(len);

  // sums over all (text, step) rows; masked rows hold zeros
  const rows = n * t;
  const dx2 = reshape(dxproj, [rows, 5 * h]);
  const m2 = reshape(s.m, [rows, h]);
  const dwmAll = runMatmul(dx2, m2, { transA: true }); // [5H, H]; rows 0..H are unused
  const dwm = runSlice(dwmAll, 0, h, 5 * h);
  const dr2 = reshape(dr, [rows, h]);
  const hp2 = reshape(s.hprev, [rows, h]);
  const dwmh = runMatmul(dr2, hp2, { transA: true });
  const ones = filled(gpu, [1, rows], 1);
  const dbAll = runMatmul(ones, dx2); // [1, 5H]
  const dbFlat = reshape(dbAll, [5 * h]);
  const dbias = runSlice(dbFlat, 0, h, 5 * h);
  for (const x of [dx2, m2, dwmAll, dr2, hp2, ones, dbAll, dbFlat, dr, states]) x.dispose();
  for (const x of [s.r, s.m, s.hprev, s.gates]) x.dispose();
  if (!init) h0.dispose();
  return { dxproj, dwmh, dwm, dbias, dinit: carry };
}

/**
 * Differentiable mLSTM recurrence over xproj [N, T, 5H] (see `validateMlstm`).
 * Texts shorter than T keep their state after their last byte.
 * @returns a new tensor [N, T, 2H]: h_t in [..., :H], c_t in [..., H:]
 */
export function mlstm(
  xproj: Tensor,
  p: MlstmParams,
  lengths: ArrayLike<number>,
  init: Tensor | null = null,
): Tensor {
  const lens = Uint32Array.from(validateMlstm(xproj, p, lengths, init).lengths);
  const { states } = runMlstm(xproj, p, lens, init);
  const inputs = [xproj, p.wmh, p.wm, p.bias, ...(init ? [init] : [])];
  return record(states, 'mlstm', inputs, (g) =>
    noGrad(() => {
      const grads = runMlstmBackward(xproj, p, lens, init, g);
      const out = [grads.dxproj, grads.dwmh, grads.dwm, grads.dbias, grads.dinit];
      if (!init) grads.dinit.dispose();
      return init ? out : out.slice(0, 4);
    }),
  );
}

/**
 * The whole layer for embedded inputs x [N, T, D]: one matmul for the input
 * projections of every step, X [N*T, D] @ wx^T with wx = [W_mx; W_x] [5H, D],
 * then the recurrence. Differentiable in x, wx and the recurrent parameters.
 * @returns states [N, T, 2H] as `mlstm`
 */
export function mlstmSequence(
  x: Tensor,
  wx: Tensor,
  p: MlstmParams,
  lengths: ArrayLike<number>,
  init: Tensor | null = null,
): Tensor {
  assert(x.rank === 3, () => `mlstm: x must be [N, T, D] (got ${shapeText(x.shape)})`);
  const [n, t, dim] = x.shape;
  const x2 = reshape(x, [n * t, dim]);
  const proj = matmul(x2, wx, { transB: true });
  const xproj = reshape(proj, [n, t, wx.shape[0]]);
  // NOTE: x2, proj and xproj stay alive for backward; like any chain of ops,
  // they belong to the enclosing `scope`.
  return mlstm(xproj, p, lengths, init);
}
