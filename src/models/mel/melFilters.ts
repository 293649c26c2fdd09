// Slaney-style mel filterbank, as librosa.filters.mel(sr, n_fft, n_mels, fmin,
// fmax, htk=False, norm='slaney'): triangles on the Slaney mel scale (linear
// below 1 kHz, logarithmic above), each scaled by 2 / (its width in Hz) so
// every band has the same area.
import { MEL } from './melConfig';

const F_SP = 200 / 3; // Hz per mel in the linear part
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOG_STEP = Math.log(6.4) / 27; // mel step of the log part

/** Hz -> Slaney mel. */
export function hzToMel(hz: number): number {
  if (hz < MIN_LOG_HZ) return hz / F_SP;
  return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

/** Slaney mel -> Hz. */
export function melToHz(mel: number): number {
  if (mel < MIN_LOG_MEL) return mel * F_SP;
  return MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
}

export interface MelFilterOptions {
  sampleRate?: number;
  nFft?: number;
  bands?: number;
  fMin?: number;
  fMax?: number;
}

/** Centre frequencies (Hz) of bands + 2 points evenly spaced in mel from fMin to fMax. */
export function melPoints(
  bands: number = MEL.bands,
  fMin: number = MEL.fMin,
  fMax: number = MEL.fMax,
): Float64Array {
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const out = new Float64Array(bands + 2);
  for (let i = 0; i < bands + 2; i++) out[i] = melToHz(lo + ((hi - lo) * i) / (bands + 1));
  return out;
}

/**
 * The filterbank as a row-major [bands, nFft / 2 + 1] float64 matrix: row b
 * weights the magnitude of each DFT bin for band b.
 */
export function melFilterbank(opts: MelFilterOptions = {}): Float64Array {
  const { sampleRate = MEL.sampleRate, nFft = MEL.nFft, bands = MEL.bands } = opts;
  const { fMin = MEL.fMin, fMax = MEL.fMax } = opts;
  const bins = Math.floor(nFft / 2) + 1;
  const pts = melPoints(bands, fMin, fMax);
  const out = new Float64Array(bands * bins);
  for (let b = 0; b < bands; b++) {
    const [left, centre, right] = [pts[b], pts[b + 1], pts[b + 2]];
    const norm = 2 / (right - left);
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / nFft;
      const rising = (f - left) / (centre - left);
      const falling = (right - f) / (right - centre);
      out[b * bins + k] = Math.max(0, Math.min(rising, falling)) * norm;
    }
  }
  return out;
}
