// The page's byte mLSTM (public/models/mlstm/, served at /models/mlstm/),
// loaded once per Gpu, so a lost device means a fresh load on the next one.
import { fail, type Result } from '../engine/assert';
import type { Gpu } from '../engine/gpu';
import { MlstmModel } from '../models/mlstm/mlstm';
import { getBackendStatus, startGpu } from './gpuHost';

export function mlstmModelUrl(): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}models/mlstm/`;
}

const models = new WeakMap<Gpu, Promise<Result<MlstmModel>>>();

async function fetchModel(gpu: Gpu): Promise<Result<MlstmModel>> {
  const url = mlstmModelUrl();
  try {
    const [config, weights] = await Promise.all(
      ['config.json', 'weights.safetensors'].map(async (name) => {
        const r = await fetch(url + name);
        if (!r.ok) throw new Error(`${url}${name}: HTTP ${r.status}`);
        return r.arrayBuffer();
      }),
    );
    return MlstmModel.load(gpu, new TextDecoder().decode(config), weights);
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
    // TODO: the mLSTM step also exists as step.onnx; a wasm path would serve pages without WebGPU
    throw new Error(`The Sentiment panel needs WebGPU, which this page cannot use: ${why}`);
  }
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
