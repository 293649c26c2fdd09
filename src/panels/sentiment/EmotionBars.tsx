// The emotion probabilities of the text being read (after an emotion
// classifier is fitted): one bar per emotion, green where p > 0.5.
import { useEffect } from 'react';
import { useEmotionStore } from '../../state/emotionStore';
import { useSentimentStore } from '../../state/sentimentStore';
import { LABEL_THRESHOLD } from '../../models/sentiment/multiLabelMetrics';
import './emotions.css';

/** ms after the last keystroke before the emotions are read again */
const READ_DELAY_MS = 700;

export function EmotionBars() {
  const restore = useEmotionStore((s) => s.restore);
  const classifier = useEmotionStore((s) => s.classifier);
  const reading = useEmotionStore((s) => s.reading);
  const read = useEmotionStore((s) => s.read);
  const text = useSentimentStore((s) => s.text);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    if (!classifier) return;
    const timer = setTimeout(() => read(text), READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, classifier, read]);

  const current = classifier && reading?.text === text ? reading : null;
  if (!current || !classifier) return null;
  return (
    <div className="sentiment-row" data-testid="emotions.bars">
      <span className="muted">Emotions of this text:</span>
      <div className="emotion-bars">
        {classifier.labels.map((name, c) => {
          const p = current.probs[c];
          return (
            <div key={name} style={{ display: 'contents' }} data-testid="emotions.bar">
              <span data-testid="emotions.bar.name">{name}</span>
              <span className={`emotion-bar ${p > LABEL_THRESHOLD ? 'on' : ''}`}>
                <span style={{ width: `${(100 * p).toFixed(1)}%` }} />
              </span>
              <span data-testid="emotions.bar.p">{(100 * p).toFixed(1)}%</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
