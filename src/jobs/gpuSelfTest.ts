// Runs one small matmul on the page's current Gpu and checks it against a
// float64 CPU product: proof that the device (e.g. one re-acquired after a
// loss) really computes. Used by end-to-end tests through window.__semilab.
import { runMatmul } from '../engine/ops/matmul';
import { tensor } from '../engine/tensor';
import { requireGpu } from './gpuHost';

export interface SelfTestResult {
  adapter: string;
  /** max |gpu - cpu| over the 7x5 output */
  maxError: number;
  ok: boolean;
}

const M = 7;
const K = 9;
const N = 5;

export async function gpuSelfTest(): Promise<SelfTestResult> {
  const gpu = await requireGpu();
  // small, exactly representable values: a correct kernel is within float32 rounding
  const a = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) - 5);
  const b = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) / 4 - 1.5);
  const ta = tensor(gpu, a, [M, K]);
  const tb = tensor(gpu, b, [K, N]);
  const tc = runMatmul(ta, tb);
  try {
    const c = await tc.read();
    let maxError = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let p = 0; p < K; p++) sum += a[i * K + p]! * b[p * N + j]!;
        maxError = Math.max(maxError, Math.abs(c[i * N + j]! - sum));
      }
    }
    return { adapter: gpu.profile.name, maxError, ok: maxError <= 1e-4 };
  } finally {
    ta.dispose();
    tb.dispose();
    tc.dispose();
  }
}
