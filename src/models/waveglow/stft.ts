// The short-time Fourier transform of NVIDIA WaveGlow's stft.py, on the CPU:
// periodic Hann window, frames centred on multiples of the hop (the signal is
// reflect-padded by half a frame at both ends), magnitude and phase of the
// unnormalised DFT, and the inverse by windowed overlap-add divided by the
// summed squared window. Used by the denoiser (denoiser.ts); a few seconds of
// audio take milliseconds, so no GPU kernel. Pure.
import FFT from 'fft.js';
import { assert } from '../../engine/assert';

export interface StftConfig {
  /** FFT size (a power of two) */
  filterLength: number;
  hop: number;
}

/** WaveGlow's denoiser settings: FFT 1024, hop 256 (4x overlap), window 1024. */
export const DENOISER_STFT: StftConfig = { filterLength: 1024, hop: 256 };

/** Magnitude and phase, each row-major [frames, bins] with bins = filterLength / 2 + 1. */
export interface Spectrogram {
  magnitude: Float32Array;
  phase: Float32Array;
  frames: number;
  bins: number;
  /** samples of the analysed signal, so the inverse can give back as many */
  length: number;
}

const ffts = new Map<number, FFT>();
function fftOf(size: number): FFT {
  let f = ffts.get(size);
  if (!f) {
    f = new FFT(size);
    ffts.set(size, f);
  }
  return f;
}

/** w[n] = 0.5 - 0.5 cos(2 pi n / N): scipy's get_window('hann', N, fftbins=True). */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** x[i] with the signal mirrored past its ends (numpy 'reflect': the edge is not repeated). */
function reflectAt(x: Float32Array, i: number): number {
  const n = x.length;
  if (n === 1) return x[0];
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return x[j < n ? j : period - j];
}

/** Frames the STFT of `length` samples has: floor(length / hop) + 1. */
export function stftFrames(length: number, cfg: StftConfig = DENOISER_STFT): number {
  return Math.floor(length / cfg.hop) + 1;
}

/**
 * STFT of `x`: frame t covers x[t*hop - N/2, t*hop + N/2) (reflect-padded), Hann-windowed.
 * @throws when x is empty or filterLength is not a power of two
 */
export function stft(x: Float32Array, cfg: StftConfig = DENOISER_STFT): Spectrogram {
  const n = cfg.filterLength;
  assert(x.length > 0, () => 'stft: the signal is empty');
  assert(n > 1 && (n & (n - 1)) === 0, () => `stft: filterLength ${n} is not a power of two`);
  const fft = fftOf(n);
  const window = hannPeriodic(n);
  const bins = n / 2 + 1;
  const frames = stftFrames(x.length, cfg);
  const magnitude = new Float32Array(frames * bins);
  const phase = new Float32Array(frames * bins);
  const frame = new Float64Array(n);
  const spectrum = new Float64Array(2 * n);
  const half = n / 2;
  for (let t = 0; t < frames; t++) {
    const start = t * cfg.hop - half;
    for (let i = 0; i < n; i++) frame[i] = window[i] * reflectAt(x, start + i);
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      magnitude[t * bins + k] = Math.hypot(re, im);
      phase[t * bins + k] = Math.atan2(im, re);
    }
  }
  return { magnitude, phase, frames, bins, length: x.length };
}

/**
 * Inverse of `stft` with the given magnitude (same layout as spec.magnitude) and spec's phase:
 * x[i] = sum_t w[i - t*hop] * ifft_t[i - t*hop] / sum_t w^2[i - t*hop].
 * @returns spec.length samples; exact for an unmodified magnitude up to rounding
 */
export function istft(
  spec: Spectrogram,
  magnitude: Float32Array = spec.magnitude,
  cfg: StftConfig = DENOISER_STFT,
): Float32Array {
  const n = cfg.filterLength;
  const { frames, bins, phase } = spec;
  assert(
    bins === n / 2 + 1 && magnitude.length === frames * bins,
    () =>
      `istft: spectrogram shape (expected ${frames} x ${n / 2 + 1}, ` +
      `got ${bins} bins and ${magnitude.length} values)`,
  );
  const fft = fftOf(n);
  const window = hannPeriodic(n);
  const half = n / 2;
  // the padded signal: frame t starts at t*hop in it
  const padded = (frames - 1) * cfg.hop + n;
  const sum = new Float64Array(padded);
  const weight = new Float64Array(padded);
  const spectrum = new Float64Array(2 * n);
  const time = new Float64Array(2 * n);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      const m = magnitude[t * bins + k];
      const p = phase[t * bins + k];
      spectrum[2 * k] = m * Math.cos(p);
      spectrum[2 * k + 1] = m * Math.sin(p);
    }
    // the upper half mirrors the lower (a real signal's spectrum is Hermitian)
    for (let k = bins; k < n; k++) {
      spectrum[2 * k] = spectrum[2 * (n - k)];
      spectrum[2 * k + 1] = -spectrum[2 * (n - k) + 1];
    }
    fft.inverseTransform(time, spectrum);
    const at = t * cfg.hop;
    for (let i = 0; i < n; i++) {
      sum[at + i] += window[i] * time[2 * i];
      weight[at + i] += window[i] * window[i];
    }
  }
  const out = new Float32Array(spec.length);
  for (let i = 0; i < spec.length; i++) {
    const w = weight[i + half];
    // NOTE: every real sample lies inside at least two frames at 4x overlap, so w > 0
    out[i] = w > 1e-10 ? sum[i + half] / w : 0;
  }
  return out;
}
