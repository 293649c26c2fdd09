// `semilab sentiment emotions`: multi-label emotion classification
// (SemEval-2018 E-c) on frozen mLSTM features, one L1 logistic regression per
// emotion with lambda chosen on --val, against the hashed bag-of-words
// baseline fitted the same way; per-emotion F1, macro F1 and Jaccard accuracy
// on the validation set (as training/mlstm/transfer.py reports them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../engine/device';
import { nodeGpuApi } from '../engine/node/dawn';
import { parseMlstmConfig } from '../models/mlstm/config';
import { MlstmModel } from '../models/mlstm/mlstm';
import { MlstmWasm } from '../models/mlstm/mlstmOnnx';
import { parseMlstmWeights } from '../models/mlstm/weights';
import { fitBagOfWordsMultiLabel } from '../models/sentiment/bowMultiLabel';
import {
  describeMultiLabel,
  readMultiLabelCsv,
  type MultiLabelData,
} from '../models/sentiment/emotionData';
import { featurizeTexts } from '../models/sentiment/featurize';
import { fitMultiLabel, nonFiniteRows } from '../models/sentiment/multiLabel';
import { BACKEND_USAGE, backendOption, decideBackend } from './cliBackend';
import { CliError, optionValue, readInputFile } from './cliInput';

const DEFAULT_WEIGHTS = join('public', 'models', 'mlstm');
export const EMOTIONS_FILE = 'emotions.json';
export const EMOTIONS_BOW_FILE = 'emotions-bow.json';

export const EMOTIONS_USAGE =
  'semilab sentiment emotions --train <csv> --val <csv> [--out DIR] [--limit N] ' +
  `[--weights DIR] [--text COLUMN] [--batch N] ${BACKEND_USAGE}`;

/** texts per onnxruntime-web call: progress between chunks, bounded memory */
const WASM_CHUNK = 512;

/** Features [N, H] of texts, reporting bytes done. */
type Featurizer = (
  texts: readonly Uint8Array[],
  onProgress: (done: number, total: number) => void,
) => Promise<Float32Array>;

function readCsv(path: string, limit: number | undefined, text: string | undefined) {
  const data = readMultiLabelCsv(readInputFile(path, 'the CSV'), {
    name: path,
    limit,
    textColumn: text,
  });
  if (!data.ok) throw new CliError(data.error);
  console.log(`${path}: ${describeMultiLabel(data.value)}`);
  return data.value;
}

async function featurize(featurizer: Featurizer, data: MultiLabelData, label: string) {
  const start = performance.now();
  const features = await featurizer(data.texts, (done, total) => {
    const s = (performance.now() - start) / 1000;
    process.stderr.write(
      `\rfeaturize ${label}: ${done}/${total} bytes, ` +
        `${(done / Math.max(s, 1e-3)).toFixed(0)} B/s `,
    );
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - start) / 1000;
  const bytes = data.texts.reduce((a, t) => a + t.length, 0);
  console.log(
    `featurized ${label}: ${data.texts.length} texts, ${bytes} bytes in ${seconds.toFixed(1)} s ` +
      `(${(bytes / seconds).toFixed(0)} bytes/s)`,
  );
  return features;
}

/**
 * Leaves out rows whose features are not finite (see nonFiniteRows), saying how many:
 * the figures are then over the remaining texts.
 */
function dropNonFinite(
  data: MultiLabelData,
  features: Float32Array,
  label: string,
): { data: MultiLabelData; features: Float32Array } {
  const n = data.texts.length;
  const bad = new Set(nonFiniteRows(features, n));
  if (bad.size === 0) return { data, features };
  const h = features.length / n;
  const k = data.names.length;
  const keep = data.texts.map((_, i) => i).filter((i) => !bad.has(i));
  console.log(
    `${label}: left out ${bad.size} of ${n} texts whose mLSTM features are not finite ` +
      `(tanh of a large cell state on this GPU; see multiLabel.ts nonFiniteRows)`,
  );
  const x = new Float32Array(keep.length * h);
  const labels = new Uint8Array(keep.length * k);
  keep.forEach((i, r) => {
    x.set(features.subarray(i * h, (i + 1) * h), r * h);
    labels.set(data.labels.subarray(i * k, (i + 1) * k), r * k);
  });
  return { data: { ...data, texts: keep.map((i) => data.texts[i]), labels }, features: x };
}

const f3 = (v: number) => v.toFixed(3);

async function emotions(options: Map<string, string>): Promise<number> {
  const trainPath = optionValue(options, 'train');
  const valPath = optionValue(options, 'val');
  if (!trainPath) throw new CliError('missing --train');
  if (!valPath) throw new CliError('missing --val');
  const limitText = optionValue(options, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new CliError(`--limit must be a positive integer (got '${limitText}')`);
  }
  const batchText = optionValue(options, 'batch');
  const batch = batchText === undefined ? undefined : Number(batchText);
  if (batch !== undefined && (!Number.isInteger(batch) || batch <= 0)) {
    throw new CliError(`--batch must be a positive integer (got '${batchText}')`);
  }
  const backendChoice = backendOption(options);
  const weights = optionValue(options, 'weights') ?? DEFAULT_WEIGHTS;
  const out = optionValue(options, 'out');
  const text = optionValue(options, 'text');
  const train = readCsv(trainPath, limit, text);
  const val = readCsv(valPath, limit, text);
  if (train.names.join() !== val.names.join()) {
    throw new CliError(
      `${trainPath} and ${valPath} have different label columns ` +
        `(${train.names.join(', ')} vs ${val.names.join(', ')})`,
    );
  }
  const config = readInputFile(join(weights, 'config.json'), 'the mLSTM config');
  const safetensors = readInputFile(join(weights, 'weights.safetensors'), 'the mLSTM weights');
  // features follow --backend; the L1 fits below run on WebGPU either way
  const backend = (await decideBackend(backendChoice, 'sentiment emotions')).kind;
  const gpuResult = await acquireGpu(await nodeGpuApi());
  if (!gpuResult.ok) throw new CliError(gpuResult.error.message);
  const gpu = gpuResult.value;
  const loaded = MlstmModel.load(gpu, new TextDecoder().decode(config), safetensors);
  if (!loaded.ok) throw new CliError(`${weights}: ${loaded.error}`);
  const model = loaded.value;
  try {
    let featurizer: Featurizer = (texts, onProgress) =>
      featurizeTexts(model, texts, { batchSize: batch, onProgress });
    if (backend === 'wasm') {
      // the mLSTM's ONNX twin on onnxruntime-web wasm: 10x+ faster than SwiftShader
      const parsedConfig = parseMlstmConfig(new TextDecoder().decode(config));
      if (!parsedConfig.ok) throw new CliError(`${weights}: ${parsedConfig.error}`);
      const arrays = parseMlstmWeights(safetensors, parsedConfig.value);
      if (!arrays.ok) throw new CliError(`${weights}: ${arrays.error}`);
      const wasm = await MlstmWasm.create(parsedConfig.value, arrays.value);
      featurizer = async (texts, onProgress) => {
        const h = wasm.hidden;
        const out = new Float32Array(texts.length * h);
        const total = texts.reduce((a, t) => a + t.length, 0);
        let done = 0;
        for (let s = 0; s < texts.length; s += WASM_CHUNK) {
          const chunk = texts.slice(s, s + WASM_CHUNK);
          out.set(await wasm.featurize(chunk), s * h);
          done += chunk.reduce((a, t) => a + t.length, 0);
          onProgress(done, total);
        }
        return out;
      };
    }
    console.log(`mLSTM features on ${backend}`);
    const tr = dropNonFinite(train, await featurize(featurizer, train, 'train'), 'train');
    const va = dropNonFinite(val, await featurize(featurizer, val, 'val'), 'val');
    let start = performance.now();
    const mlstm = await fitMultiLabel(gpu, tr.features, tr.data.labels, train.names, {
      val: { features: va.features, labels: va.data.labels },
      onProgress: (f) => process.stderr.write(`\rfit mLSTM classifiers: ${(100 * f).toFixed(0)}% `),
    });
    process.stderr.write('\n');
    console.log(`fitted ${train.names.length} mLSTM classifiers in ${secondsSince(start)} s`);
    start = performance.now();
    // the baseline sees the same texts, so the two columns compare
    const bow = fitBagOfWordsMultiLabel(tr.data, va.data, train.names.length);
    console.log(
      `fitted ${train.names.length} bag-of-words classifiers in ${secondsSince(start)} s`,
    );
    console.log(`validation F1 (${va.data.texts.length} texts, threshold p > 0.5)`);
    console.log('label\tmLSTM\tlambda\t\tnon-zero\tbag-of-words');
    train.names.forEach((name, c) => {
      const cl = mlstm.classifiers[c];
      console.log(
        `${name}\t${f3(mlstm.scores.f1[c])}\t${cl.lambda.toExponential(2)}\t${cl.nonZero}\t\t` +
          f3(bow.scores.f1[c]),
      );
    });
    console.log(`macro F1\t${f3(mlstm.scores.macroF1)}\t\t\t\t${f3(bow.scores.macroF1)}`);
    console.log(`Jaccard\t\t${f3(mlstm.scores.jaccard)}\t\t\t\t${f3(bow.scores.jaccard)}`);
    if (out) {
      mkdirSync(out, { recursive: true });
      const file = join(out, EMOTIONS_FILE);
      writeFileSync(file, JSON.stringify({ ...mlstm, weights }, null, 1));
      const bowFile = join(out, EMOTIONS_BOW_FILE);
      writeFileSync(bowFile, JSON.stringify({ labels: train.names, ...bow }, null, 1));
      console.log(`wrote ${file} and ${bowFile}`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}

function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}

/** Runs the subcommand; bad input prints `semilab sentiment emotions: ...` and returns 1. */
export async function runEmotions(options: Map<string, string>): Promise<number> {
  try {
    return await emotions(options);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`semilab sentiment emotions: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
