// Float64 CPU reference of the whole log-mel pipeline, written for clarity,
// not speed (a direct DFT): the ground truth the GPU path and the goldens are
// checked against. About 1 s per 1000 frames in Node.
import { hannWindow, MEL, melFrameCount, reflectIndex } from './melConfig';
import { melFilterbank } from './melFilters';

/** |STFT| as row-major [frames, bins] float64 (reflect padding, periodic Hann). */
export function stftMagnitudeReference(samples: ArrayLike<number>): Float64Array {
  const { nFft, hop, pad, bins } = MEL;
  const n = samples.length;
  const frames = melFrameCount(n);
  const window = hannWindow(nFft);
  // cos/sin of 2 pi m / nFft; (k * t) mod nFft indexes them exactly
  const cos = new Float64Array(nFft);
  const sin = new Float64Array(nFft);
  for (let m = 0; m < nFft; m++) {
    cos[m] = Math.cos((2 * Math.PI * m) / nFft);
    sin[m] = Math.sin((2 * Math.PI * m) / nFft);
  }
  const frame = new Float64Array(nFft);
  const out = new Float64Array(frames * bins);
  for (let f = 0; f < frames; f++) {
    for (let t = 0; t < nFft; t++) {
      frame[t] = samples[reflectIndex(f * hop + t - pad, n)] * window[t];
    }
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < nFft; t++) {
        const m = (k * t) % nFft;
        re += frame[t] * cos[m];
        im -= frame[t] * sin[m];
      }
      out[f * bins + k] = Math.hypot(re, im);
    }
  }
  return out;
}

/** Log-mel as row-major [bands, frames] float64: ln(max(fb @ |STFT|, 1e-5)). */
export function logMelReference(samples: ArrayLike<number>): Float64Array {
  const { bins, bands, clamp } = MEL;
  const frames = melFrameCount(samples.length);
  const mag = stftMagnitudeReference(samples);
  const fb = melFilterbank();
  const out = new Float64Array(bands * frames);
  for (let b = 0; b < bands; b++) {
    for (let f = 0; f < frames; f++) {
      let s = 0;
      for (let k = 0; k < bins; k++) s += fb[b * bins + k] * mag[f * bins + k];
      out[b * frames + f] = Math.log(Math.max(s, clamp));
    }
  }
  return out;
}
