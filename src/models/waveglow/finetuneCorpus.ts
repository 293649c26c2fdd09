// The recordings a fine-tuning run trains on, and how they are split: either
// the end of every recording is held out (splitRecording), or one recording
// the user set aside is held out whole and the others train on all of their
// audio. Training segments are drawn uniformly over every valid (recording,
// start) pair, so each recording is drawn in proportion to its length.
// Pure: no GPU.
import { fail, ok, type Result } from '../../engine/assert';
import { MEL } from '../mel/melConfig';
import { HELD_OUT_MAX, splitRecording } from './finetuneData';

/** One recording of a run: 22050 Hz mono samples. */
export interface CorpusRecording {
  name: string;
  samples: Float32Array;
}

/** What a run trains on: the recordings, and the index of one held out whole (or null). */
export interface FineTuneCorpus {
  recordings: readonly CorpusRecording[];
  heldOut: number | null;
}

/** Samples [start, end) of recordings[recording]. */
export interface Span {
  recording: number;
  start: number;
  end: number;
}

export interface CorpusSplit {
  /** 'ends': the end of each recording is held out; 'recording': one whole recording */
  mode: 'ends' | 'recording';
  /** per recording, training audio is [0, trainEnds[i]) (0: none) */
  trainEnds: number[];
  /** the held-out audio, scored before and after a run */
  heldOut: Span[];
}

/** A training segment: `segment` samples of recordings[recording] from `start`. */
export interface SegmentPick {
  recording: number;
  start: number;
}

const seconds = (n: number) => `${(n / MEL.sampleRate).toFixed(2)} s`;

/**
 * Splits `corpus` for segments of `segment` samples. A held-out recording
 * needs at least one other recording; it is scored on its middle (at most
 * HELD_OUT_MAX samples, whole hops) to bound the cost of scoring.
 */
export function splitCorpus(corpus: FineTuneCorpus, segment: number): Result<CorpusSplit> {
  const { recordings, heldOut } = corpus;
  if (recordings.length === 0) return fail('Fine-tune: there is no recording to train on');
  if (heldOut === null) {
    const trainEnds: number[] = [];
    const spans: Span[] = [];
    for (const [i, r] of recordings.entries()) {
      const split = splitRecording(r.samples.length, segment);
      if (!split.ok) return fail(`${r.name}: ${split.error}`);
      trainEnds.push(split.value.trainEnd);
      spans.push({ recording: i, start: split.value.heldOutStart, end: split.value.heldOutEnd });
    }
    return ok({ mode: 'ends', trainEnds, heldOut: spans });
  }
  if (!Number.isInteger(heldOut) || heldOut < 0 || heldOut >= recordings.length) {
    return fail(
      `Fine-tune: held-out recording out of range (expected 0..${recordings.length - 1}, ` +
        `got ${heldOut})`,
    );
  }
  if (recordings.length < 2) {
    return fail(
      'Fine-tune: a held-out recording needs at least one other recording to train on ' +
        '(add another recording, or unmark it to hold out the end of each recording)',
    );
  }
  for (const r of recordings) {
    if (r.samples.length < segment) {
      return fail(
        `${r.name} is shorter than one ${segment}-sample segment ` +
          `(expected at least ${seconds(segment)}, got ${seconds(r.samples.length)})`,
      );
    }
  }
  const length = recordings[heldOut].samples.length;
  const scored = Math.max(segment, Math.min(length, HELD_OUT_MAX));
  const start = Math.floor((length - scored) / 2 / MEL.hop) * MEL.hop;
  return ok({
    mode: 'recording',
    trainEnds: recordings.map((r, i) => (i === heldOut ? 0 : r.samples.length)),
    heldOut: [{ recording: heldOut, start, end: start + scored }],
  });
}

/**
 * `count` random segments over all recordings: uniform over every start s
 * with 0 <= s <= trainEnds[i] - segment, so recording i is drawn with
 * weight trainEnds[i] - segment + 1 and one without training audio never.
 * @param next uniform integers in [0, n) (seededIndex)
 */
export function drawCorpusSegments(
  next: (n: number) => number,
  trainEnds: readonly number[],
  segment: number,
  count: number,
): SegmentPick[] {
  const weights = trainEnds.map((end) => Math.max(0, end - segment + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('drawCorpusSegments: no recording holds a training segment');
  return Array.from({ length: count }, () => {
    let r = next(total);
    let recording = 0;
    while (r >= weights[recording]) r -= weights[recording++];
    return { recording, start: r };
  });
}

/** The samples of each pick (views into the recordings, not copies). */
export function pickedSegments(
  corpus: FineTuneCorpus,
  picks: readonly SegmentPick[],
  segment: number,
): Float32Array[] {
  return picks.map(({ recording, start }) =>
    corpus.recordings[recording].samples.subarray(start, start + segment),
  );
}

/** Seconds of training and held-out audio, for the panel's note. */
export function splitSeconds(split: CorpusSplit): { train: number; heldOut: number } {
  const train = split.trainEnds.reduce((a, b) => a + b, 0) / MEL.sampleRate;
  const heldOut = split.heldOut.reduce((a, s) => a + s.end - s.start, 0) / MEL.sampleRate;
  return { train, heldOut };
}
