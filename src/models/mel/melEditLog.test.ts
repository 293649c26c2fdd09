import { describe, expect, it } from 'vitest';
import { paintStroke, pitchShift, timeStretch, type MelGrid } from './melEdit';
import {
  applyOp,
  MAX_STROKE_POINTS,
  replay,
  strokePoints,
  validateGrid,
  validateOps,
  type EditOp,
} from './melEditLog';

const original: MelGrid = {
  data: new Float32Array(80 * 31).map((_, i) => -7 + Math.sin(i * 0.13) * 3),
  bands: 80,
  frames: 31,
};
const brush = { radiusFrames: 3.5, radiusBands: 4 };
const stroke: EditOp = {
  kind: 'stroke',
  tool: 'raise',
  strength: 1.5,
  brush,
  points: [3, 40, 9.5, 42, 20, 38],
};

describe('mel edit log', () => {
  it('replays ops in order from the base, each as melEdit computes it', () => {
    const ops: EditOp[] = [
      stroke,
      { kind: 'stretch', factor: 1.3 },
      { kind: 'pitch', semitones: -2 },
    ];
    const painted = paintStroke(original, strokePoints(stroke.points), 'raise', 1.5, brush);
    const stretched = timeStretch(painted, 1.3);
    if (!stretched.ok) throw new Error(stretched.error);
    const shifted = pitchShift(stretched.value, -2);
    if (!shifted.ok) throw new Error(shifted.error);
    const out = replay(null, original, ops)!;
    expect(out.frames).toBe(Math.round(31 * 1.3));
    expect(out.data).toEqual(shifted.value.data);
    // a reset goes back to the original; the next op starts from it
    expect(replay(null, original, [...ops, { kind: 'reset' }])).toBeNull();
    expect(replay(out, original, [{ kind: 'reset' }, stroke])!.data).toEqual(painted.data);
  });

  it('refuses to apply an op melEdit refuses', () => {
    expect(() => applyOp(null, original, { kind: 'stretch', factor: 5 })).toThrow(/0.5..2/);
  });

  it('accepts a well-formed saved log and rejects anything else', () => {
    const good = [stroke, { kind: 'pitch', semitones: 3 }, { kind: 'reset' }];
    expect(validateOps(good, 20)).toEqual(good);
    expect(validateOps(good, 2)).toBeNull(); // over the cap
    const bad: unknown[] = [
      { kind: 'stretch', factor: 3 },
      { kind: 'pitch', semitones: 13 },
      { kind: 'stroke', tool: 'blur', strength: 1, brush, points: [] },
      { ...stroke, points: [1, 2, 3] },
      { ...stroke, points: [1, Number.NaN] },
      { ...stroke, points: new Array(2 * MAX_STROKE_POINTS + 2).fill(1) },
      { ...stroke, brush: { radiusFrames: 'x', radiusBands: 1 } },
      { kind: 'undo' },
      null,
    ];
    for (const op of bad) expect(validateOps([op], 20)).toBeNull();
    expect(validateOps('junk', 20)).toBeNull();
  });

  it('accepts a saved grid of the right band count, clamped', () => {
    const g = validateGrid({ data: new Float32Array(160).fill(1e9), bands: 80, frames: 2 }, 80);
    expect(g!.data[0]).toBeCloseTo(Math.log(100), 5);
    expect(validateGrid({ data: new Float32Array(160), bands: 80, frames: 3 }, 80)).toBeNull();
    expect(validateGrid({ data: new Float32Array(160), bands: 40, frames: 4 }, 80)).toBeNull();
    expect(validateGrid({ data: [1, 2], bands: 80, frames: 1 }, 80)).toBeNull();
  });
});
