// Multi-label classification (e.g. 11 emotions) on mLSTM features: one L1
// logistic regression per label (classifier.ts, fitted on the GPU), each with
// its own lambda chosen by validation accuracy (or k-fold cross-validation
// without a validation set), as training/mlstm/transfer.py does. A label is
// predicted when its probability exceeds 0.5 (no per-label threshold tuning,
// so the figures compare with transfer.py's). Saved as plain JSON.
import { fail, ok, type Result } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import {
  fitSentimentClassifier,
  foldOf,
  foldPenalty,
  parseClassifier,
  predictProbs,
  type SentimentClassifier,
} from './classifier';
import { fitL1LogisticProblemsCpu } from './cpuL1Problems';
import { labelColumn } from './emotionData';
import { fitL1Logistic } from './l1Logistic';
import {
  LABEL_THRESHOLD,
  scoreMultiLabel,
  thresholded,
  type MultiLabelScores,
} from './multiLabelMetrics';

export const MULTI_LABEL_FORMAT = 'semilab.multi-label-classifier';

export interface MultiLabelClassifier {
  format: typeof MULTI_LABEL_FORMAT;
  version: 1;
  /** label names, in the order of `classifiers` */
  labels: string[];
  /**
   * one binary classifier per label; a label with one class only in the
   * training set gets all-zero weights and a bias that always says that class
   */
  classifiers: SentimentClassifier[];
  /** scores at the chosen lambdas: on the validation set, or out-of-fold */
  scores: MultiLabelScores;
  scoresKind: 'validation' | 'cross-validation';
  trainCount: number;
  /** the mLSTM the features came from (fittedModel.ts); absent in fits saved before it was kept */
  model?: string;
}

export interface FitMultiLabelOptions {
  /** a validation set ([M, H] features, [M, K] labels) to choose lambda on and score */
  val?: { features: Float32Array; labels: Uint8Array };
  /** folds of cross-validation without a validation set (default min(5, n)) */
  folds?: number;
  pool?: 'final' | 'mean';
  maxIter?: number;
  signal?: AbortSignal;
  /** fraction done over all labels */
  onProgress?: (fraction: number) => void;
}

/**
 * Rows of features [N, H] holding a NaN or infinity.
 * NOTE: one such row would turn every standardised feature into NaN, so
 * callers drop or name these rows first. (The mLSTM cell used to give NaN on
 * SwiftShader for cells past |c| ~ 44; shaders/lib/activations.wgsl fixed it.)
 */
export function nonFiniteRows(features: Float32Array, n: number): number[] {
  const h = features.length / n;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < h; j++) {
      if (!Number.isFinite(features[i * h + j])) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

function assertFinite(features: Float32Array, n: number, what: string): void {
  const bad = nonFiniteRows(features, n);
  if (bad.length === 0) return;
  const shown = bad.slice(0, 5).map((i) => i + 1);
  throw new Error(
    `multi-label: the mLSTM features of ${bad.length} ${what} example(s) are not finite ` +
      `(number ${shown.join(', ')}${bad.length > 5 ? ', ...' : ''}); remove or shorten them`,
  );
}

/** A classifier that ignores the features: w = 0, bias = smoothed log-odds of the class seen. */
function constantClassifier(
  h: number,
  positives: number,
  n: number,
  pool: 'final' | 'mean',
): SentimentClassifier {
  return {
    format: 'semilab.sentiment-classifier',
    version: 1,
    hidden: h,
    pool,
    mean: new Array<number>(h).fill(0),
    std: new Array<number>(h).fill(1),
    w: new Array<number>(h).fill(0),
    b: Math.log((positives + 0.5) / (n - positives + 0.5)),
    lambda: 0,
    sentimentUnit: 0,
    unitWeight: 0,
    nonZero: 0,
    accuracy: 1,
    accuracyKind: 'cross-validation',
    folds: 0,
    trainCount: n,
    grid: [],
  };
}

/** Out-of-fold P(label) at the classifier's lambda, with the folds classifier.ts used. */
async function outOfFoldProbs(
  gpu: Gpu | null,
  c: SentimentClassifier,
  features: Float32Array,
  y: Uint8Array,
  opts: FitMultiLabelOptions,
): Promise<Float64Array> {
  const n = y.length;
  const h = c.hidden;
  const x = features.map((v, i) => (v - c.mean[i % h]) / c.std[i % h]);
  const foldIds = foldOf(y, c.folds);
  const problems = Array.from({ length: c.folds }, (_, f) => {
    const rows = foldIds.map((id) => (id === f ? 0 : 1));
    // the fold's own standardiser, as classifier.ts's cross-validation
    return { lambda: c.lambda, rows, penalty: foldPenalty(features, n, c.std, rows) };
  });
  const fitOpts = { maxIter: opts.maxIter, signal: opts.signal };
  const fit = gpu
    ? await fitL1Logistic(gpu, x, y, problems, fitOpts)
    : await fitL1LogisticProblemsCpu(x, y, problems, fitOpts);
  const out = new Float64Array(n);
  for (let f = 0; f < c.folds; f++) {
    const w = Array.from({ length: h }, (_, j) => fit.w[j * c.folds + f]);
    const probs = predictProbs({ ...c, w, b: fit.b[f] }, features);
    for (let i = 0; i < n; i++) if (foldIds[i] === f) out[i] = probs[i];
  }
  return out;
}

/**
 * Fits one classifier per label on features [N, H] and labels [N, K] (row-major, 0/1),
 * on the CPU when `gpu` is null (a page without WebGPU).
 * @throws when there are fewer than 2 examples or the shapes disagree
 */
export async function fitMultiLabel(
  gpu: Gpu | null,
  features: Float32Array,
  labels: Uint8Array,
  names: readonly string[],
  opts: FitMultiLabelOptions = {},
): Promise<MultiLabelClassifier> {
  const k = names.length;
  const n = labels.length / k;
  if (k === 0 || !Number.isInteger(n) || n < 2 || features.length % n !== 0) {
    throw new Error(
      `multi-label: need at least 2 examples with ${k} labels each ` +
        `(got ${labels.length} labels and ${features.length} feature values)`,
    );
  }
  const h = features.length / n;
  assertFinite(features, n, 'training');
  if (opts.val) assertFinite(opts.val.features, opts.val.labels.length / k, 'validation');
  const pool = opts.pool ?? 'final';
  const val = opts.val;
  const m = val ? val.labels.length / k : n;
  const probs = new Float64Array(m * k);
  const classifiers: SentimentClassifier[] = [];
  for (let c = 0; c < k; c++) {
    opts.signal?.throwIfAborted();
    const y = labelColumn(labels, k, c);
    const positives = y.reduce((a, v) => a + v, 0);
    const progress = (f: number) => opts.onProgress?.((c + f) / k);
    let cl: SentimentClassifier;
    let p: Float64Array;
    if (positives === 0 || positives === n) {
      cl = constantClassifier(h, positives, n, pool);
      p = predictProbs(cl, val ? val.features : features);
    } else {
      cl = await fitSentimentClassifier(gpu, features, y, {
        val: val ? { features: val.features, labels: labelColumn(val.labels, k, c) } : undefined,
        folds: opts.folds,
        pool,
        maxIter: opts.maxIter,
        signal: opts.signal,
        onProgress: (f) => progress(val ? f : 0.8 * f),
      });
      p = val ? predictProbs(cl, val.features) : await outOfFoldProbs(gpu, cl, features, y, opts);
    }
    for (let i = 0; i < m; i++) probs[i * k + c] = p[i];
    classifiers.push(cl);
    progress(1);
  }
  const gold = val ? val.labels : labels;
  return {
    format: MULTI_LABEL_FORMAT,
    version: 1,
    labels: [...names],
    classifiers,
    scores: scoreMultiLabel(thresholded(probs, LABEL_THRESHOLD), gold, k),
    scoresKind: val ? 'validation' : 'cross-validation',
    trainCount: n,
  };
}

/** P(label) of each row of features [N, H], as [N, K] row-major. */
export function predictMultiLabel(c: MultiLabelClassifier, features: Float32Array): Float64Array {
  const k = c.labels.length;
  const n = features.length / (c.classifiers[0]?.hidden ?? 1);
  const out = new Float64Array(n * k);
  c.classifiers.forEach((cl, col) => {
    predictProbs(cl, features).forEach((p, i) => (out[i * k + col] = p));
  });
  return out;
}

/** Checks a parsed JSON value (a saved multi-label classifier). */
export function parseMultiLabel(value: unknown): Result<MultiLabelClassifier> {
  const c = value as Partial<MultiLabelClassifier> | null;
  if (!c || typeof c !== 'object') return fail('multi-label classifier: expected a JSON object');
  if (c.format !== MULTI_LABEL_FORMAT) {
    return fail(
      `multi-label classifier: format (expected "${MULTI_LABEL_FORMAT}", ` +
        `got ${JSON.stringify(c.format)})`,
    );
  }
  const labels = c.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string'))
    return fail('multi-label classifier: labels (expected a non-empty list of names)');
  if (!Array.isArray(c.classifiers) || c.classifiers.length !== labels.length) {
    return fail(`multi-label classifier: classifiers (expected ${labels.length}, one per label)`);
  }
  for (let i = 0; i < labels.length; i++) {
    const r = parseClassifier(c.classifiers[i]);
    if (!r.ok) return fail(`multi-label classifier, label '${labels[i]}': ${r.error}`);
    if (r.value.hidden !== c.classifiers[0].hidden) {
      return fail('multi-label classifier: the labels disagree on the feature width');
    }
  }
  if (c.model !== undefined && typeof c.model !== 'string') {
    return fail(
      `multi-label classifier: model (expected a string, got ${JSON.stringify(c.model)})`,
    );
  }
  const s = c.scores;
  if (!s || !Array.isArray(s.f1) || s.f1.length !== labels.length) {
    return fail('multi-label classifier: scores (expected one F1 per label)');
  }
  return ok(c as MultiLabelClassifier);
}
