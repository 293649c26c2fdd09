// Generation: a prefix, temperature, steps and the sentiment unit clamped
// positive / negative / off; bytes stream in as they are sampled.
import { decodeLenient } from '../../io/csv';
import { cancelJob } from '../../jobs/jobRunner';
import { MAX_STEPS, useSentimentStore, type ClampMode } from '../../state/sentimentStore';

export function Generator() {
  const g = useSentimentStore((s) => s.generation);
  const set = useSentimentStore((s) => s.setGeneration);
  const generate = useSentimentStore((s) => s.generate);
  const classifier = useSentimentStore((s) => s.classifier);
  const running = g.job !== null;
  return (
    <div className="sentiment-generate">
      <div className="sentiment-row">
        <label>
          Prefix{' '}
          <input
            type="text"
            value={g.prefix}
            data-testid="sentiment.gen.prefix"
            placeholder="(empty: start a new line)"
            onChange={(e) => set({ prefix: e.target.value })}
          />
        </label>
        <label>
          Temperature {g.temperature.toFixed(2)}{' '}
          <input
            type="range"
            min={0}
            max={1.5}
            step={0.05}
            value={g.temperature}
            data-testid="sentiment.gen.temperature"
            onChange={(e) => set({ temperature: Number(e.target.value) })}
          />
        </label>
        <label>
          Bytes{' '}
          <input
            type="number"
            min={1}
            max={MAX_STEPS}
            value={g.steps}
            data-testid="sentiment.gen.steps"
            onChange={(e) =>
              set({ steps: Math.max(1, Math.min(MAX_STEPS, Number(e.target.value) || 1)) })
            }
          />
        </label>
        <label>
          Sentiment unit{' '}
          <select
            value={g.clamp}
            data-testid="sentiment.gen.clamp"
            onChange={(e) => set({ clamp: e.target.value as ClampMode })}
          >
            <option value="off">free</option>
            <option value="positive" disabled={!classifier}>
              clamped positive
            </option>
            <option value="negative" disabled={!classifier}>
              clamped negative
            </option>
          </select>
        </label>
        {running ? (
          <button
            type="button"
            data-testid="sentiment.gen.cancel"
            onClick={() => cancelJob(g.job!)}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="sentiment.gen.start"
            onClick={generate}
          >
            Generate
          </button>
        )}
      </div>
      <pre
        className="sentiment-output"
        data-testid="sentiment.gen.output"
        data-bytes={g.output.length}
        data-running={running}
      >
        <span className="muted">{g.prefix}</span>
        {decodeLenient(g.output)}
        {running && <span className="sentiment-caret">▍</span>}
      </pre>
      {!classifier && (
        <p className="muted">Clamping needs a fitted classifier (it names the sentiment unit).</p>
      )}
    </div>
  );
}
