// Fine-tunes the byte mLSTM and a logistic sentiment head end to end (Issue 4):
// head = w . c_T + b on the final cell state; loss = binary cross-entropy
// (+ lmWeight x next-byte loss, default 0); Adam with a smaller learning rate
// for the LM than for the head; the global gradient norm clipped; texts cut
// to their first maxBytes bytes; validation accuracy after every epoch (and
// every evalEvery steps) and the best state kept. PyTorch twin with the same
// recipe and defaults: training/mlstm/finetune.py.
import { assert } from '../../engine/assert';
import { backward, noGrad } from '../../engine/autograd';
import type { Gpu } from '../../engine/gpu';
import { add } from '../../engine/ops/binary';
import { concat } from '../../engine/ops/concat';
import { crossEntropy } from '../../engine/ops/cross-entropy';
import { matmul } from '../../engine/ops/matmul';
import { sum } from '../../engine/ops/reduce';
import { reshape } from '../../engine/ops/reshape';
import { scale, square } from '../../engine/ops/unary';
import { Adam } from '../../engine/optim/adam';
import { uniformSource } from '../../engine/random';
import { scope, tensor, zeros, type Tensor } from '../../engine/tensor';
import type { MlstmConfig } from '../mlstm/config';
import { MlstmModel } from '../mlstm/mlstm';
import type { MlstmWeightArrays } from '../mlstm/weights';
import type { SentimentClassifier } from './classifier';

/** A logistic head on raw (unstandardised) final cell states: P(positive) = sigmoid(w . c + b). */
export interface SentimentHead {
  w: Float32Array;
  b: number;
}

export interface LabelledTexts {
  texts: readonly Uint8Array[];
  /** 1 positive, 0 negative */
  labels: Uint8Array;
}

export interface FineTuneOptions {
  /** passes over the training set (default 1) */
  epochs?: number;
  /** texts per step (default 16) */
  batchSize?: number;
  /** Adam learning rate of the head (default 1e-3) */
  lr?: number;
  /** Adam learning rate of the LM weights (default 3e-4) */
  lrLm?: number;
  /** weight of the auxiliary next-byte loss (default 0: it doubles the cost of a step) */
  lmWeight?: number;
  /** max global gradient norm (default 1) */
  clip?: number;
  /** texts are cut to their first maxBytes bytes (default 256; SST sentences are <= 270) */
  maxBytes?: number;
  /** also evaluate every N steps (default 0: after each epoch only) */
  evalEvery?: number;
  /** seed of the minibatch order (default 0) */
  seed?: number;
  /** the starting head (default zeros) */
  head?: SentimentHead;
  signal?: AbortSignal;
  onStep?: (s: { step: number; steps: number; epoch: number; loss: number }) => void;
  onEval?: (e: FineTuneEval) => void;
}

export interface FineTuneEval {
  step: number;
  epoch: number;
  accuracy: number;
}

export interface FineTuneResult {
  /** the LM weights of the best state (the starting weights when nothing beat them) */
  weights: MlstmWeightArrays;
  head: SentimentHead;
  /** loss of every step */
  losses: number[];
  /** validation accuracy at step 0 and at each evaluation */
  evals: FineTuneEval[];
  best: FineTuneEval;
  steps: number;
  seconds: number;
}

/** The frozen-feature classifier as a head on raw features (its standardiser folded in). */
export function headFromClassifier(c: SentimentClassifier): SentimentHead {
  assert(c.pool === 'final', `finetune: the head reads the final cell state (got pool ${c.pool})`);
  const w = Float32Array.from(c.w, (wj, j) => wj / c.std[j]);
  const b = c.w.reduce((acc, wj, j) => acc - (wj * c.mean[j]) / c.std[j], c.b);
  return { w, b };
}

function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Shuffled minibatches of similar lengths (groups of 8 batches sorted by length: less padding). */
export function minibatches(lengths: readonly number[], size: number, rand: () => number) {
  const idx = shuffle([...lengths.keys()], rand);
  const out: number[][] = [];
  for (let g = 0; g < idx.length; g += size * 8) {
    const group = idx.slice(g, g + size * 8).sort((a, b) => lengths[a] - lengths[b]);
    for (let k = 0; k < group.length; k += size) out.push(group.slice(k, k + size));
  }
  return shuffle(out, rand);
}

/**
 * A trainable copy of the LM plus the head, on the GPU. `gradients` runs
 * forward and backward for one minibatch; `update` clips and steps Adam.
 * Owns its tensors: call `dispose()`.
 */
export class SentimentFineTuner {
  readonly model: MlstmModel;
  /** head weights [H, 1] and bias [1] */
  readonly headW: Tensor;
  readonly headB: Tensor;
  private readonly optLm: Adam;
  private readonly optHead: Adam;

  constructor(
    readonly gpu: Gpu,
    config: MlstmConfig,
    arrays: MlstmWeightArrays,
    head: SentimentHead | null,
    readonly opts: { lr: number; lrLm: number; lmWeight: number; clip: number; maxBytes: number },
  ) {
    const h = config.hidden;
    if (head) {
      assert(
        head.w.length === h,
        () => `finetune: head width (expected ${h}, got ${head.w.length})`,
      );
    }
    this.model = MlstmModel.create(gpu, config, arrays, true);
    this.headW = tensor(gpu, head?.w ?? new Float32Array(h), [h, 1], true).keep();
    this.headB = tensor(gpu, [head?.b ?? 0], [1], true).keep();
    this.optLm = new Adam(this.model.parameters(), { lr: opts.lrLm });
    this.optHead = new Adam([this.headW, this.headB], { lr: opts.lr });
  }

  parameters(): Tensor[] {
    return [...this.model.parameters(), this.headW, this.headB];
  }

  private cut(texts: readonly Uint8Array[]): Uint8Array[] {
    const m = this.opts.maxBytes;
    return texts.map((t) => (t.length > m ? t.subarray(0, m) : t));
  }

  /** logits [N, 2] = [0, w . c + b]: softmax over them is the logistic model. */
  private logits(texts: readonly Uint8Array[]): Tensor {
    const c = this.model.featurize(texts);
    const z = add(matmul(c, this.headW), this.headB);
    return concat([zeros(this.gpu, [texts.length, 1]), z], 1);
  }

  /**
   * Zeroes the gradients, then forward + backward on one minibatch; leaves `.grad`
   * on every parameter. @returns the loss
   */
  async gradients(texts: readonly Uint8Array[], labels: Uint8Array): Promise<number> {
    assert(
      texts.length === labels.length,
      () => `finetune: labels (expected ${texts.length}, got ${labels.length})`,
    );
    this.optLm.zeroGrad();
    this.optHead.zeroGrad();
    const cut = this.cut(texts);
    const loss = scope(this.gpu, () => {
      let l = crossEntropy(this.logits(cut), Int32Array.from(labels));
      if (this.opts.lmWeight > 0 && cut.some((t) => t.length > 1)) {
        l = add(l, scale(this.model.nextByteLoss(cut), this.opts.lmWeight));
      }
      backward(l);
      return noGrad(() => reshape(l, [1]));
    });
    const value = (await loss.read())[0];
    loss.dispose();
    return value;
  }

  /** The global L2 norm of the gradients. */
  async gradNorm(): Promise<number> {
    const squares = noGrad(() =>
      scope(this.gpu, () =>
        concat(
          this.parameters()
            .filter((p) => p.grad)
            .map((p) => reshape(sum(square(p.grad!)), [1])),
          0,
        ),
      ),
    );
    const values = await squares.read();
    squares.dispose();
    return Math.sqrt(values.reduce((a, v) => a + v, 0));
  }

  /** Clips the gradients to the global norm `clip` and steps both optimizers. @returns the norm */
  async update(): Promise<number> {
    const norm = await this.gradNorm();
    if (norm > this.opts.clip) {
      const factor = this.opts.clip / (norm + 1e-6);
      noGrad(() => {
        for (const p of this.parameters()) {
          if (!p.grad) continue;
          const scaled = scale(p.grad, factor).keep();
          p.grad.dispose();
          p.grad = scaled;
        }
      });
    }
    this.optLm.step();
    this.optHead.step();
    return norm;
  }

  /** Validation accuracy (a logit > 0 reads positive), batched without autograd. */
  async accuracy(val: LabelledTexts, batchSize = 32, signal?: AbortSignal): Promise<number> {
    const head = await this.readHead();
    const h = head.w.length;
    const cut = this.cut(val.texts);
    const order = [...cut.keys()].sort((a, b) => cut[a].length - cut[b].length);
    let right = 0;
    for (let s = 0; s < order.length; s += batchSize) {
      signal?.throwIfAborted();
      const ids = order.slice(s, s + batchSize);
      const f = noGrad(() => this.model.featurize(ids.map((i) => cut[i])));
      const c = await f.read();
      f.dispose();
      ids.forEach((i, r) => {
        let z = head.b;
        for (let j = 0; j < h; j++) z += head.w[j] * c[r * h + j];
        if ((z > 0 ? 1 : 0) === val.labels[i]) right++;
      });
    }
    return right / val.texts.length;
  }

  async readHead(): Promise<SentimentHead> {
    return { w: await this.headW.read(), b: (await this.headB.read())[0] };
  }

  readWeights(): Promise<MlstmWeightArrays> {
    return this.model.readWeights();
  }

  dispose(): void {
    this.optLm.dispose();
    this.optHead.dispose();
    this.optLm.zeroGrad();
    this.optHead.zeroGrad();
    this.model.dispose();
    this.headW.dispose();
    this.headB.dispose();
  }
}

function checkSet(name: string, d: LabelledTexts): void {
  assert(d.texts.length > 0, `finetune: the ${name} set is empty`);
  assert(
    d.texts.length === d.labels.length,
    () => `finetune: ${name} labels (expected ${d.texts.length}, got ${d.labels.length})`,
  );
  d.texts.forEach((t, i) =>
    assert(t.length > 0, () => `finetune: ${name} text ${i} is empty (expected bytes)`),
  );
  d.labels.forEach((y, i) =>
    assert(y === 0 || y === 1, () => `finetune: ${name} label ${i} (expected 0 or 1, got ${y})`),
  );
}

/**
 * Fine-tunes a trainable copy of `arrays` with a head on `train`, evaluating on
 * `val` at step 0, after each epoch and every `evalEvery` steps.
 * @throws on bad input (empty sets, non-binary labels) or when `signal` aborts
 */
export async function fineTuneSentiment(
  gpu: Gpu,
  config: MlstmConfig,
  arrays: MlstmWeightArrays,
  train: LabelledTexts,
  val: LabelledTexts,
  opts: FineTuneOptions = {},
): Promise<FineTuneResult> {
  checkSet('training', train);
  checkSet('validation', val);
  const o = {
    epochs: opts.epochs ?? 1,
    batchSize: opts.batchSize ?? 16,
    lr: opts.lr ?? 1e-3,
    lrLm: opts.lrLm ?? 3e-4,
    lmWeight: opts.lmWeight ?? 0,
    clip: opts.clip ?? 1,
    maxBytes: opts.maxBytes ?? 256,
    evalEvery: opts.evalEvery ?? 0,
  };
  for (const [k, v] of Object.entries(o)) {
    assert(Number.isFinite(v) && v >= 0, () => `finetune: ${k} (expected >= 0, got ${v})`);
  }
  assert(
    o.epochs >= 1 && o.batchSize >= 1 && o.maxBytes >= 1,
    'finetune: epochs, batchSize and maxBytes must be >= 1',
  );
  const start = performance.now();
  const tuner = new SentimentFineTuner(gpu, config, arrays, opts.head ?? null, o);
  try {
    const rand = uniformSource(opts.seed ?? 0);
    const lengths = train.texts.map((t) => Math.min(t.length, o.maxBytes));
    const perEpoch = Math.ceil(train.texts.length / o.batchSize);
    const steps = perEpoch * o.epochs;
    const losses: number[] = [];
    const evals: FineTuneEval[] = [];
    let bestWeights = arrays;
    let bestHead = opts.head ?? { w: new Float32Array(config.hidden), b: 0 };
    const evaluate = async (step: number, epoch: number) => {
      const e = { step, epoch, accuracy: await tuner.accuracy(val, 32, opts.signal) };
      const best = evals.reduce<FineTuneEval | null>(
        (b, x) => (!b || x.accuracy >= b.accuracy ? x : b),
        null,
      );
      evals.push(e);
      opts.onEval?.(e);
      // ties go to the later state: it has trained longer (and a zero head starts at chance)
      if (best && e.accuracy >= best.accuracy) {
        bestWeights = await tuner.readWeights();
        bestHead = await tuner.readHead();
      }
    };
    await evaluate(0, 0);
    let step = 0;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      for (const ids of minibatches(lengths, o.batchSize, rand)) {
        opts.signal?.throwIfAborted();
        const texts = ids.map((i) => train.texts[i]);
        const loss = await tuner.gradients(
          texts,
          Uint8Array.from(ids, (i) => train.labels[i]),
        );
        assert(Number.isFinite(loss), () => `finetune: the loss diverged at step ${step + 1}`);
        await tuner.update();
        losses.push(loss);
        step++;
        opts.onStep?.({ step, steps, epoch, loss });
        const last = step === epoch * perEpoch;
        if (!last && o.evalEvery && step % o.evalEvery === 0) await evaluate(step, epoch);
      }
      await evaluate(step, epoch);
    }
    const best = evals.reduce((b, x) => (x.accuracy >= b.accuracy ? x : b), evals[0]);
    return {
      weights: bestWeights,
      head: bestHead,
      losses,
      evals,
      best,
      steps: step,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    tuner.dispose();
  }
}
