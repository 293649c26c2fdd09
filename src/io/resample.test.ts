import { describe, expect, it } from 'vitest';
import { resample, resampledLength } from './resample';
import { sine } from './wavTestUtils';

/** Amplitude of `freq` in `x` at `rate` (single-bin DFT over the interior). */
function tone(x: ArrayLike<number>, rate: number, freq: number, from: number, to: number): number {
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i] * Math.cos((2 * Math.PI * freq * i) / rate);
    im += x[i] * Math.sin((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

describe('resample', () => {
  it('returns the input when the rates are equal', () => {
    const x = Float32Array.of(0.1, 0.2);
    expect(resample(x, 22050, 22050)).toBe(x);
  });

  it('gives ceil(n * to / from) samples', () => {
    expect(resampledLength(44100, 44100, 22050)).toBe(22050);
    expect(resample(new Float32Array(1001), 44100, 22050).length).toBe(501);
    expect(resample(new Float32Array(3), 8000, 22050).length).toBe(9);
  });

  it('keeps a constant signal constant away from the ends', () => {
    const out = resample(new Float32Array(48000).fill(0.25), 48000, 22050);
    for (let i = 100; i < out.length - 100; i += 97) expect(out[i]).toBeCloseTo(0.25, 3);
  });

  it('passes 5 kHz and suppresses 12 kHz when going from 48 kHz to 22050 Hz', () => {
    const high = sine(48000, 0.5, 12000, 0.5);
    const x = Float32Array.from(sine(48000, 0.5, 5000, 0.5).map((v, i) => v + high[i]));
    const y = resample(x, 48000, 22050);
    const [from, to] = [500, y.length - 500];
    expect(tone(y, 22050, 5000, from, to)).toBeCloseTo(0.5, 2);
    // 12 kHz would fold to 10050 Hz if not filtered
    expect(tone(y, 22050, 10050, from, to)).toBeLessThan(1e-3);
  });
});
