// A fine-tuned LM + head in the formats the rest of Semilab reads: the weights
// as weights.safetensors + config.json (the layout of public/models/mlstm) and
// the head as a classifier JSON (classifier.ts) whose standardiser is the
// identity, so `semilab sentiment eval` and the page use it unchanged.
import { writeSafetensors, type NamedArray } from '../../io/safetensors';
import type { MlstmConfig } from '../mlstm/config';
import type { MlstmWeightArrays } from '../mlstm/weights';
import { CLASSIFIER_FORMAT, type SentimentClassifier } from './classifier';
import type { SentimentHead } from './finetune';

/** config.json as training/mlstm/export.py writes it. */
export function mlstmConfigJson(config: MlstmConfig): string {
  const json = {
    type: 'mlstm',
    vocab: config.vocab,
    embed_dim: config.embedDim,
    hidden: config.hidden,
    weight_norm: false,
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** weights.safetensors (F32) of fine-tuned weights. */
export function mlstmWeightsFile(w: MlstmWeightArrays, metadata: Record<string, string> = {}) {
  return writeSafetensors(w as unknown as Record<string, NamedArray>, metadata);
}

/** The head as a classifier on unstandardised final cell states (mean 0, std 1). */
export function classifierFromHead(
  head: SentimentHead,
  info: { accuracy: number; trainCount: number },
): SentimentClassifier {
  const h = head.w.length;
  let unit = 0;
  for (let j = 1; j < h; j++) if (Math.abs(head.w[j]) > Math.abs(head.w[unit])) unit = j;
  return {
    format: CLASSIFIER_FORMAT,
    version: 1,
    hidden: h,
    pool: 'final',
    mean: new Array<number>(h).fill(0),
    std: new Array<number>(h).fill(1),
    w: Array.from(head.w),
    b: head.b,
    lambda: 0,
    sentimentUnit: unit,
    unitWeight: head.w[unit],
    nonZero: head.w.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0),
    accuracy: info.accuracy,
    accuracyKind: 'validation',
    folds: 0,
    trainCount: info.trainCount,
    grid: [],
  };
}
