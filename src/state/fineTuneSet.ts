// The fine-tuning set as saved work: the user's recordings (22050 Hz mono
// float PCM) a vocoder run trains on, and the one marked held out. Pure
// rules: what may be added (the duration cap, no duplicates), what a saved
// value must look like, and the corpus a run gets. The store
// (fineTuneSetStore.ts) applies them and saves the result.
import type { FineTuneCorpus } from '../models/waveglow/finetuneCorpus';
import { MEL } from '../models/mel/melConfig';

/** One recording of the set. */
export interface SetRecording {
  /** stable id (the held-out mark refers to it) */
  id: string;
  name: string;
  /** mono, at MEL.sampleRate (22050 Hz) */
  samples: Float32Array;
}

/** The saved value under FINETUNE_SET_KEY. */
export interface FineTuneSet {
  recordings: SetRecording[];
  /** id of the recording held out whole; null: the end of each recording is held out */
  heldOutId: string | null;
}

export const EMPTY_SET: FineTuneSet = { recordings: [], heldOutId: null };

/** 10 minutes: about 53 MB of float samples in IndexedDB and hours of SwiftShader epochs */
export const SET_MAX_SECONDS_DEFAULT = 600;

export function setSeconds(set: FineTuneSet): number {
  return set.recordings.reduce((a, r) => a + r.samples.length, 0) / MEL.sampleRate;
}

/** m:ss, for durations in the set's list and messages */
export function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function sameSamples(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The set with `recording` appended, or a message saying why not (the set
 * is then unchanged): not 22050 Hz samples, already in the set, or over the cap.
 */
export function withRecording(
  set: FineTuneSet,
  recording: SetRecording,
  maxSeconds: number,
): { ok: true; value: FineTuneSet } | { ok: false; error: string } {
  const { name, samples } = recording;
  if (samples.length === 0 || !samples.every(Number.isFinite)) {
    return { ok: false, error: `${name} holds no usable samples (empty, NaN or infinite)` };
  }
  const twin = set.recordings.find((r) => sameSamples(r.samples, samples));
  if (twin) {
    const as = twin.name === name ? '' : ` (as ${twin.name})`;
    return { ok: false, error: `${name} is already in the fine-tuning set${as}` };
  }
  const seconds = samples.length / MEL.sampleRate;
  const total = setSeconds(set) + seconds;
  if (total > maxSeconds) {
    return {
      ok: false,
      error:
        `Adding ${name} (${seconds.toFixed(1)} s) would make the fine-tuning set ` +
        `${clock(total)} long, over its ${clock(maxSeconds)} cap (expected at most ` +
        `${clock(maxSeconds)}, got ${clock(total)}). Remove a recording first.`,
    };
  }
  return { ok: true, value: { ...set, recordings: [...set.recordings, recording] } };
}

/** The set without recording `id`; a held-out mark needs two recordings, so it goes below that. */
export function withoutRecording(set: FineTuneSet, id: string): FineTuneSet {
  const recordings = set.recordings.filter((r) => r.id !== id);
  const keepMark = set.heldOutId !== id && recordings.length >= 2;
  return { recordings, heldOutId: keepMark ? set.heldOutId : null };
}

/** A saved or imported value as a set, or null when it is not one. */
export function parseFineTuneSet(value: unknown): FineTuneSet | null {
  const v = value as Partial<FineTuneSet> | undefined;
  if (!v || typeof v !== 'object' || !Array.isArray(v.recordings)) return null;
  const ids = new Set<string>();
  for (const r of v.recordings as Partial<SetRecording>[]) {
    const usable =
      !!r &&
      typeof r.id === 'string' &&
      typeof r.name === 'string' &&
      r.samples instanceof Float32Array &&
      r.samples.length > 0 &&
      r.samples.every(Number.isFinite) &&
      !ids.has(r.id);
    if (!usable) return null;
    ids.add(r.id!);
  }
  const heldOutId = typeof v.heldOutId === 'string' && ids.has(v.heldOutId) ? v.heldOutId : null;
  return { recordings: v.recordings as SetRecording[], heldOutId };
}

/** What a run on the set trains on (recordings in the set's order). */
export function setCorpus(set: FineTuneSet): FineTuneCorpus {
  const heldOut = set.recordings.findIndex((r) => r.id === set.heldOutId);
  return {
    recordings: set.recordings.map(({ name, samples }) => ({ name, samples })),
    heldOut: heldOut >= 0 && set.recordings.length >= 2 ? heldOut : null,
  };
}
