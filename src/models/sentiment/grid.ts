// Shared pieces of model selection: the lambda grid and accuracy.

/** Fractions of lambda_max tried, largest (sparsest) first. */
export const LAMBDA_FRACTIONS = [0.3, 0.1, 0.03, 0.01, 0.003, 0.001];

/** The lambda grid for a problem whose weights all vanish at `lambdaMax`. */
export function lambdaGrid(lambdaMax: number): number[] {
  const top = lambdaMax > 0 ? lambdaMax : 1;
  return LAMBDA_FRACTIONS.map((f) => f * top);
}

/** Share of probabilities on the right side of 0.5 (p > 0.5 reads as positive). */
export function accuracyOf(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (labels.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if ((probs[i] > 0.5 ? 1 : 0) === labels[i]) right++;
  return right / labels.length;
}
