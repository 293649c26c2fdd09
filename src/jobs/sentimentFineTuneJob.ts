// Fine-tuning the page's mLSTM + sentiment head on the labelled set as a job
// (progress, cancel): a held-out split for validation, the active model and
// classifier as the start, and a time estimate from the adapter's speed.
import type { MlstmConfig } from '../models/mlstm/config';
import { headFromClassifier, fineTuneSentiment } from '../models/sentiment/finetune';
import type {
  FineTuneEval,
  FineTuneResult,
  LabelledTexts,
  SentimentHead,
} from '../models/sentiment/finetune';
import type { SentimentClassifier } from '../models/sentiment/classifier';
import { hasFineTunedMlstm } from './fineTunedMlstm';
import { startJob, type JobHandle } from './jobRunner';
import { requireMlstm } from './sentimentModel';

export interface PageFineTuneOptions {
  epochs: number;
  maxBytes: number;
}

/** Defaults bounded for a CPU-emulated GPU: few examples, short texts, one epoch. */
export const PAGE_FINETUNE_DEFAULTS: PageFineTuneOptions = { epochs: 1, maxBytes: 48 };
/** most labelled examples one page run trains on (the mLSTM reads ~80 bytes/s on SwiftShader) */
export const MAX_FINETUNE_EXAMPLES = 64;
/** fewest examples: at least one of each class to train on and one to hold out */
export const MIN_FINETUNE_EXAMPLES = 4;
/**
 * bytes per second of the 512-unit mLSTM forward pass, measured on SwiftShader
 * (one Chromium page, 2-core CPU); a backward pass costs about two more.
 */
const SOFTWARE_BYTES_PER_SECOND = 80;
const HARDWARE_BYTES_PER_SECOND = 5000;

export interface FineTuneSplit {
  train: LabelledTexts;
  val: LabelledTexts;
}

/**
 * Holds out about a quarter of each class (at least one where a class has two
 * or more), the last examples of each; the rest trains. Uses at most
 * MAX_FINETUNE_EXAMPLES, taken evenly from both classes.
 */
export function splitForFineTune(texts: readonly Uint8Array[], labels: Uint8Array): FineTuneSplit {
  const byClass = [0, 1].map((c) => [...labels.keys()].filter((i) => labels[i] === c));
  const cap = Math.floor(MAX_FINETUNE_EXAMPLES / 2);
  const small = Math.min(byClass[0].length, byClass[1].length, cap);
  // the smaller class keeps all it has (up to cap); the larger fills the rest
  const take = byClass.map((ids) =>
    ids.slice(0, Math.min(ids.length, MAX_FINETUNE_EXAMPLES - small)),
  );
  const trainIds: number[] = [];
  const valIds: number[] = [];
  for (const ids of take) {
    const held = ids.length >= 2 ? Math.max(1, Math.round(ids.length / 4)) : 0;
    trainIds.push(...ids.slice(0, ids.length - held));
    valIds.push(...ids.slice(ids.length - held));
  }
  const pick = (ids: number[]): LabelledTexts => ({
    texts: ids.map((i) => texts[i]),
    labels: Uint8Array.from(ids, (i) => labels[i]),
  });
  return { train: pick(trainIds), val: pick(valIds) };
}

/** Seconds a run will take, roughly: 3 passes per training byte, 1 per validation byte. */
export function estimateSeconds(
  split: FineTuneSplit,
  o: PageFineTuneOptions,
  software: boolean,
): number {
  const bytes = (d: LabelledTexts) =>
    d.texts.reduce((a, t) => a + Math.min(t.length, o.maxBytes), 0);
  const work = 3 * bytes(split.train) * o.epochs + bytes(split.val) * (o.epochs + 1);
  return work / (software ? SOFTWARE_BYTES_PER_SECOND : HARDWARE_BYTES_PER_SECOND);
}

export interface PageFineTuneResult extends FineTuneResult {
  config: MlstmConfig;
  trainCount: number;
  valCount: number;
  /** the model the run started from: what stays in use when no step beats it */
  start: 'pretrained' | 'fine-tuned';
}

/** 'the pretrained model' or 'the fine-tuned model in use', for messages */
export function startModelName(start: PageFineTuneResult['start']): string {
  return start === 'pretrained' ? 'the pretrained model' : 'the fine-tuned model in use';
}

const pct = (a: number) => `${(100 * a).toFixed(0)}%`;

/**
 * The job's last line: the held-out accuracy of the state Keep would keep, or that there is
 * nothing to keep when the best state is the start (ties go to later steps, so step 0 is best
 * only when every step did worse).
 */
export function fineTuneOutcomeNote(
  r: Pick<PageFineTuneResult, 'evals' | 'best' | 'start'>,
): string {
  const before = r.evals[0].accuracy;
  if (r.best.step === 0) {
    return (
      `no step improved on ${startModelName(r.start)} ` +
      `(held-out accuracy ${pct(before)}); nothing to keep`
    );
  }
  return (
    `best state: step ${r.best.step}, held-out accuracy ${pct(r.best.accuracy)} ` +
    `(${pct(before)} before); Keep keeps it`
  );
}

export interface FineTuneProgress {
  onStep(step: number, steps: number, loss: number): void;
  onEval(e: FineTuneEval): void;
}

/** Fine-tunes the active mLSTM (and the classifier's head, when it reads final states). */
export function startSentimentFineTune(
  split: FineTuneSplit,
  classifier: SentimentClassifier | null,
  o: PageFineTuneOptions,
  report: FineTuneProgress,
): JobHandle<PageFineTuneResult> {
  const n = split.train.texts.length;
  const start = hasFineTunedMlstm() ? 'fine-tuned' : 'pretrained';
  return startJob(`Fine-tune the mLSTM on ${n} examples`, async (ctx) => {
    const model = await requireMlstm();
    ctx.progress(0, 'reading the weights');
    const arrays = await model.readWeights();
    let head: SentimentHead | undefined;
    if (classifier && classifier.pool === 'final' && classifier.hidden === model.hidden) {
      head = headFromClassifier(classifier);
    }
    let steps = 1;
    const result = await fineTuneSentiment(
      model.gpu,
      model.config,
      arrays,
      split.train,
      split.val,
      {
        epochs: o.epochs,
        maxBytes: o.maxBytes,
        batchSize: 4,
        // few steps on a page: larger steps than the CLI's defaults (1e-3, 3e-4)
        lr: 1e-2,
        lrLm: 1e-3,
        head,
        signal: ctx.signal,
        onStep: (s) => {
          steps = s.steps;
          ctx.progress(s.step / s.steps, `step ${s.step} of ${s.steps}, loss ${s.loss.toFixed(3)}`);
          report.onStep(s.step, s.steps, s.loss);
        },
        onEval: (e) => {
          const note = `validation accuracy ${(100 * e.accuracy).toFixed(0)}%`;
          ctx.progress(e.step / steps, note);
          report.onEval(e);
        },
      },
    );
    const valCount = split.val.texts.length;
    const done: PageFineTuneResult = {
      ...result,
      config: model.config,
      trainCount: n,
      valCount,
      start,
    };
    // the last evaluation's accuracy may be below the best: name the state Keep would keep
    ctx.progress(1, fineTuneOutcomeNote(done));
    return done;
  });
}
