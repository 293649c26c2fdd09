// Fine-tune the mLSTM and its head on the labelled set: settings with a time
// estimate, progress and a live curve, Cancel, then Keep or Discard; a kept
// model is labelled as fine-tuned and can be reverted to the pretrained one.
// Training needs WebGPU: without it the button is disabled and says why.
import { useEffect } from 'react';
import { MAX_FINETUNE_EXAMPLES } from '../../jobs/sentimentFineTuneJob';
import { useBackendStore } from '../../state/backendStore';
import { useSentimentFineTuneStore } from '../../state/sentimentFineTuneStore';
import { useSentimentStore } from '../../state/sentimentStore';
import { reviewFineTune } from './fineTuneReview';
import { LossAccuracyCurve } from './LossAccuracyCurve';

const pct = (a: number) => `${(100 * a).toFixed(0)}%`;

function duration(s: number): string {
  return s < 90 ? `${Math.max(1, Math.round(s))} s` : `${Math.round(s / 60)} min`;
}

export function FineTune() {
  const st = useSentimentFineTuneStore();
  const labelled = useSentimentStore((s) => s.labelled);
  const classifier = useSentimentStore((s) => s.classifier);
  const backend = useBackendStore((b) => b.state);
  const backendMessage = useBackendStore((b) => b.message);
  const noWebGpu = backend === 'unavailable';
  const review = st.candidate ? reviewFineTune(st.candidate, classifier) : null;
  const running = st.job !== null;
  const restore = st.restore;
  useEffect(() => {
    void restore();
  }, [restore]);
  // recomputed on each render: the labelled set and options are both in scope
  const estimate = labelled.length > 0 ? st.getEstimate() : null;
  const last = st.evals.at(-1);
  // paced from the steps done so far (the first step also loads the model)
  const now = Date.now();
  const left =
    running && st.step >= 2
      ? (((now - st.firstStepAt) / (st.step - 1)) * (st.steps - st.step)) / 1000
      : null;
  return (
    <div className="sentiment-labelled" data-testid="sentiment.finetune">
      {st.active && (
        <div className="sentiment-result" data-testid="sentiment.finetune.active">
          <strong>Fine-tuned model in use</strong>
          <span>
            trained on {st.active.trainCount} examples ({st.active.epochs} epoch
            {st.active.epochs > 1 ? 's' : ''}, texts cut to {st.active.maxBytes} bytes); held-out
            accuracy {pct(st.active.before)} → {pct(st.active.after)} on {st.active.valCount}
          </span>
          <button
            type="button"
            data-testid="sentiment.finetune.revert"
            disabled={running}
            onClick={() => void st.revert()}
          >
            Revert to pretrained
          </button>
        </div>
      )}
      <div className="sentiment-row">
        <label>
          Epochs{' '}
          <input
            type="number"
            min={1}
            max={20}
            defaultValue={st.options.epochs}
            data-testid="sentiment.finetune.epochs"
            onChange={(e) => st.setOptions({ epochs: Number(e.target.value) })}
          />
        </label>
        <label>
          Bytes per text{' '}
          <input
            type="number"
            min={8}
            max={512}
            defaultValue={st.options.maxBytes}
            data-testid="sentiment.finetune.maxBytes"
            onChange={(e) => st.setOptions({ maxBytes: Number(e.target.value) })}
          />
        </label>
        {running ? (
          <button type="button" data-testid="sentiment.finetune.cancel" onClick={st.cancel}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="sentiment.finetune.start"
            disabled={noWebGpu || st.candidate !== null || st.optionsError !== null}
            onClick={st.start}
          >
            Fine-tune
          </button>
        )}
        {noWebGpu ? (
          <span className="muted" data-testid="sentiment.finetune.needsWebGpu">
            Fine-tuning trains the mLSTM on the GPU and needs WebGPU, which this page cannot use
            {backendMessage ? `: ${backendMessage}` : '.'} Reading, fitting and generating still
            work.
          </span>
        ) : (
          <span className="muted" data-testid="sentiment.finetune.estimate">
            {estimate === null
              ? 'Needs at least 4 labelled examples, two of each class.'
              : `About ${duration(estimate)}: the LM and the head train together on up to ` +
                `${MAX_FINETUNE_EXAMPLES} examples; a quarter of each class is held out.`}
          </span>
        )}
      </div>
      {st.optionsError && (
        <div className="sentiment-error" role="alert" data-testid="sentiment.finetune.optionsError">
          <span>{st.optionsError}</span>
        </div>
      )}
      {st.error && (
        <div className="sentiment-error" role="alert" data-testid="sentiment.finetune.error">
          <span>{st.error}</span>
        </div>
      )}
      {(running || st.losses.length > 0) && (
        <div className="sentiment-row">
          <LossAccuracyCurve losses={st.losses} evals={st.evals} steps={st.steps} />
          <span data-testid="sentiment.finetune.progress">
            {running ? `step ${st.step} of ${st.steps || '…'}` : `${st.step} steps`}
            {last ? `, held-out accuracy ${pct(last.accuracy)}${running ? '' : ' at the end'}` : ''}
            {running ? `; ${duration((now - st.startedAt) / 1000)} so far` : ''}
            {left !== null ? `, about ${duration(left)} left` : ''}
          </span>
        </div>
      )}
      {review && (
        <div
          className="sentiment-row"
          data-testid="sentiment.finetune.review"
          data-can-keep={review.canKeep}
        >
          <span>{review.summary}</span>
          <button
            type="button"
            className="primary"
            data-testid="sentiment.finetune.keep"
            disabled={!review.canKeep}
            onClick={() => void st.keep()}
          >
            Keep
          </button>
          <button type="button" data-testid="sentiment.finetune.discard" onClick={st.discard}>
            Discard
          </button>
          {review.replaces && (
            <span className="muted" data-testid="sentiment.finetune.replaces">
              {review.replaces}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
