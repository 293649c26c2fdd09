// The byte-level multiplicative LSTM of Radford et al. 2017 ("Learning to
// generate reviews and discovering sentiment") on the engine: features for
// the Sentiment panel, next-byte logits, streaming generation with a clamped
// unit, and per-byte traces of one unit for the heat map. PyTorch twin:
// training/mlstm/model.py (parity: mlstm.test.ts against goldens/).
import { assert, fail, ok, type Result } from '../../engine/assert';
import { needsGrad, noGrad } from '../../engine/autograd';
import type { Gpu } from '../../engine/gpu';
import { add } from '../../engine/ops/binary';
import { crossEntropy } from '../../engine/ops/cross-entropy';
import { gather } from '../../engine/ops/gather';
import { matmul } from '../../engine/ops/matmul';
import { mlstmSequence, type MlstmParams } from '../../engine/ops/mlstm';
import { reshape } from '../../engine/ops/reshape';
import { slice } from '../../engine/ops/slice';
import { uniformSource } from '../../engine/random';
import { scope, tensor, type Tensor } from '../../engine/tensor';
import { parseMlstmConfig, type MlstmConfig } from './config';
import { parseMlstmWeights, type MlstmWeightArrays } from './weights';

export type Pool = 'final' | 'mean';
export type StateKind = 'h' | 'c';

export interface GenerateOptions {
  /** softmax temperature; 0 picks the most likely byte (default 1) */
  temperature?: number;
  /** bytes to generate */
  steps: number;
  /** hold one unit of the state at a value after every step (e.g. the sentiment unit) */
  clampUnit?: { index: number; value: number; state?: StateKind };
  /** called with each byte as soon as it is sampled */
  onByte?: (byte: number, index: number) => void;
  /** seed of the sampler (default 1) */
  seed?: number;
}

/** A padded batch of texts as byte ids, one length per text. */
interface Batch {
  ids: Int32Array;
  lengths: number[];
  steps: number;
}

function batchOf(texts: readonly Uint8Array[], op: string): Batch {
  assert(texts.length > 0, `${op}: no texts (expected at least one)`);
  texts.forEach((t, n) =>
    assert(t.length > 0, () => `${op}: text ${n} is empty (expected at least one byte)`),
  );
  const steps = Math.max(...texts.map((t) => t.length));
  const ids = new Int32Array(texts.length * steps);
  texts.forEach((t, n) => ids.set(t, n * steps));
  return { ids, lengths: texts.map((t) => t.length), steps };
}

/** Throws a message for steps, temperature or a clamped unit out of range. */
export function checkGenerateOptions(opts: GenerateOptions, hidden: number): void {
  const { steps, temperature = 1, clampUnit } = opts;
  assert(
    Number.isInteger(steps) && steps >= 0,
    () => `generate: steps (expected a non-negative integer, got ${steps})`,
  );
  assert(
    Number.isFinite(temperature) && temperature >= 0,
    () => `generate: temperature (expected >= 0, got ${temperature})`,
  );
  if (clampUnit) {
    const i = clampUnit.index;
    assert(
      Number.isInteger(i) && i >= 0 && i < hidden,
      () => `generate: clampUnit.index out of range (expected 0..${hidden - 1}, got ${i})`,
    );
  }
}

/** A byte drawn from softmax(logits / temperature); argmax at temperature 0. */
export function sampleByte(logits: ArrayLike<number>, temperature: number, u: number): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (temperature <= 0) return best;
  const p = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp((logits[i] - logits[best]) / temperature);
    total += p[i];
  }
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i] / total;
    if (u < acc) return i;
  }
  return best;
}

/**
 * The model's weights on the GPU. [W_mx; W_x] is stored as one [5H, D] matrix,
 * so the input projections of a whole batch are one matmul. Owns its tensors:
 * call `dispose()` when done.
 */
export class MlstmModel {
  private constructor(
    readonly gpu: Gpu,
    readonly config: MlstmConfig,
    /** byte embedding [256, D] */
    readonly embed: Tensor,
    /** [W_mx; W_x] [5H, D] */
    readonly wx: Tensor,
    readonly recurrent: MlstmParams,
    /** output layer [256, H] and [256] */
    readonly wout: Tensor,
    readonly bout: Tensor,
  ) {}

  /** Uploads checked weights; `requiresGrad` makes them trainable leaves. */
  static create(
    gpu: Gpu,
    config: MlstmConfig,
    w: MlstmWeightArrays,
    requiresGrad = false,
  ): MlstmModel {
    const { embedDim: d, hidden: h } = config;
    const wx = new Float32Array(5 * h * d);
    wx.set(w['wmx.weight'].data, 0);
    wx.set(w['wx.weight'].data, h * d);
    const up = (a: ArrayLike<number>, shape: number[]) =>
      tensor(gpu, a, shape, requiresGrad).keep();
    return new MlstmModel(
      gpu,
      config,
      up(w['embed.weight'].data, [256, d]),
      up(wx, [5 * h, d]),
      {
        wmh: up(w['wmh.weight'].data, [h, h]),
        wm: up(w['wm.weight'].data, [4 * h, h]),
        bias: up(w['wx.bias'].data, [4 * h]),
      },
      up(w['out.weight'].data, [256, h]),
      up(w['out.bias'].data, [256]),
    );
  }

  /** Parses config.json and weights.safetensors; a bad file comes back as a message. */
  static load(
    gpu: Gpu,
    configJson: string | unknown,
    weights: ArrayBuffer | Uint8Array,
  ): Result<MlstmModel> {
    const config = parseMlstmConfig(configJson);
    if (!config.ok) return config;
    const arrays = parseMlstmWeights(weights, config.value);
    if (!arrays.ok) return fail(arrays.error);
    return ok(MlstmModel.create(gpu, config.value, arrays.value));
  }

  get hidden(): number {
    return this.config.hidden;
  }

  parameters(): Tensor[] {
    const r = this.recurrent;
    return [this.embed, this.wx, r.wmh, r.wm, r.bias, this.wout, this.bout];
  }

  dispose(): void {
    for (const t of this.parameters()) t.dispose();
  }

  /** The weights read back to the CPU, in the file layout (e.g. of a fine-tuned model). */
  async readWeights(): Promise<MlstmWeightArrays> {
    const { embedDim: d, hidden: h } = this.config;
    const [embed, wx, wmh, wm, bias, wout, bout] = await Promise.all(
      this.parameters().map((t) => t.read()),
    );
    const named = (data: Float32Array, shape: number[]) => ({ data, shape });
    return {
      'embed.weight': named(embed, [256, d]),
      // wx holds [W_mx; W_x] as one [5H, D] matrix
      'wmx.weight': named(wx.slice(0, h * d), [h, d]),
      'wx.weight': named(wx.slice(h * d), [4 * h, d]),
      'wx.bias': named(bias, [4 * h]),
      'wmh.weight': named(wmh, [h, h]),
      'wm.weight': named(wm, [4 * h, h]),
      'out.weight': named(wout, [256, h]),
      'out.bias': named(bout, [256]),
    };
  }

  /** Runs `fn` in a scope unless autograd is recording (its graph needs the intermediates). */
  private run<T>(fn: () => T): T {
    return needsGrad(this.parameters()) ? fn() : scope(this.gpu, fn);
  }

  /** states [N, T, 2H] (h | c per step) of a padded batch; ended texts hold their state. */
  private states(b: Batch, init: Tensor | null = null): Tensor {
    const n = b.lengths.length;
    const x = reshape(gather(this.embed, b.ids), [n, b.steps, this.config.embedDim]);
    return mlstmSequence(x, this.wx, this.recurrent, b.lengths, init);
  }

  /** logits [rows, 256] for hidden states [rows, H]. */
  private head(h: Tensor): Tensor {
    return add(matmul(h, this.wout, { transB: true }), this.bout);
  }

  /**
   * Features of texts of any lengths (bytes; invalid UTF-8 is fine), batched.
   * pool 'final': each text's final cell state c_T; 'mean': h averaged over its bytes.
   * @returns a new tensor [N, H] (differentiable when the weights require grad)
   * @throws when a text is empty
   */
  featurize(texts: readonly Uint8Array[], opts: { pool?: Pool } = {}): Tensor {
    const pool = opts.pool ?? 'final';
    assert(
      pool === 'final' || pool === 'mean',
      () => `mlstm: pool (expected 'final' or 'mean', got ${String(pool)})`,
    );
    const b = batchOf(texts, 'featurize');
    const n = texts.length;
    const h = this.hidden;
    return this.run(() => {
      const states = this.states(b);
      if (pool === 'final') {
        const last = slice(slice(states, 1, b.steps - 1, b.steps), 2, h, 2 * h);
        return reshape(last, [n, h]);
      }
      const weights = new Float32Array(n * b.steps);
      b.lengths.forEach((len, i) => weights.fill(1 / len, i * b.steps, i * b.steps + len));
      const hs = slice(states, 2, 0, h);
      const mean = matmul(tensor(this.gpu, weights, [n, 1, b.steps]), hs);
      return reshape(mean, [n, h]);
    });
  }

  /**
   * Next-byte logits after each byte of each text, batched.
   * @returns a new tensor [N, T, 256] (T the longest text; rows past a text's end repeat its last)
   */
  batchLogits(texts: readonly Uint8Array[]): Tensor {
    const b = batchOf(texts, 'logits');
    return this.run(() => reshape(this.logitRows(b), [texts.length, b.steps, 256]));
  }

  /** Next-byte logits [T, 256]: row t predicts byte t+1 from bytes 0..t. */
  logits(bytes: Uint8Array): Tensor {
    const b = batchOf([bytes], 'logits');
    return this.run(() => this.logitRows(b));
  }

  /** logits [N*T, 256] of a padded batch. */
  private logitRows(b: Batch): Tensor {
    const rows = b.lengths.length * b.steps;
    return this.head(reshape(slice(this.states(b), 2, 0, this.hidden), [rows, this.hidden]));
  }

  /**
   * Mean cross-entropy of predicting byte t+1 from bytes 0..t over every
   * text (as next_byte_loss in training/mlstm/model.py).
   * @returns a new scalar tensor
   * @throws when no text has two bytes
   */
  nextByteLoss(texts: readonly Uint8Array[]): Tensor {
    const b = batchOf(texts, 'nextByteLoss');
    const rows: number[] = [];
    const targets: number[] = [];
    texts.forEach((t, n) => {
      for (let i = 0; i + 1 < t.length; i++) {
        rows.push(n * b.steps + i);
        targets.push(t[i + 1]);
      }
    });
    assert(rows.length > 0, 'nextByteLoss: no text has two bytes (nothing to predict)');
    const h = this.hidden;
    const n = texts.length;
    return this.run(() => {
      const hs = reshape(slice(this.states(b), 2, 0, h), [n * b.steps, h]);
      return crossEntropy(this.head(gather(hs, rows)), Int32Array.from(targets));
    });
  }

  /**
   * Per-byte value of one unit of h or c (default c) while reading `bytes`,
   * for the heat map. @returns one value per byte
   */
  async unitTrace(
    bytes: Uint8Array,
    unitIndex: number,
    opts: { state?: StateKind } = {},
  ): Promise<Float32Array> {
    const h = this.hidden;
    assert(
      Number.isInteger(unitIndex) && unitIndex >= 0 && unitIndex < h,
      () => `unitTrace: unit out of range (expected 0..${h - 1}, got ${unitIndex})`,
    );
    const offset = (opts.state ?? 'c') === 'c' ? h : 0;
    const b = batchOf([bytes], 'unitTrace');
    const states = noGrad(() => scope(this.gpu, () => this.states(b)));
    const all = await states.read();
    states.dispose();
    return Float32Array.from(
      { length: bytes.length },
      (_, t) => all[t * 2 * h + offset + unitIndex],
    );
  }

  /**
   * Reads `prefix` (empty: starts from a newline, the separator in training
   * data) and samples `steps` bytes, streaming each through `onByte`.
   * Softmax probabilities are read back and sampled on the CPU each step.
   */
  async generate(prefix: Uint8Array, opts: GenerateOptions): Promise<Uint8Array> {
    const { steps, temperature = 1, clampUnit, onByte } = opts;
    const h = this.hidden;
    checkGenerateOptions(opts, h);
    const random = uniformSource(opts.seed ?? 1);
    const out = new Uint8Array(steps);
    const start = prefix.length > 0 ? prefix : Uint8Array.of(10);
    // the state after the last byte read, [1, 2H]
    let state = noGrad(() =>
      scope(this.gpu, () => {
        const s = this.states(batchOf([start], 'generate'));
        return reshape(slice(s, 1, start.length - 1, start.length), [1, 2 * h]);
      }),
    );
    try {
      for (let k = 0; k < steps; k++) {
        if (clampUnit) {
          const at = ((clampUnit.state ?? 'c') === 'c' ? h : 0) + clampUnit.index;
          this.gpu.flush(); // the write must land after the step that computed `state`
          this.gpu.device.queue.writeBuffer(state.buffer, at * 4, Float32Array.of(clampUnit.value));
        }
        const logits = noGrad(() => scope(this.gpu, () => this.head(slice(state, 1, 0, h))));
        const values = await logits.read();
        logits.dispose();
        const byte = sampleByte(values, temperature, random());
        out[k] = byte;
        onByte?.(byte, k);
        if (k + 1 === steps) break;
        const prev = state;
        state = noGrad(() =>
          scope(this.gpu, () =>
            reshape(this.states(batchOf([Uint8Array.of(byte)], 'generate'), prev), [1, 2 * h]),
          ),
        );
        prev.dispose();
      }
    } finally {
      state.dispose();
    }
    return out;
  }
}
