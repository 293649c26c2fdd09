// The Sentiment panel's emotion work as jobs: fitting one L1 logistic
// regression per emotion on the mLSTM features of the emotion-tagged set
// (cross-validated lambda and F1), and the emotion probabilities of one text.
import { featurizeForFit } from './featurizeForFit';
import { fitGpu, fitPlace } from './fitDevice';
import {
  fitMultiLabel,
  predictMultiLabel,
  type MultiLabelClassifier,
} from '../models/sentiment/multiLabel';
import { activeMlstmId } from './fineTunedMlstm';
import { startJob, type JobHandle } from './jobRunner';
import { requireMlstmRunner } from './mlstmInference';

/**
 * Featurizes the tagged texts and fits the multi-label classifier; labels are [N, K] row-major.
 * The fit records the mLSTM it read (fittedModel.ts).
 */
export function startEmotionFit(
  texts: readonly Uint8Array[],
  labels: Uint8Array,
  names: readonly string[],
  maxBytes: number,
): JobHandle<MultiLabelClassifier> {
  return startJob(`Fit emotion classifiers on ${texts.length} examples`, async (ctx) => {
    const modelId = activeMlstmId();
    const model = await requireMlstmRunner();
    const features = await featurizeForFit(model, texts, maxBytes, ctx, 0.6);
    ctx.progress(
      0.6,
      `fit ${names.length} emotions (cross-validated lambda and F1) ${fitPlace(model.gpu)}`,
    );
    const fit = await fitMultiLabel(fitGpu(model.gpu), features, labels, names, {
      signal: ctx.signal,
      maxIter: 600,
      onProgress: (f) => ctx.progress(0.6 + 0.4 * f),
    });
    return { ...fit, model: modelId };
  });
}

/** P(emotion) of one text, in the classifier's label order, and the mLSTM that read it. */
export function startEmotionReading(
  bytes: Uint8Array,
  classifier: MultiLabelClassifier,
): JobHandle<{ probs: Float64Array; model: string }> {
  return startJob('Read emotions of the text', async (ctx) => {
    const modelId = activeMlstmId();
    const model = await requireMlstmRunner();
    const hidden = classifier.classifiers[0]?.hidden;
    if (hidden !== model.hidden) {
      throw new Error(
        `the emotion classifier was fitted on ${hidden} features, the mLSTM has ${model.hidden}`,
      );
    }
    ctx.progress(0.2, 'features');
    const f = await model.featurize([bytes], {
      pool: classifier.classifiers[0].pool,
      signal: ctx.signal,
    });
    return { probs: predictMultiLabel(classifier, f), model: modelId };
  });
}
