// The recording's waveform: min/max of the samples under each pixel column,
// with a time axis in seconds and amplitude ticks at -1, 0, 1.
import { useEffect, useRef } from 'react';
import { AXIS_COLOR, AXIS_FONT, drawTimeAxis, GRID_COLOR, MARGIN, prepareCanvas } from './plotting';

export interface WaveformViewProps {
  samples: Float32Array;
  sampleRate: number;
  width: number;
  height?: number;
}

export function WaveformView({ samples, sampleRate, width, height = 120 }: WaveformViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!canvas.current || width <= MARGIN.left + MARGIN.right) return;
    const ctx = prepareCanvas(canvas.current, width, height);
    if (!ctx) return;
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const mid = MARGIN.top + plotH / 2;
    const seconds = samples.length / sampleRate;

    ctx.font = AXIS_FONT;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const a of [1, 0, -1]) {
      const y = mid - (a * plotH) / 2;
      ctx.strokeStyle = GRID_COLOR;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, Math.round(y) + 0.5);
      ctx.lineTo(MARGIN.left + plotW, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.fillStyle = AXIS_COLOR;
      ctx.fillText(String(a), MARGIN.left - 6, y);
    }

    // one vertical stroke per pixel column, from its lowest to its highest sample
    ctx.fillStyle = '#2352c9';
    const perPixel = samples.length / plotW;
    for (let px = 0; px < plotW; px++) {
      const from = Math.floor(px * perPixel);
      const to = Math.max(from + 1, Math.floor((px + 1) * perPixel));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = from; i < to && i < samples.length; i++) {
        lo = Math.min(lo, samples[i]);
        hi = Math.max(hi, samples[i]);
      }
      if (lo > hi) continue;
      const y0 = mid - (hi * plotH) / 2;
      const y1 = mid - (lo * plotH) / 2;
      ctx.fillRect(MARGIN.left + px, y0, 1, Math.max(1, y1 - y0));
    }
    ctx.strokeStyle = AXIS_COLOR;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW - 1, plotH - 1);
    drawTimeAxis(ctx, width, height, seconds);
  }, [samples, sampleRate, width, height]);

  return (
    <canvas
      ref={canvas}
      className="speech-canvas"
      data-testid="speech.waveform"
      role="img"
      aria-label={`Waveform, ${(samples.length / sampleRate).toFixed(2)} seconds`}
    />
  );
}
