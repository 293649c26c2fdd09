// "Denoise strength" for the synthesis: a slider (0..0.5) that subtracts
// strength x the model's bias spectrum from the result (state/denoiseStore.ts),
// the bias job's state, and a small plot of the bias spectrum in dB.
// usePlayedSynthesis gives the samples the player and the export use.
import { useEffect, useRef } from 'react';
import {
  MAX_DENOISE_STRENGTH,
  TYPICAL_DENOISE_STRENGTH,
  type BiasSpectrum,
} from '../../models/waveglow/denoiser';
import { getPlayed, useDenoiseStore } from '../../state/denoiseStore';
import { useSynthesisStore, type SynthesisView } from '../../state/synthesisStore';
import { denoiseStatus } from './denoiseStatus';
import { AXIS_COLOR, AXIS_FONT, prepareCanvas } from './plotting';
import './DenoiseControl.css';

const PLOT = { width: 150, height: 40 };
const HINT =
  "Subtracts strength x the model's bias spectrum (its output for a silent mel) from " +
  "every frame of the result, as NVIDIA's WaveGlow denoiser; " +
  `${TYPICAL_DENOISE_STRENGTH} is typical`;

/** The result's samples as played and exported, and the strength applied (0: raw). */
export function usePlayedSynthesis(
  result: SynthesisView | null,
): { samples: Float32Array; strength: number } | null {
  // re-render when the denoised audio changes
  useDenoiseStore((s) => s.denoised);
  return result ? getPlayed(result) : null;
}

/** Bias magnitude in dB over 0..rate/2, drawn as a line. */
function BiasPlot({ bias, rate }: { bias: BiasSpectrum; rate: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ctx = prepareCanvas(el, PLOT.width, PLOT.height);
    if (!ctx) return;
    const db = Array.from(bias.magnitude, (m) => 20 * Math.log10(Math.max(m, 1e-6)));
    const top = Math.max(...db);
    const floor = top - 60;
    const plotH = PLOT.height - 12;
    ctx.strokeStyle = '#2352c9';
    ctx.lineWidth = 1;
    ctx.beginPath();
    db.forEach((v, k) => {
      const x = (k / (db.length - 1)) * PLOT.width;
      const y = ((top - Math.max(v, floor)) / (top - floor)) * plotH;
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.fillStyle = AXIS_COLOR;
    ctx.font = AXIS_FONT;
    ctx.textBaseline = 'bottom';
    ctx.fillText('0', 0, PLOT.height);
    ctx.textAlign = 'right';
    ctx.fillText(`${(rate / 2000).toFixed(0)} kHz`, PLOT.width, PLOT.height);
  }, [bias, rate]);
  return (
    <canvas
      ref={canvas}
      className="denoise-bias"
      data-testid="speech.denoise.bias"
      title="The model's bias spectrum (its output for a silent mel), dB, 60 dB range"
    />
  );
}

export function DenoiseControl({ sampleRate }: { sampleRate: number }) {
  const strength = useDenoiseStore((s) => s.strength);
  const biasPhase = useDenoiseStore((s) => s.biasPhase);
  const bias = useDenoiseStore((s) => s.bias);
  const biasError = useDenoiseStore((s) => s.biasError);
  const denoised = useDenoiseStore((s) => s.denoised);
  const setStrength = useDenoiseStore((s) => s.setStrength);
  const restore = useDenoiseStore((s) => s.restore);
  useEffect(() => {
    void restore();
  }, [restore]);

  const resultSamples = useSynthesisStore((s) => s.result?.samples ?? null);
  const status = denoiseStatus({ biasPhase, biasError, strength, denoised, resultSamples });
  return (
    <div className="denoise" data-testid="speech.denoise" data-bias={biasPhase}>
      <label className="synthesis-sigma">
        <span title={HINT}>Denoise strength</span>
        <input
          type="range"
          min={0}
          max={MAX_DENOISE_STRENGTH}
          step={0.01}
          value={strength}
          data-testid="speech.denoise.strength"
          onChange={(e) => setStrength(Number(e.target.value))}
        />
        <output data-testid="speech.denoise.strength.value">{strength.toFixed(2)}</output>
      </label>
      <span
        className={`muted denoise-status${biasPhase === 'failed' ? ' denoise-failed' : ''}`}
        data-testid="speech.denoise.status"
        role={biasPhase === 'failed' ? 'alert' : undefined}
      >
        {status}
      </span>
      {bias && <BiasPlot bias={bias} rate={sampleRate} />}
    </div>
  );
}
