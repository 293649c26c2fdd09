// `semilab sentiment emotions`: multi-label emotion classification
// (SemEval-2018 E-c) on frozen mLSTM features, one L1 logistic regression per
// emotion with lambda chosen on --val, against the hashed bag-of-words
// baseline fitted the same way; per-emotion F1, macro F1 and Jaccard accuracy
// on the validation set (as training/mlstm/transfer.py reports them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../engine/device';
import type { Gpu } from '../engine/gpu';
import { nodeGpuApi } from '../engine/node/dawn';
import { fitBagOfWordsMultiLabel } from '../models/sentiment/bowMultiLabel';
import {
  describeMultiLabel,
  readMultiLabelCsv,
  type MultiLabelData,
} from '../models/sentiment/emotionData';
import { fitMultiLabel, nonFiniteRows } from '../models/sentiment/multiLabel';
import { BACKEND_USAGE, backendOption, decideBackend } from './cliBackend';
import { CliError, optionValue, readInputFile, UsageError } from './cliInput';
import { featurizeReporting, loadMlstmFeatures } from './mlstmFeatures';

const DEFAULT_WEIGHTS = join('public', 'models', 'mlstm');
export const EMOTIONS_FILE = 'emotions.json';
export const EMOTIONS_BOW_FILE = 'emotions-bow.json';

export const EMOTIONS_USAGE =
  'semilab sentiment emotions --train <csv> --val <csv> [--out DIR] [--limit N] ' +
  `[--weights DIR] [--text COLUMN] [--batch N] ${BACKEND_USAGE}`;

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
    throw new UsageError(`--limit must be a positive integer (got '${limitText}')`);
  }
  const batchText = optionValue(options, 'batch');
  const batch = batchText === undefined ? undefined : Number(batchText);
  if (batch !== undefined && (!Number.isInteger(batch) || batch <= 0)) {
    throw new UsageError(`--batch must be a positive integer (got '${batchText}')`);
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
  if (train.texts.length < 2) {
    throw new CliError(`${trainPath}: need at least 2 texts to fit (got ${train.texts.length})`);
  }
  // features and the L1 fits follow --backend: on wasm no GPU is taken and the fits run on
  // the CPU (as `sentiment fit` does), far faster than FISTA on a software adapter
  const backend = (await decideBackend(backendChoice, 'sentiment emotions')).kind;
  let gpu: Gpu | null = null;
  if (backend === 'webgpu') {
    const gpuResult = await acquireGpu(await nodeGpuApi());
    if (!gpuResult.ok) throw new CliError(gpuResult.error.message);
    gpu = gpuResult.value;
  }
  const model = await loadMlstmFeatures(weights, backend, gpu, { batch });
  const featurize = (data: MultiLabelData, label: string) =>
    featurizeReporting(model.featurize, data.texts, label);
  console.log(`mLSTM features on ${backend}`);
  let tr: ReturnType<typeof dropNonFinite>;
  let va: ReturnType<typeof dropNonFinite>;
  try {
    tr = dropNonFinite(train, await featurize(train, 'train'), 'train');
    va = dropNonFinite(val, await featurize(val, 'val'), 'val');
  } finally {
    await model.release();
  }
  let start = performance.now();
  const mlstm = await fitMultiLabel(gpu, tr.features, tr.data.labels, train.names, {
    val: { features: va.features, labels: va.data.labels },
    onProgress: (f) => process.stderr.write(`\rfit mLSTM classifiers: ${(100 * f).toFixed(0)}% `),
  });
  process.stderr.write('\n');
  const where = gpu ? '' : ' on the CPU';
  console.log(`fitted ${train.names.length} mLSTM classifiers${where} in ${secondsSince(start)} s`);
  start = performance.now();
  // the baseline sees the same texts, so the two columns compare
  const bow = fitBagOfWordsMultiLabel(tr.data, va.data, train.names.length);
  console.log(`fitted ${train.names.length} bag-of-words classifiers in ${secondsSince(start)} s`);
  console.log(`validation F1 (${va.data.texts.length} texts, threshold p > 0.5)`);
  // one tab between fields and the same fields on every row, so the columns line up by field
  console.log('label\tmLSTM F1\tlambda\tnon-zero\tbag-of-words F1');
  train.names.forEach((name, c) => {
    const cl = mlstm.classifiers[c];
    console.log(
      `${name}\t${f3(mlstm.scores.f1[c])}\t${cl.lambda.toExponential(2)}\t${cl.nonZero}\t` +
        f3(bow.scores.f1[c]),
    );
  });
  console.log(`macro F1\t${f3(mlstm.scores.macroF1)}\t\t\t${f3(bow.scores.macroF1)}`);
  console.log(`Jaccard\t${f3(mlstm.scores.jaccard)}\t\t\t${f3(bow.scores.jaccard)}`);
  if (out) {
    mkdirSync(out, { recursive: true });
    const file = join(out, EMOTIONS_FILE);
    writeFileSync(file, JSON.stringify({ ...mlstm, weights }, null, 1));
    const bowFile = join(out, EMOTIONS_BOW_FILE);
    writeFileSync(bowFile, JSON.stringify({ labels: train.names, ...bow }, null, 1));
    console.log(`wrote ${file} and ${bowFile}`);
  }
  return 0;
}

function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}

/**
 * Runs the subcommand; bad input prints `semilab sentiment emotions: ...` and returns 1
 * (2 for a bad option value).
 */
export async function runEmotions(options: Map<string, string>): Promise<number> {
  try {
    return await emotions(options);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`semilab sentiment emotions: ${err.message}`);
      return err instanceof UsageError ? 2 : 1;
    }
    throw err;
  }
}
