// Test helper: one Gpu per test file, or null where no adapter exists (suites then skip).
import { acquireGpu } from './device';
import type { Gpu } from './gpu';
import { nodeGpuApi } from './node/dawn';

let pending: Promise<Gpu | null> | null = null;

export function testGpu(): Promise<Gpu | null> {
  pending ??= (async () => {
    const result = await acquireGpu(await nodeGpuApi());
    if (!result.ok) {
      console.warn(`[test] no WebGPU adapter, GPU suites skip: ${result.error.message}`);
      return null;
    }
    return result.value;
  })();
  return pending;
}

/** Max |a-b| / (atol + rtol*|b|) over all elements; <= 1 means close. */
export function closeness(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-5,
  rtol = 1e-4,
): number {
  if (actual.length !== expected.length) {
    throw new Error(
      `closeness: length mismatch (expected ${expected.length}, got ${actual.length})`,
    );
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(a) !== Number.isNaN(b)) return Infinity;
    worst = Math.max(worst, Math.abs(a - b) / (atol + rtol * Math.abs(b)));
  }
  return worst;
}

export { randomArray } from './random';
