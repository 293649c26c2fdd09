// The edited log-mel as a paintable canvas: the same layout as the original's
// view (plotting.ts margins, mel-scale frequency ticks, time axis), but
// coloured on a fixed scale taken from the original so a raise shows as
// brighter instead of rescaling everything. Dragging paints one stroke; a
// second canvas on top draws the brush outline so hovering redraws nothing.
import { useEffect, useRef } from 'react';
import type { Brush, CellPoint, MelGrid } from '../../models/mel/melEdit';
import { MEL } from '../../models/mel/melConfig';
import { bandPosition } from './MelSpectrogramView';
import {
  AXIS_COLOR,
  AXIS_FONT,
  drawTimeAxis,
  MARGIN,
  niceStep,
  prepareCanvas,
  viridis,
} from './plotting';

const FREQ_TICKS: [number, string][] = [
  [0, '0'],
  [500, '500'],
  [1000, '1k'],
  [2000, '2k'],
  [4000, '4k'],
  [8000, '8k'],
];

export interface MelEditCanvasProps {
  mel: MelGrid;
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
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const seconds = ((mel.frames - 1) * MEL.hop) / MEL.sampleRate;

  useEffect(() => {
    if (!canvas.current || plotW <= 0) return;
    const ctx = prepareCanvas(canvas.current, width, height);
    if (!ctx) return;
    drawMel(ctx, mel, lo, hi, plotW, plotH);
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

function drawMel(
  ctx: CanvasRenderingContext2D,
  mel: MelGrid,
  lo: number,
  hi: number,
  plotW: number,
  plotH: number,
): void {
  const { data, bands, frames } = mel;
  const span = Math.max(1e-6, hi - lo);
  const image = new ImageData(frames, bands);
  for (let b = 0; b < bands; b++) {
    const row = bands - 1 - b;
    for (let f = 0; f < frames; f++) {
      const [r, g, bl] = viridis((data[b * frames + f] - lo) / span);
      const at = (row * frames + f) * 4;
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = bl;
      image.data[at + 3] = 255;
    }
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = frames;
  bitmap.height = bands;
  bitmap.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = frames > plotW;
  ctx.drawImage(bitmap, MARGIN.left, MARGIN.top, plotW, plotH);
  ctx.strokeStyle = AXIS_COLOR;
  ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW - 1, plotH - 1);

  ctx.font = AXIS_FONT;
  ctx.fillStyle = AXIS_COLOR;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const bottom = MARGIN.top + plotH;
  for (const [hz, label] of FREQ_TICKS) {
    const y = Math.min(
      bottom,
      Math.max(MARGIN.top, bottom - ((bandPosition(hz, bands) + 0.5) / bands) * plotH),
    );
    ctx.beginPath();
    ctx.moveTo(MARGIN.left - 4, Math.round(y) + 0.5);
    ctx.lineTo(MARGIN.left, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.fillText(label, MARGIN.left - 6, y);
  }
  ctx.save();
  ctx.translate(12, MARGIN.top + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('Hz (mel scale)', 0, 0);
  ctx.restore();
}

function drawColourBar(
  ctx: CanvasRenderingContext2D,
  width: number,
  plotH: number,
  lo: number,
  hi: number,
): void {
  const x = width - MARGIN.right + 14;
  const barW = 12;
  const top = MARGIN.top;
  for (let y = 0; y < plotH; y++) {
    const [r, g, b] = viridis(1 - y / (plotH - 1));
    ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
    ctx.fillRect(x, top + y, barW, 1);
  }
  ctx.strokeStyle = AXIS_COLOR;
  ctx.strokeRect(x + 0.5, top + 0.5, barW - 1, plotH - 1);
  ctx.fillStyle = AXIS_COLOR;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const step = niceStep(hi - lo, 5);
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
    const y = top + (1 - (v - lo) / (hi - lo)) * (plotH - 1);
    ctx.fillRect(x + barW, Math.round(y), 3, 1);
    ctx.fillText(v.toFixed(step < 1 ? 1 : 0), x + barW + 5, y);
  }
  ctx.save();
  ctx.translate(width - 6, top + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('ln mel', 0, 0);
  ctx.restore();
}
