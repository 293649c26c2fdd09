// The sentiment classifier: standardised mLSTM features into an L1 logistic
// regression (l1Logistic.ts), lambda chosen from a grid on a validation set
// or, without one, by k-fold cross-validation on the labelled set (then
// refitted on all of it). Saved as plain JSON (CLI files, saved work).
import { assert, fail, ok, type Result } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import { fitL1LogisticProblemsCpu } from './cpuL1Problems';
import { fitL1Logistic, type L1Problem } from './l1Logistic';
import { accuracyOf, lambdaGrid } from './grid';

export const CLASSIFIER_FORMAT = 'semilab.sentiment-classifier';

export interface GridPoint {
  lambda: number;
  accuracy: number;
  nonZero: number;
}

export interface SentimentClassifier {
  format: typeof CLASSIFIER_FORMAT;
  version: 1;
  /** feature width H (the mLSTM's hidden units) */
  hidden: number;
  /** how features were pooled: the final cell state or mean h */
  pool: 'final' | 'mean';
  /** training-set mean and std of each feature (std floored: standardiser) */
  mean: number[];
  std: number[];
  /** weights on the standardised features, and the bias */
  w: number[];
  b: number;
  lambda: number;
  /** index of the largest |w|: "the sentiment unit" */
  sentimentUnit: number;
  /** its weight: > 0 means a higher unit value reads as more positive */
  unitWeight: number;
  nonZero: number;
  /** accuracy at the chosen lambda (on validation, or cross-validated) */
  accuracy: number;
  accuracyKind: 'validation' | 'cross-validation';
  /** folds of the cross-validation (0 with a validation set) */
  folds: number;
  trainCount: number;
  grid: GridPoint[];
  /** the mLSTM the features came from (fittedModel.ts); absent in fits saved before it was kept */
  model?: string;
}

export interface FitClassifierOptions {
  /** a validation set to choose lambda on; without it, k-fold cross-validation */
  val?: { features: Float32Array; labels: Uint8Array };
  /** folds of cross-validation (default min(5, n)) */
  folds?: number;
  pool?: 'final' | 'mean';
  maxIter?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * A feature's std is floored at this share of the median std of all features.
 * NOTE: on a handful of texts some mLSTM units barely move (std ~1e-3 where most
 * are ~1); standardising blows them up to the scale of real units, and a weight
 * folded back to raw features (w / std, finetune.ts headFromClassifier) reached
 * thousands. The floor keeps such a unit at its true, small scale.
 */
export const STD_FLOOR_SHARE = 0.1;

/**
 * Per-feature mean and std (population) over the rows marked 1 in `rows` (default all), each
 * std floored at STD_FLOOR_SHARE of the median std (and 1e-6) so near-constant features stay
 * on their own small scale.
 */
export function standardiser(
  x: Float32Array,
  n: number,
  h: number,
  rows?: Uint8Array,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(h);
  const std = new Float64Array(h);
  const used = [...Array(n).keys()].filter((i) => !rows || rows[i]);
  const m = used.length;
  for (const i of used) for (let j = 0; j < h; j++) mean[j] += x[i * h + j] / m;
  for (const i of used) {
    for (let j = 0; j < h; j++) std[j] += (x[i * h + j] - mean[j]) ** 2 / m;
  }
  for (let j = 0; j < h; j++) std[j] = Math.sqrt(std[j]);
  const sorted = Float64Array.from(std).sort();
  const floor = Math.max(STD_FLOOR_SHARE * sorted[h >> 1], 1e-6);
  for (let j = 0; j < h; j++) std[j] = Math.max(std[j], floor);
  return { mean, std };
}

/**
 * Per-feature L1 multipliers that make a fit on features standardised with all rows'
 * statistics (`std`) the fit on features standardised with the training rows' own:
 * with u_j = w_j s_j / s_fold_j the logits agree (the unpenalised bias absorbs the means),
 * and lambda |w_j| = lambda (s_fold_j / s_j) |u_j|. So held-out figures use no statistic of
 * the held-out rows, and every fold still shares one feature matrix (one GPU fit).
 */
export function foldPenalty(
  x: Float32Array,
  n: number,
  std: ArrayLike<number>,
  rows: Uint8Array,
): Float32Array {
  const h = std.length;
  const own = standardiser(x, n, h, rows).std;
  return Float32Array.from({ length: h }, (_, j) => own[j] / std[j]);
}

function standardise(
  x: Float32Array,
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
): Float32Array {
  const h = mean.length;
  return x.map((v, i) => (v - mean[i % h]) / std[i % h]);
}

/** Stratified folds: each class dealt round-robin, so every fold sees both where it can. */
export function foldOf(labels: Uint8Array, folds: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  const positives = labels.reduce((a, y) => a + y, 0);
  // negatives continue the deal where the positives stopped, so tiny sets fill every fold
  const next = [positives, 0];
  labels.forEach((y, i) => {
    out[i] = next[y]++ % folds;
  });
  return out;
}

function probsOf(x: Float32Array, n: number, w: ArrayLike<number>, b: number): Float64Array {
  const h = w.length;
  return Float64Array.from({ length: n }, (_, i) => {
    let z = b;
    for (let j = 0; j < h; j++) z += x[i * h + j] * w[j];
    return 1 / (1 + Math.exp(-z));
  });
}

function column(w: Float32Array, h: number, k: number, c: number): Float32Array {
  return Float32Array.from({ length: h }, (_, j) => w[j * k + c]);
}

const countNonZero = (w: ArrayLike<number>) => Array.from(w).filter((v) => v !== 0).length;

/**
 * Fits the classifier on features [N, H] (row-major) and 0/1 labels; on the
 * CPU (cpuL1Problems.ts) when `gpu` is null (a page without WebGPU).
 * @throws when there are fewer than 2 examples or only one class
 */
export async function fitSentimentClassifier(
  gpu: Gpu | null,
  features: Float32Array,
  labels: Uint8Array,
  opts: FitClassifierOptions = {},
): Promise<SentimentClassifier> {
  const n = labels.length;
  assert(n >= 2, () => `sentiment: need at least 2 labelled examples (got ${n})`);
  const positives = labels.reduce((a, y) => a + y, 0);
  assert(
    positives > 0 && positives < n,
    () => `sentiment: need both positive and negative examples (got ${positives} positive of ${n})`,
  );
  assert(features.length % n === 0, 'sentiment: features do not match the labels');
  const h = features.length / n;
  const { mean, std } = standardiser(features, n, h);
  const x = standardise(features, mean, std);
  const ybar = positives / n;
  let lambdaMax = 0;
  for (let j = 0; j < h; j++) {
    let g = 0;
    for (let i = 0; i < n; i++) g += x[i * h + j] * (labels[i] - ybar);
    lambdaMax = Math.max(lambdaMax, Math.abs(g) / n);
  }
  const lambdas = lambdaGrid(lambdaMax);
  const all = new Uint8Array(n).fill(1);
  const folds = opts.val ? 0 : Math.max(2, Math.min(opts.folds ?? 5, n));
  const foldIds = foldOf(labels, Math.max(folds, 1));
  const foldRows = Array.from({ length: folds }, (_, f) => foldIds.map((id) => (id === f ? 0 : 1)));
  const penalties = foldRows.map((rows) => foldPenalty(features, n, std, rows));
  // problem layout: for each lambda, [all rows, fold 0 held out, fold 1 held out, ...]
  const problems: L1Problem[] = [];
  for (const lambda of lambdas) {
    problems.push({ lambda, rows: all });
    for (let f = 0; f < folds; f++) {
      problems.push({ lambda, rows: foldRows[f], penalty: penalties[f] });
    }
  }
  const fitOpts = { maxIter: opts.maxIter, signal: opts.signal, onProgress: opts.onProgress };
  const fit = gpu
    ? await fitL1Logistic(gpu, x, labels, problems, fitOpts)
    : await fitL1LogisticProblemsCpu(x, labels, problems, fitOpts);
  const k = problems.length;
  const per = folds + 1;
  const xv = opts.val ? standardise(opts.val.features, mean, std) : null;
  const grid: GridPoint[] = lambdas.map((lambda, li) => {
    const c = li * per;
    const w = column(fit.w, h, k, c);
    if (opts.val && xv) {
      const probs = probsOf(xv, opts.val.labels.length, w, fit.b[c]);
      return { lambda, accuracy: accuracyOf(probs, opts.val.labels), nonZero: countNonZero(w) };
    }
    let right = 0;
    for (let f = 0; f < folds; f++) {
      const wf = column(fit.w, h, k, c + 1 + f);
      const probs = probsOf(x, n, wf, fit.b[c + 1 + f]);
      for (let i = 0; i < n; i++) {
        if (foldIds[i] === f && (probs[i] > 0.5 ? 1 : 0) === labels[i]) right++;
      }
    }
    return { lambda, accuracy: right / n, nonZero: countNonZero(w) };
  });
  // best accuracy; ties go to the larger lambda (earlier in the grid, sparser)
  let best = 0;
  grid.forEach((g, i) => {
    if (g.accuracy > grid[best].accuracy) best = i;
  });
  const w = column(fit.w, h, k, best * per);
  let unit = 0;
  for (let j = 1; j < h; j++) if (Math.abs(w[j]) > Math.abs(w[unit])) unit = j;
  return {
    format: CLASSIFIER_FORMAT,
    version: 1,
    hidden: h,
    pool: opts.pool ?? 'final',
    mean: Array.from(mean),
    std: Array.from(std),
    w: Array.from(w),
    b: fit.b[best * per],
    lambda: lambdas[best],
    sentimentUnit: unit,
    unitWeight: w[unit],
    nonZero: countNonZero(w),
    accuracy: grid[best].accuracy,
    accuracyKind: opts.val ? 'validation' : 'cross-validation',
    folds,
    trainCount: n,
    grid,
  };
}

/** P(positive) of each row of features [N, H]. */
export function predictProbs(c: SentimentClassifier, features: Float32Array): Float64Array {
  const h = c.hidden;
  const n = features.length / h;
  return probsOf(standardise(features, c.mean, c.std), n, c.w, c.b);
}

/** Checks a parsed JSON value (a saved classifier); every problem gets its own message. */
export function parseClassifier(value: unknown): Result<SentimentClassifier> {
  const c = value as Partial<SentimentClassifier> | null;
  if (!c || typeof c !== 'object') return fail('sentiment classifier: expected a JSON object');
  if (c.format !== CLASSIFIER_FORMAT) {
    return fail(
      `sentiment classifier: format (expected "${CLASSIFIER_FORMAT}", got ${JSON.stringify(c.format)})`,
    );
  }
  const h = c.hidden;
  if (typeof h !== 'number' || !Number.isInteger(h) || h <= 0) {
    return fail(
      `sentiment classifier: hidden (expected a positive integer, got ${JSON.stringify(h)})`,
    );
  }
  for (const key of ['mean', 'std', 'w'] as const) {
    const a = c[key];
    if (
      !Array.isArray(a) ||
      a.length !== h ||
      !a.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      return fail(`sentiment classifier: ${key} (expected ${h} finite numbers)`);
    }
  }
  if (typeof c.b !== 'number' || !Number.isFinite(c.b))
    return fail('sentiment classifier: b (expected a number)');
  if (c.model !== undefined && typeof c.model !== 'string') {
    const got = JSON.stringify(c.model);
    return fail(`sentiment classifier: model (expected a string, got ${got})`);
  }
  if (c.pool !== 'final' && c.pool !== 'mean') {
    return fail(
      `sentiment classifier: pool (expected "final" or "mean", got ${JSON.stringify(c.pool)})`,
    );
  }
  return ok(c as SentimentClassifier);
}
