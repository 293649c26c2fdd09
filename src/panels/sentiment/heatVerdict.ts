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
