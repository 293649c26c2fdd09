import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../io/wav';
import { hannPeriodic, istft, stft, stftFrames, type StftConfig } from './stft';

const LJ003 = join(process.cwd(), '..', 'shared', 'data', 'ljspeech', 'wavs', 'LJ001-0003.wav');
const haveLj = existsSync(LJ003);
if (!haveLj) console.warn(`[test] ${LJ003} is absent: the real-recording STFT test skips`);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomSignal(n: number, seed = 7): Float32Array {
  const r = seeded(seed);
  return Float32Array.from({ length: n }, r);
}

function maxAbsDiff(a: Float32Array, b: Float32Array, from = 0, to = a.length): number {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** One frame's magnitude by the textbook DFT over the reflect-padded, windowed signal. */
function naiveFrameMagnitude(x: Float32Array, t: number, cfg: StftConfig): Float64Array {
  const n = cfg.filterLength;
  const w = hannPeriodic(n);
  const at = (i: number) => {
    let j = i;
    if (j < 0) j = -j;
    if (j >= x.length) j = 2 * (x.length - 1) - j;
    return x[j];
  };
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] * at(t * cfg.hop - n / 2 + i);
      re += v * Math.cos((2 * Math.PI * k * i) / n);
      im -= v * Math.sin((2 * Math.PI * k * i) / n);
    }
    out[k] = Math.hypot(re, im);
  }
  return out;
}

describe('stft', () => {
  it('has floor(length / hop) + 1 frames of filterLength / 2 + 1 bins', () => {
    const spec = stft(randomSignal(1001), { filterLength: 64, hop: 16 });
    expect(spec.frames).toBe(63);
    expect(stftFrames(1001, { filterLength: 64, hop: 16 })).toBe(63);
    expect(spec.bins).toBe(33);
    expect(spec.magnitude.length).toBe(63 * 33);
    expect(spec.length).toBe(1001);
  });

  it('matches a naive DFT of the reflect-padded frames, at the edges and inside', () => {
    const cfg = { filterLength: 64, hop: 16 };
    const x = randomSignal(203, 3);
    const spec = stft(x, cfg);
    for (const t of [0, 1, 6, spec.frames - 1]) {
      const ref = naiveFrameMagnitude(x, t, cfg);
      for (let k = 0; k < spec.bins; k++) {
        expect(Math.abs(spec.magnitude[t * spec.bins + k] - ref[k])).toBeLessThan(1e-4);
      }
    }
  });

  it('puts a bin-centred tone in its bin with magnitude amplitude * N / 4', () => {
    const n = 1024;
    const k0 = 37;
    const x = Float32Array.from({ length: 4000 }, (_, i) =>
      Math.cos((2 * Math.PI * k0 * i) / n + 0.3),
    );
    const spec = stft(x);
    const t = 5;
    const row = spec.magnitude.subarray(t * spec.bins, (t + 1) * spec.bins);
    expect(row[k0]).toBeCloseTo(n / 4, 1);
    expect(row[k0 + 1]).toBeCloseTo(n / 8, 1);
    expect(row[k0 + 3]).toBeLessThan(1e-2);
  });

  it('gives a random signal of odd length back through istft', () => {
    for (const [len, cfg] of [
      [1, { filterLength: 16, hop: 4 }],
      [77, { filterLength: 16, hop: 4 }],
      [1001, { filterLength: 64, hop: 16 }],
      [5003, { filterLength: 1024, hop: 256 }],
    ] as const) {
      const x = randomSignal(len, len);
      const y = istft(stft(x, cfg), undefined, cfg);
      expect(y.length).toBe(len);
      expect(maxAbsDiff(x, y)).toBeLessThan(1e-5);
    }
  });

  it.skipIf(!haveLj)('reconstructs a real recording to 1e-5 (WaveGlow settings)', () => {
    const decoded = decodeWav(new Uint8Array(readFileSync(LJ003)), { name: 'LJ001-0003.wav' });
    if (!decoded.ok) throw new Error(decoded.error.message);
    const x = decoded.value.samples;
    const spec = stft(x);
    expect(spec.frames).toBe(Math.floor(x.length / 256) + 1);
    const y = istft(spec);
    expect(y.length).toBe(x.length);
    // away from the edges, and at them (the reflect padding is inverted exactly too)
    expect(maxAbsDiff(x, y, 1024, x.length - 1024)).toBeLessThan(1e-5);
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-5);
    let peak = 0;
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.1);
  });

  it('zeroes out a signal whose magnitude is set to zero, and rejects a wrong shape', () => {
    const x = randomSignal(500);
    const spec = stft(x, { filterLength: 32, hop: 8 });
    const y = istft(spec, new Float32Array(spec.magnitude.length), { filterLength: 32, hop: 8 });
    expect(maxAbsDiff(y, new Float32Array(500))).toBe(0);
    expect(() => istft(spec, new Float32Array(3), { filterLength: 32, hop: 8 })).toThrow(
      /istft: spectrogram shape/,
    );
    expect(() => stft(new Float32Array(0))).toThrow(/empty/);
    expect(() => stft(x, { filterLength: 48, hop: 8 })).toThrow(/power of two/);
  });
});
