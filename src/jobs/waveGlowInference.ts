// The vocoder for synthesis on the backend chosen for this device: our WGSL
// WaveGlow (jobs/vocoder.ts) or its onnxruntime-web wasm twin
// (models/waveglow/waveGlowOnnx.ts), built from the active weights: the kept
// fine-tuned model (jobs/activeVocoder.ts) or the default one. Inverting a
// recording, the likelihood and fine-tuning stay on WebGPU.
import { fail, ok, type Result } from '../engine/assert';
import { parseSafetensors } from '../io/safetensors';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { CONFIG_FILE, urlFiles, WEIGHTS_FILE } from '../models/waveglow/defaultModel';
import type { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { validateWaveGlowTensors } from '../models/waveglow/weights';
import { activeVocoder, type KeptVocoder } from './activeVocoder';
import { getBackendStatus, startGpu } from './gpuHost';
import { backendFor } from './modelBackends';
import { defaultModelUrl, requireVocoder } from './vocoder';
import { DEFAULT_SIGMA, synthesizeMel } from './vocoderCore';

/** Either backend's WaveGlow, as synthesizeMel (vocoderCore.ts) takes it. */
export type SynthesisVocoder = WaveGlow | WaveGlowWasm;

/** config.json text + weights.safetensors bytes -> the wasm model, or a message. */
async function wasmFromFiles(
  configText: string,
  weightBytes: Uint8Array,
  where: string,
): Promise<Result<WaveGlowWasm>> {
  const config = parseWaveGlowConfig(configText);
  if (!config.ok) return fail(`${config.error} (model files in ${where})`);
  const parsed = parseSafetensors(weightBytes);
  if (!parsed.ok) return fail(`WaveGlow weights: ${parsed.error} (model files in ${where})`);
  const checked = validateWaveGlowTensors(parsed.value.tensors, config.value);
  if (!checked.ok) return fail(`${checked.error} (model files in ${where})`);
  try {
    return ok(await WaveGlowWasm.create(config.value, parsed.value.tensors));
  } catch (err) {
    return fail(`WaveGlow (wasm): ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function loadDefaultWasm(): Promise<Result<WaveGlowWasm>> {
  const files = urlFiles(defaultModelUrl());
  const [config, weights] = await Promise.all([files.read(CONFIG_FILE), files.read(WEIGHTS_FILE)]);
  if (!config.ok) return config;
  if (!weights.ok) return weights;
  return wasmFromFiles(new TextDecoder().decode(config.value), weights.value, files.where);
}

let defaultWasm: Promise<Result<WaveGlowWasm>> | null = null;
const keptWasm = new WeakMap<KeptVocoder, Promise<Result<WaveGlowWasm>>>();

/** The wasm twin of the active vocoder, built once per set of weights. */
async function activeWasm(): Promise<WaveGlowWasm> {
  const kept = activeVocoder();
  let pending: Promise<Result<WaveGlowWasm>>;
  if (kept) {
    pending = keptWasm.get(kept) ?? wasmFromFiles(kept.configText, kept.weights, kept.label);
    keptWasm.set(kept, pending);
  } else {
    pending = defaultWasm ??= loadDefaultWasm();
  }
  const model = await pending;
  if (!model.ok) {
    // a failed load is retried next time
    if (kept) keptWasm.delete(kept);
    else if (defaultWasm === pending) defaultWasm = null;
    throw new Error(model.error);
  }
  return model.value;
}

/** A short mel (8 frames, 2048 samples of the default model): long enough to time. */
function probeMel(bands: number) {
  const frames = 8;
  const data = new Float32Array(bands * frames).map((_, i) => -6 + 3 * Math.sin(i * 0.37));
  return { data, bands, frames };
}

function timed(model: () => Promise<SynthesisVocoder>) {
  return async () => {
    const m = await model();
    const start = performance.now();
    await synthesizeMel(m, probeMel(m.config.n_mel_channels), { sigma: DEFAULT_SIGMA });
    return performance.now() - start;
  };
}

/**
 * The active WaveGlow on the backend chosen for this device (measured on first use,
 * or the user's override), loaded on first use.
 * @throws a message for the user when the model cannot be loaded on that backend
 */
export async function requireSynthesisVocoder(): Promise<SynthesisVocoder> {
  const gpu = await startGpu();
  const choice = await backendFor('waveglow', () => ({
    webgpuUnavailable: gpu ? null : (getBackendStatus().message ?? 'WebGPU is not available'),
    probe: { webgpu: timed(requireVocoder), wasm: timed(activeWasm) },
  }));
  return choice.kind === 'webgpu' ? requireVocoder() : activeWasm();
}
