// The labelled set: add the current text as positive or negative, load a
// label,sentence CSV, delete examples, and fit the classifier (a job).
import { useEmotionStore } from '../../state/emotionStore';
import { exampleText, useSentimentStore } from '../../state/sentimentStore';
import { EmotionSet } from './EmotionSet';
import { LabelModeSwitch } from './LabelModeSwitch';

export function LabelledSet() {
  const labelled = useSentimentStore((s) => s.labelled);
  const addExample = useSentimentStore((s) => s.addExample);
  const removeExample = useSentimentStore((s) => s.removeExample);
  const clearExamples = useSentimentStore((s) => s.clearExamples);
  const loadCsv = useSentimentStore((s) => s.loadCsv);
  const fit = useSentimentStore((s) => s.fit);
  const fitting = useSentimentStore((s) => s.fitJob !== null);
  const classifier = useSentimentStore((s) => s.classifier);
  const mode = useEmotionStore((s) => s.mode);
  const positives = labelled.filter((e) => e.label === 1).length;
  if (mode === 'emotions') {
    return (
      <div className="sentiment-labelled">
        <LabelModeSwitch />
        <EmotionSet />
      </div>
    );
  }

  return (
    <div className="sentiment-labelled">
      <LabelModeSwitch />
      <div className="sentiment-row">
        <button type="button" data-testid="sentiment.addPositive" onClick={() => addExample(1)}>
          + Positive
        </button>
        <button type="button" data-testid="sentiment.addNegative" onClick={() => addExample(0)}>
          + Negative
        </button>
        <label className="sentiment-file">
          Load CSV (label,sentence)
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="sentiment.csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void loadCsv(file);
            }}
          />
        </label>
        <span className="muted" data-testid="sentiment.labelled.count">
          {labelled.length} examples ({positives} positive, {labelled.length - positives} negative)
        </span>
        {labelled.length > 0 && (
          <button
            type="button"
            className="link"
            data-testid="sentiment.labelled.clear"
            onClick={clearExamples}
          >
            Clear all
          </button>
        )}
      </div>
      <ul className="sentiment-list" data-testid="sentiment.labelled">
        {labelled.map((e) => (
          <li key={e.id} data-testid="sentiment.labelled.item" data-label={e.label}>
            <span className={`pill ${e.label ? 'pos' : 'neg'}`}>{e.label ? 'pos' : 'neg'}</span>
            <span className="sentiment-example">{exampleText(e)}</span>
            <button
              type="button"
              className="icon"
              aria-label="Delete example"
              data-testid="sentiment.labelled.delete"
              onClick={() => removeExample(e.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="sentiment-row">
        <button
          type="button"
          className="primary"
          data-testid="sentiment.fit"
          disabled={fitting}
          onClick={fit}
        >
          {fitting ? 'Fitting… (see Jobs)' : 'Fit'}
        </button>
        <span className="muted">
          L1 logistic regression on the mLSTM's final cell states; lambda chosen by k-fold
          cross-validation (k = min(5, examples)), then refitted on all examples.
        </span>
      </div>
      {classifier && (
        <div className="sentiment-result" data-testid="sentiment.fit.result">
          <span data-testid="sentiment.fit.accuracy">
            {classifier.folds > 0 ? 'Cross-validated' : 'Held-out'} accuracy{' '}
            {(100 * classifier.accuracy).toFixed(1)}%
          </span>
          <span>
            ({classifier.folds > 0 ? `${classifier.folds}-fold, ` : 'trained on '}
            {classifier.trainCount} examples)
          </span>
          <span data-testid="sentiment.fit.unit">
            sentiment unit {classifier.sentimentUnit} (weight {classifier.unitWeight.toFixed(2)})
          </span>
          <span>
            {classifier.nonZero} of {classifier.hidden} weights non-zero, lambda{' '}
            {classifier.lambda.toExponential(1)}
          </span>
        </div>
      )}
    </div>
  );
}
