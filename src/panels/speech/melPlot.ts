// Drawing a log-mel on a canvas, shared by the recording's view and the
// editor: one pixel per frame and band in viridis between lo and hi, low bands
// at the bottom, frequency ticks at the mel-band positions of 0, 500 Hz, 1k,
// 2k, 4k, 8k, and a colour bar with the ln(mel magnitude) scale on the right.
import type { MelGrid } from '../../models/mel/melEdit';
import { MEL } from '../../models/mel/melConfig';
import { hzToMel } from '../../models/mel/melFilters';
import { AXIS_COLOR, AXIS_FONT, MARGIN, niceStep, viridis } from './plotting';

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

/** A mel's pixels, one per frame and band, kept so a brush move can repaint only its frames. */
export interface MelBitmap {
  canvas: HTMLCanvasElement;
  image: ImageData;
}

/** Colours frames from..to (inclusive) of `mel` into the bitmap, viridis between lo and hi. */
export function paintMelFrames(
  bitmap: MelBitmap,
  mel: MelGrid,
  lo: number,
  hi: number,
  from: number,
  to: number,
): void {
  const { data, bands, frames } = mel;
  const span = Math.max(1e-6, hi - lo);
  const pixels = bitmap.image.data;
  const f0 = Math.max(0, from);
  const f1 = Math.min(frames - 1, to);
  if (f0 > f1) return;
  for (let b = 0; b < bands; b++) {
    const row = bands - 1 - b;
    for (let f = f0; f <= f1; f++) {
      const [r, g, bl] = viridis((data[b * frames + f] - lo) / span);
      const at = (row * frames + f) * 4;
      pixels[at] = r;
      pixels[at + 1] = g;
      pixels[at + 2] = bl;
      pixels[at + 3] = 255;
    }
  }
  bitmap.canvas.getContext('2d')?.putImageData(bitmap.image, 0, 0, f0, 0, f1 - f0 + 1, bands);
}

/** The whole mel as a bitmap. */
export function createMelBitmap(mel: MelGrid, lo: number, hi: number): MelBitmap {
  const canvas = document.createElement('canvas');
  canvas.width = mel.frames;
  canvas.height = mel.bands;
  const bitmap = { canvas, image: new ImageData(mel.frames, mel.bands) };
  paintMelFrames(bitmap, mel, lo, hi, 0, mel.frames - 1);
  return bitmap;
}

/** The mel image scaled into the plot area, its frame and frequency ticks. */
export function drawMelImage(
  ctx: CanvasRenderingContext2D,
  mel: MelGrid,
  lo: number,
  hi: number,
  plotW: number,
  plotH: number,
): void {
  drawMelBitmap(ctx, createMelBitmap(mel, lo, hi), plotW, plotH);
}

/** A bitmap (createMelBitmap) scaled into the plot area, with its frequency ticks. */
export function drawMelBitmap(
  ctx: CanvasRenderingContext2D,
  bitmap: MelBitmap,
  plotW: number,
  plotH: number,
): void {
  const frames = bitmap.canvas.width;
  const bands = bitmap.canvas.height;
  ctx.imageSmoothingEnabled = frames > plotW;
  ctx.drawImage(bitmap.canvas, MARGIN.left, MARGIN.top, plotW, plotH);
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

/** The colour bar for values lo..hi at the right of the plot. */
export function drawColourBar(
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
