// What fine-tuning WaveGlow on one or more recordings trains on, as
// training/waveglow/data.py does it: random segments of the audio, each with
// the log-mel of that segment alone (its own reflect padding), plus held-out
// audio that training never sees: the end of each recording, or one whole
// recording the user set aside. Pure except segmentBatch (GPU).
import { fail, ok, type Result } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import { runConcat } from '../../engine/ops/concat';
import { reshape } from '../../engine/ops/reshape';
import { uniformSource } from '../../engine/random';
import { scope, tensor, type Tensor } from '../../engine/tensor';
import { logMel } from '../mel/logMel';
import { MEL } from '../mel/melConfig';

export interface FineTuneSettings {
  /** optimizer steps */
  steps: number;
  /** Adam learning rate at its peak (after the warmup) */
  lr: number;
  /** share of the steps that warm the learning rate up linearly */
  warmup: number;
  /** the last step's learning rate as a share of the peak (cosine decay to it) */
  floor: number;
  /** samples per training segment (a multiple of the hop, 256) */
  segmentSamples: number;
  /** segments per step */
  batch: number;
}

interface Bound {
  min: number;
  max: number;
  label: string;
}

/** Bounds that keep one run on SwiftShader to minutes and on a GPU to seconds. */
export const FINETUNE_BOUNDS: Record<keyof FineTuneSettings, Bound> = {
  steps: { min: 1, max: 2000, label: 'Steps' },
  lr: { min: 1e-6, max: 1e-2, label: 'Learning rate' },
  warmup: { min: 0, max: 0.5, label: 'Warmup share' },
  floor: { min: 0, max: 1, label: 'Final lr share' },
  segmentSamples: { min: 512, max: 16384, label: 'Segment length' },
  batch: { min: 1, max: 8, label: 'Batch' },
};

/**
 * About two minutes on SwiftShader in Chromium (a step of 2 x 1024 samples
 * takes ~8 s there). lr: on LJ001-0001, 10 steps of Adam at a constant 3e-5
 * lowered both the held-out and the training NLL; 1e-4 was neutral and 3e-4
 * made both worse (Adam's first steps move every weight by about lr). With
 * the warmup + cosine schedule (peak 3e-5, 10% warmup, floor 10%), 8 steps
 * took its held-out NLL from -4.6088 to -4.6465 nats per sample, against
 * -4.6355 at a constant 3e-5 (scripts/measure-vocoder-finetune.bench.ts).
 */
export const FINETUNE_DEFAULTS: FineTuneSettings = {
  steps: 12,
  lr: 3e-5,
  warmup: 0.1,
  floor: 0.1,
  segmentSamples: 1024,
  batch: 2,
};

/** sigma of the likelihood, as train.py (--sigma 1.0) */
export const FINETUNE_SIGMA = 1;

/** settings that take any number in their bounds; the others are integers */
const REAL_SETTINGS = new Set<keyof FineTuneSettings>(['lr', 'warmup', 'floor']);

/** Checks each setting against its bounds; the message names every bad field. */
export function checkFineTuneSettings(s: FineTuneSettings): Result<FineTuneSettings> {
  const problems: string[] = [];
  for (const key of Object.keys(FINETUNE_BOUNDS) as (keyof FineTuneSettings)[]) {
    const { min, max, label } = FINETUNE_BOUNDS[key];
    const v = s[key];
    const integer = !REAL_SETTINGS.has(key);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      const kind = integer ? 'an integer' : 'a number';
      problems.push(`${label} (expected ${kind} from ${min} to ${max}, got ${v})`);
    } else if (key === 'segmentSamples' && v % MEL.hop !== 0) {
      problems.push(`${label} (expected a multiple of ${MEL.hop}, got ${v})`);
    }
  }
  if (problems.length > 0) return fail(`Fine-tune settings: ${problems.join('; ')}`);
  return ok(s);
}

/** Where segments come from: [0, trainEnd) trains, [heldOutStart, end) is held out. */
export interface RecordingSplit {
  trainEnd: number;
  heldOutStart: number;
  heldOutEnd: number;
}

/** Share of the recording held out at its end (at least one segment). */
export const HELD_OUT_SHARE = 0.15;
/** At most 0.74 s held out: scoring it twice per run costs ~10 s each on SwiftShader. */
export const HELD_OUT_MAX = 16384;

/**
 * The end of the recording is held out: 15% of it in whole hops, at most
 * 16384 samples, or one segment if that is longer (the very end is often
 * silence, which alone says little). The rest must hold one more segment.
 */
export function splitRecording(samples: number, segment: number): Result<RecordingSplit> {
  if (samples < 2 * segment) {
    const seconds = (n: number) => (n / MEL.sampleRate).toFixed(2);
    return fail(
      `The recording is too short to fine-tune on with ${segment}-sample segments ` +
        `(expected at least ${2 * segment} samples, ${seconds(2 * segment)} s: one segment ` +
        `to train on and one held out; got ${samples}, ${seconds(samples)} s)`,
    );
  }
  const share = Math.floor((samples * HELD_OUT_SHARE) / MEL.hop) * MEL.hop;
  const heldOut = Math.max(segment, Math.min(share, HELD_OUT_MAX));
  const heldOutStart = samples - heldOut;
  return ok({ trainEnd: heldOutStart, heldOutStart, heldOutEnd: samples });
}

/** Seeded uniform integers in [0, n), so a run can be repeated. */
export function seededIndex(seed: number): (n: number) => number {
  const next = uniformSource(seed);
  return (n) => Math.floor(next() * n);
}

export interface SegmentBatch {
  /** [N, 80, segment / hop + 1], each segment's own log-mel */
  mel: Tensor;
  /** [N, segment] */
  audio: Tensor;
}

/**
 * Uploads `segments` (all of one length) and computes each one's log-mel on
 * the GPU (models/mel/logMel, the front end synthesis uses).
 * @returns new tensors (caller disposes)
 */
export async function segmentBatch(
  gpu: Gpu,
  segments: readonly Float32Array[],
): Promise<SegmentBatch> {
  const segment = segments[0]?.length ?? 0;
  if (segment === 0 || segments.some((s) => s.length !== segment)) {
    const lengths = segments.map((s) => s.length).join(', ');
    throw new Error(`segmentBatch: expected segments of one non-zero length (got ${lengths})`);
  }
  const mels: Tensor[] = [];
  const flat = new Float32Array(segments.length * segment);
  try {
    for (const [i, seg] of segments.entries()) {
      flat.set(seg, i * segment);
      mels.push(await logMel(gpu, seg));
    }
    return scope(gpu, () => {
      const [bands, frames] = mels[0].shape;
      const mel = runConcat(
        mels.map((m) => reshape(m, [1, bands, frames])),
        0,
      );
      return { mel, audio: tensor(gpu, flat, [segments.length, segment]) };
    });
  } finally {
    for (const m of mels) m.dispose();
  }
}
