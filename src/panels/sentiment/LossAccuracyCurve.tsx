// A small live chart of a fine-tuning run: the training loss of each step
// (line, left scale) and the held-out accuracy of each evaluation (dots, 0-100%).
import type { FineTuneEval } from '../../models/sentiment/finetune';

const W = 360;
const H = 120;
const PAD = 24;

export function LossAccuracyCurve(props: {
  losses: number[];
  evals: FineTuneEval[];
  steps: number;
}) {
  const { losses, evals } = props;
  const steps = Math.max(props.steps, losses.length, 1);
  const top = Math.max(...losses, 1e-6);
  const x = (step: number) => PAD + ((W - 2 * PAD) * step) / steps;
  const yLoss = (v: number) => H - PAD + ((2 * PAD - H) * v) / top;
  const yAcc = (a: number) => H - PAD + (2 * PAD - H) * a;
  const line = losses.map((v, i) => `${x(i + 1).toFixed(1)},${yLoss(v).toFixed(1)}`).join(' ');
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Training loss and held-out accuracy"
      data-testid="sentiment.finetune.curve"
      data-points={losses.length}
      data-evals={evals.length}
      style={{ background: '#fafbfc', border: '1px solid var(--border)', borderRadius: 4 }}
    >
      <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#bbb" />
      <text x={2} y={PAD} fontSize={10} fill="#c0392b">
        {top.toFixed(2)}
      </text>
      <text x={2} y={H - PAD} fontSize={10} fill="#c0392b">
        0
      </text>
      <text x={W - PAD + 2} y={PAD} fontSize={10} fill="#2471a3">
        100%
      </text>
      <text x={PAD} y={H - 6} fontSize={10} fill="#666">
        step 0
      </text>
      <text x={W - PAD} y={H - 6} fontSize={10} fill="#666" textAnchor="end">
        {steps}
      </text>
      {losses.length > 1 && <polyline points={line} fill="none" stroke="#c0392b" />}
      {losses.length === 1 && <circle cx={x(1)} cy={yLoss(losses[0])} r={2} fill="#c0392b" />}
      {evals.map((e) => (
        <circle
          key={`${e.step}-${e.epoch}`}
          cx={x(e.step)}
          cy={yAcc(e.accuracy)}
          r={3}
          fill="#2471a3"
        >
          <title>{`step ${e.step}: held-out accuracy ${(100 * e.accuracy).toFixed(0)}%`}</title>
        </circle>
      ))}
      <text x={W / 2} y={12} fontSize={10} fill="#666" textAnchor="middle">
        loss (red line) · held-out accuracy (blue dots)
      </text>
    </svg>
  );
}
