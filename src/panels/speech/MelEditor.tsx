// "Edit" mode of the Speech panel's spectrogram: paint on the log-mel with a
// brush, stretch it in time, shift its pitch, undo and reset. The edited mel
// lives in state/melEditStore.ts (saved as the user goes); the synthesis
// below uses it whenever it exists.
import { useMemo, useRef, useState } from 'react';
import type { MelGrid } from '../../models/mel/melEdit';
import { useMelEditStore } from '../../state/melEditStore';
import type { LogMelView } from '../../state/speechStore';
import { MelEditCanvas } from './MelEditCanvas';
import { MelEditTools, type BrushSettings } from './MelEditTools';
import './MelEditor.css';

export interface MelEditorProps {
  /** the recording's own log-mel */
  original: LogMelView;
  /** width of the plot, CSS px */
  width: number;
}

function range(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Largest value in frames from..to of `mel`. */
function framesMax(mel: MelGrid, from: number, to: number): number {
  let hi = -Infinity;
  for (let b = 0; b < mel.bands; b++) {
    for (let f = from; f <= to; f++) hi = Math.max(hi, mel.data[b * mel.frames + f]);
  }
  return hi;
}

/**
 * The colour scale's top: the original's maximum, or the edit's rounded up to
 * 0.5 ln when a raise goes past it (so a stroke rescales, and redraws all, rarely).
 */
function scaleTop(originalHi: number, editedHi: number): number {
  return editedHi > originalHi ? Math.ceil(editedHi * 2) / 2 : originalHi;
}

export function MelEditor({ original, width }: MelEditorProps) {
  const edited = useMelEditStore((s) => s.edited);
  const undoDepth = useMelEditStore((s) => s.undoDepth);
  const error = useMelEditStore((s) => s.error);
  const store = useMelEditStore.getState;
  const [editing, setEditing] = useState(false);
  const [brush, setBrush] = useState<BrushSettings>({ tool: 'raise', radiusBands: 4, strength: 2 });
  const [stretch, setStretch] = useState(1);
  const [semitones, setSemitones] = useState(0);

  const [lo, originalHi] = useMemo(() => range(original.data), [original.data]);
  // a brush move only raises the maximum within the frames it changed
  const lastHi = useRef<{ revision: number; data: Float32Array; hi: number } | null>(null);
  const editedHi = useMemo(() => {
    if (!edited) return -Infinity;
    const prev = lastHi.current;
    // NOTE: idempotent, as React may run a memo twice (StrictMode)
    if (prev && prev.revision === edited.revision && prev.data === edited.data) return prev.hi;
    const p = edited.patch;
    const hi =
      prev && p && prev.data === edited.data && prev.revision === p.after
        ? Math.max(prev.hi, framesMax(edited, p.fromFrame, p.toFrame))
        : range(edited.data)[1];
    lastHi.current = { revision: edited.revision, data: edited.data, hi };
    return hi;
  }, [edited]);
  const shown: MelGrid = edited ?? original;
  const ratio = shown.frames / original.frames;

  return (
    <div className="mel-edit" data-testid="speech.melEdit" data-edited={edited ? 'true' : 'false'}>
      <div className="mel-edit-head">
        <h2>Edited spectrogram</h2>
        <span className="muted" data-testid="speech.melEdit.status">
          {edited
            ? `${edited.frames} frames` +
              (ratio !== 1 ? ` (${ratio.toFixed(2)}× the original's length)` : '') +
              '; the synthesis below uses it.'
            : 'Unedited; the synthesis below uses the recording’s spectrogram.'}
        </span>
        <button
          type="button"
          aria-pressed={editing}
          data-testid="speech.melEdit.toggle"
          onClick={() => setEditing(!editing)}
        >
          {editing ? 'Done editing' : 'Edit'}
        </button>
      </div>
      {editing && (
        <MelEditTools
          brush={brush}
          onBrush={setBrush}
          stretch={stretch}
          onStretchChange={setStretch}
          onStretchApply={() => {
            store().stretchTime(stretch);
            setStretch(1);
          }}
          semitones={semitones}
          onSemitonesChange={setSemitones}
          onPitchApply={() => {
            store().shiftPitch(semitones);
            setSemitones(0);
          }}
          undoDepth={undoDepth}
          onUndo={() => store().undo()}
          canReset={edited !== null}
          onReset={() => store().reset()}
        />
      )}
      {error && (
        <div className="speech-error" data-testid="speech.melEdit.error" role="alert">
          <span>{error}</span>
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => store().dismissError()}
          >
            ×
          </button>
        </div>
      )}
      {(editing || edited) && (
        <MelEditCanvas
          mel={shown}
          lo={lo}
          hi={scaleTop(originalHi, editedHi)}
          width={width}
          radiusBands={brush.radiusBands}
          onStroke={
            editing
              ? {
                  begin: () => store().beginStroke(),
                  move: (points, b) => store().strokeTo(points, brush.tool, brush.strength, b),
                  end: () => store().endStroke(),
                }
              : null
          }
        />
      )}
    </div>
  );
}
