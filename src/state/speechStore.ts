// The Speech panel's state: the loaded recording (22050 Hz mono samples),
// its log-mel spectrogram, progress and the last error. A new file replaces
// the recording only once it decoded and its log-mel was computed, so a bad
// file leaves the previous recording in place. The recording is kept in
// the saved work (state/persist.ts) under 'speech.recording', restored on
// start and again when a project import replaces it.
import { create } from 'zustand';
import type { BackendKind } from '../engine/ort/backendChoice';
import { decodeAudioBrowser } from '../io/decodeAudioBrowser';
import { computeLogMel } from '../jobs/melAnalysis';
import { MEL } from '../models/mel/melConfig';
import { flushWork, loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';

export const RECORDING_KEY = 'speech.recording';

export interface SpeechRecording {
  name: string;
  /** mono, at MEL.sampleRate (22050 Hz) */
  samples: Float32Array;
  sampleRate: number;
  /** the file's own rate; null when the browser decoded a format we cannot inspect */
  originalRate: number | null;
  originalChannels: number;
  resampled: boolean | null;
  downmixed: boolean;
  truncated: boolean;
}

export interface LogMelView {
  /** row-major [bands, frames] */
  data: Float32Array;
  bands: number;
  frames: number;
  /** ms the analysis took (upload, kernels, read back) */
  ms: number;
  /** where it ran: our WGSL or onnxruntime-web wasm */
  backend: BackendKind;
}

export type SpeechStatus = 'idle' | 'restoring' | 'decoding' | 'computing' | 'ready';

interface SpeechState {
  status: SpeechStatus;
  recording: SpeechRecording | null;
  logMel: LogMelView | null;
  /** the original file, for playback (absent after a restore) */
  originalFile: Blob | null;
  error: string | null;
  loadFile(file: File): Promise<void>;
  restore(): Promise<void>;
  dismissError(): void;
}

/** Increments on each load; a load whose ticket is stale drops its result. */
let ticket = 0;
let restoring: Promise<void> | null = null;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const useSpeechStore = create<SpeechState>()((set, getState) => ({
  status: 'idle',
  recording: null,
  logMel: null,
  originalFile: null,
  error: null,

  loadFile: async (file) => {
    const mine = ++ticket;
    const settle = (error: string) => {
      if (mine !== ticket) return;
      set({ error, status: getState().recording ? 'ready' : 'idle' });
    };
    set({ status: 'decoding', error: null });
    let bytes: ArrayBuffer;
    try {
      bytes = await file.arrayBuffer();
    } catch (err) {
      return settle(`${file.name} could not be read: ${messageOf(err)}`);
    }
    const decoded = await decodeAudioBrowser(bytes, file.name, MEL.sampleRate);
    if (mine !== ticket) return;
    if (!decoded.ok) return settle(decoded.error.message);
    const { samples, sampleRate, originalRate, originalChannels, resampled, downmixed, truncated } =
      decoded.value;
    const recording: SpeechRecording = {
      name: file.name,
      samples,
      sampleRate,
      originalRate,
      originalChannels,
      resampled,
      downmixed,
      truncated,
    };
    set({ status: 'computing' });
    let mel: LogMelView;
    try {
      mel = await computeLogMel(samples);
    } catch (err) {
      return settle(`The log-mel of ${file.name} could not be computed: ${messageOf(err)}`);
    }
    if (mine !== ticket) return;
    // written at once (not debounced) and before 'ready': a reload right after
    // the spectrogram appears must find the recording
    let saveError: string | null = null;
    try {
      const saved = saveWork(RECORDING_KEY, recording);
      await flushWork();
      await saved;
    } catch (err) {
      saveError = `${file.name} is loaded but could not be saved for next time: ${messageOf(err)}`;
    }
    if (mine !== ticket) return;
    set({ recording, logMel: mel, originalFile: file, status: 'ready', error: saveError });
  },

  restore: () => {
    restoring ??= (async () => {
      if (getState().recording) return;
      const mine = ++ticket;
      set({ status: 'restoring' });
      let saved: unknown;
      try {
        saved = await loadWork(RECORDING_KEY);
      } catch (err) {
        if (mine === ticket)
          set({
            status: 'idle',
            error: `The saved recording could not be read: ${messageOf(err)}`,
          });
        return;
      }
      if (!isRecording(saved)) {
        if (mine === ticket) {
          set({
            status: 'idle',
            // an absent recording is normal; a malformed one (e.g. imported) is news
            error:
              saved === undefined
                ? null
                : 'The saved recording is not a usable 22050 Hz recording and was ignored.',
          });
        }
        return;
      }
      try {
        const mel = await computeLogMel(saved.samples);
        if (mine === ticket) set({ recording: saved, logMel: mel, status: 'ready' });
      } catch (err) {
        if (mine === ticket) {
          set({
            status: 'idle',
            error: `The saved recording ${saved.name} could not be analysed: ${messageOf(err)}`,
          });
        }
      }
    })();
    return restoring;
  },

  dismissError: () => set({ error: null }),
}));

function isRecording(value: unknown): value is SpeechRecording {
  const r = value as Partial<SpeechRecording> | undefined;
  return (
    !!r &&
    typeof r.name === 'string' &&
    r.samples instanceof Float32Array &&
    r.samples.length > 0 &&
    r.sampleRate === MEL.sampleRate &&
    typeof r.originalChannels === 'number' &&
    r.samples.every(Number.isFinite)
  );
}
registerWorkCheck(RECORDING_KEY, (v) =>
  isRecording(v) ? null : 'is not a usable recording (22050 Hz mono samples, all finite)',
);

// ---- test hook

/**
 * window.__semilabSpeech: a stable read-only handle for end-to-end tests.
 *   getLogMel()    -> { data: number[] (row-major [bands, frames]), bands, frames, backend } or null
 *   getRecording() -> { name, samples (count), sampleRate, originalRate, originalChannels } or null
 *   getSamples()   -> number[]: the recording's 22050 Hz mono samples, or null
 *   getStatus()    -> SpeechStatus
 */
export interface SpeechTestHook {
  getLogMel(): { data: number[]; bands: number; frames: number; backend: BackendKind } | null;
  getRecording(): {
    name: string;
    samples: number;
    sampleRate: number;
    originalRate: number | null;
    originalChannels: number;
  } | null;
  getSamples(): number[] | null;
  getStatus(): SpeechStatus;
}

declare global {
  interface Window {
    __semilabSpeech?: SpeechTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabSpeech = {
    getLogMel: () => {
      const m = useSpeechStore.getState().logMel;
      return m
        ? { data: Array.from(m.data), bands: m.bands, frames: m.frames, backend: m.backend }
        : null;
    },
    getRecording: () => {
      const r = useSpeechStore.getState().recording;
      return r
        ? {
            name: r.name,
            samples: r.samples.length,
            sampleRate: r.sampleRate,
            originalRate: r.originalRate,
            originalChannels: r.originalChannels,
          }
        : null;
    },
    getSamples: () => {
      const r = useSpeechStore.getState().recording;
      return r ? Array.from(r.samples) : null;
    },
    getStatus: () => useSpeechStore.getState().status,
  };
}

// an imported project may bring (or drop) a recording: show what it holds
subscribeWork((event) => {
  if (event.type !== 'imported') return;
  ticket++;
  restoring = null;
  useSpeechStore.setState({ recording: null, logMel: null, originalFile: null, status: 'idle' });
  void useSpeechStore.getState().restore();
});
