// `semilab sentiment emotions` on the small golden mLSTM (H = 32): tiny
// hand-made CSVs, a few rows of the real SemEval files, and bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { testGpu } from '../engine/testing';
import { csvLine } from '../io/csv';
import { parseMultiLabel, predictMultiLabel } from '../models/sentiment/multiLabel';
import { sentimentCommand } from './sentiment';

const gpu = await testGpu();
const weights = 'src/models/mlstm/goldens';
const SEMEVAL = '../shared/data/semeval';

const ROWS: Array<[string, string, string]> = [
  ['so angry at this', '1', '0'],
  ['happy happy day', '0', '1'],
  ['angry and furious', '1', '0'],
  ['what a happy time', '0', '1'],
  ['furious again', '1', '0'],
  ['a plain bus ride', '0', '0'],
];

function csv(rows: Array<[string, string, string]>, header = ',ID,Tweet,anger,joy'): string {
  return [header, ...rows.map((r, i) => csvLine([String(i), `id-${i}`, ...r]))].join('\n') + '\n';
}

describe.skipIf(!gpu)('semilab sentiment emotions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-emotions-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const train = file('train.csv', csv(ROWS));
  const val = file(
    'val.csv',
    csv([
      ['angry again', '1', '0'],
      ['happy again', '0', '1'],
      ['the bus again', '0', '0'],
    ]),
  );
  const { errors, lines } = captureConsole();
  const run = (...args: string[]) => sentimentCommand.run(args);

  it('prints per-label F1, macro F1 and Jaccard of both models and saves them', async () => {
    const out = join(dir, 'model');
    const args = ['--train', train, '--val', val, '--out', out, '--weights', weights];
    // WebGPU by name: the wasm test below compares its scores with these
    expect(await run('emotions', ...args, '--backend', 'webgpu')).toBe(0);
    expect(errors).toContain('semilab sentiment emotions: backend webgpu (chosen with --backend)');
    const text = lines.join('\n');
    expect(text).toContain('train.csv: 6 texts, 2 labels (anger 3, joy 2)');
    const anger = /^anger\t([\d.]+)\t[\d.e+-]+\t\d+\t([\d.]+)$/m.exec(text);
    expect(anger).not.toBeNull();
    // the words separate the labels: the bag of words gets every validation text right
    expect(anger![2]).toBe('1.000');
    expect(text).toMatch(/^joy\t[\d.]+\t[\d.e+-]+\t\d+\t1\.000$/m);
    const macro = /^macro F1\t([\d.]+)\t+1\.000$/m.exec(text);
    expect(macro).not.toBeNull();
    expect(text).toMatch(/^Jaccard\t[\d.]+\t\t\t1\.000$/m);
    // every row of the table has the header's five tab-separated fields
    const header = lines.findIndex((l) => l.startsWith('label\t'));
    expect(lines[header]).toBe('label\tmLSTM F1\tlambda\tnon-zero\tbag-of-words F1');
    for (const row of lines.slice(header, header + 5)) expect(row.split('\t')).toHaveLength(5);
    const saved = parseMultiLabel(JSON.parse(readFileSync(join(out, 'emotions.json'), 'utf8')));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value.labels).toEqual(['anger', 'joy']);
    expect(saved.value.classifiers[0].hidden).toBe(32);
    expect(saved.value.scores.macroF1.toFixed(3)).toBe(macro![1]);
    expect(predictMultiLabel(saved.value, new Float32Array(32)).length).toBe(2);
    const bow = JSON.parse(readFileSync(join(out, 'emotions-bow.json'), 'utf8'));
    expect(bow.scores.f1).toEqual([1, 1]);
  }, 600_000);

  it('featurizes on wasm and fits on the CPU to the same scores as on WebGPU', async () => {
    const out = join(dir, 'model-wasm');
    const args = ['--train', train, '--val', val, '--weights', weights, '--out', out];
    expect(await run('emotions', ...args, '--backend', 'wasm')).toBe(0);
    expect(lines).toContain('mLSTM features on wasm');
    expect(lines.some((l) => /^fitted \d+ mLSTM classifiers on the CPU in /.test(l))).toBe(true);
    const read = (d: string) => JSON.parse(readFileSync(join(dir, d, 'emotions.json'), 'utf8'));
    // the first test's WebGPU run on the same files
    const gpuRun = read('model');
    const wasmRun = read('model-wasm');
    expect(wasmRun.scores).toEqual(gpuRun.scores);
    expect(wasmRun.classifiers[0].mean[3]).toBeCloseTo(gpuRun.classifiers[0].mean[3], 4);
  }, 600_000);

  it.skipIf(!existsSync(join(SEMEVAL, 'train.csv')))(
    'reads the SemEval E-c files with --limit',
    async () => {
      expect(
        await run(
          'emotions',
          '--train',
          join(SEMEVAL, 'train.csv'),
          '--val',
          join(SEMEVAL, 'val.csv'),
          '--limit',
          '24',
          '--weights',
          weights,
        ),
      ).toBe(0);
      const text = lines.join('\n');
      expect(text).toMatch(/train\.csv: 24 texts, 11 labels \(anger \d+, anticipation \d+/);
      expect(text).toMatch(/featurized val: 24 texts, \d+ bytes/);
      for (const e of ['anger', 'joy', 'trust']) {
        expect(text).toMatch(new RegExp(`^${e}\\t[01]\\.\\d{3}\\t`, 'm'));
      }
      const jaccard = /^Jaccard\t([\d.]+)\t+([\d.]+)$/m.exec(text);
      expect(Number(jaccard![1])).toBeGreaterThanOrEqual(0);
      expect(Number(jaccard![1])).toBeLessThanOrEqual(1);
    },
    900_000,
  );

  it('explains bad input with exit code 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['emotions', '--train', join(dir, 'nope.csv'), '--val', val], /cannot read the CSV .*nope/],
      [
        ['emotions', '--train', file('two.csv', 'Tweet,anger\nhi,2\n'), '--val', val],
        /two\.csv, line 2: 'anger' must be 0 or 1 \(got '2'\)/,
      ],
      [
        ['emotions', '--train', file('none.csv', 'ID,Tweet\n1,hi\n'), '--val', val],
        /none\.csv has no label columns/,
      ],
      [
        ['emotions', '--train', file('other.csv', csv(ROWS, ',ID,Tweet,anger,fear')), '--val', val],
        /have different label columns \(anger, fear vs anger, joy\)/,
      ],
      [['emotions', '--train', train], /missing --val/],
      [
        ['emotions', '--train', train, '--val', val, '--weights', join(dir, 'nomodel')],
        /cannot read the mLSTM config/,
      ],
    ];
    for (const [args, message] of cases) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(1);
      expect(errors.join('\n'), args.join(' ')).toMatch(
        new RegExp(`semilab sentiment emotions: .*${message.source}`),
      );
    }
    // bad option values are usage errors (exit 2), refused before the CSVs are read
    const nope = join(dir, 'nope.csv');
    const usage: Array<[string[], RegExp]> = [
      [['emotions', '--train', nope, '--val', val, '--limit', '0'], /--limit must be a positive/],
      [['emotions', '--train', nope, '--val', val, '--batch', 'x'], /--batch must be a positive/],
      [
        ['emotions', '--train', nope, '--val', val, '--backend', 'cuda'],
        /--backend must be 'auto', 'webgpu' or 'wasm' \(got 'cuda'\)/,
      ],
    ];
    for (const [args, message] of usage) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(2);
      expect(errors.join('\n'), args.join(' ')).toMatch(
        new RegExp(`semilab sentiment emotions: .*${message.source}`),
      );
    }
  }, 300_000);
});
