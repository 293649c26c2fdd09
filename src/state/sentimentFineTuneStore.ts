// Fine-tuning the Sentiment panel's mLSTM + head on the labelled set: the
// running job (live loss and validation accuracy), then Keep or Discard. Keep
// makes the fine-tuned LM the page's mLSTM (jobs/fineTunedMlstm.ts) and its head
// the classifier, and saves both ('sentiment.finetuned', 'sentiment.classifier');
// Revert brings back the pretrained model and the classifier from before.
import { create } from 'zustand';
import { setFineTunedMlstm } from '../jobs/fineTunedMlstm';
import { getBackendStatus } from '../jobs/gpuHost';
import { JobCancelledError } from '../jobs/jobRunner';
import {
  estimateSeconds,
  MIN_FINETUNE_EXAMPLES,
  PAGE_FINETUNE_DEFAULTS,
  splitForFineTune,
  startSentimentFineTune,
  type PageFineTuneOptions,
  type PageFineTuneResult,
} from '../jobs/sentimentFineTuneJob';
import { parseMlstmConfig } from '../models/mlstm/config';
import { mlstmWeightShapes, type MlstmWeightArrays } from '../models/mlstm/weights';
import { parseClassifier, type SentimentClassifier } from '../models/sentiment/classifier';
import type { FineTuneEval } from '../models/sentiment/finetune';
import { classifierFromHead, mlstmConfigJson } from '../models/sentiment/finetunedModel';
import { fineTunedMlstmId, PRETRAINED_MLSTM_ID } from '../models/sentiment/fittedModel';
import {
  deleteWork,
  flushWork,
  loadWork,
  registerWorkCheck,
  saveWork,
  subscribeWork,
} from './persist';
import { CLASSIFIER_KEY, useSentimentStore } from './sentimentStore';

export const FINETUNED_KEY = 'sentiment.finetuned';

/** What is saved under FINETUNED_KEY (structured clone: the weights stay typed arrays). */
interface SavedFineTune {
  version: 1;
  config: string;
  weights: MlstmWeightArrays;
  info: FineTunedInfo;
  /** the classifier before Keep, brought back by Revert */
  previousClassifier: SentimentClassifier | null;
}

export interface FineTunedInfo {
  trainCount: number;
  valCount: number;
  epochs: number;
  maxBytes: number;
  /** held-out accuracy before and after */
  before: number;
  after: number;
  keptAt: string;
}

interface FineTuneState {
  options: PageFineTuneOptions;
  job: number | null;
  /** Date.now() at the start and after the first step (the remaining time is paced from it) */
  startedAt: number;
  firstStepAt: number;
  step: number;
  steps: number;
  losses: number[];
  evals: FineTuneEval[];
  /** a finished run waiting for Keep or Discard */
  candidate: PageFineTuneResult | null;
  /** the kept fine-tuned model, when active */
  active: FineTunedInfo | null;
  error: string | null;
  /** why the typed options were refused (the run waits until they are fixed) */
  optionsError: string | null;
  setOptions(change: Partial<PageFineTuneOptions>): void;
  /** seconds the run would take with the current set and options (null: too few examples) */
  getEstimate(): number | null;
  start(): void;
  cancel(): void;
  keep(): Promise<void>;
  discard(): void;
  revert(): Promise<void>;
  restore(): Promise<void>;
}

/** The id of the page's mLSTM (fittedModel.ts) while `active` is the kept model (or none). */
export function mlstmIdOf(active: FineTunedInfo | null): string {
  return active ? fineTunedMlstmId(active.keptAt) : PRETRAINED_MLSTM_ID;
}

let cancelJob: (() => void) | null = null;
let runOptions: PageFineTuneOptions = { ...PAGE_FINETUNE_DEFAULTS };
let previousClassifier: SentimentClassifier | null = null;

function splitOfLabelled() {
  const labelled = useSentimentStore.getState().labelled;
  return splitForFineTune(
    labelled.map((e) => e.bytes),
    Uint8Array.from(labelled, (e) => e.label),
  );
}

function setClassifier(c: SentimentClassifier | null): void {
  useSentimentStore.setState({ classifier: c });
  if (c) void saveWork(CLASSIFIER_KEY, c);
  else void deleteWork(CLASSIFIER_KEY);
  useSentimentStore.getState().read();
}

function isSaved(v: unknown): v is SavedFineTune {
  const s = v as SavedFineTune | null;
  if (!s || s.version !== 1 || typeof s.config !== 'string') return false;
  if (typeof s.info?.keptAt !== 'string') return false;
  const config = parseMlstmConfig(s.config);
  if (!config.ok || !s.weights) return false;
  return Object.entries(mlstmWeightShapes(config.value)).every(([name, shape]) => {
    const w = s.weights[name as keyof MlstmWeightArrays];
    return w?.data instanceof Float32Array && w.data.length === shape.reduce((a, b) => a * b, 1);
  });
}
registerWorkCheck(FINETUNED_KEY, (v) =>
  isSaved(v) ? null : 'is not a usable fine-tuned mLSTM (config and weights of matching shapes)',
);

export const useSentimentFineTuneStore = create<FineTuneState>()((set, get) => ({
  options: { ...PAGE_FINETUNE_DEFAULTS },
  job: null,
  startedAt: 0,
  firstStepAt: 0,
  step: 0,
  steps: 0,
  losses: [],
  evals: [],
  candidate: null,
  active: null,
  error: null,
  optionsError: null,

  setOptions: (change) => {
    const next = { ...get().options, ...change };
    const bad =
      !Number.isInteger(next.epochs) || next.epochs < 1 || next.epochs > 20
        ? 'Epochs must be a whole number from 1 to 20.'
        : !Number.isInteger(next.maxBytes) || next.maxBytes < 8 || next.maxBytes > 512
          ? 'Bytes per text must be a whole number from 8 to 512.'
          : null;
    if (bad) set({ optionsError: `${bad} The settings are unchanged.` });
    else set({ options: next, optionsError: null });
  },

  getEstimate: () => {
    const split = splitOfLabelled();
    if (split.train.texts.length < 2 || split.val.texts.length < 1) return null;
    return estimateSeconds(split, get().options, getBackendStatus().software);
  },

  start: () => {
    if (get().job !== null || get().optionsError) return;
    const split = splitOfLabelled();
    const trainPos = split.train.labels.reduce((a, y) => a + y, 0);
    const ok =
      split.train.texts.length + split.val.texts.length >= MIN_FINETUNE_EXAMPLES &&
      trainPos > 0 &&
      trainPos < split.train.texts.length &&
      split.val.texts.length > 0;
    if (!ok) {
      set({
        error:
          `Fine-tuning needs at least ${MIN_FINETUNE_EXAMPLES} labelled examples with ` +
          'two or more of each class (some are held out to measure accuracy).',
      });
      return;
    }
    const { classifier } = useSentimentStore.getState();
    runOptions = get().options;
    const job = startSentimentFineTune(split, classifier, runOptions, {
      onStep: (step, steps, loss) => {
        if (step === 1) set({ firstStepAt: Date.now() });
        set({ step, steps, losses: [...get().losses, loss] });
      },
      onEval: (e) => set({ evals: [...get().evals, e] }),
    });
    cancelJob = job.cancel;
    set({ job: job.id, startedAt: Date.now(), step: 0, steps: 0, losses: [], evals: [] });
    set({ candidate: null, error: null });
    job.result.then(
      (candidate) => set({ job: null, candidate }),
      (err: unknown) => {
        set({ job: null });
        if (err instanceof JobCancelledError || (err as Error)?.name === 'AbortError') {
          set({ losses: [], evals: [], step: 0, steps: 0 });
          return;
        }
        set({ error: `Fine-tuning failed: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  },

  cancel: () => cancelJob?.(),

  keep: async () => {
    const c = get().candidate;
    // a run whose best state is its start has nothing to keep (the panel offers Discard only)
    if (!c || c.best.step === 0) return;
    const before = c.evals[0]?.accuracy ?? 0;
    const info: FineTunedInfo = {
      trainCount: c.trainCount,
      valCount: c.valCount,
      // the run's own options: the fields may have changed since it started
      epochs: runOptions.epochs,
      maxBytes: runOptions.maxBytes,
      before,
      after: c.best.accuracy,
      keptAt: new Date().toISOString(),
    };
    // Revert goes back to the classifier from before the first Keep
    if (!get().active) previousClassifier = useSentimentStore.getState().classifier;
    const saved: SavedFineTune = {
      version: 1,
      config: mlstmConfigJson(c.config),
      weights: c.weights,
      info,
      previousClassifier,
    };
    const id = mlstmIdOf(info);
    setFineTunedMlstm({ config: c.config, arrays: c.weights, id });
    set({ candidate: null, active: info, losses: [], evals: [] });
    setClassifier({
      ...classifierFromHead(c.head, { accuracy: c.best.accuracy, trainCount: c.trainCount }),
      model: id,
    });
    void saveWork(FINETUNED_KEY, saved);
    await flushWork();
  },

  discard: () => set({ candidate: null, losses: [], evals: [], step: 0, steps: 0 }),

  revert: async () => {
    setFineTunedMlstm(null);
    set({ active: null });
    setClassifier(previousClassifier);
    previousClassifier = null;
    await deleteWork(FINETUNED_KEY);
    await flushWork();
  },

  restore: async () => {
    let saved: unknown;
    try {
      saved = await loadWork(FINETUNED_KEY);
    } catch (err) {
      set({ error: `The saved fine-tuned model could not be read: ${String(err)}` });
      return;
    }
    if (saved === undefined) {
      setFineTunedMlstm(null);
      set({ active: null });
      return;
    }
    if (!isSaved(saved)) {
      set({ error: 'The saved fine-tuned model is damaged; the pretrained model is in use.' });
      return;
    }
    const config = parseMlstmConfig(saved.config);
    if (!config.ok) return;
    const prev = saved.previousClassifier ? parseClassifier(saved.previousClassifier) : null;
    previousClassifier = prev?.ok ? prev.value : null;
    setFineTunedMlstm({ config: config.value, arrays: saved.weights, id: mlstmIdOf(saved.info) });
    set({ active: saved.info });
    // the heat map and verdict of a text read before the restore used the pretrained model
    useSentimentStore.getState().read();
  },
}));

// an imported project may bring (or drop) a fine-tuned model
subscribeWork((event) => {
  if (event.type === 'imported') void useSentimentFineTuneStore.getState().restore();
});
