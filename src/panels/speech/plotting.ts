// Canvas helpers shared by the waveform and spectrogram views: plot margins,
// device-pixel sizing, tick choice, and the viridis colour map.

/** Plot area margins in CSS pixels; both views use the same so their time axes line up. */
export const MARGIN = { left: 52, right: 78, top: 8, bottom: 26 } as const;

export const AXIS_FONT = '11px system-ui, sans-serif';
export const AXIS_COLOR = '#5d6676';
export const GRID_COLOR = 'rgba(93, 102, 118, 0.18)';

/** Sizes `canvas` to width x height CSS px at the device pixel ratio; returns its 2D context. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.max(1, Math.round(height * ratio));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** Tick step for `span` so that about `target` ticks fit: 1, 2 or 5 x 10^k. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Draws the time axis under the plot (seconds), with light vertical grid lines. */
export function drawTimeAxis(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  seconds: number,
): void {
  const plotW = width - MARGIN.left - MARGIN.right;
  const bottom = height - MARGIN.bottom;
  const step = niceStep(seconds, Math.max(2, Math.floor(plotW / 70)));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  ctx.font = AXIS_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const x = MARGIN.left + (t / seconds) * plotW;
    ctx.strokeStyle = GRID_COLOR;
    ctx.beginPath();
    ctx.moveTo(x + 0.5, MARGIN.top);
    ctx.lineTo(x + 0.5, bottom);
    ctx.stroke();
    ctx.strokeStyle = AXIS_COLOR;
    ctx.beginPath();
    ctx.moveTo(x + 0.5, bottom);
    ctx.lineTo(x + 0.5, bottom + 4);
    ctx.stroke();
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(t.toFixed(decimals), x, bottom + 6);
  }
  ctx.textAlign = 'left';
  ctx.fillText('s', width - MARGIN.right + 6, bottom + 6);
}

// viridis at nine evenly spaced points
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/** RGB of viridis at u in [0, 1] (clamped). */
export function viridis(u: number): [number, number, number] {
  // NaN (a value the analysis could not compute) draws as the lowest colour
  const x = (Number.isNaN(u) ? 0 : Math.min(1, Math.max(0, u))) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}
