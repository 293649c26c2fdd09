// The Sentiment panel's GPU work as jobs (progress, cancel): reading a text
// (unit trace, next-byte logits, the classifier's verdict), fitting the
// classifier on the labelled set, and streaming generation.
import { featurizeForFit } from './featurizeForFit';
import { fitGpu, fitPlace } from './fitDevice';
import { assert } from '../engine/assert';
import {
  fitSentimentClassifier,
  predictProbs,
  type SentimentClassifier,
} from '../models/sentiment/classifier';
import { activeMlstmId } from './fineTunedMlstm';
import { startJob, type JobHandle } from './jobRunner';
import { requireMlstmRunner } from './mlstmInference';

export interface TextReading {
  bytes: Uint8Array;
  unit: number;
  /** the unit's cell state after each byte */
  trace: Float32Array;
  /** next-byte logits after each byte, [T, 256] */
  logits: Float32Array;
  /** P(positive) from the classifier, null without one */
  probability: number | null;
}

/** Reads `bytes` with the mLSTM; `onTrace` gets the heat map before the slower rest is done. */
export function startReading(
  bytes: Uint8Array,
  unit: number,
  classifier: SentimentClassifier | null,
  onTrace: (trace: Float32Array) => void,
): JobHandle<TextReading> {
  return startJob('Read text with the mLSTM', async (ctx) => {
    const model = await requireMlstmRunner();
    ctx.progress(0.1, `unit trace (${model.backend})`);
    const { trace, logits } = await model.read(bytes, unit, (t) => {
      ctx.signal.throwIfAborted();
      onTrace(t);
      ctx.progress(0.4, 'next-byte predictions');
    });
    ctx.signal.throwIfAborted();
    let probability: number | null = null;
    if (classifier && classifier.hidden === model.hidden) {
      ctx.progress(0.7, 'verdict');
      const f = await model.featurize([bytes], { pool: classifier.pool });
      probability = predictProbs(classifier, f)[0];
    }
    return { bytes, unit, trace, logits, probability };
  });
}

/**
 * Featurizes the labelled set and fits the L1 logistic regression, cross-validated; the fit
 * records the mLSTM it read (a Keep or Revert during the fit leaves it stale, as it should).
 */
export function startFit(
  texts: readonly Uint8Array[],
  labels: Uint8Array,
  maxBytes: number,
): JobHandle<SentimentClassifier> {
  return startJob(`Fit sentiment classifier on ${texts.length} examples`, async (ctx) => {
    const modelId = activeMlstmId();
    const model = await requireMlstmRunner();
    const features = await featurizeForFit(model, texts, maxBytes, ctx, 0.8);
    ctx.progress(0.8, `fit (cross-validated lambda) ${fitPlace(model.gpu)}`);
    const fit = await fitSentimentClassifier(fitGpu(model.gpu), features, labels, {
      signal: ctx.signal,
      maxIter: 600,
      onProgress: (f) => ctx.progress(0.8 + 0.2 * f),
    });
    return { ...fit, model: modelId };
  });
}

export interface GenerateRequest {
  prefix: Uint8Array;
  temperature: number;
  steps: number;
  clamp: { unit: number; value: number } | null;
  onByte: (byte: number) => void;
}

/** Streams `steps` sampled bytes through onByte; cancel stops after the current byte. */
export function startGeneration(req: GenerateRequest): JobHandle<Uint8Array> {
  return startJob(`Generate ${req.steps} bytes`, async (ctx) => {
    const model = await requireMlstmRunner();
    if (req.clamp) {
      assert(req.clamp.unit < model.hidden, 'generate: the classifier does not fit this model');
    }
    return model.generate(req.prefix, {
      steps: req.steps,
      temperature: req.temperature,
      seed: (Math.random() * 2 ** 31) | 0,
      clampUnit: req.clamp
        ? { index: req.clamp.unit, value: req.clamp.value, state: 'c' }
        : undefined,
      onByte: (byte, k) => {
        // NOTE: throwing here ends generate (it disposes its state in a finally)
        ctx.signal.throwIfAborted();
        req.onByte(byte);
        ctx.progress((k + 1) / req.steps, `${k + 1} of ${req.steps} bytes`);
      },
    });
  });
}
