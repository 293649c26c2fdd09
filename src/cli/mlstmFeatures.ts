// The byte mLSTM of a --weights folder, loaded for featurizing on the backend
// `--backend` chose: our WGSL on WebGPU, or its ONNX twin on onnxruntime-web
// wasm (the page's fallback, mlstmOnnx.ts) with no GPU at all. Used by
// `semilab sentiment fit|eval|curve|emotions`.
import { join } from 'node:path';
import type { Gpu } from '../engine/gpu';
import { parseMlstmConfig } from '../models/mlstm/config';
import { MlstmModel, type Pool } from '../models/mlstm/mlstm';
import { MlstmWasm } from '../models/mlstm/mlstmOnnx';
import { parseMlstmWeights } from '../models/mlstm/weights';
import { featurizeInBatches, featurizeTexts } from '../models/sentiment/featurize';
import type { CliBackend } from './cliBackend';
import { CliError, readInputFile } from './cliInput';
import { wrongModelFolder } from './modelFolder';

/** Features [N, H] of texts in their order, reporting bytes done. */
export type Featurizer = (
  texts: readonly Uint8Array[],
  onProgress: (done: number, total: number) => void,
) => Promise<Float32Array>;

export interface MlstmFeatures {
  backend: CliBackend;
  /** H: features per text */
  hidden: number;
  featurize: Featurizer;
  release(): Promise<void>;
}

export interface MlstmFeatureOptions {
  pool?: Pool;
  /** texts per batch (default 32 on WebGPU, WASM_BATCH on wasm) */
  batch?: number;
}

/** texts per onnxruntime-web batch: few calls per step, bounded memory */
const WASM_BATCH = 512;

/** config.json and weights.safetensors of `dir`; a WaveGlow folder is named as such. */
export function readMlstmFolder(dir: string): { config: Uint8Array; weights: Uint8Array } {
  const wrong = wrongModelFolder(dir, 'mlstm');
  if (wrong) throw new CliError(wrong);
  return {
    config: readInputFile(join(dir, 'config.json'), 'the mLSTM config'),
    weights: readInputFile(join(dir, 'weights.safetensors'), 'the mLSTM weights'),
  };
}

/**
 * The mLSTM of `dir` as a featurizer on `backend`; `gpu` is needed (and used)
 * only for 'webgpu'.
 * @throws CliError when the folder's files are missing or do not fit together
 */
export async function loadMlstmFeatures(
  dir: string,
  backend: CliBackend,
  gpu: Gpu | null,
  opts: MlstmFeatureOptions = {},
): Promise<MlstmFeatures> {
  const files = readMlstmFolder(dir);
  const configText = new TextDecoder().decode(files.config);
  const base = { pool: opts.pool, batchSize: opts.batch };
  if (backend === 'webgpu') {
    if (!gpu) throw new CliError('the webgpu backend needs a GPU');
    const loaded = MlstmModel.load(gpu, configText, files.weights);
    if (!loaded.ok) throw new CliError(`${dir}: ${loaded.error}`);
    const model = loaded.value;
    return {
      backend,
      hidden: model.hidden,
      featurize: (texts, onProgress) => featurizeTexts(model, texts, { ...base, onProgress }),
      release: async () => model.dispose(),
    };
  }
  const config = parseMlstmConfig(configText);
  if (!config.ok) throw new CliError(`${dir}: ${config.error}`);
  const arrays = parseMlstmWeights(files.weights, config.value);
  if (!arrays.ok) throw new CliError(`${dir}: ${arrays.error}`);
  // NOTE: 10x+ faster than our WGSL on SwiftShader (shared/docs/ENVIRONMENT.md)
  const wasm = await MlstmWasm.create(config.value, arrays.value);
  return {
    backend,
    hidden: wasm.hidden,
    featurize: (texts, onProgress) =>
      featurizeInBatches(wasm.hidden, (part, pool) => wasm.featurize(part, { pool }), texts, {
        ...base,
        batchSize: opts.batch ?? WASM_BATCH,
        onProgress,
      }),
    release: () => wasm.release(),
  };
}

/** Runs `featurize` with a progress line on stderr and prints the speed on stdout. */
export async function featurizeReporting(
  featurize: Featurizer,
  texts: readonly Uint8Array[],
  label: string,
  noun = 'texts',
): Promise<Float32Array> {
  const start = performance.now();
  const features = await featurize(texts, (done, total) => {
    const s = (performance.now() - start) / 1000;
    process.stderr.write(
      `\rfeaturize ${label}: ${done}/${total} bytes, ` +
        `${(done / Math.max(s, 1e-3)).toFixed(0)} B/s   `,
    );
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - start) / 1000;
  const bytes = texts.reduce((a, t) => a + t.length, 0);
  console.log(
    `featurized ${label}: ${texts.length} ${noun}, ${bytes} bytes in ${seconds.toFixed(1)} s ` +
      `(${(bytes / seconds).toFixed(0)} bytes/s)`,
  );
  return features;
}
