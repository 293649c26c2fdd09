// The log-mel of a recording on the backend chosen for this device: our
// WGSL (models/mel/logMel) or onnxruntime-web wasm (models/mel/logMelOnnx).
import { logMel } from '../models/mel/logMel';
import { LogMelWasm } from '../models/mel/logMelOnnx';
import { MEL, melFrameCount } from '../models/mel/melConfig';
import type { BackendKind } from '../engine/ort/backendChoice';
import { getBackendStatus, startGpu } from './gpuHost';
import { backendFor } from './modelBackends';

export interface LogMelResult {
  /** row-major [bands, frames] */
  data: Float32Array;
  bands: number;
  frames: number;
  /** wall-clock ms of the analysis (upload, compute, read back) */
  ms: number;
  backend: BackendKind;
}

let wasm: Promise<LogMelWasm> | null = null;

async function runWasm(samples: Float32Array): Promise<Float32Array> {
  wasm ??= LogMelWasm.create();
  return (await wasm).run(samples);
}

async function runWebGpu(samples: Float32Array): Promise<Float32Array> {
  const gpu = await startGpu();
  if (!gpu) throw new Error(getBackendStatus().message ?? 'WebGPU is not available');
  const t = await logMel(gpu, samples);
  try {
    return await t.read();
  } finally {
    t.dispose();
  }
}

const RUN: Record<BackendKind, (samples: Float32Array) => Promise<Float32Array>> = {
  webgpu: runWebGpu,
  wasm: runWasm,
};

/** 1 s of deterministic noise: long enough to time, short enough not to be felt. */
function probeSignal(): Float32Array {
  let s = 12345;
  return new Float32Array(MEL.sampleRate).map(() => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s / 2 ** 32 - 0.5) * 0.5;
  });
}

function timed(run: (samples: Float32Array) => Promise<unknown>, samples: Float32Array) {
  return async () => {
    const start = performance.now();
    await run(samples);
    return performance.now() - start;
  };
}

export async function computeLogMel(samples: Float32Array): Promise<LogMelResult> {
  const gpu = await startGpu();
  const choice = await backendFor('log-mel', () => {
    const signal = probeSignal();
    return {
      webgpuUnavailable: gpu ? null : (getBackendStatus().message ?? 'WebGPU is not available'),
      probe: { webgpu: timed(runWebGpu, signal), wasm: timed(runWasm, signal) },
    };
  });
  const start = performance.now();
  const data = await RUN[choice.kind](samples);
  return {
    data,
    bands: MEL.bands,
    frames: melFrameCount(samples.length),
    ms: performance.now() - start,
    backend: choice.kind,
  };
}
