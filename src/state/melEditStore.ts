// The edited log-mel of the Speech panel's recording: brush strokes, time
// stretch and pitch shift (models/mel/melEdit.ts) on top of the recording's
// own log-mel, with undo and reset. The edited mel and its undo history (an
// edit log, models/mel/melEditLog.ts) are the user's work: they are saved
// under 'speech.melEdit' with a fingerprint of its recording, come
// back when that recording is restored (reload, project import), and are
// dropped when a different recording is loaded. Synthesis takes it instead
// of the original when present (state/synthesisStore.ts).
import { create } from 'zustand';
import {
  StrokePainter,
  type Brush,
  type BrushTool,
  type CellPoint,
  type MelGrid,
} from '../models/mel/melEdit';
import {
  applyOp,
  MAX_STROKE_POINTS,
  replay,
  validateGrid,
  validateOps,
  type EditOp,
} from '../models/mel/melEditLog';
import { deleteWork, loadWork, registerWorkCheck, saveWork } from './persist';
import { useSpeechStore, type SpeechRecording } from './speechStore';

export const MEL_EDIT_KEY = 'speech.melEdit';
// only its shape: whether it fits the recording is judged when that recording loads
registerWorkCheck(MEL_EDIT_KEY, (v) => {
  const recording = (v as { recording?: unknown } | null)?.recording;
  return recording && typeof recording === 'object' ? null : 'is not a saved spectrogram edit';
});
/**
 * Undo steps kept, in memory and in the saved work, as an edit log
 * (models/mel/melEditLog.ts). At the cap the oldest step is folded into the
 * log's base mel and can no longer be undone; saved work then holds at most
 * two whole mels (the base and the current edit) plus the last 20 steps'
 * parameters (a stroke: up to MAX_STROKE_POINTS points).
 */
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
  /** frames of `data` (0 when unedited) */
  frames: number;
  /** the edited mel, row-major [bands, frames]; null: unedited (e.g. after a reset) */
  data: Float32Array | null;
  /** the undo history: ops replayed from base (null: the recording's own mel) */
  history?: { base: MelGrid | null; ops: EditOp[] };
}

/** The edited mel as shown; a brush move changes `data` in place and says where. */
export interface EditedMel extends MelGrid {
  /** increments with every change */
  revision: number;
  /** set when this revision only changed frames from..to of revision `after`, in place */
  patch: { after: number; fromFrame: number; toFrame: number } | null;
}

interface MelEditState {
  /** the edited mel; null while the recording is unedited */
  edited: EditedMel | null;
  /** steps `undo` can take back */
  undoDepth: number;
  /** a refused edit or a failed save, for the editor to show */
  error: string | null;
  /** starts a stroke on the current mel (one undo step for the whole stroke) */
  beginStroke(): void;
  /**
   * Continues the stroke with `points`, all of them so far (the ones not seen
   * yet are painted); the tool, strength and brush of its first call hold for the stroke.
   */
  strokeTo(points: readonly CellPoint[], tool: BrushTool, strength: number, brush: Brush): void;
  endStroke(): void;
  stretchTime(factor: number): void;
  shiftPitch(semitones: number): void;
  undo(): void;
  /** back to the recording's own log-mel (undoable) */
  reset(): void;
  dismissError(): void;
}

type StrokeOp = Extract<EditOp, { kind: 'stroke' }>;

// hot data outside `set`: the edit log and the running stroke
const internal = {
  /** the mel the log starts from; null stands for the unedited original */
  base: null as MelGrid | null,
  /** the undo history, oldest first: edited = replay(base, ops) */
  ops: [] as EditOp[],
  stroking: false,
  painter: null as StrokePainter | null,
  strokeOp: null as StrokeOp | null,
  /** points of the canvas's point list already painted */
  seen: 0,
  revision: 0,
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

export interface RestoredMelEdit {
  edited: MelGrid | null;
  base: MelGrid | null;
  /** empty when no history was saved or it is damaged (the edit itself is kept) */
  ops: EditOp[];
}

/** The saved edit and its history when well-formed and of the recording `fp`, else null. */
export function savedEditFor(
  saved: unknown,
  fp: RecordingFingerprint,
  bands: number,
): RestoredMelEdit | null {
  const s = saved as Partial<SavedMelEdit> | undefined;
  if (!s || typeof s !== 'object' || !s.recording || typeof s.recording !== 'object') return null;
  if (!sameRecording(s.recording, fp)) return null;
  const edited = s.data === null ? null : validateGrid(s, bands);
  if (s.data !== null && !edited) return null;
  const h = s.history;
  const base = h && h.base !== null ? validateGrid(h.base, bands) : null;
  const ops = h && (h.base === null || base) ? validateOps(h.ops, UNDO_LIMIT) : null;
  if (!edited && !ops?.length) return null;
  return { edited, base: ops ? base : null, ops: ops ?? [] };
}

/** The recording's own log-mel as a grid. */
function originalMel(): MelGrid | null {
  const mel = useSpeechStore.getState().logMel;
  return mel ? { data: mel.data, bands: mel.bands, frames: mel.frames } : null;
}

function shown(mel: MelGrid, patch: EditedMel['patch'] = null): EditedMel {
  return {
    data: mel.data,
    bands: mel.bands,
    frames: mel.frames,
    revision: ++internal.revision,
    patch,
  };
}

/** Appends `op` to the log; past the cap the oldest op is folded into the base. */
function pushOp(op: EditOp, original: MelGrid): number {
  internal.ops.push(op);
  while (internal.ops.length > UNDO_LIMIT) {
    internal.base = applyOp(internal.base, original, internal.ops.shift() as EditOp);
  }
  return internal.ops.length;
}

function endStrokeState(): void {
  internal.stroking = false;
  internal.painter = null;
  internal.strokeOp = null;
  internal.seen = 0;
}

export const useMelEditStore = create<MelEditState>()((set, getState) => {
  /** Saves the edit and its history (debounced by persist), or deletes it when there is none. */
  const persist = (): void => {
    const recording = useSpeechStore.getState().recording;
    const original = originalMel();
    if (!recording || !original) return;
    const { edited } = getState();
    const done =
      edited || internal.ops.length > 0 || internal.base
        ? saveWork(MEL_EDIT_KEY, {
            recording: fingerprint(recording),
            bands: original.bands,
            frames: edited?.frames ?? 0,
            data: edited?.data ?? null,
            // NOTE: copies: saveWork holds the value until it is written
            history: { base: internal.base, ops: internal.ops.slice() },
          } satisfies SavedMelEdit)
        : deleteWork(MEL_EDIT_KEY);
    done.catch((err: unknown) =>
      set({ error: `The edited spectrogram could not be saved: ${messageOf(err)}` }),
    );
  };

  const applyWhole = (op: EditOp): void => {
    const original = originalMel();
    if (!original) return set({ error: 'Load a recording before editing its spectrogram.' });
    endStrokeState();
    let next: MelGrid | null;
    try {
      next = applyOp(getState().edited, original, op);
    } catch (err) {
      return set({ error: messageOf(err) });
    }
    const undoDepth = pushOp(op, original);
    set({ edited: next && shown(next), undoDepth, error: null });
    persist();
  };

  return {
    edited: null,
    undoDepth: 0,
    error: null,

    beginStroke: () => {
      if (!originalMel()) return set({ error: 'Load a recording before editing its spectrogram.' });
      endStrokeState();
      internal.stroking = true;
      set({ error: null });
    },

    strokeTo: (points, tool, strength, brush) => {
      const original = originalMel();
      if (!internal.stroking || !original) return;
      if (!internal.painter || !internal.strokeOp) {
        const base = getState().edited ?? original;
        internal.painter = new StrokePainter(base, tool, strength, brush);
        internal.strokeOp = { kind: 'stroke', tool, strength, brush: { ...brush }, points: [] };
        set({ undoDepth: pushOp(internal.strokeOp, original) });
      }
      const op = internal.strokeOp;
      const fresh: CellPoint[] = [];
      for (let i = internal.seen; i < points.length; i++) {
        const p = points[i];
        if (!Number.isFinite(p.frame) || !Number.isFinite(p.band)) continue;
        if (op.points.length >= 2 * MAX_STROKE_POINTS) break;
        op.points.push(p.frame, p.band);
        fresh.push(p);
      }
      internal.seen = points.length;
      const before = getState().edited;
      const box = internal.painter.addPoints(fresh);
      const out = internal.painter.out;
      if (before && before.data === out.data) {
        if (!box) return;
        const patch = { after: before.revision, fromFrame: box.fromFrame, toFrame: box.toFrame };
        set({ edited: shown(out, patch) });
      } else {
        set({ edited: shown(out) });
      }
    },

    endStroke: () => {
      if (!internal.stroking) return;
      const painted = internal.painter !== null;
      endStrokeState();
      if (painted) persist();
    },

    stretchTime: (factor) => applyWhole({ kind: 'stretch', factor }),

    shiftPitch: (semitones) => applyWhole({ kind: 'pitch', semitones }),

    undo: () => {
      const original = originalMel();
      if (internal.ops.length === 0 || !original) return;
      endStrokeState();
      internal.ops.pop();
      let edited: MelGrid | null;
      try {
        edited = replay(internal.base, original, internal.ops);
      } catch (err) {
        return set({ error: `Undo failed: ${messageOf(err)}` });
      }
      set({ edited: edited && shown(edited), undoDepth: internal.ops.length, error: null });
      persist();
    },

    reset: () => {
      if (!getState().edited) return;
      applyWhole({ kind: 'reset' });
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
  internal.base = null;
  internal.ops = [];
  endStrokeState();
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
  const restored = savedEditFor(saved, fingerprint(recording), mel.bands);
  // the user may have started editing while the saved edit was read
  if (restored && !useMelEditStore.getState().edited && internal.ops.length === 0) {
    internal.base = restored.base;
    internal.ops = restored.ops;
    useMelEditStore.setState({
      edited: restored.edited && shown(restored.edited),
      undoDepth: restored.ops.length,
    });
  } else if (!restored) {
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
