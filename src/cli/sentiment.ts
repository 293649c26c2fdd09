// `semilab sentiment fit|eval|curve`: sentiment transfer from the byte mLSTM.
// Featurizes labelled CSV sentences with the mLSTM (our WGSL on WebGPU, or its
// ONNX twin on wasm per --backend), fits the L1 logistic regression (lambda
// chosen on --val; on the CPU with wasm), compares with a hashed bag-of-words
// baseline, and saves the classifier as JSON.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../engine/device';
import type { Gpu } from '../engine/gpu';
import { nodeGpuApi } from '../engine/node/dawn';
import type { Pool } from '../models/mlstm/mlstm';
import { fitBagOfWords } from '../models/sentiment/bagOfWords';
import {
  fitSentimentClassifier,
  parseClassifier,
  predictProbs,
  type SentimentClassifier,
} from '../models/sentiment/classifier';
import { accuracyOf } from '../models/sentiment/grid';
import {
  describeLabelled,
  readLabelledCsv,
  type LabelledData,
} from '../models/sentiment/labelledData';
import { BACKEND_USAGE, backendOption, decideBackend, type CliBackend } from './cliBackend';
import { parseArgs, type Command } from './command';
import { featurizeReporting, loadMlstmFeatures, type MlstmFeatures } from './mlstmFeatures';
import { EMOTIONS_USAGE, runEmotions } from './sentimentEmotions';
import { FINETUNE_USAGE, runSentimentFinetune } from './sentimentFinetune';
import { CliError, optionValue, readInputFile, UsageError } from './cliInput';

const DEFAULT_WEIGHTS = join('public', 'models', 'mlstm');
const CLASSIFIER_FILE = 'classifier.json';

function positiveInt(options: Map<string, string>, key: string): number | undefined {
  const v = optionValue(options, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    throw new UsageError(`--${key} must be a positive integer (got '${v}')`);
  }
  return n;
}

interface CsvOptions {
  limit?: number;
  labelColumn?: string;
  textColumn?: string;
}

function readCsv(path: string, o: CsvOptions): LabelledData {
  const data = readLabelledCsv(readInputFile(path, 'the CSV'), {
    name: path,
    limit: o.limit,
    labelColumn: o.labelColumn,
    textColumn: o.textColumn,
  });
  if (!data.ok) throw new CliError(data.error);
  console.log(`${path}: ${describeLabelled(data.value)}`);
  return data.value;
}

/** A training set the L1 fit can use, checked before any featurizing. */
function checkTrainable(data: LabelledData, path: string): void {
  const n = data.labels.length;
  const positives = data.labels.reduce((a, y) => a + y, 0);
  if (n < 2 || positives === 0 || positives === n) {
    throw new CliError(
      `${path}: need both positive and negative examples to fit ` +
        `(got ${positives} positive of ${n})`,
    );
  }
}

/**
 * The mLSTM of `c.weights` on the chosen backend, and the GPU for the L1 fit:
 * null on wasm, where the fit runs on the CPU (cpuL1Problems.ts).
 */
async function loadModel(
  c: Common,
  pool: Pool,
  command: string,
): Promise<{ gpu: Gpu | null; model: MlstmFeatures }> {
  const backend: CliBackend = (await decideBackend(c.backend, `sentiment ${command}`)).kind;
  let gpu: Gpu | null = null;
  if (backend === 'webgpu') {
    const gpuResult = await acquireGpu(await nodeGpuApi());
    if (!gpuResult.ok) throw new CliError(gpuResult.error.message);
    gpu = gpuResult.value;
  }
  return { gpu, model: await loadMlstmFeatures(c.weights, backend, gpu, { pool }) };
}

/** Features of a labelled set; progress per batch on stderr, the speed at the end. */
function featurize(model: MlstmFeatures, data: LabelledData, label: string) {
  return featurizeReporting(model.featurize, data.texts, label, 'sentences');
}

/** Features of the train and val sets, then the model is released. */
async function featurizeBoth(model: MlstmFeatures, train: LabelledData, val: LabelledData) {
  try {
    return [await featurize(model, train, 'train'), await featurize(model, val, 'val')];
  } finally {
    await model.release();
  }
}

const pct = (a: number) => `${(100 * a).toFixed(1)}%`;

function printClassifier(c: SentimentClassifier): void {
  console.log(
    `mLSTM + L1 logistic regression: ${c.accuracyKind} accuracy ${pct(c.accuracy)} ` +
      `(lambda ${c.lambda.toExponential(2)}, ${c.nonZero} of ${c.hidden} weights non-zero)`,
  );
  console.log(
    `sentiment unit: ${c.sentimentUnit} ` +
      `(weight ${c.unitWeight.toFixed(3)} on the standardised unit; ` +
      `${c.unitWeight > 0 ? 'higher reads positive' : 'higher reads negative'})`,
  );
  for (const g of c.grid) {
    console.log(
      `  lambda ${g.lambda.toExponential(2)}: accuracy ${pct(g.accuracy)}, ${g.nonZero} non-zero`,
    );
  }
}

interface Common {
  weights: string;
  pool: Pool;
  backend: ReturnType<typeof backendOption>;
  csv: CsvOptions;
}

function common(options: Map<string, string>): Common {
  const pool = optionValue(options, 'pool') ?? 'final';
  if (pool !== 'final' && pool !== 'mean') {
    throw new UsageError(`--pool must be 'final' or 'mean' (got '${pool}')`);
  }
  return {
    weights: optionValue(options, 'weights') ?? DEFAULT_WEIGHTS,
    pool,
    backend: backendOption(options),
    csv: {
      limit: positiveInt(options, 'limit'),
      labelColumn: optionValue(options, 'label'),
      textColumn: optionValue(options, 'text'),
    },
  };
}

function required(options: Map<string, string>, key: string): string {
  const v = optionValue(options, key);
  if (!v) throw new CliError(`missing --${key}`);
  return v;
}

async function fit(options: Map<string, string>): Promise<number> {
  const trainPath = required(options, 'train');
  const valPath = required(options, 'val');
  const out = required(options, 'out');
  const c = common(options);
  const train = readCsv(trainPath, c.csv);
  const val = readCsv(valPath, c.csv);
  checkTrainable(train, trainPath);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new CliError(`--out ${out} is a file (expected a folder to write ${CLASSIFIER_FILE} in)`);
  }
  const { gpu, model } = await loadModel(c, c.pool, 'fit');
  const [trainX, valX] = await featurizeBoth(model, train, val);
  const start = performance.now();
  const classifier = await fitSentimentClassifier(gpu, trainX, train.labels, {
    val: { features: valX, labels: val.labels },
    pool: c.pool,
  });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log(`fitted on the ${gpu ? 'GPU' : 'CPU'} in ${seconds} s`);
  printClassifier(classifier);
  const bow = fitBagOfWords(train, val);
  console.log(
    `bag-of-words baseline (hashed uni+bigrams, 2^16): validation accuracy ${pct(bow.accuracy)} ` +
      `(lambda ${bow.lambda.toExponential(2)}, ${bow.nonZero} non-zero)`,
  );
  mkdirSync(out, { recursive: true });
  const file = join(out, CLASSIFIER_FILE);
  writeFileSync(file, JSON.stringify({ ...classifier, weights: c.weights }, null, 1));
  console.log(`wrote ${file}`);
  return 0;
}

async function evaluate(options: Map<string, string>): Promise<number> {
  const dir = required(options, 'model');
  const csvPath = required(options, 'csv');
  const c = common(options);
  const file = join(dir, CLASSIFIER_FILE);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(readInputFile(file, 'the classifier')));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file} is not valid JSON`);
  }
  const parsed = parseClassifier(json);
  if (!parsed.ok) throw new CliError(`${file}: ${parsed.error}`);
  const classifier = parsed.value;
  const data = readCsv(csvPath, c.csv);
  const { model } = await loadModel(c, classifier.pool, 'eval');
  try {
    if (model.hidden !== classifier.hidden) {
      throw new CliError(
        `${file} was fitted on ${classifier.hidden} features, ` +
          `but ${c.weights} has ${model.hidden} units`,
      );
    }
    const x = await featurize(model, data, 'eval');
    const acc = accuracyOf(predictProbs(classifier, x), data.labels);
    console.log(`accuracy ${pct(acc)} on ${data.texts.length} sentences of ${csvPath}`);
  } finally {
    await model.release();
  }
  return 0;
}

/** The rows 0..n-1 of a labelled set. */
function head(d: LabelledData, n: number): LabelledData {
  return { ...d, texts: d.texts.slice(0, n), labels: d.labels.slice(0, n) };
}

/** --sizes as numbers of rows ('all' is Infinity), checked before any file is read. */
function trainingSizes(text: string): number[] {
  return text.split(',').map((s) => {
    if (s.trim() === 'all') return Infinity;
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) {
      throw new UsageError(`--sizes: '${s}' is not a positive integer or 'all'`);
    }
    return n;
  });
}

async function curve(options: Map<string, string>): Promise<number> {
  const trainPath = required(options, 'train');
  const valPath = required(options, 'val');
  const c = common(options);
  const wanted = trainingSizes(optionValue(options, 'sizes') ?? '10,100,1000,all');
  const train = readCsv(trainPath, c.csv);
  const val = readCsv(valPath, c.csv);
  const sizes = wanted.map((n) => Math.min(n, train.texts.length));
  const oneClass = (n: number) => {
    const positives = train.labels.subarray(0, n).reduce((a, y) => a + y, 0);
    return positives === 0 || positives === n;
  };
  if (sizes.every(oneClass)) {
    throw new CliError(
      `${trainPath}: the first rows of every size (${[...new Set(sizes)].join(', ')}) ` +
        'hold one class only; need both positive and negative examples to fit',
    );
  }
  const { gpu, model } = await loadModel(c, c.pool, 'curve');
  const [trainX, valX] = await featurizeBoth(model, train, val);
  const h = model.hidden;
  console.log('labels\tmLSTM+L1\tunit\tnon-zero\tbag-of-words');
  for (const n of [...new Set(sizes)]) {
    const sub = head(train, n);
    if (oneClass(n)) {
      console.log(`${n}\t(skipped: the first ${n} rows hold one class only)`);
      continue;
    }
    const cl = await fitSentimentClassifier(gpu, trainX.subarray(0, n * h), sub.labels, {
      val: { features: valX, labels: val.labels },
      pool: c.pool,
    });
    const bow = fitBagOfWords(sub, val);
    console.log(
      `${n}\t${pct(cl.accuracy)}\t\t${cl.sentimentUnit}\t${cl.nonZero}\t\t${pct(bow.accuracy)}`,
    );
  }
  console.log('(accuracy on the validation set, which also chose lambda for each row)');
  return 0;
}

const COMMON_USAGE =
  '  fit/eval/curve also: [--pool final|mean] [--label COLUMN] [--text COLUMN] ' +
  `${BACKEND_USAGE}; --weights defaults to ${DEFAULT_WEIGHTS}; --backend as for vocode ` +
  '(auto: wasm, with the L1 fit on the CPU, where WebGPU is a software adapter)';
/** each subcommand's usage, as `sentiment <sub> --help` prints it */
const SUB_USAGE: Record<string, string> = {
  fit: 'semilab sentiment fit --train <csv> --val <csv> --out DIR [--weights DIR] [--limit N]',
  eval: 'semilab sentiment eval --model DIR --csv <csv> [--weights DIR] [--limit N]',
  curve:
    'semilab sentiment curve --train <csv> --val <csv> [--sizes 10,100,1000,all] ' +
    '[--weights DIR] [--limit N]',
  finetune: FINETUNE_USAGE,
  emotions: EMOTIONS_USAGE,
};
const USAGE = [...Object.values(SUB_USAGE), COMMON_USAGE].join('\n       ');

const COMMON_OPTIONS = ['weights', 'limit', 'pool', 'label', 'text', 'backend'];
/** the options each subcommand reads; any other is refused before work starts */
const KNOWN_OPTIONS: Record<string, readonly string[]> = {
  fit: ['train', 'val', 'out', ...COMMON_OPTIONS],
  eval: ['model', 'csv', ...COMMON_OPTIONS],
  curve: ['train', 'val', 'sizes', ...COMMON_OPTIONS],
  emotions: ['train', 'val', 'out', 'limit', 'weights', 'text', 'batch', 'backend'],
};

const isSub = (sub: string | undefined): sub is string =>
  sub !== undefined && Object.hasOwn(SUB_USAGE, sub);

export const sentimentCommand: Command = {
  name: 'sentiment',
  summary:
    'fit | eval | curve | emotions | finetune: classifiers on mLSTM features of labelled CSVs',
  usage: USAGE,
  usageFor(args) {
    const sub = parseArgs(args).positional[0];
    if (!isSub(sub)) return USAGE;
    const usage = SUB_USAGE[sub];
    return ['fit', 'eval', 'curve'].includes(sub) ? `${usage}\n${COMMON_USAGE}` : usage;
  },
  async run(args) {
    const sub = parseArgs(args).positional[0];
    if (sub === 'finetune') return runSentimentFinetune(args.slice(args.indexOf('finetune') + 1));
    const known = isSub(sub) ? KNOWN_OPTIONS[sub] : undefined;
    if (!known) {
      if (sub !== undefined) console.error(`semilab sentiment: unknown subcommand '${sub}'`);
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, known);
    } catch (err) {
      console.error(`semilab sentiment ${sub}: ${(err as Error).message}`);
      return 2;
    }
    const { positional, options } = parsed;
    if (positional.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    if (sub === 'emotions') return runEmotions(options);
    const run = sub === 'fit' ? fit : sub === 'eval' ? evaluate : curve;
    try {
      return await run(options);
    } catch (err) {
      if (err instanceof CliError) {
        console.error(`semilab sentiment ${sub}: ${err.message}`);
        return err instanceof UsageError ? 2 : 1;
      }
      throw err;
    }
  },
};
