// "Fine-tune the vocoder" in the Speech panel: which WaveGlow synthesis uses
// (default or kept fine-tuned, with Revert and Export), the fine-tuning set
// (FineTuneSet), the run's settings, Start / Cancel, the live loss curve with
// the step's learning rate, Keep / Discard of a finished run, and a score
// (the vocoder's NLL on the held-out audio) that shows which model is in use.
import { useEffect, useState } from 'react';
import { FINETUNE_BOUNDS, type FineTuneSettings } from '../../models/waveglow/finetuneData';
import { useBackendStore } from '../../state/backendStore';
import { useFineTuneSetStore } from '../../state/fineTuneSetStore';
import { useVocoderFineTuneStore } from '../../state/vocoderFineTuneStore';
import { useSpeechStore } from '../../state/speechStore';
import { ExportWeights } from './ExportWeights';
import { FineTuneSet } from './FineTuneSet';
import { LossCurve } from './LossCurve';
import './FineTuneSection.css';

export interface FineTuneSectionProps {
  /** width of the loss curve, CSS px */
  width: number;
}

const FIELDS: Array<{ key: keyof FineTuneSettings; hint: string }> = [
  { key: 'steps', hint: 'Adam updates; each takes seconds on a software GPU' },
  { key: 'lr', hint: 'peak Adam learning rate; above ~1e-4 a few steps make the model worse' },
  { key: 'warmup', hint: 'share of the steps whose learning rate rises linearly to the peak' },
  { key: 'floor', hint: 'the last step’s learning rate as a share of the peak (cosine decay)' },
  { key: 'segmentSamples', hint: 'samples per training segment, a multiple of 256' },
  { key: 'batch', hint: 'segments per step' },
];

/** A number input that shows what the user typed and commits only valid values. */
function SettingField({ name, hint }: { name: keyof FineTuneSettings; hint: string }) {
  const value = useVocoderFineTuneStore((s) => s.settings[name]);
  const setSetting = useVocoderFineTuneStore((s) => s.setSetting);
  const disabled = useVocoderFineTuneStore((s) => s.phase === 'running' || s.phase === 'keeping');
  const [draft, setDraft] = useState(String(value));
  // a restore or import replaces the value: show it
  useEffect(() => setDraft((d) => (Number(d) === value ? d : String(value))), [value]);
  const { label, min, max } = FINETUNE_BOUNDS[name];
  return (
    <label className="finetune-field" title={`${hint} (${min}–${max})`}>
      <span>{label}</span>
      <input
        type="text"
        inputMode="decimal"
        value={draft}
        disabled={disabled}
        data-testid={`speech.finetune.${name}`}
        onChange={(e) => {
          setDraft(e.target.value);
          const text = e.target.value.trim();
          setSetting(name, text === '' ? Number.NaN : Number(text));
        }}
      />
    </label>
  );
}

function nats(v: number): string {
  return `${v.toFixed(4)} nats`;
}

export function FineTuneSection({ width }: FineTuneSectionProps) {
  const s = useVocoderFineTuneStore();
  const recording = useSpeechStore((r) => r.recording);
  const setCount = useFineTuneSetStore((t) => t.set.recordings.length);
  const noWebGpu = useBackendStore((b) => b.state) === 'unavailable';
  const backendMessage = useBackendStore((b) => b.message);
  const { restore } = s;
  useEffect(() => {
    void restore();
  }, [restore]);

  const running = s.phase === 'running';
  const busy = running || s.phase === 'keeping';
  const showCurve = running || s.points.length > 0;
  const steps = s.outcome?.steps ?? s.settings.steps;
  const lastPoint = s.points.at(-1);
  return (
    <section className="finetune" data-testid="speech.finetune" data-phase={s.phase}>
      <h2>Fine-tune the vocoder on your recordings</h2>
      {noWebGpu && (
        <div className="speech-note" data-testid="speech.finetune.nowebgpu" role="note">
          Fine-tuning and scoring run WaveGlow on the GPU and need WebGPU, which this page cannot
          use{backendMessage ? `: ${backendMessage}` : '.'} Synthesis still works (wasm).
        </div>
      )}
      <div
        className="finetune-active"
        data-testid="speech.finetune.active"
        data-kept={s.activeLabel ? 'true' : 'false'}
      >
        <span>
          Vocoder in use: <strong>{s.activeLabel ?? 'default WaveGlow'}</strong>
        </span>
        <button
          type="button"
          data-testid="speech.finetune.score"
          disabled={noWebGpu || s.scoring || (!recording && setCount === 0)}
          title="NLL per sample of the vocoder in use on the audio a run holds out"
          onClick={s.scoreActive}
        >
          {s.scoring ? 'Scoring…' : 'Score the vocoder'}
        </button>
        {s.activeLabel && (
          <>
            <ExportWeights label={s.activeLabel} onExport={s.exportWeights} />
            <button
              type="button"
              data-testid="speech.finetune.revert"
              disabled={busy}
              onClick={() => void s.revert()}
            >
              Revert to default model
            </button>
          </>
        )}
      </div>

      <FineTuneSet />

      <div className="finetune-controls">
        {FIELDS.map((f) => (
          <SettingField key={f.key} name={f.key} hint={f.hint} />
        ))}
        {running ? (
          <button type="button" data-testid="speech.finetune.cancel" onClick={s.cancel}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            data-testid="speech.finetune.start"
            disabled={noWebGpu || busy || s.phase === 'trained' || s.settingError !== null}
            onClick={s.start}
          >
            Fine-tune
          </button>
        )}
      </div>
      {(busy || s.phase === 'trained') && s.runRecording && (
        <p className="finetune-note" data-testid="speech.finetune.progress">
          {running && lastPoint
            ? `Training on ${s.runRecording}: step ${lastPoint.step} of ${steps}, ` +
              `NLL ${lastPoint.loss.toFixed(3)}, lr ${lastPoint.lr.toExponential(1)}`
            : running
              ? `Training on ${s.runRecording}: scoring the held-out audio first…`
              : `Trained on ${s.runRecording}.`}
        </p>
      )}
      {s.settingError && (
        <div className="speech-error" data-testid="speech.finetune.settingError" role="alert">
          {s.settingError}
        </div>
      )}

      {showCurve && (
        <LossCurve
          points={s.points}
          totalSteps={steps}
          width={Math.min(width, 640)}
          reference={s.heldOutBefore}
        />
      )}
      {showCurve && (
        <p className="muted finetune-note">
          Dots: training NLL of each step&apos;s random segments (silence scores far lower than
          speech, so it jumps); dashed: held-out NLL before the run.
        </p>
      )}
      {(s.heldOutBefore !== null || s.outcome) && (
        <div className="finetune-figures" data-testid="speech.finetune.figures">
          {s.heldOutBefore !== null && <span>held-out NLL before: {nats(s.heldOutBefore)}</span>}
          {s.outcome && (
            <span data-testid="speech.finetune.after" data-nll={s.outcome.heldOutAfter}>
              after {s.outcome.steps} steps: {nats(s.outcome.heldOutAfter)} (
              {(s.outcome.seconds / 60).toFixed(1)} min)
            </span>
          )}
          {s.outcome && s.outcome.heldOutAfter > s.outcome.heldOutBefore && (
            <span className="finetune-worse" data-testid="speech.finetune.worse">
              The held-out NLL got worse: Discard is advised (try a lower learning rate).
            </span>
          )}
          {s.phase === 'cancelled' && <span>Cancelled: the vocoder in use is unchanged.</span>}
        </div>
      )}
      {(s.phase === 'trained' || s.phase === 'keeping') && (
        <div className="finetune-decide">
          <button
            type="button"
            data-testid="speech.finetune.keep"
            disabled={s.phase === 'keeping'}
            onClick={() => void s.keep()}
          >
            {s.phase === 'keeping' ? 'Keeping…' : 'Keep (use for synthesis)'}
          </button>
          <button
            type="button"
            data-testid="speech.finetune.discard"
            disabled={s.phase === 'keeping'}
            onClick={s.discard}
          >
            Discard
          </button>
        </div>
      )}
      {s.score && (
        <div
          className="finetune-figures"
          data-testid="speech.finetune.score.result"
          data-nll={s.score.nll}
        >
          Score ({s.score.modelLabel}): NLL per sample on {s.score.samples} held-out samples of{' '}
          {s.score.recordingName}: <strong>{nats(s.score.nll)}</strong>
        </div>
      )}
      {s.error && (
        <div className="speech-error" data-testid="speech.finetune.error" role="alert">
          {s.error}
        </div>
      )}
    </section>
  );
}
