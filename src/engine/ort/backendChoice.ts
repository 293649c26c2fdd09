// Which backend runs a model's inference: our WGSL on WebGPU, or
// onnxruntime-web on wasm. On a software adapter (SwiftShader) our WGSL
// measured 1-2 GFLOP/s where ORT wasm reached 19-31 on the same two cores, so
// the choice is made per model from a short timing of both, and can be overridden.

export type BackendKind = 'webgpu' | 'wasm';

export interface BackendChoice {
  kind: BackendKind;
  /** one sentence for the header */
  reason: string;
  /** median milliseconds of the probe runs, where measured */
  measuredMs: Partial<Record<BackendKind, number>>;
  overridden: boolean;
}

export interface ChoiceInput {
  /** null when WebGPU works; otherwise the user-facing reason it does not */
  webgpuUnavailable: string | null;
  /** a backend the user picked, if any */
  override?: BackendKind | null;
  /** runs the model once on each backend and resolves its duration in ms */
  probe?: Partial<Record<BackendKind, () => Promise<number>>>;
  /** probe runs per backend after one warm-up */
  runs?: number;
}

async function medianMs(run: () => Promise<number>, runs: number): Promise<number> {
  await run(); // warm-up: compilation, allocation
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await run());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function chooseBackend(input: ChoiceInput): Promise<BackendChoice> {
  if (input.webgpuUnavailable) {
    return {
      kind: 'wasm',
      reason: `onnxruntime-web (wasm): ${input.webgpuUnavailable}`,
      measuredMs: {},
      overridden: false,
    };
  }
  if (input.override) {
    return {
      kind: input.override,
      reason: `${input.override === 'webgpu' ? 'our WebGPU kernels' : 'onnxruntime-web (wasm)'}: chosen by you`,
      measuredMs: {},
      overridden: true,
    };
  }
  const runs = input.runs ?? 2;
  const measuredMs: Partial<Record<BackendKind, number>> = {};
  for (const kind of ['webgpu', 'wasm'] as const) {
    const probe = input.probe?.[kind];
    if (!probe) continue;
    try {
      measuredMs[kind] = await medianMs(probe, runs);
    } catch {
      // a backend that fails its probe is not chosen
    }
  }
  const gpu = measuredMs.webgpu;
  const wasm = measuredMs.wasm;
  if (gpu === undefined && wasm === undefined) {
    return {
      kind: 'webgpu',
      reason: 'our WebGPU kernels: no measurement available',
      measuredMs,
      overridden: false,
    };
  }
  if (wasm === undefined || (gpu !== undefined && gpu <= wasm)) {
    const detail =
      wasm === undefined ? 'wasm unavailable' : `${ratio(wasm, gpu!)} faster than wasm`;
    return {
      kind: 'webgpu',
      reason: `our WebGPU kernels: ${detail} (${fmt(gpu!)} vs ${fmt(wasm)})`,
      measuredMs,
      overridden: false,
    };
  }
  const detail =
    gpu === undefined ? 'WebGPU path failed' : `${ratio(gpu, wasm)} faster than WebGPU here`;
  return {
    kind: 'wasm',
    reason: `onnxruntime-web (wasm): ${detail} (${fmt(wasm)} vs ${fmt(gpu)})`,
    measuredMs,
    overridden: false,
  };
}

function ratio(slow: number, fast: number): string {
  return `${(slow / Math.max(fast, 1e-6)).toFixed(1)}x`;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? '-' : `${ms.toFixed(1)} ms`;
}
