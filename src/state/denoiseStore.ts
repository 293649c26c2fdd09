// The WaveGlow denoiser applied to the synthesis result: the strength (saved
// work under 'speech.denoise'), the bias spectrum of the model that made the
// result (a short job, once per model), and the result denoised on the CPU
// whenever the result, the bias or the strength changes. WaveGlow itself is
// not run again. The player and the export use getPlayed().
import { create } from 'zustand';
import { denoiserBias, type BiasVocoder } from '../jobs/denoiserBias';
import { startJob } from '../jobs/jobRunner';
import { requireSynthesisVocoder } from '../jobs/waveGlowInference';
import {
  clampStrength,
  denoise,
  MAX_DENOISE_STRENGTH,
  type BiasSpectrum,
} from '../models/waveglow/denoiser';
import { loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';
import { useSynthesisStore, type SynthesisView } from './synthesisStore';

export const DENOISE_KEY = 'speech.denoise';
registerWorkCheck(DENOISE_KEY, (v) => {
  const s = (v as { strength?: unknown } | null)?.strength;
  const usable = typeof s === 'number' && s >= 0 && s <= MAX_DENOISE_STRENGTH;
  return usable
    ? null
    : `has a denoise strength of ${String(s)} (expected 0 to ${MAX_DENOISE_STRENGTH})`;
});

export interface DenoiseSettings {
  /** multiple of the bias spectrum subtracted from every frame, 0..0.5 */
  strength: number;
}

export type BiasPhase = 'idle' | 'running' | 'ready' | 'failed';

export interface DenoisedAudio {
  /** the result samples this was made from */
  source: Float32Array;
  strength: number;
  samples: Float32Array;
}

interface DenoiseState extends DenoiseSettings {
  biasPhase: BiasPhase;
  bias: BiasSpectrum | null;
  biasError: string | null;
  /** the current result denoised at `strength`; null at strength 0 or before the bias */
  denoised: DenoisedAudio | null;
  setStrength(strength: number): void;
  restore(): Promise<void>;
}

/** ms the slider rests before the audio is recomputed (a long result takes ~1 s) */
const RECOMPUTE_DELAY_MS = 120;

let recomputeTimer: ReturnType<typeof setTimeout> | null = null;
/** the model whose bias is in the store (or being computed) */
let biasModel: BiasVocoder | null = null;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const useDenoiseStore = create<DenoiseState>()((set, getState) => ({
  strength: 0,
  biasPhase: 'idle',
  bias: null,
  biasError: null,
  denoised: null,

  setStrength: (strength) => {
    const next = clampStrength(strength);
    // off at once: the player must not keep the denoised audio for the debounce
    set(next === 0 ? { strength: next, denoised: null } : { strength: next });
    void saveWork(DENOISE_KEY, { strength: getState().strength } satisfies DenoiseSettings);
    scheduleRecompute();
  },

  restore: async () => {
    let saved: unknown;
    try {
      saved = await loadWork(DENOISE_KEY);
    } catch {
      return; // unreadable: keep the default
    }
    const s = saved as Partial<DenoiseSettings> | undefined;
    if (s && typeof s.strength === 'number') {
      set({ strength: clampStrength(s.strength) });
      scheduleRecompute();
    }
  },
}));

/** The samples to play and export: the denoised result when it is ready, else the result. */
export function getPlayed(result: SynthesisView): { samples: Float32Array; strength: number } {
  const d = useDenoiseStore.getState().denoised;
  return d && d.source === result.samples
    ? { samples: d.samples, strength: d.strength }
    : { samples: result.samples, strength: 0 };
}

function recompute(): void {
  const { strength, bias } = useDenoiseStore.getState();
  const result = useSynthesisStore.getState().result;
  if (!result || !bias || strength === 0) {
    useDenoiseStore.setState({ denoised: null });
    return;
  }
  const d = useDenoiseStore.getState().denoised;
  if (d && d.source === result.samples && d.strength === strength) return;
  try {
    const samples = denoise(result.samples, bias, strength);
    // biasError: a message from an earlier failed recompute no longer holds
    useDenoiseStore.setState({
      denoised: { source: result.samples, strength, samples },
      biasError: null,
    });
  } catch (err) {
    useDenoiseStore.setState({ denoised: null, biasError: messageOf(err) });
  }
}

function scheduleRecompute(): void {
  if (recomputeTimer) clearTimeout(recomputeTimer);
  recomputeTimer = setTimeout(() => {
    recomputeTimer = null;
    recompute();
  }, RECOMPUTE_DELAY_MS);
}

/** The bias of the model that made the new result: computed once per model, as a job. */
async function prepareBias(): Promise<void> {
  let model: BiasVocoder;
  try {
    // NOTE: asked right when the result appears, so it is the model (and backend) that
    // synthesised it
    model = await requireSynthesisVocoder();
  } catch (err) {
    useDenoiseStore.setState({ biasPhase: 'failed', biasError: messageOf(err), bias: null });
    return;
  }
  if (model === biasModel && useDenoiseStore.getState().biasPhase !== 'failed') {
    scheduleRecompute();
    return;
  }
  biasModel = model;
  useDenoiseStore.setState({ biasPhase: 'running', bias: null, biasError: null, denoised: null });
  const handle = startJob('Denoiser bias (WaveGlow of a silent mel, sigma 0)', async (ctx) => {
    ctx.progress(0, 'synthesising the bias audio');
    return denoiserBias(model);
  });
  try {
    const bias = await handle.result;
    if (biasModel !== model) return;
    useDenoiseStore.setState({ biasPhase: 'ready', bias });
    recompute();
  } catch (err) {
    if (biasModel !== model) return;
    useDenoiseStore.setState({ biasPhase: 'failed', biasError: messageOf(err) });
  }
}

useSynthesisStore.subscribe((state, prev) => {
  if (state.result?.samples === prev.result?.samples) return;
  if (state.result) void prepareBias();
  else useDenoiseStore.setState({ denoised: null });
});

subscribeWork((event) => {
  if (event.type === 'imported') void useDenoiseStore.getState().restore();
});

// ---- test hook

/**
 * window.__semilabDenoise: a read-only handle for end-to-end tests.
 *   getStrength()  -> number
 *   getBiasPhase() -> BiasPhase
 *   getBias()      -> number[] (513 magnitudes) or null
 *   getPlayed()    -> { samples: number[], strength } of the current result, or null
 */
export interface DenoiseTestHook {
  getStrength(): number;
  getBiasPhase(): BiasPhase;
  getBias(): number[] | null;
  getPlayed(): { samples: number[]; strength: number } | null;
}

declare global {
  interface Window {
    __semilabDenoise?: DenoiseTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabDenoise = {
    getStrength: () => useDenoiseStore.getState().strength,
    getBiasPhase: () => useDenoiseStore.getState().biasPhase,
    getBias: () => {
      const b = useDenoiseStore.getState().bias;
      return b ? Array.from(b.magnitude) : null;
    },
    getPlayed: () => {
      const r = useSynthesisStore.getState().result;
      if (!r) return null;
      const p = getPlayed(r);
      return { samples: Array.from(p.samples), strength: p.strength };
    },
  };
}
