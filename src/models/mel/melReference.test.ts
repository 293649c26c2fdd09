import { describe, expect, it } from 'vitest';
import { golden, goldenChirp } from './goldenChirp';
import { MEL, melFrameCount, reflectIndex } from './melConfig';
import { logMelReference, stftMagnitudeReference } from './melReference';

describe('logMelReference', () => {
  it('regenerates the golden chirp bit for bit', () => {
    const x = goldenChirp();
    expect(x.length).toBe(golden.chirp.samples);
    const sum = x.reduce((s, v) => s + Math.abs(v), 0);
    expect(sum).toBeCloseTo(golden.chirp.checksum, 6);
  });

  it('matches torch.stft + the NumPy filterbank on the chirp to 1e-5', () => {
    const x = goldenChirp();
    const out = logMelReference(x);
    expect(golden.chirp.log_mel_shape).toEqual([MEL.bands, melFrameCount(x.length)]);
    let worst = 0;
    out.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - golden.chirp.log_mel[i]))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives floor(N / 256) + 1 frames', () => {
    for (const n of [1, 255, 256, 257, 600, 1000]) {
      expect(logMelReference(new Float32Array(n).fill(0.1)).length).toBe(
        MEL.bands * (Math.floor(n / 256) + 1),
      );
    }
  });

  it('reflects without repeating the edge sample', () => {
    expect([-3, -2, -1, 0, 4, 5, 6].map((i) => reflectIndex(i, 5))).toEqual([3, 2, 1, 0, 4, 3, 2]);
    expect(reflectIndex(-9, 3)).toBe(1); // reflects again past the far end
  });

  it('puts a 1 kHz tone into bin 1000 * 1024 / 22050 with the windowed amplitude', () => {
    const n = 4096;
    const k = 48; // 48 * 22050 / 1024 = 1033.6 Hz, an exact bin
    const x = Float32Array.from({ length: n }, (_, i) =>
      Math.cos((2 * Math.PI * k * i) / MEL.nFft),
    );
    const mag = stftMagnitudeReference(x);
    const f = 8; // an interior frame, away from the reflected edges
    // a periodic-Hann-windowed unit cosine on an exact bin: amplitude nFft / 4
    expect(mag[f * MEL.bins + k]).toBeCloseTo(MEL.nFft / 4, 2);
    expect(mag[f * MEL.bins + k + 2]).toBeLessThan(1e-2);
  });
});
