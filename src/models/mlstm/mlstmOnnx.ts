// The byte mLSTM as two small ONNX graphs for onnxruntime-web's wasm backend,
// the fallback where WebGPU is missing or slower (software adapters). Built
// here from the loaded weights (io/onnxWriter), so the page needs no exported
// step.onnx. Same equations as training/mlstm/model.py and mlstm.ts:
//   step: byte (one-hot [N, 256]), h, c [N, H] -> h', c'
//     x = onehot @ E; m = (x @ Wmx^T) * (h @ Wmh^T)
//     [i f o u] = x @ Wx^T + b + m @ Wm^T; c' = sig(f) c + sig(i) tanh(u); h' = sig(o) tanh(c')
//   head: h [R, H] -> logits = h @ Wout^T + b_out [R, 256]
// The recurrence (one ORT run per byte), length masking and sampling run here.
import { assert } from '../../engine/assert';
import { OrtModel } from '../../engine/ort/ortModel';
import { uniformSource } from '../../engine/random';
import { writeOnnxModel } from '../../io/onnxWriter';
import type { MlstmConfig } from './config';
import {
  checkGenerateOptions,
  sampleByte,
  type GenerateOptions,
  type Pool,
  type StateKind,
} from './mlstm';
import type { MlstmWeightArrays } from './weights';

/** [rows, cols] row-major -> [cols, rows] */
function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  }
  return out;
}

/** The recurrent step graph: inputs onehot, h, c; outputs h_next, c_next (batch axis dynamic). */
export function buildMlstmStepOnnx(config: MlstmConfig, w: MlstmWeightArrays): Uint8Array {
  const { embedDim: d, hidden: h } = config;
  return writeOnnxModel({
    nodes: [
      { op: 'MatMul', inputs: ['onehot', 'embed'], outputs: ['x'] },
      { op: 'MatMul', inputs: ['x', 'wmxT'], outputs: ['mx'] },
      { op: 'MatMul', inputs: ['h', 'wmhT'], outputs: ['mh'] },
      { op: 'Mul', inputs: ['mx', 'mh'], outputs: ['m'] },
      { op: 'MatMul', inputs: ['x', 'wxT'], outputs: ['zx'] },
      { op: 'Add', inputs: ['zx', 'bias'], outputs: ['zxb'] },
      { op: 'MatMul', inputs: ['m', 'wmT'], outputs: ['zm'] },
      { op: 'Add', inputs: ['zxb', 'zm'], outputs: ['z'] },
      // NOTE: Split-13 without a `split` input cuts axis 1 into 4 equal parts: gates [i f o u]
      { op: 'Split', inputs: ['z'], outputs: ['zi', 'zf', 'zo', 'zu'], attributes: { axis: 1 } },
      { op: 'Sigmoid', inputs: ['zi'], outputs: ['i'] },
      { op: 'Sigmoid', inputs: ['zf'], outputs: ['f'] },
      { op: 'Sigmoid', inputs: ['zo'], outputs: ['o'] },
      { op: 'Tanh', inputs: ['zu'], outputs: ['u'] },
      { op: 'Mul', inputs: ['f', 'c'], outputs: ['fc'] },
      { op: 'Mul', inputs: ['i', 'u'], outputs: ['iu'] },
      { op: 'Add', inputs: ['fc', 'iu'], outputs: ['c_next'] },
      { op: 'Tanh', inputs: ['c_next'], outputs: ['tc'] },
      { op: 'Mul', inputs: ['o', 'tc'], outputs: ['h_next'] },
    ],
    inputs: { onehot: ['batch', 256], h: ['batch', h], c: ['batch', h] },
    outputs: { h_next: ['batch', h], c_next: ['batch', h] },
    initializers: {
      embed: { shape: [256, d], data: w['embed.weight'].data },
      wmxT: { shape: [d, h], data: transposed(w['wmx.weight'].data, h, d) },
      wmhT: { shape: [h, h], data: transposed(w['wmh.weight'].data, h, h) },
      wxT: { shape: [d, 4 * h], data: transposed(w['wx.weight'].data, 4 * h, d) },
      bias: { shape: [4 * h], data: w['wx.bias'].data },
      wmT: { shape: [h, 4 * h], data: transposed(w['wm.weight'].data, 4 * h, h) },
    },
  });
}

/** The output layer: h [rows, H] -> logits [rows, 256]. */
export function buildMlstmHeadOnnx(config: MlstmConfig, w: MlstmWeightArrays): Uint8Array {
  const h = config.hidden;
  return writeOnnxModel({
    nodes: [
      { op: 'MatMul', inputs: ['h', 'woutT'], outputs: ['hw'] },
      { op: 'Add', inputs: ['hw', 'bout'], outputs: ['logits'] },
    ],
    inputs: { h: ['rows', h] },
    outputs: { logits: ['rows', 256] },
    initializers: {
      woutT: { shape: [h, 256], data: transposed(w['out.weight'].data, 256, h) },
      bout: { shape: [256], data: w['out.bias'].data },
    },
  });
}

function checkTexts(texts: readonly Uint8Array[], op: string): void {
  assert(texts.length > 0, `${op}: no texts (expected at least one)`);
  texts.forEach((t, n) =>
    assert(t.length > 0, () => `${op}: text ${n} is empty (expected at least one byte)`),
  );
}

/** Host-side states of a batch: h and c [N, H] row-major. */
interface States {
  h: Float32Array;
  c: Float32Array;
}

/**
 * The mLSTM on onnxruntime-web (wasm): same results as MlstmModel on the GPU
 * (features, logits, unit traces, generation with a clamped unit), as host arrays.
 */
export class MlstmWasm {
  private constructor(
    readonly config: MlstmConfig,
    private readonly step: OrtModel,
    private readonly head: OrtModel,
  ) {}

  /** Builds both graphs from checked weights (e.g. parseMlstmWeights). */
  static async create(config: MlstmConfig, w: MlstmWeightArrays): Promise<MlstmWasm> {
    const [step, head] = await Promise.all([
      OrtModel.create(buildMlstmStepOnnx(config, w)),
      OrtModel.create(buildMlstmHeadOnnx(config, w)),
    ]);
    return new MlstmWasm(config, step, head);
  }

  get hidden(): number {
    return this.config.hidden;
  }

  /** One step of `bytes.length` rows from `prev` (zeros when null). */
  private async advance(bytes: ArrayLike<number>, prev: States | null): Promise<States> {
    const n = bytes.length;
    const h = this.hidden;
    const onehot = new Float32Array(n * 256);
    for (let r = 0; r < n; r++) onehot[r * 256 + bytes[r]] = 1;
    const out = await this.step.run({
      onehot: { data: onehot, shape: [n, 256] },
      h: { data: prev?.h ?? new Float32Array(n * h), shape: [n, h] },
      c: { data: prev?.c ?? new Float32Array(n * h), shape: [n, h] },
    });
    return { h: out.h_next.data, c: out.c_next.data };
  }

  /**
   * Reads texts of any lengths in one batch; ended texts keep their state.
   * `onStep(t, rows, states)` sees the states after byte t of the live texts `rows`.
   * @returns the final h and c [N, H]
   */
  private async readBatch(
    texts: readonly Uint8Array[],
    onStep?: (t: number, rows: readonly number[], s: States) => void,
  ): Promise<States> {
    const h = this.hidden;
    const n = texts.length;
    const final: States = { h: new Float32Array(n * h), c: new Float32Array(n * h) };
    const steps = Math.max(...texts.map((t) => t.length));
    let rows = texts.map((_, i) => i);
    let state: States | null = null;
    let lastYield = performance.now();
    for (let t = 0; t < steps; t++) {
      if (performance.now() - lastYield > 30) {
        // wasm runs on this thread: let the page paint between steps
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = performance.now();
      }
      const live = rows.filter((i) => texts[i].length > t);
      if (state && live.length < rows.length) {
        // only still-reading texts run on; drop the rows of ended ones
        const keep = rows.map((i, r) => (texts[i].length > t ? r : -1)).filter((r) => r >= 0);
        state = {
          h: gatherRows(state.h, keep, h),
          c: gatherRows(state.c, keep, h),
        };
      }
      rows = live;
      state = await this.advance(
        rows.map((i) => texts[i][t]),
        state,
      );
      onStep?.(t, rows, state);
      rows.forEach((i, r) => {
        if (texts[i].length !== t + 1) return;
        final.h.set(state!.h.subarray(r * h, (r + 1) * h), i * h);
        final.c.set(state!.c.subarray(r * h, (r + 1) * h), i * h);
      });
    }
    return final;
  }

  /**
   * Features [N, H] of texts of any lengths: each text's final cell state
   * (pool 'final') or h averaged over its bytes ('mean').
   * @throws when a text is empty
   */
  async featurize(texts: readonly Uint8Array[], opts: { pool?: Pool } = {}): Promise<Float32Array> {
    const pool = opts.pool ?? 'final';
    assert(
      pool === 'final' || pool === 'mean',
      () => `mlstm: pool (expected 'final' or 'mean', got ${String(pool)})`,
    );
    checkTexts(texts, 'featurize');
    const h = this.hidden;
    if (pool === 'final') return (await this.readBatch(texts)).c;
    const sums = new Float64Array(texts.length * h);
    await this.readBatch(texts, (_, rows, s) =>
      rows.forEach((i, r) => {
        for (let j = 0; j < h; j++) sums[i * h + j] += s.h[r * h + j];
      }),
    );
    return Float32Array.from(sums, (v, k) => v / texts[Math.floor(k / h)].length);
  }

  /**
   * Reads one text: every step's h [T, H] and one unit of h or c (default c) per byte.
   * @throws when the text is empty or the unit is out of range
   */
  async read(
    bytes: Uint8Array,
    unitIndex: number,
    opts: { state?: StateKind } = {},
  ): Promise<{ hs: Float32Array; trace: Float32Array }> {
    const h = this.hidden;
    assert(
      Number.isInteger(unitIndex) && unitIndex >= 0 && unitIndex < h,
      () => `unitTrace: unit out of range (expected 0..${h - 1}, got ${unitIndex})`,
    );
    checkTexts([bytes], 'unitTrace');
    const hs = new Float32Array(bytes.length * h);
    const trace = new Float32Array(bytes.length);
    await this.readBatch([bytes], (t, _, s) => {
      hs.set(s.h, t * h);
      trace[t] = ((opts.state ?? 'c') === 'c' ? s.c : s.h)[unitIndex];
    });
    return { hs, trace };
  }

  /** Next-byte logits [rows, 256] of hidden states [rows, H]. */
  async logitsOf(hs: Float32Array): Promise<Float32Array> {
    const rows = hs.length / this.hidden;
    const out = await this.head.run({ h: { data: hs, shape: [rows, this.hidden] } });
    return out.logits.data;
  }

  /** Next-byte logits [T, 256]: row t predicts byte t+1 from bytes 0..t. */
  async logits(bytes: Uint8Array): Promise<Float32Array> {
    return this.logitsOf((await this.read(bytes, 0)).hs);
  }

  /**
   * Reads `prefix` (empty: a newline) and samples `steps` bytes, streaming
   * each through `onByte`; as MlstmModel.generate (same sampler and seed).
   */
  async generate(prefix: Uint8Array, opts: GenerateOptions): Promise<Uint8Array> {
    const { steps, temperature = 1, clampUnit, onByte } = opts;
    const h = this.hidden;
    checkGenerateOptions(opts, h);
    const random = uniformSource(opts.seed ?? 1);
    const out = new Uint8Array(steps);
    const start = prefix.length > 0 ? prefix : Uint8Array.of(10);
    let state: States = await this.readBatch([start]);
    for (let k = 0; k < steps; k++) {
      if (clampUnit)
        ((clampUnit.state ?? 'c') === 'c' ? state.c : state.h)[clampUnit.index] = clampUnit.value;
      const byte = sampleByte(await this.logitsOf(state.h), temperature, random());
      out[k] = byte;
      onByte?.(byte, k);
      if (k + 1 === steps) break;
      state = await this.advance([byte], state);
    }
    return out;
  }

  async release(): Promise<void> {
    await Promise.all([this.step.release(), this.head.release()]);
  }
}

function gatherRows(a: Float32Array, rows: readonly number[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, k) => out.set(a.subarray(r * width, (r + 1) * width), k * width));
  return out;
}
