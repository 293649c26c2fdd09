// The emotion-tagged set: tag the current text with any of the 11 emotions
// (none: no emotion), load a SemEval-style CSV, delete examples, fit one L1
// logistic regression per emotion (a job), and the cross-validated F1 of each.
import { EMOTIONS, useEmotionStore } from '../../state/emotionStore';
import { decodeLenient } from '../../io/csv';
import './emotions.css';

export function EmotionSet() {
  const tagged = useEmotionStore((s) => s.tagged);
  const draft = useEmotionStore((s) => s.draft);
  const toggleDraft = useEmotionStore((s) => s.toggleDraft);
  const addExample = useEmotionStore((s) => s.addExample);
  const removeExample = useEmotionStore((s) => s.removeExample);
  const clearExamples = useEmotionStore((s) => s.clearExamples);
  const loadCsv = useEmotionStore((s) => s.loadCsv);
  const fit = useEmotionStore((s) => s.fit);
  const fitting = useEmotionStore((s) => s.fitJob !== null);
  const classifier = useEmotionStore((s) => s.classifier);
  const notice = useEmotionStore((s) => s.notice);
  const dismissNotice = useEmotionStore((s) => s.dismissNotice);

  return (
    <>
      {notice && (
        <div
          className={notice.level === 'error' ? 'sentiment-error' : 'sentiment-info'}
          data-testid={notice.level === 'error' ? 'emotions.error' : 'emotions.info'}
          role={notice.level === 'error' ? 'alert' : 'status'}
        >
          <span>{notice.message}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={dismissNotice}>
            ×
          </button>
        </div>
      )}
      <div className="emotion-chips" role="group" aria-label="Emotions of the text">
        {EMOTIONS.map((e) => (
          <button
            key={e}
            type="button"
            className="emotion-chip"
            aria-pressed={draft.includes(e)}
            data-testid={`emotions.chip.${e}`}
            onClick={() => toggleDraft(e)}
          >
            {e}
          </button>
        ))}
      </div>
      <div className="sentiment-row">
        <button type="button" data-testid="emotions.add" onClick={addExample}>
          + Tag text {draft.length ? `(${draft.join(', ')})` : '(no emotion)'}
        </button>
        <label className="sentiment-file">
          Load CSV (Tweet + one 0/1 column per emotion)
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="emotions.csv"
            onChange={(ev) => {
              const file = ev.target.files?.[0];
              ev.target.value = '';
              if (file) void loadCsv(file);
            }}
          />
        </label>
        <span className="muted" data-testid="emotions.count">
          {tagged.length} tagged examples
        </span>
        {tagged.length > 0 && (
          <button
            type="button"
            className="link"
            data-testid="emotions.clear"
            onClick={clearExamples}
          >
            Clear all
          </button>
        )}
      </div>
      <ul className="sentiment-list" data-testid="emotions.list">
        {tagged.map((x) => (
          <li key={x.id} data-testid="emotions.item" data-tags={x.tags.join(' ')}>
            <span className="emotion-tags">
              {x.tags.length ? (
                x.tags.map((t) => (
                  <span key={t} className="emotion-tag">
                    {t}
                  </span>
                ))
              ) : (
                <span className="muted">none</span>
              )}
            </span>
            <span className="sentiment-example">{decodeLenient(x.bytes)}</span>
            <button
              type="button"
              className="icon"
              aria-label="Delete example"
              data-testid="emotions.delete"
              onClick={() => removeExample(x.id)}
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
          data-testid="emotions.fit"
          disabled={fitting}
          onClick={fit}
        >
          {fitting ? 'Fitting… (see Jobs)' : 'Fit emotions'}
        </button>
        <span className="muted">
          One L1 logistic regression per emotion on the mLSTM's final cell states; lambda and F1 by
          k-fold cross-validation (k = min(5, examples)); an emotion is predicted when p &gt; 0.5.
        </span>
      </div>
      {classifier && (
        <div className="sentiment-result" data-testid="emotions.result">
          <span data-testid="emotions.macroF1">
            Cross-validated macro F1 {classifier.scores.macroF1.toFixed(3)}, Jaccard{' '}
            {classifier.scores.jaccard.toFixed(3)}
          </span>
          <span>({classifier.trainCount} examples)</span>
          <table className="emotion-scores">
            <tbody>
              <tr>
                <th>F1</th>
                {classifier.labels.map((l) => (
                  <th key={l}>{l}</th>
                ))}
              </tr>
              <tr data-testid="emotions.f1">
                <th />
                {classifier.scores.f1.map((f, i) => (
                  <td key={classifier.labels[i]}>{f.toFixed(2)}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
