// The log-mel front end of WaveGlow / Tacotron 2. These values must match the
// vocoder's training features exactly; change none of them in isolation.

export const MEL = {
  /** every recording is converted to this rate before analysis (Hz) */
  sampleRate: 22050,
  /** DFT length and window length (samples) */
  nFft: 1024,
  /** hop between frames (samples) */
  hop: 256,
  /** reflect padding at each end: nFft / 2, so N samples give floor(N / hop) + 1 frames */
  pad: 512,
  /** one-sided spectrum bins: nFft / 2 + 1 */
  bins: 513,
  /** mel bands */
  bands: 80,
  fMin: 0,
  fMax: 8000,
  /** magnitudes below this are clamped before the natural log */
  clamp: 1e-5,
} as const;

/** Frames of the log-mel for `samples` samples: floor(N / hop) + 1. */
export function melFrameCount(samples: number): number {
  return Math.floor(samples / MEL.hop) + 1;
}

/** Periodic Hann window of length nFft: 0.5 - 0.5 cos(2 pi n / nFft), float64. */
export function hannWindow(length: number = MEL.nFft): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}

/**
 * Index into a signal of length `n` after reflect padding (edge sample not
 * repeated, as numpy/torch 'reflect'). Reflects repeatedly, so signals
 * shorter than the padding still get defined values (torch refuses those).
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}
