// Measures each KernelCase on our engine and on onnxruntime-web execution
// providers, in the same page and on the same adapter. Times include one
// readback of the outputs per run on every path, since ORT returns CPU data.
import type * as Ort from 'onnxruntime-web';
import type { Gpu } from '../src/engine/gpu';
import { tensor, type Tensor } from '../src/engine/tensor';
import { randomArray } from '../src/engine/random';
import { writeOnnxModel } from '../src/io/onnxWriter';
import type { KernelCase } from './kernelCases';

export interface KernelRow {
  name: string;
  direction: string;
  /** GFLOP/s by path; null where the path cannot run the case */
  gflops: Record<string, number | null>;
  /** largest |ours - peer| over outputs, per peer */
  maxDiff: Record<string, number | null>;
}

async function timeIt(reps: number, run: () => Promise<void>): Promise<number> {
  await run(); // warm-up: pipeline compilation, allocation
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / 1000; // median seconds
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export async function benchCase(
  gpu: Gpu,
  ort: typeof Ort | null,
  providers: string[],
  c: KernelCase,
  reps: number,
): Promise<KernelRow> {
  const data: Record<string, Float32Array> = {};
  let seed = 11;
  for (const [name, shape] of Object.entries(c.inputs)) {
    data[name] = randomArray(
      shape.reduce((x, y) => x * y, 1),
      seed++,
    );
  }
  const row: KernelRow = { name: c.name, direction: c.direction, gflops: {}, maxDiff: {} };

  const inputs: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(c.inputs))
    inputs[name] = tensor(gpu, data[name], shape);
  let ours: Float32Array[] = [];
  const seconds = await timeIt(reps, async () => {
    const outs = c.ours(gpu, inputs);
    ours = await Promise.all(outs.map((t) => t.read()));
    for (const t of outs) t.dispose();
    for (const t of Object.values(inputs)) t.grad = null;
  });
  row.gflops.ours = c.flops / seconds / 1e9;
  for (const t of Object.values(inputs)) t.dispose();

  for (const provider of providers) {
    row.gflops[provider] = null;
    row.maxDiff[provider] = null;
    if (!ort || !c.onnx) continue;
    try {
      const session = await ort.InferenceSession.create(writeOnnxModel(c.onnx), {
        executionProviders: [provider],
      });
      const feeds: Record<string, Ort.Tensor> = {};
      for (const name of Object.keys(c.onnx.inputs)) {
        feeds[name] = new ort.Tensor('float32', data[name], c.inputs[name]);
      }
      let peer: Float32Array[] = [];
      const s = await timeIt(reps, async () => {
        const result = await session.run(feeds);
        peer = session.outputNames.map((n) => result[n].data as Float32Array);
      });
      row.gflops[provider] = c.flops / s / 1e9;
      row.maxDiff[provider] = Math.max(...peer.map((p, i) => maxAbsDiff(p, ours[i])));
      await session.release();
    } catch (err) {
      console.warn(`[bench] ${provider} failed on ${c.name}: ${String(err)}`);
    }
  }
  return row;
}

export function formatTable(rows: KernelRow[], peak: number, paths: string[]): string {
  const header = [
    'case',
    'dir',
    ...paths.map((p) => `${p} GFLOP/s`),
    'ours % peak',
    'ours / webgpu',
  ];
  const lines = rows.map((r) => {
    const cells = paths.map((p) => (r.gflops[p] == null ? '-' : r.gflops[p]!.toFixed(2)));
    const ours = r.gflops.ours ?? 0;
    const webgpu = r.gflops.webgpu;
    return [
      r.name,
      r.direction,
      ...cells,
      `${((100 * ours) / peak).toFixed(1)}%`,
      webgpu ? `${(ours / webgpu).toFixed(2)}x` : '-',
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    fmt(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}
