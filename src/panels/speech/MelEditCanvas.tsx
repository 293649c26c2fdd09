// The edited log-mel as a paintable canvas: the same layout as the original's
// view (plotting.ts margins, mel-scale frequency ticks, time axis), but
// coloured on a fixed scale taken from the original so a raise shows as
// brighter instead of rescaling everything. Dragging paints one stroke; a
// second canvas on top draws the brush outline so hovering redraws nothing.
// A brush move repaints only the frames it changed (EditedMel.patch) into the
// kept bitmap, so painting a long recording costs the brush, not the recording.
import { useEffect, useRef } from 'react';
import type { Brush, CellPoint, MelGrid } from '../../models/mel/melEdit';
import { MEL } from '../../models/mel/melConfig';
import type { EditedMel } from '../../state/melEditStore';
import {
  createMelBitmap,
  drawColourBar,
  drawMelBitmap,
  paintMelFrames,
  type MelBitmap,
} from './melPlot';
import { drawTimeAxis, MARGIN, prepareCanvas } from './plotting';

export interface MelEditCanvasProps {
  /** the original (a MelGrid) or the edit (an EditedMel, which may say what a move changed) */
  mel: MelGrid & Partial<Pick<EditedMel, 'revision' | 'patch'>>;
  /** colour scale, ln units: the original's range (widened by the edit) */
  lo: number;
  hi: number;
  width: number;
  height?: number;
  /** brush radius in bands; its radius in frames follows so it is round on screen */
  radiusBands: number;
  /** null: read-only */
  onStroke: null | {
    begin(): void;
    move(points: readonly CellPoint[], brush: Brush): void;
    end(): void;
  };
}

/** The brush for `radiusBands` that is round on a plot of plotW x plotH px. */
function screenRoundBrush(mel: MelGrid, radiusBands: number, plotW: number, plotH: number): Brush {
  const pxPerBand = plotH / mel.bands;
  const pxPerFrame = plotW / mel.frames;
  return { radiusBands, radiusFrames: (radiusBands * pxPerBand) / pxPerFrame };
}

export function MelEditCanvas(props: MelEditCanvasProps) {
  const { mel, lo, hi, width, height = 260, radiusBands, onStroke } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<CellPoint[] | null>(null);
  /** the bitmap on screen and what it shows */
  const drawn = useRef<{
    bitmap: MelBitmap;
    data: Float32Array;
    revision: number | undefined;
    lo: number;
    hi: number;
  } | null>(null);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const seconds = ((mel.frames - 1) * MEL.hop) / MEL.sampleRate;

  useEffect(() => {
    if (!canvas.current || plotW <= 0) return;
    const ctx = prepareCanvas(canvas.current, width, height);
    if (!ctx) return;
    const prev = drawn.current;
    const patch = mel.patch;
    if (
      prev &&
      patch &&
      prev.data === mel.data &&
      prev.revision === patch.after &&
      prev.lo === lo &&
      prev.hi === hi
    ) {
      paintMelFrames(prev.bitmap, mel, lo, hi, patch.fromFrame, patch.toFrame);
      prev.revision = mel.revision;
    } else {
      const bitmap = createMelBitmap(mel, lo, hi);
      drawn.current = { bitmap, data: mel.data, revision: mel.revision, lo, hi };
    }
    drawMelBitmap(ctx, (drawn.current as { bitmap: MelBitmap }).bitmap, plotW, plotH);
    drawTimeAxis(ctx, width, height, Math.max(seconds, 1e-3));
    drawColourBar(ctx, width, plotH, lo, hi);
  }, [mel, lo, hi, width, height, plotW, plotH, seconds]);

  useEffect(() => {
    if (overlay.current && plotW > 0) prepareCanvas(overlay.current, width, height);
  }, [width, height, plotW]);

  const cellAt = (e: React.PointerEvent): CellPoint => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left - MARGIN.left;
    const y = MARGIN.top + plotH - (e.clientY - box.top);
    return { frame: (x / plotW) * mel.frames - 0.5, band: (y / plotH) * mel.bands - 0.5 };
  };

  const drawCursor = (e: React.PointerEvent | null) => {
    const ctx = overlay.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    if (!e || !onStroke) return;
    const box = e.currentTarget.getBoundingClientRect();
    const r = (radiusBands * plotH) / mel.bands;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.clip();
    ctx.beginPath();
    ctx.arc(e.clientX - box.left, e.clientY - box.top, r, 0, 2 * Math.PI);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.restore();
  };

  const brush = () => screenRoundBrush(mel, radiusBands, plotW, plotH);

  return (
    <div className="mel-edit-canvas" style={{ width, height }}>
      <canvas
        ref={canvas}
        className="speech-canvas"
        data-testid="speech.melEdit.canvas"
        data-frames={mel.frames}
        data-bands={mel.bands}
        role="img"
        aria-label={`Edited log-mel spectrogram, ${mel.bands} bands by ${mel.frames} frames`}
      />
      <canvas
        ref={overlay}
        className="mel-edit-overlay"
        data-editing={onStroke ? 'true' : 'false'}
        onPointerDown={(e) => {
          if (!onStroke || e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          stroke.current = [cellAt(e)];
          onStroke.begin();
          onStroke.move(stroke.current, brush());
        }}
        onPointerMove={(e) => {
          drawCursor(e);
          if (!onStroke || !stroke.current) return;
          stroke.current.push(cellAt(e));
          onStroke.move(stroke.current, brush());
        }}
        onPointerUp={() => {
          if (!stroke.current) return;
          stroke.current = null;
          onStroke?.end();
        }}
        onPointerCancel={() => {
          if (!stroke.current) return;
          stroke.current = null;
          onStroke?.end();
        }}
        onPointerLeave={() => drawCursor(null)}
      />
    </div>
  );
}
