// `semilab sentiment fit|eval|curve`: sentiment transfer from the byte mLSTM.
// Featurizes labelled CSV sentences with the mLSTM on the engine, fits the
// L1 logistic regression (lambda chosen on --val), compares with a hashed
// bag-of-words baseline, and saves the classifier as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../engine/device';
import type { Gpu } from '../engine/gpu';
import { nodeGpuApi } from '../engine/node/dawn';
import { MlstmModel, type Pool } from '../models/mlstm/mlstm';
import { fitBagOfWords } from '../models/sentiment/bagOfWords';
import {
  fitSentimentClassifier,
  parseClassifier,
  predictProbs,
  type SentimentClassifier,
} from '../models/sentiment/classifier';
import { featurizeTexts } from '../models/sentiment/featurize';
import { accuracyOf } from '../models/sentiment/grid';
import {
  describeLabelled,
  readLabelledCsv,
  type LabelledData,
} from '../models/sentiment/labelledData';
import { parseArgs, type Command } from './command';
import { EMOTIONS_USAGE, runEmotions } from './sentimentEmotions';
import { FINETUNE_USAGE, runSentimentFinetune } from './sentimentFinetune';
import { CliError, optionValue, readInputFile } from './cliInput';

const DEFAULT_WEIGHTS = join('public', 'models', 'mlstm');
const CLASSIFIER_FILE = 'classifier.json';

function positiveInt(options: Map<string, string>, key: string): number | undefined {
  const v = optionValue(options, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    throw new CliError(`--${key} must be a positive integer (got '${v}')`);
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

async function loadModel(dir: string): Promise<{ gpu: Gpu; model: MlstmModel }> {
  const config = readInputFile(join(dir, 'config.json'), 'the mLSTM config');
  const weights = readInputFile(join(dir, 'weights.safetensors'), 'the mLSTM weights');
  const gpuResult = await acquireGpu(await nodeGpuApi());
  if (!gpuResult.ok) throw new CliError(gpuResult.error.message);
  const gpu = gpuResult.value;
  const loaded = MlstmModel.load(gpu, new TextDecoder().decode(config), weights);
  if (!loaded.ok) throw new CliError(`${dir}: ${loaded.error}`);
  return { gpu, model: loaded.value };
}

/** Features of a labelled set; progress per batch on stderr, the speed at the end. */
async function featurize(model: MlstmModel, data: LabelledData, label: string, pool: Pool) {
  const start = performance.now();
  const features = await featurizeTexts(model, data.texts, {
    pool,
    onProgress: (done, total) => {
      const s = (performance.now() - start) / 1000;
      process.stderr.write(
        `\rfeaturize ${label}: ${done}/${total} bytes, ` +
          `${(done / Math.max(s, 1e-3)).toFixed(0)} B/s   `,
      );
    },
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - start) / 1000;
  const bytes = data.texts.reduce((a, t) => a + t.length, 0);
  console.log(
    `featurized ${label}: ${data.texts.length} sentences, ` +
      `${bytes} bytes in ${seconds.toFixed(1)} s ` +
      `(${(bytes / seconds).toFixed(0)} bytes/s)`,
  );
  return features;
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
  csv: CsvOptions;
}

function common(options: Map<string, string>): Common {
  const pool = optionValue(options, 'pool') ?? 'final';
  if (pool !== 'final' && pool !== 'mean') {
    throw new CliError(`--pool must be 'final' or 'mean' (got '${pool}')`);
  }
  return {
    weights: optionValue(options, 'weights') ?? DEFAULT_WEIGHTS,
    pool,
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
  const { gpu, model } = await loadModel(c.weights);
  const trainX = await featurize(model, train, 'train', c.pool);
  const valX = await featurize(model, val, 'val', c.pool);
  const start = performance.now();
  const classifier = await fitSentimentClassifier(gpu, trainX, train.labels, {
    val: { features: valX, labels: val.labels },
    pool: c.pool,
  });
  console.log(`fitted on the GPU in ${((performance.now() - start) / 1000).toFixed(1)} s`);
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
  model.dispose();
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
  const { model } = await loadModel(c.weights);
  if (model.hidden !== classifier.hidden) {
    throw new CliError(
      `${file} was fitted on ${classifier.hidden} features, ` +
        `but ${c.weights} has ${model.hidden} units`,
    );
  }
  const x = await featurize(model, data, 'eval', classifier.pool);
  const acc = accuracyOf(predictProbs(classifier, x), data.labels);
  console.log(`accuracy ${pct(acc)} on ${data.texts.length} sentences of ${csvPath}`);
  model.dispose();
  return 0;
}

/** The rows 0..n-1 of a labelled set. */
function head(d: LabelledData, n: number): LabelledData {
  return { ...d, texts: d.texts.slice(0, n), labels: d.labels.slice(0, n) };
}

async function curve(options: Map<string, string>): Promise<number> {
  const trainPath = required(options, 'train');
  const valPath = required(options, 'val');
  const c = common(options);
  const sizesText = optionValue(options, 'sizes') ?? '10,100,1000,all';
  const train = readCsv(trainPath, c.csv);
  const val = readCsv(valPath, c.csv);
  const sizes = sizesText.split(',').map((s) => {
    if (s.trim() === 'all') return train.texts.length;
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) {
      throw new CliError(`--sizes: '${s}' is not a positive integer or 'all'`);
    }
    return Math.min(n, train.texts.length);
  });
  const { gpu, model } = await loadModel(c.weights);
  const trainX = await featurize(model, train, 'train', c.pool);
  const valX = await featurize(model, val, 'val', c.pool);
  const h = model.hidden;
  console.log('labels\tmLSTM+L1\tunit\tnon-zero\tbag-of-words');
  for (const n of [...new Set(sizes)]) {
    const sub = head(train, n);
    const positives = sub.labels.reduce((a, y) => a + y, 0);
    if (positives === 0 || positives === n) {
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
  model.dispose();
  return 0;
}

const USAGE = [
  'semilab sentiment fit --train <csv> --val <csv> --out DIR [--weights DIR] [--limit N]',
  'semilab sentiment eval --model DIR --csv <csv> [--weights DIR] [--limit N]',
  'semilab sentiment curve --train <csv> --val <csv> [--sizes 10,100,1000,all] ' +
    '[--weights DIR] [--limit N]',
  FINETUNE_USAGE,
  EMOTIONS_USAGE,
  '  fit/eval/curve also: [--pool final|mean] [--label COLUMN] [--text COLUMN]; ' +
    '--weights defaults to ' +
    DEFAULT_WEIGHTS,
].join('\n       ');

const COMMON_OPTIONS = ['weights', 'limit', 'pool', 'label', 'text'];
/** the options each subcommand reads; any other is refused before work starts */
const KNOWN_OPTIONS: Record<string, readonly string[]> = {
  fit: ['train', 'val', 'out', ...COMMON_OPTIONS],
  eval: ['model', 'csv', ...COMMON_OPTIONS],
  curve: ['train', 'val', 'sizes', ...COMMON_OPTIONS],
  emotions: ['train', 'val', 'out', 'limit', 'weights', 'text', 'batch', 'backend'],
};

export const sentimentCommand: Command = {
  name: 'sentiment',
  summary: 'fit / evaluate an L1 logistic regression on mLSTM features of labelled CSV sentences',
  usage: USAGE,
  async run(args) {
    const sub = parseArgs(args).positional[0];
    if (sub === 'finetune') return runSentimentFinetune(args.slice(args.indexOf('finetune') + 1));
    const known = sub !== undefined ? KNOWN_OPTIONS[sub] : undefined;
    if (!known) {
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
        return 1;
      }
      throw err;
    }
  },
};
