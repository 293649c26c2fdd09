// Decoded audio and why a file was refused (with a sentence the user
// understands); shared by the Node decoder (wav.ts) and the page's
// (decodeAudioBrowser.ts).

export type AudioErrorCode = 'not-audio' | 'empty' | 'corrupt' | 'too-long' | 'unsupported';

export interface AudioError {
  code: AudioErrorCode;
  message: string;
}

export interface DecodedAudio {
  /** mono samples at `sampleRate`, in [-1, 1] */
  samples: Float32Array;
  sampleRate: number;
  /** the file's own rate; null where the browser decoded a format we cannot inspect */
  originalRate: number | null;
  originalChannels: number;
  /** converted from another rate (null: unknown, the browser may have converted it) */
  resampled: boolean | null;
  downmixed: boolean;
  /** the data chunk was shorter than its header said; the samples present were kept */
  truncated: boolean;
  /** seconds */
  duration: number;
}

/**
 * Refuses samples that are not finite numbers (a float WAV can hold NaN or
 * infinity): they would poison every spectrum frame they touch.
 * Clamps the rest into [-1, 1] in place.
 */
export function checkFiniteSamples(name: string, samples: Float32Array): AudioError | null {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (!Number.isFinite(v)) {
      if (first < 0) first = i;
      bad++;
    } else if (v > 1) samples[i] = 1;
    else if (v < -1) samples[i] = -1;
  }
  if (bad === 0) return null;
  return {
    code: 'corrupt',
    message:
      `${name} holds ${bad} sample${bad === 1 ? '' : 's'} that ${bad === 1 ? 'is' : 'are'} not a ` +
      `number (NaN or infinity), the first at sample ${first}; it cannot be analysed.`,
  };
}

/** Longest recording accepted, in seconds (10 minutes). */
export const MAX_AUDIO_SECONDS = 600;

export function tooLongError(name: string, seconds: number): AudioError {
  return {
    code: 'too-long',
    message:
      `${name} is ${formatDuration(seconds)} long; ` +
      `the limit is ${MAX_AUDIO_SECONDS / 60} minutes. ` +
      'Trim it and load it again.',
  };
}

/** 75.5 -> '1 min 15.5 s' */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const min = Math.floor(seconds / 60);
  return `${min} min ${(seconds - min * 60).toFixed(1)} s`;
}
