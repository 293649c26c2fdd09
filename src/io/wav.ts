// Decodes WAV files in Node and the CLI: the header check (wavHeader.ts),
// samples through the `wavefile` package, a mono downmix (mean of the
// channels) and resampling to the analysis rate with our windowed-sinc
// resampler (resample.ts). Pure: bytes in, samples out, no GPU.
import * as wavefileModule from 'wavefile';
import { fail, ok, type Result } from '../engine/assert';
import {
  checkFiniteSamples,
  MAX_AUDIO_SECONDS,
  tooLongError,
  type AudioError,
  type DecodedAudio,
} from './audioTypes';
import { resample } from './resample';
import { readWavHeader, type WavHeader } from './wavHeader';

export { MAX_AUDIO_SECONDS, type AudioError, type DecodedAudio } from './audioTypes';

/** wavefile is CommonJS in Node (a default export) and ESM in bundlers (named). */
const WaveFile: typeof wavefileModule.WaveFile =
  (wavefileModule as { WaveFile?: typeof wavefileModule.WaveFile }).WaveFile ??
  (wavefileModule as unknown as { default: typeof wavefileModule }).default.WaveFile;

export interface DecodeOptions {
  /** target rate in Hz (default 22050) */
  sampleRate?: number;
  /** name used in messages */
  name?: string;
}

/** Full-scale divisor and offset that map integer samples of each bit depth to [-1, 1). */
function pcmScale(header: WavHeader): { offset: number; scale: number } {
  if (header.encoding === 'float') return { offset: 0, scale: 1 };
  // 8-bit WAV is unsigned (silence at 128); wider depths are signed
  if (header.bitsPerSample === 8) return { offset: -128, scale: 1 / 128 };
  return { offset: 0, scale: 1 / 2 ** (header.bitsPerSample - 1) };
}

/** Only whole frames, and a data chunk whose size matches them, so wavefile reads what is there. */
function trimmedWav(bytes: Uint8Array, header: WavHeader): Uint8Array {
  const usable = header.frames * header.blockAlign;
  const copy = bytes.slice(0, header.dataOffset + usable);
  const view = new DataView(copy.buffer);
  const little = header.container !== 'RIFX';
  if (header.container !== 'RF64') {
    view.setUint32(header.dataOffset - 4, usable, little);
    view.setUint32(4, copy.length - 8, little);
  }
  return copy;
}

/**
 * Decodes a WAV file (PCM 8/16/24/32-bit, float 32/64) to mono at
 * `opts.sampleRate` (22050 Hz by default). Refuses, with a message: non-WAV
 * bytes, damaged headers, unsupported encodings, files without samples and
 * recordings longer than 10 minutes.
 */
export function decodeWav(
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): Result<DecodedAudio, AudioError> {
  const { sampleRate = 22050, name = 'the file' } = opts;
  const parsed = readWavHeader(bytes, name);
  if (!parsed.ok) return parsed;
  const header = parsed.value;
  const seconds = header.frames / header.sampleRate;
  if (seconds > MAX_AUDIO_SECONDS) return fail(tooLongError(name, seconds));

  let channels: Float64Array[];
  try {
    const wav = new WaveFile(header.truncated ? trimmedWav(bytes, header) : bytes);
    const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
    channels = header.channels === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail({ code: 'corrupt', message: `${name} could not be decoded as WAV (${why}).` });
  }
  const frames = Math.min(header.frames, ...channels.map((c) => c.length));
  if (frames === 0) return fail({ code: 'empty', message: `${name} holds no audio (0 samples).` });

  const { offset, scale } = pcmScale(header);
  const mono = new Float32Array(frames);
  const gain = scale / channels.length;
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (const c of channels) s += c[i] + offset;
    mono[i] = s * gain;
  }
  // NaN would pass a Math.min/max clamp and spread through the resampler
  const nonFinite = checkFiniteSamples(name, mono);
  if (nonFinite) return fail(nonFinite);
  const samples = resample(mono, header.sampleRate, sampleRate);
  // the sinc kernel can ring slightly past full scale near clipped input
  if (samples !== mono) checkFiniteSamples(name, samples);
  return ok({
    samples,
    sampleRate,
    originalRate: header.sampleRate,
    originalChannels: header.channels,
    resampled: header.sampleRate !== sampleRate,
    downmixed: header.channels > 1,
    truncated: header.truncated,
    duration: samples.length / sampleRate,
  });
}
