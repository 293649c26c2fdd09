import { writeFileSync } from 'node:fs';
import { openProjectPage } from './browserPage';
import { parseArgs, type Command } from './command';

interface BenchResult {
  done: boolean;
  error?: string;
  adapter?: string;
  peakGflops?: number;
  table?: string;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmark our WGSL against onnxruntime-web (WebGPU, wasm) in headless Chromium',
  usage: 'semilab bench kernels [--quick] [--reps N] [--out FILE.md]',
  async run(args) {
    const { positional, options } = parseArgs(args);
    if (positional[0] !== 'kernels') {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const scale = options.has('quick') ? 'quick' : 'full';
    const reps = Number(options.get('reps') ?? 3);
    const page = await openProjectPage(`/bench/kernels.html?scale=${scale}&reps=${reps}`);
    try {
      await page.waitFor('window.__bench && window.__bench.done', 30 * 60_000);
      const result = await page.evaluate<BenchResult>('window.__bench');
      if (result.error) throw new Error(result.error);
      const text = [
        `adapter: ${result.adapter}`,
        `measured peak (fma probe): ${result.peakGflops?.toFixed(2)} GFLOP/s`,
        `median of ${reps} runs after one warm-up; times include one readback per run on every path`,
        '',
        result.table ?? '',
      ].join('\n');
      console.log(text);
      const out = options.get('out');
      if (out) writeFileSync(out, `${text}\n`);
      return 0;
    } finally {
      await page.close();
    }
  },
};
