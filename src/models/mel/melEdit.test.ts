import { describe, expect, it } from 'vitest';
import { MEL } from './melConfig';
import {
  applyStroke,
  clampLog,
  MEL_LOG_CEILING,
  MEL_LOG_FLOOR,
  paintStroke,
  pitchShift,
  StrokePainter,
  strokeMask,
  stretchedFrames,
  timeStretch,
  type MelGrid,
} from './melEdit';
import { melPoints } from './melFilters';
import { logMelReference } from './melReference';

/** A [bands, frames] grid whose value at (b, f) is fn(b, f). */
function grid(bands: number, frames: number, fn: (b: number, f: number) => number): MelGrid {
  const data = new Float32Array(bands * frames);
  for (let b = 0; b < bands; b++) for (let f = 0; f < frames; f++) data[b * frames + f] = fn(b, f);
  return { data, bands, frames };
}

const at = (g: MelGrid, b: number, f: number) => g.data[b * g.frames + f];

/** Band holding the largest value of frame f. */
function peakBand(g: MelGrid, f: number): number {
  let best = 0;
  for (let b = 1; b < g.bands; b++) if (at(g, b, f) > at(g, best, f)) best = b;
  return best;
}

/** Log-mel of a sine at `hz` (0.25 s, amplitude 0.5) from the float64 reference. */
function sineMel(hz: number): MelGrid {
  const n = Math.round(0.25 * MEL.sampleRate);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / MEL.sampleRate);
  const data = Float32Array.from(logMelReference(samples));
  return { data, bands: MEL.bands, frames: data.length / MEL.bands };
}

describe('brush strokes', () => {
  const base = grid(13, 37, (b, f) => -4 + 0.05 * b - 0.01 * f);
  const brush = { radiusFrames: 4, radiusBands: 2.5 };

  it('raises by the strength at the brush centre, less towards the rim, nothing outside', () => {
    const out = paintStroke(base, [{ frame: 10, band: 6 }], 'raise', 1.5, brush);
    expect(at(out, 6, 10) - at(base, 6, 10)).toBeCloseTo(1.5, 5);
    const nearRim = at(out, 6, 13) - at(base, 6, 13); // d = 3 / 4
    expect(nearRim).toBeGreaterThan(0);
    expect(nearRim).toBeLessThan(0.5 * 1.5);
    expect(at(out, 6, 14)).toBe(at(base, 6, 14)); // d = 1: outside
    expect(at(out, 0, 10)).toBe(at(base, 0, 10));
    // the input is left alone
    expect(at(base, 6, 10)).toBeCloseTo(-4 + 0.3 - 0.1, 6);
  });

  it('lowers symmetrically to raise', () => {
    const up = paintStroke(base, [{ frame: 20, band: 3 }], 'raise', 0.8, brush);
    const down = paintStroke(base, [{ frame: 20, band: 3 }], 'lower', 0.8, brush);
    for (let i = 0; i < base.data.length; i++) {
      expect(up.data[i] - base.data[i]).toBeCloseTo(base.data[i] - down.data[i], 5);
    }
  });

  it('adds at most the strength however many dabs a slow stroke lays on one spot', () => {
    const points = Array.from({ length: 40 }, (_, i) => ({ frame: 10 + i * 0.01, band: 6 }));
    const out = paintStroke(base, points, 'raise', 2, brush);
    let most = 0;
    for (let i = 0; i < base.data.length; i++) most = Math.max(most, out.data[i] - base.data[i]);
    expect(most).toBeLessThanOrEqual(2 + 1e-5);
    expect(most).toBeGreaterThan(1.99);
  });

  it('fills the gap between two far apart points of a fast drag', () => {
    const mask = strokeMask(
      13,
      37,
      [
        { frame: 2, band: 6 },
        { frame: 30, band: 6 },
      ],
      brush,
    );
    for (let f = 2; f <= 30; f++) expect(mask[6 * 37 + f]).toBeGreaterThan(0.95);
  });

  it('erases to the silence floor at the centre and pulls the rim part way', () => {
    const out = paintStroke(base, [{ frame: 10, band: 6 }], 'erase', 1, brush);
    expect(at(out, 6, 10)).toBeCloseTo(MEL_LOG_FLOOR, 5);
    const rim = at(out, 6, 12);
    expect(rim).toBeLessThan(at(base, 6, 12));
    expect(rim).toBeGreaterThan(MEL_LOG_FLOOR);
  });

  it('smooths a spike towards its neighbourhood and leaves a flat region flat', () => {
    const spiky = grid(9, 21, (b, f) => (b === 4 && f === 10 ? 2 : -3));
    const out = paintStroke(spiky, [{ frame: 10, band: 4 }], 'smooth', 1, {
      radiusFrames: 6,
      radiusBands: 6,
    });
    // a 5 x 5 mean around the spike: (2 + 24 * -3) / 25
    expect(at(out, 4, 10)).toBeCloseTo((2 - 72) / 25, 4);
    expect(at(out, 0, 0)).toBe(-3);
  });

  it('clamps to the sensible range and turns NaN into silence', () => {
    const loud = grid(5, 7, () => MEL_LOG_CEILING - 0.1);
    loud.data[0] = Number.NaN; // outside the brush
    const up = paintStroke(loud, [{ frame: 3, band: 2 }], 'raise', 50, brush);
    for (const v of up.data) {
      expect(Number.isNaN(v)).toBe(false);
      expect(v).toBeLessThanOrEqual(MEL_LOG_CEILING + 1e-6);
    }
    expect(up.data[0]).toBe(Math.fround(MEL_LOG_FLOOR));
    const down = paintStroke(loud, [{ frame: 3, band: 2 }], 'lower', 50, brush);
    expect(at(down, 2, 3)).toBeCloseTo(MEL_LOG_FLOOR, 5);
    expect(clampLog(Number.NaN)).toBe(MEL_LOG_FLOOR);
    expect(clampLog(-Infinity)).toBe(MEL_LOG_FLOOR);
    expect(clampLog(Infinity)).toBe(MEL_LOG_CEILING);
  });

  it('paints point by point exactly what the whole stroke paints, for every tool', () => {
    // odd shape, a wavy drag that leaves the grid and comes back, a repeated point
    const mel = grid(11, 53, (b, f) => -6 + Math.sin(b * 1.3 + f * 0.7) * 2 + 0.02 * f);
    const points = Array.from({ length: 29 }, (_, i) => ({
      frame: -3 + i * 2.1,
      band: 5 + 7 * Math.sin(i * 0.4),
    }));
    points.splice(9, 0, points[8]);
    const oval = { radiusFrames: 5.5, radiusBands: 2.2 };
    for (const tool of ['raise', 'lower', 'erase', 'smooth'] as const) {
      const whole = paintStroke(mel, points, tool, 1.7, oval);
      for (const batch of [1, 3, 7]) {
        const painter = new StrokePainter(mel, tool, 1.7, oval);
        for (let i = 0; i < points.length; i += batch) {
          const before = painter.out.data.slice();
          const box = painter.addPoints(points.slice(i, i + batch));
          // nothing outside the reported box changed
          let outside = 0;
          for (let b = 0; b < mel.bands; b++) {
            for (let f = 0; f < mel.frames; f++) {
              const inside =
                box !== null &&
                f >= box.fromFrame &&
                f <= box.toFrame &&
                b >= box.fromBand &&
                b <= box.toBand;
              if (!inside && painter.out.data[b * 53 + f] !== before[b * 53 + f]) outside++;
            }
          }
          expect(outside).toBe(0);
        }
        expect(painter.out.data).toEqual(whole.data);
      }
    }
  });

  it('touches only the footprint of the new segment when a point is added', () => {
    const long = grid(80, 2000, () => -5);
    const painter = new StrokePainter(long, 'raise', 1, { radiusFrames: 6, radiusBands: 4 });
    painter.addPoints([{ frame: 100, band: 40 }]);
    const box = painter.addPoints([{ frame: 110, band: 40 }])!;
    // dabs at 100 + 10 k / 7 for k = 1..7 (a quarter radius apart), radius 6 x 4
    expect(box).toEqual({ fromFrame: 96, toFrame: 116, fromBand: 36, toBand: 44 });
    const elsewhere = new StrokePainter(long, 'raise', 1, { radiusFrames: 6, radiusBands: 4 });
    expect(elsewhere.addPoints([{ frame: 5000, band: 40 }])).toBeNull(); // off the grid
  });

  it('refuses a mask of the wrong size', () => {
    expect(() => applyStroke(base, new Float32Array(5), 'raise', 1, brush)).toThrow(
      /expected 481, got 5/,
    );
  });
});

describe('timeStretch', () => {
  it('gives round(frames * factor) frames and interpolates linearly', () => {
    const ramp = grid(3, 11, (b, f) => b - f * 0.5);
    const r = timeStretch(ramp, 1.5);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.frames).toBe(17);
    expect(stretchedFrames(11, 1.5)).toBe(17);
    // a ramp stays a ramp over the same span: value at j = b - 0.5 * j * 10 / 16
    for (let b = 0; b < 3; b++) {
      for (let j = 0; j < 17; j++)
        expect(at(r.value, b, j)).toBeCloseTo(b - (0.5 * j * 10) / 16, 5);
    }
  });

  it('halves and doubles odd lengths and keeps the end frames', () => {
    const g = grid(4, 13, (b, f) => Math.sin(b + f));
    for (const [factor, frames] of [
      [0.5, 7],
      [2, 26],
    ] as const) {
      const r = timeStretch(g, factor);
      if (!r.ok) throw new Error(r.error);
      expect(r.value.frames).toBe(frames);
      for (let b = 0; b < 4; b++) {
        expect(at(r.value, b, 0)).toBeCloseTo(at(g, b, 0), 6);
        expect(at(r.value, b, frames - 1)).toBeCloseTo(at(g, b, 12), 6);
      }
    }
  });

  it('refuses factors outside 0.5..2 and non-numbers', () => {
    const g = grid(2, 5, () => 0);
    for (const bad of [0.49, 2.01, Number.NaN, 0]) {
      const r = timeStretch(g, bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain('0.5..2');
    }
  });
});

describe('pitchShift', () => {
  const centres = melPoints(MEL.bands, MEL.fMin, MEL.fMax);
  /** the band whose centre frequency is nearest `hz` */
  const bandOf = (hz: number) => {
    let best = 0;
    for (let b = 1; b < MEL.bands; b++)
      if (Math.abs(centres[b + 1] - hz) < Math.abs(centres[best + 1] - hz)) best = b;
    return best;
  };

  it('moves a peak at a band centre to the band at twice its frequency for +12', () => {
    const source = 20;
    const f0 = centres[source + 1];
    const g = grid(MEL.bands, 3, (b) => (b === source ? 1 : -6));
    const r = pitchShift(g, 12);
    if (!r.ok) throw new Error(r.error);
    const target = bandOf(2 * f0);
    expect(peakBand(r.value, 1)).toBe(target);
    expect(Math.abs(centres[target + 1] - 2 * f0)).toBeLessThan(
      centres[target + 2] - centres[target],
    );
    expect(at(r.value, target, 1)).toBeGreaterThan(-2);
  });

  it('moves the harmonic of a real 400 Hz tone to where an 800 Hz tone peaks, and back', () => {
    const low = sineMel(400);
    const high = sineMel(800);
    const mid = Math.floor(low.frames / 2);
    const up = pitchShift(low, 12);
    if (!up.ok) throw new Error(up.error);
    const expected = peakBand(high, mid);
    expect(Math.abs(peakBand(up.value, mid) - expected)).toBeLessThanOrEqual(1);
    expect(centres[peakBand(up.value, mid) + 1] / 800).toBeGreaterThan(0.85);
    expect(centres[peakBand(up.value, mid) + 1] / 800).toBeLessThan(1.15);
    const down = pitchShift(high, -12);
    if (!down.ok) throw new Error(down.error);
    expect(Math.abs(peakBand(down.value, mid) - peakBand(low, mid))).toBeLessThanOrEqual(1);
  });

  it('is the identity for 0 semitones and silences what moves past the band edges', () => {
    const g = grid(MEL.bands, 5, (b, f) => -5 + Math.cos(b * 0.3 + f));
    const same = pitchShift(g, 0);
    if (!same.ok) throw new Error(same.error);
    for (let i = 0; i < g.data.length; i++) expect(same.value.data[i]).toBeCloseTo(g.data[i], 5);
    const down = pitchShift(g, -7);
    if (!down.ok) throw new Error(down.error);
    // the top band would read above 8 kHz
    for (let f = 0; f < 5; f++)
      expect(at(down.value, MEL.bands - 1, f)).toBe(Math.fround(MEL_LOG_FLOOR));
  });

  it('refuses shifts beyond an octave', () => {
    const r = pitchShift(
      grid(MEL.bands, 2, () => 0),
      12.5,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('±12');
  });
});
