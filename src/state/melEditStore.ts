// The edited log-mel of the Speech panel's recording: brush strokes, time
// stretch and pitch shift (models/mel/melEdit.ts) on top of the recording's
// own log-mel, with undo and reset. The edited mel is the user's work: it is
// saved under 'speech.melEdit' with a fingerprint of its recording, comes
// back when that recording is restored (reload, project import), and is
// dropped when a different recording is loaded. Synthesis takes it instead
// of the original when present (state/synthesisStore.ts).
import { create } from 'zustand';
import {
  clampLog,
  paintStroke,
  pitchShift,
  timeStretch,
  type Brush,
  type BrushTool,
  type CellPoint,
  type EditResult,
  type MelGrid,
} from '../models/mel/melEdit';
import { deleteWork, loadWork, saveWork } from './persist';
import { useSpeechStore, type SpeechRecording } from './speechStore';

export const MEL_EDIT_KEY = 'speech.melEdit';
/** undo steps kept; each holds one [80, frames] float32 mel (~0.3 MB for 10 s) */
export const UNDO_LIMIT = 20;

/** Which recording an edit belongs to: name, length and a hash of the samples. */
export interface RecordingFingerprint {
  name: string;
  samples: number;
  /** FNV-1a over the samples' float32 bits */
  hash: number;
}

export interface SavedMelEdit {
  recording: RecordingFingerprint;
  bands: number;
  frames: number;
  /** row-major [bands, frames] */
  data: Float32Array;
}

interface MelEditState {
  /** the edited mel; null while the recording is unedited */
  edited: MelGrid | null;
  /** steps `undo` can take back */
  undoDepth: number;
  /** a refused edit or a failed save, for the editor to show */
  error: string | null;
  /** starts a stroke on the current mel (one undo step for the whole stroke) */
  beginStroke(): void;
  /** redraws the stroke so far: all its points, from the mel it started on */
  strokeTo(points: readonly CellPoint[], tool: BrushTool, strength: number, brush: Brush): void;
  endStroke(): void;
  stretchTime(factor: number): void;
  shiftPitch(semitones: number): void;
  undo(): void;
  /** back to the recording's own log-mel (undoable) */
  reset(): void;
  dismissError(): void;
}

// hot data outside `set`: the undo history and the running stroke
const internal = {
  /** earlier states, oldest first; null stands for the unedited original */
  history: [] as Array<MelGrid | null>,
  strokeBase: null as MelGrid | null,
  /** increments when the recording changes; a stale restore drops its result */
  ticket: 0,
};

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function fingerprint(recording: SpeechRecording): RecordingFingerprint {
  const bits = new Uint32Array(
    recording.samples.buffer,
    recording.samples.byteOffset,
    recording.samples.length,
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i], 0x01000193) >>> 0;
  return { name: recording.name, samples: recording.samples.length, hash };
}

function sameRecording(a: RecordingFingerprint, b: RecordingFingerprint): boolean {
  return a.name === b.name && a.samples === b.samples && a.hash === b.hash;
}

/** The saved edit as a mel grid when it is well-formed and belongs to `fp`, else null. */
export function savedEditFor(
  saved: unknown,
  fp: RecordingFingerprint,
  bands: number,
): MelGrid | null {
  const s = saved as Partial<SavedMelEdit> | undefined;
  if (!s || typeof s !== 'object' || !s.recording || typeof s.recording !== 'object') return null;
  if (!sameRecording(s.recording, fp)) return null;
  if (s.bands !== bands || !Number.isInteger(s.frames) || (s.frames as number) < 1) return null;
  if (!(s.data instanceof Float32Array) || s.data.length !== bands * (s.frames as number)) {
    return null;
  }
  // an imported file may hold anything: keep the values in range
  return { data: s.data.map(clampLog), bands, frames: s.frames as number };
}

/** The mel edits start from: the edited one, else the recording's own. */
function currentMel(edited: MelGrid | null): MelGrid | null {
  if (edited) return edited;
  const mel = useSpeechStore.getState().logMel;
  return mel ? { data: mel.data, bands: mel.bands, frames: mel.frames } : null;
}

function pushHistory(entry: MelGrid | null): number {
  internal.history.push(entry);
  if (internal.history.length > UNDO_LIMIT) internal.history.shift();
  return internal.history.length;
}

export const useMelEditStore = create<MelEditState>()((set, getState) => {
  /** Saves the edit now (debounced by persist), or deletes it when back to the original. */
  const persist = (edited: MelGrid | null): void => {
    const recording = useSpeechStore.getState().recording;
    if (!recording) return;
    const done = edited
      ? saveWork(MEL_EDIT_KEY, {
          recording: fingerprint(recording),
          bands: edited.bands,
          frames: edited.frames,
          data: edited.data,
        } satisfies SavedMelEdit)
      : deleteWork(MEL_EDIT_KEY);
    done.catch((err: unknown) =>
      set({ error: `The edited spectrogram could not be saved: ${messageOf(err)}` }),
    );
  };

  const applyWhole = (edit: (mel: MelGrid) => EditResult): void => {
    const base = currentMel(getState().edited);
    if (!base) return set({ error: 'Load a recording before editing its spectrogram.' });
    const result = edit(base);
    if (!result.ok) return set({ error: result.error });
    const undoDepth = pushHistory(getState().edited);
    set({ edited: result.value, undoDepth, error: null });
    persist(result.value);
  };

  return {
    edited: null,
    undoDepth: 0,
    error: null,

    beginStroke: () => {
      const base = currentMel(getState().edited);
      if (!base) return set({ error: 'Load a recording before editing its spectrogram.' });
      internal.strokeBase = base;
      set({ undoDepth: pushHistory(getState().edited), error: null });
    },

    strokeTo: (points, tool, strength, brush) => {
      const base = internal.strokeBase;
      if (!base || points.length === 0) return;
      set({ edited: paintStroke(base, points, tool, strength, brush) });
    },

    endStroke: () => {
      if (!internal.strokeBase) return;
      internal.strokeBase = null;
      persist(getState().edited);
    },

    stretchTime: (factor) => applyWhole((mel) => timeStretch(mel, factor)),

    shiftPitch: (semitones) => applyWhole((mel) => pitchShift(mel, semitones)),

    undo: () => {
      if (internal.history.length === 0) return;
      internal.strokeBase = null;
      const edited = internal.history.pop() ?? null;
      set({ edited, undoDepth: internal.history.length, error: null });
      persist(edited);
    },

    reset: () => {
      const { edited } = getState();
      if (!edited) return;
      internal.strokeBase = null;
      set({ edited: null, undoDepth: pushHistory(edited), error: null });
      persist(null);
    },

    dismissError: () => set({ error: null }),
  };
});

/** The edited mel synthesis should use, or null when there is no edit. */
export function getEditedMel(): MelGrid | null {
  return useMelEditStore.getState().edited;
}

/**
 * Follows the speech store's recording: a restored recording gets its saved
 * edit back; a different recording clears the edit and its saved copy.
 */
async function followRecording(recording: SpeechRecording | null): Promise<void> {
  const mine = ++internal.ticket;
  internal.history = [];
  internal.strokeBase = null;
  useMelEditStore.setState({ edited: null, undoDepth: 0, error: null });
  const mel = useSpeechStore.getState().logMel;
  if (!recording || !mel) return; // nothing shown (e.g. during a project import)
  let saved: unknown;
  try {
    saved = await loadWork(MEL_EDIT_KEY);
  } catch (err) {
    if (mine === internal.ticket) {
      useMelEditStore.setState({
        error: `The saved spectrogram edit could not be read: ${messageOf(err)}`,
      });
    }
    return;
  }
  if (mine !== internal.ticket || saved === undefined) return;
  const edit = savedEditFor(saved, fingerprint(recording), mel.bands);
  // the user may have started editing while the saved edit was read
  if (edit && !useMelEditStore.getState().edited && internal.history.length === 0) {
    useMelEditStore.setState({ edited: edit });
  } else if (!edit) {
    // it belongs to another recording (or is damaged): a new recording starts unedited
    await deleteWork(MEL_EDIT_KEY).catch(() => undefined);
  }
}

useSpeechStore.subscribe((state, prev) => {
  if (state.recording !== prev.recording) void followRecording(state.recording);
});
if (useSpeechStore.getState().recording) void followRecording(useSpeechStore.getState().recording);

// ---- test hook

/**
 * window.__semilabMelEdit: a read-only handle for end-to-end tests.
 *   getEdited()    -> { data: number[] (row-major [bands, frames]), bands, frames } or null
 *   getUndoDepth() -> number
 */
export interface MelEditTestHook {
  getEdited(): { data: number[]; bands: number; frames: number } | null;
  getUndoDepth(): number;
}

declare global {
  interface Window {
    __semilabMelEdit?: MelEditTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabMelEdit = {
    getEdited: () => {
      const e = useMelEditStore.getState().edited;
      return e ? { data: Array.from(e.data), bands: e.bands, frames: e.frames } : null;
    },
    getUndoDepth: () => useMelEditStore.getState().undoDepth,
  };
}
