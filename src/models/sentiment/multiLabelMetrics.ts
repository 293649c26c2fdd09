// Scores of multi-label predictions, defined as training/mlstm/transfer.py
// defines them (SemEval-2018 E-c): F1 per label, its mean over labels (macro
// F1), and Jaccard accuracy, the mean over examples of |pred ∩ gold| / |pred ∪ gold|.

/** probability above which a label is predicted (transfer.py: logit > 0) */
export const LABEL_THRESHOLD = 0.5;

export interface MultiLabelScores {
  /** F1 of each label, in label order */
  f1: number[];
  /** mean of f1 */
  macroF1: number;
  /** mean over examples of |pred ∩ gold| / |pred ∪ gold|, 1 when both are empty */
  jaccard: number;
  /** examples scored */
  count: number;
}

/** 0/1 predictions from probabilities [N, K]: p > threshold reads as present. */
export function thresholded(probs: ArrayLike<number>, threshold = LABEL_THRESHOLD): Uint8Array {
  return Uint8Array.from({ length: probs.length }, (_, i) => (probs[i] > threshold ? 1 : 0));
}

/**
 * F1 = 2tp / (2tp + fp + fn) per label; 0 when a label is neither predicted
 * nor present (transfer.py divides by max(., 1e-9)), which pulls macro F1
 * down for labels a small set never shows.
 * @param pred, gold [N, K] row-major 0/1
 */
export function scoreMultiLabel(pred: Uint8Array, gold: Uint8Array, k: number): MultiLabelScores {
  if (pred.length !== gold.length || k <= 0 || gold.length % k !== 0) {
    throw new Error(
      `scoreMultiLabel: shapes (expected two [N, ${k}] arrays, ` +
        `got ${pred.length} and ${gold.length})`,
    );
  }
  const n = gold.length / k;
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  let jaccard = 0;
  for (let i = 0; i < n; i++) {
    let inter = 0;
    let union = 0;
    for (let c = 0; c < k; c++) {
      const p = pred[i * k + c];
      const g = gold[i * k + c];
      if (p && g) tp[c]++;
      else if (p) fp[c]++;
      else if (g) fn[c]++;
      inter += p & g;
      union += p | g;
    }
    jaccard += union > 0 ? inter / union : 1;
  }
  const f1 = Array.from(tp, (t, c) => (2 * t) / Math.max(2 * t + fp[c] + fn[c], 1e-9));
  return {
    f1,
    macroF1: f1.reduce((a, v) => a + v, 0) / k,
    jaccard: n > 0 ? jaccard / n : 0,
    count: n,
  };
}
