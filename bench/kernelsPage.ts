// The page `semilab bench kernels` opens in headless Chromium: our WGSL and
// onnxruntime-web (WebGPU and wasm EPs) on the same shapes, same adapter.
import * as ort from 'onnxruntime-web/webgpu';
import { acquireGpu } from '../src/engine/device';
import { benchCase, formatTable, type KernelRow } from './kernelBench';
import { allCases } from './kernelCases';
import { measurePeakGflops } from './peakFlops';

interface BenchResult {
  done: boolean;
  error?: string;
  adapter?: string;
  peakGflops?: number;
  rows: KernelRow[];
  table?: string;
}

declare global {
  interface Window {
    __bench: BenchResult;
  }
}

const status = document.getElementById('status')!;
window.__bench = { done: false, rows: [] };

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const scale = params.get('scale') === 'quick' ? 'quick' : 'full';
  const reps = Number(params.get('reps') ?? 3);
  ort.env.wasm.numThreads = navigator.hardwareConcurrency;
  const acquired = await acquireGpu(navigator.gpu);
  if (!acquired.ok) throw new Error(acquired.error.message);
  const gpu = acquired.value;
  window.__bench.adapter = gpu.profile.name;
  status.textContent = 'measuring peak…';
  const peak = await measurePeakGflops(gpu);
  window.__bench.peakGflops = peak;
  const paths = ['ours', 'webgpu', 'wasm'];
  for (const c of allCases(scale)) {
    status.textContent = `${c.name} ${c.direction}…`;
    window.__bench.rows.push(await benchCase(gpu, ort, ['webgpu', 'wasm'], c, reps));
    document.getElementById('table')!.textContent = formatTable(window.__bench.rows, peak, paths);
  }
  window.__bench.table = formatTable(window.__bench.rows, peak, paths);
  status.textContent = 'done';
}

main()
  .catch((err) => {
    window.__bench.error = err instanceof Error ? err.message : String(err);
    status.textContent = `failed: ${window.__bench.error}`;
  })
  .finally(() => {
    window.__bench.done = true;
  });
