// A line above the synthesis controls while an edited spectrogram exists:
// WaveGlow then synthesises the edit, not the recording's own log-mel.
import { useMelEditStore } from '../../state/melEditStore';

export function EditedMelNote() {
  const frames = useMelEditStore((s) => s.edited?.frames ?? null);
  if (frames === null) return null;
  return (
    <div className="mel-edit-note" data-testid="speech.melEdit.synthesisNote" role="status">
      Synthesising the edited spectrogram ({frames} frames). Reset the edit to synthesise the
      recording’s own; the original recording stays playable above.
    </div>
  );
}
