// The fine-tuning set in the Speech panel's fine-tune section: "Add this
// recording", the list of the set's recordings (name, duration, held out,
// remove), and one line saying what a run trains on and what it holds out.
// With an empty set a run trains on the loaded recording, as it always did.
import { useEffect } from 'react';
import { splitCorpus, splitSeconds } from '../../models/waveglow/finetuneCorpus';
import { HELD_OUT_MAX } from '../../models/waveglow/finetuneData';
import { MEL } from '../../models/mel/melConfig';
import { clock, setSeconds } from '../../state/fineTuneSet';
import {
  fineTuneSetCap,
  getTrainingSource,
  useFineTuneSetStore,
} from '../../state/fineTuneSetStore';
import { useSpeechStore } from '../../state/speechStore';
import { useVocoderFineTuneStore } from '../../state/vocoderFineTuneStore';

/** What a run with these settings trains on and holds out, in words. */
function SourceNote() {
  const segment = useVocoderFineTuneStore((s) => s.settings.segmentSamples);
  // re-render on any change of what getTrainingSource reads
  useFineTuneSetStore((s) => s.set);
  useFineTuneSetStore((s) => s.restored);
  useSpeechStore((s) => s.recording);
  const source = getTrainingSource();
  if (!source.ok) {
    return <p className="muted finetune-note">Load a recording, or add recordings to the set.</p>;
  }
  const split = splitCorpus(source.corpus, segment);
  if (!split.ok) {
    return (
      <p className="finetune-note finetune-worse" data-testid="speech.finetune.source">
        {split.error}
      </p>
    );
  }
  const { train, heldOut } = splitSeconds(split.value);
  const { corpus } = source;
  const what = source.fromSet
    ? `random segments of the ${corpus.recordings.length === 1 ? 'recording' : 'recordings'} ` +
      'in the set, each drawn in proportion to its length'
    : `random segments of the loaded recording, ${source.name} (the set is empty)`;
  const held =
    split.value.mode === 'recording'
      ? `${corpus.recordings[corpus.heldOut!].name} is held out whole (its middle ` +
        `${heldOut.toFixed(2)} s is scored)`
      : `the last 15% of ${corpus.recordings.length === 1 ? 'the' : 'each'} recording is ` +
        `held out (at most ${(HELD_OUT_MAX / MEL.sampleRate).toFixed(2)} s each, ` +
        `${heldOut.toFixed(2)} s in all)`;
  return (
    <p
      className="muted finetune-note"
      data-testid="speech.finetune.source"
      data-mode={split.value.mode}
    >
      A run trains on {what}: {train.toFixed(1)} s of audio; {held}. The model in use changes only
      when you keep the result.
    </p>
  );
}

export function FineTuneSet() {
  const s = useFineTuneSetStore();
  const recording = useSpeechStore((r) => r.recording);
  const { restore } = s;
  useEffect(() => {
    void restore();
  }, [restore]);

  const { recordings, heldOutId } = s.set;
  const locked = s.lockedBy !== null;
  return (
    <div className="finetune-set" data-testid="speech.finetune.set" data-count={recordings.length}>
      <div className="finetune-set-head">
        <h3>Fine-tuning set</h3>
        <span className="muted" data-testid="speech.finetune.set.total">
          {recordings.length} recording{recordings.length === 1 ? '' : 's'},{' '}
          {clock(setSeconds(s.set))} of at most {clock(fineTuneSetCap())}
        </span>
        <button
          type="button"
          data-testid="speech.finetune.set.add"
          disabled={!recording || !s.restored}
          title={recording ? `Add ${recording.name} to the set` : 'Load a recording first'}
          onClick={() => void s.addCurrent()}
        >
          Add this recording to the fine-tuning set
        </button>
      </div>
      {recordings.length > 0 && (
        <ul className="finetune-set-list">
          {recordings.map((r) => (
            <li key={r.id} data-testid="speech.finetune.set.item" data-name={r.name}>
              <span className="finetune-set-name">{r.name}</span>
              <span className="muted finetune-set-duration">
                {(r.samples.length / MEL.sampleRate).toFixed(1)} s
              </span>
              <label
                className="finetune-set-heldout"
                title={
                  recordings.length < 2
                    ? 'Holding out a whole recording needs at least two'
                    : 'Score on this recording only and never train on it'
                }
              >
                <input
                  type="checkbox"
                  data-testid="speech.finetune.set.heldOut"
                  checked={r.id === heldOutId}
                  disabled={recordings.length < 2}
                  onChange={(e) => void s.setHeldOut(e.target.checked ? r.id : null)}
                />
                held out
              </label>
              <button
                type="button"
                className="icon"
                aria-label={`Remove ${r.name} from the set`}
                title={locked ? (s.lockedBy ?? '') : `Remove ${r.name} from the set`}
                data-testid="speech.finetune.set.remove"
                onClick={() => void s.remove(r.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <SourceNote />
      {s.error && (
        <div className="speech-error" data-testid="speech.finetune.set.error" role="alert">
          <span>{s.error}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={s.dismissError}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
