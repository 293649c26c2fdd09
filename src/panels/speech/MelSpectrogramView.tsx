// A log-mel spectrogram (melPlot.ts draws it) coloured between the data's
// own minimum and maximum, with time and frequency axes and a colour bar.
import { useEffect, useRef } from 'react';
import type { LogMelView } from '../../state/speechStore';
import { drawColourBar, drawMelImage } from './melPlot';
import { drawTimeAxis, MARGIN, prepareCanvas } from './plotting';

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
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of mel.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // frame f covers time f * hop / sr; the last frame's centre sits at the end
    drawMelImage(ctx, mel, lo, hi, plotW, plotH);
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
