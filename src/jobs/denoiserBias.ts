// The denoiser's bias spectrum of a loaded WaveGlow: its synthesis (sigma 0)
// of an all-zero mel of NVIDIA's 88 frames, first STFT frame
// (models/waveglow/denoiser.ts). It costs one short synthesis, so it is
// computed once per model and kept as long as the model lives; a failed
// attempt is retried next time. Either backend's WaveGlow (WGSL or
// onnxruntime-web wasm) will do: the bias must come from the model instance
// that made the audio it is subtracted from.
import {
  BIAS_MEL_FRAMES,
  biasMel,
  biasSpectrumOf,
  minimalBiasFrames,
  type BiasSpectrum,
} from '../models/waveglow/denoiser';
import { synthesizeMel } from './vocoderCore';

/** Whatever synthesizeMel runs: the WGSL WaveGlow or its wasm twin. */
export type BiasVocoder = Parameters<typeof synthesizeMel>[0];

const cache = new WeakMap<BiasVocoder, Promise<BiasSpectrum>>();

/**
 * Frames of the bias mel for `model`: NVIDIA's 88, except on a software WebGPU adapter, where
 * 88 frames take minutes (BIAS_MEL_FRAMES) and the minimal count gives the same first STFT frame.
 */
export function biasFramesFor(model: BiasVocoder): number {
  const software = 'gpu' in model && model.gpu.profile.isSoftware;
  return software ? minimalBiasFrames(model.config) : BIAS_MEL_FRAMES;
}

/**
 * The bias audio of `model`: sigma 0, `frames` frames of log-mel 0.
 * @throws the model's message when synthesis fails
 */
export async function synthesizeBiasAudio(
  model: BiasVocoder,
  frames = biasFramesFor(model),
): Promise<Float32Array> {
  const mel = biasMel(model.config.n_mel_channels, frames);
  const result = await synthesizeMel(model, mel, { sigma: 0, chunkFrames: frames });
  return result.samples;
}

/** The bias spectrum of `model`, computed on first use. */
export function denoiserBias(model: BiasVocoder): Promise<BiasSpectrum> {
  let pending = cache.get(model);
  if (!pending) {
    pending = synthesizeBiasAudio(model).then(biasSpectrumOf);
    cache.set(model, pending);
    pending.catch(() => {
      if (cache.get(model) === pending) cache.delete(model);
    });
  }
  return pending;
}
