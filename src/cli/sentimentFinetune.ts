// `semilab sentiment finetune`: fine-tunes the byte mLSTM and a logistic head
// end to end on a labelled CSV (src/models/sentiment/finetune.ts), printing the
// loss and validation accuracy of each epoch, and writes the best state to DIR
// as weights.safetensors + config.json (the layout of public/models/mlstm) and
// classifier.json, so `semilab sentiment eval --model DIR --weights DIR` reads it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../engine/device';
import { nodeGpuApi } from '../engine/node/dawn';
import { parseMlstmConfig } from '../models/mlstm/config';
import { parseMlstmWeights } from '../models/mlstm/weights';
import { parseClassifier } from '../models/sentiment/classifier';
import { fineTuneSentiment, headFromClassifier } from '../models/sentiment/finetune';
import {
  classifierFromHead,
  mlstmConfigJson,
  mlstmWeightsFile,
} from '../models/sentiment/finetunedModel';
import { describeLabelled, readLabelledCsv } from '../models/sentiment/labelledData';
import { parseArgs } from './command';
import { readMlstmFolder } from './mlstmFeatures';
import { CliError, optionValue, readInputFile, UsageError } from './cliInput';

const DEFAULT_WEIGHTS = join('public', 'models', 'mlstm');
const KNOWN = [
  'train',
  'val',
  'out',
  'epochs',
  'limit',
  'lr',
  'lr-lm',
  'lm-weight',
  'max-bytes',
  'batch',
  'eval-every',
  'seed',
  'weights',
  'classifier',
];

export const FINETUNE_USAGE =
  'semilab sentiment finetune --train <csv> --val <csv> --out DIR [--epochs N] [--limit N] ' +
  '[--lr X] [--lr-lm X] [--lm-weight X] [--max-bytes N] [--batch N] [--eval-every N] ' +
  '[--seed N] [--weights DIR] [--classifier FILE]';

function number(options: Map<string, string>, key: string, integer: boolean, min: number) {
  const v = optionValue(options, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    const what = integer ? 'an integer' : 'a number';
    throw new UsageError(`--${key} must be ${what} >= ${min} (got '${v}')`);
  }
  return n;
}

function readSet(path: string, limit: number | undefined) {
  const data = readLabelledCsv(readInputFile(path, 'the CSV'), { name: path, limit });
  if (!data.ok) throw new CliError(data.error);
  console.log(`${path}: ${describeLabelled(data.value)}`);
  return data.value;
}

function readHead(path: string, hidden: number) {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(readInputFile(path, 'the classifier')));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path} is not valid JSON`);
  }
  const c = parseClassifier(json);
  if (!c.ok) throw new CliError(`${path}: ${c.error}`);
  if (c.value.hidden !== hidden || c.value.pool !== 'final') {
    throw new CliError(
      `${path}: expected a classifier on the final cell state of ${hidden} units ` +
        `(got pool ${c.value.pool}, ${c.value.hidden} units)`,
    );
  }
  return headFromClassifier(c.value);
}

const pct = (a: number) => `${(100 * a).toFixed(1)}%`;

async function finetune(options: Map<string, string>): Promise<number> {
  const need = (k: string) => {
    const v = optionValue(options, k);
    if (!v) throw new CliError(`missing --${k}`);
    return v;
  };
  const trainPath = need('train');
  const valPath = need('val');
  const out = need('out');
  const weightsDir = optionValue(options, 'weights') ?? DEFAULT_WEIGHTS;
  const limit = number(options, 'limit', true, 1);
  const recipe = {
    epochs: number(options, 'epochs', true, 1),
    lr: number(options, 'lr', false, 0),
    lrLm: number(options, 'lr-lm', false, 0),
    lmWeight: number(options, 'lm-weight', false, 0),
    maxBytes: number(options, 'max-bytes', true, 1),
    batchSize: number(options, 'batch', true, 1),
    evalEvery: number(options, 'eval-every', true, 0),
    seed: number(options, 'seed', true, 0),
  };
  const train = readSet(trainPath, limit);
  const val = readSet(valPath, limit);
  const files = readMlstmFolder(weightsDir);
  const config = parseMlstmConfig(new TextDecoder().decode(files.config));
  if (!config.ok) throw new CliError(`${weightsDir}: ${config.error}`);
  const arrays = parseMlstmWeights(files.weights, config.value);
  if (!arrays.ok) throw new CliError(`${weightsDir}: ${arrays.error}`);
  const classifierPath = optionValue(options, 'classifier');
  const head = classifierPath ? readHead(classifierPath, config.value.hidden) : undefined;
  const gpu = await acquireGpu(await nodeGpuApi());
  if (!gpu.ok) throw new CliError(gpu.error.message);

  const start = performance.now();
  let epochLosses: number[] = [];
  const result = await fineTuneSentiment(gpu.value, config.value, arrays.value, train, val, {
    ...recipe,
    head,
    onStep: (s) => {
      epochLosses.push(s.loss);
      const secs = (performance.now() - start) / 1000;
      process.stderr.write(
        `\rstep ${s.step}/${s.steps} (epoch ${s.epoch}): loss ${s.loss.toFixed(4)}, ` +
          `${secs.toFixed(0)} s   `,
      );
    },
    onEval: (e) => {
      if (e.step > 0) process.stderr.write('\n');
      const mean = epochLosses.length
        ? `mean loss ${(epochLosses.reduce((a, b) => a + b, 0) / epochLosses.length).toFixed(4)}, `
        : '';
      const where = e.step === 0 ? 'before fine-tuning' : `epoch ${e.epoch}, step ${e.step}`;
      console.log(`${where}: ${mean}validation accuracy ${pct(e.accuracy)}`);
      epochLosses = [];
    },
  });
  console.log(
    `best: validation accuracy ${pct(result.best.accuracy)} at step ${result.best.step} ` +
      `(${result.steps} steps in ${result.seconds.toFixed(1)} s)`,
  );
  mkdirSync(out, { recursive: true });
  const meta = { source: 'semilab sentiment finetune', from: weightsDir };
  writeFileSync(join(out, 'weights.safetensors'), mlstmWeightsFile(result.weights, meta));
  writeFileSync(join(out, 'config.json'), mlstmConfigJson(config.value));
  const classifier = classifierFromHead(result.head, {
    accuracy: result.best.accuracy,
    trainCount: train.texts.length,
  });
  writeFileSync(join(out, 'classifier.json'), JSON.stringify({ ...classifier, weights: out }));
  const log = { recipe, evals: result.evals, losses: result.losses, seconds: result.seconds };
  writeFileSync(join(out, 'finetune.json'), JSON.stringify(log, null, 1));
  console.log(`wrote ${out}/{weights.safetensors,config.json,classifier.json,finetune.json}`);
  return 0;
}

/**
 * Runs `semilab sentiment finetune <args>`; bad input prints one message and
 * returns 1 (2 for an unknown option or argument, or a bad option value).
 */
export async function runSentimentFinetune(args: string[]): Promise<number> {
  try {
    const { positional, options } = parseArgs(args, KNOWN);
    if (positional.length > 0) {
      throw new UsageError(`unexpected argument '${positional[0]}'\nusage: ${FINETUNE_USAGE}`);
    }
    return await finetune(options);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`semilab sentiment finetune: ${err.message}`);
      return err instanceof UsageError ? 2 : 1;
    }
    throw err;
  }
}
