import { PlannedPanel } from '../common/PlannedPanel';

export function SentimentPanel() {
  return (
    <PlannedPanel
      testId="panel.sentiment"
      title="Sentiment"
      purpose={
        'Read the sentiment of text character by character: a byte-level mLSTM language model ' +
        'turns the text into features, and a logistic regression trained on a few labelled ' +
        'reviews scores them.'
      }
      steps={[
        'Type or paste text (for example a product review).',
        'Featurize it with the mLSTM, one byte at a time.',
        'Score it with a logistic regression on those features; show a per-character heat map.',
        'Generate text from the model, optionally steered towards a sentiment.',
      ]}
      models={['mlstm', 'logistic regression']}
    />
  );
}
