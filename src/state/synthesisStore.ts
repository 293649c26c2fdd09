// The Speech panel's synthesis: WaveGlow on the current recording's log-mel
// as a cancellable job (live real-time factor and GPU memory per chunk,
// optional playback while it computes), the result with its own log-mel,
// and the invertibility check. Results stay in memory; the sigma and the
// live-playback choice are saved under 'speech.synthesis'.
import { create } from 'zustand';
import type { BackendKind } from '../engine/ort/backendChoice';
import { computeLogMel } from '../jobs/melAnalysis';
import { getJobs, startJob, type JobHandle } from '../jobs/jobRunner';
import { requireVocoder } from '../jobs/vocoder';
import { requireSynthesisVocoder } from '../jobs/waveGlowInference';
import {
  DEFAULT_SIGMA,
  invertRecording,
  synthesizeMel,
  type InvertResult,
  type SynthesisProgress,
} from '../jobs/vocoderCore';
import { StreamPlayer } from '../jobs/vocoderPlayback';
import { realTimeMultiple } from '../jobs/vocoderSpeed';
import { getEditedMel } from './melEditStore';
import { loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';
import { useSpeechStore, type LogMelView, type SpeechRecording } from './speechStore';

export const SYNTHESIS_KEY = 'speech.synthesis';
registerWorkCheck(SYNTHESIS_KEY, (v) => {
  const s = v as { sigma?: unknown; playWhileSynthesising?: unknown } | null;
  if (!s || typeof s !== 'object') return 'is not a set of synthesis settings';
  if (s.sigma !== undefined && !(typeof s.sigma === 'number' && s.sigma >= 0 && s.sigma <= 1)) {
    return `has sigma ${String(s.sigma)} (expected 0 to 1)`;
  }
  const play = s.playWhileSynthesising;
  return play === undefined || typeof play === 'boolean' ? null : 'has a non-boolean play setting';
});

export interface SynthesisSettings {
  /** noise scale, 0..1 */
  sigma: number;
  /** play chunks as they finish */
  playWhileSynthesising: boolean;
}

export interface SynthesisView {
  recordingName: string;
  samples: Float32Array;
  sampleRate: number;
  sigma: number;
  /** mel frames synthesised */
  frames: number;
  chunks: number;
  computeMs: number;
  /** audio seconds per compute second (higher is faster; panels say "Nx real time") */
  rtf: number;
  peakBytes: number;
  /** ms this job spent getting the model: loading it, timing the backends on first use */
  prepareMs: number;
  /** ms the result's own log-mel took (null until it is done) */
  logMelMs: number | null;
  /** the job's time as its card shows it, ms (null until the job has ended) */
  jobMs: number | null;
  /** where it ran: our WGSL or onnxruntime-web wasm */
  backend: BackendKind;
  /** the synthesis's own log-mel (null while computing or when it failed) */
  logMel: LogMelView | null;
  logMelError: string | null;
  /** whether it synthesised the user's edited mel rather than the recording's own */
  editedMel: boolean;
}

export type RunPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

interface SynthesisState extends SynthesisSettings {
  phase: RunPhase;
  jobId: number | null;
  /** figures of the running job, updated per chunk */
  live: SynthesisProgress | null;
  result: SynthesisView | null;
  error: string | null;
  /** the playback-while-synthesising note (e.g. that playback had gaps) */
  playbackNote: string | null;
  invertPhase: RunPhase;
  invert: (Omit<InvertResult, 'audio'> & { recordingName: string }) | null;
  invertError: string | null;
  setSigma(sigma: number): void;
  setPlayWhileSynthesising(on: boolean): void;
  synthesize(): void;
  cancel(): void;
  invertRecording(): void;
  restore(): Promise<void>;
}

let job: JobHandle<unknown> | null = null;
let invertJob: JobHandle<unknown> | null = null;
let player: StreamPlayer | null = null;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function clampSigma(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : DEFAULT_SIGMA;
}

function save(s: SynthesisSettings): void {
  void saveWork(SYNTHESIS_KEY, {
    sigma: s.sigma,
    playWhileSynthesising: s.playWhileSynthesising,
  } satisfies SynthesisSettings);
}

function currentInput(): { recording: SpeechRecording; mel: LogMelView } {
  const { recording, logMel } = useSpeechStore.getState();
  if (!recording || !logMel) throw new Error('Load a recording first.');
  return { recording, mel: logMel };
}

function stopPlayer(): void {
  player?.close();
  player = null;
}

export const useSynthesisStore = create<SynthesisState>()((set, getState) => ({
  sigma: DEFAULT_SIGMA,
  playWhileSynthesising: true,
  phase: 'idle',
  jobId: null,
  live: null,
  result: null,
  error: null,
  playbackNote: null,
  invertPhase: 'idle',
  invert: null,
  invertError: null,

  setSigma: (sigma) => {
    set({ sigma: clampSigma(sigma) });
    save(getState());
  },

  setPlayWhileSynthesising: (on) => {
    set({ playWhileSynthesising: on });
    if (!on) stopPlayer();
    save(getState());
  },

  synthesize: () => {
    if (getState().phase === 'running') return;
    let input: ReturnType<typeof currentInput>;
    try {
      input = currentInput();
    } catch (err) {
      set({ error: messageOf(err) });
      return;
    }
    const { recording } = input;
    // the user's edited spectrogram (models/mel/melEdit.ts) when there is one
    const edited = getEditedMel();
    const mel = edited ?? input.mel;
    const sigma = getState().sigma;
    stopPlayer();
    const title = `Synthesize ${recording.name} (WaveGlow, sigma ${sigma.toFixed(2)})`;
    const handle = startJob(title, async (ctx) => {
      ctx.progress(0, 'loading the model');
      const prepareStart = performance.now();
      // WebGPU or onnxruntime-web wasm, as chosen for this device (header)
      const model = await requireSynthesisVocoder();
      const prepareMs = performance.now() - prepareStart;
      ctx.signal.throwIfAborted();
      if (getState().playWhileSynthesising) {
        try {
          player = new StreamPlayer(model.config.sampling_rate);
        } catch (err) {
          set({ playbackNote: `Live playback is unavailable here: ${messageOf(err)}` });
        }
      }
      const result = await synthesizeMel(model, mel, {
        sigma,
        signal: ctx.signal,
        onChunk: (samples, p) => {
          player?.push(samples);
          set({ live: p });
          ctx.progress(
            p.chunk / p.chunks,
            `chunk ${p.chunk} of ${p.chunks}, ${realTimeMultiple(p.rtf)}`,
          );
        },
      });
      const underruns = player?.underruns ?? 0;
      set({
        phase: 'done',
        live: null,
        playbackNote:
          player && underruns > 0
            ? `Live playback paused ${underruns} time(s): synthesis ran slower than real time.`
            : getState().playbackNote,
        result: {
          recordingName: recording.name,
          samples: result.samples,
          sampleRate: result.sampleRate,
          sigma,
          frames: mel.frames,
          chunks: result.chunks,
          computeMs: result.computeMs,
          rtf: result.rtf,
          peakBytes: result.peakBytes,
          prepareMs,
          logMelMs: null,
          jobMs: null,
          backend: result.backend,
          logMel: null,
          logMelError: null,
          editedMel: edited !== null,
        },
      });
      // the synthesis's own log-mel, for comparison with the original's
      const logMelStart = performance.now();
      try {
        const own = await computeLogMel(result.samples);
        const r = getState().result;
        const logMelMs = performance.now() - logMelStart;
        if (r && r.samples === result.samples) set({ result: { ...r, logMel: own, logMelMs } });
      } catch (err) {
        const r = getState().result;
        const logMelMs = performance.now() - logMelStart;
        if (r && r.samples === result.samples)
          set({ result: { ...r, logMelError: messageOf(err), logMelMs } });
      }
      // the card's last note: its time is more than the compute shown in the panel
      ctx.progress(
        1,
        `${(result.computeMs / 1000).toFixed(1)} s compute, ` +
          `${(prepareMs / 1000).toFixed(1)} s loading the model, ` +
          `${((performance.now() - logMelStart) / 1000).toFixed(1)} s log-mel`,
      );
      return result.samples;
    });
    job = handle;
    set({ phase: 'running', jobId: handle.id, live: null, error: null, playbackNote: null });
    handle.result.then(
      (samples) => {
        // the job card's own figure (end - start), so the panel can show the same time
        const info = getJobs().find((j) => j.id === handle.id);
        const r = getState().result;
        if (info?.endedAt != null && r && r.samples === samples)
          set({ result: { ...r, jobMs: info.endedAt - info.startedAt } });
      },
      (err: unknown) => {
        if (job !== handle) return;
        const cancelled = ctxCancelled(err);
        if (cancelled) stopPlayer();
        set({
          phase: cancelled ? 'cancelled' : 'failed',
          live: null,
          error: cancelled ? null : messageOf(err),
        });
      },
    );
  },

  cancel: () => {
    job?.cancel();
    stopPlayer();
  },

  invertRecording: () => {
    if (getState().invertPhase === 'running') return;
    let input: ReturnType<typeof currentInput>;
    try {
      input = currentInput();
    } catch (err) {
      set({ invertError: messageOf(err) });
      return;
    }
    const { recording, mel } = input;
    const handle = startJob(
      `Invert ${recording.name} (WaveGlow forward, then infer)`,
      async (ctx) => {
        ctx.progress(0, 'loading the model');
        const model = await requireVocoder();
        ctx.signal.throwIfAborted();
        ctx.progress(0.1, 'forward: audio to z');
        const r = await invertRecording(model, recording.samples, mel);
        const { audio: _audio, ...figures } = r;
        ctx.progress(1, `max abs error ${r.maxAbsError.toExponential(2)}`);
        set({ invertPhase: 'done', invert: { ...figures, recordingName: recording.name } });
      },
    );
    invertJob = handle;
    set({ invertPhase: 'running', invertError: null });
    handle.result.then(
      () => undefined,
      (err: unknown) => {
        if (invertJob !== handle) return;
        const cancelled = ctxCancelled(err);
        set({
          invertPhase: cancelled ? 'cancelled' : 'failed',
          invertError: cancelled ? null : messageOf(err),
        });
      },
    );
  },

  restore: async () => {
    let saved: unknown;
    try {
      saved = await loadWork(SYNTHESIS_KEY);
    } catch {
      return; // nothing saved that can be read: keep the defaults
    }
    const s = saved as Partial<SynthesisSettings> | undefined;
    if (!s || typeof s !== 'object') return;
    set({
      sigma: typeof s.sigma === 'number' ? clampSigma(s.sigma) : getState().sigma,
      playWhileSynthesising:
        typeof s.playWhileSynthesising === 'boolean'
          ? s.playWhileSynthesising
          : getState().playWhileSynthesising,
    });
  },
}));

function ctxCancelled(err: unknown): boolean {
  return err instanceof Error && err.name === 'JobCancelledError';
}

// a new recording makes the old synthesis and check meaningless
useSpeechStore.subscribe((state, prev) => {
  if (state.recording === prev.recording) return;
  job?.cancel();
  invertJob?.cancel();
  stopPlayer();
  job = null;
  invertJob = null;
  useSynthesisStore.setState({
    phase: 'idle',
    live: null,
    result: null,
    error: null,
    playbackNote: null,
    invertPhase: 'idle',
    invert: null,
    invertError: null,
  });
});

subscribeWork((event) => {
  if (event.type === 'imported') void useSynthesisStore.getState().restore();
});

// ---- test hook

/**
 * window.__semilabSynthesis: a read-only handle for end-to-end tests.
 *   getResult() -> { samples (count), sampleRate, frames, sigma, chunks, rtf, peakBytes,
 *                    computeMs, rms, hasLogMel, editedMel } or null
 *   getInvert() -> { samples, frames, maxAbsError, peak } or null
 *   getSigma()  -> number
 */
export interface SynthesisTestHook {
  getResult(): {
    samples: number;
    sampleRate: number;
    frames: number;
    sigma: number;
    chunks: number;
    rtf: number;
    peakBytes: number;
    computeMs: number;
    rms: number;
    hasLogMel: boolean;
    editedMel: boolean;
  } | null;
  getInvert(): { samples: number; frames: number; maxAbsError: number; peak: number } | null;
  getSigma(): number;
}

declare global {
  interface Window {
    __semilabSynthesis?: SynthesisTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabSynthesis = {
    getResult: () => {
      const r = useSynthesisStore.getState().result;
      if (!r) return null;
      let energy = 0;
      for (const v of r.samples) energy += v * v;
      return {
        samples: r.samples.length,
        sampleRate: r.sampleRate,
        frames: r.frames,
        sigma: r.sigma,
        chunks: r.chunks,
        rtf: r.rtf,
        peakBytes: r.peakBytes,
        computeMs: r.computeMs,
        rms: Math.sqrt(energy / Math.max(1, r.samples.length)),
        hasLogMel: r.logMel !== null,
        editedMel: r.editedMel,
      };
    },
    getInvert: () => {
      const r = useSynthesisStore.getState().invert;
      return r
        ? { samples: r.samples, frames: r.frames, maxAbsError: r.maxAbsError, peak: r.peak }
        : null;
    },
    getSigma: () => useSynthesisStore.getState().sigma,
  };
}
