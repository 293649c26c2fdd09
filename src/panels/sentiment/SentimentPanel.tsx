// Sentiment panel: read text with the byte mLSTM (heat map of the sentiment
// unit, next-byte predictions, the classifier's verdict), label examples and
// fit an L1 logistic regression on the mLSTM's features, and generate text
// with the sentiment unit clamped. The labelled set and the classifier are
// saved (state/sentimentStore.ts).
import { useEffect } from 'react';
import { useSentimentStore } from '../../state/sentimentStore';
import { EmotionBars } from './EmotionBars';
import { FineTune } from './FineTune';
import { Generator } from './Generator';
import { LabelledSet } from './LabelledSet';
import { TextReader } from './TextReader';
import './sentiment.css';

/** ms after the last keystroke before the text is read again */
const READ_DELAY_MS = 700;

export function SentimentPanel() {
  const restore = useSentimentStore((s) => s.restore);
  const text = useSentimentStore((s) => s.text);
  const read = useSentimentStore((s) => s.read);
  const notice = useSentimentStore((s) => s.notice);
  const dismissNotice = useSentimentStore((s) => s.dismissNotice);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    const timer = setTimeout(read, READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, read]);

  return (
    <section className="sentiment" data-testid="panel.sentiment">
      <div className="sentiment-head">
        <h1>Sentiment</h1>
        <span className="muted">
          A byte-level multiplicative LSTM reads the text one byte at a time; a logistic regression
          with an L1 penalty on its features finds the unit that tracks sentiment.
        </span>
      </div>
      {notice && (
        <div
          className={notice.level === 'error' ? 'sentiment-error' : 'sentiment-info'}
          data-testid={notice.level === 'error' ? 'sentiment.error' : 'sentiment.info'}
          role={notice.level === 'error' ? 'alert' : 'status'}
        >
          <span>{notice.message}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={dismissNotice}>
            ×
          </button>
        </div>
      )}
      <h2>Read</h2>
      <TextReader />
      <EmotionBars />
      <h2>Label and fit</h2>
      <LabelledSet />
      <h2>Fine-tune the language model</h2>
      <FineTune />
      <h2>Generate</h2>
      <Generator />
    </section>
  );
}
