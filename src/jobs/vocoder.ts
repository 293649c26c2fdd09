// The page's vocoder: the default WaveGlow (public/models/waveglow/, served
// at /models/waveglow/) loaded once per Gpu, so a lost device means a fresh
// load on the next Gpu. Synthesis also runs on wasm (jobs/waveGlowInference.ts).
import type { Result } from '../engine/assert';
import type { Gpu } from '../engine/gpu';
import { loadWaveGlowFiles, urlFiles } from '../models/waveglow/defaultModel';
import type { WaveGlow } from '../models/waveglow/waveglow';
import { activeVocoderOn } from './activeVocoder';
import { getBackendStatus, startGpu } from './gpuHost';

/** /models/waveglow/ under the app's base URL. */
export function defaultModelUrl(): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}models/waveglow/`;
}

const models = new WeakMap<Gpu, Promise<Result<WaveGlow>>>();

/** The default WaveGlow on `gpu`, loaded on first use; a failed load is retried next time. */
export function vocoderOn(gpu: Gpu, fetchImpl: typeof fetch = fetch): Promise<Result<WaveGlow>> {
  let pending = models.get(gpu);
  if (!pending) {
    pending = loadWaveGlowFiles(gpu, urlFiles(defaultModelUrl(), fetchImpl));
    models.set(gpu, pending);
    void pending.then((r) => {
      if (!r.ok && models.get(gpu) === pending) models.delete(gpu);
    });
  }
  return pending;
}

/**
 * The page's Gpu and its WaveGlow: the kept fine-tuned one, else the default.
 * @throws a message for the user when WebGPU is unavailable or the model fails to load
 */
export async function requireVocoder(): Promise<WaveGlow> {
  const gpu = await startGpu();
  if (!gpu) {
    const why = getBackendStatus().message ?? 'WebGPU is not available';
    // synthesis alone has a wasm path (jobs/waveGlowInference.ts)
    throw new Error(`This needs the WebGPU WaveGlow, which this page cannot use: ${why}`);
  }
  // a fine-tuned model the user kept replaces the default (jobs/activeVocoder.ts)
  const model = activeVocoderOn(gpu) ?? (await vocoderOn(gpu));
  if (!model.ok) throw new Error(model.error);
  return model.value;
}
