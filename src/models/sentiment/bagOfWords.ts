// The bag-of-words baseline: word unigrams and bigrams of each text's bytes,
// hashed (FNV-1a) into 2^16 binary presence features, fitted with the CPU
// L1 logistic regression (cpuL1Logistic.ts), lambda chosen on validation.
import { fitL1LogisticCpu, predictSparse, sparseLipschitz, type SparseRows } from './cpuL1Logistic';
import { accuracyOf, lambdaGrid } from './grid';

export const BOW_BITS = 16;

/** Words: runs of ASCII letters/digits/apostrophes or non-ASCII bytes, ASCII lowercased. */
export function words(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = -1;
  const isWord = (b: number) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x27 ||
    b >= 0x80;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && isWord(bytes[i])) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(bytes.slice(start, i).map((b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b)));
      start = -1;
    }
  }
  return out;
}

/** FNV-1a over the bytes of each part, with a separator byte between parts. */
function fnv1a(parts: readonly Uint8Array[]): number {
  let hash = 0x811c9dc5;
  parts.forEach((p, k) => {
    if (k > 0) hash = Math.imul(hash ^ 0x20, 0x01000193);
    for (const b of p) hash = Math.imul(hash ^ b, 0x01000193);
  });
  return hash >>> 0;
}

/** The hashed unigram + bigram presence features of each text, as sparse rows. */
export function bagOfWords(texts: readonly Uint8Array[], bits = BOW_BITS): SparseRows {
  const mask = (1 << bits) - 1;
  const offsets = new Uint32Array(texts.length + 1);
  const cols: number[] = [];
  texts.forEach((text, i) => {
    const w = words(text);
    const seen = new Set<number>();
    w.forEach((word, j) => {
      seen.add(fnv1a([word]) & mask);
      if (j > 0) seen.add(fnv1a([w[j - 1], word]) & mask);
    });
    cols.push(...[...seen].sort((a, b) => a - b));
    offsets[i + 1] = cols.length;
  });
  return {
    offsets,
    cols: Uint32Array.from(cols),
    values: new Float32Array(cols.length).fill(1),
    width: 1 << bits,
  };
}

export interface BowResult {
  /** validation accuracy at the chosen lambda */
  accuracy: number;
  lambda: number;
  nonZero: number;
  /** accuracy per lambda of the grid */
  grid: Array<{ lambda: number; accuracy: number; nonZero: number }>;
}

/** lambda_max = max_j |sum_i x_ij (y_i - mean y)| / n: the smallest lambda that zeroes w. */
export function sparseLambdaMax(x: SparseRows, y: ArrayLike<number>): number {
  const n = x.offsets.length - 1;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  const g = new Float64Array(x.width);
  for (let i = 0; i < n; i++) {
    for (let p = x.offsets[i]; p < x.offsets[i + 1]; p++)
      g[x.cols[p]] += x.values[p] * (y[i] - ybar);
  }
  let m = 0;
  for (const v of g) m = Math.max(m, Math.abs(v));
  return m / n;
}

/** Fits the baseline on train, picks lambda by validation accuracy (ties: the sparser). */
export function fitBagOfWords(
  train: { texts: readonly Uint8Array[]; labels: Uint8Array },
  val: { texts: readonly Uint8Array[]; labels: Uint8Array },
  opts: { maxIter?: number } = {},
): BowResult {
  const x = bagOfWords(train.texts);
  const xv = bagOfWords(val.texts);
  const rows = Array.from({ length: train.labels.length }, (_, i) => i);
  const lipschitz = sparseLipschitz(x, rows);
  const grid = lambdaGrid(sparseLambdaMax(x, train.labels)).map((lambda) => {
    const fit = fitL1LogisticCpu(x, train.labels, rows, lambda, {
      lipschitz,
      maxIter: opts.maxIter ?? 500,
      tol: 1e-5,
    });
    const accuracy = accuracyOf(predictSparse(xv, fit.w, fit.b), val.labels);
    const nonZero = fit.w.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0);
    return { lambda, accuracy, nonZero };
  });
  const best = grid.reduce((a, g) => (g.accuracy > a.accuracy ? g : a));
  return { ...best, grid };
}
