// A small SVG line chart of a training loss per step: the x axis spans the
// planned steps (so the line grows to the right as the run goes), the y axis
// the range of the losses so far, with the first and last value labelled.

export interface LossCurveProps {
  /** lr: the step's learning rate, shown on hover when given */
  points: ReadonlyArray<{ step: number; loss: number; lr?: number }>;
  /** steps planned for the run (x axis end) */
  totalSteps: number;
  width: number;
  height?: number;
  /** the held-out NLL before training, drawn as a dashed reference line */
  reference?: number | null;
}

const PAD = { left: 52, right: 12, top: 10, bottom: 24 };

export function LossCurve({ points, totalSteps, width, height = 150, reference }: LossCurveProps) {
  const w = Math.max(160, width);
  const innerW = w - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const values = points.map((p) => p.loss).filter(Number.isFinite);
  if (reference != null && Number.isFinite(reference)) values.push(reference);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const xEnd = Math.max(2, totalSteps);
  const x = (step: number) => PAD.left + ((step - 1) / (xEnd - 1)) * innerW;
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * innerH;
  const line = points
    .filter((p) => Number.isFinite(p.loss))
    .map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`)
    .join(' ');
  const last = points.at(-1);
  return (
    <svg
      className="loss-curve"
      width={w}
      height={height}
      role="img"
      aria-label={`Training NLL over ${points.length} of ${totalSteps} steps`}
      data-testid="speech.finetune.curve"
      data-points={points.length}
    >
      <rect
        x={PAD.left}
        y={PAD.top}
        width={innerW}
        height={innerH}
        fill="none"
        style={{ stroke: 'var(--border)' }}
      />
      <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" fontSize="11">
        {hi.toFixed(2)}
      </text>
      <text x={PAD.left - 6} y={PAD.top + innerH} textAnchor="end" fontSize="11">
        {lo.toFixed(2)}
      </text>
      <text x={PAD.left} y={height - 6} fontSize="11">
        step 1
      </text>
      <text x={PAD.left + innerW} y={height - 6} textAnchor="end" fontSize="11">
        {`step ${totalSteps}`}
      </text>
      <text x={PAD.left + innerW / 2} y={height - 6} textAnchor="middle" fontSize="11">
        NLL per sample (nats)
      </text>
      {reference != null && Number.isFinite(reference) && (
        <line
          x1={PAD.left}
          x2={PAD.left + innerW}
          y1={y(reference)}
          y2={y(reference)}
          style={{ stroke: 'var(--muted)' }}
          strokeDasharray="4 3"
        >
          <title>{`held-out NLL before: ${reference.toFixed(3)}`}</title>
        </line>
      )}
      {points.length > 1 && (
        <polyline points={line} fill="none" style={{ stroke: 'var(--accent)' }} strokeWidth={1.8} />
      )}
      {points.map((p) =>
        Number.isFinite(p.loss) ? (
          <circle
            key={p.step}
            cx={x(p.step)}
            cy={y(p.loss)}
            r={2.5}
            style={{ fill: 'var(--accent)' }}
          >
            <title>
              {`step ${p.step}: NLL ${p.loss.toFixed(4)}` +
                (p.lr === undefined ? '' : `, lr ${p.lr.toExponential(2)}`)}
            </title>
          </circle>
        ) : null,
      )}
      {last && Number.isFinite(last.loss) && (
        <text
          x={Math.min(x(last.step) + 6, PAD.left + innerW - 40)}
          y={Math.max(y(last.loss) - 6, PAD.top + 10)}
          fontSize="11"
          className="loss-curve-last"
        >
          {last.loss.toFixed(3)}
        </text>
      )}
    </svg>
  );
}
