// The emotion classifier in the shared Read area (both labelling modes): the
// emotion probabilities of the text being read, one bar per emotion (green
// where p > 0.5); a note with Refit when the fit came from another mLSTM than
// the one in use (its bars would be meaningless); and emotion errors, which
// the Emotions mode shows in its own section.
import { useEffect } from 'react';
import { staleFitReason } from '../../models/sentiment/fittedModel';
import { LABEL_THRESHOLD } from '../../models/sentiment/multiLabelMetrics';
import { useEmotionStore } from '../../state/emotionStore';
import { mlstmIdOf, useSentimentFineTuneStore } from '../../state/sentimentFineTuneStore';
import { useSentimentStore } from '../../state/sentimentStore';
import './emotions.css';

/** ms after the last keystroke before the emotions are read again */
const READ_DELAY_MS = 700;

export function EmotionBars() {
  const restore = useEmotionStore((s) => s.restore);
  const classifier = useEmotionStore((s) => s.classifier);
  const reading = useEmotionStore((s) => s.reading);
  const read = useEmotionStore((s) => s.read);
  const fit = useEmotionStore((s) => s.fit);
  const fitting = useEmotionStore((s) => s.fitJob !== null);
  const mode = useEmotionStore((s) => s.mode);
  const notice = useEmotionStore((s) => s.notice);
  const dismissNotice = useEmotionStore((s) => s.dismissNotice);
  const activeModel = useSentimentFineTuneStore((s) => mlstmIdOf(s.active));
  const text = useSentimentStore((s) => s.text);

  useEffect(() => {
    void restore();
  }, [restore]);

  // a Keep or Revert changes the model: read again (or clear the bars when the fit is stale)
  useEffect(() => {
    if (!classifier) return;
    const timer = setTimeout(() => read(text), READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, classifier, read, activeModel]);

  const stale = classifier ? staleFitReason(classifier.model, activeModel) : null;
  const current =
    classifier && !stale && reading?.text === text && reading.model === activeModel
      ? reading
      : null;
  // the Emotions mode shows its notices itself; here only errors, so they are seen in either mode
  const error = mode === 'sentiment' && notice?.level === 'error' ? notice : null;
  if (!current && !stale && !error) return null;
  return (
    <div className="emotion-panel" data-testid="emotions.panel">
      {error && (
        <div className="sentiment-error" data-testid="emotions.error" role="alert">
          <span>Emotions: {error.message}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={dismissNotice}>
            ×
          </button>
        </div>
      )}
      {stale && (
        <div className="sentiment-stale" data-testid="emotions.stale" role="status">
          <span>
            The emotion classifier was {stale}; its bars are hidden until it is refitted on the
            tagged set.
          </span>
          <button type="button" data-testid="emotions.refit" disabled={fitting} onClick={fit}>
            {fitting ? 'Refitting… (see Jobs)' : 'Refit emotions'}
          </button>
        </div>
      )}
      {current && classifier && (
        <>
          <span className="muted">Emotions of this text</span>
          <div className="emotion-bars" data-testid="emotions.bars">
            {classifier.labels.map((name, c) => {
              const p = current.probs[c];
              return (
                <div key={name} className="emotion-bar-row" data-testid="emotions.bar">
                  <span className="emotion-bar-name" data-testid="emotions.bar.name">
                    {name}
                  </span>
                  <span className={`emotion-bar ${p > LABEL_THRESHOLD ? 'on' : ''}`}>
                    <span style={{ width: `${(100 * p).toFixed(1)}%` }} />
                  </span>
                  <span className="emotion-bar-p" data-testid="emotions.bar.p">
                    {(100 * p).toFixed(1)}%
                  </span>
                </div>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
