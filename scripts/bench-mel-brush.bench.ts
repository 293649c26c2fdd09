// Cost of one brush move on a 10-minute log-mel (80 x 25840 frames) with the
// brush the editor gives a 4-band radius on a 770 x 226 px plot (379 frames
// wide): before, every move repainted the whole stroke over the whole mel
// (paintStroke, as melEditStore did); now it paints only the new segment
// (StrokePainter.addPoints). Run:
//   npx vitest bench --run scripts/bench-mel-brush.bench.ts
// 2-core Xeon shared with other jobs, Node 20, two runs (per move; noise is large):
//   raise:  whole stroke min 29-46 ms, mean 119-144 ms; new segment median 0.4 ms, mean 0.8-1.0 ms
//   smooth: whole stroke min 1.0-1.8 s, mean 1.5-2.7 s; new segment min 2 ms, mean 5-12 ms
// In Chromium (page with a 51680-frame mel, playwright pointer moves): a raise move takes
// 27-34 ms round trip against 18 ms for a plain hover, i.e. about 10-15 ms of painting.
// (the figures are also in the speechPolish report)
import { bench, describe } from 'vitest';
import {
  paintStroke,
  StrokePainter,
  type BrushTool,
  type CellPoint,
} from '../src/models/mel/melEdit';

const BANDS = 80;
const FRAMES = 25840;
const base = {
  data: new Float32Array(BANDS * FRAMES).map((_, i) => -8 + 6 * Math.abs(Math.sin(i * 0.37))),
  bands: BANDS,
  frames: FRAMES,
};
const brush = { radiusFrames: (4 * (226 / 80)) / (770 / FRAMES), radiusBands: 4 };

/** Pointer samples of a drag across the middle: about 3 px (100 frames) apart, a gentle wave. */
function point(i: number): CellPoint {
  const k = i % 200;
  const frame = 8000 + 100 * (k < 100 ? k : 200 - k);
  return { frame, band: 40 + 10 * Math.sin(i * 0.1) };
}

const opts = { time: 2000, warmupIterations: 2 };

for (const tool of ['raise', 'smooth'] as BrushTool[]) {
  describe(`one brush move, ${tool}, 10-minute mel`, () => {
    // the 41st move of a stroke
    const stroke = Array.from({ length: 41 }, (_, i) => point(i));
    bench(
      'before: repaint the whole stroke',
      () => {
        paintStroke(base, stroke, tool, 2, brush);
      },
      opts,
    );
    const painter = new StrokePainter(base, tool, 2, brush);
    painter.addPoints(stroke.slice(0, 40));
    let next = 40;
    bench(
      'after: paint the new segment',
      () => {
        painter.addPoints([point(next++)]);
      },
      opts,
    );
  });
}
