// What the panel says about a finished fine-tuning run before Keep or Discard:
// whether there is anything to keep (the best state may be the start), and
// what Keep would replace when the classifier in use saw more examples.
import { startModelName, type PageFineTuneResult } from '../../jobs/sentimentFineTuneJob';
import type { SentimentClassifier } from '../../models/sentiment/classifier';

export interface FineTuneReview {
  /** false when no step beat the start: Keep would only swap in what is already there */
  canKeep: boolean;
  summary: string;
  /** a warning that Keep replaces a classifier trained on more examples, or null */
  replaces: string | null;
}

const pct = (a: number) => `${(100 * a).toFixed(0)}%`;

type Run = Pick<PageFineTuneResult, 'evals' | 'best' | 'start' | 'trainCount'>;

/** The review of run `r`, given the classifier Keep would replace (null: none). */
export function reviewFineTune(r: Run, classifier: SentimentClassifier | null): FineTuneReview {
  const before = r.evals[0].accuracy;
  if (r.best.step === 0) {
    const later = r.evals.slice(1).map((e) => e.accuracy);
    const reached = later.length ? ` (the best step reached ${pct(Math.max(...later))})` : '';
    return {
      canKeep: false,
      summary:
        `Held-out accuracy ${pct(before)} before${reached}. ` +
        `No step improved on ${startModelName(r.start)}; nothing to keep.`,
      replaces: null,
    };
  }
  let replaces: string | null = null;
  if (classifier && classifier.trainCount > r.trainCount) {
    // a fit has a lambda grid; a head kept from an earlier run has none
    const old =
      classifier.grid.length > 0
        ? `the classifier fitted on ${classifier.trainCount} examples`
        : `the head fine-tuned on ${classifier.trainCount} examples`;
    replaces = `Keep replaces ${old} with a head trained on ${r.trainCount}.`;
  }
  return {
    canKeep: true,
    summary:
      `Held-out accuracy ${pct(before)} before, ${pct(r.best.accuracy)} best ` +
      `(step ${r.best.step}); Keep keeps that state.`,
    replaces,
  };
}
