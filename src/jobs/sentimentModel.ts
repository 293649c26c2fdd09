// The page's byte mLSTM (public/models/mlstm/, served at /models/mlstm/),
// loaded once per Gpu, so a lost device means a fresh load on the next one.
import { fail, type Result } from '../engine/assert';
import type { Gpu } from '../engine/gpu';
import { MlstmModel } from '../models/mlstm/mlstm';
import { fineTunedMlstmFor } from './fineTunedMlstm';
import { getBackendStatus, startGpu } from './gpuHost';

export function mlstmModelUrl(): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}models/mlstm/`;
}

const models = new WeakMap<Gpu, Promise<Result<MlstmModel>>>();

/** config.json (text) and weights.safetensors of the page's mLSTM; throws on HTTP errors. */
export async function fetchMlstmFiles(): Promise<{ config: string; weights: ArrayBuffer }> {
  const url = mlstmModelUrl();
  const [config, weights] = await Promise.all(
    ['config.json', 'weights.safetensors'].map(async (name) => {
      const r = await fetch(url + name);
      if (!r.ok) throw new Error(`${url}${name}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }),
  );
  return { config: new TextDecoder().decode(config), weights };
}

async function fetchModel(gpu: Gpu): Promise<Result<MlstmModel>> {
  try {
    const { config, weights } = await fetchMlstmFiles();
    return MlstmModel.load(gpu, config, weights);
  } catch (err) {
    return fail(`The mLSTM could not be loaded (${err instanceof Error ? err.message : err})`);
  }
}

/**
 * The page's Gpu and its mLSTM, loaded on first use (a failed load is retried next time).
 * @throws a message for the user when WebGPU is unavailable or the model fails to load
 */
export async function requireMlstm(): Promise<MlstmModel> {
  const gpu = await startGpu();
  if (!gpu) {
    const why = getBackendStatus().message ?? 'WebGPU is not available';
    // inference has a wasm path (jobs/mlstmInference.ts); this GPU model is for training
    throw new Error(`Training the mLSTM needs WebGPU, which this page cannot use: ${why}`);
  }
  const tuned = fineTunedMlstmFor(gpu); // a fine-tuned model the user kept wins
  if (tuned) return tuned;
  let pending = models.get(gpu);
  if (!pending) {
    pending = fetchModel(gpu);
    models.set(gpu, pending);
    void pending.then((r) => {
      if (!r.ok && models.get(gpu) === pending) models.delete(gpu);
    });
  }
  const model = await pending;
  if (!model.ok) throw new Error(model.error);
  return model.value;
}
