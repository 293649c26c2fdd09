// The learning rate of each fine-tuning step: a linear warmup from near zero
// to the peak (Adam's first steps move every weight by about lr, so starting
// gently keeps a pretrained model from being knocked off its optimum), then a
// cosine decay to a floor, so the last steps only polish.

export interface LrSchedule {
  /** the highest learning rate, reached at the end of the warmup */
  peak: number;
  /** share of the steps spent warming up, in [0, 1) */
  warmupShare: number;
  /** the last step's learning rate as a share of the peak, in [0, 1] */
  floorShare: number;
}

/** Steps of linear warmup for a run of `total` steps (0 when warmupShare is 0). */
export function warmupSteps(total: number, warmupShare: number): number {
  return Math.min(total - 1, Math.round(total * warmupShare));
}

/**
 * Learning rate of step `step` (0-based) of a run of `total` steps.
 * warmup (step < W):  peak * (step + 1) / (W + 1)
 * then:               floor + (peak - floor) * (1 + cos(pi * (step - W) / (total - 1 - W))) / 2
 * so the first step after the warmup uses the peak and the last one the floor.
 * The warmup never takes the last step, and the last step of a run of two or more
 * always uses the floor, even when the decay is that single step (a short run then
 * never reaches the peak, rather than ignoring the final share).
 */
export function scheduledLr(step: number, total: number, s: LrSchedule): number {
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(step)) {
    throw new Error(`scheduledLr: expected integer step and total >= 1 (got ${step}, ${total})`);
  }
  if (step < 0 || step >= total) {
    throw new Error(`scheduledLr: step out of range (expected 0..${total - 1}, got ${step})`);
  }
  const warm = warmupSteps(total, s.warmupShare);
  if (step < warm) return (s.peak * (step + 1)) / (warm + 1);
  const floor = s.peak * s.floorShare;
  const span = total - 1 - warm;
  // a one-step decay is the last step; only a one-step run keeps the peak
  if (span === 0) return total === 1 ? s.peak : floor;
  const progress = (step - warm) / span;
  return floor + ((s.peak - floor) * (1 + Math.cos(Math.PI * progress))) / 2;
}
