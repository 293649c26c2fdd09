// The Speech panel's fine-tuning set: recordings the user added (from a file
// or the microphone, as loaded by speechStore) for the vocoder to train on,
// and which one is held out. Saved at once under 'speech.finetuneSet' (the
// user's work; it travels in project export/import like every saved key) and
// restored on start and after an import. While a run trains, the set is
// locked: edits are refused with a message and change nothing.
import { create } from 'zustand';
import { MEL } from '../models/mel/melConfig';
import type { FineTuneCorpus } from '../models/waveglow/finetuneCorpus';
import {
  EMPTY_SET,
  parseFineTuneSet,
  setCorpus,
  SET_MAX_SECONDS_DEFAULT,
  withoutRecording,
  withRecording,
  type FineTuneSet,
} from './fineTuneSet';
import { flushWork, loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';
import { preconditionError } from './preconditionError';
import { useSpeechStore } from './speechStore';

export const FINETUNE_SET_KEY = 'speech.finetuneSet';
registerWorkCheck(FINETUNE_SET_KEY, (v) =>
  parseFineTuneSet(v) ? null : 'is not a usable fine-tuning set',
);

interface FineTuneSetState {
  set: FineTuneSet;
  /** false until the saved set was read (a run waits for it) */
  restored: boolean;
  /** why edits are refused now (a run is training), or null */
  lockedBy: string | null;
  error: string | null;
  /** adds the recording loaded in the panel */
  addCurrent(): Promise<void>;
  remove(id: string): Promise<void>;
  /** marks `id` held out (null: hold out the end of each recording) */
  setHeldOut(id: string | null): Promise<void>;
  lock(reason: string | null): void;
  dismissError(): void;
  restore(): Promise<void>;
}

let maxSeconds = SET_MAX_SECONDS_DEFAULT;
let restoring: Promise<void> | null = null;

/** The longest the set may be, in seconds. */
export function fineTuneSetCap(): number {
  return maxSeconds;
}

/** Lowers the cap (tests reach it with two short recordings); null: the default. */
export function setFineTuneSetCapForTests(seconds: number | null): void {
  maxSeconds = seconds ?? SET_MAX_SECONDS_DEFAULT;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function newId(): string {
  return crypto.randomUUID();
}

export const useFineTuneSetStore = create<FineTuneSetState>()((set, getState) => {
  /** Applies `next` and writes it now; a failed write is reported, the edit stays. */
  async function commit(next: FineTuneSet): Promise<void> {
    set({ set: next, error: null });
    try {
      const saved = saveWork(FINETUNE_SET_KEY, next);
      await flushWork();
      await saved;
    } catch (err) {
      set({ error: `The fine-tuning set changed but could not be saved: ${messageOf(err)}` });
    }
  }

  /** The refusal message while locked or still restoring, else null. */
  function refusal(): string | null {
    const { lockedBy, restored } = getState();
    if (lockedBy) return `The fine-tuning set cannot change now: ${lockedBy}`;
    if (!restored) return 'The fine-tuning set is still being restored; try again in a moment.';
    return null;
  }

  return {
    set: EMPTY_SET,
    restored: false,
    lockedBy: null,
    error: null,

    addCurrent: async () => {
      const refused = refusal();
      if (refused) return setRefusals.refuse(refused, () => refusal() === null);
      const { recording } = useSpeechStore.getState();
      if (!recording) {
        const message = 'Load a recording first, then add it to the set.';
        return setRefusals.refuse(message, () => useSpeechStore.getState().recording !== null);
      }
      const added = withRecording(
        getState().set,
        { id: newId(), name: recording.name, samples: recording.samples },
        maxSeconds,
      );
      if (!added.ok) return set({ error: added.error });
      await commit(added.value);
    },

    remove: async (id) => {
      const refused = refusal();
      if (refused) return setRefusals.refuse(refused, () => refusal() === null);
      if (!getState().set.recordings.some((r) => r.id === id)) return;
      await commit(withoutRecording(getState().set, id));
    },

    setHeldOut: async (id) => {
      const refused = refusal();
      if (refused) return setRefusals.refuse(refused, () => refusal() === null);
      const current = getState().set;
      if (id !== null && current.recordings.length < 2) {
        const message = 'Holding out a whole recording needs at least two recordings in the set.';
        return setRefusals.refuse(message, () => getState().set.recordings.length >= 2);
      }
      if (id !== null && !current.recordings.some((r) => r.id === id)) return;
      await commit({ ...current, heldOutId: id });
    },

    lock: (reason) => set({ lockedBy: reason }),

    dismissError: () => set({ error: null }),

    restore: () => {
      restoring ??= (async () => {
        let saved: unknown;
        try {
          saved = await loadWork(FINETUNE_SET_KEY);
        } catch (err) {
          set({
            restored: true,
            error: `The saved fine-tuning set could not be read: ${messageOf(err)}`,
          });
          return;
        }
        const parsed = saved === undefined ? EMPTY_SET : parseFineTuneSet(saved);
        set({
          set: parsed ?? EMPTY_SET,
          restored: true,
          error: parsed ? null : 'The saved fine-tuning set is not usable and was ignored.',
        });
      })();
      return restoring;
    },
  };
});

// a refusal ("Load a recording first…", "cannot change now: …") goes once it no longer holds
const setRefusals = preconditionError(
  () => useFineTuneSetStore.getState().error,
  (error) => useFineTuneSetStore.setState({ error }),
);
useSpeechStore.subscribe(() => setRefusals.recheck());
useFineTuneSetStore.subscribe(() => setRefusals.recheck());

/** What a run trains on and how to name it: the set, or the loaded recording when it is empty. */
export type TrainingSource =
  | { ok: true; corpus: FineTuneCorpus; name: string; fromSet: boolean }
  | { ok: false; error: string };

export function getTrainingSource(): TrainingSource {
  const { set, restored } = useFineTuneSetStore.getState();
  if (!restored) {
    return { ok: false, error: 'The fine-tuning set is still being restored; try again.' };
  }
  if (set.recordings.length > 0) {
    const n = set.recordings.length;
    const name = n === 1 ? set.recordings[0].name : `${n} recordings`;
    return { ok: true, corpus: setCorpus(set), name, fromSet: true };
  }
  const { recording } = useSpeechStore.getState();
  if (!recording) {
    return {
      ok: false,
      error:
        'Load a recording first (or add recordings to the fine-tuning set): ' +
        'fine-tuning trains the vocoder on it.',
    };
  }
  const corpus = {
    recordings: [{ name: recording.name, samples: recording.samples }],
    heldOut: null,
  };
  return { ok: true, corpus, name: recording.name, fromSet: false };
}

// an imported project brings its own set (or none)
subscribeWork((event) => {
  if (event.type !== 'imported') return;
  restoring = null;
  useFineTuneSetStore.setState({ set: EMPTY_SET, restored: false, error: null });
  void useFineTuneSetStore.getState().restore();
});

// ---- test hook

/**
 * window.__semilabFineTuneSet: a read-only handle for end-to-end tests.
 *   getState() -> { names, seconds (per recording), heldOut (name or null), restored, error }
 */
export interface FineTuneSetTestHook {
  getState(): {
    names: string[];
    seconds: number[];
    heldOut: string | null;
    restored: boolean;
    error: string | null;
  };
}

declare global {
  interface Window {
    __semilabFineTuneSet?: FineTuneSetTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabFineTuneSet = {
    getState: () => {
      const { set, restored, error } = useFineTuneSetStore.getState();
      return {
        names: set.recordings.map((r) => r.name),
        seconds: set.recordings.map((r) => r.samples.length / MEL.sampleRate),
        heldOut: set.recordings.find((r) => r.id === set.heldOutId)?.name ?? null,
        restored,
        error,
      };
    },
  };
}
