// Fine-tuning WaveGlow on one recording by maximum likelihood, the recipe of
// training/waveglow/train.py at fine-tune scale: random segments with their
// own log-mel, the NLL of WaveGlow.forward at sigma 1, backward, gradient
// norm clipped to 10, Adam. It trains a copy of the weights, so the model it
// started from stays usable (and unchanged) until the caller swaps models.
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
  checkFineTuneSettings,
  drawSegments,
  FINETUNE_SIGMA,
  seededIndex,
  segmentBatch,
  splitRecording,
  type FineTuneSettings,
  type RecordingSplit,
} from './finetuneData';
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
 * Mean NLL per sample (nats, without the constant; sigma 1) of `model` on the
 * segments of `audio` at `starts`, each with its own log-mel. No gradients.
 */
export async function segmentsNll(
  model: WaveGlow,
  audio: Float32Array,
  starts: readonly number[],
  segment: number,
): Promise<number> {
  const batch = await segmentBatch(model.gpu, audio, starts, segment);
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
 * Trains a copy of a WaveGlow on one recording. Owns the copy and the Adam
 * state until dispose(); `model` is the copy (trainable weights).
 */
export class WaveGlowFineTuner {
  private done = 0;

  private constructor(
    readonly model: WaveGlow,
    private readonly optimizer: Adam,
    readonly audio: Float32Array,
    readonly split: RecordingSplit,
    readonly settings: FineTuneSettings,
    private readonly nextIndex: (n: number) => number,
  ) {}

  /**
   * Copies `base`'s weights into trainable tensors on the same Gpu. Fails
   * (nothing allocated) for settings out of bounds or a recording too short.
   * @param audio 22050 Hz mono samples (the caller keeps them unchanged)
   * @param seed of the segment draws, so a run repeats exactly
   */
  static async create(
    base: WaveGlow,
    audio: Float32Array,
    settings: FineTuneSettings,
    seed = 1,
  ): Promise<Result<WaveGlowFineTuner>> {
    const checked = checkFineTuneSettings(settings);
    if (!checked.ok) return checked;
    const split = splitRecording(audio.length, settings.segmentSamples);
    if (!split.ok) return split;
    if (!audio.every(Number.isFinite)) {
      return fail('Fine-tune: the recording holds NaN or infinite samples');
    }
    const arrays = await base.weights.toArrays();
    const weights = WaveGlowWeights.upload(base.gpu, arrays, base.config, true);
    const model = new WaveGlow(base.gpu, weights);
    const optimizer = new Adam(weights.parameters(), { lr: settings.lr });
    return ok(
      new WaveGlowFineTuner(model, optimizer, audio, split.value, settings, seededIndex(seed)),
    );
  }

  get stepsDone(): number {
    return this.done;
  }

  /**
   * One update: a batch of random training segments, forward, backward,
   * clip, Adam. A non-finite loss or gradient throws before the update, so
   * the weights stay those of the last good step.
   */
  async step(): Promise<FineTuneStep> {
    const t0 = performance.now();
    const { segmentSamples: segment, batch: count } = this.settings;
    const starts = drawSegments(this.nextIndex, this.split.trainEnd, segment, count);
    const gpu = this.model.gpu;
    const batch = await segmentBatch(gpu, this.audio, starts, segment);
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
      this.optimizer.step();
    } finally {
      this.optimizer.zeroGrad();
      batch.mel.dispose();
      batch.audio.dispose();
    }
    this.done++;
    await gpu.sync();
    return { step: this.done, ...figures, ms: performance.now() - t0 };
  }

  /** Mean NLL per sample of `model` on this recording's segments at `starts`. */
  nllAt(model: WaveGlow, starts: readonly number[]): Promise<number> {
    return segmentsNll(model, this.audio, starts, this.settings.segmentSamples);
  }

  /** NLL of `model` (default: the copy being trained) on the held-out slice. */
  heldOutNll(model: WaveGlow = this.model): Promise<number> {
    const { heldOutStart: start, heldOutEnd: end } = this.split;
    return segmentsNll(model, this.audio, [start], end - start);
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
