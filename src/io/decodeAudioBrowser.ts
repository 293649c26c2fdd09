// Decodes an audio file in the page. WAV files in the encodings we read
// (PCM 8/16/24/32-bit, float) go through the same decoder as the CLI
// (wav.ts: int16 / 32768 as WaveGlow's training data, our resampler), so the
// page and `semilab mel` give identical features; Chromium's decoder maps
// positive int16 samples with a slightly different scale. Everything else
// (MP3, Ogg, FLAC, mu-law WAV, ...) goes to the browser's decoder
// (OfflineAudioContext.decodeAudioData at 22050 Hz, which resamples), then a
// mono downmix (mean of the channels).
// TODO: resampling long recordings blocks the page for seconds; move
// decoding into a worker.
import { fail, ok, type Result } from '../engine/assert';
import {
  checkFiniteSamples,
  MAX_AUDIO_SECONDS,
  tooLongError,
  type AudioError,
  type DecodedAudio,
} from './audioTypes';
import { decodeWav } from './wav';
import { looksLikeWav, readWavHeader } from './wavHeader';

/**
 * Decodes `bytes` (the file named `name`) to mono samples at `sampleRate`.
 * Errors: empty, not audio (the browser cannot decode it), a damaged WAV
 * header, longer than 10 minutes.
 */
export async function decodeAudioBrowser(
  bytes: ArrayBuffer,
  name: string,
  sampleRate = 22050,
): Promise<Result<DecodedAudio, AudioError>> {
  if (bytes.byteLength === 0)
    return fail({ code: 'empty', message: `${name} is empty (0 bytes).` });
  const head = new Uint8Array(bytes);
  if (looksLikeWav(head)) {
    const header = readWavHeader(head, name);
    // encodings we do not read ourselves (mu-law, ADPCM, ...) may still decode in the browser
    if (!header.ok && header.error.code !== 'unsupported') return header;
    if (header.ok) return decodeWav(head, { name, sampleRate });
  }

  let audio: AudioBuffer;
  try {
    const context = new OfflineAudioContext(1, 1, sampleRate);
    // NOTE: decodeAudioData detaches the buffer it is given; hand it a copy
    audio = await context.decodeAudioData(bytes.slice(0));
  } catch {
    return fail({
      code: 'not-audio',
      message:
        `${name} could not be decoded as audio: ` +
        'the browser does not recognise its format, or the file is damaged.',
    });
  }
  if (audio.length === 0)
    return fail({ code: 'empty', message: `${name} holds no audio (0 samples).` });
  if (audio.duration > MAX_AUDIO_SECONDS) return fail(tooLongError(name, audio.duration));

  const channels = audio.numberOfChannels;
  const samples = new Float32Array(audio.length);
  for (let c = 0; c < channels; c++) {
    const data = audio.getChannelData(c);
    for (let i = 0; i < samples.length; i++) samples[i] += data[i] / channels;
  }
  const nonFinite = checkFiniteSamples(name, samples);
  if (nonFinite) return fail(nonFinite);
  return ok({
    samples,
    sampleRate,
    // NOTE: decodeAudioData does not tell the file's own rate
    originalRate: null,
    originalChannels: channels,
    resampled: null,
    downmixed: channels > 1,
    truncated: false,
    duration: samples.length / sampleRate,
  });
}
