// Edits of a log-mel spectrogram ([bands, frames], row-major, natural log of
// mel magnitudes): brush strokes (raise, lower, erase, smooth), time stretch
// and pitch shift. Pure CPU code on plain arrays; every result is clamped to
// [MEL_LOG_FLOOR, MEL_LOG_CEILING] and never holds NaN, so what comes out is
// always something the vocoder can take.
import { MEL } from './melConfig';
import { hzToMel, melPoints } from './melFilters';

/** ln(MEL.clamp): the value the log-mel gives to silence; nothing can be lower. */
export const MEL_LOG_FLOOR = Math.log(MEL.clamp);
/**
 * ln(100): a full-scale tone reaches about ln(10) in this log-mel, so this
 * leaves headroom for raising without letting edits run off to values the
 * vocoder never saw.
 */
export const MEL_LOG_CEILING = Math.log(100);

export const STRETCH_MIN = 0.5;
export const STRETCH_MAX = 2;
export const PITCH_MAX_SEMITONES = 12;

export interface MelGrid {
  /** row-major [bands, frames] */
  data: Float32Array;
  bands: number;
  frames: number;
}

export type BrushTool = 'raise' | 'lower' | 'erase' | 'smooth';
export const BRUSH_TOOLS: readonly BrushTool[] = ['raise', 'lower', 'erase', 'smooth'];

export interface Brush {
  /** radius along time, in frames (> 0) */
  radiusFrames: number;
  /** radius along frequency, in mel bands (> 0) */
  radiusBands: number;
}

/** A brush position in cell coordinates: frame 0 / band 0 is the centre of the first cell. */
export interface CellPoint {
  frame: number;
  band: number;
}

export type EditResult = { ok: true; value: MelGrid } | { ok: false; error: string };

/** v clamped to the sensible range; NaN becomes the floor (silence). */
export function clampLog(v: number): number {
  if (Number.isNaN(v)) return MEL_LOG_FLOOR;
  return Math.min(MEL_LOG_CEILING, Math.max(MEL_LOG_FLOOR, v));
}

/** Soft round profile: 0.5 (1 + cos(pi d)) for d < 1, else 0 (d = distance / radius). */
function falloff(d: number): number {
  return d >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * d));
}

// ---- brush strokes

/** Cells a stroke touched: frames from..to and bands lo..hi, inclusive. */
export interface CellBox {
  fromFrame: number;
  toFrame: number;
  fromBand: number;
  toBand: number;
}

function growBox(box: CellBox | null, f0: number, f1: number, b0: number, b1: number): CellBox {
  if (!box) return { fromFrame: f0, toFrame: f1, fromBand: b0, toBand: b1 };
  box.fromFrame = Math.min(box.fromFrame, f0);
  box.toFrame = Math.max(box.toFrame, f1);
  box.fromBand = Math.min(box.fromBand, b0);
  box.toBand = Math.max(box.toBand, b1);
  return box;
}

/**
 * Lays the dabs of one stroke segment, prev -> p, into `mask` (max of weights);
 * prev null starts the stroke at p. Returns `box` grown by the cells touched.
 * NOTE: the whole-stroke mask and the incremental painter both go through
 * here, so painting point by point gives exactly the whole-stroke result.
 */
function stampSegment(
  mask: Float32Array,
  bands: number,
  frames: number,
  prev: CellPoint | null,
  p: CellPoint,
  brush: Brush,
  box: CellBox | null,
): CellBox | null {
  if (!Number.isFinite(p.frame) || !Number.isFinite(p.band)) return box;
  const rf = Math.max(1e-3, brush.radiusFrames);
  const rb = Math.max(1e-3, brush.radiusBands);
  const from = prev ?? p;
  const dab = (cf: number, cb: number) => {
    const f0 = Math.max(0, Math.ceil(cf - rf));
    const f1 = Math.min(frames - 1, Math.floor(cf + rf));
    const b0 = Math.max(0, Math.ceil(cb - rb));
    const b1 = Math.min(bands - 1, Math.floor(cb + rb));
    if (f0 > f1 || b0 > b1) return;
    box = growBox(box, f0, f1, b0, b1);
    for (let b = b0; b <= b1; b++) {
      for (let f = f0; f <= f1; f++) {
        const w = falloff(Math.hypot((f - cf) / rf, (b - cb) / rb));
        const at = b * frames + f;
        if (w > mask[at]) mask[at] = w;
      }
    }
  };
  const steps = Math.max(
    1,
    Math.ceil(Math.hypot((p.frame - from.frame) / rf, (p.band - from.band) / rb) * 4),
  );
  for (let s = prev ? 1 : 0; s <= steps; s++) {
    const t = s / steps;
    dab(from.frame + (p.frame - from.frame) * t, from.band + (p.band - from.band) * t);
  }
  return box;
}

/**
 * The stroke's weight per cell, [bands, frames]: the largest brush weight any
 * dab of the stroke gives the cell (so a stroke adds at most its strength,
 * however slowly it is drawn). Dabs are filled in between successive points
 * at a quarter radius, so fast drags leave no gaps.
 */
export function strokeMask(
  bands: number,
  frames: number,
  points: readonly CellPoint[],
  brush: Brush,
): Float32Array {
  const mask = new Float32Array(bands * frames);
  for (let i = 0; i < points.length; i++) {
    stampSegment(mask, bands, frames, i > 0 ? points[i - 1] : null, points[i], brush, null);
  }
  return mask;
}

/**
 * Box average of `grid` over (2 hf + 1) frames x (2 hb + 1) bands, clipped at
 * the grid's edges, for the cells of `box` only: row-major [bands, frames] of
 * the box. The same sums in the same order whatever the box, so a cell's
 * average does not depend on which box asked for it.
 */
function boxAverage(grid: MelGrid, hf: number, hb: number, box: CellBox): Float32Array {
  const { data, bands, frames } = grid;
  const w = box.toFrame - box.fromFrame + 1;
  const kb0 = Math.max(0, box.fromBand - hb);
  const kb1 = Math.min(bands - 1, box.toBand + hb);
  const alongTime = new Float32Array((kb1 - kb0 + 1) * w);
  for (let b = kb0; b <= kb1; b++) {
    for (let f = box.fromFrame; f <= box.toFrame; f++) {
      let sum = 0;
      let n = 0;
      for (let k = Math.max(0, f - hf); k <= Math.min(frames - 1, f + hf); k++, n++)
        sum += data[b * frames + k];
      alongTime[(b - kb0) * w + f - box.fromFrame] = sum / n;
    }
  }
  const out = new Float32Array((box.toBand - box.fromBand + 1) * w);
  for (let f = 0; f < w; f++) {
    for (let b = box.fromBand; b <= box.toBand; b++) {
      let sum = 0;
      let n = 0;
      for (let k = Math.max(0, b - hb); k <= Math.min(bands - 1, b + hb); k++, n++)
        sum += alongTime[(k - kb0) * w + f];
      out[(b - box.fromBand) * w + f] = sum / n;
    }
  }
  return out;
}

/** Writes the painted value of every cell of `box` into `out` (see applyStroke). */
function paintBox(
  base: MelGrid,
  mask: Float32Array,
  tool: BrushTool,
  strength: number,
  brush: Brush,
  box: CellBox,
  out: Float32Array,
): void {
  const { data, frames } = base;
  const s = Number.isFinite(strength) ? Math.max(0, strength) : 0;
  const w = box.toFrame - box.fromFrame + 1;
  const mean =
    tool === 'smooth'
      ? boxAverage(
          base,
          Math.max(1, Math.round(brush.radiusFrames / 3)),
          Math.max(1, Math.round(brush.radiusBands / 3)),
          box,
        )
      : null;
  for (let b = box.fromBand; b <= box.toBand; b++) {
    for (let f = box.fromFrame; f <= box.toFrame; f++) {
      const i = b * frames + f;
      const v = clampLog(data[i]);
      const m = mask[i];
      let next = v;
      if (m > 0) {
        if (tool === 'raise') next = v + s * m;
        else if (tool === 'lower') next = v - s * m;
        else if (tool === 'erase') next = v + (MEL_LOG_FLOOR - v) * m;
        else
          next = v + ((mean as Float32Array)[(b - box.fromBand) * w + f - box.fromFrame] - v) * m;
      }
      out[i] = clampLog(next);
    }
  }
}

/**
 * Applies a stroke's mask to `base` (which is not modified):
 *   raise:  v + strength * w        lower: v - strength * w   (strength in ln units)
 *   erase:  v + (floor - v) * w     smooth: v + (local mean - v) * w
 * where w is the mask weight. Smoothing averages over about a third of the
 * brush (at least 3 x 3 cells).
 */
export function applyStroke(
  base: MelGrid,
  mask: Float32Array,
  tool: BrushTool,
  strength: number,
  brush: Brush,
): MelGrid {
  const { data, bands, frames } = base;
  if (mask.length !== data.length) {
    throw new Error(`melEdit: stroke mask size (expected ${data.length}, got ${mask.length})`);
  }
  const out = new Float32Array(data.length);
  const all = { fromFrame: 0, toFrame: frames - 1, fromBand: 0, toBand: bands - 1 };
  if (data.length > 0) paintBox(base, mask, tool, strength, brush, all, out);
  return { data: out, bands, frames };
}

/** strokeMask + applyStroke in one call. */
export function paintStroke(
  base: MelGrid,
  points: readonly CellPoint[],
  tool: BrushTool,
  strength: number,
  brush: Brush,
): MelGrid {
  const mask = strokeMask(base.bands, base.frames, points, brush);
  return applyStroke(base, mask, tool, strength, brush);
}

/**
 * A stroke painted as it is drawn: each new point repaints only the cells its
 * segment's dabs reach, so a brush move costs the brush's footprint, not the
 * recording. After any sequence of addPoints, `out` equals paintStroke(base,
 * all points, ...) exactly (same dabs, same per-cell arithmetic; melEdit.test.ts).
 */
export class StrokePainter {
  /** the painted mel; its data changes in place with every addPoints */
  readonly out: MelGrid;
  private readonly mask: Float32Array;
  private last: CellPoint | null = null;

  constructor(
    readonly base: MelGrid,
    readonly tool: BrushTool,
    readonly strength: number,
    readonly brush: Brush,
  ) {
    const { data, bands, frames } = base;
    // cells no dab reaches keep their clamped value, as in applyStroke
    this.out = { data: data.map(clampLog), bands, frames };
    this.mask = new Float32Array(data.length);
  }

  /** Paints the segments up to each of `points` in turn; returns the cells changed, or null. */
  addPoints(points: readonly CellPoint[]): CellBox | null {
    const { bands, frames } = this.base;
    let box: CellBox | null = null;
    for (const p of points) {
      box = stampSegment(this.mask, bands, frames, this.last, p, this.brush, box);
      this.last = p;
    }
    if (box)
      paintBox(this.base, this.mask, this.tool, this.strength, this.brush, box, this.out.data);
    return box;
  }
}

// ---- time stretch

/** Frames after stretching `frames` by `factor`: round(frames * factor), at least 1. */
export function stretchedFrames(frames: number, factor: number): number {
  return Math.max(1, Math.round(frames * factor));
}

/**
 * Resamples the frames by linear interpolation so the mel lasts `factor`
 * times as long (0.5..2); the first and last frames stay where they are.
 */
export function timeStretch(grid: MelGrid, factor: number): EditResult {
  if (!Number.isFinite(factor) || factor < STRETCH_MIN || factor > STRETCH_MAX) {
    return {
      ok: false,
      error: `Time stretch: the factor must be ${STRETCH_MIN}..${STRETCH_MAX} (got ${factor})`,
    };
  }
  const { data, bands, frames } = grid;
  const outFrames = stretchedFrames(frames, factor);
  const out = new Float32Array(bands * outFrames);
  // output frame j sits at source position j * (frames - 1) / (outFrames - 1)
  const scale = outFrames > 1 ? (frames - 1) / (outFrames - 1) : 0;
  for (let j = 0; j < outFrames; j++) {
    const x = j * scale;
    const i0 = Math.min(frames - 1, Math.floor(x));
    const i1 = Math.min(frames - 1, i0 + 1);
    const t = x - i0;
    for (let b = 0; b < bands; b++) {
      const row = b * frames;
      out[b * outFrames + j] = clampLog(data[row + i0] * (1 - t) + data[row + i1] * t);
    }
  }
  return { ok: true, value: { data: out, bands, frames: outFrames } };
}

// ---- pitch shift

/**
 * Fractional band position (0 = centre of band 0) of each band's centre
 * frequency divided by `ratio`, on the Slaney mel scale of MEL.fMin..fMax.
 */
export function pitchSourcePositions(bands: number, ratio: number): Float64Array {
  const centres = melPoints(bands, MEL.fMin, MEL.fMax);
  const lo = hzToMel(MEL.fMin);
  const step = (hzToMel(MEL.fMax) - lo) / (bands + 1);
  const out = new Float64Array(bands);
  for (let b = 0; b < bands; b++) out[b] = (hzToMel(centres[b + 1] / ratio) - lo) / step - 1;
  return out;
}

/**
 * Moves energy along frequency by `semitones` (-12..12): band b takes the
 * log-mel interpolated at the frequency f_b / 2^(semitones / 12), where f_b
 * is b's centre frequency, so a harmonic at f lands at f * 2^(semitones / 12)
 * within band resolution. Frequencies outside the bands become silence.
 */
export function pitchShift(grid: MelGrid, semitones: number): EditResult {
  if (!Number.isFinite(semitones) || Math.abs(semitones) > PITCH_MAX_SEMITONES) {
    return {
      ok: false,
      error: `Pitch shift: semitones must be within ±${PITCH_MAX_SEMITONES} (got ${semitones})`,
    };
  }
  const { data, bands, frames } = grid;
  const positions = pitchSourcePositions(bands, 2 ** (semitones / 12));
  const out = new Float32Array(data.length);
  for (let b = 0; b < bands; b++) {
    const x = positions[b];
    const row = b * frames;
    // NOTE: a tolerance so a zero shift reproduces the edge bands exactly
    if (!(x > -1e-9 && x < bands - 1 + 1e-9)) {
      out.fill(MEL_LOG_FLOOR, row, row + frames);
      continue;
    }
    const b0 = Math.min(bands - 1, Math.max(0, Math.floor(x)));
    const b1 = Math.min(bands - 1, b0 + 1);
    const t = Math.min(1, Math.max(0, x - b0));
    for (let f = 0; f < frames; f++) {
      out[row + f] = clampLog(data[b0 * frames + f] * (1 - t) + data[b1 * frames + f] * t);
    }
  }
  return { ok: true, value: { data: out, bands, frames } };
}
