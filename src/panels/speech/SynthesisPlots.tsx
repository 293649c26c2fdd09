// The synthesis's waveform and log-mel as it is played and exported: denoised
// when a denoise strength is set (DenoiseControl), each plot labelled with the
// strength of what it shows. The denoised log-mel is computed once the
// denoised audio settles (state/playedMelStore.ts); until then the plot keeps
// the newest one it has, labelled as such.
import { useEffect } from 'react';
import { getDenoisedMel, notePlotted, usePlayedMelStore } from '../../state/playedMelStore';
import type { LogMelView } from '../../state/speechStore';
import type { SynthesisView } from '../../state/synthesisStore';
import { MelSpectrogramView } from './MelSpectrogramView';
import { WaveformView } from './WaveformView';

export interface SynthesisPlotsProps {
  result: SynthesisView;
  /** the samples played and exported, and their denoise strength (0: raw) */
  played: { samples: Float32Array; strength: number };
  /** width of the plots, CSS px */
  width: number;
}

function strengthLabel(strength: number): string {
  return strength > 0 ? `denoised ${strength.toFixed(2)}` : 'not denoised';
}

/** The log-mel to plot for `played`, and the strength it is of. */
function melToPlot(
  result: SynthesisView,
  strength: number,
  latest: { source: Float32Array; strength: number; mel: LogMelView } | null,
): { mel: LogMelView; strength: number } | null {
  const exact = strength === 0 ? result.logMel : getDenoisedMel(result.samples, strength);
  if (exact) return { mel: exact, strength };
  if (latest && latest.source === result.samples) return latest;
  return result.logMel && { mel: result.logMel, strength: 0 };
}

export function SynthesisPlots({ result, played, width }: SynthesisPlotsProps) {
  const latest = usePlayedMelStore((s) => s.latest);
  const melError = usePlayedMelStore((s) => s.error);
  const shown = melToPlot(result, played.strength, latest);
  const pending = shown !== null && shown.strength !== played.strength;

  useEffect(() => {
    notePlotted({
      waveformStrength: played.strength,
      waveform: played.samples,
      melStrength: shown?.strength ?? null,
      mel: shown?.mel ?? null,
    });
  }, [played.samples, played.strength, shown?.mel, shown?.strength]);
  useEffect(() => () => notePlotted(null), []);

  const seconds = played.samples.length / result.sampleRate;
  return (
    <div
      className="synthesis-plots"
      data-testid="speech.synthesis.plots"
      data-strength={played.strength}
      data-mel-strength={shown?.strength ?? ''}
    >
      <h2>
        Synthesis waveform{' '}
        <span className="synthesis-plot-label" data-testid="speech.synthesis.plots.waveformLabel">
          ({strengthLabel(played.strength)})
        </span>
      </h2>
      <WaveformView samples={played.samples} sampleRate={result.sampleRate} width={width} />
      <h2>
        Synthesis log-mel spectrogram{' '}
        {shown && (
          <span className="synthesis-plot-label" data-testid="speech.synthesis.plots.melLabel">
            ({strengthLabel(shown.strength)}
            {pending ? `; computing ${strengthLabel(played.strength)}…` : ''})
          </span>
        )}
      </h2>
      {shown ? (
        <MelSpectrogramView mel={shown.mel} seconds={seconds} width={width} />
      ) : (
        <p className="muted">
          {result.logMelError
            ? `Its log-mel could not be computed: ${result.logMelError}`
            : 'Computing its log-mel…'}
        </p>
      )}
      {played.strength > 0 && melError && (
        <p className="speech-error" role="alert">
          The log-mel of the denoised audio could not be computed: {melError}
        </p>
      )}
    </div>
  );
}
