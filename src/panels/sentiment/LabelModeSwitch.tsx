// "Sentiment | Emotions": which labelling the Label and fit section shows.
import { useEmotionStore } from '../../state/emotionStore';
import './emotions.css';

export function LabelModeSwitch() {
  const mode = useEmotionStore((s) => s.mode);
  const setMode = useEmotionStore((s) => s.setMode);
  return (
    <div className="emotion-modes" role="group" aria-label="Labelling mode">
      <button
        type="button"
        aria-pressed={mode === 'sentiment'}
        data-testid="sentiment.mode.sentiment"
        onClick={() => setMode('sentiment')}
      >
        Sentiment
      </button>
      <button
        type="button"
        aria-pressed={mode === 'emotions'}
        data-testid="sentiment.mode.emotions"
        onClick={() => setMode('emotions')}
      >
        Emotions
      </button>
    </div>
  );
}
