// The bag-of-words baseline for multi-label sets: the hashed unigram + bigram
// features of bagOfWords.ts, one CPU L1 logistic regression per label with
// its lambda chosen by validation accuracy (ties: the sparser), predicted at
// p > 0.5 and scored like the mLSTM classifiers (multiLabelMetrics.ts).
import { bagOfWords, sparseLambdaMax } from './bagOfWords';
import { fitL1LogisticCpu, predictSparse, sparseLipschitz } from './cpuL1Logistic';
import { labelColumn } from './emotionData';
import { accuracyOf, lambdaGrid } from './grid';
import {
  LABEL_THRESHOLD,
  scoreMultiLabel,
  thresholded,
  type MultiLabelScores,
} from './multiLabelMetrics';

export interface BowMultiLabelResult {
  scores: MultiLabelScores;
  /** chosen lambda per label (0 for a label with one class only in training) */
  lambdas: number[];
}

/** Fits the baseline per label on train and scores it on val ([N, K] / [M, K] labels). */
export function fitBagOfWordsMultiLabel(
  train: { texts: readonly Uint8Array[]; labels: Uint8Array },
  val: { texts: readonly Uint8Array[]; labels: Uint8Array },
  k: number,
  opts: { maxIter?: number; onProgress?: (fraction: number) => void } = {},
): BowMultiLabelResult {
  const x = bagOfWords(train.texts);
  const xv = bagOfWords(val.texts);
  const n = train.texts.length;
  const m = val.texts.length;
  const rows = Array.from({ length: n }, (_, i) => i);
  const lipschitz = sparseLipschitz(x, rows);
  const probs = new Float64Array(m * k);
  const lambdas: number[] = [];
  for (let c = 0; c < k; c++) {
    const y = labelColumn(train.labels, k, c);
    const yv = labelColumn(val.labels, k, c);
    const positives = y.reduce((a, v) => a + v, 0);
    let best: { accuracy: number; lambda: number; p: Float64Array } | null = null;
    if (positives === 0 || positives === n) {
      best = { accuracy: 0, lambda: 0, p: new Float64Array(m).fill(positives ? 1 : 0) };
    } else {
      for (const lambda of lambdaGrid(sparseLambdaMax(x, y))) {
        const fit = fitL1LogisticCpu(x, y, rows, lambda, {
          lipschitz,
          maxIter: opts.maxIter ?? 500,
          tol: 1e-5,
        });
        const p = predictSparse(xv, fit.w, fit.b);
        const accuracy = accuracyOf(p, yv);
        if (!best || accuracy > best.accuracy) best = { accuracy, lambda, p };
      }
    }
    for (let i = 0; i < m; i++) probs[i * k + c] = best!.p[i];
    lambdas.push(best!.lambda);
    opts.onProgress?.((c + 1) / k);
  }
  return { scores: scoreMultiLabel(thresholded(probs, LABEL_THRESHOLD), val.labels, k), lambdas };
}
