// WaveGlow's denoiser, as NVIDIA's denoiser.py: the model's bias is what it
// says for a mel of all zeros (mode 'zeros', the original's default; a
// log-mel of 0, i.e. mel magnitude 1) at sigma 0; the magnitude of the first
// STFT frame of that audio is the bias spectrum. Denoising subtracts
// strength x bias spectrum from every frame's magnitude, clamps at 0 and
// resynthesises with the audio's own phase. The STFT is FFT 1024, hop 256,
// Hann window 1024 (stft.ts). Pure: the synthesis of the bias audio is the
// caller's (jobs/denoiserBias.ts).
import { assert } from '../../engine/assert';
import { exactOverlap } from './chunks';
import type { WaveGlowConfig } from './config';
import { DENOISER_STFT, istft, stft, type StftConfig } from './stft';

/**
 * The original's bias mel: 80 bands x 88 frames of zeros (about 1 s of audio).
 * Measured (scripts/bench-denoiser-bias.bench.ts, 2-core Xeon): the bias synthesis takes
 * 0.14 s from 9 frames and 0.95 s from 88 on wasm, 4.6 s and 162 s on WebGPU over SwiftShader;
 * jobs/denoiserBias.ts uses 88 except on a software WebGPU adapter.
 */
export const BIAS_MEL_FRAMES = 88;

/** The original's typical strength; the UI starts at 0 (off). */
export const TYPICAL_DENOISE_STRENGTH = 0.1;
export const MAX_DENOISE_STRENGTH = 0.5;

/** Magnitude per frequency bin (filterLength / 2 + 1 bins, bin k at k * rate / filterLength Hz). */
export interface BiasSpectrum {
  magnitude: Float32Array;
  filterLength: number;
}

/**
 * The fewest frames of zero mel that give the same bias spectrum as the original's 88.
 * NOTE: the first STFT frame reads samples [0, N/2]; WaveGlow's output there depends on the
 * mel only through convolutions reaching exactOverlap(c).right frames to the right (the
 * upsampler reaches only left), so more frames change nothing there (9 for the default
 * model; checked against 88 in jobs/denoiserBias.test.ts).
 */
export function minimalBiasFrames(c: WaveGlowConfig, cfg = DENOISER_STFT): number {
  const first = Math.ceil((cfg.filterLength / 2 + 1) / c.hop_length);
  return Math.min(BIAS_MEL_FRAMES, first + exactOverlap(c).right);
}

/** The all-zero log-mel the bias is synthesised from, row-major [bands, frames]. */
export function biasMel(bands: number, frames = BIAS_MEL_FRAMES) {
  return { data: new Float32Array(bands * frames), bands, frames };
}

/** The first STFT frame's magnitude of the model's output for the zero mel. */
export function biasSpectrumOf(biasAudio: Float32Array, cfg = DENOISER_STFT): BiasSpectrum {
  const spec = stft(biasAudio, cfg);
  return { magnitude: spec.magnitude.slice(0, spec.bins), filterLength: cfg.filterLength };
}

/** Clamps a strength to [0, MAX_DENOISE_STRENGTH]; anything not finite becomes 0. */
export function clampStrength(v: number): number {
  return Number.isFinite(v) ? Math.min(MAX_DENOISE_STRENGTH, Math.max(0, v)) : 0;
}

/**
 * |STFT(audio)| - strength * bias, clamped at 0, back to audio with the original phase.
 * @returns as many samples as `audio`; `audio` itself (not a copy) when strength is 0
 * @throws when the bias spectrum's size does not match the STFT
 */
export function denoise(
  audio: Float32Array,
  bias: BiasSpectrum,
  strength: number,
  cfg: StftConfig = DENOISER_STFT,
): Float32Array {
  const bins = cfg.filterLength / 2 + 1;
  assert(
    bias.magnitude.length === bins,
    () => `denoise: bias spectrum size (expected ${bins} bins, got ${bias.magnitude.length})`,
  );
  if (strength === 0 || audio.length === 0) return audio;
  const spec = stft(audio, cfg);
  const magnitude = new Float32Array(spec.magnitude.length);
  for (let t = 0; t < spec.frames; t++) {
    for (let k = 0; k < bins; k++) {
      const i = t * bins + k;
      magnitude[i] = Math.max(0, spec.magnitude[i] - strength * bias.magnitude[k]);
    }
  }
  return istft(spec, magnitude, cfg);
}
