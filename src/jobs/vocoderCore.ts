// What the vocoder does with a loaded WaveGlow, shared by the page (jobs/
// vocoder.ts) and the command line (cli/vocode.ts, cli/likelihood.ts):
// chunked synthesis with timing and memory figures, the invertibility check
// on a real recording, and the likelihood of a recording. No React, no DOM.
import { assert } from '../engine/assert';
import type { BackendKind } from '../engine/ort/backendChoice';
import { tensor, type Tensor } from '../engine/tensor';
import { exactOverlap, planChunks } from '../models/waveglow/chunks';
import type { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';

/** A log-mel as the speech store and `semilab mel` hold it: row-major [bands, frames]. */
export interface MelInput {
  data: Float32Array;
  bands: number;
  frames: number;
}

/** 64 frames (0.74 s of audio) per chunk: a short wait for the first sound, ~1.2x overlap work. */
export const DEFAULT_CHUNK_FRAMES = 64;
export const DEFAULT_SIGMA = 0.6;

export interface SynthesisProgress {
  /** chunks finished so far, of `chunks` */
  chunk: number;
  chunks: number;
  samplesDone: number;
  totalSamples: number;
  /** ms spent computing so far (callbacks excluded) */
  computeMs: number;
  /** audio seconds / compute seconds so far */
  rtf: number;
  /** the GPU pool's peak bytes since the device was acquired (0 on wasm) */
  peakBytes: number;
  /** where it ran: our WGSL or onnxruntime-web wasm */
  backend: BackendKind;
}

export interface SynthesisResult extends SynthesisProgress {
  samples: Float32Array;
  sampleRate: number;
  sigma: number;
}

export interface SynthesisOptions {
  sigma?: number;
  chunkFrames?: number;
  /** seed of the noise (default 1) */
  seed?: number;
  /** checked between chunks; an aborted signal stops synthesis with its reason */
  signal?: AbortSignal;
  /** each finished chunk's samples, in order, with the figures so far */
  onChunk?(samples: Float32Array, progress: SynthesisProgress): void | Promise<void>;
}

function melTensor(model: WaveGlow, mel: MelInput, frames = mel.frames): Tensor {
  assert(
    mel.data.length === mel.bands * mel.frames,
    () => `vocoder: mel data length (expected ${mel.bands * mel.frames}, got ${mel.data.length})`,
  );
  if (frames === mel.frames) return tensor(model.gpu, mel.data, [1, mel.bands, frames]);
  const part = new Float32Array(mel.bands * frames);
  for (let b = 0; b < mel.bands; b++) {
    part.set(mel.data.subarray(b * mel.frames, b * mel.frames + frames), b * frames);
  }
  return tensor(model.gpu, part, [1, mel.bands, frames]);
}

/**
 * Synthesises `mel` in chunks (WaveGlow.inferChunked, exact overlap, so the
 * result equals one-shot synthesis up to rounding), on WebGPU or, given a
 * WaveGlowWasm (jobs/waveGlowInference.ts), on onnxruntime-web wasm.
 * @returns the samples at the model's rate and the timing / memory figures
 * @throws the model's message for a wrong band count or non-finite values,
 *   or the signal's reason when aborted
 */
export async function synthesizeMel(
  model: WaveGlow | WaveGlowWasm,
  mel: MelInput,
  opts: SynthesisOptions = {},
): Promise<SynthesisResult> {
  const sigma = opts.sigma ?? DEFAULT_SIGMA;
  const chunkFrames = opts.chunkFrames ?? DEFAULT_CHUNK_FRAMES;
  const rate = model.config.sampling_rate;
  const totalSamples = model.outputSamples(mel.frames);
  const chunks = planChunks(model.config, mel.frames, chunkFrames, exactOverlap(model.config));
  const out = new Float32Array(totalSamples);
  const progress: SynthesisProgress = {
    chunk: 0,
    chunks: chunks.length,
    samplesDone: 0,
    totalSamples,
    computeMs: 0,
    rtf: 0,
    peakBytes: 0,
    backend: model instanceof WaveGlowWasm ? 'wasm' : 'webgpu',
  };
  const peakBytes = () => (model instanceof WaveGlowWasm ? 0 : model.gpu.stats().peakBytes);
  progress.peakBytes = peakBytes();
  opts.signal?.throwIfAborted();
  const melT = model instanceof WaveGlowWasm ? null : melTensor(model, mel);
  let since = performance.now();
  try {
    const onChunk = async (samples: Float32Array) => {
      progress.computeMs += performance.now() - since;
      out.set(samples, progress.samplesDone);
      progress.chunk++;
      progress.samplesDone += samples.length;
      progress.rtf = progress.samplesDone / rate / (progress.computeMs / 1000);
      progress.peakBytes = peakBytes();
      await opts.onChunk?.(samples, { ...progress });
      opts.signal?.throwIfAborted();
      since = performance.now();
    };
    const seed = { seed: opts.seed ?? 1 };
    if (model instanceof WaveGlowWasm) {
      await model.inferChunked(mel, sigma, chunkFrames, onChunk, seed);
    } else {
      await model.inferChunked(melT!, sigma, chunkFrames, onChunk, seed);
    }
  } finally {
    melT?.dispose();
  }
  return { ...progress, samples: out, sampleRate: rate, sigma };
}

/** Mel frames and audio samples that forward() and infer() both take for a recording. */
export function invertibleSpan(
  model: WaveGlow,
  samples: number,
  frames: number,
): { frames: number; samples: number } {
  // NOTE: infer() of f frames yields outputSamples(f) samples, which forward() accepts
  // (at most (f-1)*hop + kernel, kernel >= hop): take the most frames the audio covers
  let f = frames;
  while (f > 0 && model.outputSamples(f) > samples) f--;
  assert(
    f > 0 && model.outputSamples(f) > 0,
    () => `vocoder: the recording is too short for one group (${samples} samples)`,
  );
  return { frames: f, samples: model.outputSamples(f) };
}

export interface InvertResult {
  /** samples compared (the recording trimmed to whole groups under the mel) */
  samples: number;
  frames: number;
  /** max |infer(forward(audio)) - audio| */
  maxAbsError: number;
  /** the recording's largest |sample|, for scale */
  peak: number;
  /** the round trip's audio */
  audio: Float32Array;
  forwardMs: number;
  inverseMs: number;
}

/**
 * The invertibility check: z = forward(mel, audio), then infer(mel, z) with
 * sigma 1 must give the audio back up to float rounding.
 */
export async function invertRecording(
  model: WaveGlow,
  audio: Float32Array,
  mel: MelInput,
): Promise<InvertResult> {
  const span = invertibleSpan(model, audio.length, mel.frames);
  const original = audio.subarray(0, span.samples);
  const melT = melTensor(model, mel, span.frames);
  const audioT = tensor(model.gpu, original, [1, span.samples]);
  try {
    const t0 = performance.now();
    const { z, nll } = model.forward(melT, audioT, 1);
    nll.dispose();
    await model.gpu.sync();
    const t1 = performance.now();
    let back: Float32Array;
    try {
      const again = model.inferUnchecked(melT, z, 1);
      back = await again.read();
      again.dispose();
    } finally {
      z.dispose();
    }
    const t2 = performance.now();
    let maxAbsError = 0;
    let peak = 0;
    for (let i = 0; i < original.length; i++) {
      maxAbsError = Math.max(maxAbsError, Math.abs(back[i] - original[i]));
      peak = Math.max(peak, Math.abs(original[i]));
    }
    return {
      samples: span.samples,
      frames: span.frames,
      maxAbsError,
      peak,
      audio: back,
      forwardMs: t1 - t0,
      inverseMs: t2 - t1,
    };
  } finally {
    melT.dispose();
    audioT.dispose();
  }
}

export interface LikelihoodResult {
  samples: number;
  frames: number;
  /** the training loss: NLL per sample without the Gaussian constant (nats) */
  loss: number;
  /** full NLL per sample, loss + ln(2 pi sigma^2) / 2 (nats) */
  nats: number;
  /** nats / ln 2 */
  bits: number;
  ms: number;
}

/** NLL per sample of `audio` under the model, conditioned on its own log-mel. */
export async function recordingLikelihood(
  model: WaveGlow,
  audio: Float32Array,
  mel: MelInput,
  sigma = 1,
): Promise<LikelihoodResult> {
  const span = invertibleSpan(model, audio.length, mel.frames);
  const t0 = performance.now();
  const melT = melTensor(model, mel, span.frames);
  const audioT = tensor(model.gpu, audio.subarray(0, span.samples), [1, span.samples]);
  let loss: number;
  try {
    const { z, nll } = model.forward(melT, audioT, sigma);
    z.dispose();
    loss = (await nll.read())[0];
    nll.dispose();
  } finally {
    melT.dispose();
    audioT.dispose();
  }
  const nats = loss + 0.5 * Math.log(2 * Math.PI * sigma * sigma);
  return {
    samples: span.samples,
    frames: span.frames,
    loss,
    nats,
    bits: nats / Math.LN2,
    ms: performance.now() - t0,
  };
}
