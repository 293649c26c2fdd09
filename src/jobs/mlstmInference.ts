// The Sentiment panel's mLSTM inference (reading a text, featurizing, generating)
// on the backend chosen for this device: our WGSL (models/mlstm/mlstm.ts) or
// onnxruntime-web wasm (models/mlstm/mlstmOnnx.ts). Training stays on WebGPU.
import type { BackendKind } from '../engine/ort/backendChoice';
import type { Gpu } from '../engine/gpu';
import { parseMlstmConfig } from '../models/mlstm/config';
import type { GenerateOptions, MlstmModel } from '../models/mlstm/mlstm';
import { MlstmWasm } from '../models/mlstm/mlstmOnnx';
import { parseMlstmWeights } from '../models/mlstm/weights';
import {
  featurizeInBatches,
  featurizeTexts,
  type FeaturizeOptions,
} from '../models/sentiment/featurize';
import { hasFineTunedMlstm } from './fineTunedMlstm';
import { getBackendStatus, startGpu } from './gpuHost';
import { backendFor } from './modelBackends';
import { fetchMlstmFiles, requireMlstm } from './sentimentModel';

/** One backend's mLSTM inference, with host arrays in and out. */
export interface MlstmRunner {
  backend: BackendKind;
  hidden: number;
  /** the GPU for the classifier's fit; null where the page has no WebGPU (CPU fit) */
  gpu: Gpu | null;
  /** one unit of c per byte (given to onTrace first), then next-byte logits [T, 256] */
  read(
    bytes: Uint8Array,
    unit: number,
    onTrace: (trace: Float32Array) => void,
  ): Promise<{ trace: Float32Array; logits: Float32Array }>;
  /** features [N, H] in the order of `texts` */
  featurize(texts: readonly Uint8Array[], opts?: FeaturizeOptions): Promise<Float32Array>;
  generate(prefix: Uint8Array, opts: GenerateOptions): Promise<Uint8Array>;
}

function gpuRunner(model: MlstmModel): MlstmRunner {
  return {
    backend: 'webgpu',
    hidden: model.hidden,
    gpu: model.gpu,
    async read(bytes, unit, onTrace) {
      const trace = await model.unitTrace(bytes, unit);
      onTrace(trace);
      const t = model.logits(bytes);
      try {
        return { trace, logits: await t.read() };
      } finally {
        t.dispose();
      }
    },
    featurize: (texts, opts) => featurizeTexts(model, texts, opts),
    generate: (prefix, opts) => model.generate(prefix, opts),
  };
}

/** As featurizeTexts, on onnxruntime-web wasm. */
function featurizeWasm(
  model: MlstmWasm,
  texts: readonly Uint8Array[],
  opts: FeaturizeOptions = {},
): Promise<Float32Array> {
  return featurizeInBatches(
    model.hidden,
    (part, pool) => model.featurize(part, { pool }),
    texts,
    opts,
  );
}

function wasmRunner(model: MlstmWasm, gpu: Gpu | null): MlstmRunner {
  return {
    backend: 'wasm',
    hidden: model.hidden,
    gpu,
    async read(bytes, unit, onTrace) {
      const { hs, trace } = await model.read(bytes, unit);
      onTrace(trace);
      return { trace, logits: await model.logitsOf(hs) };
    },
    featurize: (texts, opts) => featurizeWasm(model, texts, opts),
    generate: (prefix, opts) => model.generate(prefix, opts),
  };
}

let pretrained: Promise<MlstmWasm> | null = null;
const tuned = new WeakMap<MlstmModel, Promise<MlstmWasm>>();

async function loadPretrainedWasm(): Promise<MlstmWasm> {
  try {
    const files = await fetchMlstmFiles();
    const config = parseMlstmConfig(files.config);
    if (!config.ok) throw new Error(config.error);
    const weights = parseMlstmWeights(files.weights, config.value);
    if (!weights.ok) throw new Error(weights.error);
    return await MlstmWasm.create(config.value, weights.value);
  } catch (err) {
    throw new Error(
      `The mLSTM could not be loaded for wasm (${err instanceof Error ? err.message : err})`,
    );
  }
}

/** The wasm twin of the active model: a fine-tuned one (read back from the GPU) or the file's. */
async function activeWasm(): Promise<MlstmWasm> {
  if (hasFineTunedMlstm() && (await startGpu())) {
    const model = await requireMlstm();
    let pending = tuned.get(model);
    if (!pending) {
      pending = model.readWeights().then((w) => MlstmWasm.create(model.config, w));
      tuned.set(model, pending);
    }
    return pending;
  }
  const pending = (pretrained ??= loadPretrainedWasm());
  pending.catch(() => {
    if (pretrained === pending) pretrained = null; // retried on next use
  });
  return pending;
}

/** 16 bytes read once per probe run: long enough to time, short enough not to be felt. */
const PROBE_TEXT = new TextEncoder().encode('A fine, warm film');

function timed(run: () => Promise<unknown>) {
  return async () => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
}

/**
 * The mLSTM on the backend chosen for this device (measured on first use, or the user's
 * override), loaded on first use.
 * @throws a message for the user when the model cannot be loaded on that backend
 */
export async function requireMlstmRunner(): Promise<MlstmRunner> {
  const gpu = await startGpu();
  const choice = await backendFor('mlstm', () => ({
    webgpuUnavailable: gpu ? null : (getBackendStatus().message ?? 'WebGPU is not available'),
    probe: {
      webgpu: timed(async () => {
        const f = (await requireMlstm()).featurize([PROBE_TEXT]);
        await f.read();
        f.dispose();
      }),
      wasm: timed(async () => (await activeWasm()).featurize([PROBE_TEXT])),
    },
  }));
  if (choice.kind === 'webgpu') return gpuRunner(await requireMlstm());
  return wasmRunner(await activeWasm(), gpu);
}
