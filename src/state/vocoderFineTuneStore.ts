// The Speech panel's vocoder fine-tuning: settings (saved under
// 'speech.finetune'), the running job on the fine-tuning set (or, when the
// set is empty, the loaded recording) with its live loss curve, and the
// finished run waiting for Keep or Discard. A kept model becomes the vocoder
// of synthesis and invert (jobs/activeVocoder.ts) and is saved with its
// weights under 'speech.vocoder', so it is active again after a reload until
// the user reverts to the default model. GPU objects stay outside the store.
import { create } from 'zustand';
import {
  activeVocoder,
  activeVocoderOn,
  setActiveVocoder,
  subscribeActiveVocoder,
  type KeptVocoder,
} from '../jobs/activeVocoder';
import { requireGpu } from '../jobs/gpuHost';
import { getJobs, startJob, subscribeJobs, type JobHandle } from '../jobs/jobRunner';
import { requireVocoder } from '../jobs/vocoder';
import { vocoderExport } from '../jobs/vocoderExport';
import { keptFromRun, runVocoderFineTune, type FineTuneRun } from '../jobs/vocoderFineTune';
import { spansNll } from '../models/waveglow/finetune';
import { splitCorpus } from '../models/waveglow/finetuneCorpus';
import {
  checkFineTuneSettings,
  FINETUNE_BOUNDS,
  FINETUNE_DEFAULTS,
  type FineTuneSettings,
} from '../models/waveglow/finetuneData';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { parseWaveGlowWeights } from '../models/waveglow/weights';
import { getTrainingSource, useFineTuneSetStore } from './fineTuneSetStore';
import {
  deleteWork,
  flushWork,
  loadWork,
  registerWorkCheck,
  saveWork,
  subscribeWork,
} from './persist';
import { preconditionError } from './preconditionError';
import { useSpeechStore } from './speechStore';

export const FINETUNE_SETTINGS_KEY = 'speech.finetune';
registerWorkCheck(FINETUNE_SETTINGS_KEY, (v) => {
  if (!v || typeof v !== 'object') return 'is not a set of fine-tuning settings';
  const checked = checkFineTuneSettings({
    ...FINETUNE_DEFAULTS,
    ...(v as Partial<FineTuneSettings>),
  });
  return checked.ok ? null : `has settings the studio refuses: ${checked.error}`;
});
export const KEPT_VOCODER_KEY = 'speech.vocoder';

export type FineTunePhase = 'idle' | 'running' | 'trained' | 'keeping' | 'failed' | 'cancelled';

export interface LossPoint {
  step: number;
  /** training NLL per sample of the step's batch (nats) */
  loss: number;
  /** the learning rate of the step */
  lr: number;
}

/** A finished run waiting for Keep or Discard. */
export interface FineTuneOutcome {
  /** what it trained on: a recording's name or 'N recordings' */
  recordingName: string;
  steps: number;
  heldOutBefore: number;
  heldOutAfter: number;
  seconds: number;
}

/** The active vocoder's NLL on the held-out audio a run would use (shows which model runs). */
export interface VocoderScore {
  modelLabel: string;
  /** the recording's name, or 'N recordings' for the set */
  recordingName: string;
  /** held-out samples scored */
  samples: number;
  nll: number;
}

interface FineTuneState {
  settings: FineTuneSettings;
  /** the last rejected setting's message (the setting kept its value) */
  settingError: string | null;
  phase: FineTunePhase;
  jobId: number | null;
  points: LossPoint[];
  heldOutBefore: number | null;
  outcome: FineTuneOutcome | null;
  /** what the current or last run trains on (the panel may have loaded another since) */
  runRecording: string | null;
  error: string | null;
  /** label of the kept fine-tuned vocoder; null: the default model is active */
  activeLabel: string | null;
  scoring: boolean;
  score: VocoderScore | null;
  setSetting(key: keyof FineTuneSettings, value: number): void;
  start(): void;
  cancel(): void;
  keep(): Promise<void>;
  discard(): void;
  revert(): Promise<void>;
  exportWeights(): void;
  scoreActive(): void;
  restore(): Promise<void>;
}

/** The finished run's trainable copy (GPU memory), until Keep or Discard. */
let pendingRun: FineTuneRun | null = null;
let job: JobHandle<unknown> | null = null;
let restoring: Promise<void> | null = null;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function cancelled(err: unknown): boolean {
  return err instanceof Error && err.name === 'JobCancelledError';
}

function isKept(value: unknown): value is KeptVocoder {
  const v = value as Partial<KeptVocoder> | undefined;
  return (
    !!v &&
    typeof v.label === 'string' &&
    typeof v.configText === 'string' &&
    v.weights instanceof Uint8Array &&
    v.weights.byteLength > 8
  );
}
registerWorkCheck(KEPT_VOCODER_KEY, (v) => {
  if (!isKept(v)) return 'is not a usable fine-tuned vocoder';
  // what loading it would say (a truncated file, a config that does not match), before it
  // replaces anything
  const config = parseWaveGlowConfig(v.configText);
  const weights = config.ok ? parseWaveGlowWeights(v.weights, config.value) : config;
  return weights.ok ? null : `is not a usable fine-tuned vocoder: ${weights.error}`;
});

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Swapping models under a running synthesis would free weights it is using. */
function busyMessage(): string | null {
  const running = getJobs().filter((j) => j.state === 'running');
  if (running.length === 0) return null;
  const titles = running.map((j) => `'${j.title}'`).join(', ');
  return `Wait for ${titles} to finish (or cancel it) first.`;
}

function labelFor(recordingName: string, steps: number): string {
  const base = activeVocoder();
  const on = `fine-tuned on ${recordingName}, ${steps} step${steps === 1 ? '' : 's'}`;
  return base ? `${on} (starting from: ${base.label})` : on;
}

/** fields whose typed value is refused; the run waits until none is left */
const invalidFields = new Map<keyof FineTuneSettings, string>();

export const useVocoderFineTuneStore = create<FineTuneState>()((set, getState) => ({
  settings: { ...FINETUNE_DEFAULTS },
  settingError: null,
  phase: 'idle',
  jobId: null,
  points: [],
  heldOutBefore: null,
  outcome: null,
  runRecording: null,
  error: null,
  activeLabel: activeVocoder()?.label ?? null,
  scoring: false,
  score: null,

  setSetting: (key, value) => {
    const next = { ...getState().settings, [key]: value };
    const checked = checkFineTuneSettings(next);
    if (!checked.ok) {
      const { label } = FINETUNE_BOUNDS[key];
      const mine = checked.error.split('; ').find((p) => p.includes(label));
      const message = mine ? mine.replace('Fine-tune settings: ', '') : checked.error;
      invalidFields.set(key, message);
      set({ settingError: message });
      return;
    }
    invalidFields.delete(key);
    set({ settings: next, settingError: [...invalidFields.values()][0] ?? null });
    void saveWork(FINETUNE_SETTINGS_KEY, next);
  },

  start: () => {
    const s = getState();
    if (s.phase === 'running' || s.phase === 'keeping') return;
    if (s.settingError) {
      const message = `Fix the settings first: ${s.settingError}`;
      refusals.refuse(message, () => getState().settingError === null);
      return;
    }
    if (pendingRun) {
      const message = 'Keep or discard the last fine-tuned model before starting another run.';
      refusals.refuse(message, () => pendingRun === null);
      return;
    }
    const setStore = useFineTuneSetStore.getState();
    if (!setStore.restored) {
      // the saved set decides what the run trains on: read it first
      void setStore.restore().then(() => getState().start());
      return;
    }
    const source = getTrainingSource();
    if (!source.ok) {
      refusals.refuse(source.error, () => getTrainingSource().ok);
      return;
    }
    const checked = checkFineTuneSettings(s.settings);
    if (!checked.ok) {
      set({ error: checked.error });
      return;
    }
    const settings = checked.value;
    const { corpus, name } = source;
    set({ runRecording: name });
    const started = performance.now();
    const title = `Fine-tune WaveGlow on ${name} (${settings.steps} steps)`;
    const handle = startJob(title, async (ctx) => {
      const run = await runVocoderFineTune(ctx, corpus, settings, {
        onHeldOutBefore: (nll) => set({ heldOutBefore: nll }),
        onStep: (step) => set({ points: [...getState().points, step] }),
      });
      if (job !== handle) {
        run.tuner.dispose(); // superseded (e.g. a project import) while finishing
        return;
      }
      pendingRun = run;
      set({
        phase: 'trained',
        outcome: {
          recordingName: name,
          steps: run.tuner.stepsDone,
          heldOutBefore: run.heldOutBefore,
          heldOutAfter: run.heldOutAfter,
          seconds: (performance.now() - started) / 1000,
        },
      });
    });
    job = handle;
    useFineTuneSetStore
      .getState()
      .lock(`'${title}' is training on it (cancel it, or wait for it to finish).`);
    set({
      phase: 'running',
      jobId: handle.id,
      points: [],
      heldOutBefore: null,
      outcome: null,
      error: null,
    });
    const unlock = () => {
      if (job === handle) useFineTuneSetStore.getState().lock(null);
    };
    handle.result.then(unlock, (err: unknown) => {
      unlock();
      if (job !== handle) return;
      set({
        phase: cancelled(err) ? 'cancelled' : 'failed',
        error: cancelled(err) ? null : messageOf(err),
      });
    });
  },

  cancel: () => {
    job?.cancel();
  },

  keep: async () => {
    const run = pendingRun;
    const outcome = getState().outcome;
    if (!run || !outcome || getState().phase !== 'trained') return;
    const busy = busyMessage();
    if (busy) {
      refusals.refuse(busy, () => busyMessage() === null);
      return;
    }
    set({ phase: 'keeping', error: null });
    try {
      const label = labelFor(outcome.recordingName, outcome.steps);
      const { kept, model } = await keptFromRun(run, label);
      pendingRun = null;
      setActiveVocoder(kept, { gpu: model.gpu, model });
      set({ phase: 'idle', outcome: null, points: [], heldOutBefore: null, score: null });
      // written at once: the fine-tuned weights are the user's work
      const saved = saveWork(KEPT_VOCODER_KEY, kept);
      await flushWork();
      await saved;
    } catch (err) {
      set({
        phase: pendingRun ? 'trained' : 'idle',
        error: `Keeping the fine-tuned model failed: ${messageOf(err)}`,
      });
    }
  },

  discard: () => {
    if (getState().phase !== 'trained') return;
    pendingRun?.tuner.dispose();
    pendingRun = null;
    set({ phase: 'idle', outcome: null, points: [], heldOutBefore: null, error: null });
  },

  revert: async () => {
    if (!activeVocoder()) return;
    const busy = busyMessage();
    if (busy) {
      refusals.refuse(busy, () => busyMessage() === null);
      return;
    }
    setActiveVocoder(null);
    set({ score: null, error: null });
    try {
      await deleteWork(KEPT_VOCODER_KEY);
    } catch (err) {
      set({
        error:
          'The default model is active, but the saved choice was not cleared: ' + messageOf(err),
      });
    }
  },

  exportWeights: () => {
    const kept = activeVocoder();
    if (!kept) {
      set({ error: 'Keep a fine-tuned model first: only a kept model can be exported.' });
      return;
    }
    // one zip: a folder with the two files `semilab vocode --weights DIR` reads
    const { fileName, bytes } = vocoderExport(kept);
    download(fileName, new Blob([bytes], { type: 'application/zip' }));
  },

  scoreActive: () => {
    if (getState().scoring) return;
    const source = getTrainingSource();
    if (!source.ok) {
      const message = source.error.replace('fine-tuning trains', 'the score tests');
      refusals.refuse(message, () => getTrainingSource().ok);
      return;
    }
    // the held-out audio, as a fine-tune run with these settings scores it
    const split = splitCorpus(source.corpus, getState().settings.segmentSamples);
    if (!split.ok) {
      set({ error: split.error });
      return;
    }
    const spans = split.value.heldOut;
    const samples = spans.reduce((n, sp) => n + sp.end - sp.start, 0);
    const modelLabel = activeVocoder()?.label ?? 'default WaveGlow';
    set({ scoring: true, score: null, error: null });
    const handle = startJob(`Score the vocoder on ${source.name}`, async (ctx) => {
      ctx.progress(0, 'loading the model');
      const model = await requireVocoder();
      const nll = await spansNll(model, source.corpus, spans);
      ctx.progress(1, `NLL ${nll.toFixed(4)} nats per sample`);
      set({ score: { modelLabel, recordingName: source.name, samples, nll } });
    });
    handle.result.then(
      () => set({ scoring: false }),
      (err: unknown) => set({ scoring: false, error: cancelled(err) ? null : messageOf(err) }),
    );
  },

  restore: () => {
    restoring ??= restoreSaved();
    return restoring;
  },
}));

/** Settings and the kept vocoder from saved work (once per page, again after an import). */
async function restoreSaved(): Promise<void> {
  const set = useVocoderFineTuneStore.setState;
  try {
    const saved = await loadWork<Partial<FineTuneSettings>>(FINETUNE_SETTINGS_KEY);
    if (saved && typeof saved === 'object') {
      const next = { ...FINETUNE_DEFAULTS, ...saved };
      if (checkFineTuneSettings(next).ok) {
        // the fields show the restored values, so no typed value is pending
        invalidFields.clear();
        set({ settings: next, settingError: null });
      }
    }
  } catch {
    // unreadable settings: keep the defaults
  }
  let kept: unknown;
  try {
    kept = await loadWork(KEPT_VOCODER_KEY);
  } catch (err) {
    set({ error: `The saved fine-tuned vocoder could not be read: ${messageOf(err)}` });
    return;
  }
  if (kept === undefined) {
    if (activeVocoder()) setActiveVocoder(null);
    return;
  }
  if (!isKept(kept)) {
    set({ error: 'The saved fine-tuned vocoder is not usable and was ignored.' });
    return;
  }
  setActiveVocoder(kept);
  // load it now, so a broken save is reported here rather than at synthesis
  try {
    const gpu = await requireGpu();
    const loaded = activeVocoderOn(gpu);
    if (loaded && !loaded.ok) {
      setActiveVocoder(null);
      set({ error: `${loaded.error}. The default model is used.` });
    }
  } catch {
    // no WebGPU: synthesis says so when asked
  }
}

subscribeActiveVocoder((kept) =>
  useVocoderFineTuneStore.setState({ activeLabel: kept?.label ?? null }),
);

// a refusal such as "Load a recording first…" goes once its precondition holds
const refusals = preconditionError(
  () => useVocoderFineTuneStore.getState().error,
  (error) => useVocoderFineTuneStore.setState({ error }),
);
const recheckRefusal = () => refusals.recheck();
useSpeechStore.subscribe(recheckRefusal);
useFineTuneSetStore.subscribe(recheckRefusal);
useVocoderFineTuneStore.subscribe(recheckRefusal);
subscribeJobs(recheckRefusal);

subscribeWork((event) => {
  if (event.type !== 'imported') return;
  restoring = null;
  void useVocoderFineTuneStore.getState().restore();
});

// ---- test hook

/**
 * window.__semilabVocoderFineTune: a read-only handle for end-to-end tests.
 *   getState() -> { settings, phase, points, heldOutBefore, outcome, activeLabel, score, error }
 */
export interface VocoderFineTuneTestHook {
  getState(): Pick<
    FineTuneState,
    | 'settings'
    | 'phase'
    | 'points'
    | 'heldOutBefore'
    | 'outcome'
    | 'activeLabel'
    | 'score'
    | 'error'
  >;
}

declare global {
  interface Window {
    __semilabVocoderFineTune?: VocoderFineTuneTestHook;
  }
}

if (typeof window !== 'undefined') {
  window.__semilabVocoderFineTune = {
    getState: () => {
      const s = useVocoderFineTuneStore.getState();
      return {
        settings: s.settings,
        phase: s.phase,
        points: s.points,
        heldOutBefore: s.heldOutBefore,
        outcome: s.outcome,
        activeLabel: s.activeLabel,
        score: s.score,
        error: s.error,
      };
    },
  };
}
