import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../io/wav';
import { biasMel, biasSpectrumOf, clampStrength, denoise } from './denoiser';
import { stft } from './stft';

const RATE = 22050;
const N = 1024;
const LJ004 = join(process.cwd(), '..', 'shared', 'data', 'ljspeech', 'wavs', 'LJ001-0004.wav');
const haveLj = existsSync(LJ004);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A stationary hiss shaped like a vocoder's bias (sigma 0: the same spectrum in every frame):
 * every third FFT bin from kLo to kHi with random signs. NOTE: every third bin keeps the Hann
 * side lobes (one bin each side) from overlapping, and cosines with phase 0 or pi are even, so
 * the reflect-padded first frame sees the same spectrum as the inner frames.
 */
function bandNoise(length: number, kLo: number, kHi: number, amp: number, seed = 11) {
  const r = seeded(seed);
  const x = new Float32Array(length);
  for (let k = kLo; k <= kHi; k += 3) {
    const w = (2 * Math.PI * k) / N;
    const a = r() < 0.5 ? -amp : amp;
    for (let i = 0; i < length; i++) x[i] += a * Math.cos(w * i);
  }
  return x;
}

function tone(length: number, hz: number, amp: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / RATE));
}

/** Mean STFT energy per frame in bins [kLo, kHi], frames away from the edges. */
function bandEnergy(x: Float32Array, kLo: number, kHi: number): number {
  const spec = stft(x);
  let e = 0;
  let count = 0;
  for (let t = 4; t < spec.frames - 4; t++) {
    for (let k = kLo; k <= kHi; k++) e += spec.magnitude[t * spec.bins + k] ** 2;
    count++;
  }
  return e / count;
}

describe('WaveGlow denoiser', () => {
  it('makes the all-zero bias mel of the original (80 x 88)', () => {
    const mel = biasMel(80);
    expect(mel.frames).toBe(88);
    expect(mel.data.length).toBe(80 * 88);
    expect(mel.data.every((v) => v === 0)).toBe(true);
  });

  it('takes the bias spectrum from the first STFT frame', () => {
    const noise = bandNoise(4096, 300, 400, 0.001);
    const bias = biasSpectrumOf(noise);
    const spec = stft(noise);
    expect(bias.magnitude.length).toBe(513);
    expect(Array.from(bias.magnitude)).toEqual(Array.from(spec.magnitude.subarray(0, 513)));
    // the band shows up, the rest is near zero
    expect(bias.magnitude[351]).toBeCloseTo(0.001 * (N / 4), 4);
    expect(bias.magnitude[352]).toBeCloseTo(0.001 * (N / 8), 4);
    expect(bias.magnitude[100]).toBeLessThan(1e-4);
  });

  it('returns the input unchanged at strength 0', () => {
    const x = tone(3000, 440, 0.5);
    const bias = biasSpectrumOf(bandNoise(4096, 300, 400, 0.001));
    expect(denoise(x, bias, 0)).toBe(x);
  });

  it('removes bias-shaped hiss and keeps a tone outside its band', () => {
    const len = RATE; // 1 s
    // hiss at bins 300..400 (6.5-8.6 kHz), a 440 Hz tone (bin 20)
    const hiss = bandNoise(len, 300, 400, 0.002);
    const voice = tone(len, 440, 0.3);
    const noisy = Float32Array.from(hiss, (v, i) => v + voice[i]);
    const bias = biasSpectrumOf(bandNoise(2 * N, 300, 400, 0.002));

    const clean = denoise(noisy, bias, 1);
    expect(clean.length).toBe(len);
    const hissBefore = bandEnergy(noisy, 300, 400);
    const hissAfter = bandEnergy(clean, 300, 400);
    const toneBefore = bandEnergy(noisy, 15, 25);
    const toneAfter = bandEnergy(clean, 15, 25);
    expect(hissAfter).toBeLessThan(1e-3 * hissBefore);
    expect(Math.abs(toneAfter / toneBefore - 1)).toBeLessThan(0.01);

    // a weaker strength removes less
    const half = denoise(noisy, bias, 0.3);
    const hissHalf = bandEnergy(half, 300, 400);
    // (1 - 0.3)^2 of the energy is left
    expect(hissHalf / hissBefore).toBeGreaterThan(0.45);
    expect(hissHalf / hissBefore).toBeLessThan(0.53);
  });

  it.skipIf(!haveLj)('leaves a real recording intact with a bias far below its level', () => {
    const decoded = decodeWav(new Uint8Array(readFileSync(LJ004)), { name: 'LJ001-0004.wav' });
    if (!decoded.ok) throw new Error(decoded.error.message);
    const x = decoded.value.samples;
    const bias = biasSpectrumOf(bandNoise(2 * N, 300, 400, 1e-6));
    const y = denoise(x, bias, 0.5);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
    expect(worst).toBeLessThan(1e-3);
    expect(worst).toBeGreaterThan(0);
  });

  it('rejects a bias spectrum of the wrong size and clamps strengths', () => {
    const bad = { magnitude: new Float32Array(10), filterLength: 18 };
    expect(() => denoise(new Float32Array(100), bad, 0.1)).toThrow(/expected 513 bins, got 10/);
    expect(clampStrength(0.7)).toBe(0.5);
    expect(clampStrength(-1)).toBe(0);
    expect(clampStrength(Number.NaN)).toBe(0);
    expect(clampStrength(0.25)).toBe(0.25);
  });
});
