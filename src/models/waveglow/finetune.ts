// Fine-tuning WaveGlow on a set of recordings by maximum likelihood, the
// recipe of training/waveglow/train.py at fine-tune scale: random segments
// with their own log-mel, the NLL of WaveGlow.forward at sigma 1, backward,
// gradient norm clipped to 10, Adam with a warmup + cosine learning rate. It
// trains a copy of the weights, so the model it started from stays usable
// (and unchanged) until the caller swaps models.
import { fail, ok, type Result } from '../../engine/assert';
import { backward, noGrad } from '../../engine/autograd';
import { runConcat } from '../../engine/ops/concat';
import { runReduce } from '../../engine/ops/reduce';
import { reshape } from '../../engine/ops/reshape';
import { runUnary } from '../../engine/ops/unary';
import { Adam } from '../../engine/optim/adam';
import { scope, type Tensor } from '../../engine/tensor';
import { writeSafetensors } from '../../io/safetensors';
import {
  drawCorpusSegments,
  pickedSegments,
  splitCorpus,
  type CorpusSplit,
  type FineTuneCorpus,
  type Span,
} from './finetuneCorpus';
import {
  checkFineTuneSettings,
  FINETUNE_SIGMA,
  seededIndex,
  segmentBatch,
  type FineTuneSettings,
} from './finetuneData';
import { scheduledLr } from './lrSchedule';
import { WaveGlow } from './waveglow';
import { WaveGlowWeights } from './weights';

/** max global gradient norm, as train.py's clip_grad_norm_(..., 10.0) */
export const CLIP_NORM = 10;

export interface FineTuneStep {
  /** 1-based */
  step: number;
  /** training NLL per sample of this step's batch (nats, without the constant) */
  loss: number;
  /** global gradient norm before clipping */
  gradNorm: number;
  /** the learning rate this step used */
  lr: number;
  ms: number;
}

/** Global L2 norm of the gradients; scales them to at most `maxNorm`. Also reads `loss`. */
async function readLossAndClip(
  loss: Tensor,
  params: readonly Tensor[],
  maxNorm: number,
): Promise<{ loss: number; gradNorm: number }> {
  const withGrad = params.filter((p) => p.grad);
  const packed = noGrad(() =>
    scope(loss.gpu, () => {
      const squares = withGrad.map((p) =>
        reshape(runReduce('sum', runUnary('square', p.grad!)), [1]),
      );
      return runConcat([reshape(loss, [1]), ...squares], 0);
    }),
  );
  const values = await packed.read();
  packed.dispose();
  let total = 0;
  for (let i = 1; i < values.length; i++) total += values[i];
  const gradNorm = Math.sqrt(total);
  if (Number.isFinite(gradNorm) && gradNorm > maxNorm) {
    const factor = maxNorm / (gradNorm + 1e-6);
    noGrad(() => {
      for (const p of withGrad) {
        const scaled = runUnary('scale', p.grad!, factor).keep();
        p.grad!.dispose();
        p.grad = scaled;
      }
    });
  }
  return { loss: values[0], gradNorm };
}

/**
 * Mean NLL per sample (nats, without the constant; sigma 1) of `model` on
 * `segments` (all of one length), each with its own log-mel. No gradients.
 */
export async function segmentsNll(
  model: WaveGlow,
  segments: readonly Float32Array[],
): Promise<number> {
  const batch = await segmentBatch(model.gpu, segments);
  try {
    const nll = noGrad(() => {
      const { z, nll } = model.forward(batch.mel, batch.audio, FINETUNE_SIGMA);
      z.dispose();
      return nll;
    });
    const value = (await nll.read())[0];
    nll.dispose();
    return value;
  } finally {
    batch.mel.dispose();
    batch.audio.dispose();
  }
}

/**
 * Mean NLL per sample of `model` on held-out spans of `corpus`, each scored
 * as one segment with its own log-mel, weighted by its length.
 */
export async function spansNll(
  model: WaveGlow,
  corpus: FineTuneCorpus,
  spans: readonly Span[],
): Promise<number> {
  let total = 0;
  let samples = 0;
  for (const { recording, start, end } of spans) {
    const audio = corpus.recordings[recording].samples.subarray(start, end);
    total += (await segmentsNll(model, [audio])) * (end - start);
    samples += end - start;
  }
  return total / samples;
}

/**
 * Trains a copy of a WaveGlow on a corpus of recordings. Owns the copy and
 * the Adam state until dispose(); `model` is the copy (trainable weights).
 */
export class WaveGlowFineTuner {
  private done = 0;

  private constructor(
    readonly model: WaveGlow,
    private readonly optimizer: Adam,
    readonly corpus: FineTuneCorpus,
    readonly split: CorpusSplit,
    readonly settings: FineTuneSettings,
    private readonly nextIndex: (n: number) => number,
  ) {}

  /**
   * Copies `base`'s weights into trainable tensors on the same Gpu. Fails
   * (nothing allocated) for settings out of bounds or recordings too short.
   * @param corpus 22050 Hz mono recordings (the caller keeps them unchanged)
   * @param seed of the segment draws, so a run repeats exactly
   */
  static async create(
    base: WaveGlow,
    corpus: FineTuneCorpus,
    settings: FineTuneSettings,
    seed = 1,
  ): Promise<Result<WaveGlowFineTuner>> {
    const checked = checkFineTuneSettings(settings);
    if (!checked.ok) return checked;
    const split = splitCorpus(corpus, settings.segmentSamples);
    if (!split.ok) return split;
    const bad = corpus.recordings.find((r) => !r.samples.every(Number.isFinite));
    if (bad) return fail(`Fine-tune: ${bad.name} holds NaN or infinite samples`);
    const arrays = await base.weights.toArrays();
    const weights = WaveGlowWeights.upload(base.gpu, arrays, base.config, true);
    const model = new WaveGlow(base.gpu, weights);
    const optimizer = new Adam(weights.parameters(), { lr: settings.lr });
    return ok(
      new WaveGlowFineTuner(model, optimizer, corpus, split.value, settings, seededIndex(seed)),
    );
  }

  get stepsDone(): number {
    return this.done;
  }

  /** The learning rate of the next step (the schedule of settings, at stepsDone). */
  get nextLr(): number {
    const { steps, lr, warmup, floor } = this.settings;
    const step = Math.min(this.done, steps - 1);
    return scheduledLr(step, steps, { peak: lr, warmupShare: warmup, floorShare: floor });
  }

  /**
   * One update: a batch of random training segments, forward, backward,
   * clip, Adam at the scheduled learning rate. A non-finite loss or gradient
   * throws before the update, so the weights stay those of the last good step.
   */
  async step(): Promise<FineTuneStep> {
    const t0 = performance.now();
    const { segmentSamples: segment, batch: count } = this.settings;
    const picks = drawCorpusSegments(this.nextIndex, this.split.trainEnds, segment, count);
    const gpu = this.model.gpu;
    const lr = this.nextLr;
    const batch = await segmentBatch(gpu, pickedSegments(this.corpus, picks, segment));
    let figures: { loss: number; gradNorm: number };
    try {
      const nll = scope(gpu, () => {
        const { nll } = this.model.forward(batch.mel, batch.audio, FINETUNE_SIGMA);
        backward(nll);
        return nll;
      });
      try {
        figures = await readLossAndClip(nll, this.model.weights.parameters(), CLIP_NORM);
      } finally {
        nll.dispose();
      }
      if (!Number.isFinite(figures.loss) || !Number.isFinite(figures.gradNorm)) {
        throw new Error(
          `Fine-tune: step ${this.done + 1} gave a non-finite loss (${figures.loss}) or ` +
            `gradient norm (${figures.gradNorm}); the weights of step ${this.done} are kept. ` +
            'Try a lower learning rate.',
        );
      }
      this.optimizer.lr = lr;
      this.optimizer.step();
    } finally {
      this.optimizer.zeroGrad();
      batch.mel.dispose();
      batch.audio.dispose();
    }
    this.done++;
    await gpu.sync();
    return { step: this.done, ...figures, lr, ms: performance.now() - t0 };
  }

  /** Mean NLL per sample of `model` on the corpus' segments at `picks`. */
  nllAt(model: WaveGlow, picks: readonly { recording: number; start: number }[]): Promise<number> {
    return segmentsNll(model, pickedSegments(this.corpus, picks, this.settings.segmentSamples));
  }

  /** NLL of `model` (default: the copy being trained) on the held-out audio. */
  heldOutNll(model: WaveGlow = this.model): Promise<number> {
    return spansNll(model, this.corpus, this.split.heldOut);
  }

  /** The trained weights as safetensors (F32), with `metadata` in the header. */
  async toSafetensors(metadata: Record<string, string> = {}): Promise<Uint8Array> {
    return writeSafetensors(await this.model.weights.toArrays(), metadata);
  }

  /** Frees the trained copy, its gradients and the Adam moments. */
  dispose(): void {
    this.optimizer.zeroGrad();
    this.optimizer.dispose();
    this.model.dispose();
  }
}
