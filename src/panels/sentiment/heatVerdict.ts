// The heat map shows one unit; the verdict weighs every unit with a non-zero
// weight. They can point different ways on the same text, and the panel says
// so in words rather than leave a green heat map beside a "Negative".
import type { SentimentClassifier } from '../../models/sentiment/classifier';

export type Leaning = 'positive' | 'negative';

/**
 * Which way unit u alone pushes the verdict after the last byte: the sign of its term
 * w_u (c_u - mean_u) / std_u in the logit (0 counts as negative, as p = 0.5 does).
 */
export function unitLeaning(c: SentimentClassifier, lastValue: number): Leaning {
  const u = c.sentimentUnit;
  return (c.w[u] * (lastValue - c.mean[u])) / c.std[u] > 0 ? 'positive' : 'negative';
}

/**
 * A plain sentence when the heat map's unit (at the last byte) and the verdict disagree,
 * else null. Only for the classifier's own unit and its final-state features.
 */
export function heatVerdictDisagreement(
  c: SentimentClassifier,
  unit: number,
  lastValue: number,
  probability: number,
): string | null {
  if (unit !== c.sentimentUnit || c.pool !== 'final' || !Number.isFinite(lastValue)) return null;
  const alone = unitLeaning(c, lastValue);
  const all: Leaning = probability > 0.5 ? 'positive' : 'negative';
  if (alone === all) return null;
  return (
    `They disagree on this text: unit ${unit} alone leans ${alone} at the last byte, ` +
    `but the ${c.nonZero} units with non-zero weight together read ${all}.`
  );
}

/** Below this accuracy a verdict is shown with a caution: two classes, so 50% is chance. */
export const NEAR_CHANCE_ACCURACY = 0.6;

/**
 * A caution for a verdict from a classifier that scored near chance (its probabilities
 * can still read 0% or 100%), or null when its accuracy is above NEAR_CHANCE_ACCURACY.
 */
export function verdictCaution(c: Pick<SentimentClassifier, 'accuracy' | 'folds'>): string | null {
  if (!(c.accuracy < NEAR_CHANCE_ACCURACY)) return null;
  const kind = c.folds > 0 ? 'cross-validated' : 'held-out';
  return (
    `The classifier scored ${(100 * c.accuracy).toFixed(1)}% ${kind}, near chance: ` +
    'read this verdict as a guess, however sure its probability looks.'
  );
}
