// The spectrogram editor's undo history as a log of operations (a stroke's
// points, tool, strength and brush; a stretch factor; a pitch shift; a reset)
// replayed from a base mel. NOTE: a log, not snapshots or deltas: a stroke is
// a few hundred numbers instead of a whole [80, frames] mel, and the per-step
// delta of a stretch or pitch shift would be the whole mel anyway; melEdit.ts
// is pure and deterministic, so replaying gives the same floats bit for bit
// (StrokePainter paints exactly what paintStroke does). Pure, no storage.
import {
  clampLog,
  paintStroke,
  pitchShift,
  PITCH_MAX_SEMITONES,
  STRETCH_MAX,
  STRETCH_MIN,
  timeStretch,
  BRUSH_TOOLS,
  type Brush,
  type BrushTool,
  type CellPoint,
  type MelGrid,
} from './melEdit';

/** Points kept per stroke (about a minute of dragging); later points of the stroke are ignored. */
export const MAX_STROKE_POINTS = 4096;

export type EditOp =
  | {
      kind: 'stroke';
      tool: BrushTool;
      strength: number;
      brush: Brush;
      /** frame, band of each point, flattened */
      points: number[];
    }
  | { kind: 'stretch'; factor: number }
  | { kind: 'pitch'; semitones: number }
  | { kind: 'reset' };

/** The points of a stroke op as cell points. */
export function strokePoints(flat: readonly number[]): CellPoint[] {
  const out: CellPoint[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ frame: flat[i], band: flat[i + 1] });
  return out;
}

/**
 * The mel after `op`; `mel` null stands for the recording's own, `original`.
 * @returns null for a reset (back to the original)
 * @throws when the op is refused (validateOps keeps such ops out of a loaded log)
 */
export function applyOp(mel: MelGrid | null, original: MelGrid, op: EditOp): MelGrid | null {
  const base = mel ?? original;
  switch (op.kind) {
    case 'stroke':
      return paintStroke(base, strokePoints(op.points), op.tool, op.strength, op.brush);
    case 'stretch':
    case 'pitch': {
      const r =
        op.kind === 'stretch' ? timeStretch(base, op.factor) : pitchShift(base, op.semitones);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    }
    case 'reset':
      return null;
  }
}

/** `base` (null: the original) with every op of `ops` applied in order. */
export function replay(
  base: MelGrid | null,
  original: MelGrid,
  ops: readonly EditOp[],
): MelGrid | null {
  let mel = base;
  for (const op of ops) mel = applyOp(mel, original, op);
  return mel;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function validOp(v: unknown): EditOp | null {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return null;
  if (o.kind === 'reset') return { kind: 'reset' };
  if (o.kind === 'stretch' && isNum(o.factor) && o.factor >= STRETCH_MIN && o.factor <= STRETCH_MAX)
    return { kind: 'stretch', factor: o.factor };
  if (o.kind === 'pitch' && isNum(o.semitones) && Math.abs(o.semitones) <= PITCH_MAX_SEMITONES)
    return { kind: 'pitch', semitones: o.semitones };
  if (o.kind !== 'stroke') return null;
  const brush = o.brush as Partial<Brush> | null;
  const points = o.points;
  const ok =
    BRUSH_TOOLS.includes(o.tool as BrushTool) &&
    isNum(o.strength) &&
    brush &&
    isNum(brush.radiusFrames) &&
    isNum(brush.radiusBands) &&
    Array.isArray(points) &&
    points.length % 2 === 0 &&
    points.length <= 2 * MAX_STROKE_POINTS &&
    points.every(isNum);
  if (!ok) return null;
  return {
    kind: 'stroke',
    tool: o.tool as BrushTool,
    strength: o.strength as number,
    brush: { radiusFrames: brush.radiusFrames as number, radiusBands: brush.radiusBands as number },
    points: points as number[],
  };
}

/** A saved log when every op is well-formed and there are at most `limit`, else null. */
export function validateOps(v: unknown, limit: number): EditOp[] | null {
  if (!Array.isArray(v) || v.length > limit) return null;
  const ops = v.map(validOp);
  return ops.every((op) => op !== null) ? (ops as EditOp[]) : null;
}

/** A saved mel when well-formed with `bands` bands, values clamped; else null. */
export function validateGrid(v: unknown, bands: number): MelGrid | null {
  const g = v as Partial<MelGrid> | null;
  if (!g || typeof g !== 'object' || g.bands !== bands) return null;
  const frames = g.frames as number;
  if (!Number.isInteger(frames) || frames < 1) return null;
  if (!(g.data instanceof Float32Array) || g.data.length !== bands * frames) return null;
  // an imported file may hold anything: keep the values in range
  return { data: g.data.map(clampLog), bands, frames };
}
