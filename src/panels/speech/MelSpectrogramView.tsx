// The log-mel spectrogram: one pixel per frame and band, coloured with
// viridis between the data's minimum and maximum, low bands at the bottom.
// Frequency ticks sit at the mel-band positions of 0, 500 Hz, 1k, 2k, 4k, 8k;
// a colour bar on the right gives the ln(mel magnitude) scale.
import { useEffect, useRef } from 'react';
import type { LogMelView } from '../../state/speechStore';
import { MEL } from '../../models/mel/melConfig';
import { hzToMel } from '../../models/mel/melFilters';
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

/** Band coordinate (0 = centre of band 0) of frequency `hz`: bands are evenly spaced in mel. */
export function bandPosition(hz: number, bands: number = MEL.bands): number {
  const lo = hzToMel(MEL.fMin);
  const step = (hzToMel(MEL.fMax) - lo) / (bands + 1);
  return (hzToMel(hz) - lo) / step - 1;
}

export interface MelSpectrogramViewProps {
  mel: LogMelView;
  /** seconds covered by the recording */
  seconds: number;
  width: number;
  height?: number;
}

export function MelSpectrogramView({ mel, seconds, width, height = 260 }: MelSpectrogramViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!canvas.current || width <= MARGIN.left + MARGIN.right) return;
    const ctx = prepareCanvas(canvas.current, width, height);
    if (!ctx) return;
    const { data, bands, frames } = mel;
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = Math.max(1e-6, hi - lo);

    // the image at its own resolution, then scaled into the plot
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
    // frame f covers time f * hop / sr; the last frame's centre sits at the end
    ctx.drawImage(bitmap, MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.strokeStyle = AXIS_COLOR;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW - 1, plotH - 1);

    // frequency axis at mel-band positions
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

    drawTimeAxis(ctx, width, height, seconds);
    drawColourBar(ctx, width, plotH, lo, hi);
  }, [mel, seconds, width, height]);

  return (
    <canvas
      ref={canvas}
      className="speech-canvas"
      data-testid="speech.mel"
      data-frames={mel.frames}
      data-bands={mel.bands}
      role="img"
      aria-label={`Log-mel spectrogram, ${mel.bands} bands by ${mel.frames} frames`}
    />
  );
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
