// "Synthesize" under the spectrogram: WaveGlow on the recording's log-mel
// with a sigma slider, live figures while the job runs, the result as a
// player beside the original with its own waveform and log-mel (of the audio
// as played: denoised when a strength is set), a WAV export, and the
// invertibility check on the recording itself.
import { useEffect, useMemo } from 'react';
import { encodeWav16 } from '../../io/wavEncode';
import { useBackendStore } from '../../state/backendStore';
import { useSynthesisStore } from '../../state/synthesisStore';
import { DenoiseControl, usePlayedSynthesis } from './DenoiseControl';
import { SynthesisFigures } from './SynthesisFigures';
import { SynthesisPlots } from './SynthesisPlots';
import { synthesisFileName } from './synthesisFileName';
import './SynthesisSection.css';

export interface SynthesisSectionProps {
  recordingName: string;
  /** the original's player source */
  originalUrl: string | null;
  /** width of the plots, CSS px */
  width: number;
}

function download(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SynthesisSection({ recordingName, originalUrl, width }: SynthesisSectionProps) {
  const s = useSynthesisStore();
  const backend = useBackendStore((b) => b.state);
  const backendMessage = useBackendStore((b) => b.message);
  const { restore } = s;
  useEffect(() => {
    void restore();
  }, [restore]);

  const result = s.result;
  // the denoised result when a denoise strength is set (DenoiseControl)
  const played = usePlayedSynthesis(result);
  const resultUrl = useMemo(
    () =>
      result && played
        ? URL.createObjectURL(
            new Blob([encodeWav16(played.samples, result.sampleRate)], { type: 'audio/wav' }),
          )
        : null,
    [played?.samples], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(
    () => () => {
      if (resultUrl) URL.revokeObjectURL(resultUrl);
    },
    [resultUrl],
  );

  const running = s.phase === 'running';
  const noWebGpu = backend === 'unavailable';
  return (
    <section className="synthesis" data-testid="speech.synthesis" data-phase={s.phase}>
      <h2>Synthesize with WaveGlow</h2>
      {noWebGpu && (
        <div className="speech-note" data-testid="speech.synthesis.nowebgpu" role="note">
          Inverting the recording needs WebGPU, which this page cannot use
          {backendMessage ? `: ${backendMessage}` : '.'} Synthesis runs on onnxruntime-web (wasm).
        </div>
      )}
      <div className="synthesis-controls">
        <label className="synthesis-sigma">
          <span title="Scale of the noise fed to WaveGlow: 0 gives the mean, 1 full variety">
            σ (noise scale)
          </span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={s.sigma}
            disabled={running}
            data-testid="speech.synthesis.sigma"
            onChange={(e) => s.setSigma(Number(e.target.value))}
          />
          <output data-testid="speech.synthesis.sigma.value">{s.sigma.toFixed(2)}</output>
        </label>
        <label className="synthesis-toggle">
          <input
            type="checkbox"
            checked={s.playWhileSynthesising}
            data-testid="speech.synthesis.live"
            onChange={(e) => s.setPlayWhileSynthesising(e.target.checked)}
          />
          Play while synthesising
        </label>
        {running ? (
          <button type="button" data-testid="speech.synthesis.cancel" onClick={s.cancel}>
            Cancel
          </button>
        ) : (
          <button type="button" data-testid="speech.synthesis.run" onClick={s.synthesize}>
            Synthesize
          </button>
        )}
        <button
          type="button"
          data-testid="speech.synthesis.invert"
          disabled={noWebGpu || s.invertPhase === 'running'}
          title="forward() the recording to z, infer() it back with sigma 1, compare"
          onClick={s.invertRecording}
        >
          {s.invertPhase === 'running' ? 'Inverting…' : 'Invert the recording'}
        </button>
      </div>
      <DenoiseControl sampleRate={result?.sampleRate ?? 22050} />

      {(running || result) && <SynthesisFigures live={s.live} result={running ? null : result} />}
      {s.playbackNote && <div className="speech-note">{s.playbackNote}</div>}
      {s.error && (
        <div className="speech-error" data-testid="speech.synthesis.error" role="alert">
          {s.error}
        </div>
      )}
      {s.invert && (
        <div
          className="synthesis-invert"
          data-testid="speech.synthesis.invert.result"
          data-error={s.invert.maxAbsError}
        >
          Invertibility on {s.invert.recordingName}: infer(forward(audio)) differs from the{' '}
          {s.invert.samples} samples by at most{' '}
          <strong>{s.invert.maxAbsError.toExponential(2)}</strong> (peak |sample|{' '}
          {s.invert.peak.toFixed(3)}; forward {(s.invert.forwardMs / 1000).toFixed(1)} s, inverse{' '}
          {(s.invert.inverseMs / 1000).toFixed(1)} s)
        </div>
      )}
      {s.invertError && (
        <div className="speech-error" data-testid="speech.synthesis.invert.error" role="alert">
          {s.invertError}
        </div>
      )}

      {result && resultUrl && !running && (
        <>
          <div className="synthesis-players">
            <figure>
              <figcaption>Original</figcaption>
              {originalUrl && <audio controls src={originalUrl} className="speech-audio" />}
            </figure>
            <figure>
              <figcaption>
                Synthesis (σ {result.sigma.toFixed(2)}
                {played?.strength ? `, denoised ${played.strength.toFixed(2)}` : ''})
              </figcaption>
              <audio
                controls
                src={resultUrl}
                className="speech-audio"
                data-testid="speech.synthesis.audio"
                data-samples={result.samples.length}
              />
            </figure>
            <button
              type="button"
              data-testid="speech.synthesis.export"
              onClick={() =>
                download(
                  encodeWav16(played?.samples ?? result.samples, result.sampleRate),
                  synthesisFileName({
                    recordingName,
                    sigma: result.sigma,
                    denoise: played?.strength ?? 0,
                    editedMel: result.editedMel,
                  }),
                )
              }
            >
              Export WAV
            </button>
          </div>
          {played && <SynthesisPlots result={result} played={played} width={width} />}
        </>
      )}
    </section>
  );
}
