// The log-mel of the synthesis as it is played and exported: the result's own
// log-mel at denoise strength 0, else the log-mel of the denoised audio
// (state/denoiseStore.ts), computed after the denoised audio settles (so
// never while the slider moves) and memoised per result and strength, so
// going back to a strength shows its plot at once. One analysis runs at a
// time; strengths passed over while it runs are skipped.
import { computeLogMel } from '../jobs/melAnalysis';
import { create } from 'zustand';
import { useDenoiseStore, type DenoisedAudio } from './denoiseStore';
import type { LogMelView } from './speechStore';
import { useSynthesisStore } from './synthesisStore';

/** strengths remembered per result (each a [80, frames] float32 mel) */
export const MEL_MEMO_LIMIT = 12;

export interface PlayedMel {
  /** the result samples the denoised audio was made from */
  source: Float32Array;
  strength: number;
  mel: LogMelView;
}

interface PlayedMelState {
  /** the latest denoised log-mel computed for the current result; null before any */
  latest: PlayedMel | null;
  /** the analysis error of the last attempt, if it failed */
  error: string | null;
  /** the strength being analysed now, or null */
  computing: number | null;
}

export const usePlayedMelStore = create<PlayedMelState>()(() => ({
  latest: null,
  error: null,
  computing: null,
}));

const memo = new WeakMap<Float32Array, Map<number, LogMelView>>();
let running = false;
let wanted: DenoisedAudio | null = null;

/** The memoised log-mel of `source` denoised at `strength`, if computed. */
export function getDenoisedMel(source: Float32Array, strength: number): LogMelView | null {
  return memo.get(source)?.get(strength) ?? null;
}

function remember(source: Float32Array, strength: number, mel: LogMelView): void {
  let byStrength = memo.get(source);
  if (!byStrength) memo.set(source, (byStrength = new Map()));
  byStrength.set(strength, mel);
  // oldest first: a Map iterates in insertion order
  while (byStrength.size > MEL_MEMO_LIMIT) byStrength.delete(byStrength.keys().next().value!);
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (wanted) {
      const d = wanted;
      wanted = null;
      const cached = getDenoisedMel(d.source, d.strength);
      if (cached) {
        usePlayedMelStore.setState({
          latest: { source: d.source, strength: d.strength, mel: cached },
        });
        continue;
      }
      usePlayedMelStore.setState({ computing: d.strength });
      try {
        const mel = await computeLogMel(d.samples);
        remember(d.source, d.strength, mel);
        if (useSynthesisStore.getState().result?.samples === d.source) {
          usePlayedMelStore.setState({
            latest: { source: d.source, strength: d.strength, mel },
            error: null,
          });
        }
      } catch (err) {
        usePlayedMelStore.setState({ error: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    running = false;
    usePlayedMelStore.setState({ computing: null });
  }
}

useDenoiseStore.subscribe((state, prev) => {
  if (state.denoised === prev.denoised || !state.denoised) return;
  wanted = state.denoised;
  void drain();
});

useSynthesisStore.subscribe((state, prev) => {
  if (state.result?.samples !== prev.result?.samples) {
    usePlayedMelStore.setState({ latest: null, error: null });
  }
});

// ---- what the synthesis plots show, for the test hook (app/debugHook.ts)

export interface PlottedSynthesis {
  /** denoise strength of the plotted waveform (0: the raw synthesis) */
  waveformStrength: number;
  waveform: Float32Array;
  /** denoise strength of the plotted log-mel; null while none is plotted */
  melStrength: number | null;
  mel: LogMelView | null;
}

let plotted: PlottedSynthesis | null = null;

/** Called by the plots (panels/speech/SynthesisPlots.tsx) with what they drew. */
export function notePlotted(p: PlottedSynthesis | null): void {
  plotted = p;
}

/** What the synthesis plots show now, as plain arrays; null when there are none. */
export function getPlottedSynthesis(): {
  waveformStrength: number;
  waveform: number[];
  melStrength: number | null;
  mel: { data: number[]; bands: number; frames: number } | null;
} | null {
  if (!plotted) return null;
  const { mel } = plotted;
  return {
    waveformStrength: plotted.waveformStrength,
    waveform: Array.from(plotted.waveform),
    melStrength: plotted.melStrength,
    mel: mel && { data: Array.from(mel.data), bands: mel.bands, frames: mel.frames },
  };
}
