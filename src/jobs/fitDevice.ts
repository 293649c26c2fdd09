// Where the L1 fits of the Sentiment panel run. FISTA is hundreds of small dispatches per
// lambda and fold; on a software adapter (SwiftShader) each costs milliseconds, so the CPU
// fitter is far faster there: an 11-emotion fit of 24 texts took 54 s on SwiftShader, a
// 40-text sentiment fit 1.3 s on the CPU (cpuL1Problems.ts).
import type { Gpu } from '../engine/gpu';
import { isSoftwareAdapter } from '../engine/profile';

/** The GPU for an L1 fit, or null for the CPU fitter. */
export function fitGpu(gpu: Gpu | null): Gpu | null {
  return gpu && !isSoftwareAdapter(gpu.facts) ? gpu : null;
}

/** For progress lines: where a fit with `fitGpu(gpu)` runs. */
export function fitPlace(gpu: Gpu | null): string {
  if (fitGpu(gpu)) return 'on the GPU';
  return gpu ? 'on the CPU (faster than a software WebGPU adapter)' : 'on the CPU';
}
