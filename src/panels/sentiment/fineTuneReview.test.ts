// What the panel and the job card say about a finished fine-tuning run: a run
// whose best state is its start has nothing to keep, and Keep warns when it
// replaces a classifier trained on more examples than the run used.
import { describe, expect, it } from 'vitest';
import { fineTuneOutcomeNote } from '../../jobs/sentimentFineTuneJob';
import type { SentimentClassifier } from '../../models/sentiment/classifier';
import { reviewFineTune } from './fineTuneReview';

const evals = (...acc: number[]) => acc.map((accuracy, step) => ({ step, epoch: step, accuracy }));

function classifier(trainCount: number, fitted: boolean): SentimentClassifier {
  return {
    trainCount,
    grid: fitted ? [{ lambda: 0.1, accuracy: 0.8, nonZero: 3 }] : [],
  } as unknown as SentimentClassifier;
}

describe('a run where no step beat the start', () => {
  // 63% at the start, every later evaluation worse; the last one (56%) is not what stays
  const run = { evals: evals(0.63, 0.5, 0.56), trainCount: 48, start: 'pretrained' as const };
  const best = run.evals[0];

  it('offers nothing to keep, naming the start and the best step', () => {
    const r = reviewFineTune({ ...run, best }, classifier(872, true));
    expect(r.canKeep).toBe(false);
    expect(r.summary).toBe(
      'Held-out accuracy 63% before (the best step reached 56%). ' +
        'No step improved on the pretrained model; nothing to keep.',
    );
    // nothing is replaced when nothing is kept
    expect(r.replaces).toBeNull();
  });

  it('says so on the job card instead of the last evaluation', () => {
    expect(fineTuneOutcomeNote({ ...run, best })).toBe(
      'no step improved on the pretrained model (held-out accuracy 63%); nothing to keep',
    );
    const fromKept = { ...run, best, start: 'fine-tuned' as const };
    expect(fineTuneOutcomeNote(fromKept)).toMatch(
      /^no step improved on the fine-tuned model in use/,
    );
  });
});

describe('a run with a better step', () => {
  // best at step 1 (75%), the last evaluation dropped to 50%
  const run = { evals: evals(0.5, 0.75, 0.5), trainCount: 48, start: 'pretrained' as const };
  const best = run.evals[1];

  it('keeps the best state and names its accuracy, not the last one', () => {
    const r = reviewFineTune({ ...run, best }, null);
    expect(r.canKeep).toBe(true);
    expect(r.summary).toBe(
      'Held-out accuracy 50% before, 75% best (step 1); Keep keeps that state.',
    );
    expect(r.replaces).toBeNull();
    expect(fineTuneOutcomeNote({ ...run, best })).toBe(
      'best state: step 1, held-out accuracy 75% (50% before); Keep keeps it',
    );
  });

  it('warns when Keep replaces a classifier fitted on more examples', () => {
    expect(reviewFineTune({ ...run, best }, classifier(872, true)).replaces).toBe(
      'Keep replaces the classifier fitted on 872 examples with a head trained on 48.',
    );
    expect(reviewFineTune({ ...run, best }, classifier(64, false)).replaces).toBe(
      'Keep replaces the head fine-tuned on 64 examples with a head trained on 48.',
    );
    // as many examples or fewer: nothing to warn about
    expect(reviewFineTune({ ...run, best }, classifier(48, true)).replaces).toBeNull();
    expect(reviewFineTune({ ...run, best }, classifier(6, true)).replaces).toBeNull();
  });
});
