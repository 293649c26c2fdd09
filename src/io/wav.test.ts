import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav } from './wav';
import { encodeWav16 } from './wavEncode';
import { makeWav, pcmCode, sine } from './wavTestUtils';

const WAVS = join(process.cwd(), '..', 'shared', 'data', 'ljspeech', 'wavs');
const haveWavs = existsSync(WAVS);
if (!haveWavs) console.warn(`[test] ${WAVS} is absent: the real-recording tests skip`);

function decoded(bytes: Uint8Array, sampleRate?: number) {
  const r = decodeWav(bytes, { name: 'test.wav', sampleRate });
  if (!r.ok) throw new Error(`expected a decoded file, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function failure(bytes: Uint8Array) {
  const r = decodeWav(bytes, { name: 'test.wav' });
  if (r.ok) throw new Error('expected an error result, got decoded audio');
  return r.error;
}

/** Max |a - b| over [from, to). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, from: number, to: number): number {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!haveWavs)('decodeWav on LJ Speech recordings', () => {
  it('decodes LJ001-0001 to the exact 16-bit values, untouched', () => {
    const bytes = new Uint8Array(readFileSync(join(WAVS, 'LJ001-0001.wav')));
    const a = decoded(bytes);
    expect([a.originalRate, a.originalChannels, a.resampled, a.downmixed]).toEqual([
      22050,
      1,
      false,
      false,
    ]);
    // independent decode: find the data chunk, read int16 little-endian
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 12;
    while (String.fromCharCode(...bytes.subarray(at, at + 4)) !== 'data')
      at += 8 + view.getUint32(at + 4, true);
    const n = view.getUint32(at + 4, true) / 2;
    expect(a.samples.length).toBe(n);
    expect(a.duration).toBeCloseTo(n / 22050, 9);
    for (const i of [0, 1, 1000, Math.floor(n / 2), n - 1]) {
      expect(a.samples[i]).toBe(view.getInt16(at + 8 + 2 * i, true) / 32768);
    }
  });

  it('decodes every recording in the folder to mono 22050 Hz within [-1, 1]', () => {
    const names = readdirSync(WAVS).filter((f) => f.endsWith('.wav'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const a = decoded(new Uint8Array(readFileSync(join(WAVS, name))));
      expect(a.sampleRate).toBe(22050);
      expect(a.duration).toBeGreaterThan(0.5);
      expect(a.samples.every((v) => v >= -1 && v <= 1)).toBe(true);
    }
  });
});

describe('decodeWav on synthetic files', () => {
  it('averages stereo channels into mono', () => {
    const left = sine(22050, 0.1, 440, 0.5);
    const right = sine(22050, 0.1, 1000, 0.25);
    const a = decoded(makeWav({ sampleRate: 22050, channels: [left, right], bits: 16 }));
    expect([a.originalChannels, a.downmixed, a.resampled]).toEqual([2, true, false]);
    const expected = left.map((l, i) => (pcmCode(l, 16) + pcmCode(right[i], 16)) / 2 / 32768);
    expect(maxDiff(a.samples, expected, 0, left.length)).toBeLessThan(1e-7);
  });

  it('maps 8-bit unsigned, 24-bit and 32-bit PCM and float32 to [-1, 1]', () => {
    const x = [0, 0.5, -0.5, 0.999, -1, 0.123456];
    for (const bits of [8, 24, 32] as const) {
      const a = decoded(makeWav({ sampleRate: 22050, channels: [x], bits }));
      const full = 2 ** (bits - 1);
      const expected = x.map((v) => (pcmCode(v, bits) - (bits === 8 ? 128 : 0)) / full);
      expect(maxDiff(a.samples, expected, 0, x.length)).toBeLessThan(1e-7);
    }
    const f = decoded(makeWav({ sampleRate: 22050, channels: [x], bits: 32, float: true }));
    expect(maxDiff(f.samples, Float32Array.from(x), 0, x.length)).toBe(0);
  });

  it('refuses a float WAV holding NaN or infinity, naming the first bad sample', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = [0, 0.5, bad, 0.25, bad];
      const r = decodeWav(makeWav({ sampleRate: 22050, channels: [x], bits: 32, float: true }), {
        name: 'bad.wav',
      });
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error.message).toMatch(
          /bad\.wav holds 2 samples that are not a number .* sample 2/,
        );
    }
  });

  it('clamps float samples beyond full scale to [-1, 1]', () => {
    const r = decoded(
      makeWav({ sampleRate: 22050, channels: [[1.5, -3, 0.5]], bits: 32, float: true }),
    );
    expect(Array.from(r.samples)).toEqual([1, -1, 0.5]);
  });

  it('resamples 8 kHz up to 22050 Hz keeping a 1 kHz tone', () => {
    const a = decoded(makeWav({ sampleRate: 8000, channels: [sine(8000, 0.5, 1000)], bits: 16 }));
    expect([a.originalRate, a.resampled]).toEqual([8000, true]);
    expect(a.samples.length).toBe(Math.ceil((4000 * 22050) / 8000));
    const expected = sine(22050, 0.5, 1000);
    // edges see the zeros beyond the file; compare the interior
    expect(maxDiff(a.samples, expected, 200, expected.length - 200)).toBeLessThan(2e-3);
  });

  it('resamples 96 kHz down to 22050 Hz and removes what lies above 11 kHz', () => {
    const low = sine(96000, 0.3, 1000, 0.4);
    const high = sine(96000, 0.3, 15000, 0.4);
    const mix = low.map((v, i) => v + high[i]);
    const a = decoded(makeWav({ sampleRate: 96000, channels: [mix], bits: 32, float: true }));
    const expected = sine(22050, 0.3, 1000, 0.4);
    expect(maxDiff(a.samples, expected, 200, expected.length - 200)).toBeLessThan(2e-3);
  });

  it('keeps the samples present when the data chunk is cut short', () => {
    const full = makeWav({ sampleRate: 22050, channels: [sine(22050, 0.1, 300)], bits: 16 });
    const a = decoded(full.slice(0, 44 + 1001)); // 500 whole frames and a half
    expect(a.truncated).toBe(true);
    expect(a.samples.length).toBe(500);
  });

  it('refuses an empty file, a file without samples and garbage bytes', () => {
    expect(failure(new Uint8Array(0))).toEqual({
      code: 'empty',
      message: 'test.wav is empty (0 bytes).',
    });
    const none = failure(makeWav({ sampleRate: 22050, channels: [[]], bits: 16 }));
    expect(none).toEqual({ code: 'empty', message: 'test.wav holds no audio (0 samples).' });
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    expect(failure(garbage).message).toMatch(/not a WAV file/);
  });

  it('refuses headers cut off before the format or the data chunk', () => {
    const wav = makeWav({ sampleRate: 22050, channels: [sine(22050, 0.01, 300)], bits: 16 });
    for (const cut of [16, 24, 36, 40]) {
      const e = failure(wav.slice(0, cut));
      expect(e.code).toBe('corrupt');
      expect(e.message).toMatch(/damaged WAV file/);
    }
  });

  it('refuses impossible header values and unsupported encodings', () => {
    const wav = makeWav({ sampleRate: 22050, channels: [[0.1, 0.2]], bits: 16 });
    const zeroRate = wav.slice();
    new DataView(zeroRate.buffer).setUint32(24, 0, true);
    expect(failure(zeroRate).message).toMatch(/sample rate of 0 Hz/);
    const mulaw = makeWav({ sampleRate: 8000, channels: [[0.1, 0.2]], bits: 8, formatCode: 7 });
    expect(failure(mulaw)).toMatchObject({ code: 'unsupported' });
  });

  it('refuses recordings longer than 10 minutes and names the limit', () => {
    const wav = makeWav({ sampleRate: 8000, channels: [new Float64Array(8000 * 601)], bits: 8 });
    const e = failure(wav);
    expect(e.code).toBe('too-long');
    expect(e.message).toMatch(/10 min 1\.0 s long; the limit is 10 minutes/);
    const ok = makeWav({ sampleRate: 8000, channels: [new Float64Array(8000 * 2)], bits: 8 });
    expect(decoded(ok, 8000).samples.length).toBe(16000);
  });
});

describe('encodeWav16', () => {
  it('writes a 16-bit mono WAV that decodeWav reads back', () => {
    const x = Float32Array.of(0, 0.5, -0.5, 1, -1, 2);
    const a = decoded(encodeWav16(x, 22050));
    expect([a.originalRate, a.originalChannels]).toEqual([22050, 1]);
    expect(
      maxDiff(
        a.samples,
        [0, 0.5, -0.5, 1, -1, 1].map((v) => Math.round(v * 32767) / 32768),
        0,
        6,
      ),
    ).toBe(0);
  });
});
