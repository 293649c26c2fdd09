// The text box, its per-byte heat map of the sentiment unit, the next-byte
// predictions at the cursor and the classifier's verdict (with a caption on
// what each uses, and a note where they disagree or the fit is stale).
import { useMemo } from 'react';
import { staleFitReason } from '../../models/sentiment/fittedModel';
import { mlstmIdOf, useSentimentFineTuneStore } from '../../state/sentimentFineTuneStore';
import { MAX_TEXT_BYTES, useSentimentStore } from '../../state/sentimentStore';
import { byteCells, byteLabel, heatColor, topBytes } from './heat';
import { heatVerdictDisagreement, verdictCaution } from './heatVerdict';

const encoder = new TextEncoder();

export function TextReader() {
  const text = useSentimentStore((s) => s.text);
  const setText = useSentimentStore((s) => s.setText);
  const setCursor = useSentimentStore((s) => s.setCursor);
  const cursor = useSentimentStore((s) => s.cursor);
  const trace = useSentimentStore((s) => s.trace);
  const reading = useSentimentStore((s) => s.reading);
  const busy = useSentimentStore((s) => s.readingJob !== null);
  const classifier = useSentimentStore((s) => s.classifier);
  const manualUnit = useSentimentStore((s) => s.manualUnit);
  const setManualUnit = useSentimentStore((s) => s.setManualUnit);
  const read = useSentimentStore((s) => s.read);
  const fit = useSentimentStore((s) => s.fit);
  const fitting = useSentimentStore((s) => s.fitJob !== null);
  const activeModel = useSentimentFineTuneStore((s) => mlstmIdOf(s.active));
  const bytes = encoder.encode(text).length;
  const stale = classifier ? staleFitReason(classifier.model, activeModel) : null;

  const onSelect = (el: HTMLTextAreaElement) =>
    setCursor(encoder.encode(el.value.slice(0, el.selectionStart)).length);

  // z-scores of the unit: centred and scaled by the classifier's training statistics
  // when there is one (and signed so green reads positive), else by the largest |value|
  const cells = useMemo(() => {
    if (!trace) return null;
    const u = trace.unit;
    let centre = 0;
    let scale = Math.max(1e-6, ...Array.from(trace.values, Math.abs));
    let sign = 1;
    if (classifier && classifier.sentimentUnit === u) {
      centre = classifier.mean[u];
      scale = 2 * classifier.std[u];
      sign = Math.sign(classifier.unitWeight) || 1;
    }
    const shown = byteCells(trace.bytes);
    return Array.from(trace.values, (v, i) => ({
      label: shown[i],
      byte: trace.bytes[i],
      value: v,
      z: (sign * (v - centre)) / scale,
    }));
  }, [trace, classifier]);

  const at = reading
    ? Math.min(cursor > 0 ? cursor : reading.bytes.length, reading.bytes.length)
    : 0;
  const next =
    reading && at > 0 ? topBytes(reading.logits.subarray((at - 1) * 256, at * 256), 5) : null;
  const verdict = reading && !stale ? reading.probability : null;
  const disagreement =
    classifier && reading && verdict !== null
      ? heatVerdictDisagreement(
          classifier,
          reading.unit,
          reading.trace[reading.trace.length - 1],
          verdict,
        )
      : null;

  return (
    <div className="sentiment-reader">
      <label className="sentiment-label" htmlFor="sentiment-text">
        Text{' '}
        <span className="muted">
          ({bytes.toLocaleString('en')} of {MAX_TEXT_BYTES.toLocaleString('en')} bytes)
        </span>
      </label>
      <textarea
        id="sentiment-text"
        className="sentiment-text"
        data-testid="sentiment.text"
        rows={3}
        value={text}
        placeholder="Type a review, e.g. This film was a joy from start to finish."
        onChange={(e) => {
          setText(e.target.value);
          onSelect(e.target);
        }}
        onSelect={(e) => onSelect(e.currentTarget)}
      />
      <div className="sentiment-row">
        <button type="button" data-testid="sentiment.read" disabled={bytes === 0} onClick={read}>
          Read now
        </button>
        {classifier ? (
          <span className="muted" data-testid="sentiment.unit">
            Heat map: sentiment unit {classifier.sentimentUnit} (from the fitted classifier)
          </span>
        ) : (
          <label className="muted">
            Heat map unit{' '}
            <input
              type="number"
              min={0}
              step={1}
              value={manualUnit}
              data-testid="sentiment.unitInput"
              onChange={(e) => setManualUnit(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            />{' '}
            (fit a classifier to find the sentiment unit)
          </label>
        )}
        {busy && (
          <span className="muted" role="status" data-testid="sentiment.reading">
            Reading…
          </span>
        )}
      </div>
      {cells && (
        <>
          <div
            className="sentiment-heatmap"
            data-testid="sentiment.heatmap"
            data-cells={cells.length}
          >
            {cells.map((c, i) => (
              <span
                key={i}
                className={c.label === '' ? 'cell cont' : 'cell'}
                data-testid="sentiment.heatmap.cell"
                style={{ background: heatColor(c.z) }}
                title={`byte ${i}: 0x${c.byte.toString(16).padStart(2, '0')}, unit ${c.value.toFixed(3)}`}
              >
                {c.label}
              </span>
            ))}
          </div>
          <div className="sentiment-legend" data-testid="sentiment.legend">
            <span>{classifier ? 'negative' : `unit ${trace!.unit} low`}</span>
            <span className="sentiment-legend-bar" />
            <span>{classifier ? 'positive' : 'high'}</span>
            <span className="muted">
              {classifier
                ? `cell state of unit ${trace!.unit} after each byte, ±2 std of the labelled set`
                : `cell state of unit ${trace!.unit} after each byte, scaled to its largest |value|`}
            </span>
          </div>
        </>
      )}
      {reading && (
        <div className="sentiment-row">
          {next && (
            <div className="sentiment-next" data-testid="sentiment.next">
              <span className="muted">Next byte after byte {at}:</span>
              {next.map((n) => (
                <span
                  key={n.byte}
                  className="sentiment-next-item"
                  data-testid="sentiment.next.item"
                >
                  <code>{byteLabel(n.byte)}</code> {(100 * n.p).toFixed(1)}%
                </span>
              ))}
            </div>
          )}
          {verdict !== null && (
            <div
              className={`sentiment-verdict ${verdict > 0.5 ? 'pos' : 'neg'}`}
              data-testid="sentiment.verdict"
            >
              {verdict > 0.5 ? 'Positive' : 'Negative'}: P(positive) = {(100 * verdict).toFixed(1)}%
            </div>
          )}
        </div>
      )}
      {reading && verdict !== null && classifier && (
        <p className="muted sentiment-caption" data-testid="sentiment.caption">
          The heat map is unit {reading.unit} alone; the verdict uses all {classifier.nonZero} units
          with non-zero weight.{' '}
          {disagreement && <strong data-testid="sentiment.disagree">{disagreement}</strong>}
          {verdictCaution(classifier) && (
            <strong data-testid="sentiment.caution"> {verdictCaution(classifier)}</strong>
          )}
        </p>
      )}
      {stale && (
        <div className="sentiment-stale" data-testid="sentiment.stale" role="status">
          <span>
            The sentiment classifier was {stale}; no verdict until it is refitted on the labelled
            set.
          </span>
          <button type="button" data-testid="sentiment.refit" disabled={fitting} onClick={fit}>
            {fitting ? 'Refitting… (see Jobs)' : 'Refit'}
          </button>
        </div>
      )}
    </div>
  );
}
