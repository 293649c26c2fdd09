import { describe, expect, it } from 'vitest';
import { golden } from './goldenChirp';
import { MEL } from './melConfig';
import { hzToMel, melFilterbank, melToHz } from './melFilters';

describe('melFilterbank', () => {
  const fb = melFilterbank();

  it('matches the NumPy Slaney golden row by row', () => {
    expect(golden.filterbank.shape).toEqual([MEL.bands, MEL.bins]);
    golden.filterbank.rows.forEach((row, r) => {
      const expected = golden.filterbank.values[r];
      for (let k = 0; k < MEL.bins; k++) {
        expect(Math.abs(fb[row * MEL.bins + k] - expected[k])).toBeLessThan(
          1e-9 + 1e-8 * Math.abs(expected[k]),
        );
      }
    });
  });

  it('matches the golden row sums of all 80 bands', () => {
    for (let b = 0; b < MEL.bands; b++) {
      let s = 0;
      for (let k = 0; k < MEL.bins; k++) s += fb[b * MEL.bins + k];
      expect(s).toBeCloseTo(golden.filterbank.row_sums[b], 8);
    }
  });

  it('uses the Slaney scale: linear to 1 kHz, logarithmic above, invertible', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(500)).toBeCloseTo(7.5, 12);
    expect(hzToMel(6400)).toBeCloseTo(42, 10); // 27 log steps per factor 6.4
    for (const hz of [0, 60, 999, 1000, 3000, 8000])
      expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 8);
  });

  it('puts no weight above 8 kHz', () => {
    const last = Math.floor((8000 * MEL.nFft) / MEL.sampleRate) + 1;
    for (let b = 0; b < MEL.bands; b++) {
      for (let k = last; k < MEL.bins; k++) expect(fb[b * MEL.bins + k]).toBe(0);
    }
  });
});
